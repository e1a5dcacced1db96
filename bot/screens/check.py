"""The check: a question and its buttons, the prompts to go on with a check left open, the
verdict of a finished check (its short card, each part behind the card's buttons, the list
of answers to change) and the /progress dashboard."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import (
    AnswerCb,
    ChangeAnswerCb,
    ChannelCb,
    ChecklistCb,
    CheckNavCb,
    VerdictCb,
)
from bot.keyboards import button, grid, menu_button, operator_button, start_over_button
from bot.repositories.checks import FinishedCheck
from bot.repositories.reminders import Reminder
from bot.screens.common import home_button
from bot.screens.howto import bullets, channel_paragraphs, confirm_line, day, heading
from bot.screens.phrases import message_button, store_card_button
from flows.channels import Channel, recommend
from flows.checklist import ITEMS, PROGRESS_TEXT, optional_items
from flows.checklist import progress as checklist_progress
from flows.eligibility import (
    Answers,
    Question,
    Status,
    Step,
    Verdict,
    applicable_questions,
    assess,
    progress,
    question,
)
from flows.facts import Reader
from flows.operator_texts import cancellation_text, refund_text
from flows.operators import Operator, Registry
from flows.phrases import someone_else_acts
from flows.reminders import reminder_subject
from flows.texts import N_
from flows.timeparse import format_when

STALE = N_("This button belongs to an earlier question, so nothing was changed. Please use the latest question.")

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

# What happens to a balance when the operator is not in the registry.
_REFUND_ANY_OPERATOR = N_(
    "It is usually paid to a bank account or moved to another number of the same operator, "
    "usually not in cash; the monthly tariff fee and bonuses are usually not refunded. Ask your "
    "operator how."
)

# The parts of a verdict behind the buttons of its card, in reading order.
VERDICT_PARTS = ("blockers", "steps", "bring", "before")
# At most this many blockers are named on the card; the rest are a press away.
CARD_BLOCKERS = 3


def question_text(r: Reader, answers: Answers, q: Question) -> str:
    _ = r.t
    current, total = progress(answers, q.id)
    mark = _("Question {current}/{total}").format(current=current, total=total)
    return f"<i>{mark}</i>\n\n<b>{_(q.text)}</b>"


def _step_text(r: Reader, step: Step, operator: Operator | None) -> str:
    """A before-step; the balance step carries the operator's own refund fact, hedged."""
    text = r.t(step.text)
    if step.id == "balance_refund":
        text += " " + (refund_text(r, operator) if operator is not None else r.t(_REFUND_ANY_OPERATOR))
    return text


def _before_heading(verdict: Verdict) -> str:
    # Someone else ends the contract, so the steps are not "before you cancel".
    return N_("Before the contract is ended") if verdict.status is Status.NEEDS_SOMEONE_ELSE else N_("Before you cancel")


def verdict_card(r: Reader, verdict: Verdict, channels: Sequence[Channel], operator: Operator | None) -> str:
    """The verdict in a few lines: the status, the first blockers by name, the one next step
    and the best way; every detail is in ``verdict_sections``."""
    _ = r.t
    lines = [_(STATUS_LINES[verdict.status])]
    if verdict.blockers:
        lines.append(heading(r, N_("What to clear first")))
        lines += [f"• {_(b.title)}" for b in verdict.blockers[:CARD_BLOCKERS]]
        hidden = len(verdict.blockers) - CARD_BLOCKERS
        if hidden > 0:
            lines.append(_("• and {count} more: see 🚧 What blocks you").format(count=hidden))
        # Clearing the first blocker is the next step.
        next_step = _(verdict.blockers[0].how_to_clear)
    else:
        next_step = _step_text(r, verdict.before_steps[0], operator) if verdict.before_steps else ""
    if next_step:
        lines.append(_("👉 <b>Next step:</b> {step}").format(step=next_step))
    if channels:
        lines.append(_("⭐ The best way for you: {channel}").format(channel=f"<b>{_(channels[0].title)}</b>"))
    lines.append(f"<i>{confirm_line(r, operator)}</i>")
    return "\n".join(lines)


