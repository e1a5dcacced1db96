import pytest

from flows.channels import CHANNELS, SUMMARIES, Channel, recommend
from flows.facts import Confidence
from flows.operators import load_operators
from tests.conftest import CLEAN_ANSWERS, clean_answers
from tests.test_eligibility import entry

TAIL = ["hotline", "lapse"]

RANKING_CASES = [
    # (id, answers, cancelling channels best first; hotline and lapse always follow)
    ("russia-gosuslugi", CLEAN_ANSWERS, ["store", "gosuslugi"]),
    ("russia-no-gosuslugi", clean_answers(gosuslugi="no"), ["store"]),
    ("russia-what-is-gosuslugi", clean_answers(gosuslugi="unknown"), ["store"]),
    ("russia-t2-gosuslugi", clean_answers(operator="t2"), ["store", "gosuslugi"]),
    ("abroad-gosuslugi-leads", clean_answers(location="abroad"),
     ["gosuslugi", "representative", "store"]),
    ("abroad-t2-gosuslugi-never-leads", clean_answers(location="abroad", operator="t2"),
     ["representative", "store", "gosuslugi"]),
    ("abroad-no-gosuslugi", clean_answers(location="abroad", gosuslugi="no"),
     ["representative", "store"]),
    ("abroad-yota-unknown-gosuslugi", clean_answers(location="abroad", operator="yota",
                                            gosuslugi="unknown"),
     ["representative", "store"]),
    ("abroad-operator-other", clean_answers(location="abroad", operator="other"),
     ["gosuslugi", "representative", "store"]),
    ("someone-else-russia", clean_answers(owner="someone_else"), ["store", "representative"]),
    # The user's own Gosuslugi cannot act on someone else's number, even if "yes" is forged.
    ("someone-else-abroad", clean_answers(owner="someone_else", location="abroad"),
     ["store", "representative"]),
    # A seller's SIM: the buyer has no contract; the one way is through the seller.
    ("seller", clean_answers(owner="seller"), ["store"]),
    ("seller-abroad", clean_answers(owner="seller", location="abroad"), ["store"]),
    ("owner-unsure-keeps-gosuslugi", clean_answers(owner="unsure"), ["store", "gosuslugi"]),
    ("lost-sim-same-routes", clean_answers(sim_works="blocked_or_lost"), ["store", "gosuslugi"]),
    ("empty", {}, ["store"]),
    ("only-location-abroad", {"location": "abroad"}, ["representative", "store"]),
]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [c[1:] for c in RANKING_CASES],
    ids=[c[0] for c in RANKING_CASES],
)
def test_ranking(answers: dict[str, str], expected: list[str]) -> None:
    assert [c.id for c in recommend(answers, entry(answers))] == expected + TAIL


def warnings_of(answers: dict[str, str], channel_id: str) -> tuple[str, ...]:
    return next(c for c in recommend(answers, entry(answers)) if c.id == channel_id).warnings


WARNING_CASES = [
    # (id, answers, channel, a word the added warning must contain, expected present)
    ("t2-power-of-attorney", clean_answers(operator="t2", location="abroad", balance="yes"),
     "representative", "receive money", True),
    ("t2-power-of-attorney-no-money", clean_answers(operator="t2", location="abroad"), "representative",
     "receive money", False),
    ("mts-no-money-right-warning", clean_answers(location="abroad", balance="yes"), "representative",
     "receive money", False),
    ("t2-gosuslugi-may-be-refused", clean_answers(operator="t2"), "gosuslugi", "only in its own stores", True),
    ("mts-gosuslugi", CLEAN_ANSWERS, "gosuslugi", "only in its own stores", False),
    ("store-abroad-on-return", clean_answers(location="abroad"), "store", "back in Russia", True),
    ("store-in-russia", CLEAN_ANSWERS, "store", "back in Russia", False),
    # The holder acts, so the user's own return to Russia does not matter.
    ("holder-store-abroad", clean_answers(owner="someone_else", location="abroad"), "store",
     "back in Russia", False),
    # From the registry: L or "ask first" about how contracts end (Yota, T-Mobile).
    ("store-yota-unconfirmed", clean_answers(operator="yota"), "store", "could not confirm", True),
    ("store-tmobile-unconfirmed", clean_answers(operator="tmobile"), "store", "could not confirm", True),
    ("store-mts", CLEAN_ANSWERS, "store", "could not confirm", False),
    ("hotline-abroad-8800", clean_answers(location="abroad"), "hotline", "8 800", True),
    ("hotline-in-russia", CLEAN_ANSWERS, "hotline", "8 800", False),
    ("hotline-lost-sim", clean_answers(sim_works="blocked_or_lost"), "hotline", "blocked", True),
    ("hotline-working-sim", CLEAN_ANSWERS, "hotline", "blocked", False),
]


