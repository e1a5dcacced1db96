"""Ways to end a contract, ranked for one user's answers (pure: no aiogram, no I/O).

``recommend(answers)`` takes the same answers dict as ``flows.eligibility`` and returns
channels best first. Every text field is a msgid (or a tuple of msgids) marked with
``N_``; the handler translates them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flows.eligibility import Answers, answer_or_unknown, store_only
from flows.facts import Confidence
from flows.operators import Operator
from flows.texts import N_


@dataclass(frozen=True)
class Channel:
    """One way to act on the contract.

    ``warnings`` holds the channel's fixed warnings plus any that ``recommend`` adds for
    the user's answers.
    """

    id: str
    title: str
    steps: tuple[str, ...]
    bring: tuple[str, ...]
    ask_for: tuple[str, ...]
    check: tuple[str, ...]
    warnings: tuple[str, ...] = ()


_ASK_CONFIRMATION = N_("A written confirmation that the contract is ended.")
# Whether the operator pays cash is the operator's fact: the verdict words it from the
# registry, so these lines only say what to ask for.
_ASK_REFUND = N_(
    "The positive balance paid to your bank account, or moved to another number of the "
    "same operator."
)
_ASK_REFUND_HOLDER = N_(
    "The positive balance, which is the holder's, paid to their bank account or moved "
    "to another number of the same operator."
)
_BRING_BANK = N_("Your bank account details, if you want the balance back.")
_BRING_HOLDER_BANK = N_("The holder's bank account details, if they want the balance back.")
_CHECK_CALL = N_("A few days later, call the number: it should no longer connect.")
_GOSUSLUGI_ASK = N_("Ask the operator to confirm that the contract was ended.")
_GOSUSLUGI_ASK_REFUND = N_(
    "Ask the operator to confirm that the contract was ended, and how your balance will "
    "be returned."
)

STORE = Channel(
    id="store",
    title=N_("In an operator store"),
    steps=(
        N_("Find the operator's own store (фирменный салон связи) on its website: a "
           "dealer's kiosk may not be able to end contracts."),
        N_("Say that you want to end the contract (расторгнуть договор) for the "
           "number."),
        N_("Sign the application and wait until the staff confirm that it is done."),
    ),
    bring=(N_("The passport the number is registered on."), _BRING_BANK),
    ask_for=(_ASK_CONFIRMATION, _ASK_REFUND),
    check=(N_("Keep the written confirmation."), _CHECK_CALL),
)

# Someone else's number: the same store, but every step is the holder's, and where the
# user is does not matter.
_HOLDER_STORE = Channel(
    id="store",
    title=N_("The holder, in an operator store"),
    steps=(
        N_("The holder (the person the number is registered on) goes to the operator's "
           "own store (фирменный салон связи) with their passport."),
        N_("They say they want to end the contract (расторгнуть договор) for the "
           "number, and sign the application."),
        N_("Or the two of you re-register the number to you there (переоформление), "
           "both with your passports. Then it is your number, and you can end it "
           "yourself."),
    ),
    bring=(N_("The holder's passport."), _BRING_HOLDER_BANK),
    ask_for=(_ASK_CONFIRMATION, _ASK_REFUND_HOLDER),
    check=(N_("Ask the holder for a photo of the written confirmation."), _CHECK_CALL),
)

# A SIM bought from a seller: the buyer has no contract, so the one way is the seller.
_SELLER = Channel(
    id="store",
    title=N_("Through the seller"),
    steps=(
        N_("Ask the seller to have the contract ended: only the holder (the seller, a "
           "company or whoever the number is registered on) can do it, in the "
           "operator's own store."),
        N_("Until then, stop topping up the number: you usually cannot get that money "
           "back."),
    ),
    bring=(),
    ask_for=(N_("A photo of the written confirmation that the contract is ended."),),
    check=(_CHECK_CALL,),
    warnings=(
        N_("Never send a seller photos of your passport or SMS codes: a number can be "
           "registered to you with them."),
    ),
)

GOSUSLUGI = Channel(
    id="gosuslugi",
    title=N_("On Gosuslugi, section «SIM-карты»"),
    steps=(
        N_("Log in to Gosuslugi (gosuslugi.ru or the app). The login may need an SMS "
           "code sent to the phone number of your account."),
        N_("Open «SIM-карты»: it lists the numbers registered to you. One registered on "
           "an old passport can be missing."),
        N_("Choose the number. You can refuse it or block it there; press reports also "
           "describe an application to end the contract."),
    ),
    bring=(
        N_("A confirmed Gosuslugi account."),
        N_("The phone of your Gosuslugi account, for the login code."),
    ),
    ask_for=(_GOSUSLUGI_ASK_REFUND,),
    check=(
        N_("The operator's confirmation that the contract is ended: a blocked number is "
           "not an ended contract."),
        _CHECK_CALL,
    ),
    warnings=(
        N_("What Gosuslugi does with the number is confirmed for refusing or blocking "
           "it, not for ending the contract. If the operator does not confirm the end, "
           "use a store or a representative."),
    ),
)

_REPRESENTATIVE_STEPS = (
    N_("The person the number is registered on signs a notarized power of attorney "
       "(нотариальная доверенность) for someone who can go to a store."),
    N_("It should allow ending the contract for this number and receiving money "
       "(the balance)."),
    N_("The representative goes to the operator's own store with it and their own "
       "passport."),
)

REPRESENTATIVE = Channel(
    id="representative",
    title=N_("Through a representative with a power of attorney"),
    steps=_REPRESENTATIVE_STEPS,
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

# Where a power of attorney is signed outside Russia. Whether operators accept the
# notary-and-apostille kind is not confirmed, hence "ask first".
_POWER_ABROAD = N_(
    "Signed outside Russia, a power of attorney is made at a Russian consulate, or by a "
    "local notary with an apostille and a certified Russian translation. We could not "
    "confirm that operators accept the second kind: ask the operator before you pay a "
    "notary."
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
)

CHANNELS: dict[str, Channel] = {
    c.id: c for c in (STORE, GOSUSLUGI, REPRESENTATIVE, HOTLINE, LAPSE)
}

# One line per channel for the overview; the order of CHANNELS is the overview's order.
SUMMARIES: dict[str, str] = {
    "store": N_("In the operator's own store, with the passport the number is registered on: "
                "the usual way, though not confirmed for every operator. Your operator's card "
                "says what is known."),
    "gosuslugi": N_("With a confirmed account, for numbers on your own name: you can refuse or "
                    "block a number there. Possibly from abroad too, but the login may need "
                    "an SMS code to your phone. Ask the operator to confirm the contract ended."),
    "representative": N_("Someone goes to a store for you with a notarized power of attorney: "
                         "a possible way when you are not in Russia."),
    "hotline": N_("For questions and a temporary block only: a call does not end the contract."),
    "lapse": N_("Not a safe way: daily fees eat the balance, and the number is later given "
                "to someone else, who then receives your codes."),
}

# Warnings that follow from the registry's facts about the chosen operator.
_STORE_ONLY_GOSUSLUGI = N_("This operator ends contracts only in its own stores, so an "
                           "application here may be refused.")
_POWER_MONEY = N_("This operator requires the power of attorney to include the right to "
                  "receive money (for the balance).")
_STORE_UNCONFIRMED = N_("We could not confirm how this operator ends contracts: ask it before "
                        "you go to a store.")
_STORE_ABROAD = N_("Only when you are back in Russia.")
_HOTLINE_LOST = N_("If the SIM is lost, call first and have the number blocked.")
_HOTLINE_ABROAD = N_("8 800 numbers usually cannot be dialled from outside Russia: use the "
                     "chat in the operator's app or on its website, or the international "
                     "number on its site.")


def _cancel_ranking(answers: Answers, operator: Operator | None) -> list[str]:
    """Cancelling channels, best first. Each rule is documented where it is applied."""
    owner = answer_or_unknown(answers, "owner")
    if owner == "seller":
        # The buyer has no contract: only the holder, reached through the seller, can act.
        return ["store"]
    if owner == "someone_else":
        # Only the holder or their representative can act. The holder walking into a
        # store needs no notary, so that comes first wherever the user is.
        return ["store", "representative"]
    # «SIM-карты» needs a confirmed account and covers only numbers on the user's own
    # name; an unsure owner keeps it, since it is also how to find out.
    gosuslugi = answer_or_unknown(answers, "gosuslugi") == "yes"
    if answer_or_unknown(answers, "location") == "abroad":
        # Abroad: a remote route first. Gosuslugi leads unless the operator ends contracts
        # only in its stores; then a representative; a store only on return.
        if gosuslugi and not store_only(operator):
            return ["gosuslugi", "representative", "store"]
        return ["representative", "store"] + (["gosuslugi"] if gosuslugi else [])
    # In Russia (or location unknown): the store is the usual route, so it leads;
    # Gosuslugi is the convenient second.
    return ["store"] + (["gosuslugi"] if gosuslugi else [])


def _wants_refund(answers: Answers) -> bool:
    """Whether refund lines belong in the steps: money may be left, and it is the user's
    (or the holder's) to claim. An unanswered balance keeps them."""
    if answer_or_unknown(answers, "owner") == "seller" or answer_or_unknown(answers, "debt") == "yes":
        return False
    return answer_or_unknown(answers, "balance") != "no"


def _base(channel_id: str, answers: Answers) -> Channel:
    """The channel as written for this owner: the holder's or the seller's version."""
    owner = answer_or_unknown(answers, "owner")
    if channel_id == "store" and owner == "seller":
        return _SELLER
    if channel_id == "store" and owner == "someone_else":
        return _HOLDER_STORE
    return CHANNELS[channel_id]


def _tailored(channel: Channel, answers: Answers, operator: Operator | None) -> Channel:
    """The channel with lines that do not fit the answers dropped and warnings added."""
    owner = answer_or_unknown(answers, "owner")
    abroad = answer_or_unknown(answers, "location") == "abroad"
    refund = _wants_refund(answers)
    money_lines = {_BRING_BANK, _BRING_HOLDER_BANK, _ASK_REFUND, _ASK_REFUND_HOLDER}
    refund_line = _ASK_REFUND_HOLDER if owner == "someone_else" else _ASK_REFUND
    ask_for = tuple(
        refund_line if line in money_lines else line
        for line in channel.ask_for
        if refund or line not in money_lines
    )
    if channel.id == "gosuslugi" and not refund:
        ask_for = (_GOSUSLUGI_ASK,)
    bring = tuple(line for line in channel.bring if refund or line not in money_lines)
    steps = channel.steps
    # The holder may be anywhere too, so the note on foreign powers of attorney applies.
    if channel.id == "representative" and (abroad or owner == "someone_else"):
        steps += (_POWER_ABROAD,)
    extra: list[str] = []
    if channel.id == "gosuslugi" and store_only(operator):
        extra.append(_STORE_ONLY_GOSUSLUGI)
    # Only a confirmed rule becomes a warning here; the verdict words weaker ones hedged.
    money_right = operator.poa_money_right if operator is not None else None
    if (channel.id == "representative" and refund and money_right is not None and money_right.value
            and money_right.confidence is Confidence.H):
        extra.append(_POWER_MONEY)
    unconfirmed = operator is not None and (
        operator.cancellation.value == "ask_first" or operator.cancellation.confidence is Confidence.L)
    if channel.id == "store" and unconfirmed and owner != "seller":
        extra.append(_STORE_UNCONFIRMED)
    # Only the user's own trip matters; a holder or a seller acts wherever the user is.
    if channel.id == "store" and abroad and owner in ("me", "unsure"):
        extra.append(_STORE_ABROAD)
    if channel.id == "hotline" and answer_or_unknown(answers, "sim_works") == "blocked_or_lost":
        extra.append(_HOTLINE_LOST)
    if channel.id == "hotline" and abroad:
        extra.append(_HOTLINE_ABROAD)
    return replace(channel, steps=steps, bring=bring, ask_for=ask_for,
                   warnings=channel.warnings + tuple(extra))


def recommend(answers: Answers, operator: Operator | None = None) -> list[Channel]:
    """Channels for these answers, best first; works on partial answers.

    ``operator`` is the registry's entry for the chosen operator (None when unknown).
    Ranking rules (missing answers read as "not sure"):
      - The store is always listed (the one route confirmed anywhere); for someone
        else's number it is the holder's store visit, for a seller's SIM asking the seller.
      - Gosuslugi is listed only with a confirmed account and a number that is the
        user's; for an operator that ends contracts only in its stores it never leads
        and carries a warning.
      - A representative is listed when the user is abroad or the holder is a person
        the user knows.
      - A seller's SIM: the seller only.
      - Someone else's number: store, then representative, wherever the user is.
      - Abroad: Gosuslugi (unless store-only), representative, store (on return),
        Gosuslugi (store-only).
      - In Russia or location unknown: store, then Gosuslugi.
      - Then the hotline, which cannot end the contract, and "let it lapse" always
        last.
    Lines are tailored too: no bank details or refund without money to get back, the
    holder's balance for someone else's number, the foreign power of attorney abroad,
    and the operator's own rules from the registry.
    """
    ids = _cancel_ranking(answers, operator) + ["hotline", "lapse"]
    return [_tailored(_base(i, answers), answers, operator) for i in ids]
