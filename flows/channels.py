"""Ways to end a contract, ranked for one user's answers (pure: no aiogram, no I/O).

``recommend(answers)`` takes the same answers dict as ``flows.eligibility`` and returns
channels best first. Every text field is a msgid (or a tuple of msgids) marked with
``N_``; the handler translates them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flows.eligibility import Answers, answer_or_unknown
from flows.texts import N_


@dataclass(frozen=True)
class Channel:
    """One way to act on the contract.

    ``cancels`` is False for a channel that cannot end the contract (the hotline): show
    it as help, never as a way to cancel. ``warned_against`` marks "let it lapse": show
    it only with its ``warnings``. ``warnings`` holds the channel's fixed warnings plus
    any that ``recommend`` adds for the user's answers.
    """

    id: str
    title: str
    steps: tuple[str, ...]
    bring: tuple[str, ...]
    ask_for: tuple[str, ...]
    check: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    cancels: bool = True
    warned_against: bool = False


_ASK_CONFIRMATION = N_("A written confirmation that the contract is ended.")
_ASK_REFUND = N_(
    "The positive balance paid to your bank account (there is no cash), or moved to "
    "another number of the same operator."
)
_CHECK_CALL = N_("A few days later, call the number: it should no longer connect.")

STORE = Channel(
    id="store",
    title=N_("In an operator store"),
    steps=(
        N_("Find a store (салон связи) of your operator on its website."),
        N_("Say that you want to end the contract (расторгнуть договор) for the "
           "number."),
        N_("Sign the application and wait until the staff confirm that it is done."),
    ),
    bring=(
        N_("The passport the number is registered on."),
        N_("Your bank account details, if you want the balance back."),
    ),
    ask_for=(_ASK_CONFIRMATION, _ASK_REFUND),
    check=(N_("Keep the written confirmation."), _CHECK_CALL),
)

GOSUSLUGI = Channel(
    id="gosuslugi",
    title=N_("On Gosuslugi, section «SIM-карты»"),
    steps=(
        N_("Log in to Gosuslugi (gosuslugi.ru or the app)."),
        N_("Open «SIM-карты»: it lists every number registered to you."),
        N_("Choose the number and apply to end the contract."),
    ),
    bring=(N_("A confirmed Gosuslugi account."),),
    ask_for=(
        N_("The operator's answer to your application, kept in Gosuslugi."),
        _ASK_REFUND,
    ),
    check=(
        N_("The application shows as done, and the number is gone from «SIM-карты»."),
        _CHECK_CALL,
    ),
    warnings=(
        N_("The operator decides on the application. If it is refused, use a store or "
           "a representative."),
    ),
)

REPRESENTATIVE = Channel(
    id="representative",
    title=N_("Through a representative with a power of attorney"),
    steps=(
        N_("The person the number is registered on signs a notarized power of attorney "
           "(нотариальная доверенность) for someone who can go to a store."),
        N_("It should allow ending the contract for this number and receiving money "
           "(the balance)."),
        N_("The representative goes to an operator store with it and their own "
           "passport."),
    ),
    bring=(
        N_("The original notarized power of attorney."),
        N_("The representative's own passport."),
    ),
    ask_for=(_ASK_CONFIRMATION, _ASK_REFUND),
    check=(N_("Ask the representative for a photo of the written confirmation."), _CHECK_CALL),
    warnings=(
        N_("Cancelling is free at the operator. Never give your passport scan or SMS "
           "codes to paid middlemen."),
    ),
)

HOTLINE = Channel(
    id="hotline",
    title=N_("The operator's hotline"),
    steps=(
        N_("Call it to ask questions, check the balance or debt, or block a lost SIM "
           "for a while."),
    ),
    bring=(),
    ask_for=(),
    check=(),
    warnings=(
        N_("A call does not end the contract: use a store, Gosuslugi or a representative."),
        N_("Operators never ask for SMS codes. Hang up on anyone who does."),
    ),
    cancels=False,
)

LAPSE = Channel(
    id="lapse",
    title=N_("Let it lapse (not recommended)"),
    steps=(
        N_("If the number has no paid activity for a while, the operator usually starts "
           "charging a daily fee."),
        N_("Later it ends the contract itself and may give the number to someone else."),
    ),
    bring=(),
    ask_for=(),
    check=(),
    warnings=(
        N_("The next owner of the number may receive your codes from banks, Gosuslugi, "
           "Telegram and WeChat. Scammers buy recycled numbers for this."),
        N_("Daily fees eat the balance. Periods and amounts depend on the tariff: check "
           "your tariff terms."),
    ),
    cancels=False,
    warned_against=True,
)

CHANNELS: dict[str, Channel] = {
    c.id: c for c in (STORE, GOSUSLUGI, REPRESENTATIVE, HOTLINE, LAPSE)
}

# One line per channel for the overview; the order of CHANNELS is the overview's order.
SUMMARIES: dict[str, str] = {
    "store": N_("Works for every operator: go with the passport the number is registered on."),
    "gosuslugi": N_("From anywhere, with a confirmed account, for numbers on your own name. "
                    "The operator decides on the application."),
    "representative": N_("Someone goes to a store for you with a notarized power of attorney: "
                         "the way when you are abroad."),
    "hotline": N_("For questions and a temporary block only: a call does not end the contract."),
    "lapse": N_("Not a safe way: daily fees eat the balance, and the number is later given "
                "to someone else, who then receives your codes."),
}

_T2_GOSUSLUGI = N_("T2 says it ends contracts only in its stores, so an application "
                   "here may be refused.")
_T2_POWER = N_("T2 requires the power of attorney to include the right to receive "
               "money (for the balance).")
_STORE_ABROAD = N_("Only when you are back in Russia.")
_HOTLINE_LOST = N_("If the SIM is lost, call first and have the number blocked.")


def _cancel_ranking(answers: Answers) -> list[str]:
    """Cancelling channels, best first. Each rule is documented where it is applied."""
    owner = answer_or_unknown(answers, "owner")
    operator = answer_or_unknown(answers, "operator")
    if owner == "someone_else":
        # Only the holder or their representative can act. The holder walking into a
        # store needs no notary, so that comes first wherever the user is.
        return ["store", "representative"]
    # «SIM-карты» needs a confirmed account and covers only numbers on the user's own
    # name; an unsure owner keeps it, since it is also how to find out.
    gosuslugi = answer_or_unknown(answers, "gosuslugi") == "yes"
    if answer_or_unknown(answers, "location") == "abroad":
        # Abroad: a remote route first. Gosuslugi leads unless the operator is T2 (which
        # ends contracts only in stores); then a representative; a store only on return.
        if gosuslugi and operator != "t2":
            return ["gosuslugi", "representative", "store"]
        return ["representative", "store"] + (["gosuslugi"] if gosuslugi else [])
    # In Russia (or location unknown): the store is the one route confirmed for every
    # operator, so it leads; Gosuslugi is the convenient second.
    return ["store"] + (["gosuslugi"] if gosuslugi else [])


def _with_warnings(channel: Channel, answers: Answers) -> Channel:
    """The channel with warnings that depend on the answers appended."""
    extra: list[str] = []
    operator = answer_or_unknown(answers, "operator")
    if channel.id == "gosuslugi" and operator == "t2":
        extra.append(_T2_GOSUSLUGI)
    if channel.id == "representative" and operator == "t2":
        extra.append(_T2_POWER)
    if channel.id == "store" and answer_or_unknown(answers, "location") == "abroad":
        extra.append(_STORE_ABROAD)
    lost = answer_or_unknown(answers, "sim_works") == "blocked_or_lost"
    if channel.id == "hotline" and lost:
        extra.append(_HOTLINE_LOST)
    return replace(channel, warnings=channel.warnings + tuple(extra)) if extra else channel


def recommend(answers: Answers) -> list[Channel]:
    """Channels for these answers, best first; works on partial answers.

    Ranking rules (missing answers read as "not sure"):
      - The store is always listed (the only route T2 confirms).
      - Gosuslugi is listed only with a confirmed account and a number that is not
        someone else's; for T2 it never leads and carries a warning.
      - A representative is listed when the user is abroad or the holder is someone else.
      - Someone else's number: store, then representative.
      - Abroad: Gosuslugi (not T2), representative, store (on return), Gosuslugi (T2).
      - In Russia or location unknown: store, then Gosuslugi.
      - Then the hotline (``cancels=False``), and "let it lapse" always last
        (``warned_against=True``).
    """
    ids = _cancel_ranking(answers) + ["hotline", "lapse"]
    return [_with_warnings(CHANNELS[i], answers) for i in ids]
