"""The reminder scheduler on a real SQLite file, a fake clock and the local Bot API."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot

from bot.app import create_bot
from bot.broadcaster import Broadcaster
from bot.chat import LOCAL_TOKEN, LocalSession
from bot.db import Database, open_database
from bot.i18n import create_i18n
from bot.journal import UpdateJournal
from bot.leases import ClaimKeeper
from bot.local_api import LocalBotAPI
from bot.ratelimit import RateLimiter
from bot.repositories.broadcasts import BroadcastsRepository
from bot.repositories.checklist import ChecklistRepository
from bot.repositories.journal import JournalRepository
from bot.repositories.reminders import RemindersRepository
from bot.repositories.users import UsersRepository
from bot.scheduler import INTERRUPTED, ReminderScheduler
from flows.checklist import get_item, item_ids
from flows.reminders import MAX_SLEEP
from flows.timeparse import format_when
from tests.conftest import FakeClock, make_settings

# Each test runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.engines

USER = 42


class InstantTime:
    """Monotonic time and a sleep for the rate limiter and the retry backoff: sleeping
    moves the time on at once and is recorded."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class TimeoutSession(LocalSession):
    """A send that times out after Telegram may have received it."""

    async def make_request(self, bot: Bot, method: Any, timeout: int | None = None) -> Any:
        from aiogram.exceptions import TelegramNetworkError

        try:
            raise TimeoutError
        except TimeoutError as error:
            raise TelegramNetworkError(method=method, message="Request timeout error") from error


class KilledAfterSend(LocalSession):
    """The process dies right after Telegram accepted the message, before it is recorded."""

    async def make_request(self, bot: Bot, method: Any, timeout: int | None = None) -> Any:
        await super().make_request(bot, method, timeout)
        raise asyncio.CancelledError


@dataclass
class Env:
    db: Database
    api: LocalBotAPI
    bot: Bot
    clock: FakeClock
    time: InstantTime
    reminders: RemindersRepository
    users: UsersRepository
    waits: asyncio.Queue[float] = field(default_factory=asyncio.Queue)
    schedulers: list[ReminderScheduler] = field(default_factory=list)

    def scheduler(self, **options: Any) -> ReminderScheduler:
        """A new scheduler on the same database, as after a restart."""
        limiter = RateLimiter(25, clock=self.time.clock, sleep=self.time.sleep)

        async def wait(event: asyncio.Event, seconds: float) -> None:
            # Never times out by itself: the test moves the clock and sets the event.
            await self.waits.put(seconds)
            await event.wait()

        scheduler = ReminderScheduler(
            self.reminders, self.users, create_i18n("en"), limiter, default_locale="en",
            now=self.clock, wait=wait, sleep=self.time.sleep, **options,
        )
        self.schedulers.append(scheduler)
        return scheduler

    async def add(self, due: datetime, user_id: int = USER, item: str | None = "banks") -> int:
        return (await self.reminders.add(user_id, item, due, self.clock()))[0].id

    async def status(self, reminder_id: int) -> tuple[str, str | None]:
        row = await self.db.read_one("SELECT status, error FROM reminders WHERE id = ?", (reminder_id,))
        return row["status"], row["error"]

    def sent_to(self, user_id: int = USER) -> list[Any]:
        return [shown for shown in self.api.shown if shown.chat_id == user_id and shown.kind == "message"]


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[Env]:
    db = await open_database(tmp_path / "bot.sqlite3")
    api = LocalBotAPI()
    bot = create_bot(make_settings(tmp_path), session=LocalSession(api), token=LOCAL_TOKEN)
    users = UsersRepository(db)
    await users.touch(USER, "zh-hans")
    await users.set_time_zone(USER, "Asia/Shanghai")
    env = Env(db, api, bot, FakeClock(), InstantTime(), RemindersRepository(db), users)
    yield env
    for scheduler in env.schedulers:
        await scheduler.stop()
    await db.close()


async def test_the_loop_sleeps_until_the_next_reminder_and_wakes_for_a_new_one(env: Env) -> None:
    scheduler = env.scheduler()
    await scheduler.start(env.bot)
    assert await env.waits.get() == MAX_SLEEP.total_seconds()  # nothing pending

    await env.add(env.clock() + timedelta(minutes=30))
    scheduler.wakeup.set()  # what a handler does after adding one
    assert await env.waits.get() == 30 * 60

    await env.add(env.clock() + timedelta(seconds=90))
    scheduler.wakeup.set()
    assert await env.waits.get() == 90  # the earlier one now sets the time
    assert env.sent_to() == []

    env.clock.advance(seconds=90)
    scheduler.wakeup.set()  # stands for the timeout of the wait
    assert await env.waits.get() == 30 * 60 - 90
    assert len(env.sent_to()) == 1


