"""The SQLite database: one file in WAL mode, migrations applied in order at start."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from flows.locale import resolve_locale

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
BUSY_TIMEOUT_MS = 5000


class MigrationError(Exception):
    """A migration failed; the database is left as it was before it."""


class Database:
    """One aiosqlite connection shared by the whole process.

    aiosqlite runs every statement on one worker thread, so statements never overlap; but
    a transaction spans several awaits, and a statement from another coroutine issued in
    between would silently join it. So every write takes ``lock``: a lone write waits for
    an open transaction to finish instead of becoming part of it. Reads need no lock.
    """

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.connection = connection
        self.lock = asyncio.Lock()

    async def read(self, sql: str, params: Sequence[Any] = ()) -> list[aiosqlite.Row]:
        return list(await self.connection.execute_fetchall(sql, params))

    async def read_one(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Row | None:
        rows = await self.read(sql, params)
        return rows[0] if rows else None

    async def write(self, sql: str, params: Sequence[Any] = ()) -> list[aiosqlite.Row]:
        """Run one statement in its own implicit transaction; returns RETURNING rows if any."""
        async with self.lock:
            return list(await self.connection.execute_fetchall(sql, params))

    async def write_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        async with self.transaction() as tx:
            await tx.executemany(sql, rows)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error."""
        async with self.lock:
            await self.connection.execute("BEGIN IMMEDIATE")
            try:
                yield self.connection
            except BaseException:
                await self.connection.rollback()
                raise
            else:
                await self.connection.commit()

    async def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file and empty it."""
        async with self.lock:
            await self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def close(self) -> None:
        await self.connection.close()


async def open_database(path: Path, migrations_dir: Path = MIGRATIONS_DIR) -> Database:
    """Open (creating the folder and file if needed), set WAL, apply pending migrations."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: autocommit, so transactions are only the ones we open ourselves.
    connection = await aiosqlite.connect(path, isolation_level=None)
    try:
        connection.row_factory = aiosqlite.Row
        await connection.execute("PRAGMA journal_mode=WAL")
        await connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # NORMAL is durable across application crashes in WAL mode; only power loss can
        # drop the last commits, which costs a user one tap, not a broken database.
        await connection.execute("PRAGMA synchronous=NORMAL")
        await connection.execute("PRAGMA foreign_keys=ON")
        # Deleted rows are overwritten with zeros, so that /forget leaves nothing in the file.
        await connection.execute("PRAGMA secure_delete=ON")
        # SQL reads a user's language exactly as the bot does (audiences, statistics).
        await connection.create_function("resolve_locale", 3, resolve_locale, deterministic=True)
        await apply_migrations(connection, migrations_dir)
    except BaseException:
        await connection.close()
        raise
    return Database(connection)


def pending_migrations(migrations_dir: Path, applied: set[int]) -> list[tuple[int, Path]]:
    found: dict[int, Path] = {}
    for file in sorted(migrations_dir.glob("*.sql")):
        match = MIGRATION_NAME.match(file.name)
        if not match:
            raise MigrationError(f"{file.name}: migration files are named NNNN_some_name.sql")
        version = int(match.group(1))
        if version in found:
            raise MigrationError(f"{file.name}: version {version} is used twice")
        found[version] = file
    return [(version, found[version]) for version in sorted(found) if version not in applied]


async def apply_migrations(connection: aiosqlite.Connection, migrations_dir: Path) -> list[int]:
    """Apply every migration not yet recorded, each in its own transaction."""
    await connection.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)"
    )
    rows = await connection.execute_fetchall("SELECT version FROM schema_migrations")
    applied = {row[0] for row in rows}
    done = []
    for version, file in pending_migrations(migrations_dir, applied):
        script = file.read_text(encoding="utf-8")
        # executescript runs the whole file; with autocommit on, our BEGIN makes the file,
        # and its record, one transaction.
        record = (
            "INSERT INTO schema_migrations (version, name, applied_at) "
            f"VALUES ({version}, '{file.name}', {int(time.time())});"
        )
        try:
            await connection.executescript(f"BEGIN;\n{script}\n;{record}\nCOMMIT;")
        except Exception as error:
            if connection.in_transaction:
                await connection.rollback()
            raise MigrationError(f"{file.name}: {error}") from error
        log.info("Applied migration %s", file.name)
        done.append(version)
    return done
