"""The command menu Telegram shows beside the input field, in the reader's language."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat
from aiogram.utils.i18n import I18n

from flows.menu import ADMIN_COMMANDS, COMMANDS

log = logging.getLogger(__name__)


def bot_commands(i18n: I18n, locale: str, admin: bool = False) -> list[BotCommand]:
    return [BotCommand(command=name, description=i18n.gettext(text, locale=locale))
            for name, text in COMMANDS + (ADMIN_COMMANDS if admin else ())]


async def set_chat_commands(bot: Bot, i18n: I18n, chat_id: int, locale: str, admin: bool = False) -> None:
    """The menu of one chat (a chat scope): it follows the language chosen in the bot, not
    the language of the Telegram app."""
    try:
        await bot.set_my_commands(bot_commands(i18n, locale, admin), scope=BotCommandScopeChat(chat_id=chat_id))
    except TelegramAPIError as error:
        # The menu is a convenience: the language switch itself has worked.
        log.warning("No command menu for chat %s (%s)", chat_id, error)
