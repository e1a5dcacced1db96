import sqlite3
from pathlib import Path

import pytest

from bot.db import MIGRATIONS_DIR, MigrationError, open_database


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def recorded(path: Path) -> list[int]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute("SELECT version FROM schema_migrations ORDER BY version")]


async def test_creates_folder_and_applies_every_migration(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "bot.sqlite3"
    db = await open_database(path)
    await db.close()
    assert {"users", "fsm_state", "schema_migrations"} <= tables(path)
    assert recorded(path) == sorted(int(f.name[:4]) for f in MIGRATIONS_DIR.glob("*.sql"))


async def test_second_start_applies_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    await (await open_database(path)).close()
    with sqlite3.connect(path) as connection:
        first = connection.execute("SELECT version, applied_at FROM schema_migrations").fetchall()
    await (await open_database(path)).close()
    with sqlite3.connect(path) as connection:
        second = connection.execute("SELECT version, applied_at FROM schema_migrations").fetchall()
    assert first == second


async def test_wal_and_busy_timeout(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "bot.sqlite3")
    try:
        assert (await db.read_one("PRAGMA journal_mode"))[0] == "wal"
        assert (await db.read_one("PRAGMA busy_timeout"))[0] >= 1000
    finally:
        await db.close()


async def test_failing_migration_leaves_database_as_it_was(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0001_first.sql").write_text("CREATE TABLE a (x INTEGER);", encoding="utf-8")
    path = tmp_path / "bot.sqlite3"
    await (await open_database(path, migrations)).close()

    (migrations / "0002_broken.sql").write_text(
        "CREATE TABLE b (y INTEGER);\nINSERT INTO a VALUES (1);\nINSERT INTO nowhere VALUES (1);",
        encoding="utf-8",
    )
    with pytest.raises(MigrationError, match="0002_broken.sql"):
        await open_database(path, migrations)
    assert tables(path) == {"a", "schema_migrations"}
    assert recorded(path) == [1]
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM a").fetchone()[0] == 0

    # Once fixed, the next start applies it.
    (migrations / "0002_broken.sql").write_text("CREATE TABLE b (y INTEGER);", encoding="utf-8")
    await (await open_database(path, migrations)).close()
    assert recorded(path) == [1, 2]


async def test_migrations_apply_in_numeric_order(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0010_second.sql").write_text("ALTER TABLE t ADD COLUMN b INTEGER;", encoding="utf-8")
    (migrations / "0002_first.sql").write_text("CREATE TABLE t (a INTEGER);", encoding="utf-8")
    await (await open_database(tmp_path / "bot.sqlite3", migrations)).close()
    assert recorded(tmp_path / "bot.sqlite3") == [2, 10]


@pytest.mark.parametrize("name", ["1_short.sql", "0001-dash.sql", "0001_Upper.sql"])
async def test_badly_named_migration_is_refused(tmp_path: Path, name: str) -> None:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / name).write_text("SELECT 1;", encoding="utf-8")
    with pytest.raises(MigrationError, match="NNNN_some_name.sql"):
        await open_database(tmp_path / "bot.sqlite3", migrations)


async def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "bot.sqlite3")
    try:
        with pytest.raises(RuntimeError):
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO users (id, first_seen, last_seen) VALUES (1, 0, 0)")
                raise RuntimeError("boom")
        assert await db.read("SELECT id FROM users") == []
    finally:
        await db.close()
