"""Reminders through the real dispatcher on a fake clock, as users meet them in zh, ru and
en: the time zone by city (asked once, changed from the time step and /timezone), presets
and typed times, what is shown back, every step's way out, double taps, delivery and its
buttons, /reminders, and what a restart does to the ones due while the bot was down."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.callbacks import ReminderStepCb
from bot.db import MIGRATIONS_DIR, open_database
from bot.repositories.reminders import RemindersRepository
from flows.checklist import get_item, item_ids
from flows.menu import MAIN_MENU
from flows.reminders import MAX_PENDING_PER_USER
from flows.timeparse import FORMS_HELP
from flows.timezones import zone_label
from tests.conftest import FakeClock, Harness, translate

# Each test runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.engines

# The FakeClock starts at 2026-11-21 09:00 UTC, a Saturday: 12:00 in Moscow, 17:00 in Beijing.
START = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
CHECKLIST = next(entry.label for entry in MAIN_MENU if entry.id == "checklist")
BANKS = get_item("banks").title


async def pending(harness: Harness, user_id: int = 42) -> list:
    return await RemindersRepository(harness.db).pending(user_id)


async def deliver(harness: Harness) -> int:
    """Run a scheduler pass now, as the loop does when it wakes up; returns how many
    reminders have been sent so far. (The loop runs too and may be the one that sends:
    passes take turns, so once this returns everything due has been handled.)"""
    await harness.dispatcher["scheduler"].run_due(harness.bot)
    row = await harness.db.read_one("SELECT count(*) FROM reminders WHERE status = 'sent'")
    return row[0]


async def item_howto(harness: Harness, language_code: str = "en"):
    """The user opens the checklist and its first item, "Banks and SBP"."""
    chat = harness.user(42, language_code)
    await chat.send("/start")
    await chat.press(translate(CHECKLIST, language_code))
    await chat.press("⬜ " + translate(BANKS, language_code))
    return chat


async def set_timezone(chat, gettext, locale: str, city: str = "Moscow") -> None:
    await chat.press(gettext("⏰ Remind me", locale))
    await chat.press(f"{gettext(city, locale)} ({'UTC+8' if city == 'Beijing' else 'UTC+3'})")


def leave_hint(gettext, locale: str) -> str:
    return gettext("To leave this step: ✖️ Cancel or /cancel.", locale)


# --- the time zone ------------------------------------------------------------------------------


async def test_the_time_zone_is_asked_once_with_city_buttons(timed_harness: Harness, gettext) -> None:
    harness = timed_harness
    chat = await item_howto(harness, "zh")
    shown = await chat.press(gettext("⏰ Remind me", "zh"))
    assert shown[-1].button_texts() == [
        "莫斯科 (UTC+3)", "北京 (UTC+8)", "叶卡捷琳堡 (UTC+5)", "新西伯利亚 (UTC+7)", "伊尔库茨克 (UTC+8)",
        "符拉迪沃斯托克 (UTC+10)", gettext("⌨️ Type a city", "zh"), gettext("✖️ Cancel", "zh")]
    assert leave_hint(gettext, "zh") in shown[-1].text and "/cancel" in shown[-1].text
    shown = await chat.press("北京 (UTC+8)")
    assert shown[0].kind == "toast" and shown[0].text == gettext("Time zone: {tz}", "zh").format(tz="北京 (UTC+8)")
    question = shown[-1]
    assert question.kind == "edit"
    assert gettext(FORMS_HELP, "zh").format(tz="北京 (UTC+8)") in question.html
    assert leave_hint(gettext, "zh") in question.text
    assert question.button_texts()[-2:] == [gettext("🌐 Time zone: {tz}", "zh").format(tz="北京 (UTC+8)"),
                                            gettext("✖️ Cancel", "zh")]

    shown = await chat.press(gettext("In 1 hour", "zh"))
    assert shown[-1].html == "✅ " + gettext("I will remind you about <b>{what}</b> {when} ({tz}).", "zh").format(
        what=gettext("Banks and SBP", "zh"), when="今天 18:00", tz="北京 (UTC+8)")
    assert [r.due_at for r in await pending(harness)] == [START + timedelta(hours=1)]
    assert await harness.dispatcher["users"].time_zone(42) == "Asia/Shanghai"

    # Next time: straight to the time question, and the zone survives a restart.
    await harness.restart()
    chat = harness.rebind(chat)
    await chat.send("/menu")
    await chat.press(gettext(CHECKLIST, "zh"))
    shown = await chat.press(gettext("⏰ Remind me", "zh"))
    assert gettext(FORMS_HELP, "zh").format(tz="北京 (UTC+8)") in shown[-1].html


@pytest.mark.parametrize(
    ("locale", "typed", "zone", "shown"),
    [
        pytest.param("zh", "北京", "Asia/Shanghai", "北京 (UTC+8)", id="zh-beijing"),
        pytest.param("zh", "上海", "Asia/Shanghai", "北京 (UTC+8)", id="zh-shanghai"),
        pytest.param("zh", "莫斯科", "Europe/Moscow", "莫斯科 (UTC+3)", id="zh-moscow"),
        pytest.param("zh", "海参崴", "Asia/Vladivostok", "符拉迪沃斯托克 (UTC+10)", id="zh-haishenwai"),
        pytest.param("ru", "Новосибирск", "Asia/Novosibirsk", "Новосибирск (UTC+7)", id="ru-novosibirsk"),
        pytest.param("ru", "владивосток", "Asia/Vladivostok", "Владивосток (UTC+10)", id="ru-vladivostok"),
        pytest.param("ru", "Санкт-Петербург", "Europe/Moscow", "Москва (UTC+3)", id="ru-petersburg"),
        pytest.param("ru", "Хабаровск", "Asia/Vladivostok", "Владивосток (UTC+10)", id="ru-khabarovsk"),
        pytest.param("en", "Almaty", "Asia/Almaty", "Almaty (UTC+5)", id="en-almaty"),
        pytest.param("en", "Novosibirsk", "Asia/Novosibirsk", "Novosibirsk (UTC+7)", id="en-novosibirsk"),
        pytest.param("en", "Asia/Shanghai", "Asia/Shanghai", "Beijing (UTC+8)", id="en-iana-shanghai"),
        pytest.param("en", "europe/moscow", "Europe/Moscow", "Moscow (UTC+3)", id="en-iana-moscow"),
        pytest.param("en", "UTC+5", "Etc/GMT-5", "UTC+5", id="en-offset"),
        pytest.param("ru", "GMT-3", "Etc/GMT+3", "UTC-3", id="ru-offset-west"),
        pytest.param("zh", "UTC+5:30", "Asia/Kolkata", "加尔各答 (UTC+5:30)", id="zh-half-hour"),
    ],
)
async def test_a_time_zone_typed_as_a_city_a_zone_name_or_an_offset(
    timed_harness: Harness, gettext, locale: str, typed: str, zone: str, shown: str
) -> None:
    chat = await item_howto(timed_harness, locale)
    await chat.press(gettext("⏰ Remind me", locale))
    replies = await chat.send(typed)
    assert replies[-1].text.startswith(gettext("Time zone: {tz}", locale).format(tz=shown))
    assert gettext(FORMS_HELP, locale).format(tz=shown) in replies[-1].html
    assert await timed_harness.dispatcher["users"].time_zone(42) == zone


@pytest.mark.parametrize("locale", ["zh", "ru", "en"])
async def test_a_place_that_cannot_be_found_gets_the_question_again(timed_harness: Harness, gettext,
                                                                    locale: str) -> None:
    chat = await item_howto(timed_harness, locale)
    await chat.press(gettext("⏰ Remind me", locale))
    shown = await chat.send("Atlantis")
    expected = gettext("I could not find that place. Send a city, such as <code>{city}</code>, or a UTC offset.",
                       locale).format(city=gettext("Novosibirsk", locale))
    assert shown[-1].html.startswith(expected)
    assert gettext("⌨️ Type a city", locale) in shown[-1].button_texts()
    assert await timed_harness.dispatcher["users"].time_zone(42) is None
    shown = await chat.send("Москва")  # still asked: the answer is taken
    assert await timed_harness.dispatcher["users"].time_zone(42) == "Europe/Moscow"


async def test_type_a_city_then_back_and_the_zone_changed_from_the_time_step(timed_harness: Harness, gettext) -> None:
    chat = await item_howto(timed_harness, "ru")
    await chat.press(gettext("⏰ Remind me", "ru"))
    shown = await chat.press(gettext("⌨️ Type a city", "ru"))
    assert "<code>Новосибирск</code>" in shown[-1].html and leave_hint(gettext, "ru") in shown[-1].text
    assert shown[-1].button_texts() == [gettext("⬅️ Back", "ru"), gettext("✖️ Cancel", "ru")]
    shown = await chat.press(gettext("⬅️ Back", "ru"))
    assert "Москва (UTC+3)" in shown[-1].button_texts()
    await chat.press("Москва (UTC+3)")

    # From the time question: the cities again, with a way back to the question.
    shown = await chat.press(gettext("🌐 Time zone: {tz}", "ru").format(tz="Москва (UTC+3)"))
    assert gettext("Now: {tz}.", "ru").format(tz="Москва (UTC+3)") in shown[-1].text
    assert shown[-1].button_texts()[-2:] == [gettext("⬅️ Back", "ru"), gettext("✖️ Cancel", "ru")]
    shown = await chat.press(gettext("⬅️ Back", "ru"))
    assert gettext(FORMS_HELP, "ru").format(tz="Москва (UTC+3)") in shown[-1].html
    await chat.press(gettext("🌐 Time zone: {tz}", "ru").format(tz="Москва (UTC+3)"))
    shown = await chat.press("Владивосток (UTC+10)")
    assert gettext(FORMS_HELP, "ru").format(tz="Владивосток (UTC+10)") in shown[-1].html
    shown = await chat.send("завтра в 9")
    assert "завтра в 09:00 (Владивосток (UTC+10))" in shown[-1].text
    # 09:00 in Vladivostok is 23:00 UTC the day before.
    assert [r.due_at for r in await pending(timed_harness)] == [datetime(2026, 11, 21, 23, 0, tzinfo=UTC)]


@pytest.mark.parametrize("locale", ["zh", "ru", "en"])
async def test_the_timezone_command_is_a_settings_screen(timed_harness: Harness, gettext, locale: str) -> None:
    chat = timed_harness.user(42, locale)
    await chat.send("/start")
    shown = await chat.send("/timezone")
    assert shown[-1].text.startswith(gettext("🌐 Which time zone are you in? I use it for every reminder.", locale))
    assert gettext("⬅️ Back", locale) not in shown[-1].button_texts()
    shown = await chat.press(gettext("✖️ Cancel", locale))
    assert shown[-1].text == gettext("Your time zone stays as it was.", locale)

    await chat.send("/timezone")
    shown = await chat.press(f"{gettext('Irkutsk', locale)} (UTC+8)")
    assert shown[-1].text == "✅ " + gettext("Time zone: {tz}. Reminders will use it.", locale).format(
        tz=f"{gettext('Irkutsk', locale)} (UTC+8)")
    assert await timed_harness.dispatcher["users"].time_zone(42) == "Asia/Irkutsk"

    shown = await chat.send("/timezone")
    assert gettext("Now: {tz}.", locale).format(tz=f"{gettext('Irkutsk', locale)} (UTC+8)") in shown[-1].text
    shown = await chat.send("Almaty")
    assert shown[-1].text.startswith("✅ ")
    assert await timed_harness.dispatcher["users"].time_zone(42) == "Asia/Almaty"
    assert await pending(timed_harness) == []
    # The button a settings screen shows for it opens the same question in place.
    shown = await chat.press_data(shown[-1].message_id, ReminderStepCb(action="zones", settings=True).pack())
    assert shown[-1].kind == "edit"
    assert gettext("Now: {tz}.", locale).format(tz=zone_label("Asia/Almaty", START, locale, str)) in shown[-1].text


async def test_stored_utc_offsets_become_zones_and_duplicate_reminders_one(tmp_path: Path) -> None:
    """Data stored before time zones had names: the migration keeps it meaningful."""
    old = tmp_path / "migrations"
    old.mkdir()
    for file in MIGRATIONS_DIR.glob("*.sql"):
        if int(file.name[:4]) < 8:  # before 0008, which gave time zones names
            shutil.copy(file, old / file.name)
    path = tmp_path / "bot.sqlite3"
    db = await open_database(path, old)
    offsets = {1: 180, 2: 480, 3: 300, 4: -180, 5: 330, 6: 0, 7: None}
    for user, offset in offsets.items():
        await db.write("INSERT INTO users (id, first_seen, last_seen, utc_offset) VALUES (?, 0, 0, ?)", (user, offset))
    due = int(START.timestamp()) + 3600
    for due_at in (due, due + 20, due + 60):  # the first two share a minute
        await db.write("INSERT INTO reminders (user_id, item_id, due_at, created_at) VALUES (1, 'banks', ?, 0)",
                       (due_at,))
    await db.close()

    db = await open_database(path)
    try:
        rows = await db.read("SELECT id, time_zone FROM users ORDER BY id")
        assert {row[0]: row[1] for row in rows} == {
            1: "Europe/Moscow", 2: "Asia/Shanghai", 3: "Etc/GMT-5", 4: "Etc/GMT+3", 5: "Asia/Kolkata",
            6: "Etc/UTC", 7: None}
        rows = await db.read("SELECT due_at, status FROM reminders ORDER BY id")
        assert [tuple(row) for row in rows] == [(due, "pending"), (due + 20, "cancelled"), (due + 60, "pending")]
        # The database itself refuses a second pending reminder for the same item and minute.
        with pytest.raises(sqlite3.IntegrityError):
            await db.write("INSERT INTO reminders (user_id, item_id, due_at, created_at) VALUES (1, 'banks', ?, 0)",
                           (due + 5,))
    finally:
        await db.close()


# --- the time question --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language_code", "text", "due", "shown"),
    [
        pytest.param("zh", "半小时后", START + timedelta(minutes=30), "今天 17:30", id="zh-half-hour"),
        pytest.param("zh", "明天 9点", datetime(2026, 11, 22, 1, 0, tzinfo=UTC), "明天 09:00", id="zh-tomorrow-9"),
        pytest.param("zh", "明早9点", datetime(2026, 11, 22, 1, 0, tzinfo=UTC), "明天 09:00", id="zh-tomorrow-morning"),
        pytest.param("zh", "今晚8点", datetime(2026, 11, 21, 12, 0, tzinfo=UTC), "今天 20:00", id="zh-tonight"),
        pytest.param("zh", "下周一 10点", datetime(2026, 11, 23, 2, 0, tzinfo=UTC), "11月23日周一 10:00",
                     id="zh-next-monday"),
        pytest.param("zh", "12月1日 10:00", datetime(2026, 12, 1, 2, 0, tzinfo=UTC), "12月1日周二 10:00", id="zh-date"),
        pytest.param("zh", "２１：３０", datetime(2026, 11, 21, 13, 30, tzinfo=UTC), "今天 21:30",
                     id="zh-fullwidth"),
        pytest.param("zh", "明早 09:00", datetime(2026, 11, 22, 1, 0, tzinfo=UTC), "明天 09:00",
                     id="zh-label-typed-back"),
        pytest.param("ru", "через 2 часа", START + timedelta(hours=2), "сегодня в 14:00", id="ru-in-2h"),
        pytest.param("ru", "завтра в 10", datetime(2026, 11, 22, 7, 0, tzinfo=UTC), "завтра в 10:00", id="ru-tomorrow"),
        pytest.param("ru", "10 утра", datetime(2026, 11, 22, 7, 0, tzinfo=UTC), "завтра в 10:00", id="ru-10am"),
        pytest.param("ru", "в пятницу в 18:00", datetime(2026, 11, 27, 15, 0, tzinfo=UTC), "пт, 27 нояб. 18:00",
                     id="ru-friday"),
        pytest.param("ru", "30.11.2026 20:00", datetime(2026, 11, 30, 17, 0, tzinfo=UTC), "пн, 30 нояб. 20:00",
                     id="ru-date"),
        pytest.param("en", "in half an hour", START + timedelta(minutes=30), "today 12:30", id="en-half-hour"),
        pytest.param("en", "tomorrow 9am", datetime(2026, 11, 22, 6, 0, tzinfo=UTC), "tomorrow 09:00",
                     id="en-tomorrow-9am"),
        pytest.param("en", "9pm", datetime(2026, 11, 21, 18, 0, tzinfo=UTC), "today 21:00", id="en-9pm"),
        pytest.param("en", "12/01 10:00", datetime(2026, 12, 1, 7, 0, tzinfo=UTC), "Tue, Dec 1 10:00", id="en-date"),
        pytest.param("en", "Tomorrow 09:00", datetime(2026, 11, 22, 6, 0, tzinfo=UTC), "tomorrow 09:00",
                     id="en-label-typed-back"),
    ],
)
async def test_typed_times_in_every_language(timed_harness: Harness, gettext, language_code: str, text: str,
                                             due: datetime, shown: str) -> None:
    chat = await item_howto(timed_harness, language_code)
    # Read on a Beijing clock in zh (17:00 now), on a Moscow clock (12:00) otherwise.
    city = "Beijing" if language_code == "zh" else "Moscow"
    await set_timezone(chat, gettext, language_code, city)
    replies = await chat.send(text)
    tz = f"{gettext(city, language_code)} ({'UTC+8' if city == 'Beijing' else 'UTC+3'})"
    assert replies[-1].html == "✅ " + gettext("I will remind you about <b>{what}</b> {when} ({tz}).",
                                               language_code).format(
        what=gettext("Banks and SBP", language_code), when=shown, tz=tz)
    assert [(r.item_id, r.due_at) for r in await pending(timed_harness)] == [("banks", due)]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param("soon", "I could not read that as a time.", id="unparseable"),
        pytest.param("25:00", "There is no such time: hours go from 0 to 23 and minutes from 0 to 59.",
                     id="no-such-time"),
        pytest.param("2027-02-30", "There is no such date in the calendar.", id="no-such-date"),
        pytest.param("вчера", "That time has already passed.", id="yesterday"),
        pytest.param("91d", "That is too far ahead: I can remind you up to 90 days from now.", id="too-far"),
        pytest.param("0m", "That is less than a minute away.", id="too-soon"),
    ],
)
@pytest.mark.parametrize("locale", ["zh", "ru", "en"])
async def test_bad_input_gets_a_specific_answer_with_examples_and_the_question_again(
    timed_harness: Harness, gettext, locale: str, text: str, problem: str
) -> None:
    chat = await item_howto(timed_harness, locale)
    await set_timezone(chat, gettext, locale, "Beijing")
    shown = await chat.send(text)
    assert len(shown) == 1
    assert shown[0].html.startswith(gettext(problem, locale) + "\n\n")
    # The examples are in the user's language (and each can be typed, see test_timeparse).
    assert gettext(FORMS_HELP, locale).format(tz=f"{gettext('Beijing', locale)} (UTC+8)") in shown[0].html
    assert gettext("In 1 hour", locale) in shown[0].button_texts()
    assert await pending(timed_harness) == []
    shown = await chat.send("30m")  # still asked: the answer is taken
    assert len(await pending(timed_harness)) == 1


@pytest.mark.parametrize("locale", ["zh", "ru", "en"])
async def test_every_step_can_be_left_with_the_button_or_cancel(timed_harness: Harness, gettext,
                                                                 locale: str) -> None:
    chat = await item_howto(timed_harness, locale)
    shown = await chat.press(gettext("⏰ Remind me", locale))
    shown = await chat.press(gettext("✖️ Cancel", locale))
    assert shown[-1].text == gettext("Cancelled: no reminder was set.", locale)
    assert shown[-1].button_texts() == [gettext("⬅️ Back to the list", locale), gettext("🔔 My reminders", locale)]

    chat = await item_howto(timed_harness, locale)
    await set_timezone(chat, gettext, locale)
    shown = await chat.press(gettext("✖️ Cancel", locale))
    assert shown[-1].text == gettext("Cancelled: no reminder was set.", locale)
    await chat.send("2h")  # no longer read as a time
    assert await pending(timed_harness) == []

    await chat.send("/menu")
    await chat.press(gettext(CHECKLIST, locale))
    await chat.press(gettext("⏰ Remind me", locale))
    shown = await chat.send("/cancel")
    assert shown[-1].text.startswith(gettext("Cancelled.", locale))
    shown = await chat.send("30m")
    assert await pending(timed_harness) == []


async def test_another_command_leaves_the_question(timed_harness: Harness) -> None:
    chat = await item_howto(timed_harness)
    await set_timezone(chat, lambda m, _l: m, "en")
    shown = await chat.send("/help")
    assert shown[-1].text.startswith("How to use this bot")
    # The user went elsewhere: the time question is over, and a time typed now sets nothing.
    shown = await chat.send("/cancel")
    assert shown[-1].text.startswith("There is nothing to cancel.")
    await chat.send("30m")
    assert await pending(timed_harness) == []


@pytest.mark.parametrize(("locale", "question"), [("zh", "流量卡怎么注销？"), ("ru", "как расторгнуть договор мтс?"),
                                                  ("en", "can I cancel online?")])
async def test_a_question_typed_at_the_time_step_is_answered_not_swallowed(timed_harness: Harness, gettext,
                                                                           locale: str, question: str) -> None:
    harness = timed_harness
    outside = harness.user(7, locale)
    answer = (await outside.send(question))[-1].text

    chat = await item_howto(harness, locale)
    await set_timezone(chat, gettext, locale)
    shown = await chat.send(question)
    assert shown[-1].text == answer
    assert not shown[0].text.startswith(gettext("I could not read that as a time.", locale))
    # The step is over: a time typed now is not taken for a reminder.
    await chat.send("30m")
    assert await pending(harness) == []


async def test_a_question_typed_at_the_city_step_is_answered_too(timed_harness: Harness) -> None:
    answer = (await timed_harness.user(7, "en").send("can I cancel online?"))[-1].text
    chat = await item_howto(timed_harness)
    await chat.press("⏰ Remind me")
    shown = await chat.send("can I cancel online?")
    assert shown[-1].text == answer
    assert await timed_harness.dispatcher["users"].time_zone(42) is None


async def test_a_reminder_for_the_whole_checklist(timed_harness: Harness) -> None:
    chat = timed_harness.user(42, "en")
    await chat.send("/start")
    await chat.press("📋 Checklist and reminders")
    await chat.press("⏰ Remind me")
    shown = await chat.press("Moscow (UTC+3)")
    assert "When should I remind you about the checklist before cancelling?" in shown[-1].text
    await chat.press("Tomorrow morning, 09:00")
    [reminder] = await pending(timed_harness)
    assert reminder.item_id is None and reminder.due_at == datetime(2026, 11, 22, 6, 0, tzinfo=UTC)


# --- idempotency ----------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["zh", "ru", "en"])
async def test_a_double_tap_or_a_stale_preset_makes_no_second_reminder(timed_harness: Harness, gettext,
                                                                       locale: str) -> None:
    harness = timed_harness
    chat = await item_howto(harness, locale)
    await set_timezone(chat, gettext, locale)
    question_id, _buttons = chat.keyboard()
    first = await chat.press(gettext("In 3 days", locale), message_id=question_id)
    assert first[-1].text.startswith("✅ ")
    # The same button again: the question was answered, the press changes nothing.
    shown = await chat.press_data(question_id, "rp:banks:in_3d")
    assert len(shown) == 1 and shown[0].kind == "toast"
    assert shown[0].text == gettext("This button is no longer active. See /reminders.", locale)
    # A preset from an older question while a newer one is open: also refused.
    await chat.send("/menu")
    await chat.press(gettext(CHECKLIST, locale))
    await chat.press(gettext("⏰ Remind me", locale))
    shown = await chat.press_data(question_id, "rp:banks:in_1w")
    assert shown[0].text == gettext("This button is no longer active.", locale)
    assert [r.due_at for r in await pending(harness)] == [START + timedelta(days=3)]


async def test_the_same_item_and_minute_twice_is_one_reminder(timed_harness: Harness, gettext) -> None:
    harness = timed_harness
    chat = await item_howto(harness, "ru")
    await set_timezone(chat, gettext, "ru")
    await chat.send("завтра в 10")
    await chat.send("/menu")
    await chat.press(gettext(CHECKLIST, "ru"))
    await chat.press("⬜ " + gettext(BANKS, "ru"))
    await chat.press(gettext("⏰ Remind me", "ru"))
    shown = await chat.send("10:00")
    assert shown[-1].html == "✅ " + gettext("You already have this reminder: <b>{what}</b>, {when} ({tz}).",
                                             "ru").format(what=gettext("Banks and SBP", "ru"),
                                                          when="завтра в 10:00", tz="Москва (UTC+3)")
    assert len(await pending(harness)) == 1


# --- delivery and its buttons -----------------------------------------------------------------------


async def test_delivery_names_the_item_opens_it_and_counts_what_is_left(timed_harness: Harness, clock: FakeClock,
                                                                        gettext) -> None:
    harness = timed_harness
    chat = await item_howto(harness, "zh")
    await set_timezone(chat, gettext, "zh", "Beijing")
    await chat.send("30分钟")
    clock.advance(minutes=29)
    assert await deliver(harness) == 0
    clock.advance(minutes=1)
    assert await deliver(harness) == 1
    reminder = harness.api.shown[-1]
    assert reminder.kind == "message" and reminder.chat_id == 42
    assert reminder.html.startswith(gettext("⏰ <b>Reminder:</b> {item}", "zh").format(item=gettext("Banks and SBP", "zh")))
    total = len(item_ids())
    assert reminder.html.endswith("📋 清单：共 {total} 项，还剩 {total} 项。".format(total=total))
    assert reminder.button_texts() == [gettext(label, "zh") for label in
                                       ("✅ Done", "📋 Open this item", "Snooze 1 hour", "Snooze 1 day",
                                        "🔕 No more about this", "🔕 Stop all reminders")]

    shown = await chat.press(gettext("Snooze 1 hour", "zh"), message_id=reminder.message_id)
    assert shown[0].kind == "edit" and shown[0].buttons == []  # the used buttons go
    assert shown[-1].text == gettext("Snoozed until {when} ({tz}).", "zh").format(when="今天 18:30", tz="北京 (UTC+8)")
    assert [r.due_at for r in await pending(harness)] == [clock() + timedelta(hours=1)]
    # The same button again (a double tap, an old message) does not snooze twice.
    shown = await chat.press_data(reminder.message_id, reminder.buttons[1][0]["callback_data"])
    assert len(shown) == 1 and shown[0].text == gettext("This button is no longer active.", "zh")
    assert len(await pending(harness)) == 1

    clock.advance(hours=1)
    assert await deliver(harness) == 2
    snoozed = harness.api.shown[-1]
    # One tap opens the item: the reminder becomes its page, with "mark as done".
    shown = await chat.press(gettext("📋 Open this item", "zh"), message_id=snoozed.message_id)
    assert shown[-1].kind == "edit" and shown[-1].message_id == snoozed.message_id
    assert gettext("✅ Mark as done", "zh") in shown[-1].button_texts()
    shown = await chat.press(gettext("✅ Mark as done", "zh"))
    rows = await harness.db.read("SELECT item_id FROM checklist_ticks WHERE user_id = 42")
    assert [row[0] for row in rows] == ["banks"]


async def test_stop_on_one_reminder_stops_that_one_and_stop_all_is_separate(timed_harness: Harness,
                                                                            clock: FakeClock, gettext) -> None:
    harness = timed_harness
    chat = await item_howto(harness, "ru")
    await set_timezone(chat, gettext, "ru")
    await chat.press(gettext("In 1 hour", "ru"))
    for text in ("через 2 часа", "через 3 дня"):
        await chat.send("/menu")
        await chat.press(gettext(CHECKLIST, "ru"))
        await chat.press(gettext("⏰ Remind me", "ru"))  # the whole checklist
        await chat.send(text)
    await chat.send("/menu")
    await chat.press(gettext(CHECKLIST, "ru"))
    await chat.press("⬜ " + gettext(BANKS, "ru"))
    await chat.press(gettext("⏰ Remind me", "ru"))
    await chat.send("через 5 дней")  # a second one about the same item
    clock.advance(hours=1)
    await deliver(harness)
    shown = await chat.press(gettext("🔕 No more about this", "ru"), message_id=harness.api.shown[-1].message_id)
    assert shown[-1].html == gettext("No more reminders about <b>{what}</b>. Your other reminders stay.", "ru").format(
        what=gettext("Banks and SBP", "ru"))
    assert [r.item_id for r in await pending(harness)] == [None, None]

    clock.advance(hours=1)
    await deliver(harness)
    shown = await chat.press(gettext("🔕 Stop all reminders", "ru"), message_id=harness.api.shown[-1].message_id)
    assert shown[-1].text == gettext("All your reminders are off. You can set a new one from the checklist.", "ru")
    assert await pending(harness) == []


async def test_done_on_a_checklist_reminder_shows_the_checklist(timed_harness: Harness, clock: FakeClock) -> None:
    harness = timed_harness
    chat = harness.user(42, "en")
    await chat.send("/start")
    await chat.press("📋 Checklist and reminders")
    await chat.press("⏰ Remind me")
    await chat.press("Moscow (UTC+3)")
    await chat.send("1h")
    clock.advance(hours=1)
    await deliver(harness)
    assert harness.api.shown[-1].text.startswith("⏰ Reminder: the checklist before cancelling")
    shown = await chat.press("✅ Done", message_id=harness.api.shown[-1].message_id)
    assert shown[-1].text.startswith("Before you cancel") and "Done: 0 of 9" in shown[-1].text


# --- /reminders -----------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["zh", "ru", "en"])
async def test_reminders_command_lists_reschedules_cancels_adds_and_goes_back(timed_harness: Harness, gettext,
                                                                              locale: str) -> None:
    harness = timed_harness
    chat = harness.user(42, locale)
    shown = await chat.send("/reminders")
    assert shown[-1].text == gettext(
        "You have no reminders waiting. You can set one here or from an item of the checklist.", locale)
    assert shown[-1].button_texts() == [gettext("➕ New reminder", locale), gettext("⬅️ Checklist", locale),
                                        gettext("🏠 Menu", locale)]

    chat = await item_howto(harness, locale)
    await set_timezone(chat, gettext, locale)
    await chat.send("3d")
    await chat.send("/menu")
    await chat.press(gettext(CHECKLIST, locale))
    await chat.press(gettext("⏰ Remind me", locale))
    await chat.send("21:30")

    shown = await chat.send("/reminders")
    today = gettext("today {time}", locale).format(time="21:30")
    later = {"zh": "11月24日周二 12:00", "ru": "вт, 24 нояб. 12:00", "en": "Tue, Nov 24 12:00"}[locale]
    assert shown[-1].text.splitlines() == [
        gettext("<b>Your reminders</b> ({tz}):", locale).format(
            tz=f"{gettext('Moscow', locale)} (UTC+3)").replace("<b>", "").replace("</b>", ""),
        f"1. {today} — {gettext('the checklist before cancelling', locale)}",
        f"2. {later} — {gettext('Banks and SBP', locale)}",
    ]
    assert shown[-1].button_texts() == [
        gettext("🕒 Change {number}", locale).format(number=1), gettext("❌ Cancel {number}", locale).format(number=1),
        gettext("🕒 Change {number}", locale).format(number=2), gettext("❌ Cancel {number}", locale).format(number=2),
        gettext("➕ New reminder", locale), gettext("⬅️ Checklist", locale), gettext("🏠 Menu", locale)]
    first, second = await pending(harness)

    # Reschedule the second: the time question for its item, then the new time replaces it.
    shown = await chat.press(gettext("🕒 Change {number}", locale).format(number=2))
    assert shown[-1].kind == "edit" and gettext("Banks and SBP", locale) in shown[-1].text
    shown = await chat.press(gettext("Tomorrow morning, 09:00", locale))
    assert gettext("tomorrow {time}", locale).format(time="09:00") in shown[-1].text
    assert [(r.item_id, r.due_at) for r in await pending(harness)] == [
        (None, datetime(2026, 11, 21, 18, 30, tzinfo=UTC)), ("banks", datetime(2026, 11, 22, 6, 0, tzinfo=UTC))]
    # Its old buttons are stale now.
    shown = await chat.press_data(shown[-1].message_id, f"rr:{second.id}")
    assert shown[0].text == gettext("That reminder is no longer waiting.", locale)

    await chat.send("/reminders")
    shown = await chat.press(gettext("❌ Cancel {number}", locale).format(number=1))
    assert shown[0].text == gettext("Reminder cancelled.", locale)
    assert shown[-1].kind == "edit" and len(shown[-1].text.splitlines()) == 2
    assert [r.item_id for r in await pending(harness)] == ["banks"]
    assert first.id not in [r.id for r in await pending(harness)]

    shown = await chat.press(gettext("➕ New reminder", locale))
    assert gettext("the checklist before cancelling", locale) in shown[-1].text
    await chat.send("/reminders")
    shown = await chat.press(gettext("⬅️ Checklist", locale))
    assert gettext("⏰ Remind me", locale) in shown[-1].button_texts()


async def test_the_number_of_waiting_reminders_is_limited(timed_harness: Harness, clock: FakeClock) -> None:
    harness = timed_harness
    repository = RemindersRepository(harness.db)
    chat = await item_howto(harness)
    await set_timezone(chat, lambda m, _l: m, "en")
    for minutes in range(MAX_PENDING_PER_USER - 1):
        await repository.add(42, "banks", clock() + timedelta(minutes=10 + minutes), clock())
    await chat.send("2h")  # the 20th
    shown = await chat.press("⏰ Remind me", message_id=harness.api.shown[-1].message_id - 3)
    assert shown[-1].text == f"You already have {MAX_PENDING_PER_USER} reminders waiting. Cancel some in /reminders first."
    assert len(await pending(harness)) == MAX_PENDING_PER_USER


async def test_reminders_due_while_the_bot_was_down_are_sent_late_or_dropped(
    timed_harness: Harness, clock: FakeClock, gettext, caplog
) -> None:
    harness = timed_harness
    chat = await item_howto(harness, "ru")
    await set_timezone(chat, gettext, "ru")
    await chat.send("1h")
    await chat.send("/menu")
    await chat.press(gettext(CHECKLIST, "ru"))
    await chat.press(gettext("⏰ Remind me", "ru"))
    await chat.send("9d")
    await harness.stop()
    seen = len(harness.api.shown)

    clock.advance(days=9, hours=23)  # the first is 9 days late, the second 23 hours
    with caplog.at_level("WARNING", logger="bot.scheduler"):
        await harness.start()
        await deliver(harness)
    [late] = harness.api.shown[seen:]
    expected = gettext(
        "⏰ <b>Reminder:</b> {item}\n<i>This was due {due}; the bot could not send it on time.</i>", "ru"
    ).format(item=gettext("the checklist before cancelling", "ru"), due="пн, 30 нояб. 12:00 (Москва (UTC+3))")
    assert late.html.startswith(expected + "\n\n")
    statuses = await harness.db.read("SELECT item_id, status FROM reminders ORDER BY id")
    assert [tuple(row) for row in statuses] == [("banks", "dropped"), (None, "sent")]
    assert "Dropped reminder 1" in caplog.text


async def test_a_user_who_blocked_the_bot_is_flagged(timed_harness: Harness, clock: FakeClock) -> None:
    harness = timed_harness
    chat = await item_howto(harness)
    await set_timezone(chat, lambda m, _l: m, "en")
    await chat.send("5m")
    harness.api.fail(42, 403, "Forbidden: bot was blocked by the user")
    clock.advance(minutes=5)
    assert await deliver(harness) == 0
    db = harness.db
    assert tuple(await db.read_one("SELECT status, error FROM reminders")) == (
        "failed", "forbidden: Forbidden: bot was blocked by the user")
    assert (await db.read_one("SELECT blocked_bot FROM users WHERE id = 42"))[0] == 1


@pytest.mark.parametrize(
    "data",
    ["ra:999:done", "ra:x:done", "ra:1:snooze", "rp:banks:never", "rp:sms:in_1h", "rz:banks:61", "rz:banks:x",
     "rz:banks:Mars/Olympus", "rx:cancel:sms:0", "rc:abc", "rr:abc", "r:sms"],
)
async def test_forged_or_stale_reminder_buttons_get_a_polite_answer(timed_harness: Harness, data: str) -> None:
    chat = await item_howto(timed_harness)
    shown = await chat.press_data(timed_harness.api.shown[-1].message_id, data)
    assert shown[0].kind == "toast" and shown[0].text.startswith("This button is no longer active.")
    assert await pending(timed_harness) == []


async def test_someone_elses_reminder_cannot_be_cancelled(timed_harness: Harness, clock: FakeClock) -> None:
    harness = timed_harness
    other, _created = await RemindersRepository(harness.db).add(7, None, clock() + timedelta(hours=1),
                                                                              clock())
    chat = harness.user(42, "en")
    await chat.send("/reminders")
    list_id = harness.api.shown[-1].message_id
    shown = await chat.press_data(list_id, f"rc:{other.id}")
    assert shown[0].text == "That reminder is no longer waiting."
    shown = await chat.press_data(list_id, f"rr:{other.id}")
    assert shown[0].text == "That reminder is no longer waiting."
    assert len(await pending(harness, 7)) == 1
