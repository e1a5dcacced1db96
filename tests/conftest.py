"""Shared fixtures: a real SQLite file per test and the real dispatcher behind a local Bot API.

Modules marked ``pytest.mark.engines`` run each test on SQLite and again on PostgreSQL
(TEST_DATABASE_URL: a database the tests may empty; `bash .ci/services` sets one up and
prints it). Without it those runs are skipped, and the reason is shown.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiogram.utils.i18n import I18n

from bot.chat import LocalChat, local_bot, local_user
from bot.config import Settings
from bot.db import Database, open_configured
from bot.i18n import create_i18n
from bot.local_api import LocalBotAPI
from bot.scheduler import utc_now
from tests.e2e_bot import MODEL_CACHE, TOKEN, BotRunner
from tests.fake_telegram import FakeTelegram

ENGINES = ("sqlite", "postgresql")

# Answers of a user who can simply go and cancel: a Russian citizen's own number, in Russia,
# a working SIM, no money issues. In the order the check asks them.
CLEAN_ANSWERS = {
    "sim_type": "ordinary",
    "operator": "mts",
    "owner": "me",
    "location": "russia",
    "sim_works": "yes",
    "debt": "no",
    "balance": "no",
    "gosuslugi": "yes",
    "foreign_confirmed": "not_foreigner",
}


def clean_answers(**changes: str) -> dict[str, str]:
    """CLEAN_ANSWERS with some answers changed."""
    return {**CLEAN_ANSWERS, **changes}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "engines: run each test on SQLite and on PostgreSQL")
    config.addinivalue_line("markers", "sqlite_only: a test of SQLite itself, in a module marked engines")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if ("engine" in metafunc.fixturenames and metafunc.definition.get_closest_marker("engines")
            and not metafunc.definition.get_closest_marker("sqlite_only")):
        metafunc.parametrize("engine", ENGINES, indirect=True)


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "sqlite")


_migrated: set[str] = set()


async def empty_postgres() -> str:
    """TEST_DATABASE_URL with every table empty (and the schema of this checkout, made
    afresh once per session); skips the test when it is not set."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("PostgreSQL: TEST_DATABASE_URL is not set (bash .ci/services starts a server and prints it)")
    # Set but unreachable is a broken setup, not a reason to skip: this fails the test.
    connection = await asyncpg.connect(url)
    try:
        if url not in _migrated:
            await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            _migrated.add(url)
        # DELETE, not TRUNCATE: on these few rows it takes 2 ms instead of 300.
        tables = [row[0] for row in await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename != 'schema_migrations'")]
        sequences = [row[0] for row in await connection.fetch(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")]
        statements = [*(f"DELETE FROM {table}" for table in tables), *(f"ALTER SEQUENCE {name} RESTART" for name in sequences)]
        if statements:
            await connection.execute("; ".join(statements))
    finally:
        await connection.close()
    return url


@pytest.fixture
async def database_url(engine: str) -> str | None:
    """The PostgreSQL URL for this test, or None on SQLite."""
    return await empty_postgres() if engine == "postgresql" else None


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "bot_token": None,
        "telegram_api_base": None,
        "database_path": tmp_path / "data" / "bot.sqlite3",
        "admin_ids": "",
        "default_locale": "en",
        "broadcast_rate": 25,
        "log_level": "INFO",
        "model_cache_dir": MODEL_CACHE,
    }
    values.update(overrides)
    # _env_file=None: a developer's .env must not leak into the tests.
    return Settings(_env_file=None, **values)


@pytest.fixture
async def db(tmp_path: Path, database_url: str | None) -> AsyncIterator[Database]:
    """A fresh database with every migration applied."""
    db = await open_configured(tmp_path / "bot.sqlite3", database_url)
    yield db
    await db.close()


@pytest.fixture
def settings(tmp_path: Path, database_url: str | None) -> Settings:
    return make_settings(tmp_path, database_url=database_url)


class FakeClock:
    """The time the bot sees (aware UTC), moved by the test instead of waited for."""

    def __init__(self, now: datetime = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


class Harness:
    """The bot as a test sees it: start it, talk to it as several users, restart it."""

    def __init__(self, settings: Settings, clock: Callable[[], datetime] = utc_now) -> None:
        self.settings = settings
        self.clock = clock
        self.api = LocalBotAPI()
        self._context: Any = None
        self.dispatcher: Any = None
        self.bot: Any = None
        self.db: Any = None

    async def start(self) -> None:
        self._context = local_bot(self.settings, self.api, clock=self.clock)
        self.dispatcher, self.bot, _, self.db = await self._context.__aenter__()

    async def stop(self) -> None:
        if self._context is not None:
            await self._context.__aexit__(None, None, None)
            self._context = None

    async def restart(self) -> None:
        """A new dispatcher on the same database file: what a process restart keeps."""
        await self.stop()
        await self.start()

    def user(self, user_id: int = 42, language_code: str | None = "en", **fields: Any) -> LocalChat:
        user = local_user(user_id, language_code) | fields
        return LocalChat(self.dispatcher, self.bot, self.api, user)

    def rebind(self, chat: LocalChat) -> LocalChat:
        """The same user, talking to the restarted bot."""
        return LocalChat(self.dispatcher, self.bot, self.api, chat.user)


@pytest.fixture
async def harness(settings: Settings) -> AsyncIterator[Harness]:
    harness = Harness(settings)
    await harness.start()
    yield harness
    await harness.stop()
    # Telegram shows a spinner on every button press the bot leaves unanswered.
    assert not harness.api.unanswered_callbacks, "a callback query was left unanswered"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def timed_harness(settings: Settings, clock: FakeClock) -> AsyncIterator[Harness]:
    """The harness on a fake clock: handlers and the reminder scheduler see ``clock``."""
    harness = Harness(settings, clock=clock)
    await harness.start()
    yield harness
    await harness.stop()
    assert not harness.api.unanswered_callbacks, "a callback query was left unanswered"


def translate(msgid: str, locale: str) -> str:
    """``msgid`` as a user of ``locale`` reads it, for helpers without the ``gettext`` fixture."""
    return create_i18n("en").gettext(msgid, locale=locale)


@pytest.fixture
def gettext() -> Callable[[str, str], str]:
    """The compiled catalogs, to compare what users see with what translators wrote."""
    i18n = create_i18n("en")
    return lambda msgid, locale: i18n.gettext(msgid, locale=locale)


# --- end to end: python -m bot against the fake Bot API server ---------------------------


@pytest.fixture(scope="module")
def i18n() -> I18n:
    return create_i18n("en")


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(TOKEN) as fake:
        yield fake


@pytest.fixture
async def bot(server: FakeTelegram, tmp_path: Path) -> AsyncIterator[BotRunner]:
    runner = BotRunner(server, tmp_path)
    yield runner
    await runner.kill()
    # Captured output is shown only when the test failed: the bot's logs and the conversation.
    print(runner.all_logs())
    print(server.report())


@pytest.fixture
async def redis_url() -> str:
    """TEST_REDIS_URL, emptied (a database the tests may empty; bash .ci/services starts one)."""
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("Redis: TEST_REDIS_URL is not set (bash .ci/services starts a server and prints it)")
    from redis.asyncio import Redis

    client = Redis.from_url(url)
    try:
        await client.flushdb()
    finally:
        await client.aclose()
    return url
