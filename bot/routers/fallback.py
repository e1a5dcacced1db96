"""Whatever no flow understood: a short answer in the user's language, and the menu.

Nothing is dropped and the user's place in a flow is kept: the answer only points back.
Text outside any flow is a question for bot.routers.questions; text reaching this router
was typed while a flow waits for a button.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.filters import CommandLike, HasText
from bot.keyboards import main_menu
from bot.routers.start import menu_text


def create_router() -> Router:
    router = Router(name=__name__)

    @router.message(CommandLike())
    async def unknown_command(message: Message) -> None:
        await message.answer(
            _("I don't know that command. /help lists the ones I have.") + "\n\n" + menu_text(),
            reply_markup=main_menu(),
        )

    @router.message(HasText())
    async def text_mid_step(message: Message) -> None:
        await message.answer(
            _(
                "I am waiting for you to press a button under my last question. Press one, "
                "or send /cancel to leave that step; then you can type any question."
            )
            + "\n\n"
            + menu_text(),
            reply_markup=main_menu(),
        )

    @router.message()
    async def not_text(message: Message) -> None:
        await message.answer(
            _("I can read only text and buttons, not stickers, photos, voice or files.")
            + "\n\n"
            + menu_text(),
            reply_markup=main_menu(),
        )

    @router.callback_query()
    async def stale_button(query: CallbackQuery) -> None:
        await query.answer(_("This button is no longer active."))
        if query.message is not None:
            await query.message.answer(menu_text(), reply_markup=main_menu())

    return router
