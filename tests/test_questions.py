"""The pure side of typed questions: decisions, the operator card, what is kept of a question."""

from __future__ import annotations

import re

import pytest

from flows.facts import Reader
from flows.knowledge import ENTRIES, OPERATOR_TEXTS, Entry
from flows.menu import MENU_IDS
from flows.operators import Operator, load_operators
from flows.qa import Details, Kind, MatchResult, Scored, Where, build_index, match
from flows.questions import (
    ASK_EXAMPLES,
    SECTION_TITLES,
    SMALL_TALK,
    UNANSWERED_MAX_CHARS,
    Answer,
    Fallback,
    Reply,
    decide,
    entries_by_id,
    follow_up_menu_entry,
    operator_detail,
    section_entries,
    unanswered_record,
)

ENTRIES_BY_ID = entries_by_id()


# --- decide -------------------------------------------------------------------------

OPERATORS = tuple(load_operators())


def test_a_confident_match_is_answered() -> None:
    result = MatchResult(Scored("money_cost", 0.9), True, (Scored("money_cost", 0.9), Scored("money_debt", 0.3)))
    assert decide(result, ENTRIES_BY_ID, OPERATORS) == Answer(ENTRIES_BY_ID["money_cost"])


def test_the_named_operator_fills_in_an_answer_that_depends_on_it() -> None:
    result = MatchResult(Scored("cancel_app", 0.9), True, (), Details(operator="mts"))
    assert decide(result, ENTRIES_BY_ID, OPERATORS) == Answer(ENTRIES_BY_ID["cancel_app"], "mts")


def test_a_missing_operator_is_asked_for_when_the_answer_depends_on_it() -> None:
    result = MatchResult(Scored("contacts", 0.9), True, ())
    assert decide(result, ENTRIES_BY_ID, OPERATORS) == Answer(ENTRIES_BY_ID["contacts"], ask_operator=True)


def test_an_operator_is_ignored_where_the_answer_is_the_same_for_all() -> None:
    result = MatchResult(Scored("money_cost", 0.9), True, (), Details(operator="beeline"))
    assert decide(result, ENTRIES_BY_ID, OPERATORS) == Answer(ENTRIES_BY_ID["money_cost"])


def test_the_fallback_offers_topics_as_they_fit_the_users_case() -> None:
    """Someone abroad is offered "cancel from abroad", not the general how-to, and once."""
    closest = (Scored("cancel_how", 0.2), Scored("cancel_from_abroad", 0.15), Scored("money_debt", 0.1))
    result = MatchResult(closest[0], False, closest, Details(where=Where.ABROAD))
    assert decide(result, ENTRIES_BY_ID, OPERATORS) == Fallback(
        (ENTRIES_BY_ID["cancel_from_abroad"], ENTRIES_BY_ID["money_debt"]))


def test_an_operator_unknown_to_the_registry_is_asked_for() -> None:
    result = MatchResult(Scored("contacts", 0.9), True, (), Details(operator="motiv"))
    assert decide(result, ENTRIES_BY_ID, OPERATORS) == Answer(ENTRIES_BY_ID["contacts"], ask_operator=True)


def test_a_story_leads_with_the_check() -> None:
    answered = MatchResult(Scored("money_cost", 0.9), True, (Scored("money_cost", 0.9),), kind=Kind.STORY)
    assert decide(answered, ENTRIES_BY_ID, OPERATORS) == Answer(ENTRIES_BY_ID["money_cost"], offer_check=True)
    unclear = MatchResult(Scored("money_cost", 0.2), False, (Scored("money_cost", 0.2),), kind=Kind.STORY)
    assert decide(unclear, ENTRIES_BY_ID, OPERATORS) == Fallback((ENTRIES_BY_ID["money_cost"],), offer_check=True)


