"""The check ("can I cancel my SIM?"), its verdict, and /progress.

Transitions, all in this file:
  menu "check"   no check in progress       -> answering, first question (new message)
                 a check in progress        -> prompt: continue / start over
  answer         current run and question   -> next applicable question, edited in place;
                                               after the last one the verdict card (stored
                                               in ``checks``), state cleared
                 an older run or question   -> a polite toast, nothing changes
  back           -> the previous applicable question (answers kept); on the first
                    question, the menu (the check stays, to be continued)
  cancel, /cancel-> state cleared, the menu
  text typed while answering -> answered as outside the check (a question is answered),
                    then continue / cancel the check
  v:<check>:<part> -> a part of the verdict (blockers, steps, bring, before, ways, edit),
                    in place, with ⬅️ back to the card; "show" sends the card anew
  va:<check>:<q> -> that question again, the other answers kept, then the new verdict
/progress, /check and the menu entries "check" and "progress" are here too.

FSM data while answering: ``run`` (a short id of this check, so buttons of an earlier
check are recognised), ``q`` (the question shown) and ``answers``. A side step taken
meanwhile (a reminder, /forget) keeps its own data apart and gives the check back.
"""

from __future__ import annotations

import secrets
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, Filter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from bot.callbacks import AnswerCb, ChangeAnswerCb, CheckNavCb, MenuCb, VerdictCb
from bot.filters import CommandLike
from bot.i18n import reader
from bot.keyboards import main_menu
from bot.replies import replace_with, send_paragraphs, toast
from bot.repositories.checks import ChecksRepository
from bot.screens.check import (
    STALE,
    VerdictView,
    continue_button,
    progress_screen,
    question_screen,
    resume_prompt,
    waiting_prompt,
)
from bot.screens.common import INACTIVE
from bot.screens.menu import cancelled_text, menu_text
from bot.states import Check, CheckData, current_check
from flows.eligibility import (
    assess,
    next_question,
    previous_question,
    progress,
    question,
    record_answer,
)
from flows.operators import Registry


class CurrentQuestion(Filter):
    """The press belongs to the check in progress and, for ``same_question``, to the question
    shown; otherwise the stale-button handler answers it. Gives the handler ``check``."""

    def __init__(self, same_question: bool = True) -> None:
        self.same_question = same_question

    async def __call__(self, query: CallbackQuery, state: FSMContext,
                       callback_data: AnswerCb | CheckNavCb) -> bool | dict[str, Any]:
        data = await current_check(state)
        if data is None or data.run != callback_data.run or (self.same_question and data.q != callback_data.q):
            return False
        return {"check": data}


async def save(state: FSMContext, data: CheckData) -> None:
    await state.set_state(Check.answering)
    await state.set_data(data.model_dump())


async def ask(query: CallbackQuery, state: FSMContext, data: CheckData, operators: Registry) -> None:
    """Store the check and show its question in place of the pressed message."""
    await save(state, data)
    text, keyboard = question_screen(reader(), data.run, question(data.q), data.answers, operators)
    await replace_with(query, [text], keyboard)


def new_check() -> CheckData:
    first = next_question({})
    if first is None:
        raise RuntimeError("the check has no question to start with")
    return CheckData(run=secrets.token_hex(3), q=first.id)


async def open_check(message: Message, state: FSMContext, operators: Registry) -> None:
    data = await current_check(state)
    if data is None:
        data = new_check()
        await save(state, data)
        text, keyboard = question_screen(reader(), data.run, question(data.q), data.answers, operators)
    else:
        text, keyboard = resume_prompt(reader(), data.run, data.q, data.answers)
    await message.answer(text, reply_markup=keyboard)


async def check_entry(query: CallbackQuery, state: FSMContext, operators: Registry) -> None:
    await open_check(query.message, state, operators)


async def check_command(message: Message, state: FSMContext, operators: Registry) -> None:
    await open_check(message, state, operators)


async def resume(query: CallbackQuery, callback_data: CheckNavCb, state: FSMContext, check: CheckData,
                 operators: Registry) -> None:
    await ask(query, state, new_check() if callback_data.action == "restart" else check, operators)


async def answer(query: CallbackQuery, callback_data: AnswerCb, callback_answer: CallbackAnswer, state: FSMContext,
                 check: CheckData, checks: ChecksRepository, operators: Registry) -> None:
    known = question(callback_data.q).option(callback_data.o) is not None or callback_data.o in operators
    try:
        if not known:
            raise ValueError(f"not an option: {callback_data.o}")
        answers = record_answer(check.answers, callback_data.q, callback_data.o)
    except ValueError:
        await toast(query, callback_answer, _(INACTIVE))
        return
    following = next_question(answers)
    if following is not None:
        await ask(query, state, CheckData(run=check.run, q=following.id, answers=answers), operators)
        return
    verdict = assess(answers, operators.get(answers.get("operator", "")))
    check_id = await checks.save(query.from_user.id, answers, verdict.status.name)
    await state.clear()
    text, keyboard = VerdictView(reader(), check_id, answers, operators).card()
    await replace_with(query, [text], keyboard)


