"""The broadcaster against a scripted Bot API session: 429, 403, 400, timeouts, crashes."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
)
from aiogram.methods import CopyMessage, EditMessageText, TelegramMethod
from aiogram.types import MessageId

from bot.broadcaster import Broadcaster
from bot.db import Database, open_database
from bot.i18n import create_i18n
from bot.ratelimit import RateLimiter
from bot.repositories.broadcasts import BroadcastsRepository, Job
from bot.repositories.users import UsersRepository
from flows.admin import Audience
from flows.checklist import item_ids

# Each test runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.engines

USERS = 20
ADMIN = 900
CONCURRENCY = 4
MAX_ATTEMPTS = 3


class ScriptedSession(BaseSession):
    """copyMessage outcomes per chat, in order ("ok", "429", "403", "400", "timeout"); "ok"
    once the script runs out. ``delivered`` counts what reached each chat."""

    def __init__(self, script: dict[int, list[str]] | None = None, latency: float = 0.0,
                 hang_after: int | None = None) -> None:
        super().__init__()
        self.script = {chat: list(outcomes) for chat, outcomes in (script or {}).items()}
        self.latency = latency
        self.hang_after = hang_after  # deliver, then never answer, after this many copies
        self.calls: list[tuple[int, float]] = []
        self.delivered: Counter[int] = Counter()
        self.edits: list[str] = []
        self.hanging = 0

    async def make_request(self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        if isinstance(method, EditMessageText):
            self.edits.append(method.text)
            return True
        assert isinstance(method, CopyMessage), method
        chat = int(method.chat_id)
        self.calls.append((chat, time.monotonic()))
        if self.latency:
            await asyncio.sleep(self.latency)
        outcome = self.script[chat].pop(0) if self.script.get(chat) else "ok"
        if outcome == "429":
            raise TelegramRetryAfter(method, "Too Many Requests: retry after 1", retry_after=1)
        if outcome == "403":
            raise TelegramForbiddenError(method, "Forbidden: bot was blocked by the user")
        if outcome == "400":
            raise TelegramBadRequest(method, "Bad Request: chat not found")
        if outcome == "timeout":
            raise TelegramNetworkError(method, "Request timeout error")
        self.delivered[chat] += 1
        if self.hang_after is not None and len(self.calls) > self.hang_after:
            # Delivered, but the answer never comes: the process dies meanwhile.
            self.hanging += 1
            await asyncio.Event().wait()
        return MessageId(message_id=1)

    async def stream_content(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def close(self) -> None:
        return None


class VirtualTime:
    """A clock that sleeping moves forward, so that a 429's pause costs no real time."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


