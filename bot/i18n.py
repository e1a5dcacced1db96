"""gettext catalogs: compiled when stale, and the locale chosen per update."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from aiogram.types import TelegramObject, User
from aiogram.utils.i18n import I18n, I18nMiddleware, get_i18n, gettext
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.repositories.users import UserProfile
from flows.facts import Reader
from flows.locale import resolve_locale

log = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"


def compile_catalogs(locales_dir: Path = LOCALES_DIR, domain: str = DOMAIN) -> list[Path]:
    """Compile every .po whose .mo is missing or older, so a fresh clone needs no manual step.

    Written to a temporary file and renamed, so a second process starting at the same time
    never reads half a catalog. Returns the catalogs compiled.
    """
    compiled = []
    for po_path in sorted(locales_dir.glob(f"*/LC_MESSAGES/{domain}.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        locale = po_path.parent.parent.name
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=locale, domain=domain)
        temporary = mo_path.with_name(f".{mo_path.name}.{os.getpid()}.tmp")
        with temporary.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        temporary.replace(mo_path)
        compiled.append(mo_path)
        log.info("Compiled catalog %s", mo_path)
    return compiled


def create_i18n(default_locale: str, locales_dir: Path = LOCALES_DIR) -> I18n:
    compile_catalogs(locales_dir)
    return I18n(path=locales_dir, default_locale=default_locale, domain=DOMAIN)


class LocaleMiddleware(I18nMiddleware):
    """The stored choice (read by UserMiddleware in the same round trip that records the
    visit), else Telegram's language_code. Kept in the users table, not in FSM data, so
    that leaving a flow never resets the language."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        profile: UserProfile | None = data.get("user_profile")
        user: User | None = data.get("event_from_user")
        return resolve_locale(
            profile.language if profile else None,
            user.language_code if user else None,
            self.i18n.default_locale,
        )


def reader() -> Reader:
    """The current update's reader: its gettext and language (inside a handler only)."""
    return Reader(t=gettext, lang=get_i18n().current_locale)
