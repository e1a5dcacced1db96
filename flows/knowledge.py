"""The question-answering knowledge base: topics and answers as plain data.

Titles and answers are English msgids (Telegram HTML) marked with ``N_``; the handler
translates them with the reader's locale. The material used to *match* a question to an
entry is not user-facing and lives in ``flows/data/knowledge_match.json`` (see flows.qa).

Facts come from /work/shared/domain.md; M and L facts are hedged ("usually", "check with
your operator") and no refund time is ever quoted.

Operator phone numbers are never written here: they live with their source and date in
flows/data/operators.json. An answer that needs them holds ``{contacts}``, which the
handler fills with the card from flows.questions.operator_card.
"""

from dataclasses import dataclass

from flows.texts import N_

OPERATOR_IDS: frozenset[str] = frozenset({"mts", "megafon", "beeline", "t2", "yota"})


@dataclass(frozen=True, slots=True)
class Entry:
    """One answerable topic.

    ``follow_up`` is what the handler may offer after the answer: ``"check"`` (start the
    eligibility check), ``"checklist"``, ``"operator:<id>"`` or ``None``.
    """

    id: str
    section: str
    title: str
    answer: str
    follow_up: str | None = None


def is_valid_follow_up(follow_up: str | None) -> bool:
    if follow_up is None or follow_up in ("check", "checklist"):
        return True
    kind, _, operator = follow_up.partition(":")
    return kind == "operator" and operator in OPERATOR_IDS