def verdict_sections(r: Reader, verdict: Verdict, channels: Sequence[Channel],
                     operator: Operator | None) -> dict[str, list[str]]:
    """The whole verdict, part by part (the keys of VERDICT_PARTS that have content): what
    blocks and how to clear it, the best way's steps with the operator's own rule, what to
    bring, and the steps before the contract is ended."""
    _ = r.t
    sections: dict[str, list[str]] = {}
    if verdict.blockers:
        blockers = [f"• <b>{_(b.title)}</b>\n{_(b.how_to_clear)}" for b in verdict.blockers]
        # The heading shares the first blocker's paragraph, so a split never strands it.
        blockers[0] = heading(r, N_("What to clear first")) + "\n" + blockers[0]
        sections["blockers"] = blockers
    if channels:
        best = channels[0]
        steps = channel_paragraphs(r, best, best=True, bring=False)
        # The operator's own rule, for users who end the contract themselves (the holder's
        # steps already speak of the holder's passport).
        if operator is not None and verdict.status is not Status.NEEDS_SOMEONE_ELSE:
            steps.append(cancellation_text(r, operator))
        sections["steps"] = [*steps, confirm_line(r, operator)]
        if best.bring:
            sections["bring"] = [bullets(r, N_("What to bring"), best.bring)]
    if verdict.before_steps:
        steps = "\n".join(f"• {_step_text(r, s, operator)}" for s in verdict.before_steps)
        sections["before"] = [heading(r, _before_heading(verdict)) + "\n" + steps]
    return sections


# The card's buttons for the parts of the verdict, in reading order.
PART_LABELS = {
    "blockers": N_("🚧 What blocks you"),
    "steps": N_("📄 Steps of the best way"),
    "bring": N_("🎒 What to bring"),
    "before": N_("✅ Before you cancel"),
}
BEFORE_HOLDER_LABEL = N_("✅ Before the contract is ended")


