"""Reminders through the real dispatcher on a fake clock: setting them (time zone asked
once, presets, typed times), delivery through the bot's session, their buttons, /reminders,
and what a restart does to the ones due while the bot was down."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.repositories.reminders import RemindersRepository
from flows.reminders import MAX_PENDING_PER_USER
from flows.timeparse import FORMS_HELP
from tests.conftest import FakeClock, Harness

# The FakeClock starts at 2026-11-21 09:00 UTC: 12:00 in Moscow, 17:00 in Beijing.
START = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


async def pending(harness: Harness, user_id: int = 42) -> list:
    return await RemindersRepository(harness.dispatcher["db"]).pending(user_id)


async def deliver(harness: Harness) -> int:
    """Run a scheduler pass now, as the loop does when it wakes up; returns how many
    reminders have been sent so far. (The loop runs too and may be the one that sends:
    passes take turns, so once this returns everything due has been handled.)"""
    await harness.dispatcher["scheduler"].run_due(harness.bot)
    row = await harness.dispatcher["db"].read_one("SELECT count(*) FROM reminders WHERE status = 'sent'")
    return row[0]


async def item_howto(harness: Harness, language_code: str = "en"):
    """The user opens the checklist and its first item, "Banks and SBP"."""
    chat = harness.user(42, language_code)
    await chat.send("/start")
    await chat.press(3)
    await chat.press(1)
    return chat


async def set_timezone(chat, gettext, locale: str, city: str = "Moscow (UTC+3)") -> None:
    await chat.press(gettext("⏰ Remind me", locale))
    await chat.press(gettext(city, locale))


async def test_the_time_zone_is_asked_once(timed_harness: Harness, gettext) -> None:
    harness = timed_harness
    chat = await item_howto(harness, "zh")
    shown = await chat.press(gettext("⏰ Remind me", "zh"))
    assert shown[-1].button_texts() == [gettext(label, "zh") for label in
                                        ("Moscow (UTC+3)", "Beijing (UTC+8)", "Other time zone")]
    shown = await chat.press(gettext("Beijing (UTC+8)", "zh"))
    assert shown[0].kind == "toast" and "UTC+8" in shown[0].text
    question = shown[-1]
    assert question.kind == "edit"
    assert gettext(FORMS_HELP, "zh").format(tz="UTC+8") in question.html
    assert gettext("In 1 hour", "zh") in question.button_texts()

    shown = await chat.press(gettext("In 1 hour", "zh"))
    assert gettext("I will remind you at {when} ({tz}).", "zh").format(when="2026-11-21 18:00", tz="UTC+8") in shown[-1].text
    assert [r.due_at for r in await pending(harness)] == [START + timedelta(hours=1)]

    # Next time: straight to the time question, and the zone survives a restart.
    await harness.restart()
    chat = harness.rebind(chat)
    await chat.send("/menu")
    await chat.press(3)
    shown = await chat.press(gettext("⏰ Remind me", "zh"))
    assert gettext(FORMS_HELP, "zh").format(tz="UTC+8") in shown[-1].html
    assert gettext("🌐 Time zone: {tz}", "zh").format(tz="UTC+8") in shown[-1].button_texts()


async def test_other_time_zones_by_button_or_typed(timed_harness: Harness) -> None:
    harness = timed_harness
    chat = await item_howto(harness)
    await chat.press("⏰ Remind me")
    shown = await chat.press("Other time zone")
    assert "UTC-12" in shown[-1].button_texts() and "UTC+5:30" in shown[-1].button_texts()
    shown = await chat.send("GMT+4")
    assert shown[-1].text.startswith("Time zone: UTC+4")
    assert "UTC+4" in shown[-1].text
    await chat.press("🌐 Time zone: UTC+4")
    await chat.press("Other time zone")
    shown = await chat.press("UTC-3")
    assert "(your time zone: UTC-3)" in shown[-1].text
    assert await harness.dispatcher["users"].utc_offset(42) == -180


async def test_a_typed_time_zone_that_cannot_be_read_gets_the_question_again(timed_harness: Harness, gettext) -> None:
    chat = await item_howto(timed_harness, "ru")
    await chat.press(gettext("⏰ Remind me", "ru"))
    shown = await chat.send("Москва")
    assert shown[-1].text.startswith(gettext("I could not read that time zone.", "ru"))
    assert "UTC+5" in shown[-1].text  # the example of what to send
    assert shown[-1].button_texts()[0] == gettext("Moscow (UTC+3)", "ru")
    assert await timed_harness.dispatcher["users"].utc_offset(42) is None


@pytest.mark.parametrize(
    ("language_code", "text", "due"),
    [
        pytest.param("zh", "30分钟", START + timedelta(minutes=30), id="zh-minutes"),
        pytest.param("zh", "两小时后", START + timedelta(hours=2), id="zh-two-hours-later"),
        pytest.param("zh", "３天", START + timedelta(days=3), id="zh-fullwidth-days"),
        pytest.param("zh", "21：30", datetime(2026, 11, 21, 18, 30, tzinfo=UTC), id="zh-fullwidth-colon"),
        pytest.param("ru", "через 2 часа", START + timedelta(hours=2), id="ru-hours"),
        pytest.param("ru", "1 нед", START + timedelta(weeks=1), id="ru-week"),
        pytest.param("ru", "полчаса", START + timedelta(minutes=30), id="ru-half-hour"),
        pytest.param("en", "in 2h", START + timedelta(hours=2), id="en-in-2h"),
        pytest.param("en", "1w", START + timedelta(weeks=1), id="en-week"),
        pytest.param("en", "10:00", datetime(2026, 11, 22, 7, 0, tzinfo=UTC), id="en-time-passed-tomorrow"),
        pytest.param("en", "2026-12-01 09:15", datetime(2026, 12, 1, 6, 15, tzinfo=UTC), id="en-date"),
    ],
)
async def test_typed_times_in_every_language(timed_harness: Harness, gettext, language_code: str, text: str,
                                             due: datetime) -> None:
    chat = await item_howto(timed_harness, language_code)
    await set_timezone(chat, gettext, language_code)  # Moscow, UTC+3
    shown = await chat.send(text)
    when = (due + timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")
    assert gettext("I will remind you at {when} ({tz}).", language_code).format(when=when, tz="UTC+3") in shown[-1].text
    assert [(r.item_id, r.due_at) for r in await pending(timed_harness)] == [("banks", due)]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param("soon", "I could not read that time.", id="unparseable"),
        pytest.param("91d", "That is too far ahead: I can remind you up to 90 days from now.", id="too-far"),
        pytest.param("0m", "That is less than a minute away.", id="too-soon"),
        pytest.param("2026-11-20 10:00", "That time has already passed.", id="past"),
    ],
)
@pytest.mark.parametrize("locale", ["zh", "ru", "en"])
async def test_bad_input_gets_the_accepted_forms_and_the_question_again(
    timed_harness: Harness, gettext, locale: str, text: str, problem: str
) -> None:
    chat = await item_howto(timed_harness, locale)
    await set_timezone(chat, gettext, locale, "Beijing (UTC+8)")
    shown = await chat.send(text)
    assert len(shown) == 1
    assert shown[0].html.startswith(gettext(problem, locale) + "\n\n")
    assert gettext(FORMS_HELP, locale).format(tz="UTC+8") in shown[0].html
    assert gettext("In 1 hour", locale) in shown[0].button_texts()
    assert await pending(timed_harness) == []
    shown = await chat.send("30m")  # still asked: the answer is taken
    assert len(await pending(timed_harness)) == 1


async def test_cancel_and_other_commands_leave_or_interrupt_the_question(timed_harness: Harness) -> None:
    chat = await item_howto(timed_harness)
    await set_timezone(chat, lambda m, _l: m, "en")
    shown = await chat.send("/help")
    assert shown[-1].text.startswith("How to use this bot")
    shown = await chat.send("/cancel")
    assert shown[-1].text.startswith("Cancelled.")
    shown = await chat.send("30m")  # now just text, for whichever flow reads free text
    assert not shown[-1].text.startswith("✅ I will remind you")
    assert await pending(timed_harness) == []


async def test_a_reminder_for_the_whole_checklist(timed_harness: Harness) -> None:
    chat = timed_harness.user(42, "en")
    await chat.send("/start")
    await chat.press(3)
    await chat.press("⏰ Remind me")
    shown = await chat.press("Moscow (UTC+3)")
    assert "When should I remind you about the checklist before cancelling?" in shown[-1].text
    await chat.press("Tomorrow morning, 09:00")
    [reminder] = await pending(timed_harness)
    assert reminder.item_id is None and reminder.due_at == datetime(2026, 11, 22, 6, 0, tzinfo=UTC)


async def test_delivery_through_the_bot_and_its_buttons(timed_harness: Harness, clock: FakeClock, gettext) -> None:
    harness = timed_harness
    chat = await item_howto(harness, "zh")
    await set_timezone(chat, gettext, "zh", "Beijing (UTC+8)")
    await chat.send("30分钟")
    clock.advance(minutes=29)
    assert await deliver(harness) == 0
    clock.advance(minutes=1)
    assert await deliver(harness) == 1
    reminder = harness.api.shown[-1]
    assert reminder.kind == "message" and reminder.chat_id == 42
    assert reminder.html.startswith(gettext("⏰ <b>Reminder:</b> {item}", "zh").format(item=gettext("Banks and SBP", "zh")))
    assert reminder.button_texts() == [gettext(label, "zh") for label in
                                       ("✅ Done", "Snooze 1 hour", "Snooze 1 day", "Stop reminders")]

    shown = await chat.press(gettext("Snooze 1 hour", "zh"), message_id=reminder.message_id)
    assert shown[0].kind == "edit" and shown[0].buttons == []  # the used buttons go
    assert gettext("Snoozed until {when} ({tz}).", "zh").format(when="2026-11-21 18:30", tz="UTC+8") in shown[-1].text
    assert [r.due_at for r in await pending(harness)] == [clock() + timedelta(hours=1)]
    # The same button again (a double tap, an old message) does not snooze twice.
    shown = await chat.press_data(reminder.message_id, reminder.buttons[1][0]["callback_data"])
    assert len(shown) == 1 and shown[0].text == gettext("This button is no longer active.", "zh")
    assert len(await pending(harness)) == 1

    clock.advance(hours=1)
    assert await deliver(harness) == 2
    snoozed = harness.api.shown[-1]
    shown = await chat.press(gettext("✅ Done", "zh"), message_id=snoozed.message_id)
    assert gettext("Marked as done.", "zh") in shown[-1].text
    rows = await harness.dispatcher["db"].read("SELECT item_id FROM checklist_ticks WHERE user_id = 42")
    assert [row[0] for row in rows] == ["banks"]


async def test_stop_cancels_every_pending_reminder(timed_harness: Harness, clock: FakeClock) -> None:
    harness = timed_harness
    chat = await item_howto(harness)
    await set_timezone(chat, lambda m, _l: m, "en")
    await chat.press("In 1 hour")
    for text in ("2h", "3d"):
        await chat.send("/menu")
        await chat.press(3)
        await chat.press("⏰ Remind me")
        await chat.send(text)
    clock.advance(hours=1)
    await deliver(harness)
    shown = await chat.press("Stop reminders", message_id=harness.api.shown[-1].message_id)
    assert shown[-1].text == "Reminders are off. You can set a new one from the checklist."
    assert await pending(harness) == []
    clock.advance(days=4)
    assert await deliver(harness) == 1


async def test_done_on_a_checklist_reminder_shows_the_checklist(timed_harness: Harness, clock: FakeClock) -> None:
    harness = timed_harness
    chat = harness.user(42, "en")
    await chat.send("/start")
    await chat.press(3)
    await chat.press("⏰ Remind me")
    await chat.press("Moscow (UTC+3)")
    await chat.send("1h")
    clock.advance(hours=1)
    await deliver(harness)
    assert harness.api.shown[-1].text.startswith("⏰ Reminder: the checklist before cancelling")
    shown = await chat.press("✅ Done", message_id=harness.api.shown[-1].message_id)
    assert shown[-1].text.startswith("Before you cancel") and "Done: 0 of 9" in shown[-1].text


async def test_reminders_command_lists_and_cancels(timed_harness: Harness, gettext) -> None:
    harness = timed_harness
    chat = harness.user(42, "ru")
    shown = await chat.send("/reminders")
    assert shown[-1].text == gettext("You have no reminders waiting. You can set one from the checklist.", "ru")

    chat = await item_howto(harness, "ru")
    await set_timezone(chat, gettext, "ru")
    await chat.send("3d")
    await chat.send("/menu")
    await chat.press(3)
    await chat.press(gettext("⏰ Remind me", "ru"))
    await chat.send("21:30")

    shown = await chat.send("/reminders")
    assert shown[-1].text.splitlines() == [
        gettext("<b>Your reminders</b> ({tz}):", "ru").format(tz="UTC+3").replace("<b>", "").replace("</b>", ""),
        f"1. 2026-11-21 21:30 — {gettext('the checklist before cancelling', 'ru')}",
        f"2. 2026-11-24 12:00 — {gettext('Banks and SBP', 'ru')}",
    ]
    assert shown[-1].button_texts() == [gettext("❌ Cancel {number}", "ru").format(number=n) for n in (1, 2)]
    shown = await chat.press(1)
    assert shown[0].text == gettext("Reminder cancelled.", "ru")
    assert shown[-1].kind == "edit" and len(shown[-1].text.splitlines()) == 2
    assert [r.item_id for r in await pending(harness)] == ["banks"]


async def test_the_number_of_waiting_reminders_is_limited(timed_harness: Harness, clock: FakeClock) -> None:
    harness = timed_harness
    repository = RemindersRepository(harness.dispatcher["db"])
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
    await chat.press(3)
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
        "⏰ <b>Reminder:</b> {item}\n<i>This was due at {due}; the bot could not send it on time.</i>", "ru"
    ).format(item=gettext("the checklist before cancelling", "ru"), due="2026-11-30 12:00 (UTC+3)")
    assert late.html == expected
    statuses = await harness.dispatcher["db"].read("SELECT item_id, status FROM reminders ORDER BY id")
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
    db = harness.dispatcher["db"]
    assert tuple(await db.read_one("SELECT status, error FROM reminders")) == (
        "failed", "forbidden: Forbidden: bot was blocked by the user")
    assert (await db.read_one("SELECT blocked_bot FROM users WHERE id = 42"))[0] == 1


@pytest.mark.parametrize(
    "data",
    ["ra:999:done", "ra:x:done", "ra:1:snooze", "rp:banks:never", "rp:sms:in_1h", "rz:banks:61", "rz:banks:x",
     "ro:sms:1", "rc:abc", "r:sms"],
)
async def test_forged_or_stale_reminder_buttons_get_a_polite_answer(timed_harness: Harness, data: str) -> None:
    chat = await item_howto(timed_harness)
    shown = await chat.press_data(timed_harness.api.shown[-1].message_id, data)
    assert shown[0].kind == "toast" and shown[0].text == "This button is no longer active."
    assert await pending(timed_harness) == []


async def test_someone_elses_reminder_cannot_be_cancelled(timed_harness: Harness, clock: FakeClock) -> None:
    harness = timed_harness
    other = await RemindersRepository(harness.dispatcher["db"]).add(7, None, clock() + timedelta(hours=1), clock())
    chat = harness.user(42, "en")
    await chat.send("/reminders")
    shown = await chat.press_data(harness.api.shown[-1].message_id, f"rc:{other.id}")
    assert shown[0].text == "That reminder is no longer waiting."
    assert len(await pending(harness, 7)) == 1
