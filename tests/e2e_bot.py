"""Running ``python -m bot`` as a subprocess against the fake Bot API server."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiogram.utils.i18n import I18n

from bot.local_api import Shown
from flows.menu import MAIN_MENU
from tests.fake_telegram import FakeTelegram

REPO = Path(__file__).resolve().parent.parent
TOKEN = "123456:TEST-token"
# Every bot the tests start shares one trained question model (keyed by what it is trained from).
MODEL_CACHE = Path(tempfile.gettempdir()) / "sim-exit-bot-tests" / "models"
SETTINGS_VARS = ("BOT_TOKEN", "TELEGRAM_API_BASE", "DATABASE_PATH", "DATABASE_URL", "REDIS_URL", "ADMIN_IDS",
                 "DEFAULT_LOCALE", "BROADCAST_RATE", "LOG_LEVEL", "WEBHOOK_URL", "WEBHOOK_SECRET", "WEBHOOK_LISTEN",
                 "HEALTH_LISTEN", "STOP_TIMEOUT", "CLAIM_LEASE", "MODEL_CACHE_DIR")
START_TIMEOUT = 60.0  # importing aiogram takes seconds on a busy machine
STOP_TIMEOUT = 30.0  # generous: a busy machine; the stop must still not wait for a long poll

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


def bot_env(**values: str) -> dict[str, str]:
    """The test's environment without any of the bot's own settings, plus ``values``."""
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARS}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    env["MODEL_CACHE_DIR"] = str(MODEL_CACHE)
    env.update(values)
    return env


class BotRunner:
    """Starts and stops ``python -m bot`` against the fake server; one log file per run."""

    def __init__(self, server: FakeTelegram, folder: Path, **settings: str) -> None:
        self.server = server
        self.folder = folder
        self.settings = settings  # more environment settings, e.g. ADMIN_IDS
        self.database = folder / "bot.sqlite3"
        self.process: asyncio.subprocess.Process | None = None
        self.logs: list[Path] = []

    async def start(self) -> None:
        assert self.process is None or self.process.returncode is not None, "the bot is already running"
        log = self.folder / f"bot-{len(self.logs) + 1}.log"
        self.logs.append(log)
        calls_before = len(self.server.calls)
        env = bot_env(BOT_TOKEN=TOKEN, TELEGRAM_API_BASE=self.server.base_url,
                      DATABASE_PATH=str(self.database), LOG_LEVEL="INFO", **self.settings)
        with log.open("wb") as output:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=self.folder, env=env,
                stdin=asyncio.subprocess.DEVNULL, stdout=output, stderr=output)
        # Polling has begun once the first long poll arrives (in webhook mode, once the webhook
        # is set); signals are handled from then on.
        await self.server.wait_for(
            lambda: any(call.method in ("getUpdates", "setWebhook") for call in self.server.calls[calls_before:])
            or self.process.returncode is not None,
            START_TIMEOUT, "the bot to start")
        assert self.process.returncode is None, f"the bot exited at start:\n{self.log()}"
        # /healthz is served from the listener, once the bot is ready for the posts.
        listen = self.settings.get("WEBHOOK_LISTEN") or self.settings.get("HEALTH_LISTEN")
        if listen:
            await self.wait_until_serving(f"http://{listen}/healthz")

    async def wait_until_serving(self, url: str, timeout: float = 15.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            try:
                await get(url)
                return
            except aiohttp.ClientConnectionError:
                assert self.process is not None and self.process.returncode is None, self.log()
                if loop.time() > deadline:
                    raise AssertionError(f"nothing serves {url}:\n{self.log()}") from None
                await asyncio.sleep(0.1)

    async def stop(self, sig: signal.Signals = signal.SIGTERM, *, errors_logged: bool = False) -> None:
        """Send ``sig``; assert a clean exit within STOP_TIMEOUT, without waiting for the
        long poll, with the database closed and no error logged (unless the test caused
        some: ``errors_logged``)."""
        assert self.process is not None
        polls = self.server.calls_of("getUpdates")
        # A stop must not wait for the long poll in progress to run out.
        poll_ends = polls[-1].at + float(polls[-1].params.get("timeout", 0)) if self.server.polls_waiting else None
        self.process.send_signal(sig)
        try:
            code = await asyncio.wait_for(self.process.wait(), STOP_TIMEOUT)
        except TimeoutError:
            raise AssertionError(f"the bot did not exit within {STOP_TIMEOUT} s of {sig.name}:\n{self.log()}") from None
        log = self.log()
        assert code == 0, f"exit code {code} after {sig.name}:\n{log}"
        assert "Database closed" in log, log
        assert "Traceback" not in log, log
        assert errors_logged or " ERROR " not in log, log
        if poll_ends is not None:
            assert time.monotonic() < poll_ends, f"{sig.name} waited for the long poll to end"

    def log(self) -> str:
        return self.logs[-1].read_text(encoding="utf-8", errors="replace") if self.logs else ""

    async def kill(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()

    def all_logs(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text(encoding='utf-8', errors='replace')}"
                         for log in self.logs)


def messages(shown: list[Shown]) -> list[Shown]:
    return [item for item in shown if item.kind in ("message", "edit")]


def only_message(shown: list[Shown]) -> Shown:
    found = messages(shown)
    assert len(found) == 1, f"expected one message, got {found}"
    return found[0]


def menu_labels(i18n: I18n, locale: str) -> list[str]:
    return [i18n.gettext(entry.label, locale=locale) for entry in MAIN_MENU]
