"""Outer middlewares that every update passes through."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from aiogram import BaseMiddleware
from aiogram.enums import ChatType
from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.types import Chat, TelegramObject, Update, User

from bot.db import DATABASE_ERRORS
from bot.repositories.users import UsersRepository

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UserMiddleware(BaseMiddleware):
    """Keeps the users row current and hands the stored profile to the locale middleware
    and the handlers: one statement per update."""

    def __init__(self, users: UsersRepository) -> None:
        self.users = users

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        chat: Chat | None = data.get("event_chat")
        # Only people who talk to the bot one to one are its users: a group member is not,
        # and their group message says nothing about whether they blocked the bot.
        if user is not None and not user.is_bot and chat is not None and chat.type == ChatType.PRIVATE:
            try:
                data["user_profile"] = await self.users.touch(user.id, user.language_code)
            except DATABASE_ERRORS as error:
                # The database cannot be written: answer anyway, in Telegram's language;
                # whatever the handler needs to store gets "temporarily unavailable".
                log.warning("User %s not recorded: %s", user.id, error)
        return await handler(event, data)


class InFlight(BaseMiddleware):
    """Tracks the updates being handled, so that a stop waits for them to finish and can
    tell Telegram which updates are done."""

    def __init__(self) -> None:
        self.tasks: set[asyncio.Task[Any]] = set()
        self.last_update_id: int | None = None

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        try:
            with self.holding():
                return await handler(event, data)
        finally:
            if isinstance(event, Update):
                self.last_update_id = max(self.last_update_id or 0, event.update_id)

    @contextmanager
    def holding(self) -> Iterator[None]:
        """Count the current task as an update in hand until the block ends."""
        task = asyncio.current_task()
        if task is None or task in self.tasks:
            yield
            return
        self.tasks.add(task)
        try:
            yield
        finally:
            self.tasks.discard(task)

    async def drain(self, timeout: float) -> bool:
        """Wait for the updates in hand, also those that come into hand meanwhile; True
        when all finished in time."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        current = asyncio.current_task()
        while pending := [task for task in self.tasks if task is not current]:
            if loop.time() >= deadline:
                return False
            await asyncio.wait(pending, timeout=deadline - loop.time())
        return True


class InFlightIsolation(SimpleEventIsolation):
    """One update at a time per user, as SimpleEventIsolation, but an update waiting for its
    turn already counts as in hand: the FSM middleware takes this lock before the InFlight
    middleware runs, so without this a stop would not wait for it and close the database
    and the session under it."""

    def __init__(self, in_flight: InFlight) -> None:
        super().__init__()
        self.in_flight = in_flight

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncIterator[None]:
        with self.in_flight.holding():
            async with super().lock(key):
                yield
