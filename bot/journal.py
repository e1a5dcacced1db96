"""Updates in hand survive a crash: each is written to SQLite before Telegram is told it
arrived, marked done once handled, and handled again at the next start if it was not.

- **Receiving**: ``record()`` is the one entry for updates from Telegram. With long polling
  it runs inside the getUpdates call (a session middleware), so the batch is stored before
  the polling loop asks for the next one, which is what confirms the offset. A webhook
  handler calls it before answering Telegram's request.
- **Handling**: the same object is an outer update middleware. It marks each recorded update
  done after its handlers, and skips a copy of one already handled or in hand (Telegram
  delivers an update again when a crash came before its offset was confirmed).
- **At start**: ``start()`` handles again the updates recorded and not done.

The guarantee: no update Telegram delivered is lost, whether the process is killed or
stopped; the only updates that can be handled twice are those whose handling was under way
at a crash (their replies may have gone out before the done mark was written).

A database that cannot be written (full, locked) must not stop the answers: the update is
then handled without a journal entry, and the failure is logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.types import TelegramObject, Update

from bot.db import DATABASE_ERRORS
from bot.repositories.journal import JournalRepository

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def sender_id(update: Update) -> int | None:
    for event in (update.message, update.callback_query, update.my_chat_member, update.edited_message):
        user = getattr(event, "from_user", None)
        if user is not None:
            return user.id
    return None


class UpdateJournal(BaseMiddleware):
    def __init__(self, repository: JournalRepository) -> None:
        self.repository = repository
        self._recorded: set[int] = set()  # recorded (or replayed) and not yet marked done
        self._in_hand: set[int] = set()
        self._known_up_to = -1  # ids up to this may have been handled before this start
        self._replays: set[asyncio.Task[Any]] = set()

    # --- receiving ----------------------------------------------------------------------------

    async def record(self, updates: Sequence[Update]) -> None:
        if not updates:
            return
        rows = [(update.update_id, sender_id(update), update.model_dump_json(exclude_unset=True))
                for update in updates]
        try:
            await self.repository.record(rows)
        except DATABASE_ERRORS as error:
            log.warning("Updates %s-%s handled without the journal: %s",
                        updates[0].update_id, updates[-1].update_id, error)
            return
        self._recorded.update(update.update_id for update in updates)

    async def on_request(self, make_request: Callable[..., Awaitable[Any]], bot: Bot,
                         method: TelegramMethod[Any]) -> Any:
        """The session middleware for long polling: record what getUpdates returned."""
        result = await make_request(bot, method)
        if isinstance(method, GetUpdates) and result:
            await self.record(result)
        return result

    # --- handling ------------------------------------------------------------------------------

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        update_id = event.update_id
        if update_id in self._in_hand or (update_id <= self._known_up_to and await self._done_before(update_id)):
            log.info("Update %s was delivered again; it is already handled", update_id)
            self._recorded.discard(update_id)
            return None
        self._in_hand.add(update_id)
        try:
            result = await handler(event, data)
        except asyncio.CancelledError:
            raise  # stopped before it was done: handled again at the next start
        except Exception:
            await self._mark_done(update_id)  # handled, if badly: replaying it would fail again
            raise
        finally:
            self._in_hand.discard(update_id)
        await self._mark_done(update_id)
        return result

    async def _done_before(self, update_id: int) -> bool:
        try:
            return await self.repository.is_done(update_id)
        except DATABASE_ERRORS:
            return False

    async def _mark_done(self, update_id: int) -> None:
        if update_id not in self._recorded:
            return
        self._recorded.discard(update_id)
        try:
            await self.repository.mark_done(update_id)
        except DATABASE_ERRORS as error:
            log.warning("Update %s handled, but not marked done (it may be handled again "
                        "after a restart): %s", update_id, error)

    # --- at start --------------------------------------------------------------------------------

    async def start(self, bot: Bot, dispatcher: Dispatcher) -> None:
        """Record what long polling fetches from now on, and handle again what a previous
        process left in hand."""
        bot.session.middleware(self.on_request)
        self._known_up_to = await self.repository.last_id() or -1
        await self.repository.prune()
        in_hand = await self.repository.in_hand()
        if in_hand:
            log.warning("Handling again %d updates that were in hand when the bot stopped", len(in_hand))
        for update_id, body in in_hand:
            update = Update.model_validate_json(body, context={"bot": bot})
            self._recorded.add(update_id)
            task = asyncio.create_task(dispatcher.feed_update(bot, update), name=f"replay-{update_id}")
            self._replays.add(task)
            task.add_done_callback(self._replays.discard)
