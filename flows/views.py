"""What the check, its verdict, the channels and the operator cards look like (pure).

Each function takes ``t``, the reader's gettext, and returns Telegram HTML: one text, or
paragraphs for flows.text.split_message. Data from files is escaped here; translated
msgids are our own HTML and are not.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape

from flows.channels import CHANNELS, SUMMARIES, Channel
from flows.eligibility import Answers, Question, Status, Step, Verdict, progress
from flows.facts import Reader, Translate
from flows.operator_texts import cancellation_text, refund_text
from flows.operators import Operator
from flows.texts import N_

STATUS_LINES: dict[Status, str] = {
    Status.CAN_CANCEL_NOW: N_("✅ <b>Nothing seems to stop you from ending the contract.</b> Do the steps below first."),
    Status.AFTER_STEPS: N_("🟡 <b>You can end the contract once the points below are cleared.</b>"),
    Status.NEEDS_SOMEONE_ELSE: N_(
        "🔴 <b>Only the holder (the person or company the number is registered on) can end the "
        "contract,</b> or someone they authorise: you cannot end it yourself."
    ),
    Status.OPERATOR_CHECK_FIRST: N_("🟠 <b>Check with the operator first:</b> some facts are not clear yet."),
}

# The verdict in a few words, where the blockers and steps are not shown below it (/progress).
STATUS_SHORT: dict[Status, str] = {
    Status.CAN_CANCEL_NOW: N_("✅ You can most likely end the contract now."),
    Status.AFTER_STEPS: N_("🟡 You can end the contract once a few points are cleared."),
    Status.NEEDS_SOMEONE_ELSE: N_("🔴 Only the holder of the number, or someone they authorise, can end it."),
    Status.OPERATOR_CHECK_FIRST: N_("🟠 Check with the operator first."),
}

# Said under every way, a call included, so it speaks of acting, not of a visit.
CONFIRM_WITH = N_("Rules change and I am not the operator: confirm these steps with {operator} before you act.")
CONFIRM_UNKNOWN = N_(
    "Rules change and I am not the operator: confirm these steps with your operator before you act."
)


def day(timestamp: int) -> str:
    """A unix time as an ISO date (UTC): readable in every language without a locale."""
    return datetime.fromtimestamp(timestamp, tz=UTC).date().isoformat()


def question_text(t: Translate, answers: Answers, q: Question) -> str:
    current, total = progress(answers, q.id)
    mark = t(N_("Question {current}/{total}")).format(current=current, total=total)
    return f"<i>{mark}</i>\n\n<b>{t(q.text)}</b>"


def _heading(t: Translate, msgid: str) -> str:
    return f"<b>{t(msgid)}</b>"


def _bullets(t: Translate, heading: str, items: Sequence[str]) -> str:
    return _heading(t, heading) + "\n" + "\n".join(f"• {t(item)}" for item in items)


def channel_paragraphs(t: Translate, channel: Channel, *, best: bool = False, bring: bool = True) -> list[str]:
    """A channel's steps, what to bring (unless shown apart), what to ask for, how to check,
    and its warnings."""
    title = f"<b>{t(channel.title)}</b>"
    if best:
        title = t(N_("⭐ The best way for you: {channel}")).format(channel=title)
    steps = "\n".join(f"{n}. {t(step)}" for n, step in enumerate(channel.steps, 1))
    paragraphs = [f"{title}\n{steps}"]
    if bring and channel.bring:
        paragraphs.append(_bullets(t, N_("What to bring"), channel.bring))
    if channel.ask_for:
        paragraphs.append(_bullets(t, N_("What to ask for"), channel.ask_for))
    if channel.check:
        paragraphs.append(_bullets(t, N_("How to check that it worked"), channel.check))
    if channel.warnings:
        paragraphs.append("\n".join(f"⚠️ {t(w)}" for w in channel.warnings))
    return paragraphs


def confirm_line(t: Translate, operator: Operator | None, lang: str) -> str:
    if operator is None:
        return t(CONFIRM_UNKNOWN)
    return t(CONFIRM_WITH).format(operator=f"<b>{escape(operator.name(lang))}</b>")


# What happens to a balance when the operator is not in the registry.
_REFUND_ANY_OPERATOR = N_(
    "It is usually paid to a bank account or moved to another number of the same operator, "
    "usually not in cash; the monthly tariff fee and bonuses are usually not refunded. Ask your "
    "operator how."
)


def _step_text(reader: Reader, step: Step, operator: Operator | None) -> str:
    """A before-step; the balance step carries the operator's own refund fact, hedged."""
    text = reader.t(step.text)
    if step.id == "balance_refund":
        text += " " + (refund_text(reader, operator) if operator is not None else reader.t(_REFUND_ANY_OPERATOR))
    return text


