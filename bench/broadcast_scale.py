"""A broadcast job for 100,000 recipients on SQLite or PostgreSQL: the time to create the
job, and the bot's memory while recipients are claimed and recorded one by one.

    python bench/broadcast_scale.py [--users 100000] [--claims 5000] [--postgres postgresql://...]

Creating the job is one INSERT … SELECT inside the database, so no recipient list passes
through Python: the RSS printed after creating the job and after the claims should stay
within 20 MB of the idle process (the target). --postgres empties that database's tables.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.db import open_configured
from bot.repositories.broadcasts import BroadcastsRepository
from flows.admin import Audience


def rss_mb() -> float:
    """The current resident set (not the peak), from /proc."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


async def run(users: int, claims: int, postgres: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = await open_configured(Path(folder) / "bench.sqlite3", postgres)
        try:
            if postgres:
                await db.write("DELETE FROM broadcasts")
                await db.write("DELETE FROM users")
            await db.write_many("INSERT INTO users (id, first_seen, last_seen) VALUES (?, 0, 0)",
                                ((10_000 + n,) for n in range(users)))
            repository = BroadcastsRepository(db, "en", ())
            idle = rss_mb()
            started = time.perf_counter()
            job = await repository.create(1, 1, 1, Audience("all"), 1, 1)
            created = time.perf_counter() - started
            after_create = rss_mb()
            started = time.perf_counter()
            for _ in range(claims):
                user_id = await repository.claim(job.id, "bench", int(time.time()) + 60)
                assert user_id is not None
                await repository.record(job.id, user_id, "bench", "sent")
            claimed = time.perf_counter() - started
            after_claims = rss_mb()
        finally:
            await db.close()
    engine = "PostgreSQL" if postgres else "SQLite"
    growth = max(after_create, after_claims) - idle
    print(f"{engine:<10} job for {job.total:,} recipients created in {created:.2f} s; "
          f"{claims:,} claimed and recorded in {claimed:.1f} s ({claims / claimed:,.0f}/s); "
          f"RSS idle {idle:.1f} MB, +{after_create - idle:.1f} after creating, +{after_claims - idle:.1f} after claims "
          f"(target < 20 MB: {'ok' if growth < 20 else 'MISSED'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=5_000)
    parser.add_argument("--postgres", help="also run on this PostgreSQL database (its tables are emptied)")
    args = parser.parse_args()
    asyncio.run(run(args.users, args.claims, None))
    if args.postgres:
        asyncio.run(run(args.users, args.claims, args.postgres))


if __name__ == "__main__":
    main()
