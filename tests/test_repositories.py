import pytest

from bot.db import Database
from bot.repositories.checks import ChecksRepository
from bot.repositories.users import TABLES_WITH_USER_ID, UsersRepository

# Each test runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.engines


async def test_touch_creates_then_updates_in_one_row(db: Database) -> None:
    users = UsersRepository(db)
    first = await users.touch(7, "zh-hans", now=100)
    assert first.language is None and first.first_seen == 100
    await users.set_language(7, "ru")
    again = await users.touch(7, None, now=200)
    assert again.language == "ru" and again.first_seen == 100
    row = await db.read_one("SELECT telegram_language, last_seen FROM users WHERE id = 7")
    assert tuple(row) == ("zh-hans", 200)  # a missing language_code keeps the last known one


async def test_latest_check(db: Database) -> None:
    checks = ChecksRepository(db)
    assert await checks.latest(7) is None
    await checks.save(7, {"operator": "mts"}, "CAN_CANCEL_NOW", now=100)
    newest = await checks.save(7, {"operator": "t2"}, "AFTER_STEPS", now=200)
    await checks.save(8, {"operator": "yota"}, "AFTER_STEPS", now=300)
    await checks.choose_channel(newest, 7, "store")
    await checks.choose_channel(newest, 8, "lapse")  # someone else's check is not touched
    latest = await checks.latest(7)
    assert (latest.answers, latest.status, latest.channel) == ({"operator": "t2"}, "AFTER_STEPS", "store")


async def test_forget_deletes_from_every_user_table(db: Database) -> None:
    users = UsersRepository(db)
    await users.touch(7, "en")
    await users.touch(8, "en")
    await ChecksRepository(db).save(7, {}, "AFTER_STEPS")
    await ChecksRepository(db).save(8, {}, "AFTER_STEPS")
    await db.write("INSERT INTO fsm_state (bot_id, chat_id, user_id, updated_at) VALUES (1, 7, 7, 0)")
    await users.forget(7)
    tables = [row["name"] for row in await db.read(TABLES_WITH_USER_ID[db.dialect])]
    assert {"checks", "fsm_state"} <= set(tables)
    for table in tables:
        assert (await db.read_one(f"SELECT count(*) FROM {table} WHERE user_id = 7"))[0] == 0, table
    assert await users.get(7) is None
    assert await users.get(8) is not None
    assert (await db.read_one("SELECT count(*) FROM checks WHERE user_id = 8"))[0] == 1


async def test_get_check_only_for_its_owner(db: Database) -> None:
    checks = ChecksRepository(db)
    mine = await checks.save(7, {"operator": "mts"}, "CAN_CANCEL_NOW", now=100)
    found = await checks.get(mine, 7)
    assert found is not None and (found.id, found.answers, found.finished_at) == (mine, {"operator": "mts"}, 100)
    assert await checks.get(mine, 8) is None  # a forged id from another user's button
    assert await checks.get(mine + 1, 7) is None


async def test_touch_writes_at_most_once_a_minute_and_stays_right(db: Database) -> None:
    users = UsersRepository(db)

    async def stored() -> tuple:
        row = await db.read_one("SELECT language, last_seen, blocked_bot FROM users WHERE id = 7")
        return tuple(row) if row else None

    await users.touch(7, "en", now=1000)
    await users.touch(7, "en", now=1030)
    assert await stored() == (None, 1000, 0)  # the second visit was answered from memory
    await users.set_language(7, "zh")
    assert (await users.touch(7, "en", now=1031)).language == "zh"
    await users.touch(7, "en", now=1060)
    assert await stored() == ("zh", 1060, 0)
    await users.touch(7, "ru", now=1061)  # Telegram's language changed: written at once
    assert (await db.read_one("SELECT telegram_language FROM users WHERE id = 7"))[0] == "ru"

    await users.set_blocked(7, True)
    await users.touch(7, "ru", now=1062)  # a blocked user writing again has unblocked the bot
    assert await stored() == ("zh", 1062, 0)

    await users.forget(7)
    profile = await users.touch(7, "ru", now=1063)
    assert profile.language is None and profile.first_seen == 1063
    assert await stored() == (None, 1063, 0)
