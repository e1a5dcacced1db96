"""Filters for the hot paths, written as async Filter classes.

aiogram runs a plain callable, a magic ``F`` filter included, in a worker thread
(asyncio.to_thread); on filters checked for every update those thread hops were the
largest single cost of handling it. These run inline.
"""

from aiogram.enums import ChatType
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, ChatMemberUpdated, Message


class PrivateChat(Filter):
    """The event happened in a one-to-one chat with the bot."""

    async def __call__(self, event: Message | CallbackQuery | ChatMemberUpdated) -> bool:
        if isinstance(event, CallbackQuery):
            return event.message is not None and event.message.chat.type == ChatType.PRIVATE
        return event.chat.type == ChatType.PRIVATE


class HasText(Filter):
    async def __call__(self, message: Message) -> bool:
        return bool(message.text)


class CommandLike(Filter):
    """Text that starts with "/", a command whether or not the bot knows it."""

    async def __call__(self, message: Message) -> bool:
        return (message.text or "").startswith("/")
