"""Forged or unusual updates get a polite answer, never a traceback, and change nothing
they should not (reliability review 1.5, 1.6, 1.7, 1.10, 3.25)."""

from __future__ import annotations

import pytest

from tests.conftest import Harness

STALE = "This button is no longer active."


@pytest.mark.parametrize("data", [
    "ra:99999999999999999999:done", "rc:99999999999999999999", "ec:store:99999999999999999999:1",
    "ra:-1:done", "rz::99999999999999999999",
])
async def test_forged_huge_integers_get_the_stale_button_answer(harness: Harness, data: str) -> None:
    chat = harness.user(7, "en")
    menu = (await chat.send("/start"))[0]
    shown = await chat.press_data(menu.message_id, data)  # the harness fails on any unanswered query
    assert shown[0].kind == "toast" and shown[0].text == STALE


async def test_a_forged_vote_on_the_menu_stores_nothing_and_keeps_the_menu(harness: Harness) -> None:
    chat = harness.user(7, "en")
    menu = (await chat.send("/start"))[0]
    shown = await chat.press_data(menu.message_id, "qv:money_balance:0")
    assert shown[0].kind == "toast" and shown[0].text == STALE
    assert not [item for item in shown if item.kind == "edit" and item.message_id == menu.message_id]
    assert (await harness.db.read_one("SELECT count(*) FROM question_votes"))[0] == 0


async def test_a_vote_for_another_answer_on_an_answer_is_refused(harness: Harness) -> None:
    chat = harness.user(7, "en")
    answer = (await chat.send("how do I get my balance back"))[0]
    shown = await chat.press_data(answer.message_id, "qv:op_mts:0")
    assert shown[0].text == STALE
    assert (await harness.db.read_one("SELECT count(*) FROM question_votes"))[0] == 0


async def test_forget_confirmed_on_an_inaccessible_message_is_still_confirmed(harness: Harness) -> None:
    chat = harness.user(7, "en")
    await chat.send("/forget")
    question = harness.api.shown[-1].message_id
    update = harness.api.button_press(chat.user, question, "fg:1")
    # Telegram sends date 0 and no content for a message the bot can no longer access.
    update["callback_query"]["message"] = {"message_id": question, "date": 0,
                                           "chat": {"id": 7, "type": "private", "first_name": "Local"}}
    before = len(harness.api.shown)
    await harness.dispatcher.feed_raw_update(harness.bot, update)
    sent = [item for item in harness.api.shown[before:] if item.kind == "message"]
    assert [item.text for item in sent] == [
        "Done: everything I stored about you is deleted. Send /start if you want to begin again."]
    assert (await harness.db.read_one("SELECT count(*) FROM users WHERE id = 7"))[0] == 0


async def test_group_members_are_not_users_and_the_bot_stays_silent(harness: Harness) -> None:
    db = harness.db
    blocked = harness.user(8, "en")
    await blocked.send("/start")
    await db.write("UPDATE users SET blocked_bot = 1 WHERE id = 8")
    before = len(harness.api.shown)
    for user in (harness.user(9, "en"), blocked):
        for text in ("/start", "/stats", "hello everyone"):
            update = harness.api.user_message(user.user, text)
            update["message"]["chat"] = {"id": -100123, "type": "supergroup", "title": "g"}
            await harness.dispatcher.feed_raw_update(harness.bot, update)
    assert len(harness.api.shown) == before, "the bot spoke in a group"
    rows = await db.read("SELECT id, blocked_bot FROM users ORDER BY id")
    # 9 was seen only in the group; 8 still blocks the bot, whatever they say in groups.
    assert [tuple(row) for row in rows] == [(8, 1)]
