"""The admin statistics, every number counted by the database."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence

from bot.db import Database
from flows.admin import Audience, BroadcastSummary, Progress, Stats
from flows.locale import resolve_locale

DAY = 86400
RECENT_BROADCASTS = 5


class StatsRepository:
    def __init__(self, db: Database, default_locale: str, item_ids: Sequence[str]) -> None:
        self.db = db
        self.default_locale = default_locale
        self.item_ids = tuple(item_ids)

    async def collect(self, now: int | None = None) -> Stats:
        """Every figure from an index or a small table (migration 0009), on the read-only
        connection: at a million users this answers in well under a second and never
        holds up the users' updates."""
        now = int(time.time()) if now is None else now
        read = self.db.reports.read_one
        marks = ", ".join("?" * len(self.item_ids))

        async def count(sql: str, params: Sequence[object] = ()) -> int:
            row = await read(sql, params)
            return row[0] if row else 0

        languages: Counter[str] = Counter()
        for row in await self.db.reports.read(
                "SELECT language, telegram_language, count(*) AS n FROM users GROUP BY language, telegram_language"):
            languages[resolve_locale(row["language"], row["telegram_language"], self.default_locale)] += row["n"]
        return Stats(
            users=await count("SELECT count(*) FROM users"),
            active_7d=await count("SELECT count(*) FROM users WHERE last_seen >= ?", (now - 7 * DAY,)),
            active_30d=await count("SELECT count(*) FROM users WHERE last_seen >= ?", (now - 30 * DAY,)),
            blocked=await count("SELECT count(*) FROM users WHERE blocked_bot = 1"),
            languages=sorted(languages.items(), key=lambda item: (-item[1], item[0])),
            checked=await count("SELECT count(*) FROM latest_checks"),
            channel_chosen=await count("SELECT count(DISTINCT user_id) FROM checks WHERE channel IS NOT NULL"),
            checklist_done=await count(
                f"SELECT count(*) FROM (SELECT user_id FROM checklist_ticks WHERE item_id IN ({marks})"
                " GROUP BY user_id HAVING count(*) = ?) AS done", (*self.item_ids, len(self.item_ids))),
            statuses=await self._latest("status"),
            operators=await self._latest("operator"),
            broadcasts=await self.broadcasts(),
        )

    async def _latest(self, column: str) -> list[tuple[str, int]]:
        # column is one of two fixed names, never user input.
        rows = await self.db.reports.read(
            f"SELECT {column} AS value, count(*) AS n FROM latest_checks"
            f" WHERE {column} IS NOT NULL GROUP BY value ORDER BY n DESC, value")
        return [(row["value"], row["n"]) for row in rows]

    async def broadcasts(self, limit: int = RECENT_BROADCASTS) -> list[BroadcastSummary]:
        """The newest broadcasts: final counts once ended, live counts while sending."""
        rows = await self.db.reports.read(
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
