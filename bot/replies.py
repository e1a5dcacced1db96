"""Replacing a message's content in place, as flows that navigate inside one message do."""

from __future__ import annotations

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import InaccessibleMessage, InlineKeyboardMarkup, Message


async def show_in_place(message: Message | InaccessibleMessage | None, text: str,
                        markup: InlineKeyboardMarkup | None = None) -> None:
    """Edit the message to ``text``; a double tap that changes nothing is fine, and a
    message Telegram no longer lets us edit (too old, deleted) gets a new one instead."""
    if message is None:
        return
    if isinstance(message, Message):
        try:
            await message.edit_text(text, reply_markup=markup)
            return
        except TelegramBadRequest as error:
            if "message is not modified" in error.message:
                return
    await message.answer(text, reply_markup=markup)
