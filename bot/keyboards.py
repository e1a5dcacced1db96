"""Inline keyboards shared by several routers.

Built directly rather than with InlineKeyboardBuilder: the builder deep-copies every button
and made the menu, sent with most replies, the costliest part of handling an update.
"""

from functools import cache

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import get_i18n

from bot.callbacks import LanguageCb, MenuCb, OperatorCb
from flows.facts import Reader
from flows.locale import LANGUAGE_NAMES
from flows.menu import MAIN_MENU
from flows.menu import entry as menu_entry
from flows.operators import Operator

# How many menu entries share each row; short labels pair up.
MENU_ROWS = (1, 2, 1, 2, 1)


def main_menu() -> InlineKeyboardMarkup:
    return _main_menu(get_i18n().current_locale)


@cache
def _main_menu(locale: str) -> InlineKeyboardMarkup:
    # Sent with most replies and the same for every reader of a language: built once each.
    i18n = get_i18n()
    buttons = [button(i18n.gettext(entry.label, locale=locale), MenuCb(entry=entry.id)) for entry in MAIN_MENU]
    rows, start = [], 0
    for size in MENU_ROWS:
        rows.append(buttons[start:start + size])
        start += size
    if start < len(buttons):
        rows.append(buttons[start:])
    return InlineKeyboardMarkup(inline_keyboard=[row for row in rows if row])


def language_picker(current: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text=("• " if code == current else "") + name,
                             callback_data=LanguageCb(code=code).pack())
        for code, name in LANGUAGE_NAMES.items()
    ]])


def button(text: str, callback_data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=callback_data.pack())


def menu_button(r: Reader, entry_id: str) -> InlineKeyboardButton:
    """A button leading to a main-menu entry, with the entry's own label."""
    return button(r.t(menu_entry(entry_id).label), MenuCb(entry=entry_id))


def column(buttons: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    """One button per row: for labels too long to pair."""
    return InlineKeyboardMarkup(inline_keyboard=[[b] for b in buttons])


def grid(buttons: list[InlineKeyboardButton], per_row: int) -> list[list[InlineKeyboardButton]]:
    """Rows of ``per_row`` buttons (the last one shorter), for short labels."""
    return [buttons[i:i + per_row] for i in range(0, len(buttons), per_row)]


def operator_button(r: Reader, operator: Operator) -> InlineKeyboardButton:
    _ = r.t
    return button(_("☎️ {operator}: contacts").format(operator=operator.name(r.lang)), OperatorCb(id=operator.id))


def start_over_button(r: Reader) -> InlineKeyboardButton:
    """Starts the check afresh (or offers to continue one in progress)."""
    _ = r.t
    return button(_("🔄 Start over"), MenuCb(entry="check"))
