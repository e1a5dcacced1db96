"""Operator contacts: one card per operator, from the operator registry."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from bot.callbacks import MenuCb, OperatorCb, OperatorsListCb
from bot.i18n import reader
from bot.replies import replace_with, send_paragraphs, show, show_in_place, toast
from bot.screens.common import INACTIVE
from bot.screens.contacts import card_keyboard, operator_list
from flows.operator_texts import card_paragraphs
from flows.operators import Registry


async def contacts(query: CallbackQuery, operators: Registry) -> None:
    text, keyboard = operator_list(reader(), operators)
    await show(query.message, text, keyboard, in_place=False)


async def contacts_command(message: Message, operators: Registry) -> None:
    text, keyboard = operator_list(reader(), operators)
    await message.answer(text, reply_markup=keyboard)


async def back_to_list(query: CallbackQuery, operators: Registry) -> None:
    text, keyboard = operator_list(reader(), operators)
    await show_in_place(query.message, text, keyboard)


async def card(query: CallbackQuery, callback_data: OperatorCb, callback_answer: CallbackAnswer,
               operators: Registry) -> None:
    operator = operators.get(callback_data.id)
    if operator is None:
        await toast(query, callback_answer, _(INACTIVE))
        return
    paragraphs = card_paragraphs(reader(), operator, operators)
    if callback_data.in_place:
        await replace_with(query, paragraphs, card_keyboard(reader()))
    else:
        await send_paragraphs(query.message, paragraphs, card_keyboard(reader()))


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(contacts, MenuCb.filter(F.entry == "contacts"))
    router.message.register(contacts_command, Command("contacts"))
    router.callback_query.register(back_to_list, OperatorsListCb.filter())
    router.callback_query.register(card, OperatorCb.filter())
    return router
