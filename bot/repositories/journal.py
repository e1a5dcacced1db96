"""The update journal: updates in hand, recorded before Telegram is told they arrived."""

from __future__ import annotations

import time
from collections.abc import Iterable

from bot.db import Database

KEEP_DONE_SECONDS = 24 * 3600  # Telegram keeps an unconfirmed update for a day


class JournalRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, updates: Iterable[tuple[int, int | None, str]], now: int | None = None) -> None:
        """(update_id, user_id, JSON body) for each update; one that is already known is left as it is."""
        received = int(time.time()) if now is None else now
        await self.db.write_many(
            "INSERT INTO update_journal (update_id, user_id, body, received_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (update_id) DO NOTHING",
            [(update_id, user_id, body, received) for update_id, user_id, body in updates])

    async def mark_done(self, update_id: int, now: int | None = None) -> None:
        await self.db.write(
            "UPDATE update_journal SET done_at = ?, body = NULL WHERE update_id = ? AND done_at IS NULL",
            (int(time.time()) if now is None else now, update_id))

    async def is_done(self, update_id: int) -> bool:
        row = await self.db.read_one("SELECT done_at FROM update_journal WHERE update_id = ?", (update_id,))
        return row is not None and row["done_at"] is not None

    async def in_hand(self) -> list[tuple[int, str]]:
        """The updates recorded but not handled, oldest first: (update_id, JSON body)."""
        rows = await self.db.read(
            "SELECT update_id, body FROM update_journal WHERE done_at IS NULL ORDER BY update_id")
        return [(row["update_id"], row["body"]) for row in rows]

    async def last_id(self) -> int | None:
        row = await self.db.read_one("SELECT max(update_id) AS last FROM update_journal")
        return row["last"] if row else None

    async def prune(self, now: int | None = None) -> None:
        cutoff = (int(time.time()) if now is None else now) - KEEP_DONE_SECONDS
        await self.db.write("DELETE FROM update_journal WHERE done_at IS NOT NULL AND done_at < ?", (cutoff,))
