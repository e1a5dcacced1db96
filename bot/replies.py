"""Sending long content and replacing a pressed message, the same way for every flow.

One rule for editing: the pressed message is edited in place; a double tap that changes
nothing is fine; a message Telegram no longer lets us edit (too old, deleted) gets the
content as a new message instead.
"""

from __future__ import annotations

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import (
    CallbackQuery,
    InaccessibleMessage,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.callback_answer import CallbackAnswer

from flows.split import split_message


async def send_paragraphs(message: Message, paragraphs: list[str], markup: InlineKeyboardMarkup | None = None) -> None:
    """Send paragraphs to the chat of ``message`` in as few messages as fit; the buttons go
    under the last one, where the reader ends."""
    await _send(message, split_message(paragraphs), markup)


async def replace_with(query: CallbackQuery, paragraphs: list[str], markup: InlineKeyboardMarkup | None = None) -> None:
    """Edit the pressed message into the content (one step of a flow stays one message);
    what does not fit follows as new messages."""
    chunks = split_message(paragraphs)
    first, rest = chunks[0], chunks[1:]
    if not await _edit(query.message, first, None if rest else markup):
        rest = chunks
    await _send(query.message, rest, markup)


async def show_in_place(message: Message | InaccessibleMessage | None, text: str,
                        markup: InlineKeyboardMarkup | None = None) -> None:
    """Edit the message to ``text`` (a short view that always fits one message)."""
    if message is not None and not await _edit(message, text, markup):
        await message.answer(text, reply_markup=markup)


async def show(message: Message | InaccessibleMessage | None, text: str, markup: InlineKeyboardMarkup | None = None,
               *, in_place: bool) -> None:
    """A short view, edited in place (moving around) or sent anew."""
    if in_place:
        await show_in_place(message, text, markup)
    elif message is not None:
        await message.answer(text, reply_markup=markup)


async def _edit(message: Message | InaccessibleMessage | None, text: str, markup: InlineKeyboardMarkup | None) -> bool:
    """Whether the message now shows ``text``."""
    if not isinstance(message, Message):
        return False
    try:
        await message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as error:
        return "message is not modified" in error.message
    return True


async def _send(message: Message | InaccessibleMessage, chunks: list[str], markup: InlineKeyboardMarkup | None) -> None:
    for number, chunk in enumerate(chunks, 1):
        await message.bot.send_message(
            chat_id=message.chat.id, text=chunk, reply_markup=markup if number == len(chunks) else None,
        )


async def toast(query: CallbackQuery, callback_answer: CallbackAnswer, text: str, *, alert: bool = False) -> None:
    """Answer the press with ``text`` now, before what the handler shows next (the
    middleware's own answer, which comes after the handler, is then not sent)."""
    callback_answer.disable()
    await query.answer(text, show_alert=alert)
