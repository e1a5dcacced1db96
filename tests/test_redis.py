"""REDIS_URL: the conversation state lives in Redis, so that any instance continues a
conversation another one began."""

from __future__ import annotations

from pathlib import Path

from aiogram.fsm.storage.redis import RedisStorage

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
        rows = await harness.dispatcher["db"].read("SELECT state FROM fsm_state WHERE user_id = 42")
        assert [row["state"] for row in rows] == ["ReminderSetup:timezone"]
    finally:
        await harness.stop()