@pytest.mark.parametrize("kind", [Kind.GREETING, Kind.THANKS, Kind.ACK, Kind.TIME, Kind.EMPTY])
def test_what_is_not_a_question_gets_a_short_reply(kind: Kind) -> None:
    assert decide(MatchResult(None, False, (), kind=kind), ENTRIES_BY_ID, OPERATORS) == Reply(SMALL_TALK[kind])


def test_an_unsure_match_offers_the_closest_topics_instead_of_guessing() -> None:
    closest = (Scored("contacts", 0.2), Scored("money_cost", 0.1), Scored("money_debt", 0.05))
    decision = decide(MatchResult(closest[0], False, closest), ENTRIES_BY_ID, OPERATORS)
    assert decision == Fallback(tuple(ENTRIES_BY_ID[s.entry_id] for s in closest))


def test_topics_sharing_nothing_with_the_text_are_not_offered() -> None:
    closest = (Scored("contacts", 0.1), Scored("money_cost", 0.0), Scored("money_debt", 0.0))
    decision = decide(MatchResult(closest[0], False, closest), ENTRIES_BY_ID, OPERATORS)
    assert decision == Fallback((ENTRIES_BY_ID["contacts"],))


# --- follow-ups and the operator's part of an answer ---------------------------------


@pytest.mark.parametrize("follow_up", [None, "check", "checklist", "contacts"])
def test_follow_up_targets(follow_up: str | None) -> None:
    entry = Entry(id="x", section="cancel", title="t", answer="a", follow_up=follow_up)
    assert follow_up_menu_entry(entry) == follow_up


def test_every_follow_up_leads_to_a_menu_entry() -> None:
    for entry in ENTRIES:
        assert follow_up_menu_entry(entry) in MENU_IDS | {None}, entry.id


EN = Reader(t=str, lang="en")


def test_operator_texts_are_used_and_each_renders_for_every_operator() -> None:
    kinds = {entry.operator_text for entry in ENTRIES} - {None}
    assert kinds == OPERATOR_TEXTS
    registry = load_operators()
    for operator in registry.values():
        for kind in kinds:
            text = operator_detail(EN, kind, operator, registry)
            assert text.startswith(f"<b>For {operator.name('en')}:</b>\n") and "{" not in text, (operator.id, kind)


def test_the_operator_part_comes_from_the_registry() -> None:
    registry = load_operators()
    mts, t2, yota = registry["mts"], registry["t2"], registry["yota"]
    assert mts.hotline.value in operator_detail(EN, "contacts", mts, registry)
    assert "ends contracts only in its own stores" in operator_detail(EN, "cancellation", t2, registry)
    assert f"«{mts.app.value}»" in operator_detail(EN, "app", mts, registry)
    assert "We know of no app from T2" in operator_detail(EN, "app", t2, registry)
    inactivity = operator_detail(EN, "inactivity", yota, registry)
    assert "90" in inactivity and "check your tariff terms" in inactivity
    changed = mts.model_copy(update={"hotline": mts.hotline.model_copy(update={"value": "8 800 111-22-33"})})
    assert "8 800 111-22-33" in operator_detail(EN, "contacts", changed, registry)


def test_operator_data_is_escaped() -> None:
    registry = load_operators()
    mts = registry["mts"]
    mts = mts.model_copy(update={"app": mts.app.model_copy(update={"value": "<Мой & МТС>"})})
    assert "«&lt;Мой &amp; МТС&gt;»" in operator_detail(EN, "app", mts, registry)


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
    {"contacts"},
    {"sim_keep_number", "lapse_do_nothing"},
)


@pytest.mark.parametrize("locale", ["zh", "ru", "en"])
def test_ask_examples_are_answered_in_every_language(locale: str, gettext) -> None:
    index = build_index()
    assert len(ASK_EXAMPLES) == len(EXAMPLE_ANSWERS)
    for example, expected in zip(ASK_EXAMPLES, EXAMPLE_ANSWERS, strict=True):
        result = match(index, gettext(example, locale))
        assert result.entry_id in expected, (locale, example)
        assert result.details.operator == ("beeline" if expected == {"contacts"} else None), (locale, example)
