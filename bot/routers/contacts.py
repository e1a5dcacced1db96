"""Operator contacts: one card per operator, from flows/data/operators.json."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import MenuCb, OperatorCb
from bot.keyboards import menu_button
from bot.replies import send_paragraphs
from flows.operators import Operator
from flows.views import operator_paragraphs


def create_router() -> Router:
    router = Router(name=__name__)

    @router.callback_query(MenuCb.filter(F.entry == "contacts"))
    async def contacts(query: CallbackQuery, operators: dict[str, Operator]) -> None:
        await query.answer()
        builder = InlineKeyboardBuilder()
        for operator in operators.values():
            builder.button(text=operator.name, callback_data=OperatorCb(id=operator.id))
        builder.adjust(2)
        await query.message.answer(_("Which operator? Choose one for its contacts and rules."),
                                   reply_markup=builder.as_markup())

    @router.callback_query(OperatorCb.filter())
    async def card(query: CallbackQuery, callback_data: OperatorCb, operators: dict[str, Operator]) -> None:
        operator = operators.get(callback_data.id)
        if operator is None:
            await query.answer(_("This button is no longer active."))
            return
        await query.answer()
        builder = InlineKeyboardBuilder()
        builder.button(text=_("⬅️ All operators"), callback_data=MenuCb(entry="contacts"))
        menu_button(builder, "howto")
        builder.adjust(1)
        await send_paragraphs(query.message, operator_paragraphs(_, operator), builder.as_markup())

    return router
