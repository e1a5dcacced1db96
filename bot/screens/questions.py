"""Typed questions: an answer with its buttons (the operator to choose, the next step, 👍/👎),
the honest fallback, and the /ask screen with its sections."""

from __future__ import annotations

from html import escape

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import (
    QuestionOperatorCb,
    QuestionSectionCb,
    QuestionTopicCb,
    QuestionVoteCb,
)
from bot.keyboards import button, grid, main_menu, menu_button
from bot.screens.common import home_button
from flows.facts import Reader
from flows.knowledge import Entry
from flows.operators import Registry
from flows.questions import (
    ASK_EXAMPLES,
    ASK_INTRO,
    ASK_OPERATOR,
    ASK_TOPICS,
    FALLBACK_TEXT,
    HELPFUL_PROMPT,
    SECTION_HEADER,
    SECTION_TITLES,
    STORY_ANSWER_NOTE,
    STORY_TEXT,
    Answer,
    Fallback,
    follow_up_menu_entry,
    operator_detail,
    section_entries,
)

VOTE_LABELS = {True: "👍", False: "👎"}
OPERATORS_PER_ROW = 3  # six names on one row would be cut off on a phone


def answer_text(r: Reader, answer: Answer, operators: Registry) -> str:
    """The translated answer, the named operator's part from the registry, the vote line."""
    _ = r.t
    parts = [_(answer.entry.answer)]
    if answer.operator is not None and answer.entry.operator_text is not None:
        parts.append(operator_detail(r, answer.entry.operator_text, operators[answer.operator], operators))
    if answer.ask_operator:
        parts.append(_(ASK_OPERATOR))
    if answer.offer_check:
        parts.insert(0, _(STORY_ANSWER_NOTE))
    return "\n\n".join(parts) + f"\n\n<i>{_(HELPFUL_PROMPT)}</i>"


def vote_row(entry_id: str, vote: bool | None = None) -> list[InlineKeyboardButton]:
    return [button(("• " if vote is helpful else "") + label, QuestionVoteCb(entry=entry_id, helpful=helpful))
            for helpful, label in VOTE_LABELS.items()]


def answer_keyboard(r: Reader, answer: Answer, operators: Registry) -> InlineKeyboardMarkup:
    entry = answer.entry
    rows: list[list[InlineKeyboardButton]] = []
    if answer.ask_operator:
        rows += grid([button(op.name(r.lang), QuestionOperatorCb(entry=entry.id, op=op.id))
                      for op in operators.values()], OPERATORS_PER_ROW)
    targets = ["check"] if answer.offer_check else []
    if (target := follow_up_menu_entry(entry)) is not None and target not in targets:
        targets.append(target)
    rows += [[menu_button(r, target)] for target in targets]
    rows.append(vote_row(entry.id))
    # 🏠 as a new message: the answer stays in the chat.
    rows.append([menu_button(r, "ask"), home_button(r, new=True)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def answer_screen(r: Reader, answer: Answer, operators: Registry) -> tuple[str, InlineKeyboardMarkup]:
    return answer_text(r, answer, operators), answer_keyboard(r, answer, operators)


def voted_keyboard(shown: InlineKeyboardMarkup | None, entry_id: str, vote: bool) -> InlineKeyboardMarkup:
    """The answer's keyboard with the vote marked; every other row stays as it was."""
    rows = [row if not any(b.callback_data and b.callback_data.startswith(QuestionVoteCb.__prefix__ + ":")
                           for b in row) else vote_row(entry_id, vote)
            for row in (shown.inline_keyboard if shown else [])]
    return InlineKeyboardMarkup(inline_keyboard=rows or [vote_row(entry_id, vote)])


def topic_buttons(r: Reader, entries: tuple[Entry, ...]) -> list[list[InlineKeyboardButton]]:
    return [[button(r.t(entry.title), QuestionTopicCb(entry=entry.id))] for entry in entries]


def fallback_screen(r: Reader, fallback: Fallback) -> tuple[str, InlineKeyboardMarkup]:
    """No confident answer: the check first for a story, the closest topics, the menu."""
    _ = r.t
    check = [[menu_button(r, "check")]] if fallback.offer_check else []
    keyboard = check + topic_buttons(r, fallback.closest) + main_menu().inline_keyboard
    return _(STORY_TEXT) if fallback.offer_check else _(FALLBACK_TEXT), InlineKeyboardMarkup(inline_keyboard=keyboard)


def ask_screen(r: Reader) -> tuple[str, InlineKeyboardMarkup]:
    _ = r.t
    examples = "\n".join(f"• <i>{_(example)}</i>" for example in ASK_EXAMPLES)
    buttons = [button(_(title), QuestionSectionCb(section=section)) for section, title in SECTION_TITLES.items()]
    rows = [*grid(buttons, 2), [home_button(r)]]
    return f"{_(ASK_INTRO)}\n{examples}\n\n{_(ASK_TOPICS)}", InlineKeyboardMarkup(inline_keyboard=rows)


def section_screen(r: Reader, section: str) -> tuple[str, InlineKeyboardMarkup]:
    _ = r.t
    header = _(SECTION_HEADER).format(section=escape(_(SECTION_TITLES[section])))
    rows = topic_buttons(r, section_entries(section))
    rows.append([button(_("⬅️ Back"), QuestionSectionCb(section="")), home_button(r)])
    return header, InlineKeyboardMarkup(inline_keyboard=rows)


def vote_noted(r: Reader) -> str:
    _ = r.t
    return _("Thank you! Your vote is noted; you can still change it.")
