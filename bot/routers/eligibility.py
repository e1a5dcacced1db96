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
check are recognised), ``q`` (the question shown) and ``answers``.
"""

from __future__ import annotations

import secrets
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.i18n import gettext as _
from pydantic import BaseModel, ValidationError

from bot.callbacks import AnswerCb, ChangeAnswerCb, CheckNavCb, MenuCb, VerdictCb
from bot.filters import CommandLike
from bot.i18n import reader
from bot.keyboards import button, main_menu
from bot.replies import replace_with, send_paragraphs
from bot.repositories.checks import ChecksRepository
from bot.routers.start import menu_text
from bot.screens.check import VerdictView, progress_screen
from flows.eligibility import (
    Question,
    assess,
    next_question,
    previous_question,
    progress,
    question,
    record_answer,
    resume_question,
)
from flows.operators import Registry
from flows.texts import N_
from flows.views import question_text

STALE = N_("This button belongs to an earlier question, so nothing was changed. Please use the latest question.")
INACTIVE = N_("This button is no longer active.")


class Check(StatesGroup):
    answering = State()


class CheckData(BaseModel):
    """The FSM data of a check in progress."""

    run: str
    q: str
    answers: dict[str, str] = {}


async def current_check(state: FSMContext) -> CheckData | None:
    """The check in progress, positioned on a question that applies; None if there is none."""
    if await state.get_state() != Check.answering.state:
        return None
    try:
        data = CheckData.model_validate(await state.get_data())
    except ValidationError:
        return None
    return data.model_copy(update={"q": resume_question(data.answers, data.q).id})


async def save(state: FSMContext, data: CheckData) -> None:
    await state.set_state(Check.answering)
    await state.set_data(data.model_dump())


def option_labels(q: Question, operators: Registry) -> list[tuple[str, str]]:
    """(option id, label) in display order; the operator question lists the registry first."""
    labels = []
    if q.lists_operators:
        lang = reader().lang
        labels += [(op.id, op.name(lang)) for op in operators.values()]
    return labels + [(option.id, _(option.label)) for option in q.options]


def question_keyboard(data: CheckData, q: Question, operators: Registry) -> InlineKeyboardMarkup:
    rows = [
        # After Back, the answer given before is marked, so the user sees what they chose.
        [button(("✓ " if data.answers.get(q.id) == option_id else "") + label,
                AnswerCb(run=data.run, q=q.id, o=option_id))]
        for option_id, label in option_labels(q, operators)
    ]
    rows.append([
        button(_("⬅️ Back"), CheckNavCb(action="back", run=data.run, q=q.id)),
        button(_("✖️ Cancel"), CheckNavCb(action="cancel", run=data.run, q=q.id)),
    ])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def question_view(data: CheckData, operators: Registry) -> tuple[str, InlineKeyboardMarkup]:
    q = question(data.q)
    return question_text(_, data.answers, q), question_keyboard(data, q, operators)


def continue_button(data: CheckData) -> InlineKeyboardButton:
    return button(_("▶️ Continue"), CheckNavCb(action="continue", run=data.run, q=data.q))


def resume_keyboard(data: CheckData) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[
        continue_button(data),
        button(_("🔄 Start over"), CheckNavCb(action="restart", run=data.run, q=data.q)),
    ]])


def new_check() -> CheckData:
    first = next_question({})
    assert first is not None  # the questionnaire is never empty
    return CheckData(run=secrets.token_hex(3), q=first.id)


def create_router() -> Router:
    router = Router(name=__name__)

    async def open_check(message: Message, state: FSMContext, operators: Registry) -> None:
        data = await current_check(state)
        if data is None:
            data = new_check()
            await save(state, data)
            text, keyboard = question_view(data, operators)
            await message.answer(text, reply_markup=keyboard)
            return
        current, total = progress(data.answers, data.q)
        await message.answer(
            _("You have a check in progress, at question {current} of {total}. Continue it, or start over?")
            .format(current=current, total=total),
            reply_markup=resume_keyboard(data),
        )

    @router.callback_query(MenuCb.filter(F.entry == "check"))
    async def check_entry(query: CallbackQuery, state: FSMContext, operators: Registry) -> None:
        await query.answer()
        await open_check(query.message, state, operators)

    @router.message(Command("check"))
    async def check_command(message: Message, state: FSMContext, operators: Registry) -> None:
        await open_check(message, state, operators)

    @router.callback_query(CheckNavCb.filter(F.action.in_({"continue", "restart"})))
    async def resume(query: CallbackQuery, callback_data: CheckNavCb, state: FSMContext, operators: Registry) -> None:
        data = await current_check(state)
        if data is None or data.run != callback_data.run:
            await query.answer(_(STALE))
            return
        await query.answer()
        if callback_data.action == "restart":
            data = new_check()
        await save(state, data)
        text, keyboard = question_view(data, operators)
        await replace_with(query, [text], keyboard)

    @router.callback_query(AnswerCb.filter())
    async def answer(
        query: CallbackQuery,
        callback_data: AnswerCb,
        state: FSMContext,
        checks: ChecksRepository,
        operators: Registry,
    ) -> None:
        data = await current_check(state)
        if data is None or (data.run, data.q) != (callback_data.run, callback_data.q):
            await query.answer(_(STALE))
            return
        known = question(callback_data.q).option(callback_data.o) is not None or callback_data.o in operators
        try:
            if not known:
                raise ValueError(f"not an option: {callback_data.o}")
            answers = record_answer(data.answers, callback_data.q, callback_data.o)
        except ValueError:
            await query.answer(_(INACTIVE))
            return
        await query.answer()
        following = next_question(answers)
        if following is not None:
            data = CheckData(run=data.run, q=following.id, answers=answers)
            await save(state, data)
            text, keyboard = question_view(data, operators)
            await replace_with(query, [text], keyboard)
            return
        operator = operators.get(answers.get("operator", ""))
        verdict = assess(answers, operator)
        check_id = await checks.save(query.from_user.id, answers, verdict.status.name)
        await state.clear()
        text, keyboard = VerdictView(check_id, answers, operators).card()
        await replace_with(query, [text], keyboard)

    @router.callback_query(VerdictCb.filter())
    async def verdict_screen(query: CallbackQuery, callback_data: VerdictCb, checks: ChecksRepository,
                             operators: Registry) -> None:
        check = await checks.get(callback_data.check, query.from_user.id)
        view = VerdictView(check.id, check.answers, operators) if check is not None else None
        part = callback_data.part
        if view is not None and part in ("card", "show"):
            text, keyboard = view.card()
            shown = [text]
        elif view is not None and part in ("ways", "edit"):
            shown, keyboard = view.ways() if part == "ways" else view.change()
        else:
            found = view.part(part) if view is not None else None
            if found is None:
                await query.answer(_(INACTIVE))
                return
            shown, keyboard = found
        await query.answer()
        if part == "show":
            # Asked for again (from /progress): a verdict is worth keeping, so it comes anew.
            await send_paragraphs(query.message, shown, keyboard)
        else:
            await replace_with(query, shown, keyboard)

    @router.callback_query(ChangeAnswerCb.filter())
    async def change_answer(query: CallbackQuery, callback_data: ChangeAnswerCb, state: FSMContext,
                            checks: ChecksRepository, operators: Registry) -> None:
        check = await checks.get(callback_data.check, query.from_user.id)
        if check is None or callback_data.q not in check.answers:
            await query.answer(_(INACTIVE))
            return
        await query.answer()
        # A check in progress again, on that question, with every other answer kept: once it
        # is answered, only questions it brings back are asked before the verdict.
        data = CheckData(run=secrets.token_hex(3), q=callback_data.q, answers=check.answers)
        await save(state, data)
        text, keyboard = question_view(data, operators)
        await replace_with(query, [text], keyboard)

    @router.callback_query(CheckNavCb.filter(F.action == "back"))
    async def back(query: CallbackQuery, callback_data: CheckNavCb, state: FSMContext, operators: Registry) -> None:
        data = await current_check(state)
        if data is None or (data.run, data.q) != (callback_data.run, callback_data.q):
            await query.answer(_(STALE))
            return
        await query.answer()
        previous = previous_question(data.answers, data.q)
        if previous is None:
            # Back from the first question leaves to the menu; the check waits there.
            await replace_with(query, [menu_text()], main_menu())
            return
        data = data.model_copy(update={"q": previous.id})
        await save(state, data)
        text, keyboard = question_view(data, operators)
        await replace_with(query, [text], keyboard)

    @router.callback_query(CheckNavCb.filter(F.action == "cancel"))
    async def cancel(query: CallbackQuery, callback_data: CheckNavCb, state: FSMContext) -> None:
        data = await current_check(state)
        if data is None or (data.run, data.q) != (callback_data.run, callback_data.q):
            await query.answer(_(STALE))
            return
        await state.clear()
        await query.answer()
        await replace_with(query, [_("Cancelled.") + "\n\n" + menu_text()], main_menu())

    @router.message(Check.answering, ~CommandLike())
    async def typed(message: Message, state: FSMContext, **data: Any) -> None:
        # The check pauses: the message is answered as it would be outside the check (a
        # question through the typed-question matcher), then the check is offered again.
        await data["dispatcher"].propagate_event("message", message, **{**data, "state": state, "raw_state": None})
        check = await current_check(state)
        if check is None:
            return
        current, total = progress(check.answers, check.q)
        await message.answer(
            _("📍 Your check is waiting at question {current} of {total}. Continue it, or leave it?")
            .format(current=current, total=total),
            reply_markup=InlineKeyboardMarkup(inline_keyboard=[[
                continue_button(check),
                button(_("✖️ Cancel the check"), CheckNavCb(action="cancel", run=check.run, q=check.q)),
            ]]),
        )

    async def show_progress(message: Message, user_id: int, state: FSMContext, deps: dict[str, Any]) -> None:
        checks: ChecksRepository = deps["checks"]
        data = await current_check(state)
        latest = await checks.latest(user_id)
        done = await deps["checklist"].done(user_id)
        pending = await deps["reminders"].pending(user_id)
        zone = await deps["users"].time_zone(user_id) or "Etc/UTC"
        text, keyboard = progress_screen(
            in_check=progress(data.answers, data.q) if data is not None else None,
            latest=latest, operators=deps["operators"], done=done, next_reminder=pending[0] if pending else None, zone=zone,
            now=deps["clock"](), resume=continue_button(data) if data is not None else None,
        )
        await message.answer(text, reply_markup=keyboard)

    @router.message(Command("progress"))
    async def progress_command(message: Message, state: FSMContext, **deps: Any) -> None:
        await show_progress(message, message.from_user.id, state, deps)

    @router.callback_query(MenuCb.filter(F.entry == "progress"))
    async def progress_entry(query: CallbackQuery, state: FSMContext, **deps: Any) -> None:
        await query.answer()
        await show_progress(query.message, query.from_user.id, state, deps)

    return router
