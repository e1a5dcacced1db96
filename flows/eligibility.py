"""The "can I cancel, and how" questionnaire and its verdict (pure: no aiogram, no I/O).

A handler walks ``QUESTIONS`` with ``next_question`` / ``previous_question``, stores the
answers as a plain ``dict[str, str]`` (question id -> option id) and finally calls
``assess``. Every user-facing string here is an English msgid marked with ``N_``; the
handler translates it with the reader's locale.

Missing answers mean "unknown" everywhere: a missing answer is read like the question's
"not sure" option, or as "not known" where the question has none. A question that is
skipped (see ``SKIP_RULES``) can never change the verdict: ``assess`` ignores it under the
same condition that skips it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum

from flows.texts import N_

Answers = Mapping[str, str]


@dataclass(frozen=True)
class Option:
    """One button: ``id`` goes into callback data, ``label`` is a msgid."""

    id: str
    label: str


@dataclass(frozen=True)
class Question:
    """One question: ``text`` is a msgid, ``options`` in display order."""

    id: str
    text: str
    options: tuple[Option, ...]
    # The operator registry's operators are offered before ``options``. Pure code cannot
    # see the registry, so it accepts any well-formed id here; the handler checks that the
    # id is in the registry before recording it.
    lists_operators: bool = False

    def option(self, option_id: str) -> Option | None:
        """The option with this id, or None."""
        return next((o for o in self.options if o.id == option_id), None)

    def accepts(self, option_id: str) -> bool:
        """Whether ``option_id`` can be an answer to this question."""
        if self.option(option_id) is not None:
            return True
        return self.lists_operators and _OPERATOR_ID.fullmatch(option_id) is not None


_OPERATOR_ID = re.compile(r"[a-z0-9_]{1,16}")
_YES = N_("Yes")
_NO = N_("No")
_NOT_SURE = N_("Not sure")

QUESTIONS: tuple[Question, ...] = (
    Question(
        "sim_type",
        N_("What kind of SIM is it?"),
        (
            Option("ordinary", N_("Ordinary SIM")),
            Option("data_only", N_("Data-only SIM")),
            Option("number_keeping", N_("Number-keeping SIM")),
            Option("esim", N_("eSIM")),
            Option("unsure", _NOT_SURE),
        ),
    ),
    Question(
        "operator",
        N_("Which operator is it?"),
        (
            Option("other", N_("Another operator")),
            Option("unsure", _NOT_SURE),
        ),
        lists_operators=True,
    ),
    Question(
        "owner",
        N_("Whose passport is the number registered on?"),
        (
            Option("me", N_("Mine")),
            Option("someone_else", N_("Someone else's")),
            Option("unsure", _NOT_SURE),
        ),
    ),
    Question(
        "location",
        N_("Where are you now?"),
        (
            Option("russia", N_("In Russia")),
            Option("abroad", N_("Abroad")),
        ),
    ),
    Question(
        "sim_works",
        N_("Does the SIM still work and receive SMS?"),
        (
            Option("yes", _YES),
            Option("blocked_or_lost", N_("Blocked or lost")),
            Option("unsure", _NOT_SURE),
        ),
    ),
    Question(
        "debt",
        N_("Is there any debt or a negative balance on the number?"),
        (
            Option("no", _NO),
            Option("yes", _YES),
            Option("unsure", _NOT_SURE),
        ),
    ),
    Question(
        "balance",
        N_("Is there money left on the balance that you want back?"),
        (
            Option("yes", _YES),
            Option("no", _NO),
        ),
    ),
    Question(
        "gosuslugi",
        N_("Do you have a confirmed Gosuslugi (Госуслуги) account?"),
        (
            Option("yes", _YES),
            Option("no", _NO),
            Option("unknown", N_("What is that?")),
        ),
    ),
    Question(
        "foreign_confirmed",
        N_(
            "If you are a foreigner: was this number confirmed under the 2025 rules "
            "(by 1 July 2025)?"
        ),
        (
            Option("yes", N_("Yes, confirmed")),
            Option("no_or_blocked", N_("No, or it was cut off")),
            Option("unsure", _NOT_SURE),
            Option("not_foreigner", N_("I'm a Russian citizen")),
        ),
    ),
)

_BY_ID: dict[str, Question] = {q.id: q for q in QUESTIONS}

# The option a missing answer is read as; questions absent here read "missing" as None.
_UNKNOWN_OPTION: dict[str, str] = {
    "sim_type": "unsure",
    "operator": "unsure",
    "owner": "unsure",
    "sim_works": "unsure",
    "debt": "unsure",
    "gosuslugi": "unknown",
    "foreign_confirmed": "unsure",
}


def _skip_balance(a: Answers) -> bool:
    # "Debt or negative balance" = yes means there is no positive balance to get back.
    return a.get("debt") == "yes"


def _skip_gosuslugi(a: Answers) -> bool:
    # «SIM-карты» only shows numbers registered to the account holder, so the user's own
    # account cannot end someone else's contract, wherever the user is.
    return a.get("owner") == "someone_else"


def _skip_foreign_confirmed(a: Answers) -> bool:
    # Unconfirmed numbers of foreigners were cut off completely in 2025, so a SIM that
    # still works and gets SMS was confirmed or never needed confirming: nothing to learn.
    return a.get("sim_works") == "yes"


SKIP_RULES: dict[str, Callable[[Answers], bool]] = {
    "balance": _skip_balance,
    "gosuslugi": _skip_gosuslugi,
    "foreign_confirmed": _skip_foreign_confirmed,
}
"""Question id -> predicate over the answers: True means the question does not apply.

