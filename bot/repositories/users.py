"""The users table: who we have seen, in which language, and whether they blocked the bot."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from bot.db import Database


@dataclass(frozen=True, slots=True)
class UserProfile:
    id: int
    language: str | None
    first_seen: int


# The tables /forget deletes from, asked of each engine's catalog.
TABLES_WITH_USER_ID = {
    "sqlite": "SELECT m.name FROM sqlite_master AS m, pragma_table_info(m.name) AS c"
              " WHERE m.type = 'table' AND c.name = 'user_id' ORDER BY m.name",
    "postgresql": "SELECT table_name AS name FROM information_schema.columns"
                  " WHERE table_schema = current_schema() AND column_name = 'user_id' ORDER BY table_name",
}

# last_seen is kept to this precision: a user tapping through a flow costs one write a
# minute, not one per update. Statistics count days.
TOUCH_EVERY = 60


@dataclass(frozen=True, slots=True)
class _Seen:
    profile: UserProfile
    telegram_language: str | None
    written_at: int


class UsersRepository:
    """Also remembers the profiles of recent users (bounded), so that most updates need no
    round trip at all; every write of a remembered field goes through here and keeps it
    right. It assumes this process is the only writer of the users table."""

    def __init__(self, db: Database, remember: int = 10_000) -> None:
        self.db = db
        self.remember = remember
        self._seen: OrderedDict[int, _Seen] = OrderedDict()

    async def touch(self, user_id: int, telegram_language: str | None, now: int | None = None) -> UserProfile:
        """Record that the user was seen and return the stored profile: one round trip, or
        none when the user was recorded less than TOUCH_EVERY seconds ago."""
        now = int(time.time()) if now is None else now
        seen = self._seen.get(user_id)
        if (seen is not None and now - seen.written_at < TOUCH_EVERY
                and telegram_language in (None, seen.telegram_language)):
            self._seen.move_to_end(user_id)
            return seen.profile
        rows = await self.db.write(
            "INSERT INTO users (id, telegram_language, first_seen, last_seen) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET"
            " telegram_language = coalesce(excluded.telegram_language, users.telegram_language),"
            " last_seen = excluded.last_seen, blocked_bot = 0"
            " RETURNING language, first_seen",
            (user_id, telegram_language, now, now),
        )
        profile = UserProfile(id=user_id, language=rows[0]["language"], first_seen=rows[0]["first_seen"])
        self._remember(user_id, _Seen(profile, telegram_language, now))
        return profile

    def _remember(self, user_id: int, seen: _Seen) -> None:
        self._seen[user_id] = seen
        self._seen.move_to_end(user_id)
        while len(self._seen) > self.remember:
            self._seen.popitem(last=False)

    async def set_language(self, user_id: int, language: str) -> None:
        await self.db.write("UPDATE users SET language = ? WHERE id = ?", (language, user_id))
        seen = self._seen.get(user_id)
        if seen is not None:
            profile = UserProfile(user_id, language, seen.profile.first_seen)
            self._seen[user_id] = _Seen(profile, seen.telegram_language, seen.written_at)

    async def set_blocked(self, user_id: int, blocked: bool) -> None:
        await self.db.write("UPDATE users SET blocked_bot = ? WHERE id = ?", (int(blocked), user_id))
        # The next update from the user must write, and so clear the flag again.
        self._seen.pop(user_id, None)

    async def get(self, user_id: int) -> UserProfile | None:
        row = await self.db.read_one("SELECT id, language, first_seen FROM users WHERE id = ?", (user_id,))
        return UserProfile(row["id"], row["language"], row["first_seen"]) if row else None

    async def locales(self, user_ids: Iterable[int], default: str) -> dict[int, str]:
        """The language the bot speaks to each user; users never seen get ``default``."""
        ids = list(user_ids)
        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        rows = await self.db.read(
            f"SELECT id, resolve_locale(language, telegram_language, ?) AS locale FROM users WHERE id IN ({marks})",
            (default, *ids))
        found = {row["id"]: row["locale"] for row in rows}
        return {user_id: found.get(user_id, default) for user_id in ids}

    async def forget(self, user_id: int) -> int:
        """Delete everything stored about the user: the users row and every row of every
        table with a user_id column (the schema's convention). Returns the rows deleted."""
        self._seen.pop(user_id, None)
        tables = await self.db.read(TABLES_WITH_USER_ID[self.db.dialect])
        deleted = 0
        async with self.db.transaction() as tx:
            for table in tables:
                if table["name"] == "broadcasts":
                    continue
                deleted += await tx.execute(f'DELETE FROM "{table["name"]}" WHERE user_id = ?', (user_id,))
            # An admin's broadcasts are messages to other people: deleting them would stop
            # a running one (its recipients cascade). Ended ones lose every trace of the
            # admin; a running one keeps the ids it needs to finish.
            deleted += await tx.execute(
                "UPDATE broadcasts SET user_id = 0, from_chat_id = 0, message_id = 0,"
                " status_chat_id = 0, status_message_id = 0 WHERE user_id = ? AND status != 'running'",
                (user_id,))
            deleted += await tx.execute("DELETE FROM users WHERE id = ?", (user_id,))
        # Deleted rows stay readable in the write-ahead log until a checkpoint copies the
        # (securely zeroed) pages back; TRUNCATE then empties the log file.
        await self.db.checkpoint()
        return deleted

    async def time_zone(self, user_id: int) -> str | None:
        """The IANA name of the user's time zone, or None if never asked."""
        row = await self.db.read_one("SELECT time_zone FROM users WHERE id = ?", (user_id,))
        return row["time_zone"] if row else None

    async def set_time_zone(self, user_id: int, zone: str) -> None:
        await self.db.write("UPDATE users SET time_zone = ? WHERE id = ?", (zone, user_id))
