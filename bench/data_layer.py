"""The statements of an update's hot path through the bot's own thin layer (bot/db.py,
bot/postgres.py) and through SQLAlchemy Core's async engine, on SQLite and on PostgreSQL.

    pip install "sqlalchemy[asyncio]"   # not a dependency of the bot
    python bench/data_layer.py [--ops 3000] [--concurrency 20] [--postgres postgresql://...]

Each update of bench/updates.py costs at most three statements: the user's upsert (touch),
the FSM state read and the FSM state upsert. Both layers run the same SQL text on the same
database (emptied first: use a throwaway PostgreSQL database), first one at a time, then
``--concurrency`` coroutines at once, as updates arrive. Printed: statements per second and
the mean time per statement. SQLAlchemy gets its best case: prepared text() statements, its
statement cache, a pool as large as the bot's (its other settings as they come).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.db import Database, open_configured
from bot.postgres import POOL_SIZE

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

USERS = 300
TOUCH = ("INSERT INTO users (id, telegram_language, first_seen, last_seen) VALUES ({0}, {1}, {2}, {3})"
         " ON CONFLICT (id) DO UPDATE SET telegram_language = coalesce(excluded.telegram_language,"
         " users.telegram_language), last_seen = excluded.last_seen, blocked_bot = 0 RETURNING language, first_seen")
KEY = "bot_id = {0} AND chat_id = {1} AND user_id = {2} AND thread_id = 0 AND business_connection_id = ''" \
      " AND destiny = 'default'"
READ_STATE = "SELECT state, data FROM fsm_state WHERE " + KEY
WRITE_STATE = ("INSERT INTO fsm_state (bot_id, chat_id, user_id, thread_id, business_connection_id, destiny,"
               " state, updated_at) VALUES ({0}, {1}, {2}, 0, '', 'default', {3}, {4})"
               " ON CONFLICT (bot_id, chat_id, user_id, thread_id, business_connection_id, destiny)"
               " DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at")

Step = Callable[[int], Awaitable[object]]


def own_steps(db: Database) -> list[Step]:
    touch, read, write = TOUCH.format(*"????"), READ_STATE.format("?", "?", "?"), WRITE_STATE.format(*"?????")
    return [
        lambda n: db.write(touch, (n % USERS + 1, "zh", int(time.time()), int(time.time()))),
        lambda n: db.read_one(read, (1, n % USERS + 1, n % USERS + 1)),
        lambda n: db.write(write, (1, n % USERS + 1, n % USERS + 1, "Check:q1", int(time.time()))),
    ]


def alchemy_steps(engine: AsyncEngine) -> list[Step]:
    from sqlalchemy import text

    touch = text(TOUCH.format(":id", ":lang", ":now", ":now"))
    read = text(READ_STATE.format(":bot", ":chat", ":chat"))
    write = text(WRITE_STATE.format(":bot", ":chat", ":chat", ":state", ":now"))

    async def touch_user(n: int) -> object:
        async with engine.begin() as connection:
            return (await connection.execute(touch, {"id": n % USERS + 1, "lang": "zh", "now": int(time.time())})).first()

    async def read_state(n: int) -> object:
        async with engine.connect() as connection:
            return (await connection.execute(read, {"bot": 1, "chat": n % USERS + 1})).first()

    async def write_state(n: int) -> object:
        async with engine.begin() as connection:
            return await connection.execute(write, {"bot": 1, "chat": n % USERS + 1, "state": "Check:q1",
                                                    "now": int(time.time())})

    return [touch_user, read_state, write_state]


async def measure(steps: list[Step], ops: int, concurrency: int) -> float:
    """Seconds for ``ops`` statements, the steps in turn, ``concurrency`` coroutines at once."""
    counter = iter(range(ops))

    async def worker() -> None:
        for n in counter:
            await steps[n % len(steps)](n)

    for n in range(len(steps) * 10):  # warm up: connections, statement caches
        await steps[n % len(steps)](n)
    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started


async def run(engine_name: str, path: Path, url: str | None, ops: int, concurrency: int) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    db = await open_configured(path, url)
    if url:
        await db.write("DELETE FROM users")
        await db.write("DELETE FROM fsm_state")
        alchemy = create_async_engine(url.replace("postgresql://", "postgresql+asyncpg://", 1),
                                      pool_size=POOL_SIZE, max_overflow=0)
    else:
        # The bot's settings for its one connection; SQLAlchemy's pool adds connections.
        alchemy = create_async_engine(f"sqlite+aiosqlite:///{path}",
                                      connect_args={"isolation_level": None, "timeout": 1})
    try:
        for layer, steps in (("own layer", own_steps(db)), ("SQLAlchemy Core", alchemy_steps(alchemy))):
            for workers in (1, concurrency):
                seconds = await measure(steps, ops, workers)
                print(f"{engine_name:<10} {layer:<16} {workers:>3} at once: {ops / seconds:8,.0f} statements/s,"
                      f" {seconds / ops * 1e6:6.0f} µs each")
    finally:
        await alchemy.dispose()
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--postgres", help="a throwaway PostgreSQL database URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run("SQLite", Path(folder) / "bench.sqlite3", None, args.ops, args.concurrency))
    if args.postgres:
        asyncio.run(run("PostgreSQL", Path(), args.postgres, args.ops, args.concurrency))


if __name__ == "__main__":
    main()
