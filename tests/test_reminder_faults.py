"""Reminders due while the database is locked by another process go out by themselves once
the lock is gone: no restart, no reminder lost, none sent twice."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

import bot.db
from bot.scheduler import ERROR_PAUSE
from tests.test_scheduler import USER, Env, env  # noqa: F401


async def test_reminders_due_during_a_lock_are_sent_once_it_clears(
    env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bot.db, "UNWRITABLE_PAUSE", 0.1)
    reminder_id = await env.add(env.clock() + timedelta(minutes=1))
    scheduler = env.scheduler()
    await scheduler.start(env.bot)
    assert await env.waits.get() == 60

    other = sqlite3.connect(tmp_path / "bot.sqlite3", timeout=0, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    env.clock.advance(minutes=1)
    scheduler.wakeup.set()
    assert await env.waits.get() == ERROR_PAUSE  # the pass failed: it tries again later
    assert env.sent_to(USER) == []

    other.execute("ROLLBACK")
    other.close()
    await asyncio.sleep(0.2)  # the database's own pause after a failed write (here 0.1 s) ends
    scheduler.wakeup.set()  # what the end of ERROR_PAUSE does
    await env.waits.get()
    assert len(env.sent_to(USER)) == 1
    assert (await env.status(reminder_id))[0] == "sent"
