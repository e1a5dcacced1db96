"""Help to act, in zh, ru and en: the store phrase card (Russian lines with the user's language
beside them) and a message in Russian, ready to forward to the holder or the seller."""

from __future__ import annotations

import re

import pytest

from bot.local_api import parse_html
from flows.phrases import (
    HOLDER_INTRO,
    HOLDER_MESSAGE,
    SELLER_MESSAGE,
    STORE_GROUPS,
    STORE_WORDS,
)
from tests.conftest import Harness
from tests.test_eligibility_flow import answer, start_check

CYRILLIC = re.compile("[а-яА-ЯёЁ]")
SOMEONE_ELSE = {"sim_type": "ordinary", "operator": "mts", "owner": "someone_else", "location": "abroad",
                "sim_works": "yes", "debt": "no", "balance": "yes", "foreign_confirmed": "yes"}
SELLER = {"sim_type": "data_only", "operator": "megafon", "owner": "seller", "location": "russia",
          "sim_works": "yes"}


async def finish(harness: Harness, gettext, locale: str, answers: dict[str, str]):
    chat, shown = await start_check(harness, gettext, locale, locale)
    for option in answers.values():
        shown = await answer(chat, option)
        if not shown[-1].text.startswith(gettext("Question {current}/{total}", locale).split("{")[0]):
            break
    return chat, shown[-1]


@pytest.mark.parametrize("locale", ["zh", "ru", "en"])
async def test_the_store_phrase_card_is_russian_with_the_users_language_beside(
        harness: Harness, gettext, locale: str) -> None:
    chat, card = await finish(harness, gettext, locale, SOMEONE_ELSE)
    await chat.press(gettext("📄 Steps of the best way", locale))
    shown = await chat.press(gettext("🗣 What to say at the store", locale))
    assert len(shown) == 1 and shown[0].kind == "message"  # kept in the chat, to show at the store
    text = shown[0].text
    for group in STORE_GROUPS:
        for phrase in group.phrases:
            assert "🇷🇺 " + gettext(phrase, "ru") in text
            assert (gettext(phrase, locale) in text.replace("🇷🇺 " + gettext(phrase, "ru"), "")) is (locale != "ru")
    for word, meaning in STORE_WORDS:
        assert (f"{word} — {gettext(meaning, locale)}" in text) is (locale != "ru")
    assert "паспорт" in text and "заявление" in text and "реквизиты" in text
    assert len(text) <= 4096


@pytest.mark.parametrize("locale", ["zh", "ru", "en"])
async def test_a_message_for_the_holder_comes_ready_to_forward(harness: Harness, gettext, locale: str) -> None:
    chat, card = await finish(harness, gettext, locale, SOMEONE_ELSE)
    shown = await chat.press(gettext("📤 Message for the holder, in Russian", locale))
    assert [s.kind for s in shown] == ["message", "message"]
    assert shown[0].text.startswith(parse_html(gettext(HOLDER_INTRO, locale))[:20])
    message = shown[1]
    # In Russian, alone and without buttons, so that it forwards cleanly.
    assert message.text == parse_html(gettext(HOLDER_MESSAGE, "ru")) and not message.buttons
    assert "нотариальной доверенности" in message.text and "уточните" in message.text.lower()
    # The card is still there, with its buttons.
    assert harness.api.messages[(42, card.message_id)]["reply_markup"]


@pytest.mark.parametrize("locale", ["zh", "ru", "en"])
async def test_a_sellers_sim_gets_a_message_for_the_seller(harness: Harness, gettext, locale: str) -> None:
    chat, card = await finish(harness, gettext, locale, SELLER)
    assert gettext("📤 Message for the holder, in Russian", locale) not in card.button_texts()
    shown = await chat.press(gettext("📤 Message for the seller, in Russian", locale))
    assert shown[-1].text == parse_html(gettext(SELLER_MESSAGE, "ru")) and CYRILLIC.search(shown[-1].text)


async def test_no_message_to_forward_when_the_number_is_ones_own(harness: Harness, gettext) -> None:
    own = {"sim_type": "ordinary", "operator": "mts", "owner": "me", "location": "abroad", "sim_works": "yes",
           "debt": "no", "balance": "yes", "gosuslugi": "no", "foreign_confirmed": "yes"}
    _, card = await finish(harness, gettext, "en", own)
    assert not any(label.startswith("📤") for label in card.button_texts())
