"""Confidence decides the wording, in one place; the operator card built from the registry."""

from datetime import date

import pytest

from bot.local_api import parse_html
from flows.facts import Confidence, Reader, hedge, hedge_value, local_date
from flows.operator_texts import (
    cancellation_text,
    card_paragraphs,
    inactivity_text,
    refund_text,
)
from flows.operators import Operator, load_operators
from flows.split import MAX_MESSAGE, split_message, utf16_length

LANGS = ["zh", "ru", "en"]

# What each confidence must say, per language (H: nothing added).
HEDGES = {
    "zh": {Confidence.M: ("通常是这样", "确认"), Confidence.L: ("未能核实", "询问")},
    "ru": {Confidence.M: ("Обычно это так", "уточните"), Confidence.L: ("Подтвердить это мы не смогли", "уточните")},
    "en": {Confidence.M: ("usually so", "confirm"), Confidence.L: ("could not confirm", "ask")},
}


@pytest.fixture
def readers(gettext) -> dict[str, Reader]:
    return {lang: Reader(t=lambda msgid, lang=lang: gettext(msgid, lang), lang=lang) for lang in LANGS}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("confidence", list(Confidence))
def test_each_confidence_is_worded_in_every_language(readers, lang: str, confidence: Confidence) -> None:
    text = hedge(readers[lang], "FACT.", confidence, "MTS")
    if confidence is Confidence.H:
        assert text == "FACT."
        return
    assert text.startswith("FACT.") and "MTS" in text
    for words in HEDGES[lang][confidence]:
        assert words in text, (lang, confidence, text)


@pytest.mark.parametrize("lang", LANGS)
def test_values_are_hedged_with_the_site_to_check(readers, lang: str) -> None:
    reader = readers[lang]
    assert hedge_value(reader, "8 800", Confidence.H, "mts.ru") == "8 800"
    for confidence in (Confidence.M, Confidence.L):
        text = hedge_value(reader, "8 800", confidence, "mts.ru")
        assert text.startswith("8 800") and "mts.ru" in text and text != "8 800"


def test_dates_in_the_readers_format(readers) -> None:
    day = date(2026, 11, 30)
    assert local_date(readers["zh"], day) == "2026年11月30日"
    assert local_date(readers["ru"], day).startswith("30 ноября 2026")
    assert local_date(readers["en"], day) == "November 30, 2026"


def card(reader: Reader, operator: Operator) -> str:
    chunks = split_message(card_paragraphs(reader, operator, load_operators()))
    assert len(chunks) == 1 and utf16_length(chunks[0]) <= MAX_MESSAGE
    return parse_html(chunks[0])  # fails as Telegram would on bad HTML


@pytest.mark.parametrize(
    ("operator_id", "shown", "hidden"),
    [
        ("mts", ["8 800 250-08-90", "0890", "mts.ru", "Мой МТС", "183"], []),
        ("beeline", ["8 800 700-06-11", "0611", "90", "180"], ["0600"]),
        ("t2", ["t2.ru", "120", "180"], ["555-06-11", "611"]),  # T2's number is L
        ("yota", ["yota.ru"], ["550-00-07", "550-00-55"]),
        ("tmobile", ["tbank.ru", "T-Bank"], []),
    ],
)
@pytest.mark.parametrize("lang", LANGS)
def test_operator_card(readers, lang: str, operator_id: str, shown: list[str], hidden: list[str]) -> None:
    operator = load_operators()[operator_id]
    text = card(readers[lang], operator)
    for fact in shown:
        assert fact in text
    for fact in hidden:
        assert fact not in text
    assert local_date(readers[lang], date(2026, 11, 30)) in text
    # Source names are in the reader's language, not English, outside English.
    if lang != "en":
        assert "official page" not in text and "secondary sources" not in text


def test_the_card_hedges_each_fact_at_its_own_confidence(readers) -> None:
    en = readers["en"]
    mts = card(en, load_operators()["mts"])  # hotline H, cancellation M, inactivity L
    assert "8 800 250-08-90 (usually" not in mts
    assert "usually so, but please confirm it with MTS" in mts
    assert "could not confirm this: please ask MTS" in mts
    megafon = card(en, load_operators()["megafon"])  # hotline M
    assert "8 800 550-05-00 (usually right; please confirm it on megafon.ru)" in megafon


def test_the_card_follows_the_data() -> None:
    """A corrected number in the registry is what users see, with no code change."""
    mts = load_operators()["mts"]
    fixed = mts.model_copy(update={"hotline": mts.hotline.model_copy(update={"value": "8 800 111-22-33"})})
    assert "8 800 111-22-33" in card(Reader(t=str, lang="en"), fixed)


def test_8_800_numbers_come_with_the_abroad_warning(readers) -> None:
    assert "cannot be dialled from outside Russia" in card(readers["en"], load_operators()["mts"])
    # No number is shown for T2, so there is nothing to warn about.
    assert "outside Russia" not in card(readers["en"], load_operators()["t2"])


def test_cancellation_wording_per_operator(readers) -> None:
    en, ops = readers["en"], load_operators()
    assert cancellation_text(en, ops["t2"]).startswith("T2 (Tele2) ends contracts only in its own stores")
    assert "right to receive money" in cancellation_text(en, ops["t2"])
    assert "could not confirm" not in cancellation_text(en, ops["t2"])  # H
    assert "usually so" in cancellation_text(en, ops["mts"])  # M
    tmobile = cancellation_text(en, ops["tmobile"])
    assert "We do not know how T-Mobile (Т-Мобайл) ends contracts" in tmobile and "T-Bank" in tmobile


def test_no_cash_is_stated_for_t2_only(readers) -> None:
    en, ops = readers["en"], load_operators()
    assert "not in cash" in refund_text(en, ops["t2"]) and "could not confirm" not in refund_text(en, ops["t2"])
    assert "could not confirm" in refund_text(en, ops["beeline"])
    assert "could not confirm the details for MTS" in refund_text(en, ops["mts"])


def test_lapse_counts_from_a_zero_balance(readers) -> None:
    text = inactivity_text(readers["en"], load_operators()["beeline"])
    assert "180 days after the balance reached zero" in text and "many months" in text
