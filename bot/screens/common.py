"""What every flow's screens share: the way home and the answer to a button that is gone."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton

from bot.callbacks import HomeCb
from bot.keyboards import button
from flows.facts import Reader
from flows.texts import N_

# The toast for a button whose screen is gone (an outdated or forged press).
INACTIVE = N_("This button is no longer active.")


def home_button(r: Reader, new: bool = False) -> InlineKeyboardButton:
    """🏠 Menu; ``new`` under what the user may want to keep, so that it stays in the chat."""
    _ = r.t
    return button(_("🏠 Menu"), HomeCb(new=new))
