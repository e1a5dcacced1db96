"""Callback data of every button, with short unique prefixes (64 bytes at most)."""

from aiogram.filters.callback_data import CallbackData


class MenuCb(CallbackData, prefix="m"):
    entry: str


class LanguageCb(CallbackData, prefix="lang"):
    code: str


class ForgetCb(CallbackData, prefix="fg"):
    confirm: bool


class AnswerCb(CallbackData, prefix="eq"):
    """An answer in the check; ``run`` and ``q`` tell a stale button from the current one."""

    run: str
    q: str
    o: str


class CheckNavCb(CallbackData, prefix="eb"):
    """Back, cancel, continue or start over, for the question ``q`` of the check ``run``."""

    action: str
    run: str
    q: str


class ChannelCb(CallbackData, prefix="ec"):
    """A channel's steps; ``check`` is the finished check whose answers tailor them (0: none),
    ``verdict`` marks a press from the verdict, which the admin funnel counts."""

    channel: str
    check: int
    verdict: bool


class OperatorCb(CallbackData, prefix="eo"):
    id: str


class QuestionTopicCb(CallbackData, prefix="qt"):
    """Show one knowledge-base answer (from the fallback's closest topics or a section)."""

    entry: str


class QuestionSectionCb(CallbackData, prefix="qs"):
    """List the topics of one knowledge-base section."""

    section: str


class QuestionOperatorCb(CallbackData, prefix="qo"):
    """An answer that depends on the operator, for the operator chosen."""

    entry: str
    op: str


class QuestionVoteCb(CallbackData, prefix="qv"):
    """👍/👎 on an answer; the answer message itself identifies what is voted on."""

    entry: str
    helpful: bool


class BroadcastCb(CallbackData, prefix="bc"):
    action: str  # "pick" (an audience, or a list of them when value is empty), "send", "back", "drop"
    kind: str = ""
    value: str = ""


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
