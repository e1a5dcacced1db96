"""Updates per second and latency of the whole dispatcher, SQLite FSM storage vs MemoryStorage.

    python bench/updates.py [--users 300] [--rounds 3] [--postgres postgresql://...]

With --postgres, the same updates run once more with every table in that PostgreSQL
database (emptied first: use a throwaway one) and the FSM state there too.

A realistic mix of recorded updates (/start, menu and language buttons, free text, a sticker,
/forget and its buttons) from many users goes through the real dispatcher, middlewares and
routers; the session answers every Bot API call at once, so the figures are the bot's own cost.
Targets on a 2-core machine: ≥ 1,000 updates/s with SQLite, p99 < 5 ms, ≥ half of MemoryStorage.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.methods import TelegramMethod
from aiogram.types import Message

from bot.app import create_bot, create_dispatcher
from bot.callbacks import ForgetCb, LanguageCb, MenuCb
from bot.config import Settings
from bot.db import open_configured
from bot.i18n import create_i18n
from bot.storage import DatabaseStorage

BOT_USER = {"id": 1, "is_bot": True, "first_name": "bench"}
STICKER = {"file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1, "height": 1,
           "is_animated": False, "is_video": False}


class InstantSession(BaseSession):
    """Answers every call at once with a plausible result."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        # One prepared result: building a Message per call would measure pydantic, not the bot.
        self.message = Message.model_validate(
            {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}, "from": BOT_USER, "text": "ok"})

    async def make_request(self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        self.calls += 1
        return self.message if method.__returning__ is Message else True

    async def stream_content(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def close(self) -> None:
        return None


def user_message(user: dict[str, Any], text: str | None = None, **extra: Any) -> dict[str, Any]:
    chat = {"id": user["id"], "type": "private"}
    body = {"message_id": 2, "date": 0, "chat": chat, "from": user, **extra}
    if text is not None:
        body["text"] = text
        if text.startswith("/"):
            body["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    return {"message": body}


def button_press(user: dict[str, Any], data: str) -> dict[str, Any]:
    chat = {"id": user["id"], "type": "private"}
    bot_message = {"message_id": 1, "date": 0, "chat": chat, "from": BOT_USER, "text": "menu"}
    return {"callback_query": {"id": f"{user['id']}-{data}", "from": user, "message": bot_message,
                               "chat_instance": "c", "data": data}}


def recorded_updates(users: int) -> list[dict[str, Any]]:
    """One conversation per user, interleaved as they would arrive from many people."""
    languages = ["zh-hans", "ru", "en", "zh", "de"]
    conversations = []
    for index in range(users):
        user = {"id": 10_000 + index, "is_bot": False, "first_name": f"u{index}",
                "language_code": languages[index % 5]}
        message, press = partial(user_message, user), partial(button_press, user)
        conversations.append([
            message("/start"),
            press(MenuCb(entry="language").pack()),
            press(LanguageCb(code=("zh", "ru", "en")[index % 3]).pack()),
            message("/help"),
            message("how do I cancel my MTS SIM from abroad?"),
            message(sticker=STICKER),
            message("/menu"),
            press(MenuCb(entry="check").pack()),
            message("/cancel"),
            message("/forget"),
            press(ForgetCb(confirm=False).pack()),
            press("stale:button"),
        ])
    updates = []
    for step in range(max(len(c) for c in conversations)):
        for conversation in conversations:
            if step < len(conversation):
                updates.append({"update_id": len(updates) + 1, **conversation[step]})
    return updates


async def run(label: str, use_sqlite: bool, updates: list[dict[str, Any]], rounds: int,
              postgres: str | None = None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(_env_file=None, database_path=Path(folder) / "bench.sqlite3", database_url=postgres)
        db = await open_configured(settings.database_path, settings.database_dsn)
        if postgres:
            for table in ("users", "fsm_state", "update_journal", "checks", "checklist_ticks", "reminders"):
                await db.write(f"DELETE FROM {table}")
        session = InstantSession()
        bot = create_bot(settings, session=session, token="42:bench")
        storage = DatabaseStorage(db, 0 if postgres else 10_000) if use_sqlite else MemoryStorage()
        dispatcher = create_dispatcher(settings, db, storage=storage, i18n=create_i18n("en"))
        await dispatcher.emit_startup(bot=bot, dispatcher=dispatcher, **dispatcher.workflow_data)
        for update in updates[:200]:  # warm caches and the SQLite page cache
            await dispatcher.feed_raw_update(bot, update)
        latencies = []
        started = time.perf_counter()
        for _ in range(rounds):
            for update in updates:
                before = time.perf_counter()
                await dispatcher.feed_raw_update(bot, update)
                latencies.append(time.perf_counter() - before)
        elapsed = time.perf_counter() - started
        await dispatcher.emit_shutdown(bot=bot, dispatcher=dispatcher, **dispatcher.workflow_data)
        await db.close()
    latencies.sort()
    result = {
        "rate": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(len(latencies) * 0.99)] * 1000,
        "calls": session.calls,
    }
    print(f"{label:<14} {result['rate']:>8.0f} updates/s   p50 {result['p50']:.2f} ms   "
          f"p99 {result['p99']:.2f} ms   ({len(latencies)} updates, {session.calls} API calls)")
    return result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", help="also run on this PostgreSQL database (its tables are emptied)")
    args = parser.parse_args()
    updates = recorded_updates(args.users)
    print(f"{len(updates)} recorded updates from {args.users} users, {args.rounds} rounds each")
    memory = await run("MemoryStorage", False, updates, args.rounds)
    sqlite = await run("DatabaseStorage", True, updates, args.rounds)
    print(f"SQLite/Memory rate: {sqlite['rate'] / memory['rate']:.0%}   "
          f"targets: ≥1000/s {'ok' if sqlite['rate'] >= 1000 else 'MISSED'}, "
          f"p99<5ms {'ok' if sqlite['p99'] < 5 else 'MISSED'}, "
          f"≥50% of memory {'ok' if sqlite['rate'] >= memory['rate'] / 2 else 'MISSED'}")
    if args.postgres:
        # No caches there: several instances may share the database (bot/app.py).
        postgres = await run("PostgreSQL", True, updates, args.rounds, args.postgres)
        print(f"PostgreSQL/SQLite rate: {postgres['rate'] / sqlite['rate']:.0%}")


if __name__ == "__main__":
    asyncio.run(main())
