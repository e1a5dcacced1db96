"""End to end: typed questions to ``python -m bot`` over HTTP (see tests/test_e2e.py)."""

from __future__ import annotations

import signal
import sqlite3

from aiogram.utils.i18n import I18n

from bot.local_api import parse_html
from flows.knowledge import ENTRIES
from flows.questions import FALLBACK_TEXT, HELPFUL_PROMPT
from tests.e2e_bot import BotRunner, only_message
from tests.fake_telegram import FakeTelegram, TelegramUser

THANKS = "Thank you! Your vote is noted; you can still change it."


def heading(i18n: I18n, entry_id: str, locale: str) -> str:
    answer = next(entry.answer for entry in ENTRIES if entry.id == entry_id)
    return parse_html(i18n.gettext(answer, locale=locale).split("\n", 1)[0])


async def test_a_question_is_answered_voted_on_and_an_unanswered_one_kept(
    server: FakeTelegram, bot: BotRunner, i18n: I18n,
) -> None:
    await bot.start()
    user = TelegramUser(server, 601, "zh-hans")

    answer = only_message(await user.send_text("流量卡不用了怎么处理"))
    assert answer.text.startswith(heading(i18n, "sim_data_only", "zh"))
    assert answer.text.endswith(i18n.gettext(HELPFUL_PROMPT, locale="zh"))
    assert answer.button_texts()[1:3] == ["👍", "👎"]

    shown = await user.press("👍", message_id=answer.message_id)
    assert [item.text for item in shown if item.kind == "toast"] == [i18n.gettext(THANKS, locale="zh")]
    assert only_message(shown).button_texts()[1:3] == ["• 👍", "👎"]

    fallback = only_message(await user.send_text("今天天气怎么样"))
    assert fallback.text == parse_html(i18n.gettext(FALLBACK_TEXT, locale="zh"))
    first_topic = fallback.button_texts()[0]
    topic = only_message(await user.press(first_topic, message_id=fallback.message_id))
    assert "👍" in topic.button_texts()

    await bot.stop(signal.SIGTERM)
    with sqlite3.connect(bot.database) as db:
        assert db.execute("SELECT user_id, entry_id, helpful FROM question_votes").fetchall() == [
            (601, "sim_data_only", 1)]
        assert db.execute("SELECT text FROM unanswered_questions").fetchall() == [("今天天气怎么样",)]
