"""Help to act: the store phrase card and the message in Russian for the holder or the
seller, each sent as a new message, since the user keeps it to show or forward."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks import HelpToActCb
from bot.screens.common import home_button
from bot.screens.phrases import message_to_forward, store_card


def create_router() -> Router:
    router = Router(name=__name__)

    async def send_store_card(message: Message) -> None:
        await message.answer(store_card(), reply_markup=InlineKeyboardMarkup(inline_keyboard=[[home_button(new=True)]]))

    @router.callback_query(HelpToActCb.filter(F.kind == "store"))
    async def store(query: CallbackQuery) -> None:
        await query.answer()
        await send_store_card(query.message)

    @router.callback_query(HelpToActCb.filter(F.kind.in_({"holder", "seller"})))
    async def to_forward(query: CallbackQuery, callback_data: HelpToActCb) -> None:
        await query.answer()
        intro, text = message_to_forward(callback_data.kind)
        await query.message.answer(intro)
        # Alone and without buttons, so that it forwards cleanly.
        await query.message.answer(text)

    return router
