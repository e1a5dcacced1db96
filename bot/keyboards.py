"""Inline keyboards shared by several routers."""

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import LanguageCb, MenuCb
from flows.locale import LANGUAGE_NAMES
from flows.menu import MAIN_MENU
from flows.menu import entry as menu_entry


def main_menu() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for entry in MAIN_MENU:
        builder.button(text=_(entry.label), callback_data=MenuCb(entry=entry.id))
    builder.adjust(1, 2, 1, 2, 1)
    return builder.as_markup()


def language_picker(current: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for code, name in LANGUAGE_NAMES.items():
        mark = "• " if code == current else ""
        builder.button(text=f"{mark}{name}", callback_data=LanguageCb(code=code))
    builder.adjust(3)
    return builder.as_markup()


def menu_button(builder: InlineKeyboardBuilder, entry_id: str) -> None:
    """A button leading to a main-menu entry, with the entry's own label."""
    builder.button(text=_(menu_entry(entry_id).label), callback_data=MenuCb(entry=entry_id))
