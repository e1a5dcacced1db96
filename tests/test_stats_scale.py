"""/stats at scale: its figures come from indexes and a table kept by a trigger, on a
read-only connection of their own, so that a user's update never waits for them.
(bench/scale.py measures the times at a million users; this checks the behaviour.)"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from bot.db import MIGRATIONS_DIR, open_database
from bot.repositories.broadcasts import LATEST_CHECKS
from bot.repositories.users import UsersRepository
from tests.conftest import Harness

CHECK = "INSERT INTO checks (user_id, answers, status, operator, finished_at) VALUES (?, '{}', ?, ?, ?)"


async def latest(db) -> list[tuple]:
    return [tuple(row) for row in await db.read("SELECT user_id, status, operator FROM latest_checks ORDER BY user_id")]


async def test_the_latest_check_wins_whatever_the_order_of_inserts(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "bot.sqlite3")
    try:
        await db.write(CHECK, (1, "NEW", "mts", 200))
        await db.write(CHECK, (1, "OLD", "beeline", 100))  # finished earlier, recorded later
        await db.write(CHECK, (2, "FIRST", "mts", 100))
        await db.write(CHECK, (2, "SECOND", None, 100))  # the same second: the later row
        assert await latest(db) == [(1, "NEW", "mts"), (2, "SECOND", None)]
        await UsersRepository(db).forget(1)
        assert await latest(db) == [(2, "SECOND", None)]
    finally:
        await db.close()


async def test_an_existing_database_gets_the_latest_checks_of_its_history(tmp_path: Path) -> None:
    before = tmp_path / "migrations"
    # A database from before the statistics: only the migrations older than 0009.
    shutil.copytree(MIGRATIONS_DIR, before,
                    ignore=lambda _, names: [name for name in names if name[:4].isdigit() and int(name[:4]) >= 9])
    path = tmp_path / "bot.sqlite3"
    db = await open_database(path, before)
    await db.write_many(CHECK, [(1, "A", "mts", 100), (1, "B", "tele2", 300), (1, "C", "mts", 200),
                                (2, "D", None, 50), (3, "E", "megafon", 70), (3, "F", "megafon", 70)])
    await db.close()
    db = await open_database(path)
    try:
        ranked = await db.read(f"WITH {LATEST_CHECKS} SELECT user_id, status, operator FROM latest ORDER BY user_id")
        assert await latest(db) == [tuple(row) for row in ranked] == [(1, "B", "tele2"), (2, "D", None),
                                                                      (3, "F", "megafon")]
    finally:
        await db.close()


async def test_a_long_admin_query_does_not_hold_up_a_users_update(harness: Harness) -> None:
    db = harness.db
    # A read that takes seconds, on the connection the admin's statistics use.
    slow = asyncio.create_task(db.reports.read(
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) SELECT count(*) FROM c"))
    await asyncio.sleep(0.1)
    try:
        shown = await harness.user(77, "en").send("/start")  # a new user: a write and reads
        assert shown and shown[0].text.startswith("Hello")
        assert not slow.done(), "the user's update waited for the admin's query"
    finally:
        await db.reports.connection.interrupt()
        await asyncio.gather(slow, return_exceptions=True)
    assert (await db.read_one("SELECT count(*) FROM users WHERE id = 77"))[0] == 1
