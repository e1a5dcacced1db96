"""PostgreSQL beside SQLite: the same schema, the same language rule in SQL, the same
placeholders, and one clear line when the server cannot be used."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

import pytest

from bot.db import DatabaseOpenError, open_database
from bot.postgres import changed, open_postgres, placeholders
from bot.repositories.broadcasts import BroadcastsRepository
from flows.admin import Audience
from flows.locale import LANGUAGES, resolve_locale
from tests.conftest import empty_postgres


def test_placeholders_are_numbered_outside_quotes() -> None:
    assert placeholders("SELECT ? , '?' AS q, \"?\" FROM t WHERE a = ? AND b IN (?, ?)") == (
        "SELECT $1 , '?' AS q, \"?\" FROM t WHERE a = $2 AND b IN ($3, $4)")
    assert placeholders("SELECT 1") == "SELECT 1"


def test_changed_reads_the_row_count_of_a_command_tag() -> None:
    assert (changed("UPDATE 3"), changed("INSERT 0 5"), changed("DELETE 0"), changed("CREATE TABLE")) == (3, 5, 0, 0)


async def test_resolve_locale_in_sql_is_the_rule_of_flows_locale() -> None:
    url = await empty_postgres()
    db = await open_postgres(url)
    try:
        stored = [None, "", "xx", "ZH", *LANGUAGES]
        codes = [None, "", "zh-hans", "zh_CN", "ZH-TW", "ru", "RU-ru", "en-GB", "de", "pt-br", "-", "uk"]
        cases = list(itertools.product(stored, codes, LANGUAGES))
        for case in cases:
            row = await db.read_one("SELECT resolve_locale(?, ?, ?) AS locale", case)
            assert row["locale"] == resolve_locale(*case), case
    finally:
        await db.close()


async def test_both_engines_have_the_same_tables_columns_and_indexes(tmp_path: Path) -> None:
    """A migration added to one set and not the other fails here."""
    url = await empty_postgres()
    sqlite = await open_database(tmp_path / "bot.sqlite3")
    postgres = await open_postgres(url)
    try:
        lite = {(row[0], row[1]) for row in await sqlite.read(
            "SELECT m.name, c.name FROM sqlite_master AS m, pragma_table_info(m.name) AS c"
            " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'")}
        pg = {(row[0], row[1]) for row in await postgres.read(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()")}
        assert lite == pg
        lite_indexes = {row[0] for row in await sqlite.read(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'")}
        pg_indexes = {row[0] for row in await postgres.read(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname NOT LIKE '%_pkey'")}
        assert lite_indexes == pg_indexes
    finally:
        await sqlite.close()
        await postgres.close()


async def test_a_second_open_finds_the_migrations_done() -> None:
    url = await empty_postgres()
    first, second = await open_postgres(url), await open_postgres(url)
    try:
        rows = await second.read("SELECT version FROM schema_migrations ORDER BY version")
        assert [row[0] for row in rows] == [1]
    finally:
        await first.close()
        await second.close()


async def test_an_unusable_server_is_one_line_without_the_password() -> None:
    url = await empty_postgres()
    wrong = url.replace(url.split("://", 1)[1].split("@", 1)[0], "bot_test:not-the-password-123")
    with pytest.raises(DatabaseOpenError) as error:
        await open_postgres(wrong)
    assert "user name or password is wrong" in str(error.value) and "not-the-password-123" not in str(error.value)
    with pytest.raises(DatabaseOpenError) as error:
        await open_postgres("postgresql://bot:secret-pw@127.0.0.1:1/bot")
    assert "is the server running" in str(error.value) and "secret-pw" not in str(error.value)


async def test_recipients_claimed_at_once_by_several_instances_go_out_once() -> None:
    """Three instances' broadcasters claiming the same job at the same time: every
    recipient is claimed exactly once."""
    url = await empty_postgres()
    instances = [await open_postgres(url) for _ in range(3)]
    try:
        db = instances[0]
        await db.write_many("INSERT INTO users (id, first_seen, last_seen) VALUES (?, 0, 0)",
                            [(user_id,) for user_id in range(1, 301)])
        job = await BroadcastsRepository(db, "en", ()).create(1, 1, 1, Audience("all"), 1, 1)
        assert job.total == 300

        async def drain(instance) -> list[int]:
            repository, claimed = BroadcastsRepository(instance, "en", ()), []
            while (user_id := await repository.claim(job.id)) is not None:
                claimed.append(user_id)
            return claimed

        results = await asyncio.gather(*(drain(instance) for instance in instances for _ in range(4)))
        everyone = [user_id for claimed in results for user_id in claimed]
        assert sorted(everyone) == list(range(1, 301))
        assert sum(1 for claimed in results if claimed) > 1  # the work was shared
    finally:
        for instance in instances:
            await instance.close()