ENTRIES: tuple[Entry, ...] = (
    # --- cancelling ---------------------------------------------------------------
    Entry(
        id="cancel_how",
        section="cancel",
        title=N_("How to cancel a SIM card"),
        answer=N_(
            "<b>How to cancel a Russian SIM</b>\n"
            "The usual way: go to a store of your operator (салон связи) with the passport "
            "the number is registered on and ask to end the contract (расторжение договора). "
            "This works for every operator.\n"
            "Since April 2025 you can also apply in the «SIM-карты» section of Gosuslugi, "
            "if your account there is confirmed.\n"
            "Pay any debt first; cancelling itself is free. Before you go, move your banks, "
            "Gosuslugi, Telegram and WeChat to a new number."
        ),
        follow_up="check",
    ),
    Entry(
        id="cancel_online",
        section="cancel",
        title=N_("Cancel online (Gosuslugi)"),
        answer=N_(
            "<b>Cancelling online</b>\n"
            "The online route we can confirm is Gosuslugi (Госуслуги): the «SIM-карты» "
            "section lists every number registered on you, and there you can refuse a "
            "number or apply to end its contract. You need a confirmed Gosuslugi account.\n"
            "Operator apps: no official page promises a “terminate” button, so do not "
            "count on one.\n"
            "If Gosuslugi does not work for you, a store visit with your passport is the "
            "reliable way."
        ),
        follow_up="check",
    ),
    Entry(
        id="cancel_by_phone",
        section="cancel",
        title=N_("Cancel by calling the operator"),
        answer=N_(
            "<b>Can a phone call cancel the SIM?</b>\n"
            "We found no evidence that a call to the hotline ends a contract. The hotline "
            "can usually block the number for a while (for a lost SIM, say) and answer "
            "questions, but a block is not a cancellation: the contract and the number "
            "stay yours.\n"
            "To end the contract, go to an operator store with your passport, or use "
            "Gosuslugi."
        ),
        follow_up="check",
    ),
    Entry(
        id="cancel_documents",
        section="cancel",
        title=N_("Documents you need"),
        answer=N_(
            "<b>What to bring</b>\n"
            "• The passport the number is registered on: only the contract holder can end "
            "the contract.\n"
            "• If someone goes for you: a notarized power of attorney (нотариальная "
            "доверенность) and their own passport.\n"
            "• For a balance refund: your bank account details.\n"
            "Pay any debt beforehand. Requirements can differ a little, so check with your "
            "operator."
        ),
        follow_up="checklist",
    ),
    Entry(
        id="cancel_other_passport",
        section="cancel",
        title=N_("SIM on someone else's passport"),
        answer=N_(
            "<b>The number is on someone else's passport</b>\n"
            "Only the person the contract is registered on can end it. The options:\n"
            "• that person goes to a store with their passport;\n"
            "• they give you a notarized power of attorney;\n"
            "• or you both go to a store with both IDs, the number is re-registered to you "
            "(переоформление), and then you can cancel it.\n"
            "This is how T2 describes it; other operators usually work the same way, but "
            "check with your operator."
        ),
        follow_up="check",
    ),
    Entry(
        id="cancel_from_abroad",
        section="cancel",
        title=N_("Cancel from abroad"),
        answer=N_(
            "<b>Cancelling from outside Russia</b>\n"
            "What usually works:\n"
            "• Gosuslugi, «SIM-карты» section, if your account is confirmed;\n"
            "• someone in Russia with a notarized power of attorney from you goes to a "
            "store.\n"
            "We know of no other confirmed remote route, so check with your operator before "
            "relying on one. Keep the SIM working until then: you may still need its SMS "
            "codes."
        ),
        follow_up="check",
    ),
    Entry(
        id="cancel_representative",
        section="cancel",
        title=N_("Someone else cancels for me"),
        answer=N_(
            "<b>A representative can do it</b>\n"
            "Another person can end the contract for you with a notarized power of attorney "
            "(нотариальная доверенность). For T2 it must say explicitly that they may "
            "receive money, otherwise the balance cannot be paid out to them.\n"
            "Ask your operator what the power of attorney should say before you sign it. "
            "Never send a passport scan or SMS codes to strangers who offer to do it."
        ),
        follow_up="check",
    ),
    Entry(
        id="cancel_t2_store",
        section="cancel",
        title=N_("T2 (Tele2): store only"),
        answer=N_(
            "<b>Cancelling with T2 (Tele2 until 2024)</b>\n"
            "T2's own help page says a contract ends only in a T2 store: the holder comes "
            "with their passport, or a representative with a notarized power of attorney "
            "that includes the right to receive money.\n"
            "Pay any debt first; the remaining balance goes to a bank account or to another "
            "T2 number. Whether T2 also accepts the Gosuslugi SIM section, check on "
            "<a href=\"https://t2.ru\">t2.ru</a>."
        ),
        follow_up="operator:t2",
    ),
    Entry(
        id="cancel_anytime",
        section="cancel",
        title=N_("Cancel soon after buying?"),
        answer=N_(
            "<b>No minimum period</b>\n"
            "You can usually end the contract at any time, even soon after getting the SIM; "
            "only debts must be paid first.\n"
            "The “60 days since the last change” rule you may have read about belongs to "
            "number porting (moving the number to another operator), not to cancelling."
        ),
        follow_up="check",
    ),
    # --- money --------------------------------------------------------------------
    Entry(
        id="money_balance",
        section="money",
        title=N_("What happens to my balance"),
        answer=N_(
            "<b>Your remaining balance</b>\n"
            "The positive balance is usually paid out to a bank account or moved to another "
            "number of the same operator. It is not paid in cash, and subscription fees and "
            "bonuses are not refunded.\n"
            "This is confirmed for T2 and Beeline works similarly; for other operators check "
            "with your operator. Spending the balance before you cancel is often simplest."
        ),
    ),
    Entry(
        id="money_debt",
        section="money",
        title=N_("Debt on the number"),
        answer=N_(
            "<b>Pay the debt first</b>\n"
            "A contract with a debt (negative balance) usually cannot be ended until the "
            "debt is paid. Top the number up to zero or above, then cancel.\n"
            "Check the exact amount in the operator's app or at the store."
        ),
    ),
    Entry(
        id="money_cost",
        section="money",
        title=N_("Does cancelling cost money?"),
        answer=N_(
            "<b>Cancelling is free</b>\n"
            "The operator does not charge for ending a contract; you only pay an existing "
            "debt first.\n"
            "Anyone who wants a fee for “fast cancellation” is a middleman you do not need. "
            "Never give them your passport scan or SMS codes."
        ),
    ),
    Entry(
        id="money_refund_time",
        section="money",
        title=N_("How long a refund takes"),
        answer=N_(
            "<b>How long the refund takes</b>\n"
            "We could not confirm a typical time; it depends on the operator and the bank. "
            "Bring your bank details so the request is filed at once, keep your copy of "
            "the application, and ask your operator if the money does not arrive."
        ),
    ),
    # --- doing nothing ------------------------------------------------------------
    Entry(
        id="lapse_do_nothing",
        section="lapse",
        title=N_("What if I just stop using it"),
        answer=N_(
            "<b>If you simply stop using the SIM</b>\n"
            "After some months without paid activity the operator usually starts a small "
            "daily fee, later ends the contract itself and gives the number to someone "
            "else. Periods differ by operator and tariff (very roughly 3 to 6 months), so "
            "check your tariff terms.\n"
            "The risk: the next owner receives your SMS codes. Moving your accounts and "
            "cancelling properly is safer."
        ),
        follow_up="checklist",
    ),
    Entry(
        id="lapse_daily_fee",
        section="lapse",
        title=N_("Daily fee on an unused number"),
        answer=N_(
            "<b>Money disappearing from an unused SIM</b>\n"
            "Operators usually charge a daily fee on numbers with no paid activity. Very "
            "roughly: Beeline and Yota after about 90 days, T2 after about 120 days, "
            "MegaFon after 45 to 90 days (sources disagree). When the balance stays at zero, "
            "the contract may be ended.\n"
            "Tariffs change, so check your tariff terms or ask your operator."
        ),
    ),
    Entry(
        id="lapse_recycled",
        section="lapse",
        title=N_("Recycled numbers and your accounts"),
        answer=N_(
            "<b>Why a recycled number is dangerous</b>\n"
            "A lapsed number is later given to a new owner. Everything still linked to it "
            "(banks, Gosuslugi, Telegram, WeChat) will send login codes to that person. "
            "Russia's Interior Ministry warns that scammers buy recycled numbers for "
            "exactly this.\n"
            "Move every account to a new number while the old SIM still receives SMS."
        ),
        follow_up="checklist",
    ),
    Entry(
        id="lapse_get_back",
        section="lapse",
        title=N_("Getting my number back"),
        answer=N_(
            "<b>Getting the number back</b>\n"
            "If the contract still exists and the number is only blocked, it can usually be "
            "unblocked in person at an operator store with your passport (not through "
            "Gosuslugi).\n"
            "If the operator has already ended the contract, the number may have gone to "
            "someone else and getting it back is not guaranteed. Ask at a store of your "
            "operator as soon as you can."
        ),
    ),
    # --- foreigners ---------------------------------------------------------------
    Entry(
        id="foreigners_2025",
        section="foreigners",
        title=N_("Rules for foreigners since 2025"),
        answer=N_(
            "<b>SIM cards for foreigners since 2025</b>\n"
            "Under Federal Law 303-FZ, since 1 January 2025 a foreigner gets a SIM only in "
            "person at an operator store, with SNILS, a Gosuslugi account and biometrics in "
            "the Unified Biometric System. The phone's IMEI goes into the contract; at most "
            "10 SIMs per person, corporate ones included.\n"
            "These rules are about getting a SIM: cancelling works as for everyone."
        ),
        follow_up="check",
    ),
    Entry(
        id="foreigners_blocked",
        section="foreigners",
        title=N_("Foreigner's number blocked"),
        answer=N_(
            "<b>A foreigner's number was cut off</b>\n"
            "Older SIMs of foreigners had to be confirmed by 1 July 2025; unconfirmed "
            "numbers were cut off in stages. So many numbers kept “just in case” are "
            "already blocked.\n"
            "Blocked is not cancelled: the contract usually still exists and the number may "
            "still be linked to your bank, Gosuslugi or Telegram. Move what you can to "
            "another number and end the contract properly."
        ),
        follow_up="check",
    ),
    Entry(
        id="foreigners_cooling",
        section="foreigners",
        title=N_("No internet/SMS after a trip"),
        answer=N_(
            "<b>The “cooling period”</b>\n"
            "Since November 2025 mobile internet and SMS are held for 24 hours after you "
            "come back from abroad or after 72 hours of inactivity. A captcha link or a "
            "call to the operator lifts the hold.\n"
            "If you keep a number while abroad, expect this before you need an SMS code."
        ),
    ),
    # --- operators ----------------------------------------------------------------
    Entry(
        id="op_mts",
        section="operators",
        title=N_("MTS contacts"),
        answer=N_(
            "<b>MTS</b>\n"
            "{contacts}\n"
            "To end the contract, go to an MTS store with your passport, or use Gosuslugi."
        ),
        follow_up="operator:mts",
    ),
    Entry(
        id="op_megafon",
        section="operators",
        title=N_("MegaFon contacts"),
        answer=N_(
            "<b>MegaFon</b>\n"
            "{contacts}\n"
            "To end the contract, usually go to a MegaFon store with your passport, or use "
            "Gosuslugi."
        ),
        follow_up="operator:megafon",
    ),
    Entry(
        id="op_beeline",
        section="operators",
        title=N_("Beeline contacts"),
        answer=N_(
            "<b>Beeline (билайн)</b>\n"
            "{contacts}\n"
            "Numbers ending in 0600 that some articles print are not Beeline's.\n"
            "To end the contract, usually go to a Beeline store with your passport, or use "
            "Gosuslugi."
        ),
        follow_up="operator:beeline",
    ),
    Entry(
        id="op_t2",
        section="operators",
        title=N_("T2 (Tele2) contacts"),
        answer=N_(
            "<b>T2 (called Tele2 until September 2024)</b>\n"
            "{contacts}\n"
            "T2 says a contract ends only in a T2 store, with the holder's passport or a "
            "notarized power of attorney."
        ),
        follow_up="operator:t2",
    ),
    Entry(
        id="op_yota",
        section="operators",
        title=N_("Yota contacts"),
        answer=N_(
            "<b>Yota</b> (part of the MegaFon group)\n"
            "{contacts}\n"
            "Ending the contract usually works as with other operators: a store visit with "
            "your passport, or Gosuslugi. Check with Yota."
        ),
        follow_up="operator:yota",
    ),
    # --- terms --------------------------------------------------------------------
    Entry(
        id="term_iccid_imsi",
        section="terms",
        title=N_("ICCID vs IMSI"),
        answer=N_(
            "<b>ICCID and IMSI are different</b>\n"
            "• ICCID: the 19–20 digit serial printed on the SIM card, starting with 89.\n"
            "• IMSI: a separate 15-digit subscriber identity stored inside the SIM.\n"
            "Some articles call the printed serial “IMSI”: that is wrong. A store usually "
            "asks for your passport and number, not these codes."
        ),
    ),
    Entry(
        id="term_esim",
        section="terms",
        title=N_("Cancelling an eSIM"),
        answer=N_(
            "<b>eSIM</b>\n"
            "An eSIM has the same kind of contract as a plastic SIM and is cancelled the "
            "same way: a store with your passport, or Gosuslugi.\n"
            "Deleting the eSIM profile from your phone does <b>not</b> end the contract: "
            "the number stays yours and may keep being charged."
        ),
        follow_up="check",
    ),
    Entry(
        id="term_porting",
        section="terms",
        title=N_("Porting vs cancelling"),
        answer=N_(
            "<b>Porting is not cancelling</b>\n"
            "Number porting (MNP) keeps your number and moves it to another operator; the "
            "number stays alive. Cancelling ends the contract and the number goes away.\n"
            "The “60 days since the last change” rule applies to porting only."
        ),
    ),
    # --- safety -------------------------------------------------------------------
    Entry(
        id="safety_lost_sim",
        section="safety",
        title=N_("Lost or stolen SIM"),
        answer=N_(
            "<b>Lost SIM or phone</b>\n"
            "Call your operator's hotline at once and ask to block the number for now; a "
            "call can do that. Then check your bank apps and Gosuslugi for strange activity.\n"
            "To unblock, get a new SIM or end the contract, go to a store with your "
            "passport."
        ),
    ),
    Entry(
        id="scam_expiring",
        section="safety",
        title=N_("Scam: “your SIM is expiring”"),
        answer=N_(
            "<b>“Your contract is expiring” calls are scams</b>\n"
            "SIM contracts have no expiry date, and operators never ask you for SMS codes. "
            "If a caller says your SIM or contract must be “extended” and asks for a code, "
            "hang up and tell nobody the code. If in doubt, call your operator's official "
            "number yourself."
        ),
    ),
    Entry(
        id="scam_sim_limit",
        section="safety",
        title=N_("Scam: “SIM limit” messages"),
        answer=N_(
            "<b>“Blocked over the SIM limit” is a scam</b>\n"
            "Messages saying your number is blocked because of a SIM limit and asking you to "
            "“re-register” through a link or code are fake. Do not click or reply. Check "
            "your numbers yourself in the «SIM-карты» section of Gosuslugi or with your "
            "operator."
        ),
    ),
    Entry(
        id="scam_sim_swap",
        section="safety",
        title=N_("Signal suddenly gone (SIM swap)"),
        answer=N_(
            "<b>Sudden loss of signal</b>\n"
            "If your SIM suddenly stops working, someone may have had a new SIM issued on "
            "forged documents (SIM swap). Call your operator at once, then check your bank "
            "apps and Gosuslugi, and change passwords where you can."
        ),
    ),
    Entry(
        id="scam_middlemen",
        section="safety",
        title=N_("Paid middlemen"),
        answer=N_(
            "<b>Paid “cancellation” or “number keeping” services</b>\n"
            "Cancelling is free at the operator, so you do not need a paid middleman. Never "
            "give anyone your passport scan or SMS codes.\n"
            "Since 1 September 2025 handing your SIM to anyone except close relatives is "
            "fined, so “we keep your number for you” services put you at risk too."
        ),
    ),
    # --- before and after ---------------------------------------------------------
    Entry(
        id="before_checklist",
        section="after",
        title=N_("What to do before cancelling"),
        answer=N_(
            "<b>Before you cancel</b>\n"
            "While the SIM still receives SMS:\n"
            "• change the number in your banks (and the fast payments SBP), Gosuslugi, "
            "Telegram, WeChat, WhatsApp, Alipay, email and shopping apps;\n"
            "• save contacts and SMS stored on the SIM;\n"
            "• cancel paid subscriptions on the number;\n"
            "• spend the balance or plan the refund."
        ),
        follow_up="checklist",
    ),
    Entry(
        id="before_accounts",
        section="after",
        title=N_("Change the number in apps"),
        answer=N_(
            "<b>Moving accounts to a new number</b>\n"
            "Each change needs a code sent to the old number, so do it first.\n"
            "• WeChat: 我 → 设置 → 账号与安全 → 手机号 → 更换.\n"
            "• Telegram: Settings → your number → change; also set a cloud password "
            "(two-step verification).\n"
            "• Gosuslugi: «Настройки и безопасность» → change phone.\n"
            "• Banks: in the app or at a branch; fast payments (SBP) are tied to the "
            "number. Menus change, so look for “phone number” if a step differs."
        ),
        follow_up="checklist",
    ),
    Entry(
        id="after_confirm",
        section="after",
        title=N_("Confirm it is cancelled"),
        answer=N_(
            "<b>Making sure it is done</b>\n"
            "• Ask for a written confirmation that the contract is ended and keep it.\n"
            "• Check that the number no longer works: call it, or see that the SIM has no "
            "network.\n"
            "• On Gosuslugi, the «SIM-карты» section should no longer list the number; the "
            "update may take some time."
        ),
    ),
    # --- SIM types ----------------------------------------------------------------
    Entry(
        id="sim_data_only",
        section="sim_types",
        title=N_("Data-only SIM (流量卡)"),
        answer=N_(
            "<b>Data-only SIM (流量卡)</b>\n"
            "A data-only SIM is still a contract on a passport and usually has a number, "
            "so it is cancelled like any SIM: a store with that passport, or Gosuslugi.\n"
            "If it was bought through a friend or a reseller and registered on someone "
            "else's passport, that person has to cancel it. Check whether a monthly fee is "
            "still being charged: if the balance runs out, a debt may build up."
        ),
        follow_up="check",
    ),
    Entry(
        id="sim_keep_number",
        section="sim_types",
        title=N_("Number-keeping SIM (保号卡)"),
        answer=N_(
            "<b>Number-keeping SIM (保号卡)</b>\n"
            "• With no paid activity there is usually a daily fee, and later the operator "
            "ends the contract itself; check your tariff terms.\n"
            "• Foreigners' numbers not confirmed by 1 July 2025 may already be blocked.\n"
            "• Since November 2025 SMS may be held for 24 hours after you return from abroad.\n"
            "• Paid “we keep your number” services are risky.\n"
            "If you no longer need the number, move your accounts and cancel it."
        ),
        follow_up="check",
    ),
    # --- the bot itself -----------------------------------------------------------
    Entry(
        id="bot_data",
        section="bot",
        title=N_("What this bot stores"),
        answer=N_(
            "<b>What this bot keeps</b>\n"
            "Only your Telegram id, your language, your answers to the check, your "
            "checklist progress, the reminders you set and your 👍/👎 on answers. Questions "
            "it cannot answer are kept shortened and without your id. It never asks for your "
            "passport or SMS codes.\n"
            "Send /forget to delete all of it."
        ),
    ),
    Entry(
        id="bot_forget",
        section="bot",
        title=N_("Delete my data (/forget)"),
        answer=N_(
            "<b>Deleting your data</b>\n"
            "Send /forget: the bot deletes everything it keeps about you (language, answers, "
            "checklist and reminders) and sends no more reminders. You can start again "
            "any time with /start."
        ),
    ),
)


def entry_by_id() -> dict[str, Entry]:
    return {entry.id: entry for entry in ENTRIES}
