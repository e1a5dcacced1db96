"""What the health check and the metrics read from the database."""

from __future__ import annotations

from bot.db import Database


class MonitoringRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def ping(self) -> None:
        await self.db.read("SELECT 1")

    async def reminders(self, now: int) -> tuple[dict[str, int], int]:
        """Reminders by status, and how many pending ones are due."""
        rows = await self.db.read("SELECT status, count(*) AS n FROM reminders GROUP BY status")
        due = await self.db.read_one(
            "SELECT count(*) AS n FROM reminders WHERE status = 'pending' AND due_at <= ?", (now,))
        return {row["status"]: row["n"] for row in rows}, due["n"] if due else 0

    async def broadcasts(self) -> tuple[dict[str, int], int]:
        """The recipients of the running broadcasts by status, and how many are running."""
        rows = await self.db.read(
            "SELECT r.status, count(*) AS n FROM broadcasts AS b"
            " JOIN broadcast_recipients AS r ON r.broadcast_id = b.id"
            " WHERE b.status = 'running' GROUP BY r.status")
        running = await self.db.read_one("SELECT count(*) AS n FROM broadcasts WHERE status = 'running'")
        return {row["status"]: row["n"] for row in rows}, running["n"] if running else 0
