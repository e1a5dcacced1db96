"""The check ("can I cancel my SIM?"), its verdict, and /progress.

Transitions, all in this file:
  menu "check"   no check in progress       -> answering, first question (new message)
                 a check in progress        -> prompt: continue / start over
  answer         current run and question   -> next applicable question, edited in place;
                                               after the last one the verdict (stored in
                                               ``checks``), state cleared
                 an older run or question   -> a polite toast, nothing changes
  back           -> the previous applicable question (answers kept); on the first
                    question, the menu (the check stays, to be continued)
  cancel, /cancel-> state cleared, the menu
  text typed while answering -> a hint and the same question again

FSM data while answering: ``run`` (a short id of this check, so buttons of an earlier
check are recognised), ``q`` (the question shown) and ``answers``.
"""

from __future__ import annotations

import secrets

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

from bot.callbacks import AnswerCb, ChannelCb, CheckNavCb, MenuCb
from bot.filters import CommandLike
from bot.i18n import reader
from bot.keyboards import (
    button,
    column,
    main_menu,
    menu_button,
    operator_button,
    start_over_button,
)
from bot.replies import replace_with, send_paragraphs
from bot.repositories.checks import ChecksRepository
from bot.routers.start import menu_text
from flows.channels import Channel, recommend
from flows.eligibility import (
    Question,
    Status,
    assess,
    next_question,
    previous_question,
    progress,
    question,
    record_answer,
    resume_question,
)
from flows.operators import Operator, Registry
from flows.texts import N_
from flows.views import STATUS_SHORT, day, question_text, verdict_paragraphs

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


def verdict_keyboard(channels: list[Channel], check_id: int, operator: Operator | None) -> InlineKeyboardMarkup:
    # The best channel is already in the verdict; the others are a press away.
    buttons = [button(_(c.title), ChannelCb(channel=c.id, check=check_id, verdict=True)) for c in channels[1:]]
    buttons.append(menu_button("checklist"))
    if operator is not None:
        buttons.append(operator_button(operator))
    buttons.append(start_over_button())
    return column(buttons)


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

    @router.callback_query(MenuCb.filter(F.entry == "check"))
    async def check_entry(query: CallbackQuery, state: FSMContext, operators: Registry) -> None:
        await query.answer()
        data = await current_check(state)
        if data is None:
            data = new_check()
            await save(state, data)
            text, keyboard = question_view(data, operators)
            await query.message.answer(text, reply_markup=keyboard)
            return
        current, total = progress(data.answers, data.q)
        await query.message.answer(
            _("You have a check in progress, at question {current} of {total}. Continue it, or start over?")
            .format(current=current, total=total),
            reply_markup=resume_keyboard(data),
        )

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
        channels = recommend(answers, operator)
        await replace_with(
            query,
            verdict_paragraphs(_, verdict, channels, operator, reader().lang),
            verdict_keyboard(channels, check_id, operator),
        )

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
    async def typed(message: Message, state: FSMContext, operators: Registry) -> None:
        data = await current_check(state)
        if data is None:
            await message.answer(menu_text(), reply_markup=main_menu())
            return
        text, keyboard = question_view(data, operators)
        hint = _("Please answer with the buttons under the question.")
        await message.answer(f"{hint}\n\n{text}", reply_markup=keyboard)

    async def show_progress(message: Message, user_id: int, state: FSMContext, checks: ChecksRepository) -> None:
        data = await current_check(state)
        latest = await checks.latest(user_id)
        buttons: list[InlineKeyboardButton] = []
        lines = []
        if data is not None:
            current, total = progress(data.answers, data.q)
            lines.append(_("📍 You are in the check, at question {current} of {total}.")
                         .format(current=current, total=total))
            buttons.append(continue_button(data))
        if latest is not None:
            lines.append(_("📍 Your last check, on {date}:").format(date=day(latest.finished_at)))
            if latest.status in Status.__members__:
                lines[-1] += "\n" + _(STATUS_SHORT[Status[latest.status]])
            if data is None:
                lines.append(_("Next: follow the steps of the way that fits you, and the checklist."))
                buttons += [menu_button("howto"), menu_button("checklist"), start_over_button()]
        if data is None and latest is None:
            lines.append(_("📍 You have not started the check yet."))
            lines.append(_("Next: the check, a few questions that show whether and how you can cancel."))
            buttons.append(menu_button("check"))
        await send_paragraphs(message, lines, column(buttons))

    @router.message(Command("progress"))
    async def progress_command(message: Message, state: FSMContext, checks: ChecksRepository) -> None:
        await show_progress(message, message.from_user.id, state, checks)

    @router.callback_query(MenuCb.filter(F.entry == "progress"))
    async def progress_entry(query: CallbackQuery, state: FSMContext, checks: ChecksRepository) -> None:
        await query.answer()
        await show_progress(query.message, query.from_user.id, state, checks)

    return router
