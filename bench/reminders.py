"""Benchmark: many reminders due at the same moment, through the real scheduler.

    python bench/reminders.py [--count 10000] [--rate R] [--concurrency 4]

Stores ``--count`` users and one reminder each, all due at the same second, in a fresh
SQLite file; starts the real ReminderScheduler (real clock, real RateLimiter) with a bot
whose session is the in-process LocalBotAPI (answers at once, validates like Telegram);
waits until every reminder is sent. Prints deliveries per second, duplicates, and the
largest delay after the due time apart from waiting behind the rate limiter: the i-th
delivery (from 0) cannot happen before due + i/rate, so the overhead is
max_i(sent_i - due - i/rate). Target: within 2 s.

The rate defaults to BROADCAST_RATE (25/s, so 10,000 reminders take about 7 minutes); a
higher --rate makes it quicker and is named in the output.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import Bot

from bot.app import create_bot
from bot.chat import LOCAL_TOKEN, LocalSession
from bot.config import load_settings
from bot.db import open_database
from bot.i18n import create_i18n
from bot.local_api import LocalBotAPI
from bot.ratelimit import RateLimiter
from bot.repositories.reminders import RemindersRepository
from bot.repositories.users import UsersRepository
from bot.scheduler import ReminderScheduler
from flows.checklist import item_ids

LEAD_SECONDS = 2  # the reminders fall due this long after the scheduler starts sleeping


class RecordingSession(LocalSession):
    """The local Bot API, noting when each message was accepted and for whom."""

    def __init__(self, api: LocalBotAPI, expected: int) -> None:
        super().__init__(api)
        self.sends: list[tuple[float, int]] = []
        self.expected = expected
        self.all_sent = asyncio.Event()

    async def make_request(self, bot: Bot, method: Any, timeout: int | None = None) -> Any:
        result = await super().make_request(bot, method, timeout)
        if method.__api_method__ == "sendMessage":
            self.sends.append((time.time(), int(method.chat_id)))
            if len(self.sends) >= self.expected:
                self.all_sent.set()
        return result


async def run(count: int, rate: float, concurrency: int, configured_rate: float) -> int:
    with tempfile.TemporaryDirectory() as folder:
        db = await open_database(Path(folder) / "bench.sqlite3")
        try:
            due = math.ceil(time.time()) + LEAD_SECONDS
            items = (*item_ids(), None)
            languages = ("zh", "ru", "en")
            await db.write_many(
                "INSERT INTO users (id, language, first_seen, last_seen, time_zone) VALUES (?, ?, ?, ?, ?)",
                [(user, languages[user % 3], due, due, ("Europe/Moscow", "Asia/Shanghai")[user % 2]) for user in range(1, count + 1)],
            )
            await db.write_many(
                "INSERT INTO reminders (user_id, item_id, due_at, created_at) VALUES (?, ?, ?, ?)",
                [(user, items[user % len(items)], due, due - 60) for user in range(1, count + 1)],
            )
            session = RecordingSession(LocalBotAPI(), count)
            bot = create_bot(load_settings(bot_token=None), session=session, token=LOCAL_TOKEN)
            scheduler = ReminderScheduler(
                RemindersRepository(db), UsersRepository(db), create_i18n("en"), RateLimiter(rate),
                default_locale="en", concurrency=concurrency,
            )
            await scheduler.start(bot)
            # Generous: the run should take count / rate seconds.
            timeout = LEAD_SECONDS + count / rate * 1.5 + 30
            try:
                await asyncio.wait_for(session.all_sent.wait(), timeout)
            except TimeoutError:
                print(f"timed out after {timeout:.0f} s with {len(session.sends)} of {count} sent")
            await asyncio.sleep(0.2)  # anything extra (a duplicate) would arrive now
            await scheduler.stop()
            statuses = dict(tuple(row) for row in await db.read(
                "SELECT status, count(*) FROM reminders GROUP BY status"))
        finally:
            await db.close()

    sends = session.sends
    duplicates = sum(n - 1 for n in Counter(chat for _, chat in sends).values() if n > 1)
    times = [sent for sent, _ in sends]
    first, last = times[0], times[-1]
    per_second = (len(times) - 1) / (last - first) if len(times) > 1 else float("nan")
    overhead = max(sent - due - index / rate for index, sent in enumerate(times))

    note = "" if rate == configured_rate else f" (BROADCAST_RATE is {configured_rate:g}; run at {rate:g} to keep it short)"
    print(f"reminders: {count}, all due at the same second; rate limit {rate:g}/s{note}; concurrency {concurrency}")
    print(f"delivered: {len(sends)} in {last - first:.2f} s = {per_second:.1f} per second")
    print(f"duplicates: {duplicates}; statuses: {statuses}")
    print(f"first delivery {first - due:.3f} s after the due time; last {last - due:.2f} s")
    print(f"largest delay after due apart from waiting behind the rate limiter: {overhead:.3f} s (target < 2 s)")
    ok = len(sends) == count and duplicates == 0 and statuses == {"sent": count} and overhead < 2
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


def main() -> int:
    configured = load_settings(bot_token=None).broadcast_rate
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="reminders (default 10,000)")
    parser.add_argument("--rate", type=float, default=configured,
                        help=f"messages per second (default BROADCAST_RATE, now {configured:g})")
    parser.add_argument("--concurrency", type=int, default=4, help="sends in flight (default 4)")
    args = parser.parse_args()
    return asyncio.run(run(args.count, args.rate, args.concurrency, configured))


if __name__ == "__main__":
    sys.exit(main())
