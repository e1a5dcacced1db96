"""Admin commands through the real dispatcher: access, command menus, /broadcast, /stats."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import Settings
from bot.repositories.users import UsersRepository
from tests.conftest import Harness, make_settings

# Each test runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.engines

ADMIN = 42
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
ADMIN_COMMANDS = ["broadcast", "broadcast_cancel", "stats"]
PHOTO = [{"file_id": "p1", "file_unique_id": "pu1", "width": 90, "height": 90}]
STICKER = {"file_id": "s1", "file_unique_id": "u1", "type": "regular", "width": 512, "height": 512,
           "is_animated": False, "is_video": False}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, admin_ids=str(ADMIN), broadcast_rate=30)


async def users(harness: Harness, *specs: tuple[int, str]) -> None:
    for user_id, language_code in specs:
        await harness.user(user_id, language_code).send("/start")


def db(harness: Harness):
    return harness.db


async def scalar(harness: Harness, sql: str) -> int:
    return (await db(harness).read_one(sql))[0]


@pytest.mark.parametrize("command", ["/broadcast", "/broadcast_cancel", "/stats"])
async def test_a_non_admin_gets_the_unknown_command_answer(harness: Harness, command: str) -> None:
    chat = harness.user(7, "ru")
    unknown = await chat.send("/no_such_command")
    shown = await chat.send(command)
    assert [(s.text, s.buttons) for s in shown] == [(s.text, s.buttons) for s in unknown]


async def test_a_non_admin_pressing_a_forged_broadcast_button_learns_nothing(harness: Harness, gettext) -> None:
    chat = harness.user(7, "en")
    await chat.send("/start")
    shown = await chat.press_data(1 + 1, "bc:send:all:")
    assert shown[0].kind == "toast" and shown[0].text == gettext("This button is no longer active.", "en")
    assert await scalar(harness, "SELECT count(*) AS n FROM broadcasts") == 0


async def test_admin_commands_are_in_the_admins_menu_only(harness: Harness) -> None:
    await harness.user(ADMIN, "ru").send("/start")
    await harness.restart()  # the admin's language is known now
    for commands in harness.api.commands.values():
        assert not {c["command"] for c in commands} & set(ADMIN_COMMANDS)
    assert set(harness.api.chat_commands) == {ADMIN}
    admin_menu = harness.api.chat_commands[ADMIN]
    assert [c["command"] for c in admin_menu][-3:] == ADMIN_COMMANDS
    assert [c["command"] for c in admin_menu][:-3] == [c["command"] for c in harness.api.commands["ru"]]
    assert all(CYRILLIC.search(c["description"]) for c in admin_menu)


async def test_startup_survives_an_admin_chat_telegram_does_not_know(settings: Settings) -> None:
    harness = Harness(settings)
    harness.api.fail(ADMIN, 400, "Bad Request: chat not found")
    await harness.start()
    try:
        assert harness.api.chat_commands == {}
        assert harness.api.commands  # everyone else's menus are registered all the same
    finally:
        await harness.stop()


async def test_broadcast_of_formatted_text_to_everyone(harness: Harness, gettext) -> None:
    await users(harness, (100, "en"), (101, "zh"), (102, "ru"), (103, "en"))
    await UsersRepository(db(harness)).set_blocked(103, True)
    admin = harness.user(ADMIN, "en")
    shown = await admin.send("/broadcast")
    assert "Send me the message to broadcast" in shown[0].text

    entities = [{"type": "bold", "offset": 0, "length": 5}]
    shown = await admin.send("Hello <b>&amp; & news", entities=entities)
    preview, menu = shown
    assert preview.chat_id == ADMIN and preview.text == "Hello <b>&amp; & news"
    assert harness.api.messages[(ADMIN, preview.message_id)]["entities"] == entities
    assert menu.button_texts()[0] == "👥 All users (4)"  # 100, 101, 102 and the admin; 103 blocked

    shown = await admin.press("👥 All users (4)")
    assert shown[-1].text == "Audience: all users\nRecipients: 4\n\nSend them the message above?"
    await admin.press("📤 Send to 4")
    await harness.dispatcher["broadcaster"].wait()

    copies = {s.chat_id: s for s in harness.api.shown if s.kind == "message" and s.text == preview.text
              and (s.chat_id, s.message_id) != (ADMIN, preview.message_id)}
    assert sorted(copies) == [ADMIN, 100, 101, 102]
    for chat_id in (100, 101, 102):
        copied = harness.api.messages[(chat_id, copies[chat_id].message_id)]
        assert copied["entities"] == entities and copied["from"] == harness.api.me
    status = harness.api.messages[(ADMIN, menu.message_id)]
    assert status["text"] == "Broadcast #1 to all users: finished\nSent: 4 of 4\nBlocked the bot: 0\nFailed: 0"
    assert "reply_markup" not in status


async def test_broadcast_of_a_photo_to_one_language_with_a_blocked_recipient(harness: Harness) -> None:
    await users(harness, (100, "zh"), (101, "zh-hans"), (102, "ru"), (103, "zh"))
    harness.api.fail(101, 403, "Forbidden: bot was blocked by the user")
    admin = harness.user(ADMIN, "en")
    await admin.send("/broadcast")
    preview, _ = await admin.send(photo=PHOTO, caption="New rules <soon>")
    assert preview.media == "photo" and preview.text == "New rules <soon>"
    await admin.press("🌐 By language")
    await admin.press("中文 (3)")
    await admin.press("📤 Send to 3")
    await harness.dispatcher["broadcaster"].wait()

    photos = {s.chat_id for s in harness.api.shown if s.media == "photo" and s.chat_id != ADMIN}
    assert photos == {100, 103}
    assert await scalar(harness, "SELECT blocked_bot FROM users WHERE id = 101") == 1
    status = [s for s in harness.api.shown if s.kind == "edit" and s.chat_id == ADMIN][-1]
    assert status.text == "Broadcast #1 to language: 中文: finished\nSent: 2 of 3\nBlocked the bot: 1\nFailed: 0"


async def test_draft_hints_keeps_commands_working_and_can_be_discarded(harness: Harness) -> None:
    await users(harness, (100, "en"))
    admin = harness.user(ADMIN, "en")
    await admin.send("/broadcast")
    shown = await admin.send(sticker=STICKER)
    assert shown[0].text == "I can broadcast text, a photo or a file. Please send one of these, or /cancel."
    shown = await admin.send("/stats")
    assert shown[0].text.startswith("Users: 2")
    await admin.send("Some news")
    shown = await admin.press("✖ Cancel")
    assert shown[-1].text == "Broadcast discarded: nothing was sent."
    shown = await admin.press_data(shown[-1].message_id, "bc:send:all:")
    assert shown[0].kind == "alert" and "/broadcast" in shown[0].text
    assert await scalar(harness, "SELECT count(*) FROM broadcasts") == 0


async def test_cancel_command_leaves_the_draft(harness: Harness) -> None:
    admin = harness.user(ADMIN, "en")
    await admin.send("/broadcast")
    await admin.send("/cancel")
    shown = await admin.send("Just chatting")
    # Answered as any user's text would be, not taken as a broadcast draft.
    assert shown[0].text == (await harness.user(77, "en").send("Just chatting"))[0].text


async def test_send_twice_starts_one_broadcast(harness: Harness) -> None:
    await users(harness, (100, "en"))
    admin = harness.user(ADMIN, "en")
    await admin.send("/broadcast")
    await admin.send("News")
    await admin.press("👥 All users (2)")
    message_id, send = admin.find_button("📤 Send to 2")
    await admin.press_data(message_id, send["callback_data"])
    shown = await admin.press_data(message_id, send["callback_data"])
    assert shown[0].kind == "alert"
    await harness.dispatcher["broadcaster"].wait()
    assert await scalar(harness, "SELECT count(*) FROM broadcasts") == 1


@pytest.mark.parametrize(
    ("data", "answer"),
    [("bc:pick:status:", "No one to choose from yet."), ("bc:pick:language:xx", "No one is in this audience."),
     ("bc:pick:status:a.b.c", "No one is in this audience."), ("bc:pick:everyone:", "This button is no longer active.")],
    ids=["empty-list", "unknown-language", "unknown-status", "forged-kind"],
)
async def test_empty_and_forged_audiences_get_a_polite_answer(harness: Harness, data: str, answer: str) -> None:
    admin = harness.user(ADMIN, "en")
    await admin.send("/broadcast")
    _, menu = await admin.send("News")
    shown = await admin.press_data(menu.message_id, data)
    assert shown[0].text == answer


async def test_broadcast_cancel_without_a_broadcast(harness: Harness) -> None:
    shown = await harness.user(ADMIN, "en").send("/broadcast_cancel")
    assert shown[0].text == "No broadcast is being sent."


async def test_a_running_broadcast_blocks_a_second_one_and_can_be_cancelled(harness: Harness) -> None:
    await users(harness, *((uid, "en") for uid in range(100, 140)))
    admin = harness.user(ADMIN, "en")
    await admin.send("/broadcast")
    await admin.send("News")
    await admin.press("👥 All users (41)")
    await admin.press("📤 Send to 41")
    shown = await admin.send("/broadcast")
    assert "Broadcast #1 is still being sent. /broadcast_cancel stops it." in [s.text for s in shown]
    shown = await admin.send("/broadcast_cancel")
    # The admin is a recipient too: their copy may arrive in between.
    assert "Broadcast #1 is stopping; its status message will show the totals." in [s.text for s in shown]
    await harness.dispatcher["broadcaster"].wait()
    status = [s for s in harness.api.shown if s.kind == "edit" and s.chat_id == ADMIN][-1]
    assert status.text.startswith("Broadcast #1 to all users: cancelled") and "Not sent: " in status.text


async def test_a_broadcast_resumes_after_a_restart(harness: Harness) -> None:
    await users(harness, *((uid, "en") for uid in range(100, 110)))
    admin = harness.user(ADMIN, "en")
    await admin.send("/broadcast")
    await admin.send("News")
    await admin.press("👥 All users (11)")
    await admin.press("📤 Send to 11")
    await harness.restart()  # a graceful stop: the job stays running
    await harness.dispatcher["broadcaster"].wait()
    received = [s.chat_id for s in harness.api.shown if s.text == "News" and s.kind == "message"]
    assert sorted(received) == sorted([ADMIN, *range(100, 110), ADMIN])  # the preview, then everyone once
