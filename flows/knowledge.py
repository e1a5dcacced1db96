"""The question-answering knowledge base: intents and their answers as plain data.

Titles and answers are English msgids (Telegram HTML) marked with ``N_``; the handler
translates them with the reader's locale. The material used to *match* a question to an
intent is not user-facing and lives in ``flows/data/knowledge_match.json`` and
``flows/data/qa_examples_{zh,ru,en}.json`` (see flows.qa).

Facts follow the project's domain notes with their confidence: H facts are stated, M facts
say "usually", L facts say "we could not confirm" and send the user to the operator. No
refund time is ever quoted.

Operator phone numbers, apps and rules are never written here: they live with their
source and date in flows/data/operators.json. An intent whose answer depends on the
operator names the operator text it needs (``operator_text``); the handler adds that text
for the operator the question named, or asks which operator with one set of buttons.
"""

from dataclasses import dataclass

from flows.texts import N_

# What an intent may add for the operator a question names (rendered by flows.questions).
OPERATOR_TEXTS: frozenset[str] = frozenset({"contacts", "cancellation", "inactivity", "app"})
FOLLOW_UPS: frozenset[str] = frozenset({"check", "checklist", "contacts"})


@dataclass(frozen=True, slots=True)
class Entry:
    """One intent and its answer.

    ``follow_up`` is the main-menu entry the handler offers after the answer (``"check"``,
    ``"checklist"``, ``"contacts"``) or None; ``operator_text`` is what to add for the
    operator the question named (one of ``OPERATOR_TEXTS``) or None when the answer is
    the same for every operator.
    """

    id: str
    section: str
    title: str
    answer: str
    follow_up: str | None = None
    operator_text: str | None = None


# Topics that became part of another: their buttons, on answers sent before, lead to the
# answer that now holds their text.
MERGED_INTO: dict[str, str] = {
    "store_find": "cancel_in_person",
    "leaving_soon": "before_checklist",
    "money_refund_time": "money_balance",
    "poa_abroad": "cancel_representative",
    "lapse_daily_fee": "lapse_do_nothing",
    "keep_from_abroad": "sim_keep_number",
    "refund_abroad": "money_balance",
    "foreigners_blocked": "sim_blocked",
    "sim_seller": "cancel_other_passport",
    "lapse_get_back": "sim_blocked",
    "before_accounts": "before_checklist",
    "scam_sim_limit": "scam_expiring",
}


def is_valid_follow_up(follow_up: str | None) -> bool:
    return follow_up is None or follow_up in FOLLOW_UPS