async def test_a_due_reminder_is_sent_in_the_recipients_language_with_its_buttons(env: Env, gettext) -> None:
    reminder_id = await env.add(env.clock())
    assert await env.scheduler().run_due(env.bot) == 1
    [shown] = env.sent_to()
    title = gettext("Banks and SBP", "zh")
    assert shown.html.startswith(gettext("⏰ <b>Reminder:</b> {item}", "zh").format(item=title) + "\n\n")
    assert gettext(get_item("banks").howto, "zh") in shown.html
    # What is left of the checklist: nothing is ticked yet, then one item is.
    assert shown.html.endswith(gettext("📋 Checklist: {left} of {total} items left.", "zh").format(
        left=len(item_ids()), total=len(item_ids())))
    assert shown.button_texts() == [gettext(label, "zh") for label in
                                    ("✅ Done", "📋 Open this item", "Snooze 1 hour", "Snooze 1 day",
                                     "🔕 No more about this", "🔕 Stop all reminders")]
    assert [button["callback_data"] for row in shown.buttons for button in row] == [
        f"ra:{reminder_id}:done", "k:item:banks", f"ra:{reminder_id}:1h", f"ra:{reminder_id}:1d",
        f"ra:{reminder_id}:stop", f"ra:{reminder_id}:stop_all"]
    assert await env.status(reminder_id) == ("sent", None)
    row = await env.db.read_one("SELECT sent_at FROM reminders WHERE id = ?", (reminder_id,))
    assert row["sent_at"] == int(env.clock().timestamp())


async def test_a_reminder_about_the_whole_checklist_opens_it_and_counts_what_is_left(env: Env, gettext) -> None:
    await ChecklistRepository(env.db).set_done(USER, "banks", True)
    await env.add(env.clock(), item=None)
    await env.scheduler().run_due(env.bot)
    [shown] = env.sent_to()
    assert gettext("the checklist before cancelling", "zh") in shown.html
    assert shown.html.endswith(gettext("📋 Checklist: {left} of {total} items left.", "zh").format(
        left=len(item_ids()) - 1, total=len(item_ids())))
    assert shown.buttons[0][1]["text"] == gettext("📋 Open the checklist", "zh")
    assert shown.buttons[0][1]["callback_data"] == "k:list:"


async def test_not_due_yet_is_not_sent(env: Env) -> None:
    reminder_id = await env.add(env.clock() + timedelta(seconds=1))
    assert await env.scheduler().run_due(env.bot) == 0
    assert env.sent_to() == [] and (await env.status(reminder_id))[0] == "pending"


@pytest.mark.parametrize(
    ("late_by", "late_text"),
    [
        pytest.param(timedelta(seconds=60), False, id="60s-on-time"),
        pytest.param(timedelta(seconds=61), True, id="61s-late"),
        pytest.param(timedelta(days=7), True, id="7-days-late"),
    ],
)
async def test_reminders_found_overdue_say_they_are_late(env: Env, gettext, late_by: timedelta,
                                                         late_text: bool) -> None:
    due = env.clock() - late_by
    await env.add(due)
    await env.scheduler().run_due(env.bot)
    [shown] = env.sent_to()
    # The due time as people say it, on the user's Beijing clock (17:00 there now).
    local_due = format_when(due, "Asia/Shanghai", env.clock(), "zh", lambda msgid: gettext(msgid, "zh"))
    assert (f"{local_due} ({gettext('Beijing', 'zh')} (UTC+8))" in shown.text) is late_text
    if late_by == timedelta(seconds=61):
        assert local_due == "今天 16:58"


async def test_more_than_a_week_late_is_dropped_with_a_log_line(env: Env, caplog) -> None:
    reminder_id = await env.add(env.clock() - timedelta(days=7, seconds=1))
    with caplog.at_level(logging.WARNING, logger="bot.scheduler"):
        assert await env.scheduler().run_due(env.bot) == 0
    assert env.sent_to() == []
    assert (await env.status(reminder_id))[0] == "dropped"
    assert f"Dropped reminder {reminder_id}" in caplog.text


async def test_a_kill_right_after_the_send_never_sends_twice(env: Env, tmp_path: Path, caplog) -> None:
    reminder_id = await env.add(env.clock())
    dying_bot = create_bot(make_settings(tmp_path), session=KilledAfterSend(env.api), token=LOCAL_TOKEN)
    with pytest.raises(asyncio.CancelledError):
        await env.scheduler().run_due(dying_bot)
    assert len(env.sent_to()) == 1
    assert (await env.status(reminder_id))[0] == "claimed"

    # The restart on the same SQLite file: the claimed row is settled at once (no other
    # process can hold it), before anything is sent.
    scheduler = env.scheduler()
    broadcaster = Broadcaster(BroadcastsRepository(env.db, "en", ()), env.users, RateLimiter(25),
                              create_i18n("en"), "en")
    claims = ClaimKeeper(scheduler.lease, BroadcastsRepository(env.db, "en", ()), env.reminders, broadcaster,
                         scheduler, UpdateJournal(JournalRepository(env.db), scheduler.lease, exclusive=True),
                         exclusive=True)
    with caplog.at_level(logging.WARNING, logger="bot.leases"):
        await scheduler.start(env.bot)
        await claims.start(env.bot)
        await claims.stop()
        await env.waits.get()
    assert len(env.sent_to()) == 1
    assert await env.status(reminder_id) == ("failed", INTERRUPTED)
    assert f"Reminder {reminder_id} for user {USER} was being sent by a stopped instance" in caplog.text


