"""What the admin sees: broadcast audiences, progress and the statistics, as pure code.

Texts are English msgids; every renderer takes ``t`` (the reader's gettext), because the
broadcaster renders outside any handler, in the admin's stored locale. Values that come from
the database (operators, statuses, counts) are HTML-escaped before they reach a text.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from flows.eligibility import Status, question
from flows.locale import LANGUAGE_NAMES
from flows.texts import N_, Translate

# Kinds of audience; the ones in VALUED_KINDS need a value (a language, a status, an operator).
AUDIENCE_KINDS = ("all", "language", "status", "operator", "unfinished")
VALUED_KINDS = frozenset({"language", "status", "operator"})
# A value must fit in callback data (64 bytes with the prefix) and contain no ":" separator.
SAFE_VALUE = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")

STATUS_LABELS = {
    Status.CAN_CANCEL_NOW.name: N_("can cancel now"),
    Status.AFTER_STEPS.name: N_("can cancel after some steps"),
    Status.NEEDS_SOMEONE_ELSE.name: N_("needs the passport holder"),
    Status.OPERATOR_CHECK_FIRST.name: N_("must ask the operator first"),
}

KIND_LABELS = {
    "all": N_("all users"),
    "language": N_("language: {value}"),
    "status": N_("verdict: {value}"),
    "operator": N_("operator: {value}"),
    "unfinished": N_("checklist not finished"),
}


@dataclass(frozen=True, slots=True)
class Audience:
    kind: str
    value: str = ""

    def to_json(self) -> str:
        return json.dumps({"kind": self.kind, "value": self.value}, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> Audience:
        data = json.loads(raw)
        return cls(str(data.get("kind", "")), str(data.get("value", "")))


def parse_audience(kind: str, value: str = "") -> Audience | None:
    """The audience a button asked for, or None if the data is forged or out of date."""
    if kind not in AUDIENCE_KINDS:
        return None
    if kind in VALUED_KINDS:
        return Audience(kind, value) if is_safe_value(value) else None
    return Audience(kind) if value == "" else None


def is_safe_value(value: str | None) -> bool:
    """Whether a value from the database can travel in callback data."""
    return value is not None and bool(SAFE_VALUE.match(value))


def status_label(name: str, t: Translate) -> str:
    msgid = STATUS_LABELS.get(name)
    return t(msgid) if msgid else html.escape(name)


def operator_label(operator_id: str, t: Translate, names: Mapping[str, str] | None = None) -> str:
    """An operator answer as admins read it: the registry's name, an option's label, or the id."""
    if names and operator_id in names:
        return html.escape(names[operator_id])
    option = question("operator").option(operator_id)
    return t(option.label) if option else html.escape(operator_id)


def value_label(audience: Audience, t: Translate) -> str:
    if audience.kind == "language":
        return html.escape(LANGUAGE_NAMES.get(audience.value, audience.value))
    if audience.kind == "status":
        return status_label(audience.value, t)
    if audience.kind == "operator":
        return operator_label(audience.value, t)
    return ""


def describe_audience(audience: Audience, t: Translate) -> str:
    msgid = KIND_LABELS.get(audience.kind)
    if msgid is None:
        return html.escape(audience.kind)
    return t(msgid).format(value=value_label(audience, t))


# --- broadcast progress ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Progress:
    total: int
    sent: int
    blocked: int
    failed: int

    @property
    def remaining(self) -> int:
        return max(self.total - self.sent - self.blocked - self.failed, 0)


def format_duration(seconds: float) -> str:
    """H:MM:SS, the same in every language."""
    whole = max(int(round(seconds)), 0)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def progress_text(broadcast_id: int, audience: Audience, progress: Progress, rate: float | None,
                  t: Translate) -> str:
    lines = [
        t(N_("<b>Broadcast #{id}</b> to {audience}: sending")).format(
            id=broadcast_id, audience=describe_audience(audience, t)),
        _counts(progress, t),
        t(N_("Remaining: {remaining}")).format(remaining=progress.remaining),
    ]
    if rate:
        lines.append(t(N_("Rate: {rate} messages/s, about {eta} to go")).format(
            rate=f"{rate:.1f}", eta=format_duration(progress.remaining / rate)))
    lines.append(t(N_("/broadcast_cancel stops it.")))
    return "\n".join(lines)


def final_text(broadcast_id: int, audience: Audience, progress: Progress, cancelled: bool,
               t: Translate) -> str:
    title = (N_("<b>Broadcast #{id}</b> to {audience}: cancelled") if cancelled
             else N_("<b>Broadcast #{id}</b> to {audience}: finished"))
    lines = [t(title).format(id=broadcast_id, audience=describe_audience(audience, t)), _counts(progress, t)]
    if progress.remaining:
        lines.append(t(N_("Not sent: {remaining}")).format(remaining=progress.remaining))
    return "\n".join(lines)


def _counts(progress: Progress, t: Translate) -> str:
    return t(N_("Sent: {sent} of {total}\nBlocked the bot: {blocked}\nFailed: {failed}")).format(
        sent=progress.sent, total=progress.total, blocked=progress.blocked, failed=progress.failed)


# --- statistics -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BroadcastSummary:
    id: int
    status: str
    audience: Audience
    created_at: int
    progress: Progress


@dataclass(frozen=True, slots=True)
class Stats:
    users: int
    active_7d: int
    active_30d: int
    blocked: int
    languages: Sequence[tuple[str, int]]
    checked: int  # distinct users with a finished check
    channel_chosen: int
    checklist_done: int
    statuses: Sequence[tuple[str, int]]  # latest check per user
    operators: Sequence[tuple[str, int]]
    broadcasts: Sequence[BroadcastSummary]  # newest first
    unanswered: Sequence[tuple[str, int]] = ()  # question text, times asked; most asked first


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def _pairs(pairs: Sequence[tuple[str, int]], label: Callable[[str], str]) -> str:
    return "\n".join(f"• {label(key)}: {count}" for key, count in pairs) or "–"


def stats_sections(stats: Stats, t: Translate, operator_names: Mapping[str, str]) -> list[str]:
    """One string per section, in the order shown; each well under Telegram's 4096."""
    languages = " · ".join(f"{html.escape(LANGUAGE_NAMES.get(code, code))} {count}"
                           for code, count in stats.languages) or "–"
    users = t(N_(
        "<b>Users</b>: {users}\n"
        "Active in the last 7 days: {active_7d}\n"
        "Active in the last 30 days: {active_30d}\n"
        "Blocked the bot: {blocked}\n"
        "By language: {languages}"
    )).format(users=stats.users, active_7d=stats.active_7d, active_30d=stats.active_30d,
              blocked=stats.blocked, languages=languages)
    funnel = t(N_(
        "<b>Funnel</b>\n"
        "Started: {users}\n"
        "Finished a check: {checked} ({checked_pct})\n"
        "Chose a way to cancel: {channel} ({channel_pct})\n"
        "Finished the checklist: {done} ({done_pct})"
    )).format(users=stats.users, checked=stats.checked, checked_pct=_percent(stats.checked, stats.users),
              channel=stats.channel_chosen, channel_pct=_percent(stats.channel_chosen, stats.users),
              done=stats.checklist_done, done_pct=_percent(stats.checklist_done, stats.users))
    verdicts = t(N_("<b>Verdicts</b> (latest check of each user)")) + "\n" + _pairs(
        stats.statuses, lambda name: status_label(name, t))
    operators = t(N_("<b>Operators</b> (latest check of each user)")) + "\n" + _pairs(
        stats.operators, lambda operator: operator_label(operator, t, operator_names))
    # Users' own words: escaped, they are shown as they were typed.
    unanswered = t(N_("<b>Top unanswered questions</b>")) + "\n" + ("\n".join(
        f"• {html.escape(text)} ({times})" for text, times in stats.unanswered) or "–")
    broadcasts = t(N_("<b>Broadcasts</b>")) + "\n" + ("\n".join(
        _broadcast_line(summary, t) for summary in stats.broadcasts) or "–")
    return [users, funnel, verdicts, operators, unanswered, broadcasts]


def _broadcast_line(summary: BroadcastSummary, t: Translate) -> str:
    status = {"running": N_("sending"), "finished": N_("finished"), "cancelled": N_("cancelled")}
    progress = summary.progress
    return t(N_("#{id} {date}, {audience}, {status}: sent {sent} of {total}, blocked {blocked}, failed {failed}")).format(
        id=summary.id, date=time.strftime("%Y-%m-%d", time.gmtime(summary.created_at)),
        audience=describe_audience(summary.audience, t),
        status=t(status[summary.status]) if summary.status in status else html.escape(summary.status),
        sent=progress.sent, total=progress.total, blocked=progress.blocked, failed=progress.failed)

