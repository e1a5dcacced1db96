from collections.abc import Iterator

import pytest

from flows.channels import recommend
from flows.eligibility import (
    BLOCKERS,
    QUESTIONS,
    SKIP_RULES,
    Status,
    applies,
    assess,
    next_question,
    previous_question,
    progress,
    prune_answers,
    question,
    record_answer,
    resume_question,
    validate_answer,
)
from flows.operators import Operator, load_operators
from tests.conftest import CLEAN_ANSWERS, clean_answers


def entry(answers: dict[str, str]) -> Operator | None:
    """The registry's entry for the answered operator, as the handler passes it."""
    return load_operators().get(answers.get("operator", ""))


def test_question_ids_and_order_are_the_contract_other_modules_rely_on() -> None:
    assert [q.id for q in QUESTIONS] == [
        "sim_type", "operator", "owner", "location", "sim_works",
        "debt", "balance", "gosuslugi", "foreign_confirmed",
    ]
    assert [o.id for o in question("owner").options] == ["me", "someone_else", "seller", "unsure"]
    # The operators themselves come from the registry (tests/test_operators.py).
    assert question("operator").lists_operators
    assert [o.id for o in question("operator").options] == ["other", "unsure"]
    assert [o.id for o in question("foreign_confirmed").options] == [
        "yes", "no_or_blocked", "unsure", "not_foreigner",
    ]


def test_user_terms_are_plain_english_msgids() -> None:
    labels = {o.id: o.label for o in question("sim_type").options}
    assert labels["data_only"] == "Data-only SIM"
    assert labels["number_keeping"] == "Number-keeping SIM"
    assert {o.id: o.label for o in question("operator").options}["other"] == "Another operator"


