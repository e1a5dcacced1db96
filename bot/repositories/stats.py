"""The admin statistics, every number counted by the database."""

from __future__ import annotations

import time
from collections.abc import Sequence

from bot.db import Database
from bot.repositories.broadcasts import LATEST_CHECKS
from flows.admin import Audience, BroadcastSummary, Progress, Stats

DAY = 86400
RECENT_BROADCASTS = 5


class StatsRepository:
    def __init__(self, db: Database, default_locale: str, item_ids: Sequence[str]) -> None:
        self.db = db
        self.default_locale = default_locale
        self.item_ids = tuple(item_ids)

    async def collect(self, now: int | None = None) -> Stats:
        now = int(time.time()) if now is None else now
        marks = ", ".join("?" * len(self.item_ids))
        totals = await self.db.read_one(
            "SELECT count(*) AS users,"
            " coalesce(sum(CASE WHEN last_seen >= ? THEN 1 ELSE 0 END), 0) AS active_7d,"
            " coalesce(sum(CASE WHEN last_seen >= ? THEN 1 ELSE 0 END), 0) AS active_30d,"
            " coalesce(sum(blocked_bot), 0) AS blocked,"
            " (SELECT count(DISTINCT user_id) FROM checks) AS checked,"
            " (SELECT count(DISTINCT user_id) FROM checks WHERE channel IS NOT NULL) AS channel_chosen,"
            " (SELECT count(*) FROM (SELECT user_id FROM checklist_ticks"
            f"   WHERE item_id IN ({marks}) GROUP BY user_id HAVING count(*) = ?) AS done) AS checklist_done"
            " FROM users",
            (now - 7 * DAY, now - 30 * DAY, *self.item_ids, len(self.item_ids)))
        assert totals is not None
        languages = await self.db.read(
            "SELECT resolve_locale(language, telegram_language, ?) AS value, count(*) AS n FROM users"
            " GROUP BY value ORDER BY n DESC, value", (self.default_locale,))
        statuses = await self._latest("status")
        operators = await self._latest("operator")
        return Stats(
            users=totals["users"], active_7d=totals["active_7d"], active_30d=totals["active_30d"],
            blocked=totals["blocked"],
            languages=[(row["value"], row["n"]) for row in languages],
            checked=totals["checked"], channel_chosen=totals["channel_chosen"],
            checklist_done=totals["checklist_done"],
            statuses=statuses, operators=operators,
            broadcasts=await self.broadcasts(),
        )

    async def _latest(self, column: str) -> list[tuple[str, int]]:
        # column is one of two fixed names, never user input.
        rows = await self.db.read(
            f"WITH {LATEST_CHECKS} SELECT {column} AS value, count(*) AS n FROM latest"
            f" WHERE {column} IS NOT NULL GROUP BY value ORDER BY n DESC, value")
        return [(row["value"], row["n"]) for row in rows]

    async def broadcasts(self, limit: int = RECENT_BROADCASTS) -> list[BroadcastSummary]:
        """The newest broadcasts: final counts once ended, live counts while sending."""
        rows = await self.db.read(
            "SELECT b.id, b.status, b.audience, b.created_at, b.total,"
            " coalesce(b.sent, (SELECT count(*) FROM broadcast_recipients AS r"
            "   WHERE r.broadcast_id = b.id AND r.status = 'sent')) AS sent,"
            " coalesce(b.blocked, (SELECT count(*) FROM broadcast_recipients AS r"
            "   WHERE r.broadcast_id = b.id AND r.status = 'blocked')) AS blocked,"
            " coalesce(b.failed, (SELECT count(*) FROM broadcast_recipients AS r"
            "   WHERE r.broadcast_id = b.id AND r.status = 'failed')) AS failed"
            " FROM broadcasts AS b ORDER BY b.id DESC LIMIT ?", (limit,))
        return [BroadcastSummary(row["id"], row["status"], Audience.from_json(row["audience"]), row["created_at"],
                                 Progress(row["total"], row["sent"], row["blocked"], row["failed"]))
                for row in rows]
