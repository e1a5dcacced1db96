"""Whatever no flow understood: a short answer in the user's language, and the menu.

Nothing is dropped and the user's place in a flow is kept: the answer only points back.
Text outside any flow is a question for the questions router; text reaching this router
was typed while a flow waits for a button.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from bot.filters import CommandLike, HasText
from bot.i18n import reader
from bot.keyboards import main_menu
from bot.replies import toast
from bot.screens.common import INACTIVE
from bot.screens.menu import menu_text, not_text, text_mid_step, unknown_command_text


async def unknown_command(message: Message) -> None:
    await message.answer(unknown_command_text(reader()), reply_markup=main_menu())


async def typed_mid_step(message: Message) -> None:
    await message.answer(text_mid_step(reader()), reply_markup=main_menu())


async def not_readable(message: Message) -> None:
    await message.answer(not_text(reader()), reply_markup=main_menu())


async def stale_button(query: CallbackQuery, callback_answer: CallbackAnswer) -> None:
    await toast(query, callback_answer, _(INACTIVE))
    if query.message is not None:
        await query.message.answer(menu_text(reader()), reply_markup=main_menu())


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(unknown_command, CommandLike())
    router.message.register(typed_mid_step, HasText())
    router.message.register(not_readable)
    router.callback_query.register(stale_button)
    return router
