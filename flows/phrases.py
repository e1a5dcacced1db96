"""Help to act: what to say in a Russian store, and the message a user sends to the person
the number is registered on (or to the seller of the SIM).

Each phrase is one msgid: its Russian translation is what the staff or the holder read, and
its translation in the user's language goes beside it. Facts follow the domain notes: store
visits with the passport are what sources describe (M: "usually"), a power of attorney made
abroad may not be accepted (L: ask first), T2 wants the right to receive money written in
the power of attorney (H), and the user is always sent to the operator to confirm.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.eligibility import Answers, answer_or_unknown
from flows.texts import N_


@dataclass(frozen=True, slots=True)
class PhraseGroup:
    heading: str  # msgid, shown in the user's language
    phrases: tuple[str, ...]  # msgids, shown in Russian with the user's language beside


STORE_CARD_TITLE = N_("🗣 <b>At the store</b>: show the Russian lines to the staff.")
STORE_GROUPS: tuple[PhraseGroup, ...] = (
    PhraseGroup(N_("What to say"), (
        N_("Hello! I want to end the contract for the number +7…"),
        N_("I want the balance left on the number refunded to my bank account. Here are the bank details."),
        N_("Please give me a written confirmation that the contract is ended."),
    )),
    PhraseGroup(N_("What the staff will likely ask"), (
        N_("Your passport, please."),
        N_("Please fill in and sign the application."),
        N_("There is a debt on the number: it has to be paid first."),
        N_("Where should the balance go: to a bank account or to another number?"),
    )),
)
# The Russian words users must recognise in a store (locales/GLOSSARY.md): the Russian word,
# then its meaning in the user's language.
STORE_WORDS: tuple[tuple[str, str], ...] = (
    ("паспорт", N_("passport")),
    ("заявление", N_("application (form)")),
    ("расторжение договора", N_("ending the contract")),
    ("подпись, подпишите", N_("signature, please sign")),
    ("остаток", N_("money left on the balance")),
    ("реквизиты", N_("bank details")),
    ("задолженность", N_("debt")),
    ("доверенность", N_("power of attorney")),
    ("письменное подтверждение", N_("written confirmation")),
)
STORE_WORDS_HEADING = N_("Words to recognise")
STORE_HEDGE = N_(
    "Go to the operator's own store (фирменный салон) with the passport the number is registered "
    "on. Stores usually work like this, but rules differ: confirm with your operator."
)

# For the holder of a number on someone else's passport: forwarded as it is, in Russian.
HOLDER_MESSAGE = N_(
    "Hello! The phone number +7… that I use is registered on your passport. I no longer need it. "
    "Please end the contract for this number, so that it does not stay in your name.\n\n"
    "What to do: go to the operator's own store with the passport the number is registered on "
    "and sign an application to end the contract. Usually only the holder of the number, or "
    "their representative with a notarized power of attorney, can do this; please confirm the "
    "details with the operator.\n\n"
    "If you cannot go yourself, a notary can make a power of attorney for a representative. It "
    "usually says: «I authorise [full name of the representative], passport [series and "
    "number], to represent me before the operator [operator] in ending the contract for the "
    "number +7…, with the right to sign applications and to receive the money left on the "
    "balance.» Some operators (T2, for example) require the right to receive money to be written "
    "in it. A power of attorney made outside Russia (at a Russian consulate, or by a local "
    "notary with an apostille and a certified Russian translation) may not be accepted: ask the "
    "operator first.\n\n"
    "The money left on the balance belongs to you: it is usually paid to your bank account. "
    "Thank you!"
)
# For the seller of a SIM registered on a company or a stranger.
SELLER_MESSAGE = N_(
    "Hello! I no longer use the SIM card with the number +7… bought from you. Please end the "
    "contract for this number, or ask the person or company it is registered on to do it, and "
    "let me know when it is done. I will not top up the balance any more. Thank you!"
)
HOLDER_INTRO = N_(
    "📤 The next message is in Russian, for the person the number is registered on. Forward it "
    "to them (press and hold it, then Forward), or copy it, and put the number in place of +7…"
)
SELLER_INTRO = N_(
    "📤 The next message is in Russian, for the seller of the SIM. Forward it to them (press and "
    "hold it, then Forward), or copy it, and put the number in place of +7…; never send a "
    "seller photos of your passport."
)


def someone_else_acts(answers: Answers) -> str | None:
    """Who has to end the contract when it is not the user: "holder", "seller" or None."""
    owner = answer_or_unknown(answers, "owner")
    return {"someone_else": "holder", "seller": "seller"}.get(owner or "")


def message_for(who: str) -> tuple[str, str]:
    """(the intro in the user's language, the message in Russian) as msgids."""
    return (HOLDER_INTRO, HOLDER_MESSAGE) if who == "holder" else (SELLER_INTRO, SELLER_MESSAGE)
