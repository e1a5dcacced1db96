"""PostgreSQL beside SQLite: the same schema, the same language rule in SQL, the same
placeholders, one clear line when the server cannot be used, recipients claimed once by
several instances, and a SQLite database copied over whole."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.db import DatabaseOpenError, open_database
from bot.postgres import changed, open_postgres, placeholders
from bot.repositories.broadcasts import BroadcastsRepository
from bot.repositories.checks import ChecksRepository
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
        assert [row[0] for row in rows] == [1, 2, 3]
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
            while (user_id := await repository.claim(job.id, "instance", 2**40)) is not None:
                claimed.append(user_id)
            return claimed

        results = await asyncio.gather(*(drain(instance) for instance in instances for _ in range(4)))
        everyone = [user_id for claimed in results for user_id in claimed]
        assert sorted(everyone) == list(range(1, 301))
        assert sum(1 for claimed in results if claimed) > 1  # the work was shared
    finally:
        for instance in instances:
            await instance.close()


def test_migrate_to_postgres_copies_every_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    url = asyncio.run(empty_postgres())
    path = tmp_path / "bot.sqlite3"

    async def fill() -> dict[str, list[tuple]]:
        db = await open_database(path)
        try:
            await db.write("INSERT INTO users (id, language, telegram_language, first_seen, last_seen, blocked_bot,"
                           " time_zone) VALUES (5000000001, 'zh', 'zh-hans', 1, 2, 0, 'Asia/Shanghai'), (7, NULL, 'ru', 3, 4, 1, NULL)")
            await db.write("INSERT INTO fsm_state (bot_id, chat_id, user_id, state, data, updated_at)"
                           " VALUES (1, 7, 7, 'ReminderSetup:timezone', '{\"item\": \"banks\"}', 5)")
            await db.write("INSERT INTO checks (user_id, answers, status, operator, channel, finished_at)"
                           " VALUES (7, '{}', 'AFTER_STEPS', 'mts', 'store', 10), (7, '{}', 'CAN_CANCEL_NOW', 't2', NULL, 20)")
            await db.write("INSERT INTO checklist_ticks (user_id, item_id, done_at) VALUES (7, 'banks', 6)")
            await db.write("INSERT INTO reminders (user_id, item_id, due_at, status, created_at, sent_at, error,"
                           " answered_at) VALUES (7, NULL, 100, 'sent', 1, 101, NULL, 102), (7, 'banks', 200, 'pending', 1, NULL, NULL, NULL)")
            await db.write("INSERT INTO question_votes (user_id, message_id, entry_id, helpful, voted_at)"
                           " VALUES (7, 3, 'balance', 1, 9)")
            await db.write("INSERT INTO unanswered_questions (text, asked_at) VALUES ('天气怎么样', 8)")
            await db.write("INSERT INTO broadcasts (user_id, from_chat_id, message_id, audience, status, status_chat_id,"
                           " status_message_id, total, created_at) VALUES (7, 7, 1, '{\"kind\": \"all\"}', 'running', 7, 2, 2, 11)")
            await db.write("INSERT INTO broadcast_recipients (broadcast_id, user_id, status, attempts, error, sent_at)"
                           " VALUES (1, 7, 'sent', 1, NULL, 12), (1, 5000000001, 'pending', 0, NULL, NULL)")
            await db.write("INSERT INTO update_journal (update_id, user_id, body, received_at, done_at)"
                           " VALUES (900, 7, '{\"update_id\": 900}', 13, NULL)")
            tables = [row[0] for row in await db.read(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " AND name != 'schema_migrations'")]
            return {table: sorted(tuple(row) for row in await db.read(f"SELECT * FROM {table}")) for table in tables}
        finally:
            await db.close()

    before = asyncio.run(fill())
    assert all(before.values()), [table for table, rows in before.items() if not rows]  # every table has rows
    monkeypatch.setenv("DATABASE_PATH", str(path))
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)  # no developer's .env
    assert main(["migrate-to-postgres"]) == 0
    assert "broadcast_recipients: 2 rows" in capsys.readouterr().out

    async def read_back() -> tuple[dict[str, list[tuple]], int]:
        db = await open_postgres(url)
        try:
            copied = {table: sorted(tuple(row) for row in await db.read(
                f"SELECT {', '.join(columns)} FROM {table}")) for table, columns in await sqlite_columns(path)}
            # New rows continue after the copied ids.
            new_id = await ChecksRepository(db).save(7, {}, "AFTER_STEPS", now=30)
            return copied, new_id
        finally:
            await db.close()

    after, new_id = asyncio.run(read_back())
    assert after == before
    assert new_id == 3
    # A second copy would mix two bots' data: refused, nothing changed.
    assert main(["migrate-to-postgres"]) == 2


async def sqlite_columns(path: Path) -> list[tuple[str, list[str]]]:
    db = await open_database(path)
    try:
        tables = [row[0] for row in await db.read(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name != 'schema_migrations'")]
        return [(table, [row[1] for row in await db.read(f"SELECT * FROM pragma_table_info('{table}')")])
                for table in tables]
    finally:
        await db.close()
