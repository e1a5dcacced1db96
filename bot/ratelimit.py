"""One rate limiter shared by every outgoing message (reminders and broadcasts).

Strict spacing rather than a token bucket with a burst: Telegram documents its bulk limit
as "about 30 messages per second" without saying over which window it counts, so a burst
after an idle moment could exceed it while the average looks fine. Even spacing never
exceeds the rate over any window, and it costs nothing noticeable: at 25 msg/s the gap is
40 ms, and an idle limiter lets the first message through at once.

Each caller reserves the next free slot synchronously (no await between reading and
writing the schedule, so no lock is needed) and sleeps until it. ``pause()`` (for a 429
answer's retry_after) voids every reservation: a waiter that wakes up and sees that a pause
happened while it slept queues again, so nothing is sent before the pause ends.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable


class RateLimiter:
    def __init__(
        self,
        rate_per_second: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        if rate_per_second <= 0:
            raise ValueError("rate_per_second must be positive")
        self._interval = 1.0 / rate_per_second
        self._clock = clock
        self._sleep = sleep
        self._next_slot = float("-inf")
        self._paused_until = float("-inf")
        self._last_sent = float("-inf")
        self._pauses = 0  # counts pauses, so a sleeping waiter can tell one happened

    async def acquire(self) -> None:
        """Return when the caller may send one message."""
        while True:
            now = self._clock()
            slot = max(now, self._next_slot, self._paused_until)
            self._next_slot = slot + self._interval
            pauses_seen = self._pauses
            if slot > now:
                await self._sleep(slot - now)
            if self._pauses == pauses_seen:
                self._last_sent = max(self._last_sent, slot)
                return

    def pause(self, seconds: float) -> None:
        """Hold every sender, waiting or future, for ``seconds`` from now.

        A shorter pause than one already running changes nothing, so several 429 answers
        arriving together do not cut each other short.
        """
        until = self._clock() + seconds
        if until <= self._paused_until:
            return
        self._paused_until = until
        # Restart the schedule at the end of the pause, but never closer than one interval
        # to a message already sent (a pause of 0 s must not allow a burst).
        self._next_slot = max(until, self._last_sent + self._interval)
        self._pauses += 1
