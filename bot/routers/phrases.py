"""Help to act: the store phrase card and the message in Russian for the holder or the
seller, each sent as a new message, since the user keeps it to show or forward."""

from __future__ import annotations

from functools import partial

from aiogram import F, Router
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import I18n

from bot.callbacks import HelpToActCb
from bot.i18n import reader
from bot.screens.phrases import STAFF_LOCALE, message_to_forward, store_card


async def store(query: CallbackQuery, i18n: I18n) -> None:
    text, keyboard = store_card(reader(), partial(i18n.gettext, locale=STAFF_LOCALE))
    await query.message.answer(text, reply_markup=keyboard)


async def to_forward(query: CallbackQuery, callback_data: HelpToActCb, i18n: I18n) -> None:
    intro, text = message_to_forward(reader(), partial(i18n.gettext, locale=STAFF_LOCALE), callback_data.kind)
    await query.message.answer(intro)
    # Alone and without buttons, so that it forwards cleanly.
    await query.message.answer(text)


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(store, HelpToActCb.filter(F.kind == "store"))
    router.callback_query.register(to_forward, HelpToActCb.filter(F.kind.in_({"holder", "seller"})))
    return router
