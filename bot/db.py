"""The database: one SQLite file in WAL mode by default, PostgreSQL (bot.postgres) when
DATABASE_URL is set; migrations applied in order at start.

Repositories speak one SQL for both: ``?`` placeholders (rewritten for PostgreSQL), the
functions both engines have, and a ``Transaction`` with three calls. The few questions
whose SQL differs (the catalog) are asked through ``dialect``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any, Protocol

import aiosqlite

from flows.locale import resolve_locale

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
# PostgreSQL's own set: the DDL differs (identity columns, BIGINT ids, no WITHOUT ROWID,
# resolve_locale as an SQL function); statements in repositories are shared.
POSTGRES_MIGRATIONS_DIR = MIGRATIONS_DIR / "postgres"
MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# One process writes (another one holding the lock is a fault, not contention), and a
# write waiting on the one SQLite thread holds up every read queued behind it: short.
BUSY_TIMEOUT_MS = 1000
# After a write fails because the file cannot be written (disk full, read-only, locked by
# another process), writes fail at once for this long instead of each waiting out the
# busy timeout; then the next write tries again, so recovery needs no restart.
UNWRITABLE_PAUSE = 5.0
_UNWRITABLE = ("locked", "busy", "full", "readonly", "read-only", "disk i/o")
# Version numbers that were never used: a gap there is not a missing file.
UNUSED_VERSIONS = frozenset({4})
# A migration runs inside the transaction that records it; one of these would end it early.
TRANSACTION_CONTROL = re.compile(r"^(?:BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


# A row of a result: both sqlite3.Row and asyncpg.Record read by column name and position.
Row = Any


class DatabaseFault(Exception):
    """PostgreSQL failed or cannot be reached (the engine's own error is the cause)."""


# What a caller that answers "temporarily unavailable" catches, whatever the engine.
DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, DatabaseFault)


