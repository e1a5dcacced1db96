"""The checklist before cancelling: items as data, which ones are optional, progress.

Pure code. Titles and how-tos are English msgids (Telegram HTML); the handler translates
them with the reader's locale. Items are never hidden: an item the user's eligibility
answers make irrelevant is only marked optional, because every answer can be wrong and a
missed step (a bank still sending codes to a recycled number) costs far more than a
needless tap.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from flows.eligibility import Answers
from flows.texts import N_


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    title: str  # msgid, short enough for a button with a "✅ " prefix
    howto: str  # msgid, Telegram HTML


@dataclass(frozen=True)
class OptionalRule:
    """The item becomes optional when every listed answer is one of the listed options.

    A missing answer never matches, so unknown keeps the item required.
    """

    item_id: str
    when: Mapping[str, frozenset[str]]
    reason: str  # msgid telling the user why the item is optional for them

    def applies(self, answers: Answers) -> bool:
        return all(answers.get(key) in options for key, options in self.when.items())


ITEMS: tuple[ChecklistItem, ...] = (
    ChecklistItem(
        "banks",
        N_("Banks and SBP"),
        N_(
            "<b>Banks and fast payments (SBP)</b>\n"
            "In every bank app you use (Sberbank, T-Bank and others), change the phone "
            "number in the profile settings while the old SIM still gets SMS.\n"
            "SBP transfers reach you by phone number, so make the new number your SBP "
            "number too.\n"
            "Some banks may ask you to come to a branch: check with your bank.\n"
            "If this is your last Russian number: SBP and some banks need a Russian "
            "number, and we could not confirm that they accept a foreign one (such as "
            "+86). Ask your bank first, or withdraw your money or close the account "
            "before cancelling."
        ),
    ),
    ChecklistItem(
        "gosuslugi",
        N_("Gosuslugi"),
        N_(
            "<b>Gosuslugi (Госуслуги)</b>\n"
            "Open «Настройки и безопасность» and change the phone number there. A code "
            "goes to the old number, so do this before cancelling.\n"
            "This matters even if your account is not confirmed: the number may still "
            "be your login or receive your codes.\n"
            "We could not confirm that Gosuslugi accepts a foreign number (such as +86): "
            "if this is your last Russian number, check that first."
        ),
    ),
    ChecklistItem(
        "telegram",
        N_("Telegram: number, password"),
        N_(
            "<b>Telegram</b>\n"
            "1. Settings → tap your phone number → Change Number.\n"
            "2. Settings → Privacy and Security → Two-Step Verification: set a cloud "
            "password. It stops a login with just an SMS code, but the next owner of the "
            "number may still ask Telegram to reset your account, so only step 1 fully "
            "protects you.\n"
            "Menu names may differ a little between apps and versions."
        ),
    ),
    ChecklistItem(
        "wechat",
        N_("WeChat"),
        N_(
            "<b>WeChat</b>\n"
            "我 → 设置 → 账号与安全 → 手机号 → 更换, then confirm the new number with "
            "the code it receives.\n"
            "The path may differ slightly between WeChat versions."
        ),
    ),
    ChecklistItem(
        "other_apps",
        N_("Other apps and email"),
        N_(
            "<b>Other apps and email</b>\n"
            "Change the number in WhatsApp, Alipay, email accounts that send you login "
            "codes by SMS, marketplaces, taxi and delivery apps.\n"
            "Tip: scroll through the SMS on this number to see which services have sent "
            "you codes."
        ),
    ),
    ChecklistItem(
        "backup",
        N_("Back up SIM contacts, SMS"),
        N_(
            "<b>Contacts and SMS on the SIM</b>\n"
            "Contacts and messages saved on the SIM card itself go away with it. In your "
            "phone's Contacts app, copy SIM contacts to the phone or a cloud account, "
            "and save any SMS you want to keep."
        ),
    ),
    ChecklistItem(
        "subscriptions",
        N_("Paid subscriptions"),
        N_(
            "<b>Paid subscriptions</b>\n"
            "Services billed to the number keep charging until you turn them off, and "
            "their fees are usually not refunded. Check the list in the operator's app "
            "or personal account and switch off what you do not need."
        ),
    ),
    ChecklistItem(
        "balance",
        N_("Balance and debts"),
        N_(
            "<b>Balance and debts</b>\n"
            "Operators usually want any debt paid before the contract can end.\n"
            "Money left on the balance is usually not paid out in cash (T2 never pays "
            "cash; other operators: ask): spend it, or ask for a refund to a bank account "
            "(or a move to another number of the same operator). Without a Russian bank "
            "account you may not get it back, so spending it is safer. The monthly tariff "
            "fee and bonuses are usually not refunded.\n"
            "If someone cancels for you, their power of attorney may need to include "
            "the right to receive money. Ask the operator how the refund works."
        ),
    ),
    ChecklistItem(
        "after",
        N_("After cancelling"),
        N_(
            "<b>After cancelling</b>\n"
            "Keep the written confirmation that the contract has ended.\n"
            "Later, call or text the number from another phone: it should no longer "
            "work. If you use Gosuslugi, its «SIM-карты» section should stop listing "
            "it. If the number still works, contact the operator."
        ),
    ),
)

# Each rule says why an item may be skipped. Items without a rule are always required:
# - banks, telegram, wechat, other_apps: no answer tells us which apps use the number, and
#   a data-only SIM often receives SMS too, so it may well be linked.
# - gosuslugi: the eligibility answer is about having a (confirmed) account; the number can
#   still be the login of an unconfirmed account, so "no" does not make the item moot.
# - subscriptions: any SIM type, even a blocked one, may carry paid services.
# - after: always needed to make sure the contract really ended.
OPTIONAL_RULES: tuple[OptionalRule, ...] = (
    OptionalRule(
        "balance",
        {"balance": frozenset({"no"}), "debt": frozenset({"no"})},
        N_("Optional for you: you said there is no money on the balance and no debt."),
    ),
    # The balance and debt of a seller's SIM are the holder's, not the buyer's.
    OptionalRule(
        "balance",
        {"owner": frozenset({"seller"})},
        N_("Optional for you: the balance and any debt of a seller's SIM are not yours."),
    ),
    # An eSIM has no card of its own to keep contacts or SMS on: phones keep them in their
    # own memory, and cancelling the contract does not erase that.
    OptionalRule(
        "backup",
        {"sim_type": frozenset({"esim"})},
        N_("Optional for you: an eSIM keeps no contacts or SMS of its own."),
    ),
)

TITLE_OPTIONAL = N_("{title} (optional)")
PROGRESS_TEXT = N_("Done: {done} of {total}")
INTRO_TEXT = N_(
    "<b>Before you cancel</b>\n"
    "Most of these steps need a code sent to this number, so do them while the SIM "
    "still receives SMS. Tap an item to see how; mark it when it is done."
)
NO_SMS_NOTE = N_(
    "If the SIM no longer receives SMS, change the number in apps where you are still "
    "logged in, or ask each service's support how to do it without the old number."
)
HOLDER_NOTE = N_(
    "The number is on someone else's passport: they (or their representative) end the "
    "contract, and its balance and any debt are theirs. Your part is to move your own "
    "accounts off the number."
)
SELLER_NOTE = N_(
    "A seller's SIM is not yours to cancel: move your accounts off it, stop topping it "
    "up, and never send the seller photos of your passport."
)
IMEI_NOTE = N_(
    "For foreigners, the SIM is tied to the phone it was registered with: keep it in "
    "that phone until these steps are done (in another phone it may get no service)."
)


def checklist_notes(answers: Answers) -> list[str]:
    """Extra msgids to show above the checklist for this user's situation."""
    cut_off = answers.get("foreign_confirmed") == "no_or_blocked" and answers.get("sim_works") != "yes"
    no_sms = answers.get("sim_works") == "blocked_or_lost" or cut_off
    notes = [NO_SMS_NOTE] if no_sms else []
    owner = answers.get("owner")
    if owner == "someone_else":
        notes.append(HOLDER_NOTE)
    if owner == "seller":
        notes.append(SELLER_NOTE)
    # A possible foreigner with a physical SIM that still gets codes.
    possibly_foreign = answers.get("foreign_confirmed") in ("yes", "unsure", "no_or_blocked")
    if possibly_foreign and not no_sms and answers.get("sim_type") != "esim":
        notes.append(IMEI_NOTE)
    return notes


def item_ids() -> tuple[str, ...]:
    return tuple(item.id for item in ITEMS)


def get_item(item_id: str) -> ChecklistItem:
    for item in ITEMS:
        if item.id == item_id:
            return item
    raise KeyError(item_id)


def optional_reason(item_id: str, answers: Answers) -> str | None:
    """The msgid explaining why the item is optional, or None when it is required."""
    get_item(item_id)
    for rule in OPTIONAL_RULES:
        if rule.item_id == item_id and rule.applies(answers):
            return rule.reason
    return None


def relevance(item_id: str, answers: Answers) -> bool:
    """True when the item is required for this user, False when it is optional."""
    return optional_reason(item_id, answers) is None


def optional_items(answers: Answers) -> set[str]:
    return {item.id for item in ITEMS if not relevance(item.id, answers)}


def progress(done: set[str]) -> tuple[int, int]:
    """(done, total) over all items, optional ones included; unknown ids are ignored."""
    ids = item_ids()
    return len(done.intersection(ids)), len(ids)
