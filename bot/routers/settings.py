"""/settings: the language, the time zone and deleting one's data, in one place. Each
button opens the screen its own flow already has (language, reminders, privacy)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.callbacks import ReminderStepCb, SettingsCb
from bot.keyboards import button
from bot.screens.common import home_button


def settings_screen() -> tuple[str, InlineKeyboardMarkup]:
    return _("⚙️ <b>Settings</b>"), InlineKeyboardMarkup(inline_keyboard=[
        [button(_("🌐 Language"), SettingsCb(action="language"))],
        [button(_("🕒 Time zone"), ReminderStepCb(action="zones", settings=True))],
        [button(_("🗑 Delete my data"), SettingsCb(action="forget"))],
        [home_button()],
    ])


def create_router() -> Router:
    router = Router(name=__name__)

    @router.message(Command("settings"))
    async def settings(message: Message) -> None:
        text, keyboard = settings_screen()
        await message.answer(text, reply_markup=keyboard)

    return router
