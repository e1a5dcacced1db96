"""The pure side of typed questions: decisions, the operator card, what is kept of a question."""

from __future__ import annotations

import re
from datetime import date

import pytest

from flows.knowledge import ENTRIES, OPERATOR_TEXTS, Entry
from flows.operators import CANCELLATION_TEXTS, Confidence, Operator, load_operators
from flows.qa import Details, Kind, MatchResult, Scored, build_index, match
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
    operator_card,
    operator_detail,
    operator_source,
    section_entries,
    unanswered_record,
)
from flows.menu import MENU_IDS

ENTRIES_BY_ID = entries_by_id()


def with_confidence(operator: Operator, **levels: str) -> Operator:
    confidence = operator.confidence.model_copy(update={k: Confidence(v) for k, v in levels.items()})
    return operator.model_copy(update={"confidence": confidence})


def card_text(operator: Operator) -> str:
    return "\n".join(line.msgid.format(**line.values) for line in operator_card(operator))


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


def test_an_operator_unknown_to_the_registry_is_asked_for() -> None:
    result = MatchResult(Scored("contacts", 0.9), True, (), Details(operator="motiv"))
    assert decide(result, ENTRIES_BY_ID, OPERATORS) == Answer(ENTRIES_BY_ID["contacts"], ask_operator=True)


def test_a_story_leads_with_the_check() -> None:
    answered = MatchResult(Scored("money_cost", 0.9), True, (Scored("money_cost", 0.9),), kind=Kind.STORY)
    assert decide(answered, ENTRIES_BY_ID, OPERATORS) == Answer(ENTRIES_BY_ID["money_cost"], offer_check=True)
    unclear = MatchResult(Scored("money_cost", 0.2), False, (Scored("money_cost", 0.2),), kind=Kind.STORY)
    assert decide(unclear, ENTRIES_BY_ID, OPERATORS) == Fallback((ENTRIES_BY_ID["money_cost"],), offer_check=True)


@pytest.mark.parametrize("kind", [Kind.GREETING, Kind.THANKS, Kind.TIME, Kind.EMPTY])
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


def test_operator_texts_are_used_and_each_renders_for_every_operator() -> None:
    kinds = {entry.operator_text for entry in ENTRIES} - {None}
    assert kinds == OPERATOR_TEXTS
    for operator in load_operators().values():
        for kind in kinds:
            text = operator_detail(str, kind, operator)
            assert text.startswith(f"<b>For {operator.name}:</b>\n") and "{" not in text, (operator.id, kind)


def test_the_operator_part_comes_from_the_registry() -> None:
    operators = load_operators()
    mts, t2, yota = operators["mts"], operators["t2"], operators["yota"]
    assert mts.hotline in operator_detail(str, "contacts", mts)
    assert CANCELLATION_TEXTS["t2"] in operator_detail(str, "cancellation", t2)
    assert f"«{mts.app}»" in operator_detail(str, "app", mts)
    assert "We could not confirm an app for T2" in operator_detail(str, "app", t2)
    inactivity = operator_detail(str, "inactivity", yota)
    assert "90" in inactivity and "check your tariff terms" in inactivity
    changed = mts.model_copy(update={"hotline": "8 800 111-22-33"})
    assert "8 800 111-22-33" in operator_detail(str, "contacts", changed)


def test_operator_data_is_escaped() -> None:
    mts = load_operators()["mts"].model_copy(update={"app": "<Мой & МТС>"})
    assert "«&lt;Мой &amp; МТС&gt;»" in operator_detail(str, "app", mts)


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@pytest.mark.parametrize("operator", load_operators().values(), ids=lambda op: op.id)
def test_no_operator_number_is_written_into_the_knowledge_base(operator: Operator, gettext) -> None:
    """Phone numbers live in operators.json only, so that a correction there is complete."""
    numbers = [digits(n) for n in (operator.hotline, operator.short_number) if n]
    for entry in ENTRIES:
        for locale in ("en", "zh", "ru"):
            text = digits(gettext(entry.answer, locale))
            assert not any(number in text for number in numbers), (entry.id, locale)


# --- the operator card --------------------------------------------------------------


def test_an_h_hotline_is_shown_without_a_hedge() -> None:
    mts = load_operators()["mts"]
    text = card_text(mts)
    assert mts.hotline in text and mts.short_number in text and "mts.ru" in text
    assert "confirm" not in text


def test_an_m_hotline_is_shown_with_a_hedge() -> None:
    text = card_text(load_operators()["megafon"])
    assert "8 800 550-05-00" in text and "Please confirm the number" in text


@pytest.mark.parametrize("operator_id", ["t2", "yota", "tmobile"])
def test_an_l_hotline_is_never_shown(operator_id: str) -> None:
    operator = load_operators()[operator_id]
    text = card_text(operator)
    for number in (operator.hotline, operator.short_number):
        assert number is None or digits(number) not in digits(text)
    assert "We could not confirm a hotline number" in text
    assert str(operator.website).rstrip("/") in text


def test_an_l_short_number_is_left_out_beside_a_known_hotline() -> None:
    beeline = with_confidence(load_operators()["beeline"], short_number="L")
    text = card_text(beeline)
    assert beeline.hotline in text and beeline.short_number not in text


def test_the_card_follows_the_data_file() -> None:
    """A corrected number in operators.json is what users see, with no code change."""
    mts = load_operators()["mts"].model_copy(update={"hotline": "8 800 111-22-33"})
    assert "8 800 111-22-33" in card_text(mts)


def test_sources_and_date_travel_with_the_facts() -> None:
    beeline = load_operators()["beeline"].model_copy(update={"date_checked": date(2026, 1, 2)})
    source = operator_source(beeline)
    rendered = source.msgid.format(**source.values)
    assert all(s.name in rendered for s in beeline.sources) and "2026-01-02" in rendered


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
    for example, expected in zip(ASK_EXAMPLES, EXAMPLE_ANSWERS):
        result = match(index, gettext(example, locale))
        assert result.entry_id in expected, (locale, example)
        assert result.details.operator == ("beeline" if expected == {"contacts"} else None), (locale, example)
