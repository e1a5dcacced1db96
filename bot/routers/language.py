"""/language: switching the language with buttons; the choice is stored on the user."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.callbacks import LanguageCb, MenuCb, SettingsCb
from bot.commands import set_chat_commands
from bot.config import Settings
from bot.keyboards import language_picker, main_menu
from bot.replies import show_in_place
from bot.repositories.users import UsersRepository
from bot.routers.start import menu_text
from flows.locale import LANGUAGE_NAMES, LANGUAGES
from flows.texts import N_

PICKER_PROMPT = N_("Choose your language")


def picker_prompt(i18n: I18n) -> str:
    # Written in all three languages: someone stuck in a language they cannot read must
    # still find their own.
    return "🌐 " + " · ".join(i18n.gettext(PICKER_PROMPT, locale=code) for code in LANGUAGES)


def create_router() -> Router:
    router = Router(name=__name__)

    async def show_picker(message: Message, i18n: I18n) -> None:
        await message.answer(picker_prompt(i18n), reply_markup=language_picker(i18n.current_locale))

    @router.message(Command("language"))
    async def language_command(message: Message, i18n: I18n) -> None:
        await show_picker(message, i18n)

    @router.callback_query(MenuCb.filter(F.entry == "language"))
    async def language_entry(query: CallbackQuery, i18n: I18n) -> None:
        await query.answer()
        await show_picker(query.message, i18n)

    @router.callback_query(SettingsCb.filter(F.action == "language"))
    async def language_from_settings(query: CallbackQuery, i18n: I18n) -> None:
        await query.answer()
        await show_in_place(query.message, picker_prompt(i18n), language_picker(i18n.current_locale))

    @router.callback_query(LanguageCb.filter(F.code.in_(LANGUAGES)))
    async def choose(query: CallbackQuery, callback_data: LanguageCb, i18n: I18n, users: UsersRepository,
                     settings: Settings) -> None:
        user_id = query.from_user.id
        await users.set_language(user_id, callback_data.code)
        await set_chat_commands(query.bot, i18n, user_id, callback_data.code, admin=user_id in settings.admin_ids)
        with i18n.use_locale(callback_data.code):
            await query.answer(_("Language: {name}").format(name=LANGUAGE_NAMES[callback_data.code]))
            # In place: the picker would still mark the old language.
            await show_in_place(query.message, menu_text(), main_menu())

    return router