ASSESS_CASES = [
    # (id, answers, status, blocker ids)
    ("clean", CLEAN_ANSWERS, Status.CAN_CANCEL_NOW, ()),
    ("debt", clean_answers(debt="yes"), Status.AFTER_STEPS, ("debt",)),
    ("debt-unsure", clean_answers(debt="unsure"), Status.AFTER_STEPS, ("debt_unknown",)),
    ("someone-else", clean_answers(owner="someone_else"), Status.NEEDS_SOMEONE_ELSE,
     ("owner_someone_else",)),
    ("someone-else-and-debt", clean_answers(owner="someone_else", debt="yes"),
     Status.NEEDS_SOMEONE_ELSE, ("owner_someone_else", "debt")),
    ("owner-unsure", clean_answers(owner="unsure"), Status.OPERATOR_CHECK_FIRST, ("owner_unknown",)),
    ("operator-other", clean_answers(operator="other"), Status.OPERATOR_CHECK_FIRST,
     ("operator_other",)),
    ("operator-unsure", clean_answers(operator="unsure"), Status.OPERATOR_CHECK_FIRST,
     ("operator_unknown",)),
    ("someone-else-beats-check", clean_answers(owner="someone_else", operator="unsure"),
     Status.NEEDS_SOMEONE_ELSE, ("owner_someone_else", "operator_unknown")),
    ("lost-citizen", clean_answers(sim_works="blocked_or_lost", foreign_confirmed="not_foreigner"),
     Status.AFTER_STEPS, ("sim_lost",)),
    # Contradictory at first sight: confirmed, yet dead. Lost or blocked for another reason.
    ("lost-but-confirmed", clean_answers(sim_works="blocked_or_lost", foreign_confirmed="yes"),
     Status.AFTER_STEPS, ("sim_lost",)),
    ("lost-confirmation-unsure", clean_answers(sim_works="blocked_or_lost", foreign_confirmed="unsure"),
     Status.OPERATOR_CHECK_FIRST, ("confirmation_unknown", "sim_lost")),
    ("cut-off-2025", clean_answers(sim_works="blocked_or_lost", foreign_confirmed="no_or_blocked"),
     Status.AFTER_STEPS, ("blocked_2025",)),
    ("sim-unsure-but-cut-off", clean_answers(sim_works="unsure", foreign_confirmed="no_or_blocked"),
     Status.AFTER_STEPS, ("blocked_2025",)),
    # Unconfirmed yet still working: no blocker, but the steps warn (see STEP_CASES).
    ("working-unconfirmed-sim-is-no-blocker", clean_answers(foreign_confirmed="no_or_blocked"),
     Status.CAN_CANCEL_NOW, ()),
    # A seller's SIM: the buyer holds no contract; nothing else is the buyer's to clear.
    ("seller", {**clean_answers(owner="seller"), "gosuslugi": "no"}, Status.NEEDS_SOMEONE_ELSE,
     ("owner_seller",)),
    ("seller-abroad-lost-unknown-operator",
     {"sim_type": "data_only", "operator": "other", "owner": "seller", "location": "abroad",
      "sim_works": "blocked_or_lost"},
     Status.NEEDS_SOMEONE_ELSE, ("owner_seller",)),
    ("sim-unsure-alone", clean_answers(sim_works="unsure", foreign_confirmed="not_foreigner"),
     Status.CAN_CANCEL_NOW, ()),
    ("abroad-gosuslugi", clean_answers(location="abroad"), Status.CAN_CANCEL_NOW, ()),
    ("abroad-no-gosuslugi", clean_answers(location="abroad", gosuslugi="no"), Status.AFTER_STEPS,
     ("abroad_no_remote_route",)),
    ("abroad-what-is-gosuslugi", clean_answers(location="abroad", gosuslugi="unknown"),
     Status.AFTER_STEPS, ("abroad_no_remote_route",)),
    ("abroad-t2-gosuslugi", clean_answers(location="abroad", operator="t2"), Status.AFTER_STEPS,
     ("abroad_no_remote_route",)),
    ("abroad-someone-else", clean_answers(location="abroad", owner="someone_else", gosuslugi="no"),
     Status.NEEDS_SOMEONE_ELSE, ("owner_someone_else",)),
    ("abroad-owner-unsure", clean_answers(location="abroad", owner="unsure", gosuslugi="no"),
     Status.OPERATOR_CHECK_FIRST, ("owner_unknown", "abroad_no_remote_route")),
    ("sim-type-unsure", clean_answers(sim_type="unsure"), Status.CAN_CANCEL_NOW, ()),
    ("debt-and-balance-contradict", clean_answers(debt="yes", balance="yes"), Status.AFTER_STEPS,
     ("debt",)),
    ("empty", {}, Status.OPERATOR_CHECK_FIRST,
     ("owner_unknown", "operator_unknown", "debt_unknown")),
    ("forged-values-read-as-unknown", clean_answers(owner="admin", debt="maybe"),
     Status.OPERATOR_CHECK_FIRST, ("owner_unknown", "debt_unknown")),
    ("partial-lost-sim", {"sim_works": "blocked_or_lost", "owner": "me", "operator": "t2",
                          "debt": "no"},
     Status.OPERATOR_CHECK_FIRST, ("confirmation_unknown", "sim_lost")),
]


@pytest.mark.parametrize(
    ("answers", "status", "blockers"),
    [c[1:] for c in ASSESS_CASES],
    ids=[c[0] for c in ASSESS_CASES],
)
def test_assess(answers: dict[str, str], status: Status, blockers: tuple[str, ...]) -> None:
    verdict = assess(answers, entry(answers))
    assert verdict.status is status
    assert tuple(b.id for b in verdict.blockers) == blockers


