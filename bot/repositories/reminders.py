"""Reminders: stored with their due time in UTC, claimed before each send.

Times are aware datetimes in this module's interface and unix seconds in the table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.db import Database, Row, Transaction

COLUMNS = "id, user_id, item_id, due_at, status"


def to_unix(moment: datetime) -> int:
    return int(moment.timestamp())


def to_unix_due(moment: datetime) -> int:
    # Rounded up: a reminder may come up to a second late, never early.
    return math.ceil(moment.timestamp())


def from_unix(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


@dataclass(frozen=True, slots=True)
class Reminder:
    id: int
    user_id: int
    item_id: str | None  # None: the whole checklist
    due_at: datetime
    status: str


@dataclass(frozen=True, slots=True)
class DueReminder:
    """A pending reminder with what the scheduler needs to write to its recipient."""

    id: int
    user_id: int
    item_id: str | None
    due_at: datetime
    language: str | None
    telegram_language: str | None
    time_zone: str | None
    ticked: int  # checklist items the user has ticked


def _reminder(row: Row) -> Reminder:
    return Reminder(row["id"], row["user_id"], row["item_id"], from_unix(row["due_at"]), row["status"])


class RemindersRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- what handlers do ---------------------------------------------------------------

    async def add(self, user_id: int, item_id: str | None, due: datetime, now: datetime) -> tuple[Reminder, bool]:
        """The stored reminder (confirm its due_at to the user, which is whole seconds) and
        whether it is new: a pending one for the same item and minute is returned instead
        (a unique index makes them one, whatever the handlers do)."""
        async with self.db.transaction() as tx:
            return await self._add(tx, user_id, item_id, to_unix_due(due), to_unix(now))

    @staticmethod
    async def _add(tx: Transaction, user_id: int, item_id: str | None, due_at: int,
                   created_at: int) -> tuple[Reminder, bool]:
        rows = await tx.fetch(
            "INSERT INTO reminders (user_id, item_id, due_at, created_at) VALUES (?, ?, ?, ?)"
            f" ON CONFLICT DO NOTHING RETURNING {COLUMNS}",
            (user_id, item_id, due_at, created_at),
        )
        if rows:
            return _reminder(list(rows)[0]), True
        rows = await tx.fetch(
            f"SELECT {COLUMNS} FROM reminders WHERE user_id = ? AND coalesce(item_id, '') = ?"
            " AND due_at / 60 = ? AND status = 'pending'",
            (user_id, item_id or "", due_at // 60),
        )
        return _reminder(list(rows)[0]), False

    async def reschedule(self, user_id: int, reminder_id: int, due: datetime, now: datetime) -> Reminder | None:
        """Move this user's pending reminder to ``due`` (into the one already there, if
        any); None when it is no longer pending."""
        async with self.db.transaction() as tx:
            rows = list(await tx.fetch(
                "UPDATE reminders SET status = 'cancelled' WHERE id = ? AND user_id = ? AND status = 'pending'"
                " RETURNING item_id",
                (reminder_id, user_id),
            ))
            if not rows:
                return None
            reminder, _ = await self._add(tx, user_id, rows[0]["item_id"], to_unix_due(due), to_unix(now))
            return reminder

    async def get_pending(self, user_id: int, reminder_id: int) -> Reminder | None:
        row = await self.db.read_one(
            f"SELECT {COLUMNS} FROM reminders WHERE id = ? AND user_id = ? AND status = 'pending'",
            (reminder_id, user_id),
        )
        return _reminder(row) if row else None

    async def count_pending(self, user_id: int) -> int:
        row = await self.db.read_one(
            "SELECT count(*) FROM reminders WHERE user_id = ? AND status = 'pending'", (user_id,)
        )
        return row[0] if row else 0

    async def pending(self, user_id: int) -> list[Reminder]:
        rows = await self.db.read(
            f"SELECT {COLUMNS} FROM reminders WHERE user_id = ? AND status = 'pending' ORDER BY due_at, id",
            (user_id,),
        )
        return [_reminder(row) for row in rows]

    async def cancel(self, user_id: int, reminder_id: int) -> bool:
        """False when it is not this user's pending reminder (any more)."""
        rows = await self.db.write(
            "UPDATE reminders SET status = 'cancelled' WHERE id = ? AND user_id = ? AND status = 'pending'"
            " RETURNING id",
            (reminder_id, user_id),
        )
        return bool(rows)

    async def cancel_item(self, user_id: int, item_id: str | None) -> int:
        """Cancel the user's pending reminders about one item (None: the whole checklist)."""
        rows = await self.db.write(
            "UPDATE reminders SET status = 'cancelled'"
             " WHERE user_id = ? AND coalesce(item_id, '') = ? AND status = 'pending' RETURNING id",
            (user_id, item_id or ""),
        )
        return len(rows)

    async def cancel_all(self, user_id: int) -> int:
        rows = await self.db.write(
            "UPDATE reminders SET status = 'cancelled' WHERE user_id = ? AND status = 'pending' RETURNING id",
            (user_id,),
        )
        return len(rows)

    async def answer(self, user_id: int, reminder_id: int, now: datetime) -> Reminder | None:
        """Record that a button under a delivered reminder was used; only the first use
        counts, so a double tap cannot snooze twice. None for anything else."""
        rows = await self.db.write(
            "UPDATE reminders SET answered_at = ?"
            " WHERE id = ? AND user_id = ? AND answered_at IS NULL AND status IN ('sent', 'failed')"
            f" RETURNING {COLUMNS}",
            (to_unix(now), reminder_id, user_id),
        )
        return _reminder(rows[0]) if rows else None

    # --- what the scheduler does ------------------------------------------------------------

    async def next_due(self) -> datetime | None:
        row = await self.db.read_one("SELECT min(due_at) FROM reminders WHERE status = 'pending'")
        return from_unix(row[0]) if row and row[0] is not None else None

    async def due(self, until: datetime, limit: int, after: tuple[datetime, int] | None = None) -> list[DueReminder]:
        """Pending reminders due at or before ``until``, earliest first, with the recipient's
        language, time zone and checklist progress (a user deleted with /forget has no
        reminders left).

        ``after`` = (due_at, id) of the last row of the previous page: paging by key, not by
        status, so that a row that stays pending (a send skipped at shutdown) cannot make a
        caller fetch it forever.
        """
        after_due, after_id = (to_unix(after[0]), after[1]) if after else (-1, -1)
        rows = await self.db.read(
            "SELECT r.id, r.user_id, r.item_id, r.due_at, u.language, u.telegram_language, u.time_zone,"
            " (SELECT count(*) FROM checklist_ticks AS t WHERE t.user_id = r.user_id) AS ticked"
            " FROM reminders AS r LEFT JOIN users AS u ON u.id = r.user_id"
            " WHERE r.status = 'pending' AND r.due_at <= ? AND (r.due_at, r.id) > (?, ?)"
            " ORDER BY r.due_at, r.id LIMIT ?",
            (to_unix(until), after_due, after_id, limit),
        )
        return [
            DueReminder(row["id"], row["user_id"], row["item_id"], from_unix(row["due_at"]),
                        row["language"], row["telegram_language"], row["time_zone"], row["ticked"])
            for row in rows
        ]

    async def claim(self, reminder_id: int, owner: str, lease_until: int) -> bool:
        """Take a pending reminder for sending, for ``owner`` until ``lease_until``; False if
        it is no longer pending (cancelled meanwhile, or taken by another drain or instance)."""
        rows = await self.db.write(
            "UPDATE reminders SET status = 'claimed', claimed_by = ?, lease_until = ?"
            " WHERE id = ? AND status = 'pending' RETURNING id",
            (owner, lease_until, reminder_id),
        )
        return bool(rows)

    async def renew(self, owner: str, lease_until: int) -> None:
        """Extend the lease of every reminder ``owner`` is sending."""
        await self.db.write(
            "UPDATE reminders SET lease_until = ? WHERE status = 'claimed' AND claimed_by = ?",
            (lease_until, owner),
        )

    async def mark_sent(self, reminder_id: int, now: datetime) -> None:
        await self.db.write(
            "UPDATE reminders SET status = 'sent', sent_at = ?, error = NULL WHERE id = ?",
            (to_unix(now), reminder_id),
        )

    async def mark_failed(self, reminder_id: int, error: str) -> None:
        await self.db.write(
            "UPDATE reminders SET status = 'failed', error = ? WHERE id = ?", (error[:500], reminder_id)
        )

    async def drop(self, reminder_id: int) -> bool:
        rows = await self.db.write(
            "UPDATE reminders SET status = 'dropped' WHERE id = ? AND status = 'pending' RETURNING id",
            (reminder_id,),
        )
        return bool(rows)

    async def take_over(self, expired_by: int | None, error: str) -> list[Reminder]:
        """Claims whose lease ended before ``expired_by`` (None: every claim, when no other
        process can hold one): their instance died while sending, and they may have been
        delivered. Mark them failed with ``error`` rather than send them again."""
        rows = await self.db.write(
            "UPDATE reminders SET status = 'failed', error = ? WHERE status = 'claimed'"
            f" AND (CAST(? AS BIGINT) IS NULL OR coalesce(lease_until, 0) < ?) RETURNING {COLUMNS}",
            (error, expired_by, expired_by),
        )
        return [_reminder(row) for row in rows]
