"""Typed questions through the real dispatcher, as a user types and taps them."""

from __future__ import annotations

import re

import pytest

from bot.callbacks import QuestionOperatorCb, QuestionTopicCb, QuestionVoteCb
from bot.local_api import MAX_TEXT, parse_html
from flows.facts import Confidence
from flows.knowledge import ENTRIES
from flows.menu import MAIN_MENU
from flows.operators import load_operators
from flows.qa import Kind
from flows.questions import (
    ASK_EXAMPLES,
    ASK_OPERATOR,
    FALLBACK_TEXT,
    HELPFUL_PROMPT,
    NOTHING_TO_MATCH,
    SECTION_TITLES,
    SMALL_TALK,
    STORY_ANSWER_NOTE,
    STORY_TEXT,
    UNANSWERED_MAX_CHARS,
    entries_by_id,
    follow_up_menu_entry,
    section_entries,
)
from flows.split import utf16_length
from tests.conftest import Harness

# Each test runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.engines

ENTRIES_BY_ID = entries_by_id()
LABELS = {entry.id: entry.label for entry in MAIN_MENU}
STALE = "This button is no longer active."
LOCALES = ("zh", "ru", "en")


def heading(gettext, entry_id: str, locale: str) -> str:
    """The first line of an answer as the user sees it."""
    answer = gettext(ENTRIES_BY_ID[entry_id].answer, locale)
    return parse_html(answer.split("\n", 1)[0])


def menu_labels(gettext, locale: str) -> list[str]:
    return [gettext(entry.label, locale) for entry in MAIN_MENU]


def operator_names(locale: str) -> list[str]:
    return [operator.name(locale) for operator in load_operators().values()]


# Every operator in every language: no such button may appear once the operator is known.
OPERATOR_NAMES = [name for locale in ("zh", "ru", "en") for name in operator_names(locale)]


def answer_buttons(gettext, entry_id: str, locale: str, *, ask_operator: bool = False) -> list[str]:
    target = follow_up_menu_entry(ENTRIES_BY_ID[entry_id])
    follow_up = [gettext(LABELS[target], locale)] if target else []
    operators = operator_names(locale) if ask_operator else []
    return [*operators, *follow_up, "👍", "👎", gettext(LABELS["ask"], locale), gettext("🏠 Menu", locale)]


async def votes(harness: Harness) -> list[tuple]:
    rows = await harness.db.read(
        "SELECT user_id, message_id, entry_id, helpful FROM question_votes ORDER BY user_id, message_id")
    return [tuple(row) for row in rows]


async def unanswered(harness: Harness) -> list[str]:
    rows = await harness.db.read("SELECT text FROM unanswered_questions ORDER BY id")
    return [row["text"] for row in rows]


# --- answers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "question", "entry_id"),
    [
        ("zh", "流量卡不用了怎么处理", "sim_data_only"),
        ("zh", "保号卡不用了会怎样", "sim_keep_number"),
        ("ru", "как вернуть остаток", "money_balance"),
        ("ru", "что взять с собой в салон для расторжения", "cancel_documents"),
        ("en", "how much does it cost to end the contract", "money_cost"),
        ("en", "what if I just stop using the sim", "lapse_do_nothing"),
        ("zh", "卡里存的联系人怎么转到手机上", "sim_contacts"),
        ("ru", "как отключить платные подписки на номере перед расторжением", "paid_subscriptions"),
        ("en", "someone called saying my sim contract is expiring and asked for a code", "scam_expiring"),
    ],
    ids=["zh-data-only", "zh-keep-number", "ru-balance", "ru-documents", "en-cost", "en-lapse", "zh-sim-contacts",
         "ru-subscriptions", "en-scam-call"],
)
async def test_a_question_is_answered_in_the_users_language_with_its_follow_up(
    harness: Harness, gettext, locale: str, question: str, entry_id: str
) -> None:
    shown = await harness.user(language_code=locale).send(question)
    assert len(shown) == 1
    assert shown[0].text.startswith(heading(gettext, entry_id, locale))
    assert shown[0].text.endswith(gettext(HELPFUL_PROMPT, locale))
    ask_operator = ENTRIES_BY_ID[entry_id].operator_text is not None
    assert shown[0].button_texts() == answer_buttons(gettext, entry_id, locale, ask_operator=ask_operator)


