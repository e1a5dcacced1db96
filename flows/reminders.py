"""When a reminder goes out, snoozing, and how long the scheduler may sleep.

Pure code: the scheduler task (bot/) stores reminders, calls these rules with its own
clock, and renders the msgids below in the recipient's locale.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from flows.checklist import get_item, item_ids
from flows.texts import N_
from flows.timeparse import require_aware

# The scheduler wakes at the due time, but its loop, the database and the shared rate
# limiter can add a few seconds (30 msg/s drains 1,800 queued messages in a minute). Past
# a minute the delay no longer comes from normal work: the bot was down or far behind, so
# the message says it is late instead of pretending to be on time.
LATE_AFTER = timedelta(seconds=60)
# A week after its time a reminder about cancelling a SIM is more confusing than useful
# (the user has likely acted, or moved on); the scheduler marks it dropped instead.
DROP_AFTER = timedelta(days=7)
# Sleeping at most this long means a wall-clock jump, a missed wake-up or a reminder added
# without a nudge delays delivery by one hour at most.
MAX_SLEEP = timedelta(hours=1)


# A user-driven limit, so that /reminders stays one readable message and nobody can make
# the bot flood a chat. Checklist reminders rarely need more than a handful.
MAX_PENDING_PER_USER = 20

# Sending a reminder: a 429 answer pauses every sender and is retried, up to this many
# times for one reminder; other temporary errors (network, 5xx) are retried after these
# delays. Then the reminder is marked failed: nothing retries forever.
MAX_FLOOD_RETRIES = 5
SEND_RETRY_DELAYS: tuple[float, ...] = (1.0, 4.0)


class Delivery(StrEnum):
    WAIT = "wait"
    SEND_NOW = "send_now"
    SEND_LATE = "send_late"
    DROP = "drop"


class Snooze(StrEnum):
    HOUR = "1h"
    DAY = "1d"


SNOOZE_DELAYS: dict[Snooze, timedelta] = {
    Snooze.HOUR: timedelta(hours=1),
    Snooze.DAY: timedelta(days=1),
}

REMINDER_TEXT = N_("⏰ <b>Reminder:</b> {item}")
REMINDER_LATE_TEXT = N_(
    "⏰ <b>Reminder:</b> {item}\n"
    "<i>This was due {due}; the bot could not send it on time.</i>"
)
ITEMS_LEFT_TEXT = N_("📋 Checklist: {left} of {total} items left.")
ALL_TICKED_TEXT = N_("📋 Checklist: every item is ticked.")
BUTTON_DONE = N_("✅ Done")
BUTTON_OPEN_ITEM = N_("📋 Open this item")
BUTTON_OPEN_CHECKLIST = N_("📋 Open the checklist")
BUTTON_SNOOZE_HOUR = N_("Snooze 1 hour")
BUTTON_SNOOZE_DAY = N_("Snooze 1 day")
BUTTON_STOP = N_("🔕 No more about this")
BUTTON_STOP_ALL = N_("🔕 Stop all reminders")
SNOOZE_BUTTONS: dict[Snooze, str] = {
    Snooze.HOUR: BUTTON_SNOOZE_HOUR,
    Snooze.DAY: BUTTON_SNOOZE_DAY,
}
CHECKLIST_SUBJECT = N_("the checklist before cancelling")
REMINDER_SET_TEXT = N_("I will remind you about <b>{what}</b> {when} ({tz}).")
ALREADY_SET_TEXT = N_("You already have this reminder: <b>{what}</b>, {when} ({tz}).")
SNOOZED_TEXT = N_("Snoozed until {when} ({tz}).")
DONE_TEXT = N_("Marked as done.")
STOPPED_ONE_TEXT = N_("No more reminders about <b>{what}</b>. Your other reminders stay.")
STOPPED_ALL_TEXT = N_("All your reminders are off. You can set a new one from the checklist.")


def delivery(due_utc: datetime, now_utc: datetime) -> Delivery:
    """What to do with a pending reminder now.

    Before due: WAIT. Up to LATE_AFTER (60 s, inclusive) past due: SEND_NOW. Up to
    DROP_AFTER (7 days, inclusive): SEND_LATE. Later: DROP.
    """
    require_aware(due_utc, now_utc)
    lateness = now_utc - due_utc
    if lateness < timedelta(0):
        return Delivery.WAIT
    if lateness <= LATE_AFTER:
        return Delivery.SEND_NOW
    if lateness <= DROP_AFTER:
        return Delivery.SEND_LATE
    return Delivery.DROP


def snooze_due(option: str, now_utc: datetime) -> datetime:
    """New due time, counted from the button press (not the old due time, which for a
    late reminder may itself be long past). ValueError for an unknown option."""
    require_aware(now_utc)
    return (now_utc + SNOOZE_DELAYS[Snooze(option)]).astimezone(UTC)


def next_wake(due_times: Iterable[datetime], now_utc: datetime) -> float:
    """Seconds the scheduler may sleep: until the earliest due time, 0 if one is already
    due, never more than MAX_SLEEP (also when nothing is pending)."""
    require_aware(now_utc)
    earliest = min(due_times, default=None)
    if earliest is None:
        return MAX_SLEEP.total_seconds()
    require_aware(earliest)
    wait = min(max(earliest - now_utc, timedelta(0)), MAX_SLEEP)
    return wait.total_seconds()


def send_retry_delay(failures: int) -> float | None:
    """Seconds to wait after the ``failures``-th temporary error, or None to give up."""
    if failures < 1:
        raise ValueError("failures counts from 1")
    return SEND_RETRY_DELAYS[failures - 1] if failures <= len(SEND_RETRY_DELAYS) else None


def items_left(ticked: int) -> tuple[int, int]:
    """(left, total) checklist items for a user who has ticked ``ticked`` of them."""
    total = len(item_ids())
    return max(total - ticked, 0), total


def reminder_subject(item_id: str | None) -> tuple[str, str | None]:
    """msgids of what a reminder is about: an item's title and how-to, or the whole
    checklist (also for an item id that no longer exists) with no how-to."""
    if item_id is not None:
        try:
            item = get_item(item_id)
        except KeyError:
            return CHECKLIST_SUBJECT, None
        return item.title, item.howto
    return CHECKLIST_SUBJECT, None
