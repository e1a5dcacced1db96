"""/stats: every number on a seeded database, and how the admin sees them."""


from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.db import open_database
from bot.repositories.stats import DAY, StatsRepository
from flows.admin import (
    Audience,
    BroadcastSummary,
    Progress,
    Stats,
    stats_sections,
)
from flows.checklist import item_ids
from flows.split import split_message
from tests.conftest import Harness

ITEMS = item_ids()
NOW = 1_700_000_000

# id, language, telegram_language, last_seen (days ago), blocked_bot
USERS = [
    (1, None, "zh-hans", 1, 0),
    (2, "ru", "en", 3, 0),
    (3, None, None, 10, 0),
    (4, "en", "zh", 20, 1),
    (5, None, "de", 40, 0),
    (6, None, "zh", 0, 0),
]
# user_id, status, operator, channel, finished_at
CHECKS = [
    (1, "CAN_CANCEL_NOW", "mts", None, NOW - 100),
    (1, "AFTER_STEPS", "megafon", "office", NOW - 10),
    (2, "CAN_CANCEL_NOW", "mts", None, NOW - 50),
    (4, "OPERATOR_CHECK_FIRST", "mts", "online", NOW - 20),
]
TICKS = [(2, item) for item in ITEMS] + [(6, item) for item in ITEMS[:-1]]

EXPECTED = Stats(
    users=6, active_7d=3, active_30d=5, blocked=1,
    languages=[("en", 3), ("zh", 2), ("ru", 1)],
    checked=3, channel_chosen=2, checklist_done=1,
    statuses=[("AFTER_STEPS", 1), ("CAN_CANCEL_NOW", 1), ("OPERATOR_CHECK_FIRST", 1)],
    operators=[("mts", 2), ("megafon", 1)],
    broadcasts=[
        BroadcastSummary(2, "running", Audience("language", "zh"), NOW - 60, Progress(3, 1, 1, 0)),
        BroadcastSummary(1, "finished", Audience("all"), NOW - 3600, Progress(5, 4, 0, 1)),
    ],
)

# Each test runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.engines


async def seed(path: Path, now: int = NOW) -> None:
    db = await open_database(path)
    await db.write_many(
        "INSERT INTO users (id, language, telegram_language, first_seen, last_seen, blocked_bot) VALUES (?, ?, ?, ?, ?, ?)",
        [(uid, lang, tg, now - 50 * DAY, now - days * DAY, blocked) for uid, lang, tg, days, blocked in USERS])
    await db.write_many(
        "INSERT INTO checks (user_id, answers, status, operator, channel, finished_at) VALUES (?, '{}', ?, ?, ?, ?)",
        CHECKS)
    await db.write_many("INSERT INTO checklist_ticks (user_id, item_id, done_at) VALUES (?, ?, ?)",
                        [(uid, item, NOW) for uid, item in TICKS])
    await db.write_many(
        "INSERT INTO broadcasts (id, user_id, from_chat_id, message_id, audience, status, status_chat_id,"
        " status_message_id, total, sent, blocked, failed, created_at) VALUES (?, 9, 9, 1, ?, ?, 9, 2, ?, ?, ?, ?, ?)",
        [(1, Audience("all").to_json(), "finished", 5, 4, 0, 1, NOW - 3600),
         (2, Audience("language", "zh").to_json(), "running", 3, None, None, None, NOW - 60)])
    await db.write_many("INSERT INTO broadcast_recipients (broadcast_id, user_id, status) VALUES (2, ?, ?)",
                        [(1, "sent"), (4, "blocked"), (6, "pending")])
    await db.close()


async def test_every_number_is_counted_in_sql(tmp_path: Path) -> None:
    await seed(tmp_path / "bot.sqlite3")
    db = await open_database(tmp_path / "bot.sqlite3")
    try:
        assert await StatsRepository(db, "en", ITEMS).collect(now=NOW) == EXPECTED
    finally:
        await db.close()


def test_sections_show_the_numbers_and_escape_data() -> None:
    odd = Stats(users=2, active_7d=1, active_30d=2, blocked=0, languages=[("<x>", 2)], checked=1,
                channel_chosen=0, checklist_done=0, statuses=[("<b>NEW", 1)], operators=[("a&b", 1)],
                broadcasts=[])
    text = "\n\n".join(stats_sections(odd, lambda msgid: msgid, {}))
    assert "By language: &lt;x&gt; 2" in text
    assert "• &lt;b&gt;NEW: 1" in text and "• a&amp;b: 1" in text
    assert "Finished a check: 1 (50%)" in text and "<b>Broadcasts</b>\n–" in text


def test_long_statistics_are_split_at_sections() -> None:
    sections = ["a" * 3000, "b" * 1100, "c" * 100]
    assert split_message(sections) == ["a" * 3000, "b" * 1100 + "\n\n" + "c" * 100]
    assert split_message(["😀" * 2000, "x" * 100]) == ["😀" * 2000, "x" * 100]  # UTF-16 counts 2 each


async def test_stats_command_shows_the_seeded_numbers(tmp_path: Path) -> None:
    from tests.conftest import make_settings

    settings = make_settings(tmp_path, admin_ids="9")
    await seed(settings.database_path, now=int(time.time()))
    # Cancelled, so that starting the bot does not resume it.
    db = await open_database(settings.database_path)
    await db.write("UPDATE broadcasts SET status = 'cancelled' WHERE id = 2")
    await db.close()
    harness = Harness(settings)
    await harness.start()
    try:
        for question in ["<b>how</b> to fly to the moon", "what is love", "<b>how</b> to fly to the moon"]:
            await harness.user(50, "en").send(question)
        shown = await harness.user(9, "en").send("/stats")
    finally:
        await harness.stop()
    text = shown[0].text
    # The admin's and the asker's visits count as two more users, active today, reading English.
    assert text.startswith("Users: 8\nActive in the last 7 days: 5\nActive in the last 30 days: 7\n"
                           "Blocked the bot: 1\nBy language: English 5 · 中文 2 · Русский 1")
    assert "Finished a check: 3 (38%)\nChose a way to cancel: 2 (25%)\nFinished the checklist: 1 (12%)" in text
    # Shown as typed (escaped, so the tags are text), most asked first.
    assert "Top unanswered questions\n• <b>how</b> to fly to the moon (2)\n• what is love (1)" in text
    assert "• can cancel after some steps: 1" in text and "• MTS: 2\n• MegaFon: 1" in text
    assert "#2 " in text and "language: 中文, cancelled: sent 1 of 3, blocked 1, failed 0" in text
    assert "all users, finished: sent 4 of 5, blocked 0, failed 1" in text