class RecordingLimiter(RateLimiter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pauses: list[float] = []

    def pause(self, seconds: float) -> None:
        self.pauses.append(seconds)
        super().pause(seconds)


@dataclass
class Env:
    db: Database
    users: UsersRepository
    repository: BroadcastsRepository
    limiters: list[RecordingLimiter] = field(default_factory=list)

    def broadcaster(self, rate: float = 25, virtual: bool = True, **options: Any) -> Broadcaster:
        time_ = VirtualTime()
        limiter = (RecordingLimiter(rate, clock=time_.clock, sleep=time_.sleep) if virtual
                   else RecordingLimiter(rate))
        self.limiters.append(limiter)
        options = {"concurrency": CONCURRENCY, "max_attempts": MAX_ATTEMPTS, "backoff": (0.5,),
                   "progress_every": 3600, "sleep": time_.sleep} | options
        return Broadcaster(self.repository, self.users, limiter, create_i18n("en"), "en", **options)

    async def job(self) -> Job:
        return await self.repository.create(ADMIN, ADMIN, 5, Audience("all"), ADMIN, 7)

    async def rows(self, job: Job) -> dict[int, tuple[str, int, str | None]]:
        rows = await self.db.read(
            "SELECT user_id, status, attempts, error FROM broadcast_recipients WHERE broadcast_id = ?", (job.id,))
        return {row["user_id"]: (row["status"], row["attempts"], row["error"]) for row in rows}


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[Env]:
    db = await open_database(tmp_path / "bot.sqlite3")
    await db.write_many("INSERT INTO users (id, first_seen, last_seen) VALUES (?, 0, 0)",
                        [(uid,) for uid in range(1, USERS + 1)])
    yield Env(db, UsersRepository(db), BroadcastsRepository(db, "en", item_ids()))
    await db.close()


async def run(env: Env, session: ScriptedSession, job: Job, **options: Any) -> Broadcaster:
    broadcaster = env.broadcaster(**options)
    await broadcaster.launch(Bot("1:test", session=session), job.id)
    await broadcaster.wait()
    return broadcaster


async def test_everyone_gets_exactly_one_copy_and_the_admin_the_totals(env: Env) -> None:
    job = await env.job()
    session = ScriptedSession()
    await run(env, session, job)
    assert session.delivered == Counter(range(1, USERS + 1))
    assert set((await env.rows(job)).values()) == {("sent", 1, None)}
    assert session.edits[-1] == (f"<b>Broadcast #{job.id}</b> to all users: finished\n"
                                 f"Sent: {USERS} of {USERS}\nBlocked the bot: 0\nFailed: 0")
    assert (await env.repository.get(job.id)).status == "finished"


async def test_429_pauses_everyone_and_retries_the_same_recipient(env: Env) -> None:
    job = await env.job()
    session = ScriptedSession({3: ["429", "429", "ok"]})
    await run(env, session, job)
    assert env.limiters[0].pauses == [1, 1]
    assert [chat for chat, _ in session.calls].count(3) == 3
    assert session.delivered == Counter(range(1, USERS + 1))  # nothing lost, nothing twice
    rows = await env.rows(job)
    assert rows[3] == ("sent", 1, None)  # a 429 is not an attempt, let alone a failure
    assert session.edits[-1].endswith(f"Sent: {USERS} of {USERS}\nBlocked the bot: 0\nFailed: 0")


async def test_429_holds_back_every_sender_for_retry_after(env: Env) -> None:
    job = await env.job()
    session = ScriptedSession({1: ["429"]}, latency=0.01)
    began = time.monotonic()
    await run(env, session, job, rate=200, virtual=False)
    first_429 = session.calls[0][1]
    after = [at for _, at in session.calls[1:] if at > first_429 + 0.02]
    assert after and min(after) - first_429 >= 0.95  # nobody sent during the second
    assert time.monotonic() - began < 3


async def test_403_marks_the_recipient_blocked_and_flags_the_user(env: Env) -> None:
    job = await env.job()
    session = ScriptedSession({4: ["403"]})
    await run(env, session, job)
    rows = await env.rows(job)
    assert rows[4] == ("blocked", 1, "Forbidden: bot was blocked by the user")
    assert [chat for chat, _ in session.calls].count(4) == 1
    assert (await env.db.read_one("SELECT blocked_bot FROM users WHERE id = 4"))["blocked_bot"] == 1
    assert sum(status == "sent" for status, _, _ in rows.values()) == USERS - 1
    assert "Blocked the bot: 1" in session.edits[-1]


@pytest.mark.parametrize(
    ("outcomes", "status", "attempts", "error"),
    [
        (["400"] * 3, "failed", 3, "TelegramBadRequest: Bad Request: chat not found"),
        (["timeout"] * 3, "failed", 3, "TelegramNetworkError: Request timeout error"),
        (["timeout", "ok"], "sent", 2, None),
        (["400", "timeout", "ok"], "sent", 3, None),
        (["timeout", "403"], "blocked", 2, "Forbidden: bot was blocked by the user"),
    ],
    ids=["400-fails", "timeouts-fail", "timeout-then-ok", "400-timeout-ok", "timeout-then-403"],
)
async def test_other_errors_are_retried_then_failed(env: Env, outcomes, status, attempts, error) -> None:
    job = await env.job()
    session = ScriptedSession({5: outcomes})
    await run(env, session, job)
    rows = await env.rows(job)
    assert rows[5] == (status, attempts, error)
    assert [chat for chat, _ in session.calls].count(5) == attempts
    assert sum(row[0] == "sent" for uid, row in rows.items() if uid != 5) == USERS - 1
    assert f"Failed: {int(status == 'failed')}" in session.edits[-1]


async def test_a_crash_loses_no_one_and_duplicates_at_most_the_sends_in_flight(env: Env) -> None:
    job = await env.job()
    crashed = ScriptedSession(hang_after=6)
    broadcaster = env.broadcaster()
    await broadcaster.launch(Bot("1:test", session=crashed), job.id)
    while crashed.hanging < CONCURRENCY:
        await asyncio.sleep(0.01)
    # The process dies: no graceful stop, the calls in flight never return.
    broadcaster._runs[job.id].task.cancel()
    await broadcaster.wait()
    rows = await env.rows(job)
    assert Counter(status for status, _, _ in rows.values()) == {"sent": 6, "sending": CONCURRENCY,
                                                                 "pending": USERS - 6 - CONCURRENCY}

    # The restart on the same SQLite file: no other process can hold a claim (bot/leases.py).
    assert await env.repository.take_over(None) == CONCURRENCY
    resumed = ScriptedSession()
    restarted = env.broadcaster()
    assert await restarted.resume(Bot("1:test", session=resumed)) == [job.id]
    await restarted.wait()
    delivered = crashed.delivered + resumed.delivered
    assert set(delivered) == set(range(1, USERS + 1))  # no one lost
    duplicates = [chat for chat, count in delivered.items() if count > 1]
    assert len(duplicates) == CONCURRENCY  # exactly the sends in flight, no more
    assert set((await env.rows(job)).values()) <= {("sent", 1, None), ("sent", 2, None)}
    assert resumed.edits[-1].endswith(f"Sent: {USERS} of {USERS}\nBlocked the bot: 0\nFailed: 0")


async def test_resume_sends_only_to_rows_left_pending_or_sending(env: Env) -> None:
    job = await env.job()
    await env.db.write("UPDATE broadcast_recipients SET status = 'sent', attempts = 1 WHERE user_id <= 10")
    await env.db.write("UPDATE broadcast_recipients SET status = 'sending', attempts = 1 WHERE user_id IN (11, 12)")
    await env.repository.take_over(None)
    session = ScriptedSession()
    broadcaster = env.broadcaster()
    await broadcaster.resume(Bot("1:test", session=session))
    await broadcaster.wait()
    assert session.delivered == Counter(range(11, USERS + 1))
    assert Counter(status for status, _, _ in (await env.rows(job)).values()) == {"sent": USERS}


async def test_finished_and_cancelled_jobs_are_not_resumed(env: Env) -> None:
    first, second = await env.job(), await env.job()
    await env.db.write("UPDATE broadcasts SET status = 'finished' WHERE id = ?", (first.id,))
    await env.db.write("UPDATE broadcasts SET status = 'cancelled' WHERE id = ?", (second.id,))
    session = ScriptedSession()
    broadcaster = env.broadcaster()
    assert await broadcaster.resume(Bot("1:test", session=session)) == []
    assert not session.calls


async def test_cancel_stops_sending_and_reports_what_was_not_sent(env: Env) -> None:
    job = await env.job()
    session = ScriptedSession(latency=0.02)
    broadcaster = env.broadcaster(rate=100, virtual=False, progress_every=0.05)
    await broadcaster.launch(Bot("1:test", session=session), job.id)
    while len(session.delivered) < 5:
        await asyncio.sleep(0.005)
    assert await broadcaster.cancel(job.id)
    await broadcaster.wait()
    counts = Counter(status for status, _, _ in (await env.rows(job)).values())
    assert "sending" not in counts and counts["pending"] > 0
    assert counts["sent"] == len(session.delivered)
    assert (await env.repository.get(job.id)).status == "cancelled"
    assert session.edits[-1].startswith(f"<b>Broadcast #{job.id}</b> to all users: cancelled")
    assert f"Not sent: {counts['pending']}" in session.edits[-1]
    assert not await broadcaster.cancel(job.id)  # already stopped


async def test_progress_shows_counts_rate_and_time_left(env: Env) -> None:
    job = await env.job()
    session = ScriptedSession(latency=0.01)
    await run(env, session, job, rate=100, virtual=False, progress_every=0.08)
    progress = [text for text in session.edits if "sending" in text]
    assert progress, session.edits
    assert "Remaining: " in progress[0] and "messages/s, about 0:00:0" in progress[0]


async def test_a_graceful_stop_leaves_no_claim_and_resumes_without_duplicates(env: Env) -> None:
    job = await env.job()
    first = ScriptedSession(latency=0.02)
    broadcaster = env.broadcaster(rate=100, virtual=False)
    await broadcaster.launch(Bot("1:test", session=first), job.id)
    while len(first.delivered) < 5:
        await asyncio.sleep(0.005)
    await broadcaster.stop()
    counts = Counter(status for status, _, _ in (await env.rows(job)).values())
    assert "sending" not in counts and counts["pending"] > 0
    assert (await env.repository.get(job.id)).status == "running"

    second = ScriptedSession()
    restarted = env.broadcaster()
    await restarted.resume(Bot("1:test", session=second))
    await restarted.wait()
    assert first.delivered + second.delivered == Counter(range(1, USERS + 1))


async def test_concurrency_keeps_the_rate_despite_latency(env: Env) -> None:
    """100 sends at 200/s over a 20 ms link: a sequential loop would manage about 45/s."""
    await env.db.write_many("INSERT INTO users (id, first_seen, last_seen) VALUES (?, 0, 0)",
                            [(uid,) for uid in range(USERS + 1, 101)])
    job = await env.job()
    session = ScriptedSession(latency=0.02)
    await run(env, session, job, rate=200, virtual=False, concurrency=8)
    times = [at for _, at in session.calls]
    rate = (len(times) - 1) / (times[-1] - times[0])
    assert len(times) == 100 and 150 <= rate <= 210
