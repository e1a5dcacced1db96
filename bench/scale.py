"""/stats at scale, and what it does to everyone else meanwhile.

    python bench/scale.py [--users 1000000] [--db /tmp/scale.sqlite3] [--rounds 3]

Builds (once; an existing --db is reused) a database with that many users and a plausible
amount of everything else: checks, checklist ticks, reminders, votes, unanswered questions,
broadcasts. Then, through the real dispatcher, an admin sends /stats while other users keep
sending /start, one every 10 ms. It prints how long /stats takes to answer and how long the
users' updates wait meanwhile. Targets at 1,000,000 users on a 2-core machine: /stats < 1 s,
a user's update < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.chat import LocalChat, local_bot, local_user
from bot.config import Settings
from bot.db import open_database
from flows.checklist import item_ids

ADMIN = 1
DAY = 86400
LANGUAGES = ["zh-hans", "zh", "ru", "en", "en-us", "de", None]
STATUSES = ["can_cancel", "blocked", "unclear", "must_visit"]
OPERATORS = ["mts", "beeline", "megafon", "tele2", "other"]


async def build(path: Path, users: int) -> None:
    await (await open_database(path)).close()  # the schema, through the bot's own migrations
    rng = random.Random(7)
    now = int(time.time())
    items = item_ids()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA synchronous=OFF")
        connection.executemany(
            "INSERT INTO users (id, language, telegram_language, first_seen, last_seen, blocked_bot)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            ((uid, rng.choice(["zh", "ru", None, None, None]), rng.choice(LANGUAGES),
              now - rng.randrange(90 * DAY), now - rng.randrange(60 * DAY), int(rng.random() < 0.02))
             for uid in range(ADMIN, users + 1)))
        connection.executemany(
            "INSERT INTO checks (user_id, answers, status, operator, channel, finished_at) VALUES (?, '{}', ?, ?, ?, ?)",
            ((rng.randrange(2, users + 1), rng.choice(STATUSES), rng.choice(OPERATORS),
              rng.choice([None, "store", "gosuslugi"]), now - rng.randrange(60 * DAY))
             for _ in range(users * 2 // 5)))
        connection.executemany(
            "INSERT OR IGNORE INTO checklist_ticks (user_id, item_id, done_at) VALUES (?, ?, ?)",
            ((rng.randrange(2, users + 1), rng.choice(items), now) for _ in range(users // 2)))
        connection.executemany(
            "INSERT INTO reminders (user_id, item_id, due_at, status, created_at) VALUES (?, NULL, ?, ?, ?)",
            # All in the future: reminders going out would be measured, not /stats.
            ((rng.randrange(2, users + 1), now + rng.randrange(DAY, 30 * DAY), rng.choice(["pending", "sent"]), now)
             for _ in range(users // 20)))
        connection.executemany(
            "INSERT OR IGNORE INTO question_votes (user_id, message_id, entry_id, helpful, voted_at)"
            " VALUES (?, ?, 'money_balance', ?, ?)",
            ((rng.randrange(2, users + 1), rng.randrange(1, 50), rng.randrange(2), now) for _ in range(users // 50)))
        connection.executemany(
            "INSERT INTO unanswered_questions (text, asked_at) VALUES (?, ?)",
            ((f"question number {rng.randrange(5000)}", now) for _ in range(users // 20)))
        for job in range(1, 6):
            connection.execute(
                "INSERT INTO broadcasts (user_id, from_chat_id, message_id, audience, status, status_chat_id,"
                " status_message_id, total, sent, blocked, failed, created_at)"
                " VALUES (?, ?, 1, '{\"kind\": \"all\", \"value\": \"\"}', 'finished', ?, 2, 100, 98, 1, 1, ?)",
                (ADMIN, ADMIN, ADMIN, now - job * DAY))
        connection.execute("ANALYZE")


async def measure(path: Path, rounds: int) -> None:
    settings = Settings(_env_file=None, database_path=path, admin_ids=str(ADMIN))  # type: ignore[call-arg]
    async with local_bot(settings) as (dispatcher, bot, api, _):
        admin = LocalChat(dispatcher, bot, api, local_user(ADMIN, "en"))
        # New users, so that every update reads and writes the database (a known user's
        # /start can be served from the caches); their ids come after everyone's, as a new
        # Telegram account's would.
        new_ids = iter(range(10_000_000, 20_000_000))
        await admin.send("/start")
        for _ in range(20):
            await LocalChat(dispatcher, bot, api, local_user(next(new_ids), "en")).send("/start")
        stats_times: list[float] = []
        waits: list[float] = []
        for _ in range(rounds):
            done = asyncio.Event()

            async def others(done: asyncio.Event) -> None:
                while not done.is_set():
                    began = time.perf_counter()
                    await LocalChat(dispatcher, bot, api, local_user(next(new_ids), "en")).send("/start")
                    waits.append(time.perf_counter() - began)
                    await asyncio.sleep(0.01)

            traffic = asyncio.create_task(others(done))
            await asyncio.sleep(0.05)
            began = time.perf_counter()
            shown = await admin.send("/stats")
            stats_times.append(time.perf_counter() - began)
            done.set()
            await traffic
            assert any(item.chat_id == ADMIN and "Users" in item.text for item in shown), shown
        print(f"/stats: median {statistics.median(stats_times) * 1000:.0f} ms, max {max(stats_times) * 1000:.0f} ms "
              f"over {rounds} rounds")
        waits.sort()
        print(f"a user's update meanwhile: median {statistics.median(waits) * 1000:.1f} ms, "
              f"p99 {waits[int(len(waits) * 0.99)] * 1000:.1f} ms, max {waits[-1] * 1000:.1f} ms "
              f"({len(waits)} updates)")


async def open_and_close(path: Path) -> None:
    await (await open_database(path)).close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/scale.sqlite3"))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not args.db.exists():
        began = time.perf_counter()
        asyncio.run(build(args.db, args.users))
        print(f"built {args.db} with {args.users:,} users in {time.perf_counter() - began:.0f} s")
    began = time.perf_counter()
    asyncio.run(open_and_close(args.db))
    print(f"start-up check of the file (quick_check) and migrations: {(time.perf_counter() - began) * 1000:.0f} ms")
    asyncio.run(measure(args.db, args.rounds))


if __name__ == "__main__":
    main()
