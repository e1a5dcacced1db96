"""Operator contacts: the list of operators and the keyboard under one operator's card
(the card's text is flows.operator_texts.card_paragraphs)."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.callbacks import OperatorCb, OperatorsListCb
from bot.keyboards import button, grid, menu_button
from bot.screens.common import home_button
from flows.facts import Reader
from flows.operators import Registry


def operator_list(r: Reader, operators: Registry) -> tuple[str, InlineKeyboardMarkup]:
    _ = r.t
    buttons = [button(op.name(r.lang), OperatorCb(id=op.id, in_place=True)) for op in operators.values()]
    # Names are short: two to a row.
    rows = [*grid(buttons, 2), [home_button(r)]]
    return _("Which operator? Choose one for its contacts and rules."), InlineKeyboardMarkup(inline_keyboard=rows)


def card_keyboard(r: Reader) -> InlineKeyboardMarkup:
    _ = r.t
    return InlineKeyboardMarkup(inline_keyboard=[
        [button(_("⬅️ All operators"), OperatorsListCb())], [menu_button(r, "howto")], [home_button(r)]])