class VerdictView:
    """Everything the verdict screens of one finished check show."""

    def __init__(self, r: Reader, check_id: int, answers: Answers, operators: Registry) -> None:
        self.r = r
        self.check_id = check_id
        self.answers = answers
        self.operator: Operator | None = operators.get(answers.get("operator", ""))
        self.verdict: Verdict = assess(answers, self.operator)
        self.channels: list[Channel] = recommend(answers, self.operator)
        self.operators = operators

    def sections(self) -> dict[str, list[str]]:
        return verdict_sections(self.r, self.verdict, self.channels, self.operator)

    def card(self) -> tuple[str, InlineKeyboardMarkup]:
        _ = self.r.t
        rows = []
        for part in self.sections():
            label = PART_LABELS[part]
            if part == "before" and self.verdict.status is Status.NEEDS_SOMEONE_ELSE:
                label = BEFORE_HOLDER_LABEL
            rows.append([button(_(label), VerdictCb(check=self.check_id, part=part))])
        if len(self.channels) > 1:
            rows.append([button(_("🧭 Other ways"), VerdictCb(check=self.check_id, part="ways"))])
        # Someone else has to act: a message in Russian to forward to them.
        who = someone_else_acts(self.answers)
        if who is not None:
            rows.append([message_button(self.r, who)])
        rows.append([button(_("✏️ Change an answer"), VerdictCb(check=self.check_id, part="edit")),
                     home_button(self.r, new=True)])
        text = verdict_card(self.r, self.verdict, self.channels, self.operator)
        return text, InlineKeyboardMarkup(inline_keyboard=rows)

    def back_row(self) -> list[InlineKeyboardButton]:
        _ = self.r.t
        return [button(_("⬅️ Back to the verdict"), VerdictCb(check=self.check_id, part="card")), home_button(self.r)]

    def part(self, part: str) -> tuple[list[str], InlineKeyboardMarkup] | None:
        """A part of the verdict with a way back to the card; None if it has no such part."""
        paragraphs = self.sections().get(part)
        if paragraphs is None:
            return None
        rows = []
        if part == "steps":
            rows.append([store_card_button(self.r)])
            if self.operator is not None:
                rows.append([operator_button(self.r, self.operator)])
        if part == "before":
            rows.append([menu_button(self.r, "checklist")])
        rows.append(self.back_row())
        return paragraphs, InlineKeyboardMarkup(inline_keyboard=rows)

    def ways(self) -> tuple[list[str], InlineKeyboardMarkup]:
        """The other ways, best first; each opens its steps tailored to these answers."""
        _ = self.r.t
        rows = [[button(_(c.title), ChannelCb(channel=c.id, check=self.check_id, verdict=True))]
                for c in self.channels[1:]]
        rows.append(self.back_row())
        return [_("<b>Other ways</b>, the better ones first. Press one for its steps.")], \
            InlineKeyboardMarkup(inline_keyboard=rows)

    def answer_label(self, question_id: str) -> str:
        _ = self.r.t
        value = self.answers.get(question_id, "")
        if value in self.operators:
            return escape(self.operators[value].name(self.r.lang))
        option = question(question_id).option(value)
        return _(option.label) if option is not None else "—"

    def change(self) -> tuple[list[str], InlineKeyboardMarkup]:
        """Your answers, numbered; a button per answer opens its question."""
        _ = self.r.t
        asked = [q for q in applicable_questions(self.answers) if q.id in self.answers]
        lines = [f"{n}. {_(q.text)}\n    → <b>{self.answer_label(q.id)}</b>"
                 for n, q in enumerate(asked, 1)]
        text = _("✏️ <b>Which answer do you want to change?</b> After it you see the verdict again.")
        buttons = [button(f"✏️ {n}", ChangeAnswerCb(check=self.check_id, q=q.id)) for n, q in enumerate(asked, 1)]
        rows = grid(buttons, 3)
        rows.append([start_over_button(self.r)])
        rows.append(self.back_row())
        return [text, "\n".join(lines)], InlineKeyboardMarkup(inline_keyboard=rows)


def progress_screen(r: Reader, *, in_check: tuple[int, int] | None, latest: FinishedCheck | None, operators: Registry,
                    done: set[str], next_reminder: Reminder | None, zone: str, now: datetime,
                    resume: InlineKeyboardButton | None) -> tuple[str, InlineKeyboardMarkup]:
    """/progress: the last verdict and what still blocks, the checklist, the next reminder,
    and one button for the next step (with the verdict and the menu under it)."""
    _ = r.t
    lines = [_("📍 <b>Your progress</b>")]
    answers = latest.answers if latest is not None else {}
    if in_check is not None:
        lines.append(_("✏️ The check is waiting at question {current} of {total}.")
                     .format(current=in_check[0], total=in_check[1]))
    if latest is not None:
        verdict = assess(latest.answers, operators.get(latest.answers.get("operator", "")))
        lines.append(_("Your last check, on {date}:").format(date=day(latest.finished_at)) + " "
                     + _(STATUS_SHORT[verdict.status]))
        if verdict.blockers:
            lines.append(_("Still to clear:") + "\n" + "\n".join(f"• {_(b.title)}" for b in verdict.blockers))
    else:
        lines.append(_("You have not finished the check yet: a few questions show whether and how you can cancel."))
    done_count, total = checklist_progress(done)
    lines.append("📋 " + _(PROGRESS_TEXT).format(done=done_count, total=total))
    if next_reminder is not None:
        when = format_when(next_reminder.due_at, zone, now, r.lang, _)
        what = _(reminder_subject(next_reminder.item_id)[0])
        lines.append(_("⏰ Next reminder: {when} — {what}").format(when=when, what=what))
    else:
        lines.append(_("⏰ No reminder is set."))

    # The one next step: go on with the check, or start it, or the first checklist item
    # left, or the steps of the best way.
    optional = optional_items(answers)
    todo = next((item for item in ITEMS if item.id not in done and item.id not in optional), None)
    if resume is not None:
        first = resume
    elif latest is None:
        first = menu_button(r, "check")
    elif todo is not None:
        first = button(_("👉 Next: {item}").format(item=_(todo.title)), ChecklistCb(action="item", item=todo.id))
    else:
        steps_label = PART_LABELS["steps"]  # a variable, so that pybabel does not take "steps" for a msgid
        first = button(_(steps_label), VerdictCb(check=latest.id, part="show"))
    rows = [[first]]
    if latest is not None:
        rows.append([button(_("📄 Show the verdict"), VerdictCb(check=latest.id, part="show"))])
    rows.append([home_button(r)])
    return "\n\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


