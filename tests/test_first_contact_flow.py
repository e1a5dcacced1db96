"""What a user meets first, driven through the real dispatcher as a user would."""

from __future__ import annotations

import asyncio
import re

import pytest

from bot.repositories.users import UsersRepository
from flows.menu import MAIN_MENU
from tests.conftest import Harness

CJK = re.compile(r"[\u4e00-\u9fff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
STICKER = {"file_id": "s1", "file_unique_id": "u1", "type": "regular", "width": 512, "height": 512,
           "is_animated": False, "is_video": False}
PHOTO = [{"file_id": "p1", "file_unique_id": "pu1", "width": 90, "height": 90}]
VOICE = {"file_id": "v1", "file_unique_id": "vu1", "duration": 2}
DOCUMENT = {"file_id": "d1", "file_unique_id": "du1", "file_name": "passport.pdf"}


def menu_labels(gettext, locale: str) -> list[str]:
    return [gettext(entry.label, locale) for entry in MAIN_MENU]


@pytest.mark.parametrize(
    ("language_code", "locale", "script"),
    [("zh-hans", "zh", CJK), ("ru", "ru", CYRILLIC), ("en", "en", re.compile("[A-Za-z]"))],
)
async def test_start_greets_in_the_users_language_with_the_menu(harness: Harness, gettext, language_code, locale, script) -> None:
    shown = await harness.user(language_code=language_code).send("/start")
    assert len(shown) == 1
    assert script.search(shown[0].text)
    assert shown[0].button_texts() == menu_labels(gettext, locale)
    assert "/privacy" in shown[0].text and "/forget" in shown[0].text


async def test_users_name_is_escaped(harness: Harness) -> None:
    shown = await harness.user(first_name="<b>Bob & Co").send("/start")
    assert "<b>Bob & Co" in shown[0].text  # shown literally, not as markup


@pytest.mark.parametrize("command", ["/help", "/menu", "/privacy"])
async def test_commands_answer_with_the_menu(harness: Harness, gettext, command: str) -> None:
    shown = await harness.user(language_code="ru").send(command)
    assert CYRILLIC.search(shown[-1].text)
    assert shown[-1].button_texts() == menu_labels(gettext, "ru")


async def test_language_switch_is_stored_and_survives_a_restart(harness: Harness, gettext) -> None:
    chat = harness.user(language_code="en")
    await chat.send("/start")
    await chat.press(gettext("🌐 Language", "en"))
    shown = await chat.press("中文")
    assert shown[0].kind == "toast" and "中文" in shown[0].text
    assert shown[-1].button_texts() == menu_labels(gettext, "zh")

    await harness.restart()
    shown = await harness.rebind(chat).send("/menu")
    assert shown[-1].button_texts() == menu_labels(gettext, "zh")


async def test_language_command_shows_every_language_and_the_current_one(harness: Harness) -> None:
    shown = await harness.user(language_code="ru").send("/language")
    assert shown[0].button_texts() == ["中文", "• Русский", "English"]
    assert CJK.search(shown[0].text) and CYRILLIC.search(shown[0].text)


@pytest.mark.parametrize(
    ("content", "msgid"),
    [
        ({"sticker": STICKER}, "I can read only text and buttons, not stickers, photos, voice or files."),
        ({"photo": PHOTO}, "I can read only text and buttons, not stickers, photos, voice or files."),
        ({"voice": VOICE}, "I can read only text and buttons, not stickers, photos, voice or files."),
        ({"document": DOCUMENT}, "I can read only text and buttons, not stickers, photos, voice or files."),
        ({"text": "/nonsense"}, "I don't know that command. /help lists the ones I have."),
    ],
    # Plain text is a question: tests/test_questions_flow.py covers it.
    ids=["sticker", "photo", "voice", "document", "command"],
)
async def test_anything_not_understood_gets_a_polite_answer_and_the_menu(harness: Harness, gettext, content, msgid) -> None:
    chat = harness.user(language_code="ru")
    text = content.pop("text", None)
    shown = await chat.send(text, **content)
    assert len(shown) == 1
    assert shown[0].text.startswith(gettext(msgid, "ru"))
    assert shown[0].button_texts() == menu_labels(gettext, "ru")


@pytest.mark.parametrize("data", ["zzz", "m:unknown", "lang:de", "fg:1", "fg:0", "m", "x" * 64])
async def test_forged_or_stale_buttons_are_answered_and_change_nothing(harness: Harness, gettext, data: str) -> None:
    chat = harness.user(language_code="zh")
    await chat.send("/start")
    message_id = harness.api.shown[-1].message_id
    shown = await chat.press_data(message_id, data)
    assert shown[0].kind == "toast" and shown[0].text == gettext("This button is no longer active.", "zh")
    assert shown[-1].button_texts() == menu_labels(gettext, "zh")
    profile = await UsersRepository(harness.db).get(42)
    assert profile is not None and profile.language is None


async def test_forget_deletes_everything_after_confirmation(harness: Harness, gettext) -> None:
    chat = harness.user(language_code="en")
    await chat.send("/start")
    await chat.press("🌐 Language")
    await chat.press("Русский")
    await chat.send("/forget")
    db = harness.db
    assert (await db.read_one("SELECT count(*) FROM fsm_state WHERE user_id = 42"))[0] == 1

    shown = await chat.press(gettext("🗑 Yes, delete everything", "ru"))
    assert shown[-1].kind == "edit"
    assert CYRILLIC.search(shown[-1].text)  # confirmed in the language the user had chosen
    for table in ("users", "fsm_state"):
        column = "id" if table == "users" else "user_id"
        assert (await db.read_one(f"SELECT count(*) FROM {table} WHERE {column} = 42"))[0] == 0

    # Back to Telegram's language once the stored choice is gone.
    shown = await chat.send("/menu")
    assert shown[-1].text == gettext("What would you like to do?", "en")


async def test_forget_can_be_declined(harness: Harness, gettext) -> None:
    chat = harness.user(language_code="en")
    await chat.send("/forget")
    shown = await chat.press("Keep my data")
    assert shown[-1].text == "Nothing was deleted."
    assert await UsersRepository(harness.db).get(42) is not None
    # The confirmation is gone: pressing "delete" on the old message now does nothing.
    shown = await chat.press_data(shown[-1].message_id, "fg:1")
    assert shown[0].text == "This button is no longer active."
    assert await UsersRepository(harness.db).get(42) is not None


async def test_forget_confirmation_survives_a_restart(harness: Harness) -> None:
    chat = harness.user(language_code="en")
    await chat.send("/forget")
    question = harness.api.shown[-1].message_id
    await harness.restart()
    shown = await harness.rebind(chat).press("🗑 Yes, delete everything", message_id=question)
    assert shown[-1].text.startswith("Done: everything I stored about you is deleted.")


async def test_cancel_leaves_the_current_step(harness: Harness) -> None:
    chat = harness.user(language_code="en")
    shown = await chat.send("/cancel")
    assert shown[0].text.startswith("There is nothing to cancel.")
    await chat.send("/forget")
    shown = await chat.send("/cancel")
    assert shown[0].text.startswith("Cancelled.")
    shown = await chat.press("🗑 Yes, delete everything", message_id=shown[0].message_id - 2)
    assert shown[0].text == "This button is no longer active."


async def test_two_fast_taps_are_handled_in_order(harness: Harness) -> None:
    chat = harness.user(language_code="en")
    await chat.send("/forget")
    question = harness.api.shown[-1].message_id
    first = harness.api.button_press(chat.user, question, "fg:1")
    second = harness.api.button_press(chat.user, question, "fg:1")
    await asyncio.gather(
        harness.dispatcher.feed_raw_update(harness.bot, first),
        harness.dispatcher.feed_raw_update(harness.bot, second),
    )
    texts = [shown.text for shown in harness.api.shown[-3:]]
    assert sum(text.startswith("Done:") for text in texts) == 1
    assert "This button is no longer active." in texts


async def test_group_messages_are_ignored(harness: Harness) -> None:
    update = harness.api.user_message(harness.user().user, "/start")
    update["message"]["chat"] = {"id": -100123, "type": "supergroup", "title": "g"}
    before = len(harness.api.shown)
    await harness.dispatcher.feed_raw_update(harness.bot, update)
    assert len(harness.api.shown) == before


async def test_blocking_the_bot_is_recorded_and_cleared_on_return(harness: Harness) -> None:
    chat = harness.user()
    await chat.send("/start")
    db = harness.db
    await harness.dispatcher.feed_raw_update(harness.bot, harness.api.blocked_by(chat.user))
    assert (await db.read_one("SELECT blocked_bot FROM users WHERE id = 42"))[0] == 1
    await chat.send("/start")
    assert (await db.read_one("SELECT blocked_bot FROM users WHERE id = 42"))[0] == 0


async def test_users_are_tracked_with_one_row(harness: Harness) -> None:
    chat = harness.user(language_code="zh-hant")
    for _ in range(3):
        await chat.send("/menu")
    rows = await harness.db.read("SELECT telegram_language, first_seen <= last_seen FROM users")
    assert [tuple(row) for row in rows] == [("zh-hant", 1)]


async def test_commands_are_registered_in_every_language(harness: Harness, gettext) -> None:
    commands = harness.api.commands
    assert set(commands) == {"", "zh", "ru", "en"}
    names = [c["command"] for c in commands["zh"]]
    assert {"start", "menu", "check", "checklist", "contacts", "ask", "progress", "reminders", "settings",
            "language", "timezone", "help", "cancel", "privacy", "forget"} == set(names)
    assert all(CJK.search(c["description"]) for c in commands["zh"])
    assert all(CYRILLIC.search(c["description"]) for c in commands["ru"])
    assert commands[""] == commands["en"]
