"""End to end: updates in hand survive a kill -9 and a slow SIGTERM (the update journal)."""

from __future__ import annotations

import signal
import sqlite3

from aiogram.utils.i18n import I18n

from tests.e2e_bot import BotRunner, messages
from tests.fake_telegram import FakeTelegram, Fault, TelegramUser
from tests.test_e2e import GREETING


def journal_rows(bot: BotRunner) -> list[tuple[int, object, object]]:
    with sqlite3.connect(bot.database) as connection:
        return connection.execute("SELECT update_id, body, done_at FROM update_journal ORDER BY update_id").fetchall()


async def test_updates_confirmed_to_telegram_survive_a_kill_and_are_answered_once(
    server: FakeTelegram, bot: BotRunner, i18n: I18n,
) -> None:
    await bot.start()
    users = [TelegramUser(server, 40_000 + n, "en", first_name=f"K{n}") for n in range(10)]
    # Every reply hangs: the updates are in hand when the process dies.
    server.inject("sendMessage", Fault(delay=60, times=100))
    updates = [server.api.user_message(user.user, "/start") for user in users]
    for update in updates:
        server.push(update)
    last = updates[-1]["update_id"]
    # Telegram has been told they arrived (the next getUpdates carries a later offset) and
    # forgets them: only the bot can still answer them.
    await server.wait_for(lambda: any(int(call.params.get("offset", 0)) > last
                                      for call in server.calls_of("getUpdates")), 10, "the offset to be confirmed")
    await server.wait_for(lambda: len(server.calls_of("sendMessage")) >= 10, 10, "the replies to be under way")
    assert server.pending == []
    await bot.kill()
    assert all(not messages(user.seen()) for user in users)

    server.faults.clear()
    await bot.start()
    await server.wait_for(lambda: all(messages(user.seen()) for user in users), 20, "the replies after the restart")
    for user in users:
        [reply] = messages(user.seen())
        assert reply.html == i18n.gettext(GREETING, locale="en").format(name=user.user["first_name"])
    assert "Handling again 10 updates" in bot.log()
    await bot.stop()
    rows = journal_rows(bot)
    assert [row[0] for row in rows] == [update["update_id"] for update in updates]
    assert all(body is None and done for _, body, done in rows), "handled updates keep their text or are not done"


async def test_a_sigterm_waits_for_slow_updates_instead_of_dropping_them(
    server: FakeTelegram, bot: BotRunner, i18n: I18n,
) -> None:
    await bot.start()
    users = [TelegramUser(server, 41_000 + n, "en", first_name=f"S{n}") for n in range(5)]
    # Each reply takes 7 s: longer than a stop used to wait.
    server.inject("sendMessage", Fault(delay=7, times=5))
    for user in users:
        server.push(server.api.user_message(user.user, "/start"))
    await server.wait_for(lambda: len(server.calls_of("sendMessage")) >= 5, 10, "the replies to be under way")
    await bot.stop(signal.SIGTERM)
    assert all(len(messages(user.seen())) == 1 for user in users), "an update in hand was dropped at the stop"
    assert all(done for _, _, done in journal_rows(bot))
