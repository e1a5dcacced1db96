"""Typed questions answered from the knowledge base, the "ask" menu entry, and 👍/👎.

Only text sent outside any flow (no FSM state) is taken as a question here; a flow waiting
for a button (the check, a reminder step, /forget) passes typed text on to this router
itself, so a question is answered in any step and never hijacks one.
Decisions are in flows.qa (matching) and flows.questions (what to show); SQL is in
bot.repositories.questions.
"""

from __future__ import annotations

import asyncio
import html
import logging
import sqlite3

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, InaccessibleMessage, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.callbacks import MenuCb, QuestionSectionCb, QuestionTopicCb, QuestionVoteCb
from bot.filters import CommandLike, HasText
from bot.i18n import reader
from bot.keyboards import main_menu
from bot.repositories.questions import QuestionsRepository
from flows.knowledge import Entry
from flows.menu import MAIN_MENU
from flows.operator_texts import contacts_text, sources_text
from flows.operators import Registry
from flows.qa import MatchResult, QAIndex, match
from flows.questions import (
    ASK_EXAMPLES,
    ASK_INTRO,
    ASK_TOPICS,
    FALLBACK_TEXT,
    HELPFUL_PROMPT,
    NOTHING_TO_MATCH,
    SECTION_HEADER,
    SECTION_TITLES,
    Answer,
    Text,
    decide,
    entries_by_id,
    entry_operator,
    follow_up_menu_entry,
    has_contacts_placeholder,
    section_entries,
    unanswered_record,
)
from flows.text import question_excerpts

log = logging.getLogger(__name__)

VOTE_LABELS = {True: "👍", False: "👎"}


def match_message(index: QAIndex, text: str) -> MatchResult:
    """The best match among the parts of the message that may hold the question."""
    results = [match(index, part) for part in question_excerpts(text)]
    return max(results, key=lambda result: (result.confident, result.best.score if result.best else 0.0))


def render(text: Text) -> str:
    return _(text.msgid).format(**{name: html.escape(value) for name, value in text.values.items()})


def answer_text(entry: Entry, operators: Registry) -> str:
    """The translated answer; operator contacts come from the registry, never the msgid.

    The contacts fill the answer's {contacts} placeholder, or follow the answer when the
    answer only points to the operator; the sources close the text either way."""
    body = _(entry.answer)
    operator_id = entry_operator(entry)
    if operator_id is not None and operator_id in operators:
        operator = operators[operator_id]
        card = contacts_text(reader(), operator)
        body = body.format(contacts=card) if has_contacts_placeholder(entry) else f"{body}\n\n{card}"
        body = f"{body}\n{sources_text(reader(), operator, operators)}"
    return f"{body}\n\n<i>{_(HELPFUL_PROMPT)}</i>"


def answer_keyboard(entry: Entry, vote: bool | None = None) -> InlineKeyboardMarkup:
    labels = {item.id: item.label for item in MAIN_MENU}
    rows = []
    target = follow_up_menu_entry(entry)
    if target is not None:
        rows.append([InlineKeyboardButton(text=_(labels[target]), callback_data=MenuCb(entry=target).pack())])
    rows.append([
        InlineKeyboardButton(text=("• " if vote is helpful else "") + label,
                             callback_data=QuestionVoteCb(entry=entry.id, helpful=helpful).pack())
        for helpful, label in VOTE_LABELS.items()
    ])
    ask_label = labels["ask"]  # a variable, so that pybabel does not take "ask" for a msgid
    rows.append([InlineKeyboardButton(text=_(ask_label), callback_data=MenuCb(entry="ask").pack())])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def is_answer_message(message: Message | InaccessibleMessage | None, entry_id: str) -> bool:
    """The pressed message is the answer to ``entry_id``: it carries that answer's vote
    buttons. Telegram reports the message as it is, so forged data on another message
    (the menu, say) cannot store a vote or replace its keyboard."""
    if not isinstance(message, Message) or message.reply_markup is None:
        return False
    votes = {QuestionVoteCb(entry=entry_id, helpful=helpful).pack() for helpful in VOTE_LABELS}
    return any(button.callback_data in votes for row in message.reply_markup.inline_keyboard for button in row)


