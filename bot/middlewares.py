"""Outer middlewares that every update passes through."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update, User

from bot.repositories.users import UsersRepository

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UserMiddleware(BaseMiddleware):
    """Keeps the users row current and hands the stored profile to the locale middleware
    and the handlers: one statement per update."""

    def __init__(self, users: UsersRepository) -> None:
        self.users = users

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        if user is not None and not user.is_bot:
            data["user_profile"] = await self.users.touch(user.id, user.language_code)
        return await handler(event, data)


class InFlight(BaseMiddleware):
    """Tracks the updates being handled, so that a stop waits for them to finish and can
    tell Telegram which updates are done."""

    def __init__(self) -> None:
        self.tasks: set[asyncio.Task[Any]] = set()
        self.last_update_id: int | None = None

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        task = asyncio.current_task()
        if task is not None:
            self.tasks.add(task)
        try:
            return await handler(event, data)
        finally:
            if task is not None:
                self.tasks.discard(task)
            if isinstance(event, Update):
                self.last_update_id = max(self.last_update_id or 0, event.update_id)

    async def drain(self, timeout: float) -> bool:
        """Wait for the updates in hand; True when all finished in time."""
        current = asyncio.current_task()
        pending = [task for task in self.tasks if task is not current]
        if not pending:
            return True
        _, still_running = await asyncio.wait(pending, timeout=timeout)
        return not still_running
