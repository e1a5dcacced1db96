"""Finished eligibility checks."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from bot.db import Database, Row


@dataclass(frozen=True, slots=True)
class FinishedCheck:
    id: int
    answers: dict[str, str]
    status: str
    channel: str | None
    finished_at: int


class ChecksRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def save(self, user_id: int, answers: dict[str, str], status: str, now: int | None = None) -> int:
        rows = await self.db.write(
            "INSERT INTO checks (user_id, answers, status, operator, finished_at) VALUES (?, ?, ?, ?, ?)"
            " RETURNING id",
            (user_id, json.dumps(answers, sort_keys=True), status, answers.get("operator"),
             int(time.time()) if now is None else now),
        )
        return rows[0]["id"]

    async def choose_channel(self, check_id: int, user_id: int, channel: str) -> None:
        await self.db.write("UPDATE checks SET channel = ? WHERE id = ? AND user_id = ?", (channel, check_id, user_id))

    async def latest(self, user_id: int) -> FinishedCheck | None:
        row = await self.db.read_one(
            "SELECT id, answers, status, channel, finished_at FROM checks WHERE user_id = ?"
            " ORDER BY finished_at DESC, id DESC LIMIT 1",
            (user_id,),
        )
        return _finished(row)

    async def latest_answers(self, user_id: int) -> dict[str, str]:
        """The answers of the user's last finished check; none before the first."""
        latest = await self.latest(user_id)
        return latest.answers if latest else {}

    async def get(self, check_id: int, user_id: int) -> FinishedCheck | None:
        """The check, if it is this user's (ids come from callback data, which can be forged)."""
        row = await self.db.read_one(
            "SELECT id, answers, status, channel, finished_at FROM checks WHERE id = ? AND user_id = ?",
            (check_id, user_id),
        )
        return _finished(row)


def _finished(row: Row | None) -> FinishedCheck | None:
    if row is None:
        return None
    return FinishedCheck(row["id"], json.loads(row["answers"]), row["status"], row["channel"], row["finished_at"])