async def test_follow_up_buttons_lead_to_their_menu_entries(harness: Harness) -> None:
    chat = harness.user(language_code="en")
    for question, entry in [("流量卡不用了怎么处理", "check"), ("what to bring to the store", "checklist")]:
        await chat.send(question)
        assert chat.find_button(1)[1]["callback_data"] == f"m:{entry}"


async def test_operator_numbers_come_from_the_data_file(harness: Harness, gettext) -> None:
    beeline, t2 = load_operators()["beeline"], load_operators()["t2"]
    chat = harness.user(language_code="ru")
    shown = await chat.send("beeline hotline")
    assert shown[0].text.startswith(heading(gettext, "contacts", "ru"))
    assert beeline.hotline.value in shown[0].text and beeline.short_number.value in shown[0].text
    assert "30 ноября 2026" in shown[0].text
    assert not any(name in shown[0].button_texts() for name in OPERATOR_NAMES)  # the operator was named
    shown = await chat.send("номер горячей линии теле2")
    assert shown[0].text.startswith(heading(gettext, "contacts", "ru"))
    assert t2.hotline.confidence is Confidence.L and t2.hotline.value not in shown[0].text
    assert "t2.ru" in shown[0].text


async def test_a_question_typed_instead_of_confirming_forget_is_answered(harness: Harness, gettext) -> None:
    """/forget never swallows a question: typing leaves the confirmation, nothing is deleted."""
    chat = harness.user(language_code="zh")
    await chat.send("/forget")
    confirmation = harness.api.shown[-1].message_id
    shown = await chat.send("流量卡不用了怎么处理")
    assert len(shown) == 1 and shown[0].text.startswith(heading(gettext, "sim_data_only", "zh"))
    # The confirmation lapsed: its "delete" button no longer deletes anything.
    shown = await chat.press(gettext("🗑 Yes, delete everything", "zh"), message_id=confirmation)
    assert shown[0].text == gettext(STALE, "zh")
    assert await harness.dispatcher["users"].get(42) is not None


async def test_commands_are_never_taken_for_questions(harness: Harness) -> None:
    shown = await harness.user(language_code="en").send("/how_to_cancel")
    assert shown[0].text.startswith("I don't know that command.")


# --- what is asked, and the details apart ---------------------------------------------


async def test_an_operator_named_in_a_question_fills_in_the_answer_not_its_card(harness: Harness, gettext) -> None:
    mts = load_operators()["mts"]
    shown = await harness.user(language_code="zh").send("mts app里能直接销户吗")
    assert len(shown) == 1 and shown[0].text.startswith(heading(gettext, "cancel_app", "zh"))
    assert mts.app.value in shown[0].text and mts.hotline.value not in shown[0].text
    assert shown[0].button_texts() == answer_buttons(gettext, "cancel_app", "zh")


async def test_inactivity_rules_of_the_named_operator(harness: Harness, gettext) -> None:
    shown = await harness.user(language_code="zh").send("beeline卡三个月没用了 会扣钱吗")
    assert shown[0].text.startswith(heading(gettext, "lapse_do_nothing", "zh"))
    assert "<b>Beeline：</b>" in shown[0].html and "5" in shown[0].text


async def test_someone_abroad_gets_the_named_operators_ways_to_reach_it(harness: Harness, gettext) -> None:
    """The answer from abroad says to ask the operator first: for the operator named, it says how."""
    mts = load_operators()["mts"]
    shown = await harness.user(language_code="zh").send("我已经回国了，怎么注销mts的卡")
    assert shown[0].text.startswith(heading(gettext, "cancel_from_abroad", "zh"))
    assert mts.app.value in shown[0].text and mts.hotline.value in shown[0].text


