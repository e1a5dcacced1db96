"""Nobody gets stuck: a question typed in any step is answered, commands and menu buttons
work from any state, and every waiting step says how to leave. Conversations in zh, ru, en."""

from __future__ import annotations

import re

import pytest

from bot.local_api import parse_html
from flows import eligibility
from flows.knowledge import ENTRIES
from flows.menu import MAIN_MENU
from tests.conftest import Harness

LABELS = {entry.id: entry.label for entry in MAIN_MENU}
FIRST_ANSWER = eligibility.QUESTIONS[0].options[0].label
ANSWERS = {entry.id: entry.answer for entry in ENTRIES}
# A question in each language and the knowledge-base answer it gets outside any flow.
QUESTIONS = [("zh", "流量卡怎么注销", "sim_data_only"), ("ru", "как вернуть остаток", "money_balance"),
             ("en", "what if I just stop using the sim", "lapse_do_nothing")]


def heading(gettext, entry_id: str, locale: str) -> str:
    return parse_html(gettext(ANSWERS[entry_id], locale).split("\n", 1)[0])


@pytest.mark.parametrize(("locale", "question", "entry_id"), QUESTIONS, ids=[q[0] for q in QUESTIONS])
async def test_a_question_typed_in_the_check_is_answered_and_the_check_goes_on(
        harness: Harness, gettext, locale: str, question: str, entry_id: str) -> None:
    chat = harness.user(language_code=locale)
    await chat.send("/start")
    await chat.press(gettext(LABELS["check"], locale))
    await chat.press(gettext(FIRST_ANSWER, locale))  # question 2 is on screen
    shown = await chat.send(question)
    assert shown[0].text.startswith(heading(gettext, entry_id, locale))
    assert shown[-1].button_texts() == [gettext("▶️ Continue", locale), gettext("✖️ Cancel the check", locale)]
    assert "2" in shown[-1].text
    shown = await chat.press(gettext("▶️ Continue", locale))
    assert shown[-1].kind == "edit" and "2/" in shown[-1].text
    # Or leave it: the check is gone and the menu is back.
    await chat.send(question)
    shown = await chat.press(gettext("✖️ Cancel the check", locale))
    assert shown[-1].text.startswith(gettext("Cancelled.", locale))
    state = await harness.db.read_one("SELECT state FROM fsm_state WHERE user_id = 42")
    assert state is None or state["state"] is None


@pytest.mark.parametrize(("locale", "question", "entry_id"), QUESTIONS, ids=[q[0] for q in QUESTIONS])
async def test_forget_left_unanswered_never_swallows_a_question(
        harness: Harness, gettext, locale: str, question: str, entry_id: str) -> None:
    chat = harness.user(language_code=locale)
    await chat.send("/forget")
    # The user goes to the menu and asks, as the review saw people do.
    await chat.send("/menu")
    await chat.press(gettext(LABELS["ask"], locale))
    shown = await chat.send(question)
    assert shown[0].text.startswith(heading(gettext, entry_id, locale))
    assert await harness.dispatcher["users"].get(42) is not None


async def test_forget_declined_mid_check_returns_to_the_check(harness: Harness, gettext) -> None:
    chat = harness.user(language_code="ru")
    menu = (await chat.send("/start"))[-1].message_id
    await chat.press(gettext(LABELS["check"], "ru"))
    await chat.send("/forget")
    # A menu button leaves the confirmation; the check is still there to continue.
    shown = await chat.press(gettext(LABELS["progress"], "ru"), message_id=menu)
    assert gettext("▶️ Continue", "ru") in shown[-1].button_texts()


@pytest.mark.parametrize("locale", ["zh", "ru", "en"])
async def test_a_menu_button_leaves_the_reminder_steps(timed_harness: Harness, gettext, locale: str) -> None:
    harness = timed_harness
    chat = harness.user(language_code=locale)
    menu = (await chat.send("/start"))[-1].message_id
    await chat.press(gettext(LABELS["checklist"], locale))
    shown = await chat.press(gettext("⏰ Remind me", locale))
    # The time-zone question says how to leave, and has the button for it.
    assert gettext("To leave this step: ✖️ Cancel or /cancel.", locale) in shown[-1].text
    assert gettext("✖️ Cancel", locale) in shown[-1].button_texts()
    await chat.press(gettext(LABELS["contacts"], locale), message_id=menu)
    # The step is over: what is typed now is a question, not a city.
    shown = await chat.send("beeline hotline")
    assert shown[0].text.startswith(heading(gettext, "contacts", locale))
    rows = await harness.db.read("SELECT id FROM reminders")
    assert rows == []


# How each way out of the reminder steps is taken: a preset (the reminder is set), ✖️ Cancel,
# /cancel, or a question typed instead of a time.
WAYS_OUT = ["preset", "cancel button", "/cancel", "question"]


@pytest.mark.parametrize(("locale", "way_out"), list(zip(["zh", "ru", "en", "ru"], WAYS_OUT, strict=True)))
async def test_a_reminder_set_in_the_middle_of_a_check_leaves_the_check_as_it_was(
        timed_harness: Harness, gettext, locale: str, way_out: str) -> None:
    harness = timed_harness
    chat = harness.user(language_code=locale)
    menu = (await chat.send("/start"))[-1].message_id
    await chat.press(gettext(LABELS["check"], locale))
    await chat.press(1)
    await chat.press(1)  # two answers given: question 3 is on screen
    # Off to the checklist and its "⏰ Remind me", the check left open.
    await chat.press(gettext(LABELS["checklist"], locale), message_id=menu)
    await chat.press(gettext("⏰ Remind me", locale))
    shown = await chat.press(f"{gettext('Beijing', locale)} (UTC+8)")
    assert gettext("In 1 hour", locale) in shown[-1].button_texts()
    if way_out == "preset":
        shown = await chat.press(gettext("In 1 hour", locale))
        assert shown[-1].text.startswith("✅")
        assert len(await harness.dispatcher["reminders"].pending(42)) == 1
        # The check it interrupted is offered first.
        assert shown[-1].button_texts()[0] == gettext("▶️ Continue", locale)
    elif way_out == "cancel button":
        shown = await chat.press(gettext("✖️ Cancel", locale))
        assert shown[-1].text == gettext("Cancelled: no reminder was set.", locale)
        assert shown[-1].button_texts()[0] == gettext("▶️ Continue", locale)
    elif way_out == "/cancel":
        shown = await chat.send("/cancel")
        assert shown[-1].text.startswith(gettext("Cancelled.", locale))
        assert shown[-1].button_texts()[0] == gettext("▶️ Continue", locale)
    else:
        # A question instead of a time: answered, and the check offered again.
        shown = await chat.send("как вернуть остаток")
        assert shown[0].text.startswith(heading(gettext, "money_balance", locale))
        assert gettext("✖️ Cancel the check", locale) in shown[-1].button_texts()
    # The check is still open at question 3, with both answers: it goes on from there.
    shown = await chat.send("/check")
    expected = gettext("You have a check in progress, at question {current} of {total}. Continue it, or start over?",
                       locale)
    assert re.fullmatch(re.escape(expected).replace(r"\{current\}", "3").replace(r"\{total\}", r"\d+"), shown[-1].text)
    shown = await chat.press(gettext("▶️ Continue", locale))
    assert "3/" in shown[-1].text
    shown = await chat.press(gettext("⬅️ Back", locale))
    assert "2/" in shown[-1].text and any(label.startswith("✓ ") for label in shown[-1].button_texts())
