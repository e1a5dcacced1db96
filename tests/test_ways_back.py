"""A way back from every screen (the checklist, the ways to cancel, operator cards, /reminders,
/progress), in zh, ru and en: moving around edits in place, what is worth keeping comes anew."""

from __future__ import annotations

import pytest

from flows.channels import STORE
from flows.menu import MAIN_MENU
from tests.conftest import Harness
from tests.test_eligibility_flow import answer, start_check

LABELS = {entry.id: entry.label for entry in MAIN_MENU}
ABROAD = {"sim_type": "number_keeping", "operator": "t2", "owner": "me", "location": "abroad", "sim_works": "yes",
          "debt": "no", "balance": "yes", "gosuslugi": "no", "foreign_confirmed": "yes"}


@pytest.mark.parametrize("locale", ["zh", "ru", "en"])
async def test_every_screen_has_a_way_back(harness: Harness, gettext, locale: str) -> None:
    menu_text = gettext("What would you like to do?", locale)
    home = gettext("🏠 Menu", locale)
    chat, _ = await start_check(harness, gettext, locale, locale)
    for option in ABROAD.values():
        shown = await answer(chat, option)
    card = shown[-1]

    # A way's steps, from the verdict's other ways: back to the verdict, or home.
    await chat.press(gettext("🧭 Other ways", locale))
    shown = await chat.press(gettext(STORE.title, locale))
    assert shown[-1].kind == "message"  # the steps are worth keeping
    assert {gettext("⬅️ Back to the verdict", locale), home} <= set(shown[-1].button_texts())
    shown = await chat.press(gettext("⬅️ Back to the verdict", locale))
    assert shown[-1].text == card.text

    # The checklist: 🏠 turns it into the menu in place.
    listing = (await chat.send("/checklist"))[-1].message_id
    shown = await chat.press(home)
    assert (shown[-1].kind, shown[-1].message_id, shown[-1].text) == ("edit", listing, menu_text)

    # /reminders, the operator list and card, /progress: each has 🏠.
    for command in ("/reminders", "/contacts", "/progress"):
        shown = await chat.send(command)
        assert home in shown[-1].button_texts(), command
        shown = await chat.press(home)
        assert shown[-1].kind == "edit" and shown[-1].text == menu_text