@pytest.mark.parametrize(
    ("locale", "text", "intent"),
    [
        ("ru", "я иностранец, не подтвердил номер до 1 июля, его отключили", "foreigners_cut_off"),
        ("en", "is there any way to cancel without visiting a shop", "cancel_online"),
        ("zh", "外国人注销要带snils吗", "cancel_documents"),
        ("zh", "注销了的号码还能要回来吗", "lapse_recycled"),
    ],
    ids=["unconfirmed-foreigner", "no-store", "foreigner-documents", "number-back"],
)
async def test_a_detail_of_the_question_picks_the_answer_that_fits_it(harness: Harness, gettext, locale: str,
                                                                     text: str, intent: str) -> None:
    """A number cut off under the 2025 rules, a way without the store, papers for a foreigner, a
    cancelled number wanted back."""
    shown = await harness.user(language_code=locale).send(text)
    assert len(shown) == 1 and shown[0].text.startswith(heading(gettext, intent, locale))


async def test_a_lost_sim_gets_the_named_operators_hotline_to_block_it(harness: Harness, gettext) -> None:
    """"Call your operator at once": the answer gives the number of the operator named."""
    mts = load_operators()["mts"]
    shown = await harness.user(language_code="ru").send("потерял симку мтс что делать")
    assert shown[0].text.startswith(heading(gettext, "safety_lost_sim", "ru"))
    assert mts.hotline.value in shown[0].text


async def test_a_missing_operator_is_asked_with_one_set_of_buttons(harness: Harness, gettext) -> None:
    chat = harness.user(language_code="ru")
    shown = await chat.send("какой номер горячей линии?")
    assert shown[0].text.startswith(heading(gettext, "contacts", "ru"))
    assert parse_html(gettext(ASK_OPERATOR, "ru")) in shown[0].text
    assert shown[0].button_texts() == answer_buttons(gettext, "contacts", "ru", ask_operator=True)
    megafon = load_operators()["megafon"]
    answer = await chat.press(megafon.name("ru"), message_id=shown[0].message_id)
    assert answer[-1].text.startswith(heading(gettext, "contacts", "ru"))
    assert megafon.hotline.value in answer[-1].text and "👍" in answer[-1].button_texts()
    assert not any(name in answer[-1].button_texts() for name in OPERATOR_NAMES)


async def test_a_vote_keeps_the_operator_buttons(harness: Harness) -> None:
    chat = harness.user(language_code="en")
    shown = await chat.send("what is the support phone number?")
    voted = await chat.press("👍", message_id=shown[0].message_id)
    names = operator_names("en")
    assert voted[-1].kind == "edit" and voted[-1].button_texts()[:len(names)] == names
    assert "• 👍" in voted[-1].button_texts()


STORY = ("I studied in Kazan for three years and went home to Shanghai in June. My MegaFon SIM is still in my "
         "phone, and my bank and WeChat still use the number. ")


async def test_a_story_with_a_question_is_answered_with_the_check_first(harness: Harness, gettext) -> None:
    shown = await harness.user(language_code="en").send(
        STORY * 3 + "Can I get the money left on the SIM back to my Chinese bank card?")
    assert shown[0].text.startswith(parse_html(gettext(STORY_ANSWER_NOTE, "en")))
    assert heading(gettext, "money_balance", "en") in shown[0].text
    assert shown[0].button_texts()[0] == gettext(LABELS["check"], "en")
    assert "👍" in shown[0].button_texts()


async def test_a_story_whose_question_it_does_not_back_offers_that_question_s_topic_first(
        harness: Harness, gettext) -> None:
    # The story (a phone, a bank, WeChat) reads as something else than the question, so no
    # answer is given; the topic the question reads as on its own comes first.
    shown = await harness.user(language_code="en").send(STORY * 3 + "How long does cancelling take?")
    assert shown[0].text == parse_html(gettext(STORY_TEXT, "en"))
    assert shown[0].button_texts()[:2] == [gettext(LABELS["check"], "en"),
                                           gettext(ENTRIES_BY_ID["cancel_how_long"].title, "en")]