STEP_CASES = [
    ("working-sim", CLEAN_ANSWERS, {"change_number", "last_number", "backup", "subscriptions", "keep_sim"},
     {"may_be_cut_off", "hotline_abroad"}),
    ("lost-sim", clean_answers(sim_works="blocked_or_lost", foreign_confirmed="not_foreigner"),
     {"change_number_without_sms"}, {"change_number", "check_sms"}),
    ("unsure-sim", clean_answers(sim_works="unsure", foreign_confirmed="not_foreigner"),
     {"check_sms", "change_number"}, {"change_number_without_sms"}),
    ("cut-off-no-sms", clean_answers(sim_works="unsure", foreign_confirmed="no_or_blocked"),
     {"change_number_without_sms"}, {"check_sms", "change_number"}),
    # eSIM: no card to insert or move, no contacts stored on it.
    ("esim", clean_answers(sim_type="esim"), {"esim_profile"}, {"backup", "imei"}),
    ("esim-unsure-sim", clean_answers(sim_type="esim", sim_works="unsure", foreign_confirmed="yes"),
     {"check_sms_esim", "esim_profile"}, {"check_sms", "backup", "imei"}),
    ("balance", clean_answers(balance="yes"), {"balance_refund"}, {"balance_holder"}),
    ("debt-hides-balance", clean_answers(debt="yes", balance="yes"), set(), {"balance_refund"}),
    ("no-money-no-balance-step", CLEAN_ANSWERS, set(), {"balance_refund", "balance_holder"}),
    ("no-esim-note-for-plain-sim", CLEAN_ANSWERS, set(), {"esim_profile", "balance_refund"}),
    # Someone else's number: the balance is the holder's.
    ("someone-else-balance", clean_answers(owner="someone_else", balance="yes"), {"balance_holder"},
     {"balance_refund", "keep_sim"}),
    # A working SIM that was not confirmed (or may not have been) can still be cut off.
    ("working-unconfirmed", clean_answers(foreign_confirmed="no_or_blocked"),
     {"may_be_cut_off", "change_number", "imei"}, {"change_number_without_sms"}),
    ("working-confirmation-unsure", clean_answers(foreign_confirmed="unsure"), {"may_be_cut_off", "imei"},
     set()),
    ("working-confirmed-foreigner", clean_answers(foreign_confirmed="yes"), {"imei"}, {"may_be_cut_off"}),
    ("citizen", clean_answers(foreign_confirmed="not_foreigner"), set(), {"imei", "may_be_cut_off"}),
    ("abroad", clean_answers(location="abroad"), {"hotline_abroad", "last_number"}, set()),
    ("seller", clean_answers(owner="seller", sim_type="data_only"), {"change_number", "backup"},
     {"last_number", "keep_sim", "subscriptions", "imei", "balance_refund", "may_be_cut_off"}),
]


@pytest.mark.parametrize(
    ("answers", "present", "absent"),
    [c[1:] for c in STEP_CASES],
    ids=[c[0] for c in STEP_CASES],
)
def test_before_steps(answers: dict[str, str], present: set[str], absent: set[str]) -> None:
    ids = [s.id for s in assess(answers, entry(answers)).before_steps]
    assert present <= set(ids)
    assert not absent & set(ids)
    assert len(ids) == len(set(ids))


def test_check_sms_comes_before_changing_numbers() -> None:
    ids = [s.id for s in assess(clean_answers(sim_works="unsure")).before_steps]
    assert ids.index("check_sms") < ids.index("change_number")


def test_every_blocker_is_reachable() -> None:
    reached = {b.id for _, answers, _, _ in ASSESS_CASES for b in assess(answers, entry(answers)).blockers}
    assert reached == set(BLOCKERS)


# --- skip logic, progress, navigation ------------------------------------------------


def walk(answers: dict[str, str], choose: dict[str, str]) -> list[str]:
    """Answer questions in flow order with ``choose`` (first option otherwise)."""
    asked = []
    while (q := next_question(answers)) is not None:
        asked.append(q.id)
        answers = record_answer(answers, q.id, choose.get(q.id, q.options[0].id))
    return asked


