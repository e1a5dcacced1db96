import pytest

from flows.channels import CHANNELS, recommend

BASE = {
    "sim_type": "ordinary",
    "operator": "mts",
    "owner": "me",
    "location": "russia",
    "sim_works": "yes",
    "debt": "no",
    "balance": "no",
    "gosuslugi": "yes",
}
TAIL = ["hotline", "lapse"]


def with_(**changes: str) -> dict[str, str]:
    return {**BASE, **changes}


RANKING_CASES = [
    # (id, answers, cancelling channels best first; hotline and lapse always follow)
    ("russia-gosuslugi", BASE, ["store", "gosuslugi"]),
    ("russia-no-gosuslugi", with_(gosuslugi="no"), ["store"]),
    ("russia-what-is-gosuslugi", with_(gosuslugi="unknown"), ["store"]),
    ("russia-t2-gosuslugi", with_(operator="t2"), ["store", "gosuslugi"]),
    ("abroad-gosuslugi-leads", with_(location="abroad"),
     ["gosuslugi", "representative", "store"]),
    ("abroad-t2-gosuslugi-never-leads", with_(location="abroad", operator="t2"),
     ["representative", "store", "gosuslugi"]),
    ("abroad-no-gosuslugi", with_(location="abroad", gosuslugi="no"),
     ["representative", "store"]),
    ("abroad-yota-unknown-gosuslugi", with_(location="abroad", operator="yota",
                                            gosuslugi="unknown"),
     ["representative", "store"]),
    ("abroad-operator-other", with_(location="abroad", operator="other"),
     ["gosuslugi", "representative", "store"]),
    ("someone-else-russia", with_(owner="someone_else"), ["store", "representative"]),
    # The user's own Gosuslugi cannot act on someone else's number, even if "yes" is forged.
    ("someone-else-abroad", with_(owner="someone_else", location="abroad"),
     ["store", "representative"]),
    ("owner-unsure-keeps-gosuslugi", with_(owner="unsure"), ["store", "gosuslugi"]),
    ("lost-sim-same-routes", with_(sim_works="blocked_or_lost"), ["store", "gosuslugi"]),
    ("empty", {}, ["store"]),
    ("only-location-abroad", {"location": "abroad"}, ["representative", "store"]),
]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [c[1:] for c in RANKING_CASES],
    ids=[c[0] for c in RANKING_CASES],
)
def test_ranking(answers: dict[str, str], expected: list[str]) -> None:
    assert [c.id for c in recommend(answers)] == expected + TAIL


def test_flags() -> None:
    channels = {c.id: c for c in recommend(with_(location="abroad"))}
    assert not channels["hotline"].cancels
    assert channels["lapse"].warned_against and not channels["lapse"].cancels
    for cid in ("store", "gosuslugi", "representative"):
        assert channels[cid].cancels and not channels[cid].warned_against


def warnings_of(answers: dict[str, str], channel_id: str) -> tuple[str, ...]:
    return next(c for c in recommend(answers) if c.id == channel_id).warnings


WARNING_CASES = [
    # (id, answers, channel, a word the added warning must contain, expected present)
    ("t2-power-of-attorney", with_(operator="t2", location="abroad"), "representative",
     "receive money", True),
    ("mts-no-t2-warning", with_(location="abroad"), "representative", "T2", False),
    ("t2-gosuslugi-may-be-refused", with_(operator="t2"), "gosuslugi", "T2", True),
    ("store-abroad-on-return", with_(location="abroad"), "store", "back in Russia", True),
    ("store-in-russia", BASE, "store", "back in Russia", False),
    ("hotline-lost-sim", with_(sim_works="blocked_or_lost"), "hotline", "blocked", True),
    ("hotline-working-sim", BASE, "hotline", "blocked", False),
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
    recommend(with_(operator="t2", location="abroad"))
    assert not any("T2" in w for w in CHANNELS["representative"].warnings)


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
    assert "bank account" in asks and "no cash" in asks
    assert channel.steps and channel.bring and channel.check


def test_gosuslugi_needs_a_confirmed_account_and_refunds_to_a_bank() -> None:
    channel = CHANNELS["gosuslugi"]
    assert any("confirmed Gosuslugi account" in b for b in channel.bring)
    assert any("bank account" in a for a in channel.ask_for)
    assert channel.check


def test_no_channel_quotes_a_number_of_days_for_refunds() -> None:
    for channel in CHANNELS.values():
        for text in channel.ask_for:
            assert "day" not in text
