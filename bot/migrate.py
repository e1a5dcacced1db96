"""``python -m bot migrate-to-postgres``: copy the SQLite database at DATABASE_PATH into the
PostgreSQL database at DATABASE_URL, every table in one transaction.

The SQLite file is first brought up to the current schema (its pending migrations), so the
two have the same tables and columns (tests/test_postgres.py keeps them so). The target
must be empty: copying into a database the bot already uses would mix two bots' users.
"""

from __future__ import annotations

from pathlib import Path

from bot.db import open_database
from bot.postgres import open_postgres


class TargetNotEmpty(Exception):
    """The PostgreSQL database already holds rows."""


def copy_order(table: str) -> tuple[bool, bool, str]:
    # Parents before children (broadcasts before their recipients); latest_checks after
    # checks, whose insert trigger fills it, so that it ends as SQLite had it.
    return table == "broadcast_recipients", table == "latest_checks", table


async def copy_to_postgres(database_path: Path, database_url: str) -> dict[str, int]:
    """Rows copied per table."""
    source = await open_database(database_path)
    target = await open_postgres(database_url)
    try:
        tables = sorted((row[0] for row in await source.read(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%' AND name != 'schema_migrations'")), key=copy_order)
        copied: dict[str, int] = {}
        async with target.pool.acquire() as connection, connection.transaction():
            for table in tables:
                if await connection.fetchval(f'SELECT EXISTS (SELECT 1 FROM "{table}")'):
                    raise TargetNotEmpty(f"the PostgreSQL table {table} already has rows; "
                                         "copy into an empty database")
            for table in tables:
                columns = [row[1] for row in await source.read(f"SELECT * FROM pragma_table_info('{table}')")]
                rows = [tuple(row) for row in await source.read(
                    f'SELECT {", ".join(columns)} FROM "{table}"')]
                if table == "latest_checks":
                    await connection.execute("DELETE FROM latest_checks")
                await connection.copy_records_to_table(table, records=rows, columns=columns)
                copied[table] = len(rows)
            # Identity columns continue after the copied ids.
            for row in await connection.fetch(
                    "SELECT table_name, pg_get_serial_sequence(table_name, 'id') FROM information_schema.columns"
                    " WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'"):
                await connection.execute(
                    f'SELECT setval($1, coalesce((SELECT max(id) FROM "{row[0]}"), 0) + 1, false)', row[1])
        return copied
    finally:
        await source.close()
        await target.close()
