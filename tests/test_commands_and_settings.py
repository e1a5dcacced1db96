"""The commands people guess, /settings, and a command menu in the language chosen in the
bot, through the real dispatcher in zh, ru and en."""

from __future__ import annotations

import re

import pytest

from flows.menu import MAIN_MENU
from tests.conftest import Harness

LABELS = {entry.id: entry.label for entry in MAIN_MENU}
CYRILLIC = re.compile("[а-яА-ЯёЁ]")


@pytest.mark.parametrize("locale", ["zh", "ru", "en"])
async def test_the_commands_people_guess_open_their_screens(harness: Harness, gettext, locale: str) -> None:
    chat = harness.user(language_code=locale)
    shown = await chat.send("/check")
    assert shown[-1].text.startswith(gettext("Question {current}/{total}", locale).format(current=1, total=9))
    shown = await chat.send("/checklist")
    assert gettext("⏰ Remind me", locale) in shown[-1].button_texts()
    shown = await chat.send("/contacts")
    assert shown[-1].text == gettext("Which operator? Choose one for its contacts and rules.", locale)
    shown = await chat.send("/ask")
    assert gettext("🏠 Menu", locale) in shown[-1].button_texts() and "👍" not in shown[-1].button_texts()
    # /check again: the check begun above is offered, not lost.
    shown = await chat.send("/check")
    assert gettext("▶️ Continue", locale) in shown[-1].button_texts()


async def test_the_command_menu_follows_the_language_chosen_in_the_bot(harness: Harness, gettext) -> None:
    chat = harness.user(language_code="en")
    await chat.send("/language")
    await chat.press("Русский")
    menu = harness.api.chat_commands[42]
    assert [c["command"] for c in menu] == [c["command"] for c in harness.api.commands["ru"]]
    assert all(CYRILLIC.search(c["description"]) for c in menu)
    await chat.send("/language")
    await chat.press("中文")
    assert harness.api.chat_commands[42][2]["description"] == gettext("Can I cancel my SIM? A few questions", "zh")


@pytest.mark.parametrize("locale", ["zh", "ru", "en"])
async def test_settings_offer_language_time_zone_and_deleting(harness: Harness, gettext, locale: str) -> None:
    chat = harness.user(language_code=locale)
    shown = await chat.send("/settings")
    settings = shown[-1].message_id
    assert shown[-1].button_texts() == [gettext(label, locale) for label in (
        "🌐 Language", "🕒 Time zone", "🗑 Delete my data", "🏠 Menu")]

    shown = await chat.press(gettext("🕒 Time zone", locale))
    assert shown[-1].message_id == settings and gettext("⌨️ Type a city", locale) in shown[-1].button_texts()
    shown = await chat.press(gettext("✖️ Cancel", locale))
    assert gettext("Your time zone stays as it was.", locale) in shown[-1].text

    await chat.send("/settings")
    shown = await chat.press(gettext("🗑 Delete my data", locale))
    assert shown[-1].kind == "edit" and gettext("Keep my data", locale) in shown[-1].button_texts()
    shown = await chat.press(gettext("Keep my data", locale))
    assert shown[-1].text == gettext("Nothing was deleted.", locale)
    assert await harness.dispatcher["users"].get(42) is not None

    await chat.send("/settings")
    shown = await chat.press(gettext("🌐 Language", locale))
    assert shown[-1].kind == "edit" and "English" in shown[-1].button_texts()[-1]
    other, name = ("en", "English") if locale == "ru" else ("ru", "Русский")
    shown = await chat.press(name)
    assert shown[-1].kind == "edit" and shown[-1].text == gettext("What would you like to do?", other)
