"""End to end: ``python -m bot`` in a subprocess, talking HTTP to a fake Bot API server.

The subprocess runs in a temporary folder (so a developer's .env or data/ never leaks in) with
PYTHONPATH set to this checkout, so it runs the code under test, not an installed copy.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiogram.utils.i18n import I18n

from bot.i18n import create_i18n
from bot.local_api import Shown
from flows.menu import MAIN_MENU
from tests.fake_telegram import FakeTelegram, Fault, TelegramUser

REPO = Path(__file__).resolve().parent.parent
TOKEN = "123456:TEST-token"
SETTINGS_VARS = ("BOT_TOKEN", "TELEGRAM_API_BASE", "DATABASE_PATH", "ADMIN_IDS", "DEFAULT_LOCALE",
                 "BROADCAST_RATE", "LOG_LEVEL")
CJK = re.compile(r"[\u4e00-\u9fff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
START_TIMEOUT = 15.0
STOP_TIMEOUT = 10.0

GREETING = (
    "Hello, {name}! I help you cancel a Russian SIM card safely: whether you can, "
    "how, what to bring and what to do first.\n\n"
    "I store only your Telegram id, language, answers and checklist, so that you "
    "can come back later. /privacy tells more, /forget deletes it all."
)
MENU = "What would you like to do?"
LANGUAGE_BUTTON = "🌐 Language"
FORGET_YES = "🗑 Yes, delete everything"
FORGOTTEN = "Done: everything I stored about you is deleted. Send /start if you want to begin again."
STALE = "This button is no longer active."
NOT_READY = ("This part is not ready yet: we are building it now. "
             "Meanwhile, the other menu entries work.")


def bot_env(**values: str) -> dict[str, str]:
    """The test's environment without any of the bot's own settings, plus ``values``."""
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARS}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    env.update(values)
    return env


class BotRunner:
    """Starts and stops ``python -m bot`` against the fake server; one log file per run."""

    def __init__(self, server: FakeTelegram, folder: Path) -> None:
        self.server = server
        self.folder = folder
        self.database = folder / "bot.sqlite3"
        self.process: asyncio.subprocess.Process | None = None
        self.logs: list[Path] = []

    async def start(self) -> None:
        assert self.process is None or self.process.returncode is not None, "the bot is already running"
        log = self.folder / f"bot-{len(self.logs) + 1}.log"
        self.logs.append(log)
        calls_before = len(self.server.calls)
        env = bot_env(BOT_TOKEN=TOKEN, TELEGRAM_API_BASE=self.server.base_url,
                      DATABASE_PATH=str(self.database), LOG_LEVEL="INFO")
        with log.open("wb") as output:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=self.folder, env=env,
                stdin=asyncio.subprocess.DEVNULL, stdout=output, stderr=output)
        # Polling has begun once the first long poll arrives; signals are handled from then on.
        await self.server.wait_for(
            lambda: any(call.method == "getUpdates" for call in self.server.calls[calls_before:])
            or self.process.returncode is not None,
            START_TIMEOUT, "the bot to start polling")
        assert self.process.returncode is None, f"the bot exited at start:\n{self.log()}"

    async def stop(self, sig: signal.Signals = signal.SIGTERM) -> None:
        """Send ``sig``; assert a clean exit within STOP_TIMEOUT, without waiting for the
        long poll, with the database closed and no error logged."""
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
        assert "Traceback" not in log and " ERROR " not in log, log
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


def messages(shown: list[Shown]) -> list[Shown]:
    return [item for item in shown if item.kind in ("message", "edit")]


def only_message(shown: list[Shown]) -> Shown:
    found = messages(shown)
    assert len(found) == 1, f"expected one message, got {found}"
    return found[0]


def menu_labels(i18n: I18n, locale: str) -> list[str]:
    return [i18n.gettext(entry.label, locale=locale) for entry in MAIN_MENU]



async def test_chinese_user_then_russian_and_commands_in_each_language(
    server: FakeTelegram, bot: BotRunner, i18n: I18n,
) -> None:
    await bot.start()

    commands = server.api.commands
    assert {"zh", "ru", "en"} <= commands.keys()
    names = [command["command"] for command in commands["en"]]
    assert "start" in names and "forget" in names
    for code, script in (("zh", CJK), ("ru", CYRILLIC)):
        assert [command["command"] for command in commands[code]] == names
        untranslated = [command["description"] for command in commands[code]
                        if not script.search(command["description"])]
        assert not untranslated, f"{code} command descriptions not translated: {untranslated}"

    user = TelegramUser(server, 501, "zh-hans", first_name="Li")
    greeting = only_message(await user.send_text("/start"))
    assert greeting.html == i18n.gettext(GREETING, locale="zh").format(name="Li")
    assert CJK.search(greeting.text)
    assert greeting.button_texts() == menu_labels(i18n, "zh")
    assert all(CJK.search(label) for label in greeting.button_texts())

    picker = only_message(await user.press(i18n.gettext(LANGUAGE_BUTTON, locale="zh")))
    assert picker.button_texts() == ["• 中文", "Русский", "English"]

    shown = await user.press("Русский")
    menu = only_message(shown)
    assert menu.text == i18n.gettext(MENU, locale="ru")
    assert CYRILLIC.search(menu.text)
    assert menu.button_texts() == menu_labels(i18n, "ru")
    toasts = [item.text for item in shown if item.kind == "toast"]
    assert toasts == [i18n.gettext("Language: {name}", locale="ru").format(name="Русский")]

    await bot.stop(signal.SIGINT)
    assert "Received SIGINT signal" in bot.log()


async def test_restart_keeps_language_and_flow_state_and_finishes_the_update_in_hand(
    server: FakeTelegram, bot: BotRunner, i18n: I18n,
) -> None:
    await bot.start()
    user = TelegramUser(server, 502, "zh-hans")
    await user.send_text("/language")
    await user.press("Русский")
    question = only_message(await user.send_text("/forget"))
    yes = i18n.gettext(FORGET_YES, locale="ru")
    assert yes in question.button_texts()

    # Another user sends /start and /menu back to back; each reply takes a second to send.
    # SIGTERM lands while the first is being answered and the second waits for its turn
    # (updates of one user are handled one at a time): both must be finished, once.
    other = TelegramUser(server, 503, "en", first_name="Ann")
    server.inject("sendMessage", Fault(delay=1.0, times=2))
    calls_before = len(server.calls)
    in_hand = [server.api.user_message(other.user, text) for text in ("/start", "/menu")]
    for update in in_hand:
        server.push(update)
    await server.wait_for(lambda: any(call.method == "sendMessage" for call in server.calls[calls_before:]),
                          5, "the bot to start replying")
    await bot.stop(signal.SIGTERM)
    log = bot.log()
    handled = [f"Update id={update['update_id']} is handled" for update in in_hand]
    assert "Received SIGTERM signal" in log and all(line in log for line in handled), log
    assert log.index("Received SIGTERM signal") < log.index(handled[0]), "SIGTERM came after the update was done"

    replies = [i18n.gettext(GREETING, locale="en").format(name="Ann"), i18n.gettext(MENU, locale="en")]
    assert [item.html for item in messages(other.seen())] == replies, "an update in hand was not finished"
    assert "still being handled" not in log
    # Confirmed, so that Telegram does not deliver them again.
    assert server.pending == []
    assert server.calls_of("getUpdates")[-1].params["offset"] == str(in_hand[-1]["update_id"] + 1)

    calls_before = len(server.calls)
    await bot.start()
    menu = only_message(await user.send_text("/menu"))
    assert menu.text == i18n.gettext(MENU, locale="ru"), "the language was lost"

    # The button of the message sent before the restart: it works only if the state survived.
    shown = await user.press(yes, message_id=question.message_id)
    assert [item.text for item in shown if item.kind in ("toast", "alert")] == []
    done = only_message(shown)
    assert (done.kind, done.message_id) == ("edit", question.message_id)
    assert done.text == i18n.gettext(FORGOTTEN, locale="ru")
    assert not any(item.text == i18n.gettext(STALE, locale=code)
                   for item in user.seen() for code in ("en", "ru", "zh"))

    # Everything is gone, the stored language too: the user reads their Telegram language again.
    menu = only_message(await user.send_text("/menu"))
    assert menu.text == i18n.gettext(MENU, locale="zh")

    assert [item.html for item in messages(other.seen())] == replies, "an update was handled twice"
    assert not any(update["update_id"] in call.update_ids
                   for update in in_hand for call in server.calls[calls_before:])
    await bot.stop(signal.SIGTERM)


# --- runs that end by themselves ----------------------------------------------------------
# Each costs seconds of imports and they are independent, so they all run at once, the first
# time a test asks for one, and each test checks its own.

# Pressing an entry that is not built yet, by its number, as the chat shows it.
UNBUILT = next((number for number, entry in enumerate(MAIN_MENU, 1) if not entry.ready), None)
CHAT_INPUT = f"/start\n{UNBUILT or 1}\n/language\n2\n"
WRONG_SETTINGS = {
    "ADMIN_IDS": "abc",
    "BROADCAST_RATE": "-1",
    "TELEGRAM_API_BASE": "ftp://example.org",
    "BOT_TOKEN": "123456:TEST-token with spaces",
}


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@pytest.fixture(scope="module")
def one_shot_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    folder = tmp_path_factory.mktemp("one-shot")
    database = str(folder / "bot.sqlite3")
    cases: dict[str, tuple[dict[str, str], list[str], str]] = {
        "no-token": (bot_env(DATABASE_PATH=database), [], ""),
        "chat": (bot_env(DATABASE_PATH=str(folder / "chat.sqlite3")), ["chat", "--lang", "en"], CHAT_INPUT),
        # One wrong value beside a valid token, which must not be echoed.
        "one-wrong": (bot_env(BOT_TOKEN=TOKEN, DATABASE_PATH=database, ADMIN_IDS="abc"), [], ""),
        "all-wrong": (bot_env(DATABASE_PATH=database, **WRONG_SETTINGS), [], ""),
    }
    processes = {
        name: (subprocess.Popen([sys.executable, "-m", "bot", *args], cwd=folder, env=env, text=True,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE), stdin)
        for name, (env, args, stdin) in cases.items()
    }
    runs = {}
    for name, (process, stdin) in processes.items():
        out, err = process.communicate(stdin, timeout=60)
        runs[name] = Run(process.returncode, out, err)
    return runs


def test_without_token_explains_how_to_get_one(one_shot_runs: dict[str, Run]) -> None:
    run = one_shot_runs["no-token"]
    assert run.code != 0
    assert "@BotFather" in run.err and "python -m bot chat" in run.err, run.err
    assert "Traceback" not in run.out + run.err
    assert len(run.err.strip().splitlines()) < 12, run.err


@pytest.mark.parametrize(("run_name", "variables"),
                         [("one-wrong", ["ADMIN_IDS"]), ("all-wrong", list(WRONG_SETTINGS))],
                         ids=["one-wrong", "all-wrong"])
def test_wrong_settings_are_one_line_naming_each(
    one_shot_runs: dict[str, Run], run_name: str, variables: list[str],
) -> None:
    run = one_shot_runs[run_name]
    output = run.out + run.err
    assert run.code != 0
    assert len(output.strip().splitlines()) == 1, output
    assert all(variable in output for variable in variables), output
    assert "Traceback" not in output
    assert "TEST-token" not in output, "a token was echoed"


def test_local_chat_shows_what_a_telegram_user_sees(one_shot_runs: dict[str, Run], i18n: I18n) -> None:
    run = one_shot_runs["chat"]
    assert run.code == 0, run.err
    assert "Traceback" not in run.err, run.err
    assert f"[1] {menu_labels(i18n, 'en')[0]}" in run.out
    assert UNBUILT is None or i18n.gettext(NOT_READY, locale="en") in run.out
    assert "[2] Русский" in run.out
    after_switch = run.out.split("you> 2", 1)[1]
    assert i18n.gettext(MENU, locale="ru") in after_switch
    ru_labels = menu_labels(i18n, "ru")
    assert all(f"[{number}] {label}" in after_switch for number, label in enumerate(ru_labels, 1)), run.out