Each predicate only reads answers to questions asked earlier, so a question's
applicability is settled by the time it comes up.
"""


def question(question_id: str) -> Question:
    """The question with this id; KeyError for an unknown id."""
    return _BY_ID[question_id]


def applies(question_id: str, answers: Answers) -> bool:
    """Whether the question applies given the answers so far (unknown id: KeyError)."""
    question(question_id)
    skip = SKIP_RULES.get(question_id)
    return skip is None or not skip(answers)


def applicable_questions(answers: Answers) -> tuple[Question, ...]:
    """Questions that apply given the answers so far, in order.

    A question whose skip condition depends on an unanswered question counts as applying.
    """
    return tuple(q for q in QUESTIONS if applies(q.id, answers))


def validate_answer(question_id: str, option_id: str) -> bool:
    """True when ``option_id`` is an option of ``question_id`` (use on callback data)."""
    q = _BY_ID.get(question_id)
    return q is not None and q.accepts(option_id)


def prune_answers(answers: Answers) -> dict[str, str]:
    """A copy without answers that are invalid or belong to questions that no longer apply.

    Call it after the user goes Back and changes an earlier answer: e.g. changing
    ``owner`` to "someone_else" drops the ``gosuslugi`` answer.
    """
    valid = {k: v for k, v in answers.items() if validate_answer(k, v)}
    return {k: v for k, v in valid.items() if applies(k, valid)}


def record_answer(answers: Answers, question_id: str, option_id: str) -> dict[str, str]:
    """A new answers dict with this answer set and irrelevant answers pruned.

    Raises ValueError for an unknown question or option (forged callback data).
    """
    if not validate_answer(question_id, option_id):
        raise ValueError(f"invalid answer {question_id}={option_id}")
    return prune_answers({**answers, question_id: option_id})


def next_question(answers: Answers) -> Question | None:
    """The first applicable question without a valid answer; None when all are answered."""
    for q in applicable_questions(answers):
        if not validate_answer(q.id, answers.get(q.id, "")):
            return q
    return None


def resume_question(answers: Answers, current_id: str | None) -> Question:
    """Where a stored check continues: ``current_id`` while it exists and applies.

    Otherwise (stored data from an older version, or every answer given before the
    verdict was shown) the first unanswered question, else the last applicable one.
    """
    if current_id in _BY_ID and applies(current_id, answers):
        return _BY_ID[current_id]
    return next_question(answers) or applicable_questions(answers)[-1]


def previous_question(answers: Answers, current_id: str | None) -> Question | None:
    """The applicable question before ``current_id`` (the Back button).

    ``current_id=None`` means the user is past the last question (on the verdict) and
    returns the last applicable question. Returns None on the first question. Raises
    ValueError when ``current_id`` is unknown.
    """
    if current_id is not None and current_id not in _BY_ID:
        raise ValueError(f"unknown question {current_id!r}")
    before: list[Question] = []
    for q in QUESTIONS:
        if q.id == current_id:
            break
        if applies(q.id, answers):
            before.append(q)
    return before[-1] if before else None


def progress(answers: Answers, current_id: str) -> tuple[int, int]:
    """(k, total): ``current_id`` is question k of the total that apply so far (1-based).

    The total can shrink as answers arrive (e.g. debt = yes removes ``balance``). Raises
    ValueError for an unknown question or one that does not apply.
    """
    ids = [q.id for q in applicable_questions(answers)]
    if current_id not in ids:
        raise ValueError(f"question {current_id!r} does not apply or does not exist")
    return ids.index(current_id) + 1, len(ids)


class Status(Enum):
    """The overall verdict; see ``assess`` for how it is chosen."""

    CAN_CANCEL_NOW = "can_cancel_now"
    AFTER_STEPS = "after_steps"
    NEEDS_SOMEONE_ELSE = "needs_someone_else"
    OPERATOR_CHECK_FIRST = "operator_check_first"


@dataclass(frozen=True)
class Blocker:
    """Something to clear before the contract can be ended.

    ``implies`` is the status this blocker forces on its own.
    """

    id: str
    title: str
    how_to_clear: str
    implies: Status


@dataclass(frozen=True)
class Step:
    """Something to do before cancelling; ``id`` lets the handler link the checklist."""

    id: str
    text: str


@dataclass(frozen=True)
class Verdict:
    """The result of ``assess``; blockers and steps are in a fixed order."""

    status: Status
    blockers: tuple[Blocker, ...]
    before_steps: tuple[Step, ...]


_HOLDER = Status.NEEDS_SOMEONE_ELSE
_CHECK = Status.OPERATOR_CHECK_FIRST
_SELF = Status.AFTER_STEPS

BLOCKERS: dict[str, Blocker] = {
    b.id: b
    for b in (
        Blocker(
            "owner_someone_else",
            N_("The number is registered to someone else"),
            N_(
                "Only that person can end the contract. They go to a store with their "
                "passport, or give a notarized power of attorney, or first re-register "
                "the number to you in a store (both passports needed)."
            ),
            _HOLDER,
        ),
        Blocker(
            "owner_unknown",
            N_("It is not clear whose passport the number is on"),
            N_(
                "Find out first: Gosuslugi, section «SIM-карты», lists every number on "
                "your name; or ask in an operator store with your passport."
            ),
            _CHECK,
        ),
        Blocker(
            "operator_unknown",
            N_("The operator is not known"),
            N_(
                "Find out the operator first: look at the SIM card or its package, or "
                "check the number in Gosuslugi «SIM-карты». Then ask that operator."
            ),
            _CHECK,
        ),
        Blocker(
            "operator_other",
            N_("We have no checked facts about this operator"),
            N_(
                "Ask your operator, on its website or in its app, how it ends contracts "
                "and what to bring. The general steps below usually apply, but confirm them."
            ),
            _CHECK,
        ),
        Blocker(
            "blocked_2025",
            N_("The number was cut off under the 2025 rules for foreigners"),
            N_(
                "A cut-off number still has a contract and may still be linked to your "
                "bank, Gosuslugi or messenger accounts. Unlink it through their support, "
                "then end the contract like any other. Unblocking is in person only."
            ),
            _SELF,
        ),
        Blocker(
            "confirmation_unknown",
            N_("It is not clear why the SIM stopped working"),
            N_(
                "It may have been cut off under the 2025 rules for foreigners, or blocked "
                "for another reason. Ask the operator what state the number is in."
            ),
            _CHECK,
        ),
        Blocker(
            "sim_lost",
            N_("The SIM is lost or does not work"),
            N_(
                "If it is lost or stolen, call the operator's hotline first and have the "
                "number blocked. If it stopped working by itself, ask the operator why: a "
                "debt, long inactivity, or someone reissuing your SIM."
            ),
            _SELF,
        ),
        Blocker(
            "debt",
            N_("There is a debt on the number"),
            N_("Pay the debt first: a contract is ended only when nothing is owed."),
            _SELF,
        ),
        Blocker(
            "debt_unknown",
            N_("It is not clear whether there is a debt"),
            N_(
                "Check the balance first (operator app, website or hotline). If it is "
                "negative, pay it off before cancelling."
            ),
            _SELF,
        ),
        Blocker(
            "abroad_no_remote_route",
            N_("You are abroad"),
            N_(
                "From abroad, the confirmed ways are a representative with a notarized "
                "power of attorney, or Gosuslugi with a confirmed account (T2 ends "
                "contracts only in stores). Otherwise cancel in a store back in Russia."
            ),
            _SELF,
        ),
    )
}

# Status precedence, strongest first: only the holder can act on their contract, so that
# outranks everything; "check first" outranks self-service steps because until the facts
# are checked we cannot promise the steps are enough.
_PRECEDENCE = (Status.NEEDS_SOMEONE_ELSE, Status.OPERATOR_CHECK_FIRST, Status.AFTER_STEPS)

STEPS: dict[str, Step] = {
    s.id: s
    for s in (
        Step(
            "check_sms",
            N_(
                "First put the SIM in a phone and check that an SMS arrives. After 72 "
                "hours without use, or after a trip abroad, SMS may be held for 24 hours "
                "until you open the operator's captcha link or call it."
            ),
        ),
        Step(
            "change_number",
            N_(
                "While the SIM still receives SMS, change your phone number in banks, "
                "Gosuslugi, Telegram, WeChat and other apps. The checklist lists them."
            ),
        ),
        Step(
            "change_number_without_sms",
            N_(
                "The old number cannot receive codes now: change it in banks and apps "
                "through their support. The checklist lists them."
            ),
        ),
        Step(
            "esim_profile",
            N_(
                "Deleting the eSIM from your phone does not end the contract. Keep it "
                "until the contract is ended."
            ),
        ),
        Step(
            "balance_refund",
            N_(
                "Plan the balance: it is paid to a bank account or moved to another "
                "number of the same operator, never in cash. Fees and bonuses are not "
                "refunded."
            ),
        ),
        Step("backup", N_("Back up the contacts and SMS stored on the SIM.")),
        Step("subscriptions", N_("Cancel paid subscriptions charged to the number.")),
    )
}


def answer_or_unknown(answers: Answers, question_id: str) -> str | None:
    """The valid answer, else the option a missing answer is read as, else None.

    Invalid (forged) values are read as missing.
    """
    value = answers.get(question_id)
    if value is not None and validate_answer(question_id, value):
        return value
    return _UNKNOWN_OPTION.get(question_id)


def _confirmation(answers: Answers, sim_works: str | None) -> str | None:
    # Mirrors the skip rule: a working SIM makes the confirmation question moot.
    return None if sim_works == "yes" else answer_or_unknown(answers, "foreign_confirmed")


def _blocker_ids(answers: Answers) -> list[str]:
    """Which blockers apply. Each rule is one ``if``; the order is the display order."""
    owner = answer_or_unknown(answers, "owner")
    operator = answer_or_unknown(answers, "operator")
    sim_works = answer_or_unknown(answers, "sim_works")
    debt = answer_or_unknown(answers, "debt")
    gosuslugi = answer_or_unknown(answers, "gosuslugi")
    confirmed = _confirmation(answers, sim_works)

    ids: list[str] = []
    if owner == "someone_else":
        ids.append("owner_someone_else")
    if owner == "unsure":
        ids.append("owner_unknown")
    if operator == "unsure":
        ids.append("operator_unknown")
    if operator == "other":
        ids.append("operator_other")
    # "Not confirmed" explains a dead SIM, and wins over "blocked or lost" or "not sure"
    # about the SIM: the user told us the number was cut off.
    if confirmed == "no_or_blocked":
        ids.append("blocked_2025")
    elif sim_works == "blocked_or_lost":
        # Confirmed, or a Russian citizen, yet dead: lost, or blocked for another reason
        # (debt, inactivity, SIM swap). The same first step covers all of them.
        if confirmed == "unsure":
            ids.append("confirmation_unknown")
        ids.append("sim_lost")
    if debt == "yes":
        ids.append("debt")
    if debt == "unsure":
        ids.append("debt_unknown")
    # The user's Gosuslugi is moot for someone else's number, and T2 ends contracts only
    # in its stores; so either way an abroad user needs a representative or a trip.
    if (
        answer_or_unknown(answers, "location") == "abroad"
        and owner != "someone_else"
        and (gosuslugi != "yes" or operator == "t2")
    ):
        ids.append("abroad_no_remote_route")
    return ids


def _step_ids(answers: Answers) -> list[str]:
    sim_works = answer_or_unknown(answers, "sim_works")
    confirmed = _confirmation(answers, sim_works)
    ids: list[str] = []
    if sim_works == "blocked_or_lost" or confirmed == "no_or_blocked":
        ids.append("change_number_without_sms")
    elif sim_works == "unsure":
        ids += ["check_sms", "change_number"]
    else:
        ids.append("change_number")
    if answer_or_unknown(answers, "sim_type") == "esim":
        ids.append("esim_profile")
    # A debt means no positive balance, whatever the (skipped) balance answer says.
    balance = answer_or_unknown(answers, "balance")
    if balance == "yes" and answer_or_unknown(answers, "debt") != "yes":
        ids.append("balance_refund")
    ids += ["backup", "subscriptions"]
    return ids


def assess(answers: Answers) -> Verdict:
    """The verdict for these answers; works on partial or even empty answers.

    Blockers (missing answers read as "not sure"):
      owner someone_else -> owner_someone_else; owner unsure -> owner_unknown;
      operator unsure -> operator_unknown; operator other (not in the registry) ->
      operator_other;
      foreign_confirmed no_or_blocked (SIM not working) -> blocked_2025;
      otherwise SIM blocked_or_lost -> sim_lost, plus confirmation_unknown when the
      confirmation is unsure; debt yes -> debt; debt unsure -> debt_unknown;
      abroad, own (or unknown) number, and no confirmed Gosuslugi or operator T2 ->
      abroad_no_remote_route.
    Status: the strongest status implied by any blocker, in the order
    NEEDS_SOMEONE_ELSE > OPERATOR_CHECK_FIRST > AFTER_STEPS; with no blockers,
    CAN_CANCEL_NOW (the before-steps still apply).
    """
    blockers = tuple(BLOCKERS[i] for i in _blocker_ids(answers))
    implied = {b.implies for b in blockers}
    status = next((s for s in _PRECEDENCE if s in implied), Status.CAN_CANCEL_NOW)
    return Verdict(status, blockers, tuple(STEPS[i] for i in _step_ids(answers)))
