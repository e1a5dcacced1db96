"""Who receives a broadcast: the audience queries on a seeded database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.db import Database, open_database
from bot.repositories.broadcasts import BroadcastsRepository, audience_query
from flows.admin import Audience, parse_audience
from flows.checklist import item_ids
from flows.locale import resolve_locale

# Each test runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.engines

ITEMS = item_ids()
NOW = 1_700_000_000

# id, language, telegram_language, blocked_bot
USERS = [
    (1, None, "zh-hans", 0),
    (2, "ru", "en", 0),
    (3, None, None, 0),
    (4, "en", "zh", 0),
    (5, None, "de", 0),
    (6, None, "ru", 1),  # blocked the bot: never a recipient
    (7, None, "zh-CN", 0),
]
# user_id, status, operator, finished_at
CHECKS = [
    (1, "CAN_CANCEL_NOW", "mts", NOW - 100),
    (1, "AFTER_STEPS", "megafon", NOW - 10),  # the latest check of user 1 wins
    (2, "CAN_CANCEL_NOW", "mts", NOW - 50),
    (4, "CAN_CANCEL_NOW", "t2", NOW - 20),
    (4, "OPERATOR_CHECK_FIRST", "beeline", NOW - 20),  # same time: the later row wins
    (6, "CAN_CANCEL_NOW", "mts", NOW - 5),
]
TICKS = [(2, item) for item in ITEMS] + [(6, item) for item in ITEMS] + \
    [(4, item) for item in ITEMS[:-1]] + [(4, "not-an-item")]


async def seed(db: Database) -> None:
    await db.write_many(
        "INSERT INTO users (id, language, telegram_language, first_seen, last_seen, blocked_bot)"
        " VALUES (?, ?, ?, ?, ?, ?)", [(uid, lang, tg, NOW, NOW, blocked) for uid, lang, tg, blocked in USERS])
    await db.write_many("INSERT INTO checks (user_id, answers, status, operator, finished_at) VALUES (?, '{}', ?, ?, ?)",
                        CHECKS)
    await db.write_many("INSERT INTO checklist_ticks (user_id, item_id, done_at) VALUES (?, ?, ?)",
                        [(uid, item, NOW) for uid, item in TICKS])


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database(tmp_path / "bot.sqlite3")
    await seed(database)
    yield database
    await database.close()


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        (Audience("all"), {1, 2, 3, 4, 5, 7}),
        (Audience("language", "zh"), {1, 7}),
        (Audience("language", "ru"), {2}),
        (Audience("language", "en"), {3, 4, 5}),
        (Audience("status", "AFTER_STEPS"), {1}),
        (Audience("status", "CAN_CANCEL_NOW"), {2}),
        (Audience("status", "OPERATOR_CHECK_FIRST"), {4}),
        (Audience("status", "NEEDS_SOMEONE_ELSE"), set()),
        (Audience("operator", "mts"), {2}),
        (Audience("operator", "megafon"), {1}),
        (Audience("operator", "t2"), set()),
        (Audience("unfinished"), {1, 3, 4, 5, 7}),
    ],
    ids=lambda value: f"{value.kind}:{value.value}" if isinstance(value, Audience) else None,
)
async def test_audience_selects_exactly_its_users(db: Database, audience: Audience, expected: set[int]) -> None:
    repository = BroadcastsRepository(db, "en", ITEMS)
    sql, params = audience_query(audience, "en", ITEMS)
    assert {row["user_id"] for row in await db.read(sql, params)} == expected
    assert await repository.count(audience) == len(expected)


async def test_default_locale_applies_to_users_without_any_language(db: Database) -> None:
    repository = BroadcastsRepository(db, "zh", ITEMS)
    assert await repository.count(Audience("language", "zh")) == 3  # 1, 7 and 3
    assert await repository.count(Audience("language", "en")) == 2  # 4, and 5 (German reads English)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("language", [("en", 3), ("zh", 2), ("ru", 1)]),
        ("status", [("AFTER_STEPS", 1), ("CAN_CANCEL_NOW", 1), ("OPERATOR_CHECK_FIRST", 1)]),
        ("operator", [("beeline", 1), ("megafon", 1), ("mts", 1)]),
    ],
)
async def test_breakdown_counts_each_value_without_blocked_users(db: Database, kind: str, expected) -> None:
    assert await BroadcastsRepository(db, "en", ITEMS).breakdown(kind) == expected


async def test_job_snapshots_the_audience_as_pending_rows(db: Database) -> None:
    repository = BroadcastsRepository(db, "en", ITEMS)
    job = await repository.create(9, 9, 5, Audience("language", "zh"), 9, 6, now=NOW)
    assert job.total == 2 and job.status == "running" and job.audience == Audience("language", "zh")
    rows = await db.read("SELECT user_id, status, attempts FROM broadcast_recipients WHERE broadcast_id = ?", (job.id,))
    assert sorted(tuple(row) for row in rows) == [(1, "pending", 0), (7, "pending", 0)]


@pytest.mark.parametrize(
    ("language", "telegram_language"),
    [(None, None), ("ru", "zh"), ("xx", "zh-hant"), (None, "pt-BR"), (None, "RU"), (None, "zh_CN"), ("en", None)],
)
async def test_sql_reads_a_language_exactly_as_the_bot(db: Database, language, telegram_language) -> None:
    row = await db.read_one("SELECT resolve_locale(?, ?, 'zh') AS locale", (language, telegram_language))
    assert row["locale"] == resolve_locale(language, telegram_language, "zh")


@pytest.mark.parametrize(
    ("kind", "value", "valid"),
    [("all", "", True), ("language", "zh", True), ("operator", "mts", True), ("unfinished", "", True),
     ("all", "x", False), ("language", "", False), ("status", "a:b", False), ("status", "x" * 33, False),
     ("everyone", "", False)],
)
def test_forged_audiences_are_refused(kind: str, value: str, valid: bool) -> None:
    assert (parse_audience(kind, value) is not None) is valid
