"""Callback data of every button, with short unique prefixes (64 bytes at most)."""

from aiogram.filters.callback_data import CallbackData


class MenuCb(CallbackData, prefix="m"):
    entry: str


class LanguageCb(CallbackData, prefix="lang"):
    code: str


class ForgetCb(CallbackData, prefix="fg"):
    confirm: bool


# --- the checklist ("k") and reminders ("r…"); item "" means the whole checklist ---------


class ChecklistCb(CallbackData, prefix="k"):
    action: str  # "list", "item", "done", "undone", "menu"
    item: str = ""


class RemindCb(CallbackData, prefix="r"):
    """Start setting a reminder."""

    item: str


class PresetCb(CallbackData, prefix="rp"):
    item: str
    preset: str


class TimezoneCb(CallbackData, prefix="rz"):
    item: str
    offset: int  # minutes east of UTC


class TimezoneMenuCb(CallbackData, prefix="ro"):
    item: str
    full: bool  # False: the short question (Moscow, Beijing, other); True: every offset


class ReminderActionCb(CallbackData, prefix="ra"):
    """A button under a delivered reminder."""

    id: int
    action: str  # "done", "stop" or a flows.reminders.Snooze value


class RemindersListCb(CallbackData, prefix="rl"):
    pass


class ReminderCancelCb(CallbackData, prefix="rc"):
    id: int