@pytest.mark.parametrize(
    ("answers", "channel_id", "word", "present"),
    [c[1:] for c in WARNING_CASES],
    ids=[c[0] for c in WARNING_CASES],
)
def test_answer_dependent_warnings(answers: dict[str, str], channel_id: str, word: str,
                                   present: bool) -> None:
    assert any(word in w for w in warnings_of(answers, channel_id)) is present


def test_added_warnings_do_not_change_the_shared_channel() -> None:
    answers = clean_answers(operator="t2", location="abroad", balance="yes")
    assert any("receive money" in w for w in warnings_of(answers, "representative"))
    assert not any("receive money" in w for w in CHANNELS["representative"].warnings)


def test_hotline_says_it_does_not_cancel() -> None:
    assert any("does not end the contract" in w for w in CHANNELS["hotline"].warnings)
    assert not any("end the contract" in s for s in CHANNELS["hotline"].steps)


def test_lapse_warns_about_recycled_numbers_and_daily_fees() -> None:
    text = " ".join(CHANNELS["lapse"].warnings + CHANNELS["lapse"].steps)
    assert "next owner" in text and "daily fee" in text.lower()
    assert "check your tariff terms" in text  # M/L figures are hedged


@pytest.mark.parametrize("channel_id", ["store", "representative"])
def test_in_person_routes_ask_for_confirmation_and_a_bank_refund(channel_id: str) -> None:
    channel = CHANNELS[channel_id]
    asks = " ".join(channel.ask_for)
    assert "written confirmation" in asks
    assert "bank account" in asks
    # Whether cash is paid is the operator's fact, worded from the registry in the verdict.
    assert "cash" not in asks
    assert channel.steps and channel.bring and channel.check


def test_gosuslugi_says_only_what_is_confirmed() -> None:
    channel = CHANNELS["gosuslugi"]
    text = " ".join((*channel.steps, *channel.bring, *channel.ask_for, *channel.check, *channel.warnings))
    assert any("confirmed Gosuslugi account" in b for b in channel.bring)
    assert "refuse it or block it" in text and "press reports" in text
    assert "old passport can be missing" in text
    assert "SMS code" in text  # the login may need the very number being cancelled
    assert any("confirm that the contract was ended" in a for a in channel.ask_for)
    # Details no source gives.
    assert "kept in Gosuslugi" not in text and "shows as done" not in text
    assert "apply to end the contract" not in text


def test_store_and_gosuslugi_summaries_are_hedged() -> None:
    assert "works for every operator" not in SUMMARIES["store"].lower()
    assert "not confirmed for every operator" in SUMMARIES["store"]
    assert "From anywhere" not in SUMMARIES["gosuslugi"] and "may need an SMS code" in SUMMARIES["gosuslugi"]


def channel(answers: dict[str, str], channel_id: str) -> Channel:
    return next(c for c in recommend(answers, entry(answers)) if c.id == channel_id)


