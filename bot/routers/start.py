"""/start, /menu, /help, /cancel and the 🏠 Menu button."""

from __future__ import annotations

import html

from aiogram import Router
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.callbacks import HomeCb
from bot.keyboards import main_menu
from bot.replies import show_in_place


def menu_text() -> str:
    return _("What would you like to do?")


def create_router() -> Router:
    router = Router(name=__name__)

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        name = html.escape(message.from_user.first_name) if message.from_user else ""
        await message.answer(
            _(
                "Hello, {name}! I help you cancel a Russian SIM card safely: whether you can, "
                "how, what to bring and what to do first.\n\n"
                "I store only your Telegram id, language, answers and checklist, so that you "
                "can come back later. /privacy tells more, /forget deletes it all."
            ).format(name=name),
            reply_markup=main_menu(),
        )

    @router.message(Command("menu"))
    async def menu(message: Message) -> None:
        await message.answer(menu_text(), reply_markup=main_menu())

    @router.callback_query(HomeCb.filter())
    async def home(query: CallbackQuery, callback_data: HomeCb) -> None:
        await query.answer()
        if callback_data.new:
            await query.message.answer(menu_text(), reply_markup=main_menu())
        else:
            await show_in_place(query.message, menu_text(), main_menu())

    @router.message(Command("help"))
    async def help_(message: Message) -> None:
        await message.answer(
            _(
                "<b>How to use this bot</b>\n"
                "Press the buttons under my messages, or type a question in your own words. "
                "Commands:\n\n"
                "/menu – the main menu\n"
                "/check – can I cancel my SIM? a few questions\n"
                "/checklist – what to do before cancelling\n"
                "/contacts – operator contacts\n"
                "/ask – ask a question\n"
                "/progress – where you are and what to do next\n"
                "/reminders – your reminders\n"
                "/settings – language, time zone, deleting your data\n"
                "/language – change the language\n"
                "/cancel – leave what you are doing (or press ✖️ Cancel)\n"
                "/privacy – what I store and why\n"
                "/forget – delete everything I store about you\n\n"
                "I am not the operator: for anything about your own contract, the operator has "
                "the final word."
            ),
            reply_markup=main_menu(),
        )

    @router.message(Command("cancel"))
    async def cancel(message: Message, state: FSMContext) -> None:
        if await state.get_state() is None:
            text = _("There is nothing to cancel.")
        else:
            await state.clear()
            text = _("Cancelled.")
        await message.answer(f"{text}\n\n{menu_text()}", reply_markup=main_menu())

    return router
