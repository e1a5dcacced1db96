"""The verdict of a finished check (its short card, each part behind the card's buttons,
the list of answers to change) and the /progress dashboard."""

from __future__ import annotations

from datetime import datetime
from html import escape

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _

from bot.callbacks import ChangeAnswerCb, ChannelCb, ChecklistCb, VerdictCb
from bot.i18n import reader
from bot.keyboards import button, menu_button, operator_button, start_over_button
from bot.repositories.checks import FinishedCheck
from bot.repositories.reminders import Reminder
from bot.screens.common import home_button
from bot.screens.phrases import message_button, store_card_button
from flows.channels import Channel, recommend
from flows.checklist import ITEMS, PROGRESS_TEXT, optional_items
from flows.checklist import progress as checklist_progress
from flows.eligibility import Answers, Status, Verdict, applicable_questions, assess, question
from flows.operators import Operator, Registry
from flows.phrases import someone_else_acts
from flows.reminders import reminder_subject
from flows.texts import N_
from flows.timeparse import format_when
from flows.views import STATUS_SHORT, day, verdict_card, verdict_sections

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

    def __init__(self, check_id: int, answers: Answers, operators: Registry) -> None:
        self.check_id = check_id
        self.answers = answers
        self.operator: Operator | None = operators.get(answers.get("operator", ""))
        self.verdict: Verdict = assess(answers, self.operator)
        self.channels: list[Channel] = recommend(answers, self.operator)
        self.operators = operators
        self.lang = reader().lang

    def sections(self) -> dict[str, list[str]]:
        return verdict_sections(_, self.verdict, self.channels, self.operator, self.lang)

    def card(self) -> tuple[str, InlineKeyboardMarkup]:
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
            rows.append([message_button(who)])
        rows.append([button(_("✏️ Change an answer"), VerdictCb(check=self.check_id, part="edit")),
                     home_button(new=True)])
        text = verdict_card(_, self.verdict, self.channels, self.operator, self.lang)
        return text, InlineKeyboardMarkup(inline_keyboard=rows)

    def back_row(self) -> list:
        return [button(_("⬅️ Back to the verdict"), VerdictCb(check=self.check_id, part="card")), home_button()]

    def part(self, part: str) -> tuple[list[str], InlineKeyboardMarkup] | None:
        """A part of the verdict with a way back to the card; None if it has no such part."""
        paragraphs = self.sections().get(part)
        if paragraphs is None:
            return None
        rows = []
        if part == "steps":
            rows.append([store_card_button()])
            if self.operator is not None:
                rows.append([operator_button(self.operator)])
        if part == "before":
            rows.append([menu_button("checklist")])
        rows.append(self.back_row())
        return paragraphs, InlineKeyboardMarkup(inline_keyboard=rows)

    def ways(self) -> tuple[list[str], InlineKeyboardMarkup]:
        """The other ways, best first; each opens its steps tailored to these answers."""
        rows = [[button(_(c.title), ChannelCb(channel=c.id, check=self.check_id, verdict=True))]
                for c in self.channels[1:]]
        rows.append(self.back_row())
        return [_("<b>Other ways</b>, the better ones first. Press one for its steps.")], \
            InlineKeyboardMarkup(inline_keyboard=rows)

    def answer_label(self, question_id: str) -> str:
        value = self.answers.get(question_id, "")
        if value in self.operators:
            return escape(self.operators[value].name(self.lang))
        option = question(question_id).option(value)
        return _(option.label) if option is not None else "—"

    def change(self) -> tuple[list[str], InlineKeyboardMarkup]:
        """Your answers, numbered; a button per answer opens its question."""
        asked = [q for q in applicable_questions(self.answers) if q.id in self.answers]
        lines = [f"{n}. {_(q.text)}\n    → <b>{self.answer_label(q.id)}</b>"
                 for n, q in enumerate(asked, 1)]
        text = _("✏️ <b>Which answer do you want to change?</b> After it you see the verdict again.")
        buttons = [button(f"✏️ {n}", ChangeAnswerCb(check=self.check_id, q=q.id)) for n, q in enumerate(asked, 1)]
        rows = [buttons[i:i + 3] for i in range(0, len(buttons), 3)]
        rows.append([start_over_button()])
        rows.append(self.back_row())
        return [text, "\n".join(lines)], InlineKeyboardMarkup(inline_keyboard=rows)


def progress_screen(*, in_check: tuple[int, int] | None, latest: FinishedCheck | None, operators: Registry,
                    done: set[str], next_reminder: Reminder | None, zone: str, now: datetime,
                    resume: InlineKeyboardButton | None) -> tuple[str, InlineKeyboardMarkup]:
    """/progress: the last verdict and what still blocks, the checklist, the next reminder,
    and one button for the next step (with the verdict and the menu under it)."""
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
        when = format_when(next_reminder.due_at, zone, now, get_i18n().current_locale, _)
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
        first = menu_button("check")
    elif todo is not None:
        first = button(_("👉 Next: {item}").format(item=_(todo.title)), ChecklistCb(action="item", item=todo.id))
    else:
        steps_label = PART_LABELS["steps"]  # a variable, so that pybabel does not take "steps" for a msgid
        first = button(_(steps_label), VerdictCb(check=latest.id, part="show"))
    rows = [[first]]
    if latest is not None:
        rows.append([button(_("📄 Show the verdict"), VerdictCb(check=latest.id, part="show"))])
    rows.append([home_button()])
    return "\n\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)
