"""When the database cannot be written (disk full, read-only, locked by another process):
the user whose request needed a write is told so in their language, never left in silence.
Requests that need no write are answered as usual (see UserMiddleware)."""

from __future__ import annotations

import logging
from contextlib import suppress

from aiogram import Dispatcher
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import I18n

from bot.db import DATABASE_ERRORS
from flows.locale import resolve_locale
from flows.texts import N_

log = logging.getLogger(__name__)

UNAVAILABLE = N_("Sorry, this is temporarily unavailable because of a technical problem on my side. "
                 "Please try again in a few minutes.")


def register(dispatcher: Dispatcher, i18n: I18n, default_locale: str) -> None:
    async def database_error(event: ErrorEvent) -> None:
        update = event.update
        target = update.message or (update.callback_query.message if update.callback_query else None)
        user = update.message.from_user if update.message else (
            update.callback_query.from_user if update.callback_query else None)
        log.warning("Update %s could not be handled, the database failed: %s", update.update_id, event.exception)
        # Errors are handled outside the locale middleware: the language is chosen here. The
        # stored choice cannot be relied on now, so Telegram's language it is.
        locale = resolve_locale(None, user.language_code if user else None, default_locale)
        if update.callback_query is not None:
            # Already answered when the handler itself failed (CallbackAnswerMiddleware
            # answers on the way out); not when a middleware before it did.
            with suppress(TelegramBadRequest):
                await update.callback_query.answer()
        if target is not None and user is not None:
            await update.bot.send_message(target.chat.id, i18n.gettext(UNAVAILABLE, locale=locale))

    dispatcher.errors.register(database_error, ExceptionTypeFilter(*DATABASE_ERRORS))
