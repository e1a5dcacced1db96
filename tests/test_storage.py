from pathlib import Path

import pytest
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey

from bot.db import Database, open_database
from bot.storage import DatabaseStorage

# Each test runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.engines


class Flow(StatesGroup):
    asking = State()


KEY = StorageKey(bot_id=1, chat_id=42, user_id=42)


async def test_empty_key_has_no_state_and_no_data(db: Database) -> None:
    storage = DatabaseStorage(db)
    assert await storage.get_state(KEY) is None
    assert await storage.get_data(KEY) == {}


async def test_state_and_data_round_trip(db: Database) -> None:
    storage = DatabaseStorage(db)
    await storage.set_state(KEY, Flow.asking)
    await storage.set_data(KEY, {"answers": {"sim_type": "esim"}, "name": "王"})
    assert await storage.get_state(KEY) == "Flow:asking"
    assert await storage.get_data(KEY) == {"answers": {"sim_type": "esim"}, "name": "王"}


async def test_clearing_data_keeps_state_and_clearing_state_keeps_data(db: Database) -> None:
    storage = DatabaseStorage(db)
    await storage.set_state(KEY, "Flow:asking")
    await storage.set_data(KEY, {"a": 1})
    await storage.set_data(KEY, {})
    assert await storage.get_state(KEY) == "Flow:asking"
    await storage.set_data(KEY, {"a": 2})
    await storage.set_state(KEY, None)
    assert await storage.get_state(KEY) is None
    assert await storage.get_data(KEY) == {"a": 2}


async def test_update_data_merges_top_level_keys(db: Database) -> None:
    storage = DatabaseStorage(db)
    await storage.set_data(KEY, {"a": 1, "nested": {"x": 1}})
    merged = await storage.update_data(KEY, {"b": 2, "nested": {"y": 2}})
    assert merged == {"a": 1, "b": 2, "nested": {"y": 2}}
    assert await storage.get_data(KEY) == merged


@pytest.mark.parametrize(
    "other",
    [
        StorageKey(bot_id=1, chat_id=42, user_id=42, destiny="scene"),
        StorageKey(bot_id=2, chat_id=42, user_id=42),
        StorageKey(bot_id=1, chat_id=43, user_id=42),
        StorageKey(bot_id=1, chat_id=42, user_id=42, thread_id=5),
        StorageKey(bot_id=1, chat_id=42, user_id=42, business_connection_id="bc"),
    ],
    ids=["destiny", "bot", "chat", "thread", "business"],
)
async def test_every_key_part_separates_records(db: Database, other: StorageKey) -> None:
    storage = DatabaseStorage(db)
    await storage.set_state(KEY, "Flow:asking")
    await storage.set_data(KEY, {"mine": True})
    assert await storage.get_state(other) is None
    assert await storage.get_data(other) == {}
    await storage.set_state(other, "Other:state")
    assert await storage.get_state(KEY) == "Flow:asking"


async def test_survives_reopening_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await open_database(path)
    await DatabaseStorage(db).set_state(KEY, "Flow:asking")
    await DatabaseStorage(db).set_data(KEY, {"step": 3})
    await db.close()
    db = await open_database(path)
    try:
        assert await DatabaseStorage(db).get_state(KEY) == "Flow:asking"
        assert await DatabaseStorage(db).get_data(KEY) == {"step": 3}
    finally:
        await db.close()


async def test_one_row_per_key(db: Database) -> None:
    storage = DatabaseStorage(db)
    for step in range(5):
        await storage.set_state(KEY, f"Flow:s{step}")
        await storage.set_data(KEY, {"step": step})
    assert (await db.read_one("SELECT count(*) FROM fsm_state"))[0] == 1


async def test_get_value(db: Database) -> None:
    storage = DatabaseStorage(db)
    await storage.set_data(KEY, {"lang": "zh"})
    assert await storage.get_value(KEY, "lang") == "zh"
    assert await storage.get_value(KEY, "missing", "default") == "default"


async def test_non_mapping_data_is_refused(db: Database) -> None:
    with pytest.raises(TypeError):
        await DatabaseStorage(db).set_data(KEY, ["not", "a", "dict"])  # type: ignore[arg-type]


async def test_cache_answers_reads_and_stays_in_step_with_writes(db: Database) -> None:
    storage = DatabaseStorage(db, cache_size=2)
    await storage.set_state(KEY, "Flow:asking")
    assert await storage.get_state(KEY) == "Flow:asking"  # now cached
    await storage.set_state(KEY, "Flow:other")
    await storage.set_data(KEY, {"k": 1})
    assert (await storage.get_state(KEY), await storage.get_data(KEY)) == ("Flow:other", {"k": 1})
    data = await storage.get_data(KEY)
    data["k"] = 2  # a caller's change must not leak into the stored record
    assert await storage.get_data(KEY) == {"k": 1}
    # Evicted records are read again from the file.
    for chat in (100, 101, 102):
        await storage.get_state(StorageKey(bot_id=1, chat_id=chat, user_id=chat))
    assert len(storage._cache) == 2
    assert await DatabaseStorage(db).get_state(KEY) == "Flow:other"
    assert await storage.get_state(KEY) == "Flow:other"
