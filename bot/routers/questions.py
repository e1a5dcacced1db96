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
import html
import logging

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.types import CallbackQuery, InaccessibleMessage, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.callbacks import MenuCb, QuestionOperatorCb, QuestionSectionCb, QuestionTopicCb, QuestionVoteCb
from bot.db import DATABASE_ERRORS
from bot.filters import CommandLike, HasText
from bot.i18n import reader
from bot.keyboards import button, main_menu, menu_button
from bot.replies import show_in_place
from bot.repositories.questions import QuestionsRepository
from bot.screens.common import home_button
from flows.knowledge import Entry
from flows.operators import Registry
from flows.qa import QAIndex, match
from flows.questions import (
    ASK_EXAMPLES,
    ASK_INTRO,
    ASK_OPERATOR,
    ASK_TOPICS,
    FALLBACK_TEXT,
    HELPFUL_PROMPT,
    NOTHING_TO_MATCH,
    SECTION_HEADER,
    SECTION_TITLES,
    STORY_ANSWER_NOTE,
    STORY_TEXT,
    Answer,
    Fallback,
    Reply,
    decide,
    entries_by_id,
    follow_up_menu_entry,
    operator_detail,
    section_entries,
    unanswered_record,
)

log = logging.getLogger(__name__)

VOTE_LABELS = {True: "👍", False: "👎"}
OPERATORS_PER_ROW = 3  # six names on one row would be cut off on a phone


def answer_text(answer: Answer, operators: Registry) -> str:
    """The translated answer, the named operator's part from the registry, the vote line."""
    parts = [_(answer.entry.answer)]
    if answer.operator is not None and answer.entry.operator_text is not None:
        parts.append(operator_detail(reader(), answer.entry.operator_text, operators[answer.operator], operators))
    if answer.ask_operator:
        parts.append(_(ASK_OPERATOR))
    if answer.offer_check:
        parts.insert(0, _(STORY_ANSWER_NOTE))
    return "\n\n".join(parts) + f"\n\n<i>{_(HELPFUL_PROMPT)}</i>"


def answer_keyboard(answer: Answer, operators: Registry,
                    vote: bool | None = None) -> InlineKeyboardMarkup:
    entry = answer.entry
    rows: list[list[InlineKeyboardButton]] = []
    if answer.ask_operator:
        lang = reader().lang
        buttons = [button(op.name(lang), QuestionOperatorCb(entry=entry.id, op=op.id))
                   for op in operators.values()]
        rows += [buttons[i:i + OPERATORS_PER_ROW] for i in range(0, len(buttons), OPERATORS_PER_ROW)]
    targets = ["check"] if answer.offer_check else []
    if (target := follow_up_menu_entry(entry)) is not None and target not in targets:
        targets.append(target)
    rows += [[menu_button(target)] for target in targets]
    rows.append([
        button(("• " if vote is helpful else "") + label, QuestionVoteCb(entry=entry.id, helpful=helpful))
        for helpful, label in VOTE_LABELS.items()
    ])
    # 🏠 as a new message: the answer stays in the chat.
    rows.append([menu_button("ask"), home_button(new=True)])
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
    return [[button(_(entry.title), QuestionTopicCb(entry=entry.id))] for entry in entries]


def ask_screen() -> tuple[str, InlineKeyboardMarkup]:
    examples = "\n".join(f"• <i>{_(example)}</i>" for example in ASK_EXAMPLES)
    buttons = [button(_(title), QuestionSectionCb(section=section)) for section, title in SECTION_TITLES.items()]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    rows.append([home_button()])
    return f"{_(ASK_INTRO)}\n{examples}\n\n{_(ASK_TOPICS)}", InlineKeyboardMarkup(inline_keyboard=rows)


