"""The store phrase card and the message to forward, in Russian with the user's language
beside it (flows.phrases has the texts). ``russian`` is the catalog's Russian, which store
staff and the holder read whatever the user's language."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import HelpToActCb
from bot.keyboards import button
from bot.screens.common import home_button
from flows.facts import Reader, Translate
from flows.phrases import (
    STORE_CARD_TITLE,
    STORE_GROUPS,
    STORE_HEDGE,
    STORE_WORDS,
    STORE_WORDS_HEADING,
    message_for,
)

STAFF_LOCALE = "ru"


def store_card(r: Reader, russian: Translate) -> tuple[str, InlineKeyboardMarkup]:
    """Each Russian line in bold, the user's language under it in italics (a Russian reader
    gets the Russian lines alone, and no word list); 🏠 under it as a new message, since
    the card is kept to show."""
    _ = r.t
    beside = r.lang != STAFF_LOCALE
    paragraphs = [_(STORE_CARD_TITLE)]
    for group in STORE_GROUPS:
        lines = [f"<b>{_(group.heading)}</b>"]
        for phrase in group.phrases:
            lines.append(f"🇷🇺 <b>{russian(phrase)}</b>" + (f"\n<i>{_(phrase)}</i>" if beside else ""))
        paragraphs.append("\n".join(lines))
    if beside:
        words = "\n".join(f"• <b>{word}</b> — {_(meaning)}" for word, meaning in STORE_WORDS)
        paragraphs.append(f"<b>{_(STORE_WORDS_HEADING)}</b>\n{words}")
    paragraphs.append(_(STORE_HEDGE))
    return "\n\n".join(paragraphs), InlineKeyboardMarkup(inline_keyboard=[[home_button(r, new=True)]])


def message_to_forward(r: Reader, russian: Translate, who: str) -> tuple[str, str]:
    """(what to do with it, in the user's language; the message itself, in Russian)."""
    intro, message = message_for(who)
    return r.t(intro), russian(message)


def store_card_button(r: Reader) -> InlineKeyboardButton:
    _ = r.t
    return button(_("🗣 What to say at the store"), HelpToActCb(kind="store"))


def message_button(r: Reader, who: str) -> InlineKeyboardButton:
    _ = r.t
    label = _("📤 Message for the holder, in Russian") if who == "holder" else _("📤 Message for the seller, in Russian")
    return button(label, HelpToActCb(kind=who))
