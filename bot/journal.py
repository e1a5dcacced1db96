"""Updates in hand survive a crash: each is written to the database before Telegram is told
it arrived, marked done once handled, and handled again if its instance stopped first.

- **Receiving**: ``record()`` is the one entry for updates from Telegram. With long polling
  it runs inside the getUpdates call (a session middleware), so the batch is stored before
  the polling loop asks for the next one, which is what confirms the offset. A webhook
  handler calls it before answering Telegram's request. Each entry names this instance and
  holds for a lease (``Lease``), renewed by the ClaimKeeper's sweep while it is in hand.
- **Handling**: the same object is an outer update middleware. It marks each recorded update
  done after its handlers, and skips a copy of one already handled or in hand, here or on
  another live instance (Telegram delivers an update again when a crash came before its
  offset was confirmed, or when a webhook's answer was late).
- **Taking over**: ``take_over()`` handles again the updates in hand whose lease ran out,
  which only a dead instance leaves: at start, and at every sweep. With one SQLite file no
  other process can run, so at start every update in hand is a dead one's and is handled
  again at once (migrations/0011 has the states).

The guarantee: no update Telegram delivered is lost, whether the process is killed or
stopped; the only updates that can be handled twice are those whose handling was under way
at a crash (their replies may have gone out before the done mark was written).

A database that cannot be written (full, locked) must not stop the answers: the update is
then handled without a journal entry, and the failure is logged.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.types import TelegramObject, Update

from bot.db import DATABASE_ERRORS
from bot.instance import Lease
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
    def __init__(self, repository: JournalRepository, lease: Lease, *, exclusive: bool,
                 clock: Callable[[], float] = time.time) -> None:
        """``exclusive``: no other process can use the database (one SQLite file), so at
        start every update in hand is a dead process's."""
        self.repository = repository
        self.lease = lease
        self.exclusive = exclusive
        self.clock = clock
        self._dispatcher: Dispatcher | None = None  # set at start: taking over needs it
        self._recorded: set[int] = set()  # recorded (or replayed) and not yet marked done
        self._held_elsewhere: set[int] = set()  # copies of updates done or in hand already
        self._in_hand: set[int] = set()
        self._known_up_to = -1  # ids up to this may have been handled before this start
        self._replays: set[asyncio.Task[Any]] = set()

    # --- receiving ----------------------------------------------------------------------------

    async def record(self, updates: Sequence[Update]) -> None:
        if not updates:
            return
        rows = [(update.update_id, sender_id(update), update.model_dump_json(exclude_unset=True))
                for update in updates]
        now = self.clock()
        try:
            held = await self.repository.record(rows, self.lease.owner, self.lease.until(now), int(now))
        except DATABASE_ERRORS as error:
            log.warning("Updates %s-%s handled without the journal: %s",
                        updates[0].update_id, updates[-1].update_id, error)
            return
        self._recorded.update(held)
        self._held_elsewhere.update(update.update_id for update in updates if update.update_id not in held)

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
        if update_id in self._held_elsewhere:
            self._held_elsewhere.discard(update_id)
            log.info("Update %s was delivered again; it is handled already, or in hand here or on "
                     "another instance", update_id)
            return None
        if update_id in self._in_hand or (update_id <= self._known_up_to and await self._done_before(update_id)):
            log.info("Update %s was delivered again; it is already handled", update_id)
            self._recorded.discard(update_id)
            return None
        self._in_hand.add(update_id)
        try:
            result = await handler(event, data)
        except asyncio.CancelledError:
            raise  # stopped before it was done: handled again once its lease runs out
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

    # --- taking over ----------------------------------------------------------------------------

    async def start(self, bot: Bot, dispatcher: Dispatcher) -> None:
        """Record what long polling fetches from now on, and handle again what a dead
        process left in hand (with one SQLite file: whatever the previous process left)."""
        bot.session.middleware(self.on_request)
        self._known_up_to = await self.repository.last_id() or -1
        await self.repository.prune()
        self._dispatcher = dispatcher
        now = self.clock()
        await self.take_over(bot, None if self.exclusive else int(now), self.lease.until(now))

    async def renew(self, lease_until: int) -> None:
        """Extend the lease of the updates this instance has in hand."""
        await self.repository.renew(self.lease.owner, lease_until)

    async def take_over(self, bot: Bot, expired_by: int | None, lease_until: int) -> None:
        """Claim the updates in hand whose lease ended before ``expired_by`` (None: all) and
        handle them again here; nothing before ``start()``, which does it first."""
        if self._dispatcher is None:
            return
        in_hand = await self.repository.take_over(self.lease.owner, lease_until, expired_by)
        if in_hand:
            if expired_by is None:
                log.warning("Handling again %d updates that were in hand when the bot stopped", len(in_hand))
            else:
                log.warning("Handling again %d updates whose instance stopped with them in hand (their "
                            "lease ran out)", len(in_hand))
        for update_id, body in in_hand:
            update = Update.model_validate_json(body, context={"bot": bot})
            self._recorded.add(update_id)
            self._held_elsewhere.discard(update_id)
            task = asyncio.create_task(self._dispatcher.feed_update(bot, update), name=f"replay-{update_id}")
            self._replays.add(task)
            task.add_done_callback(self._replays.discard)