ENTRIES: tuple[Entry, ...] = (
    # --- cancelling ---------------------------------------------------------------
    Entry(
        id="cancel_how",
        section="cancel",
        title=N_("How to cancel a SIM card"),
        answer=N_(
            "<b>How to cancel a Russian SIM</b>\n"
            "The usual way: go to your operator's own store (фирменный салон связи) with the "
            "passport the number is registered on and ask to end the contract (расторжение "
            "договора). T2 confirms this is its way; for MTS, MegaFon and Beeline it is what "
            "reliable sources describe. For Yota and T-Mobile (Т-Мобайл) we could not confirm it: ask "
            "them first.\n"
            "Gosuslugi (Госуслуги, the state services portal), section «SIM-карты», lets you "
            "refuse or block a number; press reports say you can also apply to end the "
            "contract there. Ask the operator to confirm that the contract has ended.\n"
            "Pay any debt first; cancelling itself is free. Before that, move your banks, "
            "Gosuslugi, Telegram and WeChat to another number."
        ),
        follow_up="check",
        operator_text="cancellation",
    ),
    Entry(
        id="cancel_online",
        section="cancel",
        title=N_("Cancel online (Gosuslugi)"),
        answer=N_(
            "<b>Cancelling online</b>\n"
            "The online route is Gosuslugi (Госуслуги), section «SIM-карты». It lists the "
            "numbers registered on you (one registered on an old passport can be missing). "
            "There you can refuse or block a number, and press reports say you can apply to "
            "end its contract. You need a confirmed account, and logging in may need an SMS "
            "code sent to your phone, so do it while the SIM still works.\n"
            "A block is not always the end of the contract: ask the operator to confirm the "
            "contract has ended and how your balance will be returned.\n"
            "E-mail or a letter: we found no source saying either ends a contract."
        ),
        follow_up="check",
    ),
    Entry(
        id="cancel_app",
        section="cancel",
        title=N_("Cancel in the operator's app"),
        answer=N_(
            "<b>Cancelling in the operator's app</b>\n"
            "We found no official statement that an operator lets you end the contract in "
            "its app or personal account. The app and its chat are still useful: they show "
            "the balance or a debt, and support there can tell you how they end contracts.\n"
            "For the contract itself use the store or Gosuslugi «SIM-карты»."
        ),
        follow_up="check",
        operator_text="app",
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
            "To end the contract, go to the operator's store with your passport, or apply in "
            "Gosuslugi «SIM-карты» and ask the operator to confirm."
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
            "• A foreigner brings the passport too; whether anything more (such as SNILS) is "
            "needed to end a contract, we could not confirm: ask the operator.\n"
            "Pay any debt beforehand. Requirements can differ a little, so check with your "
            "operator."
        ),
        follow_up="checklist",
    ),
    Entry(
        id="cancel_in_person",
        section="cancel",
        title=N_("In person or not, and which store"),
        answer=N_(
            "<b>Do you have to go yourself, and where?</b>\n"
            "Not necessarily. The ways to end a contract are:\n"
            "• you go to the operator's own store (фирменный салон) with the passport the "
            "number is registered on;\n"
            "• someone goes for you with a notarized power of attorney;\n"
            "• Gosuslugi «SIM-карты», online, if your account is confirmed (then ask the "
            "operator to confirm the contract has ended).\n"
            "A phone call or an e-mail is not a confirmed way.\n"
            "Each operator's website has a map of its stores («Салоны» or «Адреса салонов»). "
            "Choose the operator's own store, not a partner or dealer point: those may not be "
            "able to end contracts. Whether a store in another city than where you got the SIM "
            "can end it, and whether you need an appointment, we could not confirm: ask the "
            "operator's chat before a long trip."
        ),
        follow_up="check",
        operator_text="contacts",
    ),
    Entry(
        id="cancel_how_long",
        section="cancel",
        title=N_("How long cancelling takes"),
        answer=N_(
            "<b>How long it takes</b>\n"
            "At the store, ending the contract is usually done during the visit: you sign an "
            "application (заявление) and the number stops working soon after. We could not "
            "confirm how long an application in Gosuslugi takes, so ask the operator to "
            "confirm.\n"
            "The refund of the balance is separate and can take longer. Moving your accounts "
            "to another number beforehand is what takes time: start with that."
        ),
    ),
    Entry(
        id="cancel_other_passport",
        section="cancel",
        title=N_("SIM not registered to me"),
        answer=N_(
            "<b>The number is not on your passport</b>\n"
            "Only the person or company the contract is registered on can end it or get the "
            "balance back. If it is someone you know:\n"
            "• that person goes to a store with their passport;\n"
            "• they give you a notarized power of attorney;\n"
            "• or you both go to a store with both IDs, the number is re-registered to you "
            "(переоформление), and then you can cancel it.\n"
            "This is how T2 describes it; other operators usually work the same way, but "
            "check with your operator.\n"
            "SIMs bought from a Telegram or WeChat seller are often registered on a company (a "
            "corporate SIM) or on a stranger, and an employer's SIM is usually on the company. "
            "Then you cannot cancel it yourself. What you can do:\n"
            "• move your accounts off the number;\n"
            "• stop topping it up;\n"
            "• ask the seller, or your employer, to end it;\n"
            "• never send the seller photos of your passport.\n"
            "Unregistered corporate numbers are being blocked, so do not rely on it."
        ),
        follow_up="check",
    ),
    Entry(
        id="cancel_from_abroad",
        section="cancel",
        title=N_("Cancel from abroad"),
        answer=N_(
            "<b>Cancelling from outside Russia</b>\n"
            "Possible ways (none is confirmed for every case):\n"
            "• Gosuslugi, «SIM-карты» section, if your account is confirmed and you can still "
            "log in (the login may need an SMS code to your phone);\n"
            "• someone in Russia goes to the store with a notarized power of attorney from "
            "you.\n"
            "Ask your operator (website chat or app: 8 800 numbers usually cannot be called "
            "from abroad) before relying on either. Keep the SIM working until then: you may "
            "still need its SMS codes."
        ),
        follow_up="check",
        operator_text="contacts",
    ),
    Entry(
        id="cancel_representative",
        section="cancel",
        title=N_("Someone else cancels (power of attorney)"),
        answer=N_(
            "<b>A representative can do it</b>\n"
            "Another person can end the contract for you with a notarized power of attorney "
            "(нотариальная доверенность). For T2 it must say explicitly that they may "
            "receive money, otherwise the balance cannot be paid out to them.\n"
            "Outside Russia, a power of attorney is usually made:\n"
            "• at a Russian consulate (in China: the embassy in Beijing or a consulate "
            "general);\n"
            "• or at a local notary, then an apostille (China joined the Apostille Convention "
            "in November 2023), then a certified Russian translation. We could not confirm "
            "that operators accept such documents.\n"
            "Ask your operator what the power of attorney must say, and whether they accept "
            "it, before you sign or pay for one. Never send a passport scan or SMS codes to "
            "strangers who offer to do it."
        ),
        follow_up="check",
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
    Entry(
        id="passport_changed",
        section="cancel",
        title=N_("Lost or new passport"),
        answer=N_(
            "<b>A lost or a new passport</b>\n"
            "The contract is tied to the passport it was signed with. With a new passport, "
            "bring it to the operator's store, ideally with the old one or its copy, and ask "
            "them to update your passport data; then you can end the contract.\n"
            "If you lost it, a temporary document from your consulate or the police may be "
            "accepted, but we could not confirm this: ask your operator first.\n"
            "A number on an old passport can be missing from Gosuslugi «SIM-карты»."
        ),
        follow_up="check",
    ),
    Entry(
        id="store_phrases",
        section="cancel",
        title=N_("What to say at the store"),
        answer=N_(
            "<b>What to say at the store</b>\n"
            "Show this to the staff:\n"
            "«Здравствуйте! Я хочу расторгнуть договор на номер +7…, вернуть остаток на "
            "банковский счёт и получить письменное подтверждение.»\n"
            "They will likely ask for your passport (паспорт) and have you sign an "
            "application (заявление). Words to recognise: остаток (balance), реквизиты (bank "
            "details), задолженность (debt), подпишите (please sign).\n"
            "Go to the operator's own store, not a dealer kiosk: dealers may not be able to "
            "end contracts."
        ),
        follow_up="checklist",
    ),
    # --- money --------------------------------------------------------------------
    Entry(
        id="money_balance",
        section="money",
        title=N_("My balance and its refund, also abroad"),
        answer=N_(
            "<b>Your remaining balance</b>\n"
            "The positive balance is usually paid out to a bank account or moved to another "
            "number of the same operator. The monthly tariff fee already paid and bonuses are "
            "not refunded. This is confirmed for T2 (no cash there); Beeline is reported to "
            "work similarly; ask other operators how they pay it out.\n"
            "Without a Russian bank account you may in practice not get the money back: spend "
            "it, or move it to another number, before you cancel or leave. If you need the "
            "refund, ask whether the account must be in the holder's name and whether a "
            "foreign one works.\n"
            "How long the refund takes we could not confirm: it depends on the operator and "
            "the bank. Bring your bank details so the request is filed at once, keep your copy "
            "of the application, and ask your operator if the money does not arrive."
        ),
    ),
    Entry(
        id="money_debt",
        section="money",
        title=N_("Debt on the number"),
        answer=N_(
            "<b>Pay the debt first</b>\n"
            "A contract with a debt (negative balance) usually cannot be ended until the "
            "debt is paid. Top the number up to zero or above, then cancel; check the amount "
            "in the operator's app or at the store.\n"
            "A debt does not disappear when the operator ends the contract itself: it is "
            "likely to go to debt collection (we could not confirm the details). It belongs "
            "to the person the number is registered on: on someone else's passport, it is "
            "that person's debt."
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
    # --- doing nothing ------------------------------------------------------------
    Entry(
        id="lapse_do_nothing",
        section="lapse",
        title=N_("If I stop using it (daily fees)"),
        answer=N_(
            "<b>If you simply stop using the SIM</b>\n"
            "A SIM contract has no expiry date, but it does not last forever unused either. "
            "After some months without paid activity the operator usually starts a small "
            "daily fee, and money disappears from the balance. Once the balance has been at "
            "zero for a while, the operator ends the contract itself and later gives the "
            "number to someone else. In total this often takes 6–12 months and depends on the "
            "operator, the tariff and the balance: tariffs change, so check your tariff terms.\n"
            "The risk: the next owner receives your SMS codes. Cancelling does not stop the "
            "number being reissued either; what protects you is moving your accounts to "
            "another number first."
        ),
        follow_up="checklist",
        operator_text="inactivity",
    ),
    Entry(
        id="lapse_recycled",
        section="lapse",
        title=N_("Recycled numbers and your accounts"),
        answer=N_(
            "<b>Why a recycled number is dangerous</b>\n"
            "A number that lapses, and also one that was cancelled, goes back to the operator "
            "and is later given to a new owner (usually after a hold of a few months). "
            "Everything still linked to it (banks, Gosuslugi, Telegram, WeChat) will send "
            "login codes to that person. Russia's Interior Ministry warns that scammers buy "
            "recycled numbers for exactly this.\n"
            "Once the contract has ended, getting the same number back is not guaranteed: if "
            "you need it, ask the operator at once.\n"
            "Move every account to another number while the old SIM still receives SMS."
        ),
        follow_up="checklist",
    ),
    Entry(
        id="throw_away",
        section="lapse",
        title=N_("Just throw the SIM away?"),
        answer=N_(
            "<b>Throwing the SIM away</b>\n"
            "Throwing away or breaking the card does not end the contract: the number stays "
            "yours, a daily fee may start, a debt can build up, and later the number goes to "
            "someone else, with your accounts still linked to it.\n"
            "Better: move your accounts to another number, then end the contract. Never sell "
            "or give the SIM to anyone: that is fined."
        ),
        follow_up="checklist",
    ),
    Entry(
        id="sim_blocked",
        section="lapse",
        title=N_("SIM blocked: why, and getting it back"),
        answer=N_(
            "<b>Why a SIM stops working, and getting it back</b>\n"
            "The usual causes:\n"
            "• a debt: pay it and the number works again;\n"
            "• a long time unused: the daily fee used up the balance;\n"
            "• a foreigner's number not confirmed by 1 July 2025: unconfirmed numbers were cut "
            "off in stages;\n"
            "• a foreigner's SIM moved to another phone (the IMEI is in the contract);\n"
            "• after a trip abroad, internet and SMS may be held for 24 hours;\n"
            "• suddenly, with no reason: possibly a SIM swap by scammers. Call the operator at "
            "once and check your bank apps.\n"
            "The operator can tell you which one it is.\n"
            "Getting the number back depends on the cause. A number you blocked through "
            "Gosuslugi is unblocked only in person at a store; a block for debt is lifted by "
            "paying it; for other blocks (a lost SIM, inactivity), ask the operator. If the "
            "operator has already ended the contract, the number may have gone to someone else "
            "and getting it back is not guaranteed: ask at the operator's store as soon as you "
            "can.\n"
            "Blocked is not cancelled: the contract usually still exists and the number may "
            "still be linked to your bank, Gosuslugi or Telegram. Move what you can to another "
            "number and end the contract properly."
        ),
        follow_up="check",
        operator_text="contacts",
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
            "the Unified Biometric System, and the phone's IMEI goes into the contract. At "
            "most 10 SIMs per person, corporate ones included.\n"
            "Older SIMs had to be confirmed by 1 July 2025, and unconfirmed numbers were cut "
            "off. A number cut off this way is blocked, not cancelled: it may still be linked "
            "to your bank or Gosuslugi.\n"
            "Whether a foreigner needs more than the passport to cancel, we could not confirm: "
            "ask the operator."
        ),
        follow_up="check",
    ),
    Entry(
        id="foreigners_cut_off",
        section="foreigners",
        title=N_("Cut off: not confirmed by 1 July 2025"),
        answer=N_(
            "<b>A number cut off because it was not confirmed</b>\n"
            "Foreigners had to confirm the SIMs they already had by 1 July 2025 (Federal Law "
            "303-FZ). Unconfirmed numbers were cut off in stages: inactive ones at once; active "
            "ones first lost calls abroad and speed, then all service after 30 days.\n"
            "Such a number is blocked, not cancelled: the contract usually still exists, and "
            "the number may still be linked to your bank, Gosuslugi, Telegram or WeChat. Move "
            "them to another number, then end the contract properly: at the operator's store, "
            "on Gosuslugi, or through a representative if you have left Russia.\n"
            "Whether the number can still be confirmed and used again, we could not confirm: "
            "ask the operator."
        ),
        follow_up="check",
        operator_text="contacts",
    ),
    Entry(
        id="foreigners_cooling",
        section="foreigners",
        title=N_("No internet/SMS after a trip"),
        answer=N_(
            "<b>The “cooling period”</b>\n"
            "Since November 2025 mobile internet and SMS are held for 24 hours when a SIM "
            "comes back to the Russian network after a trip abroad, or after 72 hours of "
            "inactivity. Voice calls keep working. A captcha link from the operator or a "
            "call to the operator lifts the hold; reports say the mechanism does not always "
            "trigger.\n"
            "If you keep a number while abroad, expect this before you need an SMS code."
        ),
    ),
    Entry(
        id="imei_binding",
        section="foreigners",
        title=N_("Foreigner's SIM in another phone"),
        answer=N_(
            "<b>The SIM is tied to your phone (IMEI)</b>\n"
            "Under the 2025 rules a foreigner's contract holds the phone's IMEI. Reports say "
            "that a SIM put into another phone gets no service until the new IMEI is added "
            "to the contract (at the operator).\n"
            "So do not move the SIM to a spare phone, or change phones, while you still need "
            "its SMS codes: move your accounts first. Ask your operator how to update the "
            "IMEI."
        ),
    ),
    # --- operators ----------------------------------------------------------------
    Entry(
        id="contacts",
        section="operators",
        title=N_("Operator contacts"),
        answer=N_(
            "<b>Operator contacts</b>\n"
            "The hotline, the website and the app of each operator, with where the facts come "
            "from. Some articles print other numbers (a Beeline number ending in 0600, for "
            "example): we could not confirm those, so use the ones shown here or the website."
        ),
        operator_text="contacts",
    ),
    Entry(
        id="hotline_abroad",
        section="operators",
        title=N_("Calling the operator from abroad"),
        answer=N_(
            "<b>Reaching the operator from abroad</b>\n"
            "8 800 numbers are free calls inside Russia and usually cannot be dialled from "
            "abroad; short numbers work only from that operator's SIM, in Russia or in "
            "roaming. From abroad, use the chat on the operator's website or in its app, or "
            "an international number if the website gives one."
        ),
        operator_text="contacts",
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
            "same way: the operator's store with your passport, or Gosuslugi «SIM-карты» "
            "(then ask the operator to confirm the contract has ended).\n"
            "Deleting the eSIM profile from your phone does <b>not</b> end the contract: "
            "the number stays yours and may keep being charged. A deleted profile cannot "
            "receive SMS codes, and getting it back usually means a store visit with the "
            "passport (for foreigners, with biometrics): move your accounts before deleting it."
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
            "number stays yours. Cancelling ends the contract; the number goes back to the "
            "operator and is later given to someone else.\n"
            "The “60 days since the last change” rule applies to porting only."
        ),
    ),
    Entry(
        id="what_gosuslugi",
        section="terms",
        title=N_("What is Gosuslugi?"),
        answer=N_(
            "<b>Gosuslugi (Госуслуги)</b>\n"
            "Russia's state services portal, gosuslugi.ru, also an app. Foreigners can have "
            "an account too; a <i>confirmed</i> account is needed for most services.\n"
            "For your SIM: its «SIM-карты» section lists the numbers registered on you, and "
            "there you can refuse or block a number. In «Настройки и безопасность» you change "
            "the phone number of the account itself: do that before you cancel the SIM."
        ),
        follow_up="check",
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
        operator_text="contacts",
    ),
    Entry(
        id="scam_expiring",
        section="safety",
        title=N_("Scam calls and messages about your SIM"),
        answer=N_(
            "<b>“Your SIM is expiring” or “over the limit”: both are scams</b>\n"
            "• A call saying your SIM or contract is “expiring” and must be “extended”: SIM "
            "contracts have no expiry date, and operators never ask you for SMS codes. Hang "
            "up and tell nobody the code.\n"
            "• A message saying your number is blocked because of a SIM limit and asking you "
            "to “re-register” through a link or code: it is fake. Do not click or reply.\n"
            "If in doubt, call your operator's official number yourself, and check the "
            "numbers on your passport in the «SIM-карты» section of Gosuslugi."
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
        operator_text="contacts",
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
    Entry(
        id="sell_sim",
        section="safety",
        title=N_("Selling or giving away my SIM"),
        answer=N_(
            "<b>Do not sell or hand over your SIM</b>\n"
            "Since 1 September 2025 handing your SIM to anyone except close relatives is "
            "fined (30–50 thousand ₽ for citizens), and you stay responsible for whatever is "
            "done with the number. The buyer would also receive your SMS codes.\n"
            "Move your accounts to another number and cancel the SIM instead."
        ),
        follow_up="check",
    ),
    Entry(
        id="self_ban",
        section="safety",
        title=N_("Numbers on my passport; stop new ones"),
        answer=N_(
            "<b>The numbers on your passport</b>\n"
            "Gosuslugi (Госуслуги), section «SIM-карты», lists the numbers registered on your "
            "passport; one registered on an old passport can be missing. Refuse there any "
            "number you do not know, for example one a seller registered with your passport "
            "photo.\n"
            "There you can also forbid operators to register new SIMs on your passport "
            "(самозапрет). This is confirmed for citizens; for foreigners ask the operator or "
            "check in your account."
        ),
    ),
    # --- before and after ---------------------------------------------------------
    Entry(
        id="before_checklist",
        section="after",
        title=N_("Before cancelling or leaving Russia"),
        answer=N_(
            "<b>Before you cancel or leave Russia: in this order</b>\n"
            "1. While the SIM still receives SMS, move your banks (and the fast payments SBP), "
            "Gosuslugi, Telegram, WeChat, WhatsApp, Alipay, email and shopping apps to a number "
            "you will keep. If this is your last Russian number, check first that your bank "
            "accepts a foreign number.\n"
            "2. Cancel paid subscriptions on the number; spend the balance or plan the refund; "
            "pay any debt.\n"
            "3. Save the contacts and SMS stored on the SIM: export them to the phone or a "
            "cloud account.\n"
            "4. Go to the operator's store with your passport and end the contract; keep the "
            "written confirmation.\n"
            "How to change the number (each change needs a code sent to the old number, so do "
            "it first):\n"
            "• WeChat: Me → Settings → Account Security → Mobile → Change.\n"
            "• Telegram: Settings → your number → change; a cloud password (two-step "
            "verification) helps, but changing the number is the real fix.\n"
            "• Gosuslugi: «Настройки и безопасность» → change phone.\n"
            "• Banks: in the app or at a branch; fast payments (SBP) are tied to the "
            "number. Menus change, so look for “phone number” if a step differs.\n"
            "Never sell or give the SIM to anyone: that is fined."
        ),
        follow_up="checklist",
    ),
    Entry(
        id="before_bank",
        section="after",
        title=N_("Number linked to my bank"),
        answer=N_(
            "<b>A number linked to your bank</b>\n"
            "Change the phone number in your bank (Sberbank, T-Bank and others) before you "
            "cancel: in the app or at a branch, while the old SIM still receives SMS. Fast "
            "payments (SBP) follow the number.\n"
            "If this is your last Russian number: SBP and some banks need a Russian number, "
            "and we could not confirm that a bank or Gosuslugi accepts a foreign (+86) one. "
            "Ask your bank first, or withdraw the money or close the account before you cancel."
        ),
        follow_up="checklist",
    ),
    Entry(
        id="sim_contacts",
        section="after",
        title=N_("Saving the contacts and SMS on the SIM"),
        answer=N_(
            "<b>Saving the contacts and SMS on the SIM</b>\n"
            "Contacts and SMS saved on the SIM card itself are on the card, not in your phone: "
            "once the SIM is cancelled, lost or thrown away, they are gone. Those in the phone "
            "or in a Google or iCloud account stay.\n"
            "Before you cancel, copy what is on the SIM to the phone or a cloud account. The "
            "phone's Contacts app usually has an import or export option for SIM contacts; "
            "menus differ between phones.\n"
            "The codes sent to this number matter more than the contacts: first move your "
            "banks, Gosuslugi, Telegram and WeChat to another number."
        ),
        follow_up="checklist",
    ),
    Entry(
        id="paid_subscriptions",
        section="after",
        title=N_("Paid subscriptions on the number"),
        answer=N_(
            "<b>Paid subscriptions on the number</b>\n"
            "Paid services billed to the number (subscriptions, extra options) keep charging "
            "while the contract lasts: they eat the balance and can leave a debt. Before you "
            "cancel, ask the operator which paid services are on the number and turn them off, "
            "in its app or personal account, or through its chat or hotline.\n"
            "Subscriptions that apps or shops bill to your bank card are not the operator's: "
            "cancel them in those apps, and change the phone number there too.\n"
            "Pay any debt first: operators usually end a contract only once debts are paid."
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
            "A Russian data-only SIM is still a contract on a passport and usually has a "
            "number, so it is cancelled like any SIM: the operator's store with that "
            "passport, or Gosuslugi «SIM-карты» (then ask the operator to confirm).\n"
            "If it is on someone else's or a company's name (often so when bought from a "
            "seller), that holder has to cancel it. A travel SIM or eSIM from a non-Russian "
            "provider has no Russian contract: it just expires. Check whether a monthly fee "
            "is still being charged."
        ),
        follow_up="check",
    ),
    Entry(
        id="travel_sim",
        section="sim_types",
        title=N_("Travel SIM from a foreign shop"),
        answer=N_(
            "<b>Travel SIMs and eSIMs from non-Russian providers</b>\n"
            "A SIM or eSIM bought on Taobao, in a travel-eSIM app or from another foreign "
            "provider has no Russian contract: there is nothing to cancel in Russia. It "
            "usually just expires at the end of its plan; for anything else ask the seller "
            "or the app. Deleting the eSIM profile is enough once you no longer need it."
        ),
    ),
    Entry(
        id="sim_keep_number",
        section="sim_types",
        title=N_("Keeping the number (保号卡), also abroad"),
        answer=N_(
            "<b>Keeping a Russian number (保号卡)</b>\n"
            "• Keep the balance positive: with no paid activity a daily fee starts, and later "
            "the operator ends the contract itself (check your tariff terms). Incoming SMS in "
            "roaming usually need a positive balance too; whether they are free, and what "
            "roaming costs, depends on the tariff: we have no reliable figures, so ask the "
            "operator before you go. Topping up with a foreign bank card "
            "may not work (we could not confirm this), so top up before you leave or ask a "
            "friend in Russia.\n"
            "• Keep the SIM in the same phone: a foreigner's SIM is tied to the IMEI.\n"
            "• Foreigners' numbers not confirmed by 1 July 2025 may already be blocked.\n"
            "• Since November 2025 internet and SMS may be held for 24 hours after you return "
            "from abroad; calls work.\n"
            "• Paid “we keep your number” services are risky: never pay a stranger to keep it "
            "for you.\n"
            "If you no longer need the number, move your accounts and cancel it."
        ),
        follow_up="check",
        operator_text="inactivity",
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