async def test_a_cancelled_reminder_is_not_sent(env: Env) -> None:
    reminder_id = await env.add(env.clock())
    assert await env.reminders.cancel(USER, reminder_id)
    assert await env.scheduler().run_due(env.bot) == 0
    assert env.sent_to() == [] and (await env.status(reminder_id))[0] == "cancelled"


async def test_a_user_who_blocked_the_bot_is_flagged_and_never_retried(env: Env) -> None:
    env.api.fail(USER, 403, "Forbidden: bot was blocked by the user")
    reminder_id = await env.add(env.clock())
    other = await env.add(env.clock(), user_id=7)
    assert await env.scheduler().run_due(env.bot) == 1
    assert [method for method, params in env.api.calls if params.get("chat_id") == USER] == ["sendMessage"]
    status, error = await env.status(reminder_id)
    assert status == "failed" and "blocked" in error
    assert (await env.db.read_one("SELECT blocked_bot FROM users WHERE id = ?", (USER,)))[0] == 1
    assert (await env.status(other))[0] == "sent"  # the others still get theirs


async def test_flood_control_pauses_every_sender_and_retries(env: Env) -> None:
    env.api.fail(USER, 429, "Too Many Requests: retry after 7", retry_after=7, times=1)
    first = await env.add(env.clock())
    second = await env.add(env.clock(), user_id=7)
    scheduler = env.scheduler(concurrency=1)
    assert await scheduler.run_due(env.bot) == 2
    assert len(env.sent_to(USER)) == 1 and len(env.sent_to(7)) == 1
    assert (await env.status(first))[0] == "sent" and (await env.status(second))[0] == "sent"
    assert env.time.sleeps and max(env.time.sleeps) >= 7  # the limiter held the next send


async def test_endless_flood_control_gives_up(env: Env) -> None:
    env.api.fail(USER, 429, "Too Many Requests: retry after 1", retry_after=1, times=6)
    reminder_id = await env.add(env.clock())
    assert await env.scheduler().run_due(env.bot) == 0
    status, error = await env.status(reminder_id)
    assert status == "failed" and "flood control" in error
    assert env.sent_to() == []


@pytest.mark.parametrize(
    ("error", "times", "status", "backoff"),
    [
        pytest.param((500, "Internal Server Error"), 1, "sent", [1.0], id="one-5xx-then-ok"),
        pytest.param((502, "Bad Gateway"), 2, "sent", [1.0, 4.0], id="two-5xx-then-ok"),
        pytest.param((500, "Internal Server Error"), 3, "failed", [1.0, 4.0], id="gives-up"),
        pytest.param((400, "Bad Request: chat not found"), 1, "failed", [], id="bad-request-no-retry"),
    ],
)
async def test_other_errors_are_retried_a_few_times(env: Env, error: tuple[int, str], times: int, status: str,
                                                    backoff: list[float]) -> None:
    env.api.fail(USER, *error, times=times)
    reminder_id = await env.add(env.clock())
    await env.scheduler().run_due(env.bot)
    assert (await env.status(reminder_id))[0] == status
    assert len(env.sent_to()) == (1 if status == "sent" else 0)
    assert [s for s in env.time.sleeps if s >= 1] == backoff


async def test_a_timeout_is_not_retried_because_it_may_have_been_delivered(env: Env, tmp_path: Path) -> None:
    reminder_id = await env.add(env.clock())
    bot = create_bot(make_settings(tmp_path), session=TimeoutSession(env.api), token=LOCAL_TOKEN)
    assert await env.scheduler().run_due(bot) == 0
    status, error = await env.status(reminder_id)
    assert status == "failed" and error.startswith("timeout")


async def test_a_large_batch_is_sent_once_each_in_due_order(env: Env) -> None:
    ids = [await env.add(env.clock() - timedelta(seconds=n), user_id=1000 + n) for n in range(25)]
    assert await env.scheduler(batch_size=7).run_due(env.bot) == 25
    chats = [shown.chat_id for shown in env.api.shown]
    assert sorted(chats) == sorted(set(chats)) and len(chats) == 25
    assert chats == [1000 + n for n in reversed(range(25))]  # the most overdue first
    rows = await env.db.read("SELECT DISTINCT status FROM reminders")
    assert [row[0] for row in rows] == ["sent"] and len(ids) == 25


async def test_stop_ends_the_loop(env: Env) -> None:
    scheduler = env.scheduler()
    await scheduler.start(env.bot)
    await env.waits.get()
    await scheduler.stop()
    await env.add(env.clock())
    scheduler.wakeup.set()
    await asyncio.sleep(0)
    assert env.sent_to() == []
