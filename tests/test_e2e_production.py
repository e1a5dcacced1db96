"""End to end, ``python -m bot`` as deployed: webhook mode, /healthz and /metrics, one
process per database, and what it says when it cannot start."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import aiohttp
from aiogram.utils.i18n import I18n

from tests.e2e_bot import TOKEN, BotRunner, bot_env, free_port, get
from tests.fake_telegram import CONFLICT, FakeTelegram, Fault, TelegramUser

SECRET = "s3cret-Webhook_token"


def metric(text: str, name: str) -> float:
    """The value of one sample line, e.g. 'bot_updates_total{type="message"}'."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    raise AssertionError(f"no {name} in\n{text}")


async def test_webhook_mode_answers_telegrams_posts_only(server: FakeTelegram, tmp_path: Path, i18n: I18n) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    bot = BotRunner(server, tmp_path, WEBHOOK_URL=f"{base}/telegram/updates", WEBHOOK_SECRET=SECRET,
                    WEBHOOK_LISTEN=f"127.0.0.1:{port}")
    try:
        await bot.start()
        assert server.webhook is not None, "the webhook was not registered"
        assert server.webhook["url"] == f"{base}/telegram/updates"
        assert server.webhook["secret_token"] == SECRET
        assert "message" in server.webhook["allowed_updates"] and "callback_query" in server.webhook["allowed_updates"]
        assert server.calls_of("getUpdates") == [], "webhook mode must not poll"

        user = TelegramUser(server, 701, "en", first_name="Web")
        async with aiohttp.ClientSession() as session:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                forged = server.api.user_message(user.user, "/start")
                async with session.post(f"{base}/telegram/updates", json=forged, headers=headers) as response:
                    assert response.status == 401
            assert user.seen() == [], "a post without the secret was handled"

            update = server.api.user_message(user.user, "/start")
            async with session.post(f"{base}/telegram/updates", json=update,
                                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as response:
                assert response.status == 200
        # The post is answered once the update is handled: the reply is already there.
        greeting = [item for item in user.seen() if item.kind == "message"]
        assert len(greeting) == 1 and greeting[0].html.startswith(
            i18n.gettext("Hello, {name}! I help you cancel a Russian SIM card safely: whether you can, "
                         "how, what to bring and what to do first.\n\n"
                         "I store only your Telegram id, language, answers and checklist, so that you "
                         "can come back later. /privacy tells more, /forget deletes it all.",
                         locale="en").format(name="Web")[:20])

        # Journalled like a polled update: recorded before it was handled, done once answered.
        with closing(sqlite3.connect(bot.database)) as db:
            done = db.execute("SELECT done_at FROM update_journal WHERE update_id = ?",
                              (update["update_id"],)).fetchone()
        assert done is not None and done[0] is not None

        status, body = await get(f"{base}/healthz")
        assert (status, body) == (200, "ok\n")
        status, text = await get(f"{base}/metrics")
        assert status == 200
        assert metric(text, 'bot_updates_total{type="message"}') == 1
        assert metric(text, 'bot_sends_total{result="ok"}') >= 1
        assert metric(text, "bot_handler_seconds_count") == 1
        assert metric(text, "bot_reminders_due") == 0

        await bot.stop(signal.SIGTERM)
        assert server.webhook is not None, "a stop must leave the webhook, so Telegram keeps the updates"
        assert "TEST-token" not in bot.log() and SECRET not in bot.log()
    finally:
        await bot.kill()
        print(bot.all_logs())


async def test_polling_serves_health_and_metrics_and_never_logs_the_token(server: FakeTelegram, tmp_path: Path) -> None:
    port = free_port()
    bot = BotRunner(server, tmp_path, HEALTH_LISTEN=f"127.0.0.1:{port}")
    try:
        await bot.start()
        server.push(server.api.user_message(TelegramUser(server, 702, "en").user, "/start"))
        await server.wait_for(lambda: bool(server.calls_of("sendMessage")), 10, "the reply")
        # Healthy once a long poll has been answered.
        assert await get(f"http://127.0.0.1:{port}/healthz") == (200, "ok\n")
        status, text = await get(f"http://127.0.0.1:{port}/metrics")
        assert status == 200 and metric(text, 'bot_api_calls_total{method="getUpdates",result="ok"}') >= 1

        # aiohttp puts the URL, /bot<token>/getUpdates, into the error of a redirect loop.
        server.inject("getUpdates", Fault(redirect=True, times=25))  # aiohttp gives up after 10
        sends = len(server.calls_of("sendMessage"))
        server.push(server.api.user_message(TelegramUser(server, 705, "en").user, "/start"))
        await server.wait_for(lambda: len(server.calls_of("sendMessage")) > sends, 30, "the bot to recover")
        await bot.stop(errors_logged=True)  # aiogram logs the failed polls as errors
        log = bot.log()
        assert "TooManyRedirects" in log and "<redacted>" in log, log
        assert "TEST-token" not in log
    finally:
        await bot.kill()
        print(bot.all_logs())


async def test_a_second_process_on_the_same_database_exits_at_once(server: FakeTelegram, bot: BotRunner) -> None:
    await bot.start()
    env = bot_env(BOT_TOKEN=TOKEN, TELEGRAM_API_BASE=server.base_url, DATABASE_PATH=str(bot.database))
    second = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=bot.folder, env=env, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(second.communicate(), 30)
    lines = (out + err).decode().strip().splitlines()
    assert second.returncode != 0
    assert len(lines) == 1 and "only one may run per database" in lines[0], lines
    assert str(bot.process.pid) in lines[0]
    # The first one never noticed.
    assert bot.process.returncode is None
    user = TelegramUser(server, 703, "en")
    assert await user.send_text("/menu")

    await bot.stop()


async def test_a_flaky_api_at_start_is_waited_for_and_repeated_409_stops_the_bot_with_one_line(
    server: FakeTelegram, bot: BotRunner,
) -> None:
    server.inject("deleteWebhook", Fault(status=502, description="Bad Gateway", html=True, times=2))
    await bot.start()
    assert len(server.calls_of("deleteWebhook")) == 3

    server.inject("getUpdates", Fault(status=409, description=CONFLICT["description"], times=100))
    server.push(server.api.user_message(TelegramUser(server, 704, "en").user, "/start"))  # ends the poll at once
    assert bot.process is not None
    code = await asyncio.wait_for(bot.process.wait(), 30)
    log = bot.log()
    assert code != 0
    assert log.count("409 Conflict from getUpdates") == 1, log
    assert "Traceback" not in log and "Failed to fetch updates" not in log, log
    assert "Database closed" in log


def damaged_database(folder: Path) -> Path:
    path = folder / "bad.sqlite3"
    path.write_bytes(b"this is not a database at all" * 200)
    return path


START_FAULTS = {
    "500-json": Fault(status=500, description="Internal Server Error", times=100),
    "502-html": Fault(status=502, description="Bad Gateway", html=True, times=100),
    "redirect-loop": Fault(redirect=True, times=1000),
}


async def test_what_stops_the_bot_at_start_is_one_line_naming_it(tmp_path: Path) -> None:
    """Every case in its own process, all at once (each start imports aiogram)."""
    folder = tmp_path
    (folder / "dir").mkdir()
    (folder / "file").write_text("x")
    damaged = damaged_database(folder)
    damaged_before = damaged.read_bytes()
    ok_db = str(folder / "ok.sqlite3")
    unreachable = "http://127.0.0.1:9"
    cases: dict[str, tuple[dict[str, str], str]] = {
        "a folder": ({"DATABASE_PATH": str(folder / "dir")}, "DATABASE_PATH"),
        "under a file": ({"DATABASE_PATH": str(folder / "file" / "bot.sqlite3")}, "DATABASE_PATH"),
        "damaged file": ({"DATABASE_PATH": str(damaged)}, "DATABASE_PATH"),
        "admin id too large": ({"ADMIN_IDS": "99999999999999999999"}, "ADMIN_IDS"),
        "rate too low": ({"BROADCAST_RATE": "0.0001"}, "BROADCAST_RATE"),
        "api base bad port": ({"TELEGRAM_API_BASE": "http://127.0.0.1:99999"}, "TELEGRAM_API_BASE"),
        "api base broken": ({"TELEGRAM_API_BASE": "http://[::1"}, "TELEGRAM_API_BASE"),
        "webhook without secret": ({"WEBHOOK_URL": "https://bot.example.org/telegram"}, "WEBHOOK_SECRET"),
    }
    servers = {name: FakeTelegram(TOKEN) for name in START_FAULTS}
    for name, fault in START_FAULTS.items():
        await servers[name].start()
        servers[name].inject("deleteWebhook", fault)
        cases[name] = ({"TELEGRAM_API_BASE": servers[name].base_url, "DATABASE_PATH": str(folder / f"{name}.db")},
                       "TELEGRAM_API_BASE")

    async def run(name: str, settings: dict[str, str]) -> tuple[int, str]:
        # At ERROR, the line that stops the bot is all there is to read; INFO adds the migrations.
        env = bot_env(**({"BOT_TOKEN": TOKEN, "DATABASE_PATH": ok_db, "TELEGRAM_API_BASE": unreachable,
                          "LOG_LEVEL": "ERROR"} | settings))
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=folder, env=env, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(process.communicate(), 90)
        assert process.returncode is not None
        return process.returncode, (out + err).decode()

    try:
        results = await asyncio.gather(*(run(name, settings) for name, (settings, _) in cases.items()))
    finally:
        for server in servers.values():
            await server.close()
    wrong = {}
    for (name, (_, expected)), (code, output) in zip(cases.items(), results, strict=True):
        lines = output.strip().splitlines()
        if (code == 0 or len(lines) != 1 or expected not in output or "Traceback" in output
                or "TEST-token" in output or "Event loop is closed" in output):
            wrong[name] = (code, output)
    assert not wrong, "\n\n".join(f"{name} (exit {code}):\n{output}" for name, (code, output) in wrong.items())
    for name in START_FAULTS:
        assert len(servers[name].calls_of("deleteWebhook")) >= 3, f"{name}: not retried"
    # A damaged file is left as it was, for the operator to restore or repair.
    assert damaged.read_bytes() == damaged_before