async def test_a_story_without_a_clear_question_is_offered_the_check(harness: Harness, gettext) -> None:
    shown = await harness.user(language_code="ru").send(
        "Я учился в Казани три года, жил в общежитии. Симок у меня две, одна на брата, и обе уже не нужны. Мама волнуется.")
    assert shown[0].text == parse_html(gettext(STORY_TEXT, "ru"))
    assert shown[0].button_texts()[0] == gettext(LABELS["check"], "ru")
    assert shown[0].button_texts()[-len(MAIN_MENU):] == menu_labels(gettext, "ru")
    assert len(await unanswered(harness)) == 1


# --- the honest fallback ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "question"),
    [("zh", "今天天气怎么样"), ("en", "what's the weather"), ("ru", "где купить билет на поезд"),
     ("en", "<script>alert(1)</script> & co")],
    ids=["zh-weather", "en-weather", "ru-train", "markup"],
)
async def test_off_topic_gets_the_honest_fallback_with_three_working_topics(
    harness: Harness, gettext, locale: str, question: str
) -> None:
    chat = harness.user(language_code=locale)
    shown = await chat.send(question)
    assert len(shown) == 1 and shown[0].text == parse_html(gettext(FALLBACK_TEXT, locale))
    buttons = [button for row in shown[0].buttons for button in row]
    topics, menu = buttons[:3], [button["text"] for button in buttons[3:]]
    assert menu == menu_labels(gettext, locale)
    assert all(button["callback_data"].startswith("qt:") for button in topics)
    for button in topics:
        entry_id = QuestionTopicCb.unpack(button["callback_data"]).entry
        assert button["text"] == gettext(ENTRIES_BY_ID[entry_id].title, locale)
        pressed = await chat.press(button["text"], message_id=shown[0].message_id)
        assert pressed[-1].text.startswith(heading(gettext, entry_id, locale))
        ask_operator = ENTRIES_BY_ID[entry_id].operator_text is not None
        assert pressed[-1].button_texts() == answer_buttons(gettext, entry_id, locale, ask_operator=ask_operator)


@pytest.mark.parametrize(
    ("locale", "text", "reply"),
    [("ru", "🙂🙂🙂", NOTHING_TO_MATCH), ("ru", "x" * MAX_TEXT, NOTHING_TO_MATCH),
     ("ru", "привет", SMALL_TALK[Kind.GREETING]), ("zh", "你好！", SMALL_TALK[Kind.GREETING]),
     ("en", "hi there", SMALL_TALK[Kind.GREETING]), ("zh", "谢谢", SMALL_TALK[Kind.THANKS]),
     ("ru", "спасибо большое!", SMALL_TALK[Kind.THANKS]), ("en", "thanks, that helped", SMALL_TALK[Kind.THANKS]),
     ("zh", "明天 9点", SMALL_TALK[Kind.TIME]), ("ru", "через 2 часа", SMALL_TALK[Kind.TIME]),
     ("zh", "好的", SMALL_TALK[Kind.ACK]), ("ru", "понятно", SMALL_TALK[Kind.ACK]), ("en", "ok", SMALL_TALK[Kind.ACK])],
    ids=["emoji", "huge-nonsense", "ru-hello", "zh-hello", "en-hello", "zh-thanks", "ru-thanks", "en-thanks",
         "zh-time", "ru-time", "zh-ok", "ru-ok", "en-ok"],
)
async def test_text_without_a_question_gets_a_short_word_and_the_menu(harness: Harness, gettext, locale: str,
                                                                       text: str, reply: str) -> None:
    shown = await harness.user(language_code=locale).send(text)
    assert len(shown) == 1 and shown[0].text == parse_html(gettext(reply, locale))
    assert shown[0].button_texts() == menu_labels(gettext, locale)
    assert await unanswered(harness) == []  # nothing worth keeping


async def test_an_unanswered_question_is_kept_shortened_masked_and_anonymous(harness: Harness) -> None:
    question = "what's the weather in Moscow tomorrow? call me on +7 912 345-67-89 " * 60
    assert len(question) >= MAX_TEXT - 100
    shown = await harness.user(user_id=4242, language_code="en").send(question[:MAX_TEXT])
    assert shown[0].text == parse_html(FALLBACK_TEXT)
    [kept] = await unanswered(harness)
    assert len(kept) == UNANSWERED_MAX_CHARS and kept.startswith("what's the weather in Moscow tomorrow?")
    assert "912" not in kept and "###" in kept
    db = harness.db
    row = await db.read_one("SELECT * FROM unanswered_questions")
    assert "4242" not in " ".join(str(value) for value in tuple(row))
    assert set(row.keys()) == {"id", "text", "asked_at"}