SKIP_CASES = [
    ("nothing-skipped", {"sim_works": "unsure", "debt": "no", "owner": "me"}, []),
    ("debt-skips-balance", {"debt": "yes", "sim_works": "unsure"}, ["balance"]),
    ("someone-else-skips-gosuslugi", {"owner": "someone_else", "sim_works": "unsure"},
     ["gosuslugi"]),
    # A working SIM may still be unconfirmed: the question is asked.
    ("working-sim-asks-confirmation", {"sim_works": "yes"}, []),
    ("someone-else-debt", {"owner": "someone_else", "sim_works": "yes", "debt": "yes"},
     ["balance", "gosuslugi"]),
    ("seller-skips-what-is-the-holders", {"owner": "seller"},
     ["debt", "balance", "gosuslugi", "foreign_confirmed"]),
]


@pytest.mark.parametrize(
    ("choose", "skipped"), [c[1:] for c in SKIP_CASES], ids=[c[0] for c in SKIP_CASES]
)
def test_skip_rules(choose: dict[str, str], skipped: list[str]) -> None:
    asked = walk({}, choose)
    assert [q.id for q in QUESTIONS if q.id not in asked] == skipped
    assert asked == [q.id for q in QUESTIONS if q.id in asked]  # order kept


PROGRESS_CASES = [
    ("start", {}, "sim_type", (1, 9)),
    ("unknown-later-questions-count", {"sim_type": "esim"}, "operator", (2, 9)),
    ("debt-yes-shrinks-total", {"owner": "me", "debt": "yes"}, "gosuslugi", (7, 8)),
    ("someone-else", {"owner": "someone_else"}, "debt", (6, 8)),
    ("someone-else-debt", {"owner": "someone_else", "sim_works": "yes", "debt": "yes"}, "debt",
     (6, 7)),
    ("seller", {"owner": "seller"}, "sim_works", (5, 5)),
    ("last", {"sim_works": "no_signal_forged"}, "foreign_confirmed", (9, 9)),
]


@pytest.mark.parametrize(
    ("answers", "current", "expected"),
    [c[1:] for c in PROGRESS_CASES],
    ids=[c[0] for c in PROGRESS_CASES],
)
def test_progress(answers: dict[str, str], current: str, expected: tuple[int, int]) -> None:
    assert progress(answers, current) == expected


@pytest.mark.parametrize("current", ["balance", "nonsense"])
def test_progress_rejects_skipped_or_unknown_question(current: str) -> None:
    with pytest.raises(ValueError):
        progress({"debt": "yes"}, current)


BACK_CASES = [
    ("first-has-no-previous", {}, "sim_type", None),
    ("plain", {}, "operator", "sim_type"),
    ("back-over-skipped-balance", {"debt": "yes"}, "gosuslugi", "debt"),
    ("back-over-skipped-gosuslugi", {"owner": "someone_else", "debt": "no"},
     "foreign_confirmed", "balance"),
    ("from-verdict-sim-unsure", clean_answers(foreign_confirmed="yes", sim_works="unsure"), None,
     "foreign_confirmed"),
    ("from-verdict", CLEAN_ANSWERS, None, "foreign_confirmed"),
    ("from-verdict-when-last-skipped", clean_answers(owner="seller"), None, "sim_works"),
]


@pytest.mark.parametrize(
    ("answers", "current", "expected"),
    [c[1:] for c in BACK_CASES],
    ids=[c[0] for c in BACK_CASES],
)
def test_previous_question(answers: dict[str, str], current: str | None,
                           expected: str | None) -> None:
    prev = previous_question(answers, current)
    assert (prev.id if prev else None) == expected


def test_previous_question_rejects_unknown_id() -> None:
    with pytest.raises(ValueError):
        previous_question({}, "nope")


def test_going_back_and_changing_owner_drops_the_gosuslugi_answer() -> None:
    answers = record_answer(CLEAN_ANSWERS, "owner", "someone_else")
    assert "gosuslugi" not in answers
    assert answers["debt"] == "no"  # still relevant: kept


def test_going_back_and_changing_debt_asks_balance_again() -> None:
    answers = {**CLEAN_ANSWERS, "debt": "yes"}
    del answers["balance"]
    answers = record_answer(answers, "debt", "no")
    assert next_question(answers).id == "balance"


