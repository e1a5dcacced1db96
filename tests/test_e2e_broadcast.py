"""End to end: an admin broadcasts to 200 users through ``python -m bot`` and the fake Bot API
server, with users who blocked the bot, a 429, and the process killed mid-broadcast."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.broadcaster import CONCURRENCY
from bot.db import open_database
from tests.e2e_bot import BotRunner
from tests.fake_telegram import FakeTelegram, TelegramUser

ADMIN = 9
RECIPIENTS = range(10_000, 10_200)
BLOCKED = (10_005, 10_150)
TEXT = "Operators change their rules on 1 March: check your tariff."


@pytest.fixture
async def bot(server: FakeTelegram, tmp_path: Path) -> AsyncIterator[BotRunner]:
    # An admin, and the highest broadcast rate Telegram allows.
    runner = BotRunner(server, tmp_path, ADMIN_IDS=str(ADMIN), BROADCAST_RATE="30")
    yield runner
    await runner.kill()
    print(runner.all_logs())
    print(server.report(last_calls=5))


def delivered(server: FakeTelegram) -> Counter[int]:
    return Counter(item.chat_id for item in server.api.shown if item.kind == "message" and item.text == TEXT)


async def test_broadcast_to_200_users_survives_blocked_users_a_429_and_a_kill(
    server: FakeTelegram, bot: BotRunner,
) -> None:
    db = await open_database(bot.database)
    await db.write_many("INSERT INTO users (id, telegram_language, first_seen, last_seen) VALUES (?, 'zh', 0, 0)",
                        [(uid,) for uid in RECIPIENTS])
    await db.close()
    for uid in BLOCKED:
        server.api.fail(uid, 403, "Forbidden: bot was blocked by the user")
    server.api.fail(10_100, 429, "Too Many Requests: retry after 1", retry_after=1, times=1)
    await bot.start()

    admin = TelegramUser(server, ADMIN, "en")
    await admin.send_text("/broadcast")
    preview, menu = [item for item in await admin.send_text(TEXT) if item.kind == "message"]
    assert preview.text == TEXT
    await admin.press("👥 All users (201)")  # 200 recipients and the admin
    await admin.press("📤 Send to 201")

    # The process dies mid-broadcast, with no chance to tidy up.
    await server.wait_for(lambda: sum(delivered(server).values()) >= 60, 20, "60 copies")
    await bot.kill()
    before_kill = sum(delivered(server).values())
    assert before_kill < 150, "the broadcast ended before the kill"

    await bot.start()
    finished = "Broadcast #1 to all users: finished"
    status = lambda: server.api.messages[(ADMIN, menu.message_id)]["text"]
    await server.wait_for(lambda: status().startswith(finished), 40, "the broadcast to finish")

    copies = delivered(server)
    everyone = set(RECIPIENTS) - set(BLOCKED) | {ADMIN}
    assert set(copies) == everyone  # no one lost, no blocked user reached
    duplicates = sum(count - 1 for count in copies.values()) - 1  # the admin's preview is one
    assert 0 <= duplicates <= CONCURRENCY
    assert status() == (f"{finished}\nSent: {len(everyone)} of 201\nBlocked the bot: {len(BLOCKED)}\nFailed: 0")
    assert "429, pausing all sends for 1 s" in bot.all_logs()

    db = await open_database(bot.database)
    try:
        blocked = await db.read("SELECT id FROM users WHERE blocked_bot = 1 ORDER BY id")
        assert [row["id"] for row in blocked] == list(BLOCKED)
    finally:
        await db.close()
    await bot.stop()
