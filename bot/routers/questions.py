"""Typed questions answered from the knowledge base, the "ask" menu entry, and 👍/👎.

Only text sent outside any flow (no FSM state) is taken as a question here; a flow waiting
for a button (the check, a reminder step, /forget) passes typed text on to this router
itself, so a question is answered in any step and never hijacks one.
Decisions are in flows.qa (reading the question) and flows.questions (what to show); SQL
is in bot.repositories.questions.

What a typed text gets:
| read as                                   | reply                                           |
|-------------------------------------------|-------------------------------------------------|
| an intent, operator named or not needed   | the answer (+ the operator's part), 👍/👎       |
| an intent that depends on the operator    | the answer + "which operator?" buttons          |
| a story with a question in it             | the answer, with the check as first button      |
| a story without a clear question          | the check first, the closest topics, the menu   |
| no confident intent                       | the honest fallback, closest topics, the menu   |
| a greeting, thanks, a time, nothing       | a short word and the menu                       |
"""

from __future__ import annotations

import asyncio
import logging

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.types import CallbackQuery, InaccessibleMessage, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from bot.callbacks import (
    MenuCb,
    QuestionOperatorCb,
    QuestionSectionCb,
    QuestionTopicCb,
    QuestionVoteCb,
)
from bot.db import DATABASE_ERRORS
from bot.filters import CommandLike, HasText
from bot.i18n import reader
from bot.keyboards import main_menu
from bot.replies import show, show_in_place, toast
from bot.repositories.questions import QuestionsRepository
from bot.screens.common import INACTIVE
from bot.screens.questions import (
    VOTE_LABELS,
    answer_screen,
    ask_screen,
    fallback_screen,
    section_screen,
    vote_noted,
    voted_keyboard,
)
from flows.operators import Registry
from flows.qa import QAIndex, match
from flows.questions import (
    NOTHING_TO_MATCH,
    SECTION_TITLES,
    Answer,
    Fallback,
    Reply,
    decide,
    entries_by_id,
    unanswered_record,
)

log = logging.getLogger(__name__)


async def send_answer(message: Message | InaccessibleMessage, answer: Answer, operators: Registry) -> None:
    text, keyboard = answer_screen(reader(), answer, operators)
    await message.answer(text, reply_markup=keyboard)


async def question(message: Message, qa_index: QAIndex, questions: QuestionsRepository, operators: Registry) -> None:
    # In a worker thread: a long text of unknown words takes milliseconds to match, and
    # the event loop must keep serving everyone else meanwhile.
    decision = decide(await asyncio.to_thread(match, qa_index, message.text), entries_by_id(), operators)
    if isinstance(decision, Answer):
        await send_answer(message, decision, operators)
    elif isinstance(decision, Fallback) and decision.closest:
        text, keyboard = fallback_screen(reader(), decision)
        await message.answer(text, reply_markup=keyboard)
        # After the reply: the user has their answer even when the database cannot be written.
        try:
            await questions.record_unanswered(unanswered_record(message.text))
        except DATABASE_ERRORS as error:
            log.warning("An unanswered question was not recorded: %s", error)
    else:  # small talk, a typed time, or nothing readable: nothing worth keeping
        msgid = decision.msgid if isinstance(decision, Reply) else NOTHING_TO_MATCH
        await message.answer(_(msgid), reply_markup=main_menu())


async def ask(query: CallbackQuery) -> None:
    text, keyboard = ask_screen(reader())
    await show(query.message, text, keyboard, in_place=False)


async def ask_command(message: Message) -> None:
    text, keyboard = ask_screen(reader())
    await message.answer(text, reply_markup=keyboard)


async def section(query: CallbackQuery, callback_data: QuestionSectionCb) -> None:
    # Moving between the topics and the sections edits in place; an answer comes anew.
    text, keyboard = section_screen(reader(), callback_data.section)
    await show_in_place(query.message, text, keyboard)


async def sections(query: CallbackQuery) -> None:
    text, keyboard = ask_screen(reader())
    await show_in_place(query.message, text, keyboard)


async def topic(query: CallbackQuery, callback_data: QuestionTopicCb, operators: Registry) -> None:
    entry = entries_by_id()[callback_data.entry]
    await send_answer(query.message, Answer(entry, ask_operator=entry.operator_text is not None), operators)


def known_operator(query: CallbackQuery, callback_data: QuestionOperatorCb, operators: Registry) -> bool:
    # Anything else (a forged or outdated button) is answered by the fallback router.
    return callback_data.op in operators


async def for_operator(query: CallbackQuery, callback_data: QuestionOperatorCb, operators: Registry) -> None:
    await send_answer(query.message, Answer(entries_by_id()[callback_data.entry], callback_data.op), operators)


def is_answer_message(message: Message | InaccessibleMessage | None, entry_id: str) -> bool:
    """The pressed message is the answer to ``entry_id``: it carries that answer's vote
    buttons. Telegram reports the message as it is, so forged data on another message
    (the menu, say) cannot store a vote or replace its keyboard."""
    if not isinstance(message, Message) or message.reply_markup is None:
        return False
    votes = {QuestionVoteCb(entry=entry_id, helpful=helpful).pack() for helpful in VOTE_LABELS}
    return any(button.callback_data in votes for row in message.reply_markup.inline_keyboard for button in row)


async def vote(query: CallbackQuery, callback_data: QuestionVoteCb, callback_answer: CallbackAnswer,
               questions: QuestionsRepository) -> None:
    if not is_answer_message(query.message, callback_data.entry):
        await toast(query, callback_answer, _(INACTIVE))
        return
    changed = await questions.vote(query.from_user.id, query.message.message_id, callback_data.entry,
                                   callback_data.helpful)
    await toast(query, callback_answer, vote_noted(reader()))
    if changed:
        await query.message.edit_reply_markup(
            reply_markup=voted_keyboard(query.message.reply_markup, callback_data.entry, callback_data.helpful))


def create_router() -> Router:
    router = Router(name=__name__)
    entries = entries_by_id()
    with_operator_text = [entry_id for entry_id, entry in entries.items() if entry.operator_text]
    # Commands go to their own routers; in a state, text belongs to that flow (or the fallback).
    router.message.register(question, StateFilter(None), HasText(), ~CommandLike())
    router.callback_query.register(ask, MenuCb.filter(F.entry == "ask"))
    router.callback_query.register(section, QuestionSectionCb.filter(F.section.in_(SECTION_TITLES)))
    router.message.register(ask_command, Command("ask"))
    router.callback_query.register(sections, QuestionSectionCb.filter(F.section == ""))
    router.callback_query.register(topic, QuestionTopicCb.filter(F.entry.in_(entries)))
    router.callback_query.register(for_operator, QuestionOperatorCb.filter(F.entry.in_(with_operator_text)),
                                   known_operator)
    router.callback_query.register(vote, QuestionVoteCb.filter(F.entry.in_(entries)))
    return router
