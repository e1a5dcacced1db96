"""End to end: a whole check against ``python -m bot`` over HTTP, with a restart mid-flow."""

from __future__ import annotations

import json
import signal
import sqlite3

from aiogram.utils.i18n import I18n

from bot.local_api import parse_html
from bot.screens.check import STALE, STATUS_LINES, STATUS_SHORT
from flows.eligibility import QUESTIONS, Status
from flows.operators import load_operators
from tests.e2e_bot import BotRunner, messages, only_message
from tests.fake_telegram import FakeTelegram, TelegramUser

ANSWERS = {"sim_type": "number_keeping", "operator": "t2", "owner": "me", "location": "abroad",
           "sim_works": "yes", "debt": "no", "balance": "yes", "gosuslugi": "no", "foreign_confirmed": "yes"}


def label(i18n: I18n, question_id: str, option_id: str) -> str:
    q = next(q for q in QUESTIONS if q.id == question_id)
    if q.lists_operators and option_id in load_operators():
        return load_operators()[option_id].name("zh")
    return i18n.gettext(next(o.label for o in q.options if o.id == option_id), locale="zh")


async def test_a_whole_check_survives_a_restart_and_is_stored(
    server: FakeTelegram, bot: BotRunner, i18n: I18n,
) -> None:
    def t(msgid: str) -> str:
        return i18n.gettext(msgid, locale="zh")

    await bot.start()
    user = TelegramUser(server, 601, "zh-hans")
    menu = only_message(await user.send_text("/start"))
    question = only_message(await user.press(t("✅ Can I cancel my SIM?")))
    assert question.text.startswith(t("Question {current}/{total}").format(current=1, total=9))
    first_answer = next(b["callback_data"] for row in question.buttons for b in row
                        if b["text"] == label(i18n, "sim_type", ANSWERS["sim_type"]))
    items = list(ANSWERS.items())
    for question_id, option_id in items[:3]:
        shown = only_message(await user.press(label(i18n, question_id, option_id)))
        assert (shown.kind, shown.message_id) == ("edit", question.message_id)

    await bot.stop(signal.SIGTERM)
    await bot.start()
    prompt = only_message(await user.press(t("✅ Can I cancel my SIM?"), message_id=menu.message_id))
    assert prompt.text == t("You have a check in progress, at question {current} of {total}. "
                            "Continue it, or start over?").format(current=4, total=9)
    shown = only_message(await user.press(t("▶️ Continue")))
    assert t("Where are you now?") in shown.text

    for question_id, option_id in items[3:]:
        shown = await user.press(label(i18n, question_id, option_id))
    verdict = messages(shown)
    assert verdict[0].text.split("\n")[0] == parse_html(t(STATUS_LINES[Status.AFTER_STEPS]))
    bring = only_message(await user.press(t("🎒 What to bring")))
    assert t("The original notarized power of attorney.") in bring.text  # the representative's way
    await user.press(t("⬅️ Back to the verdict"))
    steps = only_message(await user.press(t("📄 Steps of the best way")))
    assert t("☎️ {operator}: contacts").format(operator=load_operators()["t2"].name("zh")) in steps.button_texts()

    # A button of the first question, pressed again after the verdict: politely refused.
    before = len(server.api.shown)
    server.push(server.api.button_press(user.user, question.message_id, first_answer))
    await server.wait_for(lambda: any(item.kind == "toast" for item in server.api.shown[before:]), 5,
                          "the stale button to be answered")
    assert [(item.kind, item.text) for item in server.api.shown[before:]] == [("toast", t(STALE))]

    card = only_message(await user.press(t("☎️ {operator}: contacts").format(operator=load_operators()["t2"].name("zh"))))
    assert "t2.ru" in card.text and "555-06-11" not in card.text
    await user.press(t("⬅️ Back to the verdict"), message_id=verdict[-1].message_id)
    await user.press(t("🧭 Other ways"), message_id=verdict[-1].message_id)
    await user.press(t("In an operator store"), message_id=verdict[-1].message_id)

    progress = only_message(await user.send_text("/progress"))
    assert t(STATUS_SHORT[Status.AFTER_STEPS]) in progress.text
    await bot.stop(signal.SIGTERM)

    with sqlite3.connect(bot.database) as db:
        rows = db.execute("SELECT answers, status, channel FROM checks WHERE user_id = 601").fetchall()
    assert [(json.loads(a), s, c) for a, s, c in rows] == [(ANSWERS, "AFTER_STEPS", "store")]
