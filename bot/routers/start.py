"""/start, /menu, /help, /cancel and the 🏠 Menu button."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.callbacks import HomeCb
from bot.i18n import reader
from bot.keyboards import main_menu
from bot.replies import show_in_place
from bot.screens.check import cancelled_prompt
from bot.screens.menu import cancelled_text, help_text, menu_text, welcome_text
from bot.states import current_check, leave_side_step


async def start(message: Message) -> None:
    name = message.from_user.first_name if message.from_user else ""
    await message.answer(welcome_text(reader(), name), reply_markup=main_menu())


async def menu(message: Message) -> None:
    await message.answer(menu_text(reader()), reply_markup=main_menu())


async def home(query: CallbackQuery, callback_data: HomeCb) -> None:
    if callback_data.new:
        await query.message.answer(menu_text(reader()), reply_markup=main_menu())
    else:
        await show_in_place(query.message, menu_text(reader()), main_menu())


async def help_(message: Message) -> None:
    await message.answer(help_text(reader()), reply_markup=main_menu())


async def cancel(message: Message, state: FSMContext) -> None:
    current = await state.get_state()
    if current is not None:
        # A side step (a reminder's time, /forget) gives back what it interrupted, such as a
        # check half answered; anything else is left for good.
        if await leave_side_step(state, current) == current:
            await state.clear()
        elif (check := await current_check(state)) is not None:
            text, keyboard = cancelled_prompt(reader(), check.run, check.q, check.answers)
            await message.answer(text, reply_markup=keyboard)
            return
    await message.answer(cancelled_text(reader(), current is not None), reply_markup=main_menu())


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(start, CommandStart())
    router.message.register(menu, Command("menu"))
    router.callback_query.register(home, HomeCb.filter())
    router.message.register(help_, Command("help"))
    router.message.register(cancel, Command("cancel"))
    return router
