"""/privacy and /forget: what is stored, and deleting all of it."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.callbacks import ForgetCb, SettingsCb
from bot.i18n import reader
from bot.keyboards import main_menu
from bot.replies import show
from bot.repositories.users import UsersRepository
from bot.screens.privacy import forget_question, forgotten_text, kept_text, privacy_text
from bot.states import Forget, enter_side_step, leave_side_step


async def privacy(message: Message) -> None:
    await message.answer(privacy_text(reader()), reply_markup=main_menu())


async def ask_forget(message: Message, state: FSMContext, in_place: bool) -> None:
    # A side step: "keep" gives back where the user was (a check half answered must
    # survive a /forget the user thinks better of).
    await enter_side_step(state, Forget.confirming)
    text, keyboard = forget_question(reader())
    await show(message, text, keyboard, in_place=in_place)


async def forget(message: Message, state: FSMContext) -> None:
    await ask_forget(message, state, in_place=False)


async def forget_from_settings(query: CallbackQuery, state: FSMContext) -> None:
    await ask_forget(query.message, state, in_place=True)


async def confirmed(query: CallbackQuery, state: FSMContext, users: UsersRepository) -> None:
    # Cleared through the storage first, so that no storage cache outlives the rows.
    await state.clear()
    await users.forget(query.from_user.id)
    # In place if it can be: the message may be too old to edit; the user still learns it is done.
    await show(query.message, forgotten_text(reader()), in_place=True)


async def kept(query: CallbackQuery, state: FSMContext) -> None:
    await leave_side_step(state, Forget.confirming.state)
    await show(query.message, kept_text(reader()), main_menu(), in_place=True)


async def typed_instead(message: Message, state: FSMContext, **data: Any) -> None:
    # Typing instead of confirming: nothing is deleted, and the message is taken as it
    # would have been without /forget (a question is answered, a check goes on).
    restored = await leave_side_step(state, Forget.confirming.state)
    await data["dispatcher"].propagate_event("message", message, **{**data, "state": state, "raw_state": restored})


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(privacy, Command("privacy"))
    router.message.register(forget, Command("forget"))
    router.callback_query.register(forget_from_settings, SettingsCb.filter(F.action == "forget"))
    router.callback_query.register(confirmed, StateFilter(Forget.confirming), ForgetCb.filter(F.confirm))
    router.callback_query.register(kept, StateFilter(Forget.confirming), ForgetCb.filter(~F.confirm))
    router.message.register(typed_instead, StateFilter(Forget.confirming))
    return router
