"""Everything the bot says about one operator, filled from the registry (pure).

The operator card (/contacts and typed questions ask for the same one), how a contract
ends there, what happens to the balance, inactivity rules and the app: templates here,
facts from flows/data/operators.json, wording decided by flows.facts.hedge. A new operator
in the registry gets all of these without a code change.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

from flows.facts import Confidence, Reader, hedge, hedge_value, sources_line
from flows.operators import Operator, Registry
from flows.texts import N_

_CANCELLATION: dict[str, str] = {
    "store_only": N_(
        "{operator} ends contracts only in its own stores (not at dealer kiosks), with the "
        "passport the number is registered on."
    ),
    "store": N_(
        "With {operator}, a contract is ended in one of its own stores (фирменный салон, not a "
        "dealer kiosk), with the passport the number is registered on."
    ),
    "ask_first": N_(
        "We do not know how {operator} ends contracts: it has no stores of its own that we "
        "could confirm."
    ),
}
_POA_MONEY = N_(
    "A representative needs a notarized power of attorney that explicitly includes the right "
    "to receive money (for the balance)."
)
_REFUND = {
    "bank_or_same_operator": N_(
        "{operator} pays a positive balance to a bank account or moves it to another "
        "{operator} number, not in cash; the monthly tariff fee already paid and bonuses are "
        "not refunded."
    ),
}
_REFUND_UNKNOWN = N_(
    "The balance is usually paid to a bank account on request; we could not confirm the "
    "details for {operator}: ask it how, and whether the account must be in the holder's name."
)
_ASK_IN_APP = N_("Ask in the «{app}» app or on {site} before you go anywhere.")
_ASK_ON_SITE = N_("Ask on {site} before you go anywhere.")


def site_link(op: Operator) -> str:
    url = str(op.website.value)
    host = urlsplit(url).hostname or url
    return f'<a href="{escape(url)}">{escape(host.removeprefix("www."))}</a>'


def operator_name(reader: Reader, op: Operator) -> str:
    return escape(op.name(reader.lang))


def cancellation_text(reader: Reader, op: Operator) -> str:
    """How ending a contract works at this operator, as firmly as the sources allow."""
    name = operator_name(reader, op)
    fact = op.cancellation
    text = hedge(reader, reader.t(_CANCELLATION[fact.value]).format(operator=name), fact.confidence, name)
    if fact.value == "ask_first":
        ask = _ASK_IN_APP if op.app is not None else _ASK_ON_SITE
        text += " " + reader.t(ask).format(app=escape(op.app.value) if op.app else "", site=site_link(op))
    if op.poa_money_right is not None and op.poa_money_right.value:
        text += " " + hedge(reader, reader.t(_POA_MONEY), op.poa_money_right.confidence, name)
    return text


def refund_text(reader: Reader, op: Operator) -> str:
    """What happens to a positive balance at this operator."""
    name = operator_name(reader, op)
    if op.refund is None:
        return reader.t(_REFUND_UNKNOWN).format(operator=name)
    return hedge(reader, reader.t(_REFUND[op.refund.value]).format(operator=name), op.refund.confidence, name)


def _range(low: float | None, high: float | None) -> str | None:
    def number(value: float) -> str:
        return f"{value:g}"

    if low is None and high is None:
        return None
    if low is None:
        return f"≤{number(high)}"  # type: ignore[arg-type]
    if high is None:
        return f"{number(low)}+"
    return number(low) if low == high else f"{number(low)}–{number(high)}"


def inactivity_text(reader: Reader, op: Operator) -> str:
    """What happens to this operator's number when nobody uses it: ranges, hedged."""
    rules = op.inactivity.value
    name = operator_name(reader, op)
    t = reader.t
    parts = []
    fee_after = _range(rules.days_until_daily_fee.min, rules.days_until_daily_fee.max)
    fee = _range(rules.fee_per_day_rub.min, rules.fee_per_day_rub.max)
    if fee_after and fee:
        parts.append(t(N_("After {days} days without paid activity, a daily fee of {rubles} ₽ starts.")).format(
            days=fee_after, rubles=fee))
    elif fee_after:
        parts.append(t(N_("After {days} days without paid activity, a daily fee starts.")).format(days=fee_after))
    at_zero = _range(rules.days_at_zero_until_end.min, rules.days_at_zero_until_end.max)
    if at_zero:
        parts.append(t(N_(
            "Once the fee has used up the balance, the contract can end {days} days after the balance "
            "reached zero, and the number later goes to someone else.")).format(days=at_zero))
    unused = _range(rules.days_unused_until_end.min, rules.days_unused_until_end.max)
    if unused:
        parts.append(t(N_(
            "The contract can end after about {days} days without paid actions, and the number later "
            "goes to someone else.")).format(days=unused))
    if not parts:
        return t(N_("We found no reliable figures for {operator}: ask it, and check your tariff terms.")).format(
            operator=name)
    text = hedge(reader, " ".join(parts), op.inactivity.confidence, name)
    return text + " " + t(N_(
        "Figures depend on the tariff and change, so check your tariff terms; all in all a lapse "
        "often takes many months."))