class Transaction(Protocol):
    """The statements of one transaction, on either engine."""

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; the number of rows it changed."""
        ...

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        ...

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        ...


class Reads(Protocol):
    async def read(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    async def read_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None: ...


class Database(Protocol):
    dialect: str  # "sqlite" or "postgresql"
    reports: Reads  # for the admin's statistics: never queued behind the users' updates

    async def read(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    async def read_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None: ...

    async def write(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    async def write_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    def transaction(self) -> AbstractAsyncContextManager[Transaction]: ...

    async def checkpoint(self) -> None: ...

    async def close(self) -> None: ...


class MigrationError(Exception):
    """A migration failed or cannot be applied; the database is left as it was before it."""


class DatabaseOpenError(Exception):
    """The database file cannot be used; the message names DATABASE_PATH and the reason."""


class SQLiteTransaction:
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.connection = connection

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        async with self.connection.execute(sql, params) as cursor:
            return cursor.rowcount

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return list(await self.connection.execute_fetchall(sql, params))

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self.connection.executemany(sql, rows)


class Reader:
    """A second, read-only connection, with its own aiosqlite thread, for the admin's
    statistics: a long scan there never queues a user's update behind it (WAL lets readers
    run beside the writer), and SQLite releases the GIL while it scans."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.connection = connection

    async def read(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return list(await self.connection.execute_fetchall(sql, params))

    async def read_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = await self.read(sql, params)
        return rows[0] if rows else None


class SQLiteDatabase:
    """One aiosqlite connection shared by the whole process (and ``reports``, a read-only
    one for the admin's statistics).

    aiosqlite runs every statement on one worker thread, so statements never overlap; but
    a transaction spans several awaits, and a statement from another coroutine issued in
    between would silently join it. So every write takes ``lock``: a lone write waits for
    an open transaction to finish instead of becoming part of it. Reads need no lock.
    """

    dialect = "sqlite"

    def __init__(self, connection: aiosqlite.Connection, reports: Reader) -> None:
        self.connection = connection
        self.reports = reports
        self.lock = asyncio.Lock()
        self.unwritable_until = float("-inf")  # time.monotonic()

    async def read(self, sql: str, params: Sequence[Any] = ()) -> list[aiosqlite.Row]:
        return list(await self.connection.execute_fetchall(sql, params))

    async def read_one(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Row | None:
        rows = await self.read(sql, params)
        return rows[0] if rows else None

    async def write(self, sql: str, params: Sequence[Any] = ()) -> list[aiosqlite.Row]:
        """Run one statement in its own implicit transaction; returns RETURNING rows if any."""
        async with self.lock, self._writing():
            return list(await self.connection.execute_fetchall(sql, params))

    async def write_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        async with self.transaction() as tx:
            await tx.executemany(sql, rows)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error."""
        async with self.lock, self._writing():
            await self.connection.execute("BEGIN IMMEDIATE")
            try:
                yield SQLiteTransaction(self.connection)
            except BaseException:
                await self.connection.rollback()
                raise
            else:
                await self.connection.commit()

    async def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file and empty it."""
        async with self.lock:
            await self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[None]:
        if time.monotonic() < self.unwritable_until:
            raise sqlite3.OperationalError("database is unwritable for now (an earlier write failed)")
        try:
            yield
        except sqlite3.OperationalError as error:
            if any(marker in str(error).lower() for marker in _UNWRITABLE):
                self.unwritable_until = time.monotonic() + UNWRITABLE_PAUSE
                log.warning("The database cannot be written (%s); writes fail at once for %.0f s",
                            error, UNWRITABLE_PAUSE)
            raise

    async def close(self) -> None:
        await self.reports.connection.close()
        await self.connection.close()


async def open_configured(database_path: Path, database_url: str | None) -> Database:
    """PostgreSQL at ``database_url`` when set, else the SQLite file at ``database_path``."""
    if database_url:
        from bot.postgres import open_postgres

        return await open_postgres(database_url)
    return await open_database(database_path)


async def open_database(path: Path, migrations_dir: Path = MIGRATIONS_DIR) -> SQLiteDatabase:
    """Open (creating the folder and file if needed), check the file, set WAL, apply pending
    migrations. Raises DatabaseOpenError or MigrationError with a one-line reason."""
    try:
        return await _open(path, migrations_dir)
    except (OSError, sqlite3.Error) as error:
        raise DatabaseOpenError(f"DATABASE_PATH: cannot use {path}: {describe_error(path, error)}") from None


def check_path(path: Path) -> None:
    """The common mistakes, found before aiosqlite starts its thread: a failed connect
    leaves that thread to report to an event loop that is already gone."""
    for parent in path.parents:
        if parent.exists() and not parent.is_dir():
            raise NotADirectoryError(0, f"{parent} is a file, not a folder")
    if path.is_dir():
        raise IsADirectoryError(0, "it is a folder, not a file")
    path.parent.mkdir(parents=True, exist_ok=True)
    # The folder too: SQLite creates the -wal and -shm files beside the database.
    for needed in (path.parent, path) if path.exists() else (path.parent,):
        if not os.access(needed, os.R_OK | os.W_OK):
            raise PermissionError(0, f"the bot's user may not write to {needed}")


def describe_error(path: Path, error: OSError | sqlite3.Error) -> str:
    if isinstance(error, OSError):
        return error.strerror or type(error).__name__
    reason = " ".join(str(error).split())
    if reason == "unable to open database file":
        return "the file cannot be opened or created (may the bot's user write to its folder?)"
    if reason == "file is not a database":
        return "it is not an SQLite database, or its header is damaged"
    return reason


async def _open(path: Path, migrations_dir: Path) -> SQLiteDatabase:
    check_path(path)
    # isolation_level=None: autocommit, so transactions are only the ones we open ourselves.
    connection = await aiosqlite.connect(path, isolation_level=None)
    try:
        # A damaged page would otherwise surface mid-conversation, or not at all.
        problems = [row[0] for row in await connection.execute_fetchall("PRAGMA quick_check(3)")]
        if problems != ["ok"]:
            found = " ".join(" ".join(problems).split())
            raise sqlite3.DatabaseError(f"the file is damaged: {found}"[:300])
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
        reports = await aiosqlite.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    except BaseException:
        await connection.close()
        raise
    reports.row_factory = aiosqlite.Row
    await reports.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return SQLiteDatabase(connection, Reader(reports))


def pending_migrations(migrations_dir: Path, applied: set[int], unused: frozenset[int] = UNUSED_VERSIONS,
                       check: bool = True) -> list[tuple[int, Path]]:
    """The migrations to apply, in order, after checking that the files and the database
    agree: no file missing, no version applied that this code does not know. ``check``:
    refuse files with their own transaction control (SQLite's splitter cannot read
    PostgreSQL's dollar-quoted function bodies, whose BEGIN and END are no such thing)."""
    found: dict[int, Path] = {}
    for file in sorted(migrations_dir.glob("*.sql")):
        match = MIGRATION_NAME.match(file.name)
        if not match:
            raise MigrationError(f"{file.name}: migration files are named NNNN_some_name.sql")
        version = int(match.group(1))
        if version in found:
            raise MigrationError(f"{file.name}: version {version} is used twice")
        found[version] = file
    newest = max(found, default=0)
    missing = sorted(set(range(1, newest + 1)) - found.keys() - unused)
    if missing:
        raise MigrationError(f"migration {missing[0]:04d} is missing from {migrations_dir}")
    unknown = sorted(applied - found.keys())
    if unknown and unknown[-1] > newest:
        raise MigrationError(f"the database has migration {unknown[-1]:04d}, newer than this version of the bot "
                             f"(it knows up to {newest:04d}): run the newer version, or restore a backup")
    if unknown:
        raise MigrationError(f"the database has migration {unknown[0]:04d}, whose file is missing")
    pending = [(version, found[version]) for version in sorted(found) if version not in applied]
    if pending and applied and pending[0][0] < max(applied):
        raise MigrationError(f"{pending[0][1].name} was never applied, but {max(applied):04d} was: "
                             "the database was migrated without it")
    for _, file in pending if check else ():
        check_script(file)
    return pending


def check_script(file: Path) -> None:
    """Refuse a migration that controls the transaction itself: it would commit half of
    itself before a later error, and the rollback would not undo that half."""
    statement = ""
    for line in file.read_text(encoding="utf-8").splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            if TRANSACTION_CONTROL.match(strip_comments(statement)):
                raise MigrationError(f"{file.name}: has its own {strip_comments(statement).split()[0].upper()}; "
                                     "each migration already runs in one transaction")
            statement = ""


def strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*|/\*.*?\*/", " ", sql, flags=re.DOTALL).strip()


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
        try:
            # executescript runs the whole file; with autocommit on, our BEGIN makes the file
            # and its record one transaction, which executescript leaves open.
            await connection.executescript(f"BEGIN;\n{script}\n;")
            await connection.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (version, file.name, int(time.time())),
            )
            await connection.commit()
        except Exception as error:
            if connection.in_transaction:
                await connection.rollback()
            raise MigrationError(f"{file.name}: {error}") from error
        log.info("Applied migration %s", file.name)
        done.append(version)
    return done
