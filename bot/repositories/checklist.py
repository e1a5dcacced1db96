"""Checklist ticks: which items of flows.checklist a user has marked done."""

from __future__ import annotations

import time

from bot.db import Database


class ChecklistRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def done(self, user_id: int) -> set[str]:
        rows = await self.db.read("SELECT item_id FROM checklist_ticks WHERE user_id = ?", (user_id,))
        return {row["item_id"] for row in rows}

    async def set_done(self, user_id: int, item_id: str, done: bool, now: int | None = None) -> None:
        """Idempotent, so a double tap or an old button cannot flip the tick back."""
        if done:
            await self.db.write(
                "INSERT INTO checklist_ticks (user_id, item_id, done_at) VALUES (?, ?, ?)"
                " ON CONFLICT (user_id, item_id) DO NOTHING",
                (user_id, item_id, int(time.time()) if now is None else now),
            )
        else:
            await self.db.write("DELETE FROM checklist_ticks WHERE user_id = ? AND item_id = ?", (user_id, item_id))