def topic_buttons(entries: tuple[Entry, ...]) -> list[list[InlineKeyboardButton]]:
    return [[InlineKeyboardButton(text=_(entry.title), callback_data=QuestionTopicCb(entry=entry.id).pack())]
            for entry in entries]


def ask_screen() -> tuple[str, InlineKeyboardMarkup]:
    examples = "\n".join(f"• <i>{_(example)}</i>" for example in ASK_EXAMPLES)
    buttons = [InlineKeyboardButton(text=_(title), callback_data=QuestionSectionCb(section=section).pack())
               for section, title in SECTION_TITLES.items()]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    return f"{_(ASK_INTRO)}\n{examples}\n\n{_(ASK_TOPICS)}", InlineKeyboardMarkup(inline_keyboard=rows)


def create_router() -> Router:
    router = Router(name=__name__)
    entries = entries_by_id()

    async def send_answer(message: Message, entry: Entry, operators: Registry) -> None:
        await message.answer(answer_text(entry, operators), reply_markup=answer_keyboard(entry))

    # Commands go to their own routers; in a state, text belongs to that flow (or the fallback).
    @router.message(StateFilter(None), HasText(), ~CommandLike())
    async def question(message: Message, qa_index: QAIndex, questions: QuestionsRepository,
                       operators: Registry) -> None:
        # In a worker thread: a long text of unknown words takes ~10 ms to match, and the
        # event loop must keep serving everyone else meanwhile.
        result = await asyncio.to_thread(match_message, qa_index, message.text)
        decision = decide(result, entries)
        if isinstance(decision, Answer):
            await send_answer(message, decision.entry, operators)
            return
        if not decision.closest:
            await message.answer(_(NOTHING_TO_MATCH), reply_markup=main_menu())
            return
        keyboard = topic_buttons(decision.closest) + main_menu().inline_keyboard
        await message.answer(_(FALLBACK_TEXT), reply_markup=InlineKeyboardMarkup(inline_keyboard=keyboard))
        # After the reply: the user has their answer even when the database cannot be written.
        try:
            await questions.record_unanswered(unanswered_record(message.text))
        except sqlite3.Error as error:
            log.warning("An unanswered question was not recorded: %s", error)

    @router.callback_query(MenuCb.filter(F.entry == "ask"))
    async def ask(query: CallbackQuery) -> None:
        await query.answer()
        text, keyboard = ask_screen()
        await query.message.answer(text, reply_markup=keyboard)

    @router.callback_query(QuestionSectionCb.filter(F.section.in_(SECTION_TITLES)))
    async def section(query: CallbackQuery, callback_data: QuestionSectionCb) -> None:
        await query.answer()
        header = _(SECTION_HEADER).format(section=html.escape(_(SECTION_TITLES[callback_data.section])))
        keyboard = InlineKeyboardMarkup(inline_keyboard=topic_buttons(section_entries(callback_data.section)))
        await query.message.answer(header, reply_markup=keyboard)

    @router.callback_query(QuestionTopicCb.filter(F.entry.in_(entries)))
    async def topic(query: CallbackQuery, callback_data: QuestionTopicCb, operators: Registry) -> None:
        await query.answer()
        await send_answer(query.message, entries[callback_data.entry], operators)

    @router.callback_query(QuestionVoteCb.filter(F.entry.in_(entries)))
    async def vote(query: CallbackQuery, callback_data: QuestionVoteCb, questions: QuestionsRepository) -> None:
        if not is_answer_message(query.message, callback_data.entry):
            await query.answer(_("This button is no longer active."))
            return
        changed = await questions.vote(query.from_user.id, query.message.message_id, callback_data.entry,
                                       callback_data.helpful)
        await query.answer(_("Thank you! Your vote is noted; you can still change it."))
        if changed and isinstance(query.message, Message):
            await query.message.edit_reply_markup(
                reply_markup=answer_keyboard(entries[callback_data.entry], callback_data.helpful))

    return router