async def stale(query: CallbackQuery, callback_answer: CallbackAnswer) -> None:
    await toast(query, callback_answer, _(STALE))


async def verdict_screen(query: CallbackQuery, callback_data: VerdictCb, callback_answer: CallbackAnswer,
                         checks: ChecksRepository, operators: Registry) -> None:
    check = await checks.get(callback_data.check, query.from_user.id)
    view = VerdictView(reader(), check.id, check.answers, operators) if check is not None else None
    part = callback_data.part
    if view is not None and part in ("card", "show"):
        text, keyboard = view.card()
        shown = [text]
    elif view is not None and part in ("ways", "edit"):
        shown, keyboard = view.ways() if part == "ways" else view.change()
    else:
        found = view.part(part) if view is not None else None
        if found is None:
            await toast(query, callback_answer, _(INACTIVE))
            return
        shown, keyboard = found
    if part == "show":
        # Asked for again (from /progress): a verdict is worth keeping, so it comes anew.
        await send_paragraphs(query.message, shown, keyboard)
    else:
        await replace_with(query, shown, keyboard)


async def change_answer(query: CallbackQuery, callback_data: ChangeAnswerCb, callback_answer: CallbackAnswer,
                        state: FSMContext, checks: ChecksRepository, operators: Registry) -> None:
    check = await checks.get(callback_data.check, query.from_user.id)
    if check is None or callback_data.q not in check.answers:
        await toast(query, callback_answer, _(INACTIVE))
        return
    # A check in progress again, on that question, with every other answer kept: once it
    # is answered, only questions it brings back are asked before the verdict.
    await ask(query, state, CheckData(run=secrets.token_hex(3), q=callback_data.q, answers=check.answers), operators)


async def back(query: CallbackQuery, state: FSMContext, check: CheckData, operators: Registry) -> None:
    previous = previous_question(check.answers, check.q)
    if previous is None:
        # Back from the first question leaves to the menu; the check waits there.
        await replace_with(query, [menu_text(reader())], main_menu())
        return
    await ask(query, state, check.model_copy(update={"q": previous.id}), operators)


async def cancel(query: CallbackQuery, state: FSMContext) -> None:
    await state.clear()
    await replace_with(query, [cancelled_text(reader(), True)], main_menu())


async def typed(message: Message, state: FSMContext, **data: Any) -> None:
    # The check pauses: the message is answered as it would be outside the check (a
    # question through the typed-question matcher), then the check is offered again.
    await data["dispatcher"].propagate_event("message", message, **{**data, "state": state, "raw_state": None})
    check = await current_check(state)
    if check is not None:
        text, keyboard = waiting_prompt(reader(), check.run, check.q, check.answers)
        await message.answer(text, reply_markup=keyboard)


async def show_progress(message: Message, user_id: int, state: FSMContext, deps: dict[str, Any]) -> None:
    checks: ChecksRepository = deps["checks"]
    data = await current_check(state)
    pending = await deps["reminders"].pending(user_id)
    r = reader()
    text, keyboard = progress_screen(
        r, in_check=progress(data.answers, data.q) if data is not None else None,
        latest=await checks.latest(user_id), operators=deps["operators"], done=await deps["checklist"].done(user_id),
        next_reminder=pending[0] if pending else None, zone=await deps["users"].time_zone(user_id) or "Etc/UTC",
        now=deps["clock"](), resume=continue_button(r, data.run, data.q) if data is not None else None,
    )
    await message.answer(text, reply_markup=keyboard)


async def progress_command(message: Message, state: FSMContext, **deps: Any) -> None:
    await show_progress(message, message.from_user.id, state, deps)


async def progress_entry(query: CallbackQuery, state: FSMContext, **deps: Any) -> None:
    await show_progress(query.message, query.from_user.id, state, deps)


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(check_entry, MenuCb.filter(F.entry == "check"))
    router.message.register(check_command, Command("check"))
    router.callback_query.register(resume, CheckNavCb.filter(F.action.in_({"continue", "restart"})),
                                   CurrentQuestion(same_question=False))
    router.callback_query.register(answer, AnswerCb.filter(), CurrentQuestion())
    router.callback_query.register(back, CheckNavCb.filter(F.action == "back"), CurrentQuestion())
    router.callback_query.register(cancel, CheckNavCb.filter(F.action == "cancel"), CurrentQuestion())
    # Any other press on a question's buttons belongs to an earlier run or question.
    router.callback_query.register(stale, AnswerCb.filter())
    router.callback_query.register(stale, CheckNavCb.filter())
    router.callback_query.register(verdict_screen, VerdictCb.filter())
    router.callback_query.register(change_answer, ChangeAnswerCb.filter())
    router.message.register(typed, Check.answering, ~CommandLike())
    router.message.register(progress_command, Command("progress"))
    router.callback_query.register(progress_entry, MenuCb.filter(F.entry == "progress"))
    return router
