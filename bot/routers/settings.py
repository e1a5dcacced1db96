"""/settings: the language, the time zone and deleting one's data, in one place. Each
button opens the screen its own flow already has (language, reminders, privacy)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.i18n import reader
from bot.screens.settings import settings_screen


async def settings(message: Message) -> None:
    text, keyboard = settings_screen(reader())
    await message.answer(text, reply_markup=keyboard)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(settings, Command("settings"))
    return router
