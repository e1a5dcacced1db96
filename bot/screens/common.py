"""Buttons every flow uses to lead back."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton
from aiogram.utils.i18n import gettext as _

from bot.callbacks import HomeCb
from bot.keyboards import button


def home_button(new: bool = False) -> InlineKeyboardButton:
    """🏠 Menu; ``new`` under what the user may want to keep, so that it stays in the chat."""
    return button(_("🏠 Menu"), HomeCb(new=new))