def create_router() -> Router:
    router = Router(name=__name__)
    entries = entries_by_id()

    async def send_answer(message: Message, answer: Answer, operators: Registry) -> None:
        await message.answer(answer_text(answer, operators), reply_markup=answer_keyboard(answer, operators))

    async def send_fallback(message: Message, fallback: Fallback) -> None:
        check = [[menu_button("check")]] if fallback.offer_check else []
        keyboard = check + topic_buttons(fallback.closest) + main_menu().inline_keyboard
        text = _(STORY_TEXT) if fallback.offer_check else _(FALLBACK_TEXT)
        await message.answer(text, reply_markup=InlineKeyboardMarkup(inline_keyboard=keyboard))

    def topic_answer(entry: Entry) -> Answer:
        return Answer(entry, ask_operator=entry.operator_text is not None)

    # Commands go to their own routers; in a state, text belongs to that flow (or the fallback).
    @router.message(StateFilter(None), HasText(), ~CommandLike())
    async def question(message: Message, qa_index: QAIndex, questions: QuestionsRepository,
                       operators: Registry) -> None:
        # In a worker thread: a long text of unknown words takes milliseconds to match, and
        # the event loop must keep serving everyone else meanwhile.
        decision = decide(await asyncio.to_thread(match, qa_index, message.text), entries, operators)
        if isinstance(decision, Answer):
            await send_answer(message, decision, operators)
        elif isinstance(decision, Fallback) and decision.closest:
            await send_fallback(message, decision)
            # After the reply: the user has their answer even when the database cannot be written.
            try:
                await questions.record_unanswered(unanswered_record(message.text))
            except DATABASE_ERRORS as error:
                log.warning("An unanswered question was not recorded: %s", error)
        else:  # small talk, a typed time, or nothing readable: nothing worth keeping
            msgid = decision.msgid if isinstance(decision, Reply) else NOTHING_TO_MATCH
            await message.answer(_(msgid), reply_markup=main_menu())

    @router.callback_query(MenuCb.filter(F.entry == "ask"))
    async def ask(query: CallbackQuery) -> None:
        await query.answer()
        text, keyboard = ask_screen()
        await query.message.answer(text, reply_markup=keyboard)

    @router.callback_query(QuestionSectionCb.filter(F.section.in_(SECTION_TITLES)))
    async def section(query: CallbackQuery, callback_data: QuestionSectionCb) -> None:
        await query.answer()
        header = _(SECTION_HEADER).format(section=html.escape(_(SECTION_TITLES[callback_data.section])))
        rows = topic_buttons(section_entries(callback_data.section))
        rows.append([button(_("⬅️ Back"), QuestionSectionCb(section="")), home_button()])
        # Moving between the topics and the sections edits in place; an answer comes anew.
        await show_in_place(query.message, header, InlineKeyboardMarkup(inline_keyboard=rows))

    @router.message(Command("ask"))
    async def ask_command(message: Message) -> None:
        text, keyboard = ask_screen()
        await message.answer(text, reply_markup=keyboard)

    @router.callback_query(QuestionSectionCb.filter(F.section == ""))
    async def sections(query: CallbackQuery) -> None:
        await query.answer()
        text, keyboard = ask_screen()
        await show_in_place(query.message, text, keyboard)

    @router.callback_query(QuestionTopicCb.filter(F.entry.in_(entries)))
    async def topic(query: CallbackQuery, callback_data: QuestionTopicCb, operators: Registry) -> None:
        await query.answer()
        await send_answer(query.message, topic_answer(entries[callback_data.entry]), operators)

    def known_operator(query: CallbackQuery, callback_data: QuestionOperatorCb,
                       operators: Registry) -> bool:
        # Anything else (a forged or outdated button) is answered by the fallback router.
        return callback_data.op in operators

    with_operator_text = [entry_id for entry_id, entry in entries.items() if entry.operator_text]

    @router.callback_query(QuestionOperatorCb.filter(F.entry.in_(with_operator_text)), known_operator)
    async def for_operator(query: CallbackQuery, callback_data: QuestionOperatorCb,
                           operators: Registry) -> None:
        await query.answer()
        await send_answer(query.message, Answer(entries[callback_data.entry], callback_data.op), operators)

    @router.callback_query(QuestionVoteCb.filter(F.entry.in_(entries)))
    async def vote(query: CallbackQuery, callback_data: QuestionVoteCb, questions: QuestionsRepository,
                   operators: Registry) -> None:
        if not is_answer_message(query.message, callback_data.entry):
            await query.answer(_("This button is no longer active."))
            return
        changed = await questions.vote(query.from_user.id, query.message.message_id, callback_data.entry,
                                       callback_data.helpful)
        await query.answer(_("Thank you! Your vote is noted; you can still change it."))
        if changed and isinstance(query.message, Message):
            # The vote row is the last but one: keep every other row of the answer as it was.
            rows = list(query.message.reply_markup.inline_keyboard) if query.message.reply_markup else []
            fresh = answer_keyboard(Answer(entries[callback_data.entry]), operators, callback_data.helpful)
            if len(rows) >= 2:
                rows[-2] = fresh.inline_keyboard[-2]
            else:
                rows = fresh.inline_keyboard
            await query.message.edit_reply_markup(reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))

    return router