def app_text(reader: Reader, op: Operator) -> str:
    """What an operator's app can do for a user who wants to cancel."""
    name = operator_name(reader, op)
    if op.app is None:
        return reader.t(N_("We know of no app from {operator}; its website is {site}.")).format(
            operator=name, site=site_link(op))
    return reader.t(N_(
        "In the «{app}» app you can check the balance, see your tariff and write to support. No "
        "official page says the app can end a contract, so do not count on a \"cancel\" button: "
        "ask support there how {operator} ends contracts.")).format(app=escape(op.app.value), operator=name)


def _phone_lines(reader: Reader, op: Operator) -> list[str]:
    t = reader.t
    site = site_link(op)
    lines = []
    hotline = op.hotline
    if hotline is not None and hotline.confidence is not Confidence.L:
        number = hedge_value(reader, f"<code>{escape(hotline.value)}</code>", hotline.confidence, site)
        lines.append(t(N_("Hotline: {phone}")).format(phone=number))
    else:
        lines.append(t(N_("Hotline: we could not confirm the number, so use the contacts on {site}.")).format(
            site=site))
    short = op.short_number
    if short is not None and short.confidence is not Confidence.L:
        number = hedge_value(reader, f"<code>{escape(short.value)}</code>", short.confidence, site)
        lines.append(t(N_("Short number (from a {operator} SIM): {number}")).format(
            operator=operator_name(reader, op), number=number))
    if hotline is not None and hotline.value.startswith("8 800") and hotline.confidence is not Confidence.L:
        lines.append(t(N_(
            "8 800 numbers usually cannot be dialled from outside Russia: from abroad, use the chat "
            "on the website or in the app.")))
    return lines


def contacts_text(reader: Reader, op: Operator) -> str:
    """The operator's name, phone numbers (hedged; never an L number), website, app, stores."""
    t = reader.t
    site = site_link(op)
    lines = _phone_lines(reader, op)
    lines.append(t(N_("Website: {site}")).format(site=site))
    if op.app is not None:
        lines.append(t(N_("App: «{app}»")).format(app=escape(op.app.value)))
    if op.store_finder is not None:
        stores = f'<a href="{escape(str(op.store_finder.value))}">{escape(str(op.store_finder.value))}</a>'
        lines.append(t(N_("Store addresses: {link}")).format(link=stores))
    elif op.cancellation.value != "ask_first":
        lines.append(t(N_("Store addresses: on {site} (look for «Салоны связи») or in the app.")).format(site=site))
    return f"☎️ <b>{operator_name(reader, op)}</b>\n" + "\n".join(lines)


def sources_text(reader: Reader, op: Operator, registry: Registry) -> str:
    return "<i>" + sources_line(reader, registry.sources, op.facts()) + "</i>"


def card_paragraphs(reader: Reader, op: Operator, registry: Registry) -> list[str]:
    """One operator's card: contacts, stores, how a contract ends, money, inactivity, sources."""
    t = reader.t
    return [
        contacts_text(reader, op),
        f"<b>{t(N_('How a contract ends'))}</b>\n" + cancellation_text(reader, op) + "\n" + refund_text(reader, op),
        f"<b>{t(N_('If the number is not used'))}</b>\n" + inactivity_text(reader, op),
        sources_text(reader, op, registry),
    ]