# --- a check in progress ----------------------------------------------------------------------
# ``run`` is a short id of one check, so that the buttons of an earlier one are recognised.


def option_labels(r: Reader, q: Question, operators: Registry) -> list[tuple[str, str]]:
    """(option id, label) in display order; the operator question lists the registry first."""
    labels = [(op.id, op.name(r.lang)) for op in operators.values()] if q.lists_operators else []
    return labels + [(option.id, r.t(option.label)) for option in q.options]


def question_screen(r: Reader, run: str, q: Question, answers: Answers,
                    operators: Registry) -> tuple[str, InlineKeyboardMarkup]:
    _ = r.t
    rows = [
        # After Back, the answer given before is marked, so the user sees what they chose.
        [button(("✓ " if answers.get(q.id) == option_id else "") + label, AnswerCb(run=run, q=q.id, o=option_id))]
        for option_id, label in option_labels(r, q, operators)
    ]
    rows.append([
        button(_("⬅️ Back"), CheckNavCb(action="back", run=run, q=q.id)),
        button(_("✖️ Cancel"), CheckNavCb(action="cancel", run=run, q=q.id)),
    ])
    return question_text(r, answers, q), InlineKeyboardMarkup(inline_keyboard=rows)


def continue_button(r: Reader, run: str, q: str) -> InlineKeyboardButton:
    _ = r.t
    return button(_("▶️ Continue"), CheckNavCb(action="continue", run=run, q=q))


def _open_check(r: Reader, text: str, answers: Answers, run: str, q: str,
                other: InlineKeyboardButton) -> tuple[str, InlineKeyboardMarkup]:
    """A check in progress offered again: where it stands, ▶️ Continue and one other way."""
    current, total = progress(answers, q)
    return text.format(current=current, total=total), InlineKeyboardMarkup(
        inline_keyboard=[[continue_button(r, run, q), other]])


def resume_prompt(r: Reader, run: str, q: str, answers: Answers) -> tuple[str, InlineKeyboardMarkup]:
    """The check was opened again while one is in progress."""
    _ = r.t
    return _open_check(
        r, _("You have a check in progress, at question {current} of {total}. Continue it, or start over?"),
        answers, run, q, button(_("🔄 Start over"), CheckNavCb(action="restart", run=run, q=q)))


def waiting_prompt(r: Reader, run: str, q: str, answers: Answers) -> tuple[str, InlineKeyboardMarkup]:
    """After a message typed during the check was answered: the check is still there."""
    _ = r.t
    return _open_check(
        r, _("📍 Your check is waiting at question {current} of {total}. Continue it, or leave it?"),
        answers, run, q, button(_("✖️ Cancel the check"), CheckNavCb(action="cancel", run=run, q=q)))


def cancelled_prompt(r: Reader, run: str, q: str, answers: Answers) -> tuple[str, InlineKeyboardMarkup]:
    """/cancel left a side step taken in the middle of the check: the check is still there."""
    _ = r.t
    text, keyboard = waiting_prompt(r, run, q, answers)
    return _("Cancelled.") + "\n\n" + text, keyboard
