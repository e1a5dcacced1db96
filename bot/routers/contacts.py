"""Operator contacts: one card per operator, from the operator registry."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.callbacks import MenuCb, OperatorCb
from bot.i18n import reader
from bot.keyboards import button, column, menu_button
from bot.replies import send_paragraphs
from flows.operator_texts import card_paragraphs
from flows.operators import Registry


def create_router() -> Router:
    router = Router(name=__name__)

    @router.callback_query(MenuCb.filter(F.entry == "contacts"))
    async def contacts(query: CallbackQuery, operators: Registry) -> None:
        await query.answer()
        lang = reader().lang
        buttons = [button(op.name(lang), OperatorCb(id=op.id)) for op in operators.values()]
        # Names are short: two to a row.
        rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
        await query.message.answer(_("Which operator? Choose one for its contacts and rules."),
                                   reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))

    @router.callback_query(OperatorCb.filter())
    async def card(query: CallbackQuery, callback_data: OperatorCb, operators: Registry) -> None:
        operator = operators.get(callback_data.id)
        if operator is None:
            await query.answer(_("This button is no longer active."))
            return
        await query.answer()
        keyboard = column([button(_("⬅️ All operators"), MenuCb(entry="contacts")), menu_button("howto")])
        await send_paragraphs(query.message, card_paragraphs(reader(), operator, operators), keyboard)

    return router