async def test_a_huge_question_is_answered(harness: Harness) -> None:
    question = ("как расторгнуть договор, если я уехал из России и не пользуюсь номером " * 60)[:MAX_TEXT]
    shown = await harness.user(language_code="ru").send(question)
    assert len(shown) == 1 and "👍" in shown[0].button_texts()


# --- every answer, in every language ---------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
async def test_every_answer_renders_as_valid_html_within_the_limit(harness: Harness, gettext, locale: str) -> None:
    """LocalBotAPI rejects invalid HTML and texts over 4096 characters, as Telegram does."""
    chat = harness.user(language_code=locale)
    anchor = (await chat.send("/menu"))[0].message_id
    weak_numbers = [op.hotline.value for op in load_operators().values()
                    if op.hotline and op.hotline.confidence is Confidence.L]
    for entry in ENTRIES:
        shown = await chat.press_data(anchor, QuestionTopicCb(entry=entry.id).pack())
        answer = shown[-1]
        assert answer.text.startswith(heading(gettext, entry.id, locale)), entry.id
        assert utf16_length(answer.text) <= MAX_TEXT
        assert "{" not in answer.text and not any(number in answer.text for number in weak_numbers)
        for operator in (load_operators() if entry.operator_text else ()):
            shown = await chat.press_data(answer.message_id, QuestionOperatorCb(entry=entry.id, op=operator).pack())
            assert shown[-1].text.startswith(heading(gettext, entry.id, locale)), (entry.id, operator)
            assert utf16_length(shown[-1].text) <= MAX_TEXT and "{" not in shown[-1].text
            assert not any(number in shown[-1].text for number in weak_numbers)


# --- the "ask" entry --------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
async def test_ask_entry_explains_and_offers_topics_by_section(harness: Harness, gettext, locale: str) -> None:
    chat = harness.user(language_code=locale)
    await chat.send("/menu")
    shown = await chat.press(gettext(LABELS["ask"], locale))
    assert all(parse_html(gettext(example, locale)) in shown[-1].text for example in ASK_EXAMPLES)
    home = gettext("🏠 Menu", locale)
    assert shown[-1].button_texts() == [*(gettext(title, locale) for title in SECTION_TITLES.values()), home]
    sections = shown[-1].message_id

    # Sections and topics take turns in one message, with a way back and home.
    shown = await chat.press(gettext(SECTION_TITLES["money"], locale))
    titles = [gettext(entry.title, locale) for entry in section_entries("money")]
    assert shown[-1].kind == "edit" and shown[-1].message_id == sections
    assert shown[-1].button_texts() == [*titles, gettext("⬅️ Back", locale), home]
    shown = await chat.press(gettext("⬅️ Back", locale))
    assert shown[-1].kind == "edit" and gettext(SECTION_TITLES["money"], locale) in shown[-1].button_texts()
    await chat.press(gettext(SECTION_TITLES["money"], locale))
    # An answer is worth keeping: it comes as a new message.
    shown = await chat.press(titles[0])
    assert shown[-1].kind == "message"
    assert shown[-1].text.startswith(heading(gettext, section_entries("money")[0].id, locale))
    shown = await chat.press(home)
    assert shown[-1].kind == "message" and shown[-1].text == gettext("What would you like to do?", locale)


async def test_each_ask_example_typed_gets_an_answer(harness: Harness, gettext) -> None:
    chat = harness.user(language_code="zh")
    for example in ASK_EXAMPLES:
        shown = await chat.send(gettext(example, "zh"))
        assert "👍" in shown[0].button_texts(), example


# --- votes ------------------------------------------------------------------------------


