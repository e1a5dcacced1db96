"""End to end: ``python -m bot`` in a subprocess, talking HTTP to a fake Bot API server.

The subprocess runs in a temporary folder (so a developer's .env or data/ never leaks in) with
PYTHONPATH set to this checkout, so it runs the code under test, not an installed copy.
"""

from __future__ import annotations

import asyncio
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

import pytest
from aiogram.utils.i18n import I18n

from bot.local_api import Shown
from tests.e2e_bot import TOKEN, BotRunner, bot_env, menu_labels, messages, only_message
from tests.fake_telegram import FakeTelegram, Fault, TelegramUser

CJK = re.compile(r"[\u4e00-\u9fff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
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
    # The button of the message sent before the restart: it works only if the state survived,
    # and its answer is in Russian only if the language did.
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


async def test_a_reminder_set_a_minute_ahead_survives_a_restart_and_arrives(
    server: FakeTelegram, bot: BotRunner, i18n: I18n,
) -> None:
    """The real scheduler on the real clock: about a minute of waiting."""
    def zh(msgid: str) -> str:
        return i18n.gettext(msgid, locale="zh")

    await bot.start()
    user = TelegramUser(server, 504, "zh-hans")
    await user.send_text("/start")
    await user.press(zh("📋 Checklist and reminders"))
    await user.press(zh("⏰ Remind me"))
    question = only_message(await user.press(zh("Beijing") + " (UTC+8)"))
    assert "UTC+8" in question.text
    confirmation = only_message(await user.send_text("1m"))
    assert confirmation.text.startswith("✅ " + zh("I will remind you about <b>{what}</b> {when} ({tz}).").split("{when}")[0])
    set_at = time.monotonic()

    # Stored, not held in memory: a restart before it is due changes nothing.
    await bot.stop(signal.SIGTERM)
    await bot.start()
    reminder_start = zh("⏰ <b>Reminder:</b> {item}").format(item=zh("the checklist before cancelling"))

    def reminders() -> list[Shown]:
        return [item for item in user.seen() if item.kind == "message" and item.html.startswith(reminder_start)]

    await server.wait_for(lambda: bool(reminders()), 90, "the reminder")
    assert time.monotonic() - set_at >= 59, "the reminder came before it was due"
    [reminder] = reminders()
    assert reminder.button_texts() == [zh(label) for label in
                                       ("✅ Done", "📋 Open the checklist", "Snooze 1 hour", "Snooze 1 day",
                                        "🔕 No more about this", "🔕 Stop all reminders")]

    snoozed = only_message([item for item in await user.press(zh("Snooze 1 hour"), reminder.message_id)
                            if item.kind == "message"])
    assert snoozed.text.startswith(zh("Snoozed until {when} ({tz}).").split("{when}")[0])
    listing = only_message(await user.send_text("/reminders"))
    assert len(listing.text.splitlines()) == 2 and "UTC+8" in listing.text
    await asyncio.sleep(1)
    assert len(reminders()) == 1, "the reminder was sent twice"
    await bot.stop(signal.SIGTERM)


# --- runs that end by themselves ----------------------------------------------------------
# Each costs seconds of imports and they are independent, so they all run at once, the first
# time a test asks for one, and each test checks its own.

# The first menu entry (the check) pressed by its number, as the chat shows it; then a
# command in the middle of the check.
CHAT_INPUT = "/start\n1\n/language\n2\n"
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
    assert i18n.gettext("What kind of SIM is it?", locale="en") in run.out
    assert f"[1] {i18n.gettext('Ordinary SIM', locale='en')}" in run.out
    assert "[2] Русский" in run.out
    after_switch = run.out.split("you> 2", 1)[1]
    assert i18n.gettext(MENU, locale="ru") in after_switch
    ru_labels = menu_labels(i18n, "ru")
    assert all(f"[{number}] {label}" in after_switch for number, label in enumerate(ru_labels, 1)), run.out
