"""/language: switching the language with buttons; the choice is stored on the user."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n

from bot.callbacks import LanguageCb, MenuCb, SettingsCb
from bot.commands import set_chat_commands
from bot.config import Settings
from bot.i18n import reader
from bot.keyboards import language_picker, main_menu
from bot.replies import show, show_in_place, toast
from bot.repositories.users import UsersRepository
from bot.screens.menu import menu_text
from bot.screens.settings import language_chosen, picker_prompt
from flows.locale import LANGUAGES


async def language_command(message: Message, i18n: I18n) -> None:
    await show(message, picker_prompt(i18n), language_picker(i18n.current_locale), in_place=False)


async def language_entry(query: CallbackQuery, i18n: I18n) -> None:
    await show(query.message, picker_prompt(i18n), language_picker(i18n.current_locale), in_place=False)


async def language_from_settings(query: CallbackQuery, i18n: I18n) -> None:
    await show(query.message, picker_prompt(i18n), language_picker(i18n.current_locale), in_place=True)


async def choose(query: CallbackQuery, callback_data: LanguageCb, callback_answer: CallbackAnswer, i18n: I18n,
                 users: UsersRepository, settings: Settings) -> None:
    user_id = query.from_user.id
    await users.set_language(user_id, callback_data.code)
    await set_chat_commands(query.bot, i18n, user_id, callback_data.code, admin=user_id in settings.admin_ids)
    with i18n.use_locale(callback_data.code):
        await toast(query, callback_answer, language_chosen(reader(), callback_data.code))
        # In place: the picker would still mark the old language.
        await show_in_place(query.message, menu_text(reader()), main_menu())


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(language_command, Command("language"))
    router.callback_query.register(language_entry, MenuCb.filter(F.entry == "language"))
    router.callback_query.register(language_from_settings, SettingsCb.filter(F.action == "language"))
    router.callback_query.register(choose, LanguageCb.filter(F.code.in_(LANGUAGES)))
    return router
