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

from flows.facts import Confidence
from flows.operators import Operator
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
            Option("someone_else", N_("Another person's (a friend, a relative)")),
            # Data SIMs sold online are often registered on a company or a stranger: the
            # buyer has no contract at all, which is a different verdict from a friend's.
            Option("seller", N_("Bought from a seller: a company's or I don't know whose")),
            Option("unsure", _NOT_SURE),
        ),
    ),
    Question(
        "location",
        N_("Where are you now?"),
        (
            Option("russia", N_("In Russia")),
            Option("abroad", N_("Not in Russia")),
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
    # "Debt or negative balance" = yes means there is no positive balance to get back;
    # a seller's SIM has a balance the buyer cannot claim.
    return a.get("debt") == "yes" or a.get("owner") == "seller"


def _skip_debt(a: Answers) -> bool:
    # The debt of a seller's SIM is the holder's, and the buyer cannot pay it off to cancel.
    return a.get("owner") == "seller"


def _skip_gosuslugi(a: Answers) -> bool:
    # «SIM-карты» only shows numbers registered to the account holder, so the user's own
    # account cannot end someone else's contract, wherever the user is.
    return a.get("owner") in ("someone_else", "seller")


def _skip_foreign_confirmed(a: Answers) -> bool:
    # The question is about the user's own registration. It is asked even when the SIM
    # works: many foreigners' SIMs were still unconfirmed months after the deadline and
    # may be cut off at any time.
    return a.get("owner") == "seller"


SKIP_RULES: dict[str, Callable[[Answers], bool]] = {
    "debt": _skip_debt,
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
                "Only that person, the holder, can end the contract, wherever you are. "
                "They go to the operator's own store with their passport, or sign a "
                "notarized power of attorney for someone, or the two of you re-register "
                "the number to you in a store (переоформление, both passports needed). "
                "The balance and any debt on the number are theirs."
            ),
            _HOLDER,
        ),
        Blocker(
            "owner_seller",
            N_("The number belongs to a seller or a company, not to you"),
            N_(
                "SIMs sold online are often registered on a company or a stranger. Then "
                "you have no contract: you cannot end it, and you usually cannot get the "
                "balance back. What you can do: move your accounts off the number, stop "
                "topping it up, and ask the seller to end it. A travel SIM or eSIM from a "
                "non-Russian provider has no Russian contract at all: it simply runs out, "
                "or ask the seller."
            ),
            _HOLDER,
        ),
        Blocker(
            "owner_unknown",
            N_("It is not clear whose passport the number is on"),
            N_(
                "Find out first: Gosuslugi, section «SIM-карты», lists the numbers "
                "registered to you (one registered on an old passport can be missing); "
                "or ask in the operator's own store with your passport."
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
                "A cut-off number may still have a contract (ask the operator) and may "
                "still be linked to your bank, Gosuslugi or messenger accounts. Unlink it "
                "through their support, then ask the operator how to end the contract."
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
            N_(
                "The debt has to be paid first: a contract is ended only when nothing is owed. "
                "Letting the number lapse probably does not clear it either (we could not "
                "confirm how operators collect such debts)."
            ),
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
            N_("You are not in Russia"),
            N_(
                "Possible ways from outside Russia (not confirmed): Gosuslugi with a "
                "confirmed account, if you can still log in, or a representative with a "
                "notarized power of attorney; where the operator ends contracts only in its "
                "stores, only the representative. Otherwise, cancel in the operator's own "
                "store when you are back in Russia."
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
            "may_be_cut_off",
            N_(
                "If you are a foreigner and this number was not confirmed under the 2025 "
                "rules, it can be cut off at any time, even though it works now. Move your "
                "accounts off it first, and ask the operator about its state."
            ),
        ),
        Step(
            "check_sms",
            N_(
                "First put the SIM in the phone you used it in and check that an SMS "
                "arrives. After 72 hours without use, or when you come back to Russia "
                "from abroad, mobile internet and SMS may be held for 24 hours (calls still "
                "work) until you open the link in the operator's SMS or call it."
            ),
        ),
        Step(
            "check_sms_esim",
            N_(
                "First check in your phone's settings that the eSIM is turned on, and that "
                "an SMS arrives. After 72 hours without use, or when you come back to "
                "Russia from abroad, mobile internet and SMS may be held for 24 hours "
                "(calls still work) until you open the link in the operator's SMS or call it."
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
            "imei",
            N_(
                "For foreigners, the SIM is tied in the contract to the phone it was "
                "registered with (its IMEI): in another phone it may get no service until "
                "the operator updates the IMEI (not fully confirmed). Keep it in the same "
                "phone while you still need its codes."
            ),
        ),
        Step(
            "last_number",
            N_(
                "If this is your last Russian number: fast payments (SBP) and some banks "
                "need a Russian number, and we could not confirm that banks or Gosuslugi "
                "accept a foreign one (such as +86). Ask them first, or withdraw your "
                "money or close the account before cancelling."
            ),
        ),
        Step(
            "esim_profile",
            N_(
                "Deleting the eSIM profile from your phone does not end the contract, and "
                "a deleted eSIM gets no more codes. Move your accounts first and keep the "
                "profile until the contract is ended: restoring an eSIM usually needs a "
                "visit to the operator's store with your passport."
            ),
        ),
        # The view adds what the operator does with the balance, from the registry.
        Step(
            "balance_refund",
            N_(
                "Plan the balance: spending it first is safer, because without a Russian "
                "bank account you may not get it back."
            ),
        ),
        Step(
            "balance_holder",
            N_(
                "The balance belongs to the holder: it is usually paid to their bank "
                "account, or to their representative if the power of attorney includes "
                "receiving money. Ask the operator how."
            ),
        ),
        Step("backup", N_("Back up the contacts and SMS stored on the SIM.")),
        Step("subscriptions", N_("Cancel paid subscriptions charged to the number.")),
        Step(
            "keep_sim",
            N_(
                "Do not sell or give the SIM to anyone but close relatives: since 1 "
                "September 2025 that is fined, and you stay responsible for the number. "
                "End the contract instead."
            ),
        ),
        Step(
            "hotline_abroad",
            N_(
                "From outside Russia, 8 800 numbers usually cannot be dialled: reach the "
                "operator through the chat in its app or on its website, or the "
                "international number on its site."
            ),
        ),
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


def _confirmation(answers: Answers) -> str | None:
    # Mirrors the skip rule: a seller's SIM is not registered to the user at all.
    if answer_or_unknown(answers, "owner") == "seller":
        return None
    return answer_or_unknown(answers, "foreign_confirmed")


def _no_sms(answers: Answers) -> bool:
    """The SIM gets no codes now: lost or blocked, or cut off and not reported working."""
    sim_works = answer_or_unknown(answers, "sim_works")
    cut_off = _confirmation(answers) == "no_or_blocked" and sim_works != "yes"
    return sim_works == "blocked_or_lost" or cut_off


def store_only(operator: Operator | None) -> bool:
    """The registry says, firmly enough to act on, that contracts end only in its stores."""
    return (
        operator is not None
        and operator.cancellation.value == "store_only"
        and operator.cancellation.confidence is not Confidence.L
    )


def _blocker_ids(answers: Answers, operator_facts: Operator | None) -> list[str]:
    """Which blockers apply. Each rule is one ``if``; the order is the display order."""
    owner = answer_or_unknown(answers, "owner")
    operator = answer_or_unknown(answers, "operator")
    sim_works = answer_or_unknown(answers, "sim_works")
    gosuslugi = answer_or_unknown(answers, "gosuslugi")
    confirmed = _confirmation(answers)

    if owner == "seller":
        # The buyer holds no contract: operator, debt and a lost SIM are the holder's
        # business, and the blocker says what the buyer can do.
        return ["owner_seller"]
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
    # about the SIM: the user told us the number was cut off. A working SIM that was not
    # confirmed is no blocker (yet): the steps warn about it.
    if confirmed == "no_or_blocked" and sim_works != "yes":
        ids.append("blocked_2025")
    elif sim_works == "blocked_or_lost":
        # Confirmed, or a Russian citizen, yet dead: lost, or blocked for another reason
        # (debt, inactivity, SIM swap). The same first step covers all of them.
        if confirmed == "unsure":
            ids.append("confirmation_unknown")
        ids.append("sim_lost")
    debt = answer_or_unknown(answers, "debt")
    if debt == "yes":
        ids.append("debt")
    if debt == "unsure":
        ids.append("debt_unknown")
    # The user's Gosuslugi is moot for someone else's number, and for an operator that
    # ends contracts only in its stores; either way an abroad user needs a representative
    # or a trip.
    if (
        answer_or_unknown(answers, "location") == "abroad"
        and owner != "someone_else"
        and (gosuslugi != "yes" or store_only(operator_facts))
    ):
        ids.append("abroad_no_remote_route")
    return ids


def _balance_step(answers: Answers) -> str | None:
    # A debt means no positive balance, whatever the (skipped) balance answer says.
    if answer_or_unknown(answers, "balance") != "yes" or answer_or_unknown(answers, "debt") == "yes":
        return None
    owner = answer_or_unknown(answers, "owner")
    if owner == "seller":
        return None
    return "balance_holder" if owner == "someone_else" else "balance_refund"


def _step_ids(answers: Answers) -> list[str]:
    owner = answer_or_unknown(answers, "owner")
    sim_works = answer_or_unknown(answers, "sim_works")
    confirmed = _confirmation(answers)
    esim = answer_or_unknown(answers, "sim_type") == "esim"
    no_sms = _no_sms(answers)
    ids: list[str] = []
    # A working SIM that may be unconfirmed can be cut off before the accounts are moved.
    if sim_works == "yes" and confirmed in ("no_or_blocked", "unsure"):
        ids.append("may_be_cut_off")
    if no_sms:
        ids.append("change_number_without_sms")
    elif sim_works == "unsure":
        ids += ["check_sms_esim" if esim else "check_sms", "change_number"]
    else:
        ids.append("change_number")
    # A foreigner's SIM moved to another phone may stop getting the codes still needed;
    # an eSIM cannot be moved, and a seller's SIM is not registered to the user.
    if not esim and not no_sms and confirmed not in (None, "not_foreigner"):
        ids.append("imei")
    if owner != "seller":
        ids.append("last_number")
    if esim:
        ids.append("esim_profile")
    balance = _balance_step(answers)
    if balance is not None:
        ids.append(balance)
    if not esim:
        ids.append("backup")
    if owner != "seller":
        ids.append("subscriptions")
    if owner in ("me", "unsure"):
        ids.append("keep_sim")
    if answer_or_unknown(answers, "location") == "abroad" and owner != "seller":
        ids.append("hotline_abroad")
    return ids


def assess(answers: Answers, operator: Operator | None = None) -> Verdict:
    """The verdict for these answers; works on partial or even empty answers.

    ``operator`` is the registry's entry for the chosen operator (None when unknown): its
    facts, not its id, decide the operator-specific rules.

    Blockers (missing answers read as "not sure"):
      owner seller -> owner_seller alone (the buyer holds no contract);
      owner someone_else -> owner_someone_else; owner unsure -> owner_unknown;
      operator unsure -> operator_unknown; operator other (not in the registry) ->
      operator_other;
      foreign_confirmed no_or_blocked and the SIM not working -> blocked_2025;
      otherwise SIM blocked_or_lost -> sim_lost, plus confirmation_unknown when the
      confirmation is unsure; debt yes -> debt; debt unsure -> debt_unknown;
      abroad, own (or unknown) number, and no confirmed Gosuslugi or an operator that
      ends contracts only in its stores -> abroad_no_remote_route.
    Status: the strongest status implied by any blocker, in the order
    NEEDS_SOMEONE_ELSE > OPERATOR_CHECK_FIRST > AFTER_STEPS; with no blockers,
    CAN_CANCEL_NOW (the before-steps still apply).
    Steps fit the person: no SIM card to insert and no contacts on an eSIM, no balance
    step without money to get back, the holder's balance for someone else's number.
    """
    blockers = tuple(BLOCKERS[i] for i in _blocker_ids(answers, operator))
    implied = {b.implies for b in blockers}
    status = next((s for s in _PRECEDENCE if s in implied), Status.CAN_CANCEL_NOW)
    return Verdict(status, blockers, tuple(STEPS[i] for i in _step_ids(answers)))
