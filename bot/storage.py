"""aiogram FSM storage on SQLite, so that a user's place in a flow survives a restart.

Written by hand because the PyPI SQLite storages block the event loop, ignore the key's
destiny, or delete the state when the data is cleared.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from bot.db import Database

KEY_COLUMNS = "bot_id, chat_id, user_id, thread_id, business_connection_id, destiny"
KEY_MATCH = (
    "bot_id = ? AND chat_id = ? AND user_id = ? AND thread_id = ?"
    " AND business_connection_id = ? AND destiny = ?"
)


def _key(key: StorageKey) -> tuple[Any, ...]:
    return (
        key.bot_id,
        key.chat_id,
        key.user_id,
        key.thread_id or 0,
        key.business_connection_id or "",
        key.destiny,
    )


class SQLiteStorage(BaseStorage):
    """State and data per StorageKey; every write is one upsert."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self.db.write(
            f"INSERT INTO fsm_state ({KEY_COLUMNS}, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            f" ON CONFLICT ({KEY_COLUMNS}) DO UPDATE SET"
            " state = excluded.state, updated_at = excluded.updated_at",
            (*_key(key), value, int(time.time())),
        )

    async def get_state(self, key: StorageKey) -> str | None:
        row = await self.db.read_one(f"SELECT state FROM fsm_state WHERE {KEY_MATCH}", _key(key))
        return row["state"] if row else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if not isinstance(data, Mapping):
            msg = f"Data must be a mapping, not {type(data).__name__}"
            raise TypeError(msg)
        encoded = json.dumps(dict(data), ensure_ascii=False, separators=(",", ":"))
        await self.db.write(
            f"INSERT INTO fsm_state ({KEY_COLUMNS}, data, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            f" ON CONFLICT ({KEY_COLUMNS}) DO UPDATE SET"
            " data = excluded.data, updated_at = excluded.updated_at",
            (*_key(key), encoded, int(time.time())),
        )

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        row = await self.db.read_one(f"SELECT data FROM fsm_state WHERE {KEY_MATCH}", _key(key))
        return json.loads(row["data"]) if row else {}

    async def close(self) -> None:
        # The database belongs to the application, which closes it after the dispatcher stops.
        return None
