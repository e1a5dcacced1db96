"""Broadcast audiences and jobs: who receives a broadcast, and each recipient's delivery.

Recipients never include users who blocked the bot. A user's language is the one the bot
speaks to them (the SQL function resolve_locale is flows.locale.resolve_locale, registered
by bot.db on SQLite and created by a migration on PostgreSQL). Delivery rows are claimed and
recorded one at a time; only claims (a few: those in flight) are renewed or taken over together.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.db import Database
from flows.admin import Audience, Progress

# The latest check of each user: their current verdict and operator.
LATEST_CHECKS = (
    "latest AS (SELECT user_id, status, operator FROM ("
    " SELECT user_id, status, operator,"
    " row_number() OVER (PARTITION BY user_id ORDER BY finished_at DESC, id DESC) AS n"
    " FROM checks) AS ranked WHERE n = 1)"
)


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    admin_id: int
    from_chat_id: int
    message_id: int
    audience: Audience
    status: str
    status_chat_id: int
    status_message_id: int
    total: int
    admin_language: str | None
    admin_telegram_language: str | None


def audience_query(audience: Audience, default_locale: str, item_ids: Sequence[str]) -> tuple[str, list[Any]]:
    """SQL selecting the user_id of every recipient of ``audience``, and its parameters."""
    if audience.kind == "all":
        return "SELECT id AS user_id FROM users WHERE blocked_bot = 0", []
    if audience.kind == "language":
        return ("SELECT id AS user_id FROM users WHERE blocked_bot = 0"
                " AND resolve_locale(language, telegram_language, ?) = ?", [default_locale, audience.value])
    if audience.kind in ("status", "operator"):
        # The column name comes from the fixed kind, never from the caller's value.
        return (f"WITH {LATEST_CHECKS} SELECT u.id AS user_id FROM users AS u"
                f" JOIN latest AS l ON l.user_id = u.id WHERE u.blocked_bot = 0 AND l.{audience.kind} = ?",
                [audience.value])
    if audience.kind == "unfinished":
        marks = ", ".join("?" * len(item_ids))
        return ("SELECT id AS user_id FROM users AS u WHERE blocked_bot = 0 AND"
                f" (SELECT count(*) FROM checklist_ticks AS t WHERE t.user_id = u.id AND t.item_id IN ({marks}))"
                " < ?", [*item_ids, len(item_ids)])
    raise ValueError(f"unknown audience kind {audience.kind!r}")


class BroadcastsRepository:
    def __init__(self, db: Database, default_locale: str, item_ids: Sequence[str]) -> None:
        self.db = db
        self.default_locale = default_locale
        self.item_ids = tuple(item_ids)

    # --- audiences ------------------------------------------------------------------------

    async def count(self, audience: Audience) -> int:
        sql, params = audience_query(audience, self.default_locale, self.item_ids)
        row = await self.db.read_one(f"SELECT count(*) AS n FROM ({sql}) AS audience", params)
        return row["n"] if row else 0

    async def breakdown(self, kind: str) -> list[tuple[str, int]]:
        """The values of ``kind`` (language, status or operator) with their recipient counts,
        largest first."""
        if kind == "language":
            sql = ("SELECT resolve_locale(language, telegram_language, ?) AS value, count(*) AS n"
                   " FROM users WHERE blocked_bot = 0 GROUP BY value")
            params: list[Any] = [self.default_locale]
        elif kind in ("status", "operator"):
            sql = (f"WITH {LATEST_CHECKS} SELECT l.{kind} AS value, count(*) AS n FROM latest AS l"
                   f" JOIN users AS u ON u.id = l.user_id WHERE u.blocked_bot = 0 AND l.{kind} IS NOT NULL"
                   " GROUP BY value")
            params = []
        else:
            raise ValueError(f"no breakdown by {kind!r}")
        rows = await self.db.read(f"{sql} ORDER BY n DESC, value", params)
        return [(row["value"], row["n"]) for row in rows]

    # --- jobs -----------------------------------------------------------------------------

    async def create(self, admin_id: int, from_chat_id: int, message_id: int, audience: Audience,
                     status_chat_id: int, status_message_id: int, now: int | None = None) -> Job:
        """The job and one pending row per recipient, in one transaction."""
        now = int(time.time()) if now is None else now
        sql, params = audience_query(audience, self.default_locale, self.item_ids)
        async with self.db.transaction() as tx:
            rows = await tx.fetch(
                "INSERT INTO broadcasts (user_id, from_chat_id, message_id, audience, status_chat_id,"
                " status_message_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (admin_id, from_chat_id, message_id, audience.to_json(), status_chat_id, status_message_id, now))
            broadcast_id = rows[0]["id"]
            total = await tx.execute(
                "INSERT INTO broadcast_recipients (broadcast_id, user_id)"
                f" SELECT CAST(? AS BIGINT), user_id FROM ({sql}) AS audience",
                [broadcast_id, *params])
            await tx.execute("UPDATE broadcasts SET total = ? WHERE id = ?", (total, broadcast_id))
        job = await self.get(broadcast_id)
        if job is None:
            raise LookupError(f"Broadcast {broadcast_id} is gone right after it was created")
        return job

    async def get(self, broadcast_id: int) -> Job | None:
        row = await self.db.read_one(
            "SELECT b.*, u.language AS admin_language, u.telegram_language AS admin_telegram_language"
            " FROM broadcasts AS b LEFT JOIN users AS u ON u.id = b.user_id WHERE b.id = ?",
            (broadcast_id,))
        if row is None:
            return None
        return Job(row["id"], row["user_id"], row["from_chat_id"], row["message_id"],
                   Audience.from_json(row["audience"]), row["status"], row["status_chat_id"],
                   row["status_message_id"], row["total"], row["admin_language"], row["admin_telegram_language"])

    async def running(self) -> list[int]:
        rows = await self.db.read("SELECT id FROM broadcasts WHERE status = 'running' ORDER BY id")
        return [row["id"] for row in rows]

    async def mark_started(self, broadcast_id: int, now: int | None = None) -> None:
        await self.db.write("UPDATE broadcasts SET started_at = coalesce(started_at, ?) WHERE id = ?",
                            (int(time.time()) if now is None else now, broadcast_id))

    # --- claims (migrations/0010 has the states) ------------------------------------------

    async def claim(self, broadcast_id: int, owner: str, lease_until: int) -> int | None:
        """Take the next pending recipient of a running job for ``owner`` until
        ``lease_until``, marking it 'sending' (one attempt more). On PostgreSQL, instances
        claiming at once skip each other's locked rows instead of taking the same one. None
        when nothing is left, or the job was cancelled (on any instance)."""
        skip_locked = " FOR UPDATE SKIP LOCKED" if self.db.dialect == "postgresql" else ""
        rows = await self.db.write(
            "UPDATE broadcast_recipients SET status = 'sending', attempts = attempts + 1, claimed_by = ?,"
            " lease_until = ? WHERE broadcast_id = ? AND status = 'pending' AND user_id = (SELECT user_id"
            " FROM broadcast_recipients WHERE broadcast_id = ? AND status = 'pending'"
            " AND EXISTS (SELECT 1 FROM broadcasts WHERE id = ? AND status = 'running')"
            f" ORDER BY user_id LIMIT 1{skip_locked}) RETURNING user_id",
            (owner, lease_until, broadcast_id, broadcast_id, broadcast_id))
        return rows[0]["user_id"] if rows else None

    async def release(self, broadcast_id: int, user_id: int, owner: str) -> None:
        """Give back a claimed recipient that was not sent to (the job is stopping)."""
        await self.db.write(
            "UPDATE broadcast_recipients SET status = 'pending', attempts = attempts - 1, claimed_by = NULL,"
            " lease_until = NULL WHERE broadcast_id = ? AND user_id = ? AND status = 'sending' AND claimed_by = ?",
            (broadcast_id, user_id, owner))

    async def record(self, broadcast_id: int, user_id: int, owner: str, status: str, extra_attempts: int = 0,
                     error: str | None = None, now: int | None = None) -> bool:
        """The outcome of a recipient ``owner`` claimed; ``extra_attempts``: retries after the
        first call. False if the claim was taken over meanwhile (its lease ran out)."""
        sent_at = (int(time.time()) if now is None else now) if status == "sent" else None
        rows = await self.db.write(
            "UPDATE broadcast_recipients SET status = ?, attempts = attempts + ?, error = ?, sent_at = ?,"
            " lease_until = NULL WHERE broadcast_id = ? AND user_id = ? AND status = 'sending' AND claimed_by = ?"
            " RETURNING user_id",
            (status, extra_attempts, error, sent_at, broadcast_id, user_id, owner))
        return bool(rows)

    async def renew(self, owner: str, lease_until: int) -> None:
        """Extend the lease of every claim ``owner`` holds."""
        await self.db.write(
            "UPDATE broadcast_recipients SET lease_until = ? WHERE status = 'sending' AND claimed_by = ?",
            (lease_until, owner))

    async def take_over(self, expired_by: int | None) -> int:
        """Claims whose lease ended before ``expired_by`` (None: every claim, when no other
        process can hold one) go back to 'pending'. Some may have been delivered just
        before their instance died: they are the bounded duplicates."""
        rows = await self.db.write(
            "UPDATE broadcast_recipients SET status = 'pending', claimed_by = NULL, lease_until = NULL"
            " WHERE status = 'sending' AND (CAST(? AS BIGINT) IS NULL OR coalesce(lease_until, 0) < ?)"
            " RETURNING user_id", (expired_by, expired_by))
        return len(rows)

    async def release_claims(self, broadcast_id: int, owner: str) -> int:
        """Before a job that failed here starts again: this instance's claims of it go back to
        'pending' (the sends were interrupted; some may have been delivered)."""
        rows = await self.db.write(
            "UPDATE broadcast_recipients SET status = 'pending', claimed_by = NULL, lease_until = NULL"
            " WHERE broadcast_id = ? AND status = 'sending' AND claimed_by = ? RETURNING user_id",
            (broadcast_id, owner))
        return len(rows)

    async def unsettled(self, broadcast_id: int) -> int:
        """Recipients still to be sent to (none once the job is cancelled) or in flight on any
        instance: the job is over when there are none."""
        row = await self.db.read_one(
            "SELECT count(*) AS n FROM broadcast_recipients AS r JOIN broadcasts AS b ON b.id = r.broadcast_id"
            " WHERE r.broadcast_id = ? AND (r.status = 'sending' OR (r.status = 'pending' AND b.status = 'running'))",
            (broadcast_id,))
        return row["n"] if row else 0

    async def progress(self, broadcast_id: int) -> Progress:
        rows = await self.db.read(
            "SELECT status, count(*) AS n FROM broadcast_recipients WHERE broadcast_id = ? GROUP BY status",
            (broadcast_id,))
        counts = {row["status"]: row["n"] for row in rows}
        return Progress(total=sum(counts.values()), sent=counts.get("sent", 0),
                        blocked=counts.get("blocked", 0), failed=counts.get("failed", 0))

    async def latest_running(self) -> int | None:
        row = await self.db.read_one("SELECT max(id) AS id FROM broadcasts WHERE status = 'running'")
        return row["id"] if row else None

    async def cancel(self, broadcast_id: int) -> bool:
        rows = await self.db.write(
            "UPDATE broadcasts SET status = 'cancelled' WHERE id = ? AND status = 'running' RETURNING id",
            (broadcast_id,))
        return bool(rows)

    async def finish(self, broadcast_id: int, now: int | None = None) -> Progress | None:
        """Close the job (a cancelled one stays cancelled) and keep its final counts; None if
        it was closed already (by another instance), so that one instance reports it."""
        progress = await self.progress(broadcast_id)
        rows = await self.db.write(
            "UPDATE broadcasts SET status = CASE status WHEN 'running' THEN 'finished' ELSE status END,"
            " finished_at = ?, sent = ?, blocked = ?, failed = ? WHERE id = ? AND finished_at IS NULL RETURNING id",
            (int(time.time()) if now is None else now, progress.sent, progress.blocked, progress.failed,
             broadcast_id))
        return progress if rows else None
