"""The database on PostgreSQL through asyncpg, when DATABASE_URL is set.

Repositories write their SQL once, with SQLite's ``?`` placeholders; they are rewritten to
``$1, $2, …`` here (once per statement text: asyncpg then reuses its prepared statement).
Any error from the server or the connection becomes ``DatabaseFault``, so that callers
answer "temporarily unavailable" as they do for SQLite's errors.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import asyncpg

from bot.db import (
    POSTGRES_MIGRATIONS_DIR,
    DatabaseFault,
    DatabaseOpenError,
    MigrationError,
    Row,
    pending_migrations,
)

log = logging.getLogger(__name__)

# Every instance opens this many connections at most; PostgreSQL's default allows 100.
POOL_SIZE = 10
# Held while migrating, so that instances starting together migrate one after another.
MIGRATION_LOCK = 0x5E_B07  # any fixed number; advisory locks are per database
_FAULTS = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError)


@lru_cache(maxsize=1024)
def placeholders(sql: str) -> str:
    """``?`` → ``$n``, leaving quoted text and identifiers alone."""
    out: list[str] = []
    number = 0
    quote: str | None = None
    for char in sql:
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "?":
            number += 1
            out.append(f"${number}")
            continue
        out.append(char)
    return "".join(out)


def changed(status: str) -> int:
    """The row count in a command tag such as ``UPDATE 3`` or ``INSERT 0 5``."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


@asynccontextmanager
async def _faults() -> AsyncIterator[None]:
    try:
        yield
    except _FAULTS as error:
        raise DatabaseFault(f"{type(error).__name__}: {error}") from error


class PostgresTransaction:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        return changed(await self.connection.execute(placeholders(sql), *params))

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return await self.connection.fetch(placeholders(sql), *params)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self.connection.executemany(placeholders(sql), rows)


class PostgresDatabase:
    """A pool of connections; statements from different coroutines run side by side, and
    a transaction holds one connection of its own."""

    dialect = "postgresql"

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        # A long read takes a connection of its own from the pool: nothing waits behind it.
        self.reports = self

    async def read(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        async with _faults():
            return await self.pool.fetch(placeholders(sql), *params)

    async def read_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        async with _faults():
            return await self.pool.fetchrow(placeholders(sql), *params)

    async def write(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        async with _faults():
            return await self.pool.fetch(placeholders(sql), *params)

    async def write_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        async with self.transaction() as tx:
            await tx.executemany(sql, rows)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PostgresTransaction]:
        async with _faults(), self.pool.acquire() as connection, connection.transaction():
            yield PostgresTransaction(connection)

    async def checkpoint(self) -> None:
        """Nothing to do: PostgreSQL's deleted rows are reclaimed by its own vacuum."""

    async def close(self) -> None:
        await self.pool.close()


async def open_postgres(url: str, migrations_dir: Path = POSTGRES_MIGRATIONS_DIR) -> PostgresDatabase:
    """Connect and apply pending migrations. Raises DatabaseOpenError (one line, without
    the password) or MigrationError."""
    try:
        pool = await asyncpg.create_pool(url, min_size=1, max_size=POOL_SIZE, command_timeout=30)
    except (*_FAULTS, ValueError) as error:
        raise DatabaseOpenError(f"DATABASE_URL: cannot connect to PostgreSQL: {describe(error)}") from None
    try:
        async with pool.acquire() as connection:
            await apply_migrations(connection, migrations_dir)
    except BaseException:
        await pool.close()
        raise
    return PostgresDatabase(pool)


def describe(error: BaseException) -> str:
    if isinstance(error, asyncpg.InvalidPasswordError):
        return "the user name or password is wrong"
    if isinstance(error, asyncpg.InvalidCatalogNameError):
        return "that database does not exist"
    if isinstance(error, OSError):
        return f"{error.strerror or type(error).__name__} (is the server running, and the host and port right?)"
    return " ".join(str(error).split())[:200] or type(error).__name__


async def apply_migrations(connection: asyncpg.Connection, migrations_dir: Path) -> list[int]:
    """Apply every migration not yet recorded, each in its own transaction, under an
    advisory lock: a second instance starting at the same time waits, then finds them done."""
    try:
        await connection.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)")
    except asyncpg.UniqueViolationError:
        pass  # created at this moment by another instance
    except _FAULTS as error:
        raise DatabaseOpenError(f"DATABASE_URL: cannot create tables: {describe(error)}") from None
    await connection.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
    try:
        applied = {row[0] for row in await connection.fetch("SELECT version FROM schema_migrations")}
        done = []
        for version, file in pending_migrations(migrations_dir, applied, frozenset(), check=False):
            try:
                async with connection.transaction():
                    await connection.execute(file.read_text(encoding="utf-8"))
                    await connection.execute(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                        version, file.name, int(time.time()))
            except _FAULTS as error:
                raise MigrationError(f"postgres/{file.name}: {error}") from error
            log.info("Applied migration postgres/%s", file.name)
            done.append(version)
        return done
    finally:
        await connection.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)
