"""/language: switching the language with buttons; the choice is stored on the user."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.callbacks import LanguageCb, MenuCb
from bot.keyboards import language_picker, main_menu
from bot.repositories.users import UsersRepository
from bot.routers.start import menu_text
from flows.locale import LANGUAGE_NAMES, LANGUAGES
from flows.texts import N_

PICKER_PROMPT = N_("Choose your language")


def create_router() -> Router:
    router = Router(name=__name__)

    async def show_picker(message: Message, i18n: I18n) -> None:
        # Written in all three languages: someone stuck in a language they cannot read must
        # still find their own.
        prompt = " · ".join(i18n.gettext(PICKER_PROMPT, locale=code) for code in LANGUAGES)
        await message.answer(f"🌐 {prompt}", reply_markup=language_picker(i18n.current_locale))

    @router.message(Command("language"))
    async def language_command(message: Message, i18n: I18n) -> None:
        await show_picker(message, i18n)

    @router.callback_query(MenuCb.filter(F.entry == "language"))
    async def language_entry(query: CallbackQuery, i18n: I18n) -> None:
        await query.answer()
        await show_picker(query.message, i18n)

    @router.callback_query(LanguageCb.filter(F.code.in_(LANGUAGES)))
    async def choose(query: CallbackQuery, callback_data: LanguageCb, i18n: I18n, users: UsersRepository) -> None:
        await users.set_language(query.from_user.id, callback_data.code)
        with i18n.use_locale(callback_data.code):
            await query.answer(_("Language: {name}").format(name=LANGUAGE_NAMES[callback_data.code]))
            await query.message.answer(menu_text(), reply_markup=main_menu())

    return router
