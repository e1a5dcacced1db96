"""The pure side of typed questions: decisions, the operator card, what is kept of a question."""

from __future__ import annotations

import re

import pytest

from flows.knowledge import ENTRIES, Entry
from flows.operators import Operator, load_operators
from flows.qa import MatchResult, Scored, build_index, match
from flows.questions import (
    ASK_EXAMPLES,
    SECTION_TITLES,
    UNANSWERED_MAX_CHARS,
    Answer,
    Fallback,
    decide,
    entries_by_id,
    entry_operator,
    follow_up_menu_entry,
    has_contacts_placeholder,
    section_entries,
    unanswered_record,
)
from flows.menu import MENU_IDS

ENTRIES_BY_ID = entries_by_id()


# --- decide -------------------------------------------------------------------------


def test_a_confident_match_is_answered() -> None:
    result = MatchResult(Scored("op_mts", 0.9), True, (Scored("op_mts", 0.9), Scored("op_t2", 0.3)))
    assert decide(result, ENTRIES_BY_ID) == Answer(ENTRIES_BY_ID["op_mts"])


def test_an_unsure_match_offers_the_closest_topics_instead_of_guessing() -> None:
    closest = (Scored("op_mts", 0.2), Scored("op_t2", 0.1), Scored("money_debt", 0.05))
    decision = decide(MatchResult(closest[0], False, closest), ENTRIES_BY_ID)
    assert decision == Fallback(tuple(ENTRIES_BY_ID[s.entry_id] for s in closest))


def test_topics_sharing_nothing_with_the_text_are_not_offered() -> None:
    closest = (Scored("op_mts", 0.1), Scored("op_t2", 0.0), Scored("money_debt", 0.0))
    assert decide(MatchResult(closest[0], False, closest), ENTRIES_BY_ID) == Fallback((ENTRIES_BY_ID["op_mts"],))


def test_nothing_to_match_offers_nothing() -> None:
    assert decide(MatchResult(None, False, ()), ENTRIES_BY_ID) == Fallback(())


# --- follow-ups and the knowledge base's operator facts ------------------------------


@pytest.mark.parametrize(
    ("follow_up", "operator", "menu_entry"),
    [(None, None, None), ("check", None, "check"), ("checklist", None, "checklist"),
     ("operator:t2", "t2", "contacts")],
    ids=["none", "check", "checklist", "operator"],
)
def test_follow_up_targets(follow_up: str | None, operator: str | None, menu_entry: str | None) -> None:
    entry = Entry(id="x", section="cancel", title="t", answer="a", follow_up=follow_up)
    assert (entry_operator(entry), follow_up_menu_entry(entry)) == (operator, menu_entry)


def test_every_follow_up_leads_to_a_menu_entry_and_every_operator_exists() -> None:
    operators = load_operators()
    for entry in ENTRIES:
        assert follow_up_menu_entry(entry) in MENU_IDS | {None}, entry.id
        assert entry_operator(entry) in set(operators) | {None}, entry.id


def test_contacts_placeholder_only_where_an_operator_is_known() -> None:
    with_placeholder = [entry.id for entry in ENTRIES if has_contacts_placeholder(entry)]
    assert sorted(with_placeholder) == ["op_beeline", "op_megafon", "op_mts", "op_t2", "op_yota"]
    assert all(entry_operator(ENTRIES_BY_ID[entry_id]) for entry_id in with_placeholder)


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@pytest.mark.parametrize("operator", load_operators().values(), ids=lambda op: op.id)
def test_no_operator_number_is_written_into_the_knowledge_base(operator: Operator, gettext) -> None:
    """Phone numbers live in operators.json only, so that a correction there is complete."""
    numbers = [digits(fact.value) for fact in (operator.hotline, operator.short_number) if fact]
    for entry in ENTRIES:
        for locale in ("en", "zh", "ru"):
            text = digits(gettext(entry.answer, locale))
            assert not any(number in text for number in numbers), (entry.id, locale)


# --- what is kept of an unanswered question ------------------------------------------


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("what's the weather?", "what's the weather?"),
        ("  many \n  spaces\t here ", "many spaces here"),
        ("my number +7 (912) 345-67-89, cancel it", "my number ###, cancel it"),
        ("passport 4510 123456 help", "passport ### help"),
        ("write me at ivan.petrov@mail.ru please", "write me at …@… please"),
        ("tariff 300 rubles in 2025", "tariff 300 rubles in 2025"),
    ],
    ids=["plain", "whitespace", "phone", "passport", "email", "short-numbers-kept"],
)
def test_unanswered_record_masks_personal_data(text: str, kept: str) -> None:
    assert unanswered_record(text) == kept


@pytest.mark.parametrize("length", [UNANSWERED_MAX_CHARS, UNANSWERED_MAX_CHARS + 1, 4096])
def test_unanswered_record_is_at_most_200_characters(length: int) -> None:
    record = unanswered_record("a" * length)
    assert len(record) == min(length, UNANSWERED_MAX_CHARS)
    assert record.endswith("…") == (length > UNANSWERED_MAX_CHARS)


# --- the "ask" screen --------------------------------------------------------------


def test_every_section_has_a_title_and_topics() -> None:
    assert set(SECTION_TITLES) == {entry.section for entry in ENTRIES}
    assert sum(len(section_entries(section)) for section in SECTION_TITLES) == len(ENTRIES)


# Each example, in each language, must be answered: an example the bot cannot answer
# would teach the user that asking does not work. Two entries fit some of them.
EXAMPLE_ANSWERS = (
    {"sim_data_only", "cancel_online"},
    {"money_balance"},
    {"op_beeline"},
    {"sim_keep_number", "lapse_do_nothing"},
)


@pytest.mark.parametrize("locale", ["zh", "ru", "en"])
def test_ask_examples_are_answered_in_every_language(locale: str, gettext) -> None:
    index = build_index()
    assert len(ASK_EXAMPLES) == len(EXAMPLE_ANSWERS)
    for example, expected in zip(ASK_EXAMPLES, EXAMPLE_ANSWERS):
        assert match(index, gettext(example, locale)).entry_id in expected, (locale, example)
