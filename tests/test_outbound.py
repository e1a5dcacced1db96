"""The outbound policy over real HTTP: the bot's own session against the fake Bot API server
with Telegram's flood control and injected faults (429, 500, an HTML 502, a dropped
connection, an expired callback query)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramServerError

from bot.app import create_bot
from bot.outbound import Limits, bulk_sends
from tests.conftest import Harness, make_settings
from tests.e2e_bot import TOKEN
from tests.fake_telegram import FakeTelegram, Fault, TelegramLimits

CHAT = 7001


@pytest.fixture
async def http_bot(server: FakeTelegram, tmp_path: Path) -> AsyncIterator[Bot]:
    bot = create_bot(make_settings(tmp_path, telegram_api_base=server.base_url), token=TOKEN)
    yield bot
    await bot.session.close()


def texts_in(server: FakeTelegram, chat: int) -> list[str]:
    return [item.text for item in server.api.shown if item.chat_id == chat and item.kind == "message"]


@pytest.mark.parametrize("fault", [
    pytest.param(Fault(status=429, description="Too Many Requests: retry after 1", retry_after=1), id="429"),
    pytest.param(Fault(status=500, description="Internal Server Error"), id="500"),
    pytest.param(Fault(status=502, html=True), id="html-502"),
    pytest.param(Fault(drop=True), id="dropped-connection"),
])
async def test_a_reply_survives_a_fault_and_arrives_once(server: FakeTelegram, http_bot: Bot, fault: Fault) -> None:
    server.inject("sendMessage", fault)
    began = time.monotonic()
    await http_bot.send_message(CHAT, "hello")
    assert texts_in(server, CHAT) == ["hello"]
    attempts = server.calls_of("sendMessage")
    assert len(attempts) == 2
    if fault.retry_after:
        assert attempts[1].at - attempts[0].at >= fault.retry_after, "sent again before retry_after"
        assert time.monotonic() - began >= 1.0


async def test_an_expired_callback_query_does_not_stop_the_handler(server: FakeTelegram, http_bot: Bot) -> None:
    # The fake knows no such query: Telegram's answer for one older than 15 s.
    assert await http_bot.answer_callback_query("12345", text="ok") is True
    assert server.calls_of("answerCallbackQuery")[0].status == 400


async def test_other_bad_requests_still_fail(server: FakeTelegram, http_bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest):
        await http_bot.edit_message_text("x", chat_id=CHAT, message_id=99)


async def test_bulk_sends_are_not_repeated_and_an_html_502_is_a_server_error(
    server: FakeTelegram, http_bot: Bot,
) -> None:
    server.inject("sendMessage", Fault(status=502, html=True))
    with bulk_sends(), pytest.raises(TelegramServerError):
        await http_bot.send_message(CHAT, "news")
    assert len(server.calls_of("sendMessage")) == 1


async def test_one_chat_gets_a_burst_then_one_a_second(server: FakeTelegram, http_bot: Bot) -> None:
    server.limits = TelegramLimits()
    await asyncio.gather(*(http_bot.send_message(CHAT, f"m{n}") for n in range(6)))
    assert sorted(texts_in(server, CHAT)) == [f"m{n}" for n in range(6)]
    at = sorted(call.at for call in server.calls_of("sendMessage"))
    burst = Limits().chat_burst
    assert at[burst - 1] - at[0] < 0.5, "the first messages of a burst were held back"
    # After the burst, one message a second counted from the first (a GCRA); the fake API's
    # own flood control is the real judge, so the timing bound is loose.
    assert all(at[k] - at[0] >= 0.8 * (k - burst + 1) for k in range(burst, len(at))), at
    assert server.limits.floods == 0


async def test_replies_go_before_bulk_sends_and_all_stay_under_telegrams_rate(
    server: FakeTelegram, http_bot: Bot,
) -> None:
    server.limits = TelegramLimits()

    async def broadcast() -> None:
        with bulk_sends():
            await asyncio.gather(*(http_bot.send_message(9000 + n, "news") for n in range(60)))

    bulk = asyncio.create_task(broadcast())
    await asyncio.sleep(0.3)  # the broadcast is under way, its sends queued
    began = time.monotonic()
    await asyncio.gather(*(http_bot.send_message(8000 + n, "reply") for n in range(10)))
    replies_took = time.monotonic() - began
    await bulk
    assert replies_took < 1.5, f"ten replies waited {replies_took:.2f} s behind a broadcast"
    assert server.limits.floods == 0
    assert len([item for item in server.api.shown if item.text == "news"]) == 60


async def test_a_global_flood_pauses_every_sender_and_nobody_retries_early(
    server: FakeTelegram, http_bot: Bot,
) -> None:
    # Telegram allows this bot far less than the limiter's rate: 429s keep coming.
    server.limits = TelegramLimits(per_second=8, penalty=1)
    await asyncio.gather(*(http_bot.send_message(8100 + n, "hi") for n in range(40)))
    assert all(texts_in(server, 8100 + n) == ["hi"] for n in range(40))
    assert server.limits.floods > 0
    assert server.limits.ignored == 0, "a chat was sent to before its retry_after had passed"


async def test_a_button_pressed_long_ago_still_opens_its_screen(harness: Harness) -> None:
    chat = harness.user(42, "en")
    await chat.send("/start")
    message_id, button = chat.find_button("📋 Checklist and reminders")
    update = harness.api.button_press(chat.user, message_id, button["callback_data"])
    # Telegram's 15 s to answer the query ran out while the update waited its turn.
    harness.api.unanswered_callbacks.discard(update["callback_query"]["id"])
    before = len(harness.api.shown)
    await harness.dispatcher.feed_raw_update(harness.bot, update)
    [checklist] = [item for item in harness.api.shown[before:] if item.kind == "message"]
    assert checklist.button_texts()[-1] == "🏠 Menu"
