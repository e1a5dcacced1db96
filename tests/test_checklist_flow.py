"""The checklist through the real dispatcher: ticks, optional items, progress, stale buttons."""

from __future__ import annotations

import pytest

from bot.repositories.checks import ChecksRepository
from flows.checklist import ITEMS, NO_SMS_NOTE, get_item
from flows.locale import resolve_locale
from flows.menu import MAIN_MENU
from tests.conftest import Harness, translate

# Each test runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.engines

TICK, BOX = "✅ ", "⬜ "
CHECKLIST = next(entry.label for entry in MAIN_MENU if entry.id == "checklist")


async def open_checklist(harness: Harness, language_code: str = "en", user_id: int = 42):
    chat = harness.user(user_id, language_code)
    await chat.send("/start")
    shown = await chat.press(translate(CHECKLIST, resolve_locale(None, language_code, "en")))
    return chat, shown[-1]


def item_buttons(shown) -> list[str]:
    return shown.button_texts()[: len(ITEMS)]


async def test_the_list_shows_every_item_unticked_with_progress(harness: Harness, gettext) -> None:
    _, shown = await open_checklist(harness, "zh-hans")
    assert shown.kind == "message"
    assert item_buttons(shown) == [BOX + gettext(item.title, "zh") for item in ITEMS]
    assert gettext("Done: {done} of {total}", "zh").format(done=0, total=9) in shown.text
    assert shown.button_texts()[len(ITEMS):] == [gettext(label, "zh") for label in
                                                 ("⏰ Remind me", "🔔 My reminders", "🏠 Menu")]


async def test_ticking_an_item_from_its_howto_is_stored_and_counted(harness: Harness, gettext) -> None:
    chat, _ = await open_checklist(harness, "ru")
    shown = await chat.press(BOX + gettext("WeChat", "ru"))
    assert shown[-1].kind == "edit"
    assert shown[-1].html.startswith(gettext(get_item("wechat").howto, "ru"))
    assert gettext("⬜ Not done yet.", "ru") in shown[-1].text
    assert shown[-1].button_texts() == [gettext(label, "ru") for label in
                                        ("✅ Mark as done", "⏰ Remind me", "⬅️ Back to the list")]

    shown = await chat.press(gettext("✅ Mark as done", "ru"))
    assert shown[0].kind == "toast" and shown[0].text == gettext("Marked as done.", "ru")
    assert gettext("✅ You marked this as done.", "ru") in shown[-1].text
    assert gettext("Done: {done} of {total}", "ru").format(done=1, total=9) in shown[-1].text
    assert shown[-1].button_texts()[0] == gettext("↩️ Mark as not done", "ru")

    shown = await chat.press(gettext("⬅️ Back to the list", "ru"))
    assert TICK + gettext("WeChat", "ru") in item_buttons(shown[-1])
    assert gettext("Done: {done} of {total}", "ru").format(done=1, total=9) in shown[-1].text

    await harness.restart()
    chat = harness.rebind(chat)
    await chat.send("/menu")
    shown = await chat.press(gettext(CHECKLIST, "ru"))
    assert TICK + gettext("WeChat", "ru") in item_buttons(shown[-1])


async def test_unticking(harness: Harness) -> None:
    chat, _ = await open_checklist(harness)
    await chat.press(BOX + "Gosuslugi")
    await chat.press("✅ Mark as done")
    shown = await chat.press("↩️ Mark as not done")
    assert shown[0].text == "Marked as not done."
    assert "⬜ Not done yet." in shown[-1].text and "Done: 0 of 9" in shown[-1].text


async def test_a_double_tap_changes_nothing_and_breaks_nothing(harness: Harness) -> None:
    chat, _ = await open_checklist(harness)
    shown = await chat.press(BOX + "Gosuslugi")
    message_id = shown[-1].message_id
    await chat.press_data(message_id, "k:done:gosuslugi")
    shown = await chat.press_data(message_id, "k:done:gosuslugi")  # the old button, again
    assert [s.kind for s in shown] == ["toast"]  # same content: no edit, no error
    rows = await harness.db.read("SELECT item_id FROM checklist_ticks WHERE user_id = 42")
    assert [row[0] for row in rows] == ["gosuslugi"]


@pytest.mark.parametrize(
    ("answers", "optional"),
    [
        pytest.param({"sim_type": "esim", "balance": "no", "debt": "no"}, {"backup", "balance"}, id="esim-no-money"),
        pytest.param({"sim_type": "ordinary", "balance": "yes", "debt": "no"}, set(), id="nothing-optional"),
    ],
)
async def test_items_the_answers_make_irrelevant_are_marked_optional_not_hidden(
    harness: Harness, gettext, answers: dict[str, str], optional: set[str]
) -> None:
    await ChecksRepository(harness.db).save(42, answers, "CAN_CANCEL_NOW")
    chat, shown = await open_checklist(harness, "zh")
    expected = []
    for item in ITEMS:
        title = gettext(item.title, "zh")
        if item.id in optional:
            title = gettext("{title} (optional)", "zh").format(title=title)
        expected.append(BOX + title)
    assert item_buttons(shown) == expected
    assert gettext("Done: {done} of {total}", "zh").format(done=0, total=9) in shown.text
    if "backup" in optional:
        shown = await chat.press(expected[[i.id for i in ITEMS].index("backup")])
        reason = gettext("Optional for you: an eSIM keeps no contacts or SMS of its own.", "zh")
        assert f"<i>{reason}</i>" in shown[-1].html


async def test_a_sim_without_sms_gets_the_note(harness: Harness, gettext) -> None:
    await ChecksRepository(harness.db).save(42, {"sim_works": "blocked_or_lost"}, "AFTER_STEPS")
    _, shown = await open_checklist(harness, "ru")
    assert gettext(NO_SMS_NOTE, "ru") in shown.text


async def test_menu_button_goes_back_to_the_main_menu(harness: Harness, gettext) -> None:
    chat, _ = await open_checklist(harness)
    shown = await chat.press("🏠 Menu")
    assert shown[-1].text == "What would you like to do?"


@pytest.mark.parametrize("data", ["k:item:sms", "k:done:sms", "k:undone:", "k:open:banks", "k:item", "k"])
async def test_forged_or_stale_checklist_buttons_get_a_polite_answer(harness: Harness, data: str) -> None:
    chat, shown = await open_checklist(harness)
    shown = await chat.press_data(shown.message_id, data)
    assert shown[0].kind == "toast" and shown[0].text == "This button is no longer active."
    assert (await harness.db.read_one("SELECT count(*) FROM checklist_ticks"))[0] == 0


async def test_forget_deletes_ticks_and_reminders(timed_harness: Harness) -> None:
    harness = timed_harness
    chat, _ = await open_checklist(harness)
    await chat.press(BOX + "Gosuslugi")
    await chat.press("✅ Mark as done")
    await chat.press("⏰ Remind me")
    await chat.press("Moscow (UTC+3)")
    await chat.press("In 1 hour")
    db = harness.db
    assert (await db.read_one("SELECT count(*) FROM reminders WHERE user_id = 42"))[0] == 1
    await chat.send("/forget")
    await chat.press("🗑 Yes, delete everything")
    for table in ("checklist_ticks", "reminders"):
        assert (await db.read_one(f"SELECT count(*) FROM {table} WHERE user_id = 42"))[0] == 0
