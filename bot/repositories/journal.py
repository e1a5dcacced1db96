"""The update journal: updates in hand, recorded before Telegram is told they arrived, each
held by the instance handling it for a lease (migrations/0011 has the states)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from bot.db import Database

KEEP_DONE_SECONDS = 24 * 3600  # Telegram keeps an unconfirmed update for a day


class JournalRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, updates: Sequence[tuple[int, int | None, str]], owner: str, lease_until: int,
                     now: int | None = None) -> set[int]:
        """(update_id, user_id, JSON body) for each update, held by ``owner`` until
        ``lease_until``. Returns the ids ``owner`` now holds: the new ones, and copies of
        those a dead instance left (their lease ran out). A copy of one handled already, or
        in hand on a live instance (this one included), stays as it is and is not returned."""
        if not updates:
            return set()
        received = int(time.time()) if now is None else now
        # One statement for the batch: its RETURNING says which rows this instance got.
        values = ", ".join(["(?, ?, ?, ?, ?, ?)"] * len(updates))
        rows = await self.db.write(
            "INSERT INTO update_journal (update_id, user_id, body, received_at, claimed_by, lease_until)"
            f" VALUES {values} ON CONFLICT (update_id) DO UPDATE"
            " SET claimed_by = excluded.claimed_by, lease_until = excluded.lease_until"
            " WHERE update_journal.done_at IS NULL AND coalesce(update_journal.lease_until, 0) < ?"
            " RETURNING update_id",
            [*(value for update_id, user_id, body in updates
               for value in (update_id, user_id, body, received, owner, lease_until)), received])
        return {row["update_id"] for row in rows}

    async def mark_done(self, update_id: int, now: int | None = None) -> None:
        await self.db.write(
            "UPDATE update_journal SET done_at = ?, body = NULL, claimed_by = NULL, lease_until = NULL"
            " WHERE update_id = ? AND done_at IS NULL",
            (int(time.time()) if now is None else now, update_id))

    async def is_done(self, update_id: int) -> bool:
        row = await self.db.read_one("SELECT done_at FROM update_journal WHERE update_id = ?", (update_id,))
        return row is not None and row["done_at"] is not None

    async def renew(self, owner: str, lease_until: int) -> None:
        """Extend the lease of every update ``owner`` has in hand."""
        await self.db.write(
            "UPDATE update_journal SET lease_until = ? WHERE done_at IS NULL AND claimed_by = ?",
            (lease_until, owner))

    async def take_over(self, owner: str, lease_until: int, expired_by: int | None) -> list[tuple[int, str]]:
        """The updates in hand whose lease ended before ``expired_by`` (None: every one, when
        no other process can hold one), now held by ``owner``, oldest first: (update_id, JSON body)."""
        rows = await self.db.write(
            "UPDATE update_journal SET claimed_by = ?, lease_until = ?"
            " WHERE done_at IS NULL AND (CAST(? AS BIGINT) IS NULL OR coalesce(lease_until, 0) < ?)"
            " RETURNING update_id, body",
            (owner, lease_until, expired_by, expired_by))
        return sorted((row["update_id"], row["body"]) for row in rows)

    async def last_id(self) -> int | None:
        row = await self.db.read_one("SELECT max(update_id) AS last FROM update_journal")
        return row["last"] if row else None

    async def prune(self, now: int | None = None) -> None:
        cutoff = (int(time.time()) if now is None else now) - KEEP_DONE_SECONDS
        await self.db.write("DELETE FROM update_journal WHERE done_at IS NOT NULL AND done_at < ?", (cutoff,))
