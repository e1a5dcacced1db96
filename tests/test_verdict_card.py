"""The verdict as a card, in zh, ru and en: change one answer and come straight back to the
verdict; the verdict shown again later; 🏠 Menu under it keeps it in the chat."""

from __future__ import annotations

import pytest

from bot.local_api import parse_html
from bot.screens.check import STATUS_LINES
from flows.eligibility import Status
from flows.menu import MAIN_MENU
from tests.conftest import Harness, clean_answers
from tests.test_eligibility_flow import answer, fsm, start_check, stored_checks

LABELS = {entry.id: entry.label for entry in MAIN_MENU}
CLEAN = clean_answers(operator="megafon")


@pytest.mark.parametrize("locale", ["zh", "ru", "en"])
async def test_change_one_answer_then_straight_back_to_the_verdict(harness: Harness, gettext, locale: str) -> None:
    chat, _ = await start_check(harness, gettext, locale, locale)
    for option in CLEAN.values():
        shown = await answer(chat, option)
    card = shown[-1]
    assert card.text.startswith(parse_html(gettext(STATUS_LINES[Status.CAN_CANCEL_NOW], locale)))
    shown = await chat.press(gettext("✏️ Change an answer", locale))
    assert shown[-1].kind == "edit" and shown[-1].message_id == card.message_id
    assert gettext("Is there any debt or a negative balance on the number?", locale) in shown[-1].text
    # The debt is the sixth answer: its question, then at once the new verdict.
    shown = await chat.press("✏️ 6")
    assert gettext("Is there any debt or a negative balance on the number?", locale) in shown[-1].text
    shown = await answer(chat, "yes")
    assert shown[-1].text.startswith(parse_html(gettext(STATUS_LINES[Status.AFTER_STEPS], locale)))
    assert gettext("✏️ Change an answer", locale) in shown[-1].button_texts()
    checks = await stored_checks(harness)
    assert [c[1] for c in checks] == ["CAN_CANCEL_NOW", "AFTER_STEPS"]
    # A debt skips the balance question, so that answer goes; every other one is kept.
    assert checks[1][0] == {k: v for k, v in {**CLEAN, "debt": "yes"}.items() if k != "balance"}
    assert (await fsm(harness))[0] is None


@pytest.mark.parametrize("locale", ["zh", "ru", "en"])
async def test_the_verdict_is_shown_again_from_progress_and_menu_keeps_it(
        harness: Harness, gettext, locale: str) -> None:
    chat, _ = await start_check(harness, gettext, locale, locale)
    for option in CLEAN.values():
        shown = await answer(chat, option)
    card = shown[-1]
    shown = await chat.press(gettext("🏠 Menu", locale))
    assert shown[-1].kind == "message" and shown[-1].text == gettext("What would you like to do?", locale)
    assert harness.api.messages[(42, card.message_id)]["text"].startswith(card.text.split("\n")[0])
    await chat.send("/progress")
    shown = await chat.press(gettext("📄 Show the verdict", locale))
    assert shown[-1].kind == "message" and shown[-1].text == card.text
    assert shown[-1].button_texts() == card.button_texts()
