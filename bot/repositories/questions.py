"""Votes on answers and the questions the bot could not answer."""

from __future__ import annotations

import time
from dataclasses import dataclass

from bot.db import Database


@dataclass(frozen=True, slots=True)
class UnansweredQuestion:
    text: str
    times: int  # how often exactly this (masked, shortened) text was asked
    last_asked: int  # unix seconds, UTC


class QuestionsRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def vote(self, user_id: int, message_id: int, entry_id: str, helpful: bool, now: int | None = None) -> bool:
        """Record the user's vote on one answer message, replacing an earlier one there.

        Returns False when the same vote was already stored (nothing changed)."""
        rows = await self.db.write(
            "INSERT INTO question_votes (user_id, message_id, entry_id, helpful, voted_at)"
            " VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (user_id, message_id) DO UPDATE SET"
            " entry_id = excluded.entry_id, helpful = excluded.helpful, voted_at = excluded.voted_at"
            " WHERE question_votes.helpful != excluded.helpful OR question_votes.entry_id != excluded.entry_id"
            " RETURNING helpful",
            (user_id, message_id, entry_id, int(helpful), int(time.time()) if now is None else now),
        )
        return bool(rows)

    async def record_unanswered(self, text: str, now: int | None = None) -> None:
        """Keep a question no entry could answer. ``text`` must already be masked and
        shortened (flows.questions.unanswered_record); no user id is stored, on purpose."""
        await self.db.write(
            "INSERT INTO unanswered_questions (text, asked_at) VALUES (?, ?)",
            (text, int(time.time()) if now is None else now),
        )

    async def top_unanswered(self, limit: int = 10) -> list[UnansweredQuestion]:
        """The most often asked unanswered questions, for the admin statistics (on the
        read-only connection, like the rest of them)."""
        rows = await self.db.reports.read(
            "SELECT text, count(*) AS times, max(asked_at) AS last_asked FROM unanswered_questions"
            " GROUP BY text ORDER BY times DESC, last_asked DESC, text LIMIT ?",
            (limit,),
        )
        return [UnansweredQuestion(row["text"], row["times"], row["last_asked"]) for row in rows]
