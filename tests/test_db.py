import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.db import MIGRATIONS_DIR, DatabaseOpenError, MigrationError, open_database


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


async def test_a_migration_and_its_record_are_one_transaction(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    # The file claims its own version, so that recording it fails after the script ran.
    (migrations / "0001_first.sql").write_text(
        "CREATE TABLE a (x INTEGER);\nINSERT INTO schema_migrations VALUES (1, 'x', 0);", encoding="utf-8")
    path = tmp_path / "bot.sqlite3"
    with pytest.raises(MigrationError, match="0001_first.sql"):
        await open_database(path, migrations)
    assert tables(path) == {"schema_migrations"}
    assert recorded(path) == []


async def test_migrations_apply_in_numeric_order(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    for version in range(10, 1, -1):
        (migrations / f"{version:04d}_add.sql").write_text(f"ALTER TABLE t ADD COLUMN c{version} INTEGER;",
                                                           encoding="utf-8")
    (migrations / "0001_first.sql").write_text("CREATE TABLE t (a INTEGER);", encoding="utf-8")
    await (await open_database(tmp_path / "bot.sqlite3", migrations)).close()
    assert recorded(tmp_path / "bot.sqlite3") == list(range(1, 11))


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


# --- what stops the bot at start with one line -------------------------------------------


def migrations_folder(tmp_path: Path, *files: tuple[str, str]) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir(exist_ok=True)
    for name, sql in files:
        (folder / name).write_text(sql, encoding="utf-8")
    return folder


async def test_a_missing_migration_file_is_refused_before_anything_is_applied(tmp_path: Path) -> None:
    folder = migrations_folder(tmp_path, ("0001_a.sql", "CREATE TABLE a (x);"), ("0003_c.sql", "CREATE TABLE c (x);"))
    with pytest.raises(MigrationError, match="migration 0002 is missing"):
        await open_database(tmp_path / "bot.sqlite3", folder)
    assert tables(tmp_path / "bot.sqlite3") == {"schema_migrations"}


async def test_the_real_migrations_have_no_gap(tmp_path: Path) -> None:
    files = sorted(MIGRATIONS_DIR.glob("*.sql"))
    for index, file in enumerate(files[:-1]):
        shutil.copytree(MIGRATIONS_DIR, tmp_path / f"m{index}", ignore=shutil.ignore_patterns(file.name))
        with pytest.raises(MigrationError, match="is missing"):
            await open_database(tmp_path / f"db{index}.sqlite3", tmp_path / f"m{index}")


async def test_a_migration_restored_after_later_ones_ran_is_refused(tmp_path: Path) -> None:
    folder = migrations_folder(tmp_path, ("0001_a.sql", "CREATE TABLE a (x);"), ("0002_b.sql", "CREATE TABLE b (x);"))
    path = tmp_path / "bot.sqlite3"
    await (await open_database(path, folder)).close()
    with sqlite3.connect(path) as connection:
        connection.execute("DELETE FROM schema_migrations WHERE version = 1")
    with pytest.raises(MigrationError, match="0001_a.sql was never applied, but 0002 was"):
        await open_database(path, folder)


async def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    await (await open_database(path)).close()
    newest = max(int(file.name[:4]) for file in MIGRATIONS_DIR.glob("*.sql"))
    with sqlite3.connect(path) as connection:
        connection.execute("INSERT INTO schema_migrations VALUES (?, 'future.sql', 0)", (newest + 1,))
    with pytest.raises(MigrationError, match=f"migration {newest + 1:04d}, newer than this version"):
        await open_database(path)


@pytest.mark.parametrize("control", ["COMMIT;", "commit transaction;", "END;", "BEGIN;", "  -- why\nROLLBACK;"])
async def test_a_migration_with_its_own_transaction_control_is_refused(tmp_path: Path, control: str) -> None:
    folder = migrations_folder(tmp_path, ("0001_a.sql", f"CREATE TABLE a (x);\n{control}\nCREATE TABLE b (y);"))
    with pytest.raises(MigrationError, match="0001_a.sql: has its own"):
        await open_database(tmp_path / "bot.sqlite3", folder)
    assert tables(tmp_path / "bot.sqlite3") == {"schema_migrations"}


async def test_a_trigger_body_is_not_taken_for_transaction_control(tmp_path: Path) -> None:
    folder = migrations_folder(tmp_path, ("0001_a.sql", "CREATE TABLE a (x);\nCREATE TABLE log (x);\n"
                                          "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n"
                                          "  INSERT INTO log VALUES (new.x);\nEND;"))
    await (await open_database(tmp_path / "bot.sqlite3", folder)).close()
    assert {"a", "log"} <= tables(tmp_path / "bot.sqlite3")


def damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "header":
        data[:100] = b"\xff" * 100
    elif how == "middle page":
        page = int.from_bytes(data[16:18], "big")
        middle = len(data) // page // 2
        data[middle * page: (middle + 1) * page] = b"\x5a" * page
    else:  # truncated
        data = data[: len(data) // 3 + 7]
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["header", "middle page", "truncated"])
async def test_a_damaged_file_is_one_line_naming_database_path(tmp_path: Path, how: str) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await open_database(path)
    await db.write_many("INSERT INTO users (id, first_seen, last_seen) VALUES (?, 0, 0)",
                        [(n,) for n in range(1, 5000)])
    await db.checkpoint()
    await db.close()
    damage(path, how)
    with pytest.raises(DatabaseOpenError, match=r"^DATABASE_PATH: cannot use .*bot\.sqlite3: ") as error:
        await open_database(path)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("where", ["a folder", "under a file", "read-only folder"])
async def test_an_unusable_path_is_one_line_naming_database_path(tmp_path: Path, where: str) -> None:
    if where == "a folder":
        path = tmp_path / "db"
        path.mkdir()
    elif where == "under a file":
        (tmp_path / "file").write_text("x")
        path = tmp_path / "file" / "bot.sqlite3"
    else:
        if os.geteuid() == 0:
            pytest.skip("root may write to a read-only folder")
        (tmp_path / "ro").mkdir(mode=0o555)
        path = tmp_path / "ro" / "bot.sqlite3"
    with pytest.raises(DatabaseOpenError, match="^DATABASE_PATH: cannot use "):
        await open_database(path)


async def test_secure_delete_is_on(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "bot.sqlite3")
    try:
        assert (await db.read_one("PRAGMA secure_delete"))[0] == 1
    finally:
        await db.close()
