"""The token never reaches a log line; SQL parameters are never logged; /healthz and
/metrics tell the truth about the process."""

from __future__ import annotations

import logging
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client import generate_latest

from bot.db import open_database
from bot.health import Health, add_routes
from bot.logs import Redactor, setup_logging
from bot.metrics import Metrics
from bot.repositories.monitoring import MonitoringRepository

TOKEN = "123456:SECRET-token_value"


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:], root.level = handlers, level
    logging.getLogger("aiosqlite").setLevel(logging.NOTSET)


def test_the_token_is_redacted_from_messages_arguments_and_tracebacks(
    restore_logging, capsys: pytest.CaptureFixture[str],
) -> None:
    setup_logging("DEBUG", Redactor([TOKEN, None]))
    log = logging.getLogger("aiogram.dispatcher")
    url = f"http://127.0.0.1:8081/bot{TOKEN}/getUpdates"
    log.error("Failed to fetch updates - TooManyRedirects: %s", url)
    log.info(f"direct {url}")
    try:
        raise ConnectionError(f"Cannot connect to {url}")
    except ConnectionError:
        log.exception("Request failed")
    err = capsys.readouterr().err
    assert "SECRET" not in err and "123456:" not in err, err
    assert err.count("/bot<redacted>/getUpdates") == 3, err


async def test_sql_parameters_are_not_logged_at_debug(
    restore_logging, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    setup_logging("DEBUG", Redactor([TOKEN]))
    db = await open_database(tmp_path / "bot.sqlite3")
    await db.write("INSERT INTO users (id, first_seen, last_seen) VALUES (?, 0, 0)", (987654321,))
    await db.close()
    assert "987654321" not in capsys.readouterr().err


@pytest.fixture
async def app_parts(tmp_path: Path):
    now = [1000.0]
    metrics = Metrics(clock=lambda: now[0])
    db = await open_database(tmp_path / "bot.sqlite3")
    health = Health(metrics, MonitoringRepository(db), polling=True)
    app = web.Application()
    add_routes(app, health, metrics)
    async with TestClient(TestServer(app)) as client:
        yield client, metrics, db, now
    await db.close()


async def test_healthz_follows_the_polls_the_stuck_updates_and_the_database(app_parts) -> None:
    client, metrics, db, now = app_parts
    response = await client.get("/healthz")
    assert response.status == 503 and "getUpdates" in await response.text()  # not polled yet

    metrics.fetched()
    assert (await client.get("/healthz")).status == 200
    now[0] += 200  # no poll answered for 200 s
    assert (await client.get("/healthz")).status == 503
    metrics.fetched()
    metrics.handling[1] = now[0]
    now[0] += 60
    metrics.fetched()
    assert (await client.get("/healthz")).status == 200  # a minute in hand is slow, not stuck
    now[0] += 100
    metrics.fetched()
    response = await client.get("/healthz")
    assert response.status == 503 and "in hand" in await response.text()
    metrics.handling.clear()
    assert (await client.get("/healthz")).status == 200

    await db.close()
    response = await client.get("/healthz")
    assert response.status == 503 and "database" in await response.text()


async def test_metrics_are_prometheus_text_with_the_databases_figures(app_parts) -> None:
    client, metrics, db, _ = app_parts
    await db.write("INSERT INTO users (id, first_seen, last_seen) VALUES (5, 0, 0)")
    await db.write_many("INSERT INTO reminders (user_id, due_at, status, created_at) VALUES (5, ?, ?, 0)",
                        [(60, "pending"), (120, "pending"), (4_000_000_020, "pending"), (180, "sent")])
    metrics.sent("ok")
    metrics.rate_limited()
    response = await client.get("/metrics")
    assert response.status == 200 and response.headers["Content-Type"].startswith("text/plain")
    text = await response.text()
    assert 'bot_reminders{status="pending"} 3.0' in text
    assert 'bot_reminders{status="sent"} 1.0' in text
    assert "bot_reminders_due 2.0" in text
    assert 'bot_sends_total{result="ok"} 1.0' in text
    assert "bot_rate_limited_total 1.0" in text


def test_each_dispatcher_has_its_own_registry() -> None:
    first, second = Metrics(), Metrics()
    first.sent("ok")
    assert b'bot_sends_total{result="ok"} 1.0' in generate_latest(first.registry)
    assert b'bot_sends_total{result="ok"} 1.0' not in generate_latest(second.registry)


async def test_a_health_client_sees_503_without_a_database(tmp_path: Path) -> None:
    # The closed-database case through a real listener, as the Docker HEALTHCHECK sees it.
    metrics = Metrics()
    metrics.fetched()
    db = await open_database(tmp_path / "bot.sqlite3")
    app = web.Application()
    add_routes(app, Health(metrics, MonitoringRepository(db), polling=False), metrics)
    await db.close()
    async with TestServer(app) as server, aiohttp.ClientSession() as session:
        async with session.get(server.make_url("/healthz")) as response:
            assert response.status == 503
