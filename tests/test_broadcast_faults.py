"""A broadcast meets faults that used to halt it until a restart: an HTML 502 page instead of
a Bot API answer, the database locked by another process mid-job; and one that used to fail
every recipient slowly: the message to copy was deleted."""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import ClientDecodeError, TelegramBadRequest
from aiogram.methods import CopyMessage, TelegramMethod

import bot.broadcaster
import bot.db
from tests.test_broadcaster import CONCURRENCY, USERS, Env, ScriptedSession, env, run  # noqa: F401

BAD_GATEWAY = "<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>"


class FaultySession(ScriptedSession):
    """ScriptedSession, plus "html502" (a proxy's error page) and "gone" (the source message
    was deleted) as outcomes, and a hook called before each copy."""

    def __init__(self, *args: Any, before_copy: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.before_copy = before_copy

    async def make_request(self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        if isinstance(method, CopyMessage):
            if self.before_copy is not None:
                self.before_copy(len(self.calls))
            chat = int(method.chat_id)
            outcome = self.script[chat][0] if self.script.get(chat) else "ok"
            if outcome in ("html502", "gone"):
                self.script[chat].pop(0)
                self.calls.append((chat, 0.0))
                if outcome == "gone":
                    raise TelegramBadRequest(method, "Bad Request: message to copy not found")
                raise ClientDecodeError("Failed to decode object", ValueError("not JSON"), BAD_GATEWAY)
        return await super().make_request(bot, method, timeout)


async def test_an_html_502_is_retried_and_the_broadcast_finishes(env: Env) -> None:
    job = await env.job()
    session = FaultySession({4: ["html502"]})
    await run(env, session, job)
    assert session.delivered == Counter(range(1, USERS + 1))
    assert (await env.repository.get(job.id)).status == "finished"
    assert (await env.rows(job))[4] == ("sent", 2, None)


async def test_a_deleted_message_stops_the_job_at_once_and_tells_the_admin(env: Env) -> None:
    job = await env.job()
    session = FaultySession({user: ["gone"] for user in range(1, USERS + 1)})
    await run(env, session, job)
    assert len(session.calls) <= CONCURRENCY, "recipients kept being tried after the message was gone"
    assert (await env.repository.get(job.id)).status == "cancelled"
    assert session.edits[-1].endswith("Stopped: the message to send was deleted, so it can no longer be copied.")
    assert "cancelled" in session.edits[-1].splitlines()[0]


async def test_a_database_locked_mid_broadcast_delays_it_and_it_resumes_by_itself(
    env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bot.broadcaster, "RELAUNCH_AFTER", (0.3, 0.6))
    monkeypatch.setattr(bot.db, "UNWRITABLE_PAUSE", 0.2)
    job = await env.job()
    other = sqlite3.connect(tmp_path / "bot.sqlite3", timeout=0, isolation_level=None)
    loop = asyncio.get_running_loop()

    def lock_after_six(copies: int) -> None:
        if copies == 6 and not other.in_transaction:
            other.execute("BEGIN IMMEDIATE")  # another process takes the write lock for 3 s
            loop.call_later(3.0, other.execute, "ROLLBACK")

    session = FaultySession(latency=0.01, before_copy=lock_after_six)
    began = loop.time()
    await run(env, session, job, sleep=asyncio.sleep, virtual=False)
    other.close()
    assert loop.time() - began >= 3.0, "the lock was never met"
    assert set(session.delivered) == set(range(1, USERS + 1)), "recipients were lost"
    assert sum(session.delivered.values()) - USERS <= CONCURRENCY  # at most the sends in flight twice
    assert (await env.repository.get(job.id)).status == "finished"
