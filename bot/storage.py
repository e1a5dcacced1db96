"""aiogram FSM storage in the database (SQLite or PostgreSQL), so that a user's place in a
flow survives a restart. With REDIS_URL, aiogram's RedisStorage is used instead.

Written by hand because the PyPI SQLite storages block the event loop, ignore the key's
destiny, or delete the state when the data is cleared.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, Literal

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from bot.db import Database

KEY_COLUMNS = "bot_id, chat_id, user_id, thread_id, business_connection_id, destiny"
KEY_MATCH = (
    "bot_id = ? AND chat_id = ? AND user_id = ? AND thread_id = ?"
    " AND business_connection_id = ? AND destiny = ?"
)
Key = tuple[int, int, int, int, str, str]


def _key(key: StorageKey) -> Key:
    return (
        key.bot_id,
        key.chat_id,
        key.user_id,
        key.thread_id or 0,
        key.business_connection_id or "",
        key.destiny,
    )


class DatabaseStorage(BaseStorage):
    """State and data per StorageKey; every write is one upsert.

    Records read or written are kept in a bounded cache, written through: the state is read
    on every update, and the cache saves that round trip. It assumes this process is the
    only writer of fsm_state, which holds for one bot process per SQLite file; on a
    database several instances share, ``cache_size`` is 0.
    """

    def __init__(self, db: Database, cache_size: int = 10_000) -> None:
        self.db = db
        self.cache_size = cache_size
        self._cache: OrderedDict[Key, tuple[str | None, str]] = OrderedDict()

    async def _record(self, key: Key) -> tuple[str | None, str]:
        record = self._cache.get(key)
        if record is None:
            row = await self.db.read_one(f"SELECT state, data FROM fsm_state WHERE {KEY_MATCH}", key)
            record = (row["state"], row["data"]) if row else (None, "{}")
            self._remember(key, record)
        else:
            self._cache.move_to_end(key)
        return record

    def _remember(self, key: Key, record: tuple[str | None, str]) -> None:
        self._cache[key] = record
        self._cache.move_to_end(key)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    async def _upsert(self, key: StorageKey, column: Literal["state", "data"], value: str | None) -> None:
        """Write one column of the key's record, creating the record if needed."""
        k = _key(key)
        await self.db.write(
            f"INSERT INTO fsm_state ({KEY_COLUMNS}, {column}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            f" ON CONFLICT ({KEY_COLUMNS}) DO UPDATE SET"
            f" {column} = excluded.{column}, updated_at = excluded.updated_at",
            (*k, value, int(time.time())),
        )
        if k in self._cache:
            state, data = self._cache[k]
            self._remember(k, (value, data) if column == "state" else (state, value))

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        await self._upsert(key, "state", state.state if isinstance(state, State) else state)

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._record(_key(key)))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if not isinstance(data, Mapping):
            msg = f"Data must be a mapping, not {type(data).__name__}"
            raise TypeError(msg)
        await self._upsert(key, "data", json.dumps(dict(data), ensure_ascii=False, separators=(",", ":")))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        # Decoded afresh each time, so a caller mutating the dict cannot change the cache.
        return json.loads((await self._record(_key(key)))[1])

    async def close(self) -> None:
        # The database belongs to the application, which closes it after the dispatcher stops.
        return None
