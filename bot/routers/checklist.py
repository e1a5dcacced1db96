"""The checklist before cancelling: a list of items with ticks, each with its how-to.

The list and an item's how-to take turns in one message (edited in place), so the chat
does not fill up while the user goes through the items.

    menu "checklist" / k:list    -> the list: ✅/⬜ per item, progress, remind me
    k:item:<id>                  -> the how-to, mark done/undone, remind me, back
    k:done:<id> / k:undone:<id>  -> tick stored, the how-to again with the new state
    k:menu                       -> the main menu
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.callbacks import ChecklistCb, MenuCb
from bot.i18n import reader
from bot.keyboards import main_menu
from bot.replies import show, show_in_place, toast
from bot.repositories.checklist import ChecklistRepository
from bot.repositories.checks import ChecksRepository
from bot.screens.checklist import item_screen, list_screen, marked_text
from bot.screens.menu import menu_text
from flows.checklist import item_ids


async def from_menu(query: CallbackQuery, checklist: ChecklistRepository, checks: ChecksRepository) -> None:
    user_id = query.from_user.id
    text, markup = list_screen(reader(), await checklist.done(user_id), await checks.latest_answers(user_id))
    await show(query.message, text, markup, in_place=False)


async def checklist_command(message: Message, checklist: ChecklistRepository, checks: ChecksRepository) -> None:
    user_id = message.from_user.id
    text, markup = list_screen(reader(), await checklist.done(user_id), await checks.latest_answers(user_id))
    await message.answer(text, reply_markup=markup)


async def back_to_list(query: CallbackQuery, checklist: ChecklistRepository, checks: ChecksRepository) -> None:
    user_id = query.from_user.id
    text, markup = list_screen(reader(), await checklist.done(user_id), await checks.latest_answers(user_id))
    await show_in_place(query.message, text, markup)


async def open_item(query: CallbackQuery, callback_data: ChecklistCb, checklist: ChecklistRepository,
                    checks: ChecksRepository) -> None:
    user_id = query.from_user.id
    text, markup = item_screen(reader(), callback_data.item, await checklist.done(user_id),
                               await checks.latest_answers(user_id))
    await show_in_place(query.message, text, markup)


async def toggle(query: CallbackQuery, callback_data: ChecklistCb, callback_answer: CallbackAnswer,
                 checklist: ChecklistRepository, checks: ChecksRepository) -> None:
    user_id = query.from_user.id
    mark = callback_data.action == "done"
    await checklist.set_done(user_id, callback_data.item, mark)
    await toast(query, callback_answer, marked_text(reader(), mark))
    text, markup = item_screen(reader(), callback_data.item, await checklist.done(user_id),
                               await checks.latest_answers(user_id))
    await show_in_place(query.message, text, markup)


async def to_menu(query: CallbackQuery) -> None:
    await show_in_place(query.message, menu_text(reader()), main_menu())


def create_router() -> Router:
    router = Router(name=__name__)
    known_items = set(item_ids())
    router.callback_query.register(from_menu, MenuCb.filter(F.entry == "checklist"))
    router.message.register(checklist_command, Command("checklist"))
    router.callback_query.register(back_to_list, ChecklistCb.filter(F.action == "list"))
    router.callback_query.register(open_item, ChecklistCb.filter((F.action == "item") & F.item.in_(known_items)))
    router.callback_query.register(toggle, ChecklistCb.filter(F.action.in_({"done", "undone"}) & F.item.in_(known_items)))
    router.callback_query.register(to_menu, ChecklistCb.filter(F.action == "menu"))
    return router
