"""Sending long content and replacing a pressed message, the same way for every flow."""

from __future__ import annotations

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InaccessibleMessage, InlineKeyboardMarkup, Message

from flows.split import split_message


async def send_paragraphs(message: Message, paragraphs: list[str], markup: InlineKeyboardMarkup | None = None) -> None:
    """Send paragraphs to the chat of ``message`` in as few messages as fit; the buttons go
    under the last one, where the reader ends."""
    await _send(message, split_message(paragraphs), markup)


async def replace_with(query: CallbackQuery, paragraphs: list[str], markup: InlineKeyboardMarkup | None = None) -> None:
    """Edit the pressed message into the content (one step of a flow stays one message);
    what does not fit follows as new messages. A message that cannot be edited any more
    (deleted, too old) gets the content as new messages instead."""
    chunks = split_message(paragraphs)
    message = query.message
    first, rest = chunks[0], chunks[1:]
    try:
        await query.bot.edit_message_text(
            text=first, chat_id=message.chat.id, message_id=message.message_id,
            reply_markup=None if rest else markup,
        )
    except TelegramBadRequest as error:
        # A double tap that changes nothing is fine; otherwise the message cannot be edited.
        if "message is not modified" not in error.message:
            rest = chunks
    await _send(message, rest, markup)


async def _send(message: Message, chunks: list[str], markup: InlineKeyboardMarkup | None) -> None:
    for number, chunk in enumerate(chunks, 1):
        await message.bot.send_message(
            chat_id=message.chat.id, text=chunk, reply_markup=markup if number == len(chunks) else None,
        )


async def show_in_place(message: Message | InaccessibleMessage | None, text: str,
                        markup: InlineKeyboardMarkup | None = None) -> None:
    """Edit the message to ``text`` (a short view that always fits one message). A double
    tap that changes nothing is fine; a message Telegram no longer lets us edit (too old,
    deleted) gets a new one instead."""
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
