"""End to end under load: ``python -m bot`` against the fake Bot API server enforcing
Telegram's flood control. Nobody's reply is lost to a 429, and one user's flood neither
gets an answer per message nor slows anyone else down."""

from __future__ import annotations

import asyncio
import time

from aiogram.utils.i18n import I18n

from tests.e2e_bot import BotRunner, messages
from tests.fake_telegram import FakeTelegram, TelegramLimits, TelegramUser
from tests.test_e2e import GREETING


async def test_a_surge_under_global_flood_control_is_answered_in_full_once_each(
    server: FakeTelegram, bot: BotRunner, i18n: I18n,
) -> None:
    await bot.start()
    # Telegram lets this bot send only 12 messages a second: 429s keep coming.
    server.limits = TelegramLimits(per_second=12)
    users = [TelegramUser(server, 20_000 + n, ("zh-hans", "ru", "en")[n % 3], first_name=f"U{n}")
             for n in range(60)]
    for user in users:
        server.push(server.api.user_message(user.user, "/start"))

    def answered() -> int:
        return sum(1 for user in users if messages(user.seen()))

    await server.wait_for(lambda: answered() == len(users), 90, "every user's greeting")
    await asyncio.sleep(0.5)
    for user in users:
        [greeting] = messages(user.seen())
        locale = {"zh-hans": "zh", "ru": "ru", "en": "en"}[user.user["language_code"]]
        assert greeting.html == i18n.gettext(GREETING, locale=locale).format(name=user.user["first_name"])
    assert server.limits.floods > 0, "the flood control never engaged"
    assert server.limits.ignored == 0, "a chat was sent to before its retry_after had passed"
    assert "Traceback" not in bot.log()
    await bot.stop()


async def test_a_flooding_user_is_slowed_down_once_and_others_are_answered_at_once(
    server: FakeTelegram, bot: BotRunner, i18n: I18n,
) -> None:
    await bot.start()
    server.limits = TelegramLimits()
    flooder = TelegramUser(server, 30_001, "ru")
    others = [TelegramUser(server, 30_100 + n, "en") for n in range(5)]
    slow_down = i18n.gettext(
        "You are sending messages faster than I can answer. Please wait a few seconds, then "
        "send your question again.", locale="ru")
    delays: list[float] = []

    async def flood() -> None:
        # 20 messages a second for 6 s, each a question the bot cannot answer.
        for n in range(120):
            server.push(server.api.user_message(flooder.user, f"как погода на Марсе {n} {'xyz ' * 40}"))
            await asyncio.sleep(0.05)

    async def probe(user: TelegramUser) -> None:
        for _ in range(3):
            await asyncio.sleep(1.5)
            before = len(messages(user.seen()))
            sent = time.monotonic()
            server.push(server.api.user_message(user.user, "/menu"))
            await server.wait_for(lambda before=before: len(messages(user.seen())) > before, 30, "a probe's reply")
            delays.append(time.monotonic() - sent)

    await asyncio.gather(flood(), *(probe(user) for user in others))
    await asyncio.sleep(1.5)
    replies = messages(flooder.seen())
    assert 2 <= len(replies) <= 20, f"the flooder got {len(replies)} replies"
    assert [item.text for item in replies].count(slow_down) == 1, [item.text for item in replies]
    assert max(delays) < 1.0, f"other users waited up to {max(delays):.2f} s"
    assert server.limits.floods == 0
    stored = await bot_rows(bot, "SELECT count(*) FROM unanswered_questions")
    assert stored <= 20, f"{stored} flood messages stored as unanswered questions"
    await bot.stop()


async def bot_rows(bot: BotRunner, sql: str) -> int:
    import sqlite3

    with sqlite3.connect(bot.database) as connection:
        return connection.execute(sql).fetchone()[0]
