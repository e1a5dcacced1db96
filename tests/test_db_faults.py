"""Database faults injected through SQLite itself: the write lock held by another connection,
a full disk (max_page_count), a read-only database (query_only). Users still get every
answer that needs no write, a polite "temporarily unavailable" otherwise, never silence;
and everything works again once the fault clears, without a restart."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import pytest

import bot.db
from bot.db import Database
from flows.questions import FALLBACK_TEXT
from tests.conftest import Harness

UNAVAILABLE = ("Sorry, this is temporarily unavailable because of a technical problem on my side. "
               "Please try again in a few minutes.")
GREETING_START = {"en": "Hello, ", "ru": "Здравствуйте, ", "zh": "你好，"}


@asynccontextmanager
async def write_lock_held(db: Database, path: str) -> AsyncIterator[None]:
    """Another connection (as another process would) holds the write lock."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@asynccontextmanager
async def disk_full(db: Database, path: str) -> AsyncIterator[None]:
    """The file may not grow: filled up to a page limit, as a full disk leaves it. The users
    table is filled too (with ids above the test's), so that adding a user needs a page."""
    pages = (await db.read_one("PRAGMA page_count"))[0]
    await db.connection.execute(f"PRAGMA max_page_count = {pages + 4}")
    with pytest.raises(sqlite3.OperationalError, match="full"):
        for n in range(100_000):
            await db.connection.execute(
                "INSERT INTO users (id, first_seen, last_seen) VALUES (?, 0, 0)", (10_000_000 + n,))
    try:
        yield
    finally:
        await db.connection.execute("PRAGMA max_page_count = 1073741823")


@asynccontextmanager
async def read_only(db: Database, path: str) -> AsyncIterator[None]:
    await db.connection.execute("PRAGMA query_only = ON")
    try:
        yield
    finally:
        await db.connection.execute("PRAGMA query_only = OFF")


FAULTS = [pytest.param(write_lock_held, id="locked"), pytest.param(disk_full, id="disk-full"),
          pytest.param(read_only, id="read-only")]


@pytest.fixture(autouse=True)
def short_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    # How long writes fail at once after a failed one; short, so that recovery is quick to see.
    monkeypatch.setattr(bot.db, "UNWRITABLE_PAUSE", 0.5)


@pytest.mark.parametrize("fault", FAULTS)
async def test_answers_that_need_no_write_go_on_and_the_rest_are_told_to_try_again(
    harness: Harness, fault: Callable[..., object], gettext,
) -> None:
    db: Database = harness.db
    known = harness.user(42, "ru")
    await known.send("/start")
    async with fault(db, str(harness.settings.database_path)):  # type: ignore[operator]
        began = time.monotonic()
        # Twenty people new to the bot: it cannot record them, and greets them all.
        for n in range(20):
            locale = ("en", "ru", "zh")[n % 3]
            shown = await harness.user(1000 + n, {"zh": "zh-hans"}.get(locale, locale)).send("/start")
            assert [item.text[:len(GREETING_START[locale])] for item in shown] == [GREETING_START[locale]]
        assert time.monotonic() - began < 10, "each new user waited out the lock"
        # A known user's menu and a typed question need no write.
        assert (await known.send("/menu"))[0].text == gettext("What would you like to do?", "ru")
        shown = await harness.user(2000, "en").send("weather on Mars tomorrow please")
        assert shown[0].text.startswith(gettext(FALLBACK_TEXT, "en").split("\n")[0])
        # Choosing a language must be stored: the user is told to try again, in their language.
        # (A new user: their row must be added, which a full disk refuses, as it does updates.)
        newcomer = harness.user(2001, "ru")
        await newcomer.send("/language")
        shown = await newcomer.press("English")
        messages = [item.text for item in shown if item.kind == "message"]
        assert messages == [gettext(UNAVAILABLE, "ru")]
    time.sleep(0.6)  # the pause after a failed write ends
    shown = await newcomer.press("English")
    # The picker turns into the menu, in place.
    assert [item.text for item in shown if item.kind in ("message", "edit")] == ["What would you like to do?"]
    await harness.user(3000, "en").send("/start")
    assert (await db.read_one("SELECT count(*) FROM users WHERE id = 3000"))[0] == 1