def lines(c: Channel) -> str:
    return " ".join((c.title, *c.steps, *c.bring, *c.ask_for, *c.check, *c.warnings))


# (id, answers, channel, phrases that must appear, phrases that must not)
TAILORING_CASES = [
    ("own-money-back", clean_answers(balance="yes"), "store",
     ["Your bank account details", "paid to your bank account"], ["holder"]),
    # "No money to get back" and a debt both leave out every balance line.
    ("no-money", CLEAN_ANSWERS, "store", ["written confirmation"], ["bank account", "balance"]),
    ("debt", clean_answers(debt="yes", balance="yes"), "store", ["written confirmation"],
     ["bank account", "balance"]),
    ("gosuslugi-no-money", CLEAN_ANSWERS, "gosuslugi", ["confirm that the contract was ended."],
     ["balance will be returned"]),
    ("gosuslugi-money", clean_answers(balance="yes"), "gosuslugi", ["balance will be returned"], []),
    ("own-dealer-kiosk", CLEAN_ANSWERS, "store", ["own store", "dealer"], []),
    # Someone else's number, wherever the user is: the holder acts, the balance is theirs.
    ("holder-abroad", clean_answers(owner="someone_else", location="abroad", balance="yes"), "store",
     ["The holder", "their passport", "re-register", "переоформление", "holder's bank account",
      "which is the holder's"],
     ["back in Russia", "Your bank account", "your bank account", "The passport the number"]),
    ("holder-in-russia-no-money", clean_answers(owner="someone_else"), "store",
     ["The holder", "photo of the written confirmation"], ["bank account"]),
    ("holder-representative", clean_answers(owner="someone_else"), "representative",
     ["Russian consulate", "apostille", "ask the operator before you pay"], []),
    ("own-abroad-representative", clean_answers(location="abroad", gosuslugi="no"), "representative",
     ["Russian consulate", "apostille", "certified Russian translation"], []),
    ("seller", clean_answers(owner="seller", balance="yes"), "store",
     ["Ask the seller", "stop topping up", "Never send a seller photos of your passport"],
     ["bank account", "your passport.", "re-register"]),
]


@pytest.mark.parametrize(
    ("answers", "channel_id", "present", "absent"),
    [c[1:] for c in TAILORING_CASES],
    ids=[c[0] for c in TAILORING_CASES],
)
def test_lines_fit_the_person(answers, channel_id, present, absent) -> None:
    text = lines(channel(answers, channel_id))
    for phrase in present:
        assert phrase in text, phrase
    for phrase in absent:
        assert phrase not in text, phrase


def test_no_channel_quotes_a_number_of_days_for_refunds() -> None:
    for channel in CHANNELS.values():
        for text in channel.ask_for:
            assert "day" not in text


def test_operator_rules_come_from_the_registry_not_from_an_id() -> None:
    operators = load_operators()
    t2, mts = operators["t2"], operators["mts"]
    abroad = clean_answers(location="abroad", balance="yes")
    assert [c.id for c in recommend(abroad, t2)][:2] == ["representative", "store"]
    # MTS given T2's facts is ranked and warned like T2; T2 given MTS's facts like MTS.
    store_only = mts.model_copy(update={"cancellation": t2.cancellation, "poa_money_right": t2.poa_money_right})
    assert [c.id for c in recommend(abroad, store_only)] == [c.id for c in recommend(abroad, t2)]
    assert recommend(abroad, store_only) == recommend({**abroad, "operator": "t2"}, t2)
    like_mts = t2.model_copy(update={"cancellation": mts.cancellation, "poa_money_right": None})
    assert recommend({**abroad, "operator": "t2"}, like_mts)[0].id == "gosuslugi"
    # A store-only rule the sources do not support (L) changes nothing.
    weak = mts.model_copy(update={"cancellation": t2.cancellation.model_copy(update={"confidence": Confidence.L})})
    assert recommend(abroad, weak)[0].id == "gosuslugi"