def test_prune_drops_forged_and_unknown_keys() -> None:
    answers = {**CLEAN_ANSWERS, "owner": "admin", "hack": "1", "sim_works": "yes",
               "foreign_confirmed": "yes"}
    pruned = prune_answers(answers)
    assert "owner" not in pruned and "hack" not in pruned
    assert pruned["foreign_confirmed"] == "yes"  # asked even for a working SIM
    assert "debt" not in prune_answers({**CLEAN_ANSWERS, "owner": "seller"})  # the holder's business
    assert pruned["operator"] == "mts"


def test_prune_returns_a_copy() -> None:
    answers = dict(CLEAN_ANSWERS)
    prune_answers(answers)["operator"] = "t2"
    assert answers["operator"] == "mts"


VALIDATE_CASES = [
    ("valid", "operator", "t2", True),
    ("valid-last", "foreign_confirmed", "not_foreigner", True),
    ("option-of-another-question", "owner", "esim", False),
    # The registry's operators are checked by the handler; pure code takes any well-formed id.
    ("registry-operator", "operator", "motiv", True),
    ("forged-operator", "operator", "mts; drop", False),
    ("case-matters", "operator", "MTS", False),
    ("unknown-question", "passport", "yes", False),
    ("empty", "debt", "", False),
]


@pytest.mark.parametrize(
    ("qid", "oid", "ok"), [c[1:] for c in VALIDATE_CASES], ids=[c[0] for c in VALIDATE_CASES]
)
def test_validate_answer(qid: str, oid: str, ok: bool) -> None:
    assert validate_answer(qid, oid) is ok


def test_record_answer_rejects_forged_option() -> None:
    with pytest.raises(ValueError):
        record_answer({}, "debt", "paid_by_bot")


def test_callback_ids_fit_in_callback_data() -> None:
    # Telegram callback_data is at most 64 bytes; leave room for a prefix.
    for q in QUESTIONS:
        for o in q.options:
            assert len(f"{q.id}:{o.id}".encode()) <= 40


# --- the skip rules never hide something that matters -------------------------------


def complete_paths() -> Iterator[dict[str, str]]:
    def go(answers: dict[str, str]) -> Iterator[dict[str, str]]:
        q = next_question(answers)
        if q is None:
            yield answers
            return
        for o in q.options:
            yield from go({**answers, q.id: o.id})

    return go({})


def test_skipped_questions_cannot_change_the_verdict_or_channels() -> None:
    paths = 0
    for answers in complete_paths():
        paths += 1
        base_verdict, base_channels = assess(answers), recommend(answers)
        for qid in SKIP_RULES:
            if applies(qid, answers):
                continue
            for o in question(qid).options:
                forged = {**answers, qid: o.id}
                assert assess(forged) == base_verdict, (answers, qid, o.id)
                assert recommend(forged) == base_channels, (answers, qid, o.id)
    assert paths > 1000  # the walk really enumerated the flow


def test_every_complete_path_ends_on_lapse_and_has_a_cancelling_channel() -> None:
    for answers in complete_paths():
        channels = recommend(answers)
        assert channels[-1].id == "lapse"
        assert channels[0].id not in ("hotline", "lapse")
        assert assess(answers).status in Status


@pytest.mark.parametrize(
    ("answers", "current", "expected"),
    [
        ({"sim_type": "esim"}, "owner", "owner"),  # stored position kept, even ahead of answers
        ({"sim_type": "esim"}, None, "operator"),
        ({"sim_type": "esim"}, "nonsense", "operator"),  # data from an older version
        # owner changed to someone_else after gosuslugi was stored as the position
        ({"sim_type": "esim", "operator": "mts", "owner": "someone_else"}, "gosuslugi", "location"),
        # every answer given, the verdict not yet shown: the last applicable question
        (CLEAN_ANSWERS, "nonsense", "foreign_confirmed"),
    ],
    ids=["kept", "none", "unknown", "no-longer-applies", "all-answered"],
)
def test_resume_question(answers: dict[str, str], current: str | None, expected: str) -> None:
    assert resume_question(answers, current).id == expected
