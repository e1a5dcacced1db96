"""Callback data of every button, with short unique prefixes (64 bytes at most)."""

from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

# Integers that SQLite can store: forged callback data with a larger number is simply not
# this button (the stale-button answer), never an OverflowError in a handler.
RowId = Annotated[int, Field(ge=0, lt=2**63)]


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
    check: RowId
    verdict: bool


class OperatorCb(CallbackData, prefix="eo"):
    """An operator's card: ``in_place`` from the list of operators (moving around), else
    anew, under what the user may want to keep (a verdict's steps)."""

    id: str
    in_place: bool = False


class OperatorsListCb(CallbackData, prefix="el"):
    """Back to the list of operators, in place."""


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
    """A city button: ``zone`` is its IANA name; ``settings`` marks the choice made from the
    time-zone setting rather than while setting a reminder."""

    item: str
    zone: str
    settings: bool = False


class ReminderStepCb(CallbackData, prefix="rx"):
    """Moving between the steps of setting a reminder or the time zone."""

    action: str  # "zones" (the city buttons), "type" (type a city), "back" (the time question), "cancel"
    item: str = ""
    settings: bool = False


class ReminderActionCb(CallbackData, prefix="ra"):
    """A button under a delivered reminder."""

    id: RowId
    action: str  # "done", "stop" (this one), "stop_all" or a flows.reminders.Snooze value


class RemindersListCb(CallbackData, prefix="rl"):
    pass


class ReminderCancelCb(CallbackData, prefix="rc"):
    id: RowId


class ReminderRescheduleCb(CallbackData, prefix="rr"):
    id: RowId


# --- the verdict card ("v…") and the way home ------------------------------------------------


class VerdictCb(CallbackData, prefix="v"):
    """A finished check's verdict: ``part`` is "card" (the card, in place), "show" (the card
    as a new message), "ways", "edit" (the answers to change) or a bot.screens.check.VERDICT_PARTS key."""

    check: RowId
    part: str


class ChangeAnswerCb(CallbackData, prefix="va"):
    """Change the answer to question ``q`` of a finished check, then see its verdict again."""

    check: RowId
    q: str


class HomeCb(CallbackData, prefix="h"):
    """🏠 Menu: in place of the pressed message, or, under what the user may want to keep
    (a verdict, an answer), as a new message."""

    new: bool = False


class SettingsCb(CallbackData, prefix="st"):
    """A /settings button: "language" or "forget" (the time zone has ReminderStepCb)."""

    action: str


class HelpToActCb(CallbackData, prefix="ha"):
    """Help to act, each as a new message: "store" (the phrase card), "holder" or "seller"
    (a message in Russian to forward)."""

    kind: str
