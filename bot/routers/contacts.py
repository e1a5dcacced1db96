"""Operator contacts: one card per operator, from the operator registry."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.callbacks import MenuCb, OperatorCb, OperatorsListCb
from bot.i18n import reader
from bot.keyboards import button, menu_button
from bot.replies import replace_with, send_paragraphs, show_in_place
from bot.screens.common import home_button
from flows.operator_texts import card_paragraphs
from flows.operators import Registry


def create_router() -> Router:
    router = Router(name=__name__)

    def operator_list(operators: Registry) -> tuple[str, InlineKeyboardMarkup]:
        lang = reader().lang
        buttons = [button(op.name(lang), OperatorCb(id=op.id, in_place=True)) for op in operators.values()]
        # Names are short: two to a row.
        rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
        rows.append([home_button()])
        return _("Which operator? Choose one for its contacts and rules."), InlineKeyboardMarkup(inline_keyboard=rows)

    @router.callback_query(MenuCb.filter(F.entry == "contacts"))
    async def contacts(query: CallbackQuery, operators: Registry) -> None:
        await query.answer()
        text, keyboard = operator_list(operators)
        await query.message.answer(text, reply_markup=keyboard)

    @router.message(Command("contacts"))
    async def contacts_command(message: Message, operators: Registry) -> None:
        text, keyboard = operator_list(operators)
        await message.answer(text, reply_markup=keyboard)

    @router.callback_query(OperatorsListCb.filter())
    async def back_to_list(query: CallbackQuery, operators: Registry) -> None:
        await query.answer()
        text, keyboard = operator_list(operators)
        await show_in_place(query.message, text, keyboard)

    @router.callback_query(OperatorCb.filter())
    async def card(query: CallbackQuery, callback_data: OperatorCb, operators: Registry) -> None:
        operator = operators.get(callback_data.id)
        if operator is None:
            await query.answer(_("This button is no longer active."))
            return
        await query.answer()
        keyboard = InlineKeyboardMarkup(inline_keyboard=[
            [button(_("⬅️ All operators"), OperatorsListCb())], [menu_button("howto")], [home_button()]])
        paragraphs = card_paragraphs(reader(), operator, operators)
        if callback_data.in_place:
            await replace_with(query, paragraphs, keyboard)
        else:
            await send_paragraphs(query.message, paragraphs, keyboard)

    return router
