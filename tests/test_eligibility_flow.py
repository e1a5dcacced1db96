"""The check, its verdict, how to cancel, operator cards and /progress, through the dispatcher."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from bot.callbacks import AnswerCb, ChannelCb, VerdictCb
from bot.chat import LocalChat
from bot.local_api import Shown, parse_html
from bot.screens.check import STALE, STATUS_LINES, STATUS_SHORT, VERDICT_PARTS
from bot.screens.common import INACTIVE
from bot.screens.howto import CONFIRM_UNKNOWN, CONFIRM_WITH
from flows.channels import (
    _ASK_REFUND,
    _ASK_REFUND_HOLDER,
    _BRING_BANK,
    _BRING_HOLDER_BANK,
    _GOSUSLUGI_ASK_REFUND,
    _HOLDER_STORE,
    _HOTLINE_ABROAD,
    _POWER_ABROAD,
    _POWER_MONEY,
    _SELLER,
    _STORE_ABROAD,
    CHANNELS,
    GOSUSLUGI,
    HOTLINE,
    REPRESENTATIVE,
    STORE,
    SUMMARIES,
    recommend,
)
from flows.checklist import HOLDER_NOTE
from flows.eligibility import BLOCKERS, STEPS, Status, assess
from flows.menu import MAIN_MENU
from flows.operators import load_operators
from tests.conftest import Harness, clean_answers

# Each test runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.engines

LOCALES = [("zh-hans", "zh"), ("ru", "ru"), ("en", "en")]
CHECK = next(e.label for e in MAIN_MENU if e.id == "check")

PROFILES = {
    "t2-abroad-no-gosuslugi": (
        {"sim_type": "number_keeping", "operator": "t2", "owner": "me", "location": "abroad",
         "sim_works": "yes", "debt": "no", "balance": "yes", "gosuslugi": "no", "foreign_confirmed": "yes"},
        Status.AFTER_STEPS, ["abroad_no_remote_route"], "representative",
    ),
    "someone-elses-number": (
        {"sim_type": "ordinary", "operator": "mts", "owner": "someone_else", "location": "russia",
         "sim_works": "yes", "debt": "no", "balance": "no", "foreign_confirmed": "not_foreigner"},
        Status.NEEDS_SOMEONE_ELSE, ["owner_someone_else"], "store",
    ),
    "debt": (
        {"sim_type": "data_only", "operator": "beeline", "owner": "me", "location": "russia",
         "sim_works": "yes", "debt": "yes", "gosuslugi": "yes", "foreign_confirmed": "unsure"},
        Status.AFTER_STEPS, ["debt"], "store",
    ),
    "everything-fine": (
        clean_answers(operator="megafon"),
        Status.CAN_CANCEL_NOW, [], "store",
    ),
}


def answer_data(chat: LocalChat, option: str, message_id: int | None = None) -> tuple[int, str]:
    """The message and callback data of the answer button ``option`` under the latest question
    (or under ``message_id``)."""
    found = chat.keyboard(message_id)
    assert found is not None, "no buttons shown"
    message_id, buttons = found
    for button in buttons:
        data = button.get("callback_data", "")
        if data.startswith("eq:") and AnswerCb.unpack(data).o == option:
            return message_id, data
    raise LookupError(f"no answer {option!r} in {[b['text'] for b in buttons]}")


async def answer(chat: LocalChat, option: str) -> list[Shown]:
    return await chat.press_data(*answer_data(chat, option))


async def start_check(harness: Harness, gettext, locale: str, language_code: str) -> tuple[LocalChat, list[Shown]]:
    chat = harness.user(language_code=language_code)
    await chat.send("/start")
    return chat, await chat.press(gettext(CHECK, locale))


async def fsm(harness: Harness, user_id: int = 42) -> tuple[str | None, dict[str, Any]]:
    row = await harness.db.read_one("SELECT state, data FROM fsm_state WHERE user_id = ?", (user_id,))
    if row is None:
        return None, {}
    return row["state"], json.loads(row["data"]) if row["data"] else {}


async def stored_checks(harness: Harness, user_id: int = 42) -> list[tuple[dict[str, str], str, str | None]]:
    rows = await harness.db.read(
        "SELECT answers, status, channel FROM checks WHERE user_id = ? ORDER BY id", (user_id,))
    return [(json.loads(r["answers"]), r["status"], r["channel"]) for r in rows]


def html_of(gettext, msgid: str, locale: str, **values: str) -> str:
    return gettext(msgid, locale).format(**values)


# --- whole checks ----------------------------------------------------------------------


@pytest.mark.parametrize(("language_code", "locale"), LOCALES, ids=[loc for _, loc in LOCALES])
@pytest.mark.parametrize("profile", list(PROFILES))
async def test_whole_check_to_a_verdict(harness: Harness, gettext, language_code, locale, profile) -> None:
    answers, status, blockers, top = PROFILES[profile]
    chat, shown = await start_check(harness, gettext, locale, language_code)
    question_message = shown[-1].message_id
    for number, option in enumerate(answers.values(), 1):
        assert f"{number}/" in shown[-1].text  # the progress mark
        shown = await answer(chat, option)
        assert shown[0].kind == "edit" and shown[0].message_id == question_message  # edited in place

    operator = harness.dispatcher["operators"][answers["operator"]]
    verdict = assess(answers, operator)
    assert verdict.status is status and [b.id for b in verdict.blockers] == blockers
    card = shown[-1]
    assert len(shown) == 1 and card.text.split("\n")[0] == parse_html(gettext(STATUS_LINES[status], locale))
    assert len(card.text.split("\n")) <= 12 and len(card.text) <= 1200  # a card, not a wall
    confirm = parse_html(html_of(gettext, CONFIRM_WITH, locale, operator=f"<b>{operator.name(locale)}</b>"))
    assert card.text.endswith(confirm)
    labels = [gettext(m, locale) for m in (
        *(["🚧 What blocks you"] if blockers else []), "📄 Steps of the best way", "🎒 What to bring",
        "✅ Before the contract is ended" if status is Status.NEEDS_SOMEONE_ELSE else "✅ Before you cancel",
        "🧭 Other ways", *(["📤 Message for the holder, in Russian"] if answers["owner"] == "someone_else" else []),
        "✏️ Change an answer", "🏠 Menu")]
    assert card.button_texts() == labels

    # Every detail is behind a button, edited into the card, with a way back to it.
    text = card.text
    for label in labels[:labels.index(gettext("🧭 Other ways", locale))]:
        shown = await chat.press(label)
        assert shown[0].kind == "edit" and shown[0].message_id == question_message
        text += "\n" + "\n".join(s.text for s in shown)
        assert gettext("⬅️ Back to the verdict", locale) in shown[-1].button_texts()
        shown = await chat.press(gettext("⬅️ Back to the verdict", locale))
        assert shown[-1].text == card.text and shown[-1].button_texts() == labels
    for blocker in verdict.blockers:
        assert parse_html(gettext(blocker.title, locale)) in text
        assert parse_html(gettext(blocker.how_to_clear, locale)) in text
    channel = next(c for c in recommend(answers, operator) if c.id == top)
    for line in (*channel.steps, *channel.bring, *channel.ask_for, *channel.check):
        assert parse_html(gettext(line, locale)) in text

    shown = await chat.press(gettext("🧭 Other ways", locale))
    others = [gettext(c.title, locale) for c in recommend(answers, operator)[1:]]
    assert shown[-1].button_texts()[:len(others)] == others
    await chat.press(gettext("⬅️ Back to the verdict", locale))

    assert await stored_checks(harness) == [(answers, status.name, None)]
    assert (await fsm(harness))[0] is None  # the check is over


async def test_unknown_operator_verdict_sends_to_the_operator_without_a_card(harness: Harness, gettext) -> None:
    chat, _ = await start_check(harness, gettext, "en", "en")
    for option in ["esim", "unsure", "unsure", "russia", "unsure", "unsure", "no", "yes", "not_foreigner"]:
        shown = await answer(chat, option)
    assert shown[0].text.startswith(parse_html(gettext(STATUS_LINES[Status.OPERATOR_CHECK_FIRST], "en")))
    assert shown[-1].text.endswith(CONFIRM_UNKNOWN)
    assert not any("contacts" in b for b in shown[-1].button_texts())


async def test_opening_a_channel_from_the_verdict_is_recorded(harness: Harness, gettext) -> None:
    chat, _ = await start_check(harness, gettext, "ru", "ru")
    for option in PROFILES["t2-abroad-no-gosuslugi"][0].values():
        await answer(chat, option)
    await chat.press(gettext("🧭 Other ways", "ru"))
    shown = await chat.press(gettext("In an operator store", "ru"))
    assert shown[0].text.startswith(gettext("In an operator store", "ru"))
    assert gettext("Only when you are back in Russia.", "ru") in shown[0].text  # tailored to the answers
    assert [c[2] for c in await stored_checks(harness)] == ["store"]


# --- moving around -----------------------------------------------------------------------


async def test_back_goes_to_the_previous_applicable_question_and_keeps_answers(harness: Harness, gettext) -> None:
    chat, _ = await start_check(harness, gettext, "zh", "zh-hans")
    for option in ["ordinary", "mts", "me", "russia", "yes", "yes"]:  # debt = yes skips balance
        shown = await answer(chat, option)
    assert shown[-1].text.startswith(gettext("Question {current}/{total}", "zh").format(current=7, total=8))
    assert gettext("Do you have a confirmed Gosuslugi (Госуслуги) account?", "zh") in shown[-1].text

    shown = await chat.press(gettext("⬅️ Back", "zh"))
    assert shown[-1].kind == "edit"
    assert gettext("Is there any debt or a negative balance on the number?", "zh") in shown[-1].text
    assert "✓ " + gettext("Yes", "zh") in shown[-1].button_texts()  # the answer given is marked
    state, data = await fsm(harness)
    assert data["q"] == "debt" and data["answers"]["debt"] == "yes" and data["answers"]["operator"] == "mts"

    # Changing the answer brings back the question it had skipped.
    shown = await answer(chat, "no")
    assert gettext("Is there money left on the balance that you want back?", "zh") in shown[-1].text
    assert shown[-1].text.startswith(gettext("Question {current}/{total}", "zh").format(current=7, total=9))


async def test_back_on_the_first_question_leaves_to_the_menu_and_the_check_waits(harness: Harness, gettext) -> None:
    chat, _ = await start_check(harness, gettext, "en", "en")
    await answer(chat, "esim")
    await chat.press("⬅️ Back")
    shown = await chat.press("⬅️ Back")
    assert shown[-1].text == "What would you like to do?"
    shown = await chat.press(CHECK)
    assert shown[-1].text == "You have a check in progress, at question 1 of 9. Continue it, or start over?"
    shown = await chat.press("▶️ Continue")
    assert "What kind of SIM is it?" in shown[-1].text and "✓ eSIM" in shown[-1].button_texts()


async def test_start_over_from_the_prompt_forgets_the_answers(harness: Harness, gettext) -> None:
    chat, _ = await start_check(harness, gettext, "en", "en")
    await answer(chat, "esim")
    await answer(chat, "mts")
    old_run = (await fsm(harness))[1]["run"]
    await chat.send("/menu")
    await chat.press(CHECK)
    shown = await chat.press("🔄 Start over")
    assert shown[-1].text.startswith("Question 1/9")
    state, data = await fsm(harness)
    assert data["answers"] == {} and data["run"] != old_run


@pytest.mark.parametrize(("language_code", "locale"), LOCALES, ids=[loc for _, loc in LOCALES])
async def test_a_restart_mid_flow_resumes_at_the_same_question(harness: Harness, gettext, language_code, locale) -> None:
    chat, shown = await start_check(harness, gettext, locale, language_code)
    question_message = shown[-1].message_id
    menu_message = question_message - 1
    for option in ["ordinary", "t2", "me"]:
        await answer(chat, option)

    await harness.restart()
    chat = harness.rebind(chat)
    shown = await chat.press(gettext(CHECK, locale), message_id=menu_message)
    assert shown[-1].text == gettext(
        "You have a check in progress, at question {current} of {total}. Continue it, or start over?",
        locale).format(current=4, total=9)
    shown = await chat.press(gettext("▶️ Continue", locale))
    assert gettext("Where are you now?", locale) in shown[-1].text

    # The question message from before the restart still works: same check, same question.
    await harness.restart()
    chat = harness.rebind(chat)
    shown = await chat.press_data(*answer_data(chat, "abroad", message_id=question_message))
    assert shown[-1].message_id == question_message
    assert gettext("Does the SIM still work and receive SMS?", locale) in shown[-1].text
    assert (await fsm(harness))[1]["answers"] == {"sim_type": "ordinary", "operator": "t2", "owner": "me",
                                                 "location": "abroad"}


# --- what must change nothing ------------------------------------------------------------


async def test_a_button_from_an_earlier_check_changes_nothing(harness: Harness, gettext) -> None:
    chat, _ = await start_check(harness, gettext, "ru", "ru")
    old_message, old_data = answer_data(chat, "esim")
    await chat.send("/cancel")
    await chat.send("/menu")
    await chat.press(gettext(CHECK, "ru"))
    await answer(chat, "ordinary")
    before = await fsm(harness)

    shown = await chat.press_data(old_message, old_data)
    assert [s.kind for s in shown] == ["toast"] and shown[0].text == gettext(STALE, "ru")
    assert await fsm(harness) == before


async def test_an_older_question_of_the_same_check_changes_nothing(harness: Harness, gettext) -> None:
    chat, _ = await start_check(harness, gettext, "en", "en")
    message_id, first = answer_data(chat, "esim")
    await answer(chat, "esim")
    before = await fsm(harness)
    shown = await chat.press_data(message_id, first.replace(":esim", ":ordinary"))
    assert [s.kind for s in shown] == ["toast"] and shown[0].text == STALE
    assert await fsm(harness) == before


@pytest.mark.parametrize("forge", ["option", "question"])
async def test_forged_answers_change_nothing(harness: Harness, gettext, forge: str) -> None:
    chat, _ = await start_check(harness, gettext, "zh", "zh")
    message_id, data = answer_data(chat, "esim")
    cb = AnswerCb.unpack(data)
    forged = AnswerCb(run=cb.run, q=cb.q, o="admin") if forge == "option" else AnswerCb(run=cb.run, q="debt", o="no")
    before = await fsm(harness)
    shown = await chat.press_data(message_id, forged.pack())
    expected = INACTIVE if forge == "option" else STALE
    assert [s.kind for s in shown] == ["toast"] and shown[0].text == gettext(expected, "zh")
    assert await fsm(harness) == before


async def test_two_fast_taps_apply_one_answer(harness: Harness, gettext) -> None:
    chat, _ = await start_check(harness, gettext, "en", "en")
    message_id, data = answer_data(chat, "esim")
    first = harness.api.button_press(chat.user, message_id, data)
    second = harness.api.button_press(chat.user, message_id, data)
    await asyncio.gather(
        harness.dispatcher.feed_raw_update(harness.bot, first),
        harness.dispatcher.feed_raw_update(harness.bot, second),
    )
    state, stored = await fsm(harness)
    assert stored["answers"] == {"sim_type": "esim"} and stored["q"] == "operator"
    toasts = [s.text for s in harness.api.shown if s.kind == "toast"]
    assert toasts == [STALE]
    assert sum(s.kind == "edit" for s in harness.api.shown) == 1


@pytest.mark.parametrize(("language_code", "locale"), LOCALES, ids=[loc for _, loc in LOCALES])
async def test_anything_typed_instead_of_a_button_is_answered_and_the_check_offered_again(
        harness: Harness, gettext, language_code, locale) -> None:
    chat, _ = await start_check(harness, gettext, locale, language_code)
    await answer(chat, "esim")
    before = await fsm(harness)
    continue_label = gettext("▶️ Continue", locale)
    for content in ({"text": "MTS"}, {"text": "<b>x</b> & y"}, {"sticker": {
            "file_id": "s1", "file_unique_id": "u1", "type": "regular", "width": 512, "height": 512,
            "is_animated": False, "is_video": False}}):
        text = content.pop("text", None)
        shown = await chat.send(text, **content)
        assert len(shown) >= 2  # the reply to what was typed, then the check offered again
        assert gettext("Please answer with the buttons under the question.", locale) not in shown[0].text
        assert shown[-1].button_texts() == [continue_label, gettext("✖️ Cancel the check", locale)]
        assert await fsm(harness) == before
    # Continue shows the question again, in place, and its buttons work.
    shown = await chat.press(continue_label)
    assert shown[-1].kind == "edit" and gettext("Which operator is it?", locale) in shown[-1].text
    shown = await answer(chat, "mts")
    assert gettext("Whose passport is the number registered on?", locale) in shown[-1].text


async def test_cancel_mid_flow_leaves_cleanly(harness: Harness, gettext) -> None:
    chat, _ = await start_check(harness, gettext, "ru", "ru")
    await answer(chat, "esim")
    message_id, data = answer_data(chat, "mts")
    shown = await chat.send("/cancel")
    assert shown[0].text.startswith(gettext("Cancelled.", "ru"))
    assert await fsm(harness) == (None, {})
    shown = await chat.press_data(message_id, data)
    assert [s.kind for s in shown] == ["toast"]
    assert await fsm(harness) == (None, {})


async def test_cancel_button_leaves_cleanly(harness: Harness, gettext) -> None:
    chat, _ = await start_check(harness, gettext, "zh", "zh")
    await answer(chat, "esim")
    shown = await chat.press(gettext("✖️ Cancel", "zh"))
    assert shown[-1].kind == "edit" and shown[-1].text.startswith(gettext("Cancelled.", "zh"))
    assert await fsm(harness) == (None, {})
    assert await stored_checks(harness) == []


async def test_other_commands_work_mid_flow(harness: Harness, gettext) -> None:
    chat, _ = await start_check(harness, gettext, "en", "en")
    shown = await chat.send("/help")
    assert shown[0].text.startswith("How to use this bot")
    assert (await fsm(harness))[0] is not None  # the check is still there


# --- /progress ----------------------------------------------------------------------------


@pytest.mark.parametrize(("language_code", "locale"), LOCALES, ids=[loc for _, loc in LOCALES])
async def test_progress_is_a_dashboard_with_one_next_step(harness: Harness, gettext, language_code, locale) -> None:
    chat = harness.user(language_code=language_code)
    shown = await chat.send("/progress")
    not_started = gettext("You have not finished the check yet: a few questions show whether and how you can "
                          "cancel.", locale)
    assert not_started in shown[0].text
    assert gettext("Done: {done} of {total}", locale).format(done=0, total=9) in shown[0].text
    assert gettext("⏰ No reminder is set.", locale) in shown[0].text
    assert shown[0].button_texts() == [gettext(CHECK, locale), gettext("🏠 Menu", locale)]
    shown = await chat.press(gettext(CHECK, locale))  # the next step, as a button
    assert shown[-1].text.startswith(gettext("Question {current}/{total}", locale).format(current=1, total=9))

    await answer(chat, "esim")
    await answer(chat, "mts")
    shown = await chat.send("/progress")
    assert gettext("✏️ The check is waiting at question {current} of {total}.", locale).format(
        current=3, total=9) in shown[0].text
    shown = await chat.press(gettext("▶️ Continue", locale))
    assert gettext("Whose passport is the number registered on?", locale) in shown[-1].text

    for option in ["me", "russia", "yes", "yes", "no", "not_foreigner"]:  # a debt
        await answer(chat, option)
    shown = await chat.send("/progress")
    assert gettext(STATUS_SHORT[Status.AFTER_STEPS], locale) in shown[0].text
    assert "20" in shown[0].text  # the date of the verdict
    assert parse_html(gettext(BLOCKERS["debt"].title, locale)) in shown[0].text  # what still blocks
    # The next step: the first checklist item not done yet.
    first = gettext("👉 Next: {item}", locale).format(item=gettext("Banks and SBP", locale))
    assert shown[0].button_texts() == [first, gettext("📄 Show the verdict", locale), gettext("🏠 Menu", locale)]
    shown = await chat.press(first)
    assert gettext("✅ Mark as done", locale) in shown[-1].button_texts()


async def test_progress_menu_entry(harness: Harness, gettext) -> None:
    chat = harness.user(language_code="ru")
    await chat.send("/start")
    shown = await chat.press(gettext("📍 My progress", "ru"))
    assert shown[-1].text.startswith(gettext("📍 <b>Your progress</b>", "ru").replace("<b>", "").replace("</b>", ""))


async def test_progress_is_in_the_command_menu(harness: Harness, gettext) -> None:
    for code in ("zh", "ru", "en"):
        described = {c["command"]: c["description"] for c in harness.api.commands[code]}
        assert described["progress"] == gettext("Where I am and what to do next", code)


# --- how to cancel ------------------------------------------------------------------------


@pytest.mark.parametrize(("language_code", "locale"), LOCALES, ids=[loc for _, loc in LOCALES])
async def test_howto_without_a_check_is_an_overview(harness: Harness, gettext, language_code, locale) -> None:
    chat = harness.user(language_code=language_code)
    await chat.send("/start")
    shown = await chat.press(gettext("🧭 How to cancel", locale))
    text = "\n".join(s.text for s in shown)
    for channel in CHANNELS.values():
        assert gettext(channel.title, locale) in text
        assert gettext(SUMMARIES[channel.id], locale) in text
    buttons = shown[-1].button_texts()
    assert buttons == [gettext(c.title, locale) for c in CHANNELS.values()] + [gettext(CHECK, locale)]

    shown = await chat.press(gettext("The operator's hotline", locale))
    assert gettext("A call does not end the contract: use a store, Gosuslugi or a representative.", locale) \
        in shown[0].text
    shown = await chat.press(gettext("🧭 How to cancel", locale))
    shown = await chat.press(gettext("In an operator store", locale))
    for line in (*CHANNELS["store"].bring, *CHANNELS["store"].ask_for, *CHANNELS["store"].check):
        assert gettext(line, locale) in shown[0].text
    assert await stored_checks(harness) == []


async def test_howto_after_a_check_ranks_for_the_answers(harness: Harness, gettext) -> None:
    answers = PROFILES["t2-abroad-no-gosuslugi"][0]
    chat, _ = await start_check(harness, gettext, "zh", "zh")
    for option in answers.values():
        await answer(chat, option)
    await chat.send("/menu")
    shown = await chat.press(gettext("🧭 How to cancel", "zh"))
    ranked = [gettext(c.title, "zh") for c in recommend(answers, harness.dispatcher["operators"]["t2"])]
    assert shown[-1].button_texts() == ranked + [gettext("🔄 Start over", "zh")]
    shown = await chat.press(ranked[0])
    assert gettext(_POWER_MONEY,
                   "zh") in shown[0].text
    assert [c[2] for c in await stored_checks(harness)] == [None]  # only presses from the verdict count


@pytest.mark.parametrize("data", ["ec:nowhere:0:0", "ec:store:x:0", "eo:vodafone", ChannelCb(
    channel="store", check=999, verdict=True).pack()])
async def test_forged_channel_and_operator_buttons_are_answered(harness: Harness, data: str) -> None:
    chat = harness.user()
    await chat.send("/start")
    shown = await chat.press_data(harness.api.shown[-1].message_id, data)
    assert shown  # answered (the fixture fails on an unanswered query)
    assert await stored_checks(harness) == []


# --- operator contacts --------------------------------------------------------------------


@pytest.mark.parametrize(("language_code", "locale"), LOCALES, ids=[loc for _, loc in LOCALES])
async def test_operator_cards(harness: Harness, gettext, language_code, locale) -> None:
    chat = harness.user(language_code=language_code)
    await chat.send("/start")
    shown = await chat.press(gettext("☎️ Operator contacts", locale))
    operators = harness.dispatcher["operators"]
    assert shown[-1].button_texts() == [*(op.name(locale) for op in operators.values()), gettext("🏠 Menu", locale)]
    listing = shown[-1].message_id

    shown = await chat.press(operators["t2"].name(locale))
    assert shown[0].kind == "edit" and shown[0].message_id == listing  # moving around edits in place
    assert gettext("🏠 Menu", locale) in shown[-1].button_texts()
    card = shown[0].text
    assert "555-06-11" not in card and "611" not in card  # an L-confidence number is never shown
    assert "t2.ru" in card
    assert gettext("Hotline: we could not confirm the number, so use the contacts on {site}.", locale).format(
        site="t2.ru") in card
    assert {"zh": "2026年11月30日", "ru": "30 ноября 2026", "en": "November 30, 2026"}[locale] in card

    await chat.press(gettext("⬅️ All operators", locale))
    shown = await chat.press(operators["mts"].name(locale))
    assert "8 800 250-08-90" in shown[0].text and "0890" in shown[0].text


async def test_a_malformed_operator_file_stops_the_bot_at_start(settings, tmp_path, monkeypatch) -> None:
    from bot.app import create_dispatcher
    from bot.db import open_database
    from flows import operators

    broken = tmp_path / "operators.json"
    broken.write_text(json.dumps({"sources": {}, "operators": [{"id": "mts", "name": "MTS"}]}), encoding="utf-8")
    monkeypatch.setattr(operators, "DEFAULT_PATH", broken)
    db = await open_database(tmp_path / "db.sqlite3")
    try:
        with pytest.raises(operators.OperatorDataError, match="'mts'"):
            create_dispatcher(settings, db)
    finally:
        await db.close()


async def test_declining_forget_keeps_a_check_in_progress(harness: Harness, gettext) -> None:
    chat, shown = await start_check(harness, gettext, "en", "en")
    question_message = shown[-1].message_id
    for option in ["ordinary", "mts"]:
        await answer(chat, option)
    await chat.send("/forget")
    await chat.press("Keep my data")
    state, data = await fsm(harness)
    assert state == "Check:answering"
    assert data["answers"] == {"sim_type": "ordinary", "operator": "mts"}
    # The question on screen still takes its answer.
    shown = await chat.press_data(*answer_data(chat, "me", message_id=question_message))
    assert "Where are you now?" in shown[-1].text


# --- verdicts that fit the person -----------------------------------------------------------

def step(step_id: str) -> str:
    return STEPS[step_id].text


# Each profile: the answers in the order asked, the status, what the verdict must say and what
# it must not (msgids; the test reads them in the user's language).
FITTING = {
    "someone-elses-number-at-home": (
        {"sim_type": "ordinary", "operator": "mts", "owner": "someone_else", "location": "russia",
         "sim_works": "yes", "debt": "no", "balance": "yes", "foreign_confirmed": "not_foreigner"},
        Status.NEEDS_SOMEONE_ELSE,
        [BLOCKERS["owner_someone_else"].how_to_clear, *_HOLDER_STORE.steps, "The holder's passport.",
         _ASK_REFUND_HOLDER, step("balance_holder")],
        [STORE.steps[0], "The passport the number is registered on.", _BRING_BANK, _ASK_REFUND, _STORE_ABROAD,
         step("keep_sim"), step("balance_refund")],
    ),
    # Where the user is does not matter: the holder acts, so no "when you are back in Russia".
    "someone-elses-number-abroad": (
        {"sim_type": "ordinary", "operator": "t2", "owner": "someone_else", "location": "abroad",
         "sim_works": "yes", "debt": "no", "balance": "no", "foreign_confirmed": "yes"},
        Status.NEEDS_SOMEONE_ELSE,
        [BLOCKERS["owner_someone_else"].how_to_clear, _HOLDER_STORE.steps[0], step("hotline_abroad"),
         step("imei")],
        [_STORE_ABROAD, BLOCKERS["abroad_no_remote_route"].title, BLOCKERS["abroad_no_remote_route"].how_to_clear,
         _BRING_HOLDER_BANK, _ASK_REFUND_HOLDER, step("balance_holder"), "The passport the number is registered on."],
    ),
    "no-money-to-get-back": (
        {"sim_type": "ordinary", "operator": "megafon", "owner": "me", "location": "russia", "sim_works": "yes",
         "debt": "no", "balance": "no", "gosuslugi": "yes", "foreign_confirmed": "not_foreigner"},
        Status.CAN_CANCEL_NOW,
        [*STORE.steps, step("last_number"), step("keep_sim")],
        [_BRING_BANK, _ASK_REFUND, step("balance_refund"), step("may_be_cut_off"), step("imei")],
    ),
    "debt": (
        {"sim_type": "data_only", "operator": "beeline", "owner": "me", "location": "russia", "sim_works": "yes",
         "debt": "yes", "gosuslugi": "no", "foreign_confirmed": "not_foreigner"},
        Status.AFTER_STEPS,
        [BLOCKERS["debt"].how_to_clear, STORE.steps[0]],
        [_BRING_BANK, _ASK_REFUND, step("balance_refund")],
    ),
    "esim": (
        {"sim_type": "esim", "operator": "mts", "owner": "me", "location": "russia", "sim_works": "unsure",
         "debt": "no", "balance": "yes", "gosuslugi": "yes", "foreign_confirmed": "yes"},
        Status.CAN_CANCEL_NOW,
        [step("check_sms_esim"), step("esim_profile"), step("balance_refund"), _BRING_BANK],
        [step("check_sms"), step("backup"), step("imei")],
    ),
    # Five questions: debt, balance, Gosuslugi and the confirmation are the holder's business.
    "sellers-sim": (
        {"sim_type": "data_only", "operator": "other", "owner": "seller", "location": "abroad", "sim_works": "yes"},
        Status.NEEDS_SOMEONE_ELSE,
        [BLOCKERS["owner_seller"].how_to_clear, *_SELLER.steps, *_SELLER.warnings, step("change_number")],
        [STORE.steps[0], step("last_number"), step("keep_sim"), BLOCKERS["abroad_no_remote_route"].title,
         BLOCKERS["operator_unknown"].title, _STORE_ABROAD, _BRING_BANK],
    ),
    # The SIM works, so the confirmation question used to be skipped; it may still be cut off.
    "foreigner-unconfirmed-working-sim": (
        {"sim_type": "ordinary", "operator": "t2", "owner": "me", "location": "russia", "sim_works": "yes",
         "debt": "no", "balance": "yes", "gosuslugi": "yes", "foreign_confirmed": "no_or_blocked"},
        Status.CAN_CANCEL_NOW,
        [step("may_be_cut_off"), step("change_number"), step("imei"), step("balance_refund"), _ASK_REFUND],
        [BLOCKERS["blocked_2025"].title, step("change_number_without_sms")],
    ),
    "last-russian-number-abroad": (
        {"sim_type": "number_keeping", "operator": "mts", "owner": "me", "location": "abroad", "sim_works": "yes",
         "debt": "no", "balance": "yes", "gosuslugi": "yes", "foreign_confirmed": "not_foreigner"},
        Status.CAN_CANCEL_NOW,
        [step("last_number"), step("hotline_abroad"), *GOSUSLUGI.steps, _GOSUSLUGI_ASK_REFUND],
        [_STORE_ABROAD, BLOCKERS["abroad_no_remote_route"].title, step("imei")],
    ),
}


async def verdict_of(harness: Harness, gettext, locale: str, language_code: str, answers) -> tuple[LocalChat, str]:
    chat, shown = await start_check(harness, gettext, locale, language_code)
    for option in answers.values():
        shown = await answer(chat, option)
    assert (await fsm(harness))[0] is None, "the check did not reach its verdict"
    return chat, await whole_verdict(chat, shown[-1])


async def whole_verdict(chat: LocalChat, card: Shown) -> str:
    """The card and every part behind its buttons, as a reader who presses them all sees it;
    the card is on screen again afterwards."""
    texts = [card.text]
    for button in card.buttons and [b for row in card.buttons for b in row]:
        data = button.get("callback_data", "")
        if data.startswith("v:") and VerdictCb.unpack(data).part in VERDICT_PARTS:
            shown = await chat.press_data(card.message_id, data)
            texts += [s.text for s in shown if s.kind in ("edit", "message")]
            await chat.press_data(card.message_id, VerdictCb(check=VerdictCb.unpack(data).check, part="card").pack())
    return "\n".join(texts)


@pytest.mark.parametrize(("language_code", "locale"), LOCALES, ids=[loc for _, loc in LOCALES])
@pytest.mark.parametrize("profile", list(FITTING))
async def test_the_verdict_fits_the_person(harness: Harness, gettext, language_code, locale, profile) -> None:
    answers, status, says, never = FITTING[profile]
    chat, text = await verdict_of(harness, gettext, locale, language_code, answers)
    assert text.startswith(parse_html(gettext(STATUS_LINES[status], locale)))
    for msgid in says:
        assert parse_html(gettext(msgid, locale)) in text, msgid
    for msgid in never:
        assert parse_html(gettext(msgid, locale)) not in text, msgid
    # The steps are the user's own only when the user can end the contract.
    own, holders = gettext("Before you cancel", locale), gettext("Before the contract is ended", locale)
    lines = text.split("\n")
    assert (own in lines, holders in lines) == ((False, True) if status is Status.NEEDS_SOMEONE_ELSE else (True, False))
    if locale == "zh":
        assert "回国" not in text and "在国外" not in text  # "back to Russia" and "not in Russia" said plainly
    assert [c[1] for c in await stored_checks(harness)] == [status.name]


@pytest.mark.parametrize(("language_code", "locale"), LOCALES, ids=[loc for _, loc in LOCALES])
async def test_someone_elses_number_abroad_the_holder_signs_the_power_of_attorney(
        harness: Harness, gettext, language_code, locale) -> None:
    answers = FITTING["someone-elses-number-abroad"][0]
    chat, _ = await verdict_of(harness, gettext, locale, language_code, answers)
    await chat.press(gettext("🧭 Other ways", locale))
    shown = await chat.press(gettext(REPRESENTATIVE.title, locale))
    text = shown[0].text
    assert parse_html(gettext(REPRESENTATIVE.steps[0], locale)) in text  # the holder signs it
    assert parse_html(gettext(_POWER_ABROAD, locale)) in text  # from abroad: consulate or apostille, ask first
    assert parse_html(gettext(_STORE_ABROAD, locale)) not in text
    # No money was left, so no refund is asked for, and the T2 note on receiving money is moot.
    assert parse_html(gettext(_ASK_REFUND, locale)) not in text
    assert parse_html(gettext(_POWER_MONEY, locale)) not in text
    confirm = parse_html(gettext(CONFIRM_WITH, locale).format(operator=load_operators()["t2"].name(locale)))
    assert text.endswith(confirm)


@pytest.mark.parametrize(("language_code", "locale"), LOCALES, ids=[loc for _, loc in LOCALES])
async def test_the_hotline_from_abroad_points_to_the_chat(harness: Harness, gettext, language_code, locale) -> None:
    answers = FITTING["last-russian-number-abroad"][0]
    chat, _ = await verdict_of(harness, gettext, locale, language_code, answers)
    await chat.press(gettext("🧭 Other ways", locale))
    shown = await chat.press(gettext(HOTLINE.title, locale))
    text = shown[0].text
    assert parse_html(gettext(_HOTLINE_ABROAD, locale)) in text
    assert parse_html(gettext(HOTLINE.warnings[0], locale)) in text  # a call does not end the contract
    # The line under it speaks of acting, not of a visit.
    assert text.endswith(parse_html(gettext(CONFIRM_WITH, locale).format(operator=load_operators()["mts"].name(locale))))


@pytest.mark.parametrize(("language_code", "locale"), LOCALES, ids=[loc for _, loc in LOCALES])
async def test_the_checklist_after_someone_elses_number_says_whose_balance_it_is(
        harness: Harness, gettext, language_code, locale) -> None:
    answers = FITTING["someone-elses-number-at-home"][0]
    chat, _ = await verdict_of(harness, gettext, locale, language_code, answers)
    await chat.press(gettext("✅ Before the contract is ended", locale))
    shown = await chat.press(gettext("📋 Checklist and reminders", locale))
    assert parse_html(gettext(HOLDER_NOTE, locale)) in shown[-1].text


# T2's help page confirms "no cash" (H): stated. Beeline's rule is from weaker sources (L): "we
# could not confirm". MTS has no refund fact: the general hedged line.
REFUND_CASES = [
    ("t2", "{operator} pays a positive balance to a bank account or moves it to another {operator} number, not "
           "in cash; the monthly tariff fee already paid and bonuses are not refunded.", None),
    ("beeline", "{operator} pays a positive balance to a bank account or moves it to another {operator} number, "
                "not in cash; the monthly tariff fee already paid and bonuses are not refunded.",
     "{fact} We could not confirm this: please ask {operator}."),
    ("mts", "The balance is usually paid to a bank account on request; we could not confirm the details for "
            "{operator}: ask it how, and whether the account must be in the holder's name.", None),
]


@pytest.mark.parametrize(("language_code", "locale"), LOCALES, ids=[loc for _, loc in LOCALES])
@pytest.mark.parametrize(("operator_id", "fact", "hedge"), REFUND_CASES, ids=[c[0] for c in REFUND_CASES])
async def test_the_balance_step_words_the_operators_refund_fact_as_firmly_as_its_source(
        harness: Harness, gettext, language_code, locale, operator_id, fact, hedge) -> None:
    answers = {**FITTING["foreigner-unconfirmed-working-sim"][0], "operator": operator_id}
    _, text = await verdict_of(harness, gettext, locale, language_code, answers)
    name = harness.dispatcher["operators"][operator_id].name(locale)
    sentence = gettext(fact, locale).format(operator=name)
    if hedge is not None:
        sentence = gettext(hedge, locale).format(fact=sentence, operator=name)
    balance_line = "• " + parse_html(gettext(step("balance_refund"), locale) + " " + sentence)
    assert balance_line in text.split("\n")
