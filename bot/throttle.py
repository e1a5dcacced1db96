"""One user's flood must not cost anyone else their reply.

A user's messages pass at up to one a second after a burst of five (a GCRA per user);
the rest are dropped before any handler runs, so their texts are neither answered nor
stored. A message is timed by when the user sent it (its date), not when its turn comes:
a user's updates are handled one at a time, so a flood queues up, and by its turn each
message would look unhurried. The first dropped message gets one polite "slow down" in
the user's language, and no more than one a ``notice_every`` seconds; a dropped button
press is answered silently so that its spinner stops.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject, User
from aiogram.utils.i18n import gettext as _

from flows.texts import N_

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

SLOW_DOWN = N_("You are sending messages faster than I can answer. Please wait a few seconds, then "
               "send your question again.")


class Pace:
    """A GCRA per user: a burst of ``burst``, then one every ``interval`` seconds."""

    MAX_USERS = 10_000  # idle users are forgotten past this many

    def __init__(self, interval: float, burst: int) -> None:
        self.interval = interval
        self.tolerance = interval * (burst - 1)
        self._tat: dict[int, float] = {}

    def allow(self, user_id: int, now: float) -> bool:
        if len(self._tat) > self.MAX_USERS:
            self._tat = {key: tat for key, tat in self._tat.items() if tat > now}
        tat = max(self._tat.get(user_id, now), now)
        if tat - now > self.tolerance:
            return False
        self._tat[user_id] = tat + self.interval
        return True


class Throttle(BaseMiddleware):
    """An outer middleware of messages and callback queries, registered after the locale's.

    Typed messages cost nothing to send, so they are held to a human pace. A button press
    needs a button the bot showed, and people tap through a questionnaire fast, so presses
    get a wider allowance (it still stops a script replaying forged callbacks)."""

    def __init__(self, *, messages: Pace | None = None, presses: Pace | None = None,
                 notice_every: float = 60.0, clock: Callable[[], float] = time.time) -> None:
        self.messages = messages or Pace(interval=1.0, burst=5)
        self.presses = presses or Pace(interval=0.25, burst=20)
        self.notice_every = notice_every
        self._clock = clock
        self._noticed: dict[int, float] = {}

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        if isinstance(event, Message):
            at = event.date.timestamp()
            if self.messages.allow(user.id, at):
                return await handler(event, data)
            if event.chat.type == "private" and self._notice_due(user.id, at):
                log.info("User %s is flooding; slowing them down", user.id)
                await event.answer(_(SLOW_DOWN))
            return None
        if isinstance(event, CallbackQuery) and not self.presses.allow(user.id, self._clock()):
            await event.answer()  # stops the button's spinner
            return None
        return await handler(event, data)

    def _notice_due(self, user_id: int, now: float) -> bool:
        if len(self._noticed) > Pace.MAX_USERS:
            self._noticed = {key: at for key, at in self._noticed.items() if at > now - self.notice_every}
        if now - self._noticed.get(user_id, float("-inf")) < self.notice_every:
            return False
        self._noticed[user_id] = now
        return True