# The parts of a verdict behind the buttons of its card, in reading order.
VERDICT_PARTS = ("blockers", "steps", "bring", "before")
# At most this many blockers are named on the card; the rest are a press away.
CARD_BLOCKERS = 3


def _before_heading(verdict: Verdict) -> str:
    # Someone else ends the contract, so the steps are not "before you cancel".
    return N_("Before the contract is ended") if verdict.status is Status.NEEDS_SOMEONE_ELSE else N_("Before you cancel")


def verdict_card(
    t: Translate, verdict: Verdict, channels: Sequence[Channel], operator: Operator | None, lang: str
) -> str:
    """The verdict in a few lines: the status, the first blockers by name, the one next step
    and the best way; every detail is in ``verdict_sections``."""
    reader = Reader(t, lang)
    lines = [t(STATUS_LINES[verdict.status])]
    if verdict.blockers:
        lines.append(_heading(t, N_("What to clear first")))
        lines += [f"• {t(b.title)}" for b in verdict.blockers[:CARD_BLOCKERS]]
        hidden = len(verdict.blockers) - CARD_BLOCKERS
        if hidden > 0:
            lines.append(t(N_("• and {count} more: see 🚧 What blocks you")).format(count=hidden))
        # Clearing the first blocker is the next step.
        next_step = t(verdict.blockers[0].how_to_clear)
    else:
        next_step = _step_text(reader, verdict.before_steps[0], operator) if verdict.before_steps else ""
    if next_step:
        lines.append(t(N_("👉 <b>Next step:</b> {step}")).format(step=next_step))
    if channels:
        lines.append(t(N_("⭐ The best way for you: {channel}")).format(channel=f"<b>{t(channels[0].title)}</b>"))
    lines.append(f"<i>{confirm_line(t, operator, lang)}</i>")
    return "\n".join(lines)


def verdict_sections(
    t: Translate, verdict: Verdict, channels: Sequence[Channel], operator: Operator | None, lang: str
) -> dict[str, list[str]]:
    """The whole verdict, part by part (the keys of VERDICT_PARTS that have content): what
    blocks and how to clear it, the best way's steps with the operator's own rule, what to
    bring, and the steps before the contract is ended."""
    reader = Reader(t, lang)
    sections: dict[str, list[str]] = {}
    if verdict.blockers:
        blockers = [f"• <b>{t(b.title)}</b>\n{t(b.how_to_clear)}" for b in verdict.blockers]
        # The heading shares the first blocker's paragraph, so a split never strands it.
        blockers[0] = _heading(t, N_("What to clear first")) + "\n" + blockers[0]
        sections["blockers"] = blockers
    if channels:
        best = channels[0]
        steps = channel_paragraphs(t, best, best=True, bring=False)
        # The operator's own rule, for users who end the contract themselves (the holder's
        # steps already speak of the holder's passport).
        if operator is not None and verdict.status is not Status.NEEDS_SOMEONE_ELSE:
            steps.append(cancellation_text(reader, operator))
        sections["steps"] = [*steps, confirm_line(t, operator, lang)]
        if best.bring:
            sections["bring"] = [_bullets(t, N_("What to bring"), best.bring)]
    if verdict.before_steps:
        steps = "\n".join(f"• {_step_text(reader, s, operator)}" for s in verdict.before_steps)
        sections["before"] = [_heading(t, _before_heading(verdict)) + "\n" + steps]
    return sections


def overview_paragraphs(t: Translate) -> list[str]:
    """Every channel in one line each, for someone who has not done the check."""
    paragraphs = [_heading(t, N_("Ways to end a contract"))]
    paragraphs += [f"<b>{t(c.title)}</b>\n{t(SUMMARIES[c.id])}" for c in CHANNELS.values()]
    paragraphs.append(t(N_("The check (a few questions) shows which way fits you. Press a way for its steps.")))
    return paragraphs


def recommended_paragraphs(t: Translate, channels: Sequence[Channel], finished_at: int) -> list[str]:
    """The channels ranked for the user's last check, one line each."""
    heading = t(N_("<b>Ways to end your contract</b>, best first, from your check of {date}:"))
    paragraphs = [heading.format(date=day(finished_at))]
    paragraphs += [
        f"{n}. <b>{t(c.title)}</b>\n{t(SUMMARIES[c.id])}" for n, c in enumerate(channels, 1)
    ]
    paragraphs.append(t(N_("Press a way for its steps.")))
    return paragraphs


