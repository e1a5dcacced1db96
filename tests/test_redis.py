"""REDIS_URL: the conversation state and the outgoing rate limit live in Redis, so that any
instance continues a conversation another one began, and all of them together keep one rate."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from aiogram.fsm.storage.redis import RedisStorage
from redis.asyncio import Redis

from bot.shared_ratelimit import SharedRateLimiter
from tests.conftest import Harness, make_settings


async def test_a_conversation_begun_on_one_instance_goes_on_at_another(tmp_path: Path, redis_url: str,
                                                                      gettext) -> None:
    settings = make_settings(tmp_path, redis_url=redis_url)
    first, second = Harness(settings), Harness(settings)
    await first.start()
    await second.start()
    try:
        assert isinstance(first.dispatcher.storage, RedisStorage)
        shown = await first.user(42, "en").send("/timezone")
        assert shown[-1].text.startswith(gettext("🌐 Which time zone are you in? I use it for every reminder.", "en"))
        # The next message reaches the other instance: it knows the question was asked.
        shown = await second.user(42, "en").send("Almaty")
        assert shown[-1].text.startswith("✅ ")
        assert await second.dispatcher["users"].time_zone(42) == "Asia/Almaty"
    finally:
        await first.stop()
        await second.stop()


async def test_without_redis_the_state_stays_in_the_database(tmp_path: Path) -> None:
    harness = Harness(make_settings(tmp_path))
    await harness.start()
    try:
        assert not isinstance(harness.dispatcher.storage, RedisStorage)
        await harness.user(42, "en").send("/timezone")
        rows = await harness.db.read("SELECT state FROM fsm_state WHERE user_id = 42")
        assert [row["state"] for row in rows] == ["ReminderSetup:timezone"]
    finally:
        await harness.stop()


async def test_instances_sharing_redis_share_one_rate(redis_url: str) -> None:
    """Two instances' limiters at 20 messages a second, 30 messages between them: together
    they keep the spacing of one, so it takes at least 29 intervals."""
    clients = [Redis.from_url(redis_url), Redis.from_url(redis_url)]
    limiters = [SharedRateLimiter(client, 20) for client in clients]
    try:
        sent: list[float] = []

        async def send(limiter: SharedRateLimiter) -> None:
            await limiter.acquire()
            sent.append(time.monotonic())

        started = time.monotonic()
        await asyncio.gather(*(send(limiters[n % 2]) for n in range(30)))
        assert sent[-1] - started >= 29 * 0.05 * 0.9
        # A 429 seen by one instance holds the other too.
        limiters[0].pause(1.0)
        await asyncio.sleep(0.1)  # the pause reaches Redis
        before = time.monotonic()
        await limiters[1].acquire()
        assert time.monotonic() - before >= 0.7
    finally:
        for client in clients:
            await client.aclose()


async def test_with_redis_the_bot_uses_the_shared_limiter(tmp_path: Path, redis_url: str) -> None:
    harness = Harness(make_settings(tmp_path, redis_url=redis_url))
    await harness.start()
    try:
        assert isinstance(harness.dispatcher["rate_limiter"], SharedRateLimiter)
    finally:
        await harness.stop()