async def test_a_vote_is_stored_and_changing_it_replaces_it(harness: Harness, gettext) -> None:
    chat = harness.user(language_code="ru")
    answer = (await chat.send("как вернуть остаток"))[0].message_id
    thanks = gettext("Thank you! Your vote is noted; you can still change it.", "ru")

    shown = await chat.press("👍", message_id=answer)
    assert shown[0].kind == "toast" and shown[0].text == thanks
    assert shown[-1].kind == "edit" and shown[-1].button_texts()[:2] == ["• 👍", "👎"]
    assert await votes(harness) == [(42, answer, "money_balance", 1)]

    shown = await chat.press("👎", message_id=answer)
    assert shown[-1].button_texts()[:2] == ["👍", "• 👎"]
    assert await votes(harness) == [(42, answer, "money_balance", 0)]

    shown = await chat.press("• 👎", message_id=answer)  # the same vote again: nothing to edit
    assert [s.kind for s in shown] == ["toast"]
    assert await votes(harness) == [(42, answer, "money_balance", 0)]

    other = (await chat.send("как вернуть остаток"))[0].message_id
    await chat.press("👍", message_id=other)
    assert len(await votes(harness)) == 2  # once per answer message


async def test_a_vote_on_an_answer_from_before_a_restart_still_counts(harness: Harness) -> None:
    chat = harness.user(language_code="en")
    answer = (await chat.send("how much does it cost to cancel"))[0].message_id
    await harness.restart()
    shown = await harness.rebind(chat).press("👎", message_id=answer)
    assert shown[0].kind == "toast"
    assert await votes(harness) == [(42, answer, "money_cost", 0)]


async def test_forget_deletes_the_users_votes(harness: Harness) -> None:
    chat = harness.user(language_code="en")
    answer = (await chat.send("how much does it cost to cancel"))[0].message_id
    await chat.press("👍", message_id=answer)
    await chat.send("what's the weather")
    await chat.send("/forget")
    await chat.press("🗑 Yes, delete everything")
    assert await votes(harness) == []
    assert len(await unanswered(harness)) == 1  # anonymous: nothing ties it to the user


@pytest.mark.parametrize(
    "data",
    ["qt:no_such_entry", "qt", "qs:nowhere", "qv:no_such_entry:1", "qv:contacts:maybe", "qv:contacts", "q", "qx:1",
     "qo:contacts:motiv", "qo:money_cost:mts", "qo:nothing:mts"],
)
async def test_forged_or_stale_question_buttons_are_answered_politely(harness: Harness, gettext, data: str) -> None:
    chat = harness.user(language_code="zh")
    answer = (await chat.send("beeline hotline"))[0].message_id
    shown = await chat.press_data(answer, data)
    assert shown[0].kind == "toast" and shown[0].text == gettext(STALE, "zh")
    assert shown[-1].button_texts() == menu_labels(gettext, "zh")
    assert await votes(harness) == []


@pytest.mark.parametrize(("data", "entry_id"), [("qt:store_find", "cancel_in_person"),
                                               ("qo:lapse_daily_fee:mts", "lapse_do_nothing"),
                                               ("qt:scam_sim_limit", "scam_expiring")])
async def test_a_button_of_a_topic_merged_into_another_shows_that_answer(
        harness: Harness, gettext, data: str, entry_id: str) -> None:
    chat = harness.user(language_code="ru")
    answer = (await chat.send("как найти салон мтс"))[0].message_id
    shown = await chat.press_data(answer, data)
    assert shown[-1].text.startswith(heading(gettext, entry_id, "ru"))
    assert QuestionVoteCb(entry=entry_id, helpful=True).pack() in [
        button["callback_data"] for row in shown[-1].buttons for button in row]


async def test_a_vote_button_packs_within_telegrams_limit() -> None:
    longest = max(ENTRIES, key=lambda entry: len(entry.id))
    assert len(QuestionVoteCb(entry=longest.id, helpful=False).pack().encode()) <= 64


# --- /privacy tells the truth -------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
async def test_privacy_says_unanswered_questions_are_kept_without_the_id(harness: Harness, locale: str) -> None:
    shown = await harness.user(language_code=locale).send("/privacy")
    expected = {"en": "without your id", "zh": "不带你的 ID", "ru": "без вашего id"}[locale]
    assert expected in shown[0].text
    assert re.search("👍/👎", shown[0].text)
