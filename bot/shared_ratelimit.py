"""The outgoing rate limit in Redis (REDIS_URL), shared by every instance of the bot:
Telegram counts messages per bot, not per process.

The same strict spacing as bot.ratelimit.RateLimiter, with the schedule in Redis: one Lua
script reserves the next free slot atomically, on Redis' own clock, so instances on
different machines need no synchronised clocks. A 429's pause is written there too, and
holds every instance.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# KEYS: next free slot, paused until (microseconds on Redis' clock). ARGV: interval (µs).
# Returns how long the caller waits for its slot, in microseconds.
RESERVE = """
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'), tonumber(redis.call('GET', KEYS[2]) or '0'))
redis.call('SET', KEYS[1], string.format('%.0f', slot + tonumber(ARGV[1])), 'PX', 600000)
return slot - now
"""
# KEYS: next free slot, paused until. ARGV: pause (µs). A shorter pause changes nothing.
PAUSE = """
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local untils = now + tonumber(ARGV[1])
if untils > tonumber(redis.call('GET', KEYS[2]) or '0') then
    redis.call('SET', KEYS[2], string.format('%.0f', untils), 'PX', 600000)
    redis.call('SET', KEYS[1], string.format('%.0f', untils), 'PX', 600000)
end
return 0
"""


class SharedRateLimiter:
    """RateLimiter's interface (``acquire``, ``pause``) over Redis. If Redis cannot be
    reached, each instance falls back to spacing its own messages at the full rate."""

    def __init__(self, redis: Redis, rate_per_second: float, key: str = "bot:outgoing",
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep) -> None:
        if rate_per_second <= 0:
            raise ValueError("rate_per_second must be positive")
        self.redis = redis
        self.interval = 1.0 / rate_per_second
        self.keys = [f"{key}:next", f"{key}:paused"]
        self._sleep = sleep
        self._reserve = redis.register_script(RESERVE)
        self._pause = redis.register_script(PAUSE)
        self._pausing: set[asyncio.Task[object]] = set()
        self._pauses = 0  # this instance's pauses, so that a sleeping waiter can tell one happened

    async def acquire(self) -> None:
        """Return when the caller may send one message; a waiter whose slot was reserved
        before a pause of this instance reserves again, after it."""
        while True:
            pauses_seen = self._pauses
            try:
                wait = await self._reserve(keys=self.keys, args=[round(self.interval * 1_000_000)])
            except RedisError as error:
                log.warning("Redis unreachable for the shared rate limit (%s); spacing this instance only", error)
                wait = self.interval * 1_000_000
            if wait > 0:
                await self._sleep(wait / 1_000_000)
            if self._pauses == pauses_seen:
                return

    def pause(self, seconds: float) -> None:
        """Hold every sender of every instance for ``seconds`` from now (a 429's retry_after)."""
        self._pauses += 1
        task = asyncio.ensure_future(self._share_pause(seconds))
        self._pausing.add(task)
        task.add_done_callback(self._pausing.discard)

    async def _share_pause(self, seconds: float) -> None:
        try:
            await self._pause(keys=self.keys, args=[round(seconds * 1_000_000)])
        except RedisError as error:
            log.warning("Redis unreachable; the pause of %.0f s is not shared: %s", seconds, error)
