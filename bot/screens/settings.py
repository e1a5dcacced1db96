"""/settings and the language picker."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n

from bot.callbacks import ReminderStepCb, SettingsCb
from bot.keyboards import button
from bot.screens.common import home_button
from flows.facts import Reader
from flows.locale import LANGUAGE_NAMES, LANGUAGES
from flows.texts import N_

PICKER_PROMPT = N_("Choose your language")


def settings_screen(r: Reader) -> tuple[str, InlineKeyboardMarkup]:
    _ = r.t
    return _("⚙️ <b>Settings</b>"), InlineKeyboardMarkup(inline_keyboard=[
        [button(_("🌐 Language"), SettingsCb(action="language"))],
        [button(_("🕒 Time zone"), ReminderStepCb(action="zones", settings=True))],
        [button(_("🗑 Delete my data"), SettingsCb(action="forget"))],
        [home_button(r)],
    ])


def picker_prompt(i18n: I18n) -> str:
    # Written in all three languages: someone stuck in a language they cannot read must
    # still find their own.
    return "🌐 " + " · ".join(i18n.gettext(PICKER_PROMPT, locale=code) for code in LANGUAGES)


def language_chosen(r: Reader, code: str) -> str:
    """The toast, in the language just chosen."""
    _ = r.t
    return _("Language: {name}").format(name=LANGUAGE_NAMES[code])
