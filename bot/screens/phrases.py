"""The store phrase card and the message to forward, in Russian with the user's language
beside it (flows.phrases has the texts)."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton
from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _

from bot.callbacks import HelpToActCb
from bot.keyboards import button
from flows.phrases import (
    STORE_CARD_TITLE,
    STORE_GROUPS,
    STORE_HEDGE,
    STORE_WORDS,
    STORE_WORDS_HEADING,
    message_for,
)

STAFF_LOCALE = "ru"


def in_russian(msgid: str) -> str:
    return get_i18n().gettext(msgid, locale=STAFF_LOCALE)


def store_card() -> str:
    """Each Russian line in bold, the user's language under it in italics (a Russian reader
    gets the Russian lines alone, and no word list)."""
    beside = get_i18n().current_locale != STAFF_LOCALE
    paragraphs = [_(STORE_CARD_TITLE)]
    for group in STORE_GROUPS:
        lines = [f"<b>{_(group.heading)}</b>"]
        for phrase in group.phrases:
            lines.append(f"🇷🇺 <b>{in_russian(phrase)}</b>" + (f"\n<i>{_(phrase)}</i>" if beside else ""))
        paragraphs.append("\n".join(lines))
    if beside:
        words = "\n".join(f"• <b>{word}</b> — {_(meaning)}" for word, meaning in STORE_WORDS)
        paragraphs.append(f"<b>{_(STORE_WORDS_HEADING)}</b>\n{words}")
    paragraphs.append(_(STORE_HEDGE))
    return "\n\n".join(paragraphs)


def message_to_forward(who: str) -> tuple[str, str]:
    """(what to do with it, in the user's language; the message itself, in Russian)."""
    intro, message = message_for(who)
    return _(intro), in_russian(message)


def store_card_button() -> InlineKeyboardButton:
    return button(_("🗣 What to say at the store"), HelpToActCb(kind="store"))


def message_button(who: str) -> InlineKeyboardButton:
    label = _("📤 Message for the holder, in Russian") if who == "holder" else _("📤 Message for the seller, in Russian")
    return button(label, HelpToActCb(kind=who))
