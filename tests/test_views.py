"""The rendered texts, in every language: they fit, parse, lead with the status and hedge."""

from collections.abc import Callable
from functools import cache

import pytest

from bot.local_api import parse_html
from bot.screens.check import (
    STATUS_LINES,
    STATUS_SHORT,
    VERDICT_PARTS,
    verdict_card,
    verdict_sections,
)
from bot.screens.howto import CONFIRM_UNKNOWN, CONFIRM_WITH, overview_paragraphs
from flows.channels import CHANNELS, SUMMARIES, Channel, recommend
from flows.eligibility import Status, Verdict, assess
from flows.facts import Reader
from flows.operator_texts import _range
from flows.operators import Operator, load_operators
from flows.split import MAX_MESSAGE, split_message, utf16_length
from tests.conftest import CLEAN_ANSWERS, clean_answers
from tests.test_eligibility import complete_paths

LOCALES = ["zh", "ru", "en"]


@pytest.fixture(params=LOCALES)
def t(request, gettext) -> Callable[[str], str]:
    return lambda msgid: gettext(msgid, request.param)


def rendered(paragraphs: list[str]) -> list[str]:
    """The messages as Telegram shows them; fails as Telegram would on bad HTML."""
    chunks = split_message(paragraphs)
    assert all(utf16_length(chunk) <= MAX_MESSAGE for chunk in chunks)
    return [parse_html(chunk) for chunk in chunks]


def verdict_paragraphs(t, verdict: Verdict, channels, operator: Operator | None, lang: str) -> list[str]:
    """The whole verdict: every part behind the card's buttons, in reading order."""
    sections = verdict_sections(Reader(t, lang), verdict, channels, operator)
    assert list(sections) == [part for part in VERDICT_PARTS if part in sections]
    return [paragraph for part in sections.values() for paragraph in part]


@cache
def distinct_verdicts() -> tuple[tuple[Verdict, tuple[Channel, ...], Operator | None], ...]:
    """What a verdict message can depend on, over every way through the check, with each
    operator of the registry and with one it does not know. Operators whose facts in a
    verdict are alike (how contracts end, refunds) differ only by name: one of them is
    enough."""
    operators = load_operators()
    distinct = {}
    for answers in complete_paths():
        for operator in (None, *operators.values()):
            if operator is not None:
                answers = {**answers, "operator": operator.id}
            verdict, channels = assess(answers, operator), tuple(recommend(answers, operator))
            facts = tuple((f.value, f.confidence) if f else None
                          for f in (operator.cancellation, operator.poa_money_right, operator.refund)) if operator else None
            key = (verdict, channels, facts)
            distinct.setdefault(key, (verdict, channels, operator))
    return tuple(distinct.values())


def test_every_possible_verdict_card_is_short_and_its_parts_fit(t) -> None:
    assert len(distinct_verdicts()) > 50
    for verdict, channels, operator in distinct_verdicts():
        card = rendered([verdict_card(Reader(t, "en"), verdict, channels, operator)])
        assert len(card) == 1, "the card is one message"
        assert card[0].startswith(parse_html(t(STATUS_LINES[verdict.status])))
        assert len(card[0].split("\n")) <= 12 and len(card[0]) <= 1200, card[0]
        for blocker in verdict.blockers[:3]:
            assert parse_html(t(blocker.title)) in card[0]
        for paragraphs in verdict_sections(Reader(t, "en"), verdict, channels, operator).values():
            rendered(paragraphs)


@pytest.mark.parametrize(
    ("answers", "operator", "order"),
    [
        (CLEAN_ANSWERS, "mts", ["Can", "store", "before", "confirm"]),
        (clean_answers(debt="yes"), "mts", ["AFTER", "debt", "store", "before", "confirm"]),
        (clean_answers(owner="someone_else", operator="unsure"), None,
         ["NEEDS", "owner_someone_else", "operator_unknown", "store", "before", "confirm"]),
    ],
    ids=["clean", "debt", "someone-else-unknown-operator"],
)
def test_verdict_order(answers, operator, order) -> None:
    identity = str
    verdict = assess(answers)
    registry_operator = load_operators().get(operator or "")
    card = verdict_card(Reader(identity, "en"), verdict, recommend(answers), registry_operator)
    assert card.split("\n")[0] == STATUS_LINES[verdict.status]  # the status first, one line
    paragraphs = verdict_paragraphs(identity, verdict, recommend(answers), registry_operator, "en")
    text = "\n\n".join(paragraphs)
    best = recommend(answers)[0].title
    before = "Before the contract is ended" if verdict.status is Status.NEEDS_SOMEONE_ELSE else "Before you cancel"
    marks = {
        "store": f"The best way for you: <b>{best}</b>",
        "before": f"<b>{before}</b>",
        "debt": "There is a debt on the number",
        "owner_someone_else": "The number is registered to someone else",
        "operator_unknown": "The operator is not known",
    }
    positions = [text.index(marks[m]) for m in order if m in marks]
    assert positions == sorted(positions)
    expected_confirm = CONFIRM_WITH.format(operator="<b>MTS</b>") if operator else CONFIRM_UNKNOWN
    assert card.endswith(f"<i>{expected_confirm}</i>")
    assert expected_confirm in verdict_sections(Reader(identity, "en"), verdict, recommend(answers), registry_operator)["steps"]


def test_overview_names_every_channel_and_warns_about_the_hotline_and_lapse(t) -> None:
    text = "\n".join(rendered(overview_paragraphs(Reader(t, "en"))))
    for channel in CHANNELS.values():
        assert parse_html(t(channel.title)) in text
        assert parse_html(t(SUMMARIES[channel.id])) in text
    assert set(SUMMARIES) == set(CHANNELS)


def test_overview_words_in_english() -> None:
    text = "\n".join(overview_paragraphs(Reader(str, "en")))
    assert "a call does not end the contract" in text
    assert "daily fees" in text and "receives your codes" in text


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [(None, None, None), (45, 90, "45–90"), (90, 90, "90"), (5.0, 5.0, "5"), (2.5, 3, "2.5–3"),
     (None, 10, "≤10"), (3, None, "3+")],
    ids=["unknown", "range", "one", "float", "fraction", "at-most", "at-least"],
)
def test_range(low, high, expected) -> None:
    assert _range(low, high) == expected


def test_every_status_has_a_line_and_a_short_form() -> None:
    assert set(STATUS_LINES) == set(STATUS_SHORT) == set(Status)


def test_status_and_confirm_lines_do_not_contradict_themselves(gettext) -> None:
    # "Now" next to "after the steps below", and "before your visit" under a phone call.
    assert "уже сейчас" not in gettext(STATUS_LINES[Status.CAN_CANCEL_NOW], "ru")
    for msgid in (CONFIRM_WITH, CONFIRM_UNKNOWN):
        assert "визит" not in gettext(msgid, "ru") and "before you go" not in msgid
    # The holder may act through a representative, so zh must not say "in person".
    for msgid in (STATUS_LINES[Status.NEEDS_SOMEONE_ELSE], STATUS_SHORT[Status.NEEDS_SOMEONE_ELSE]):
        assert "出面" not in gettext(msgid, "zh") and "委托代理人" in gettext(msgid, "zh")
