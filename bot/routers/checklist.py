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
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.callbacks import ChecklistCb, MenuCb, RemindCb, RemindersListCb
from bot.keyboards import button, column, main_menu
from bot.replies import show_in_place
from bot.repositories.checklist import ChecklistRepository
from bot.repositories.checks import ChecksRepository
from bot.routers.start import menu_text
from flows.checklist import (
    INTRO_TEXT,
    ITEMS,
    PROGRESS_TEXT,
    TITLE_OPTIONAL,
    Answers,
    checklist_notes,
    get_item,
    item_ids,
    optional_items,
    optional_reason,
    progress,
)


async def eligibility_answers(checks: ChecksRepository, user_id: int) -> Answers:
    latest = await checks.latest(user_id)
    return latest.answers if latest else {}


def progress_line(done: set[str]) -> str:
    done_count, total = progress(done)
    return "<b>" + _(PROGRESS_TEXT).format(done=done_count, total=total) + "</b>"


def item_label(item_id: str, done: bool, optional: bool) -> str:
    title = _(get_item(item_id).title)
    if optional:
        title = _(TITLE_OPTIONAL).format(title=title)
    return ("✅ " if done else "⬜ ") + title


def list_view(done: set[str], answers: Answers) -> tuple[str, InlineKeyboardMarkup]:
    optional = optional_items(answers)
    text = "\n\n".join([_(INTRO_TEXT), *(_(note) for note in checklist_notes(answers)), progress_line(done)])
    rows = [[button(item_label(item.id, item.id in done, item.id in optional), ChecklistCb(action="item", item=item.id))]
            for item in ITEMS]
    rows.append([button(_("⏰ Remind me"), RemindCb(item="")), button(_("🔔 My reminders"), RemindersListCb())])
    rows.append([button(_("🏠 Menu"), ChecklistCb(action="menu"))])
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def item_view(item_id: str, done: set[str], answers: Answers) -> tuple[str, InlineKeyboardMarkup]:
    parts = [_(get_item(item_id).howto)]
    reason = optional_reason(item_id, answers)
    if reason is not None:
        parts.append("<i>" + _(reason) + "</i>")
    is_done = item_id in done
    parts.append((_("✅ You marked this as done.") if is_done else _("⬜ Not done yet.")) + "\n" + progress_line(done))
    toggle = (button(_("↩️ Mark as not done"), ChecklistCb(action="undone", item=item_id)) if is_done
              else button(_("✅ Mark as done"), ChecklistCb(action="done", item=item_id)))
    return "\n\n".join(parts), column([
        toggle,
        button(_("⏰ Remind me"), RemindCb(item=item_id)),
        button(_("⬅️ Back to the list"), ChecklistCb(action="list")),
    ])


def create_router() -> Router:
    router = Router(name=__name__)
    known_items = set(item_ids())

    @router.callback_query(MenuCb.filter(F.entry == "checklist"))
    async def from_menu(query: CallbackQuery, checklist: ChecklistRepository, checks: ChecksRepository) -> None:
        await query.answer()
        user_id = query.from_user.id
        text, markup = list_view(await checklist.done(user_id), await eligibility_answers(checks, user_id))
        await query.message.answer(text, reply_markup=markup)

    @router.message(Command("checklist"))
    async def checklist_command(message: Message, checklist: ChecklistRepository, checks: ChecksRepository) -> None:
        user_id = message.from_user.id
        text, markup = list_view(await checklist.done(user_id), await eligibility_answers(checks, user_id))
        await message.answer(text, reply_markup=markup)

    @router.callback_query(ChecklistCb.filter(F.action == "list"))
    async def back_to_list(query: CallbackQuery, checklist: ChecklistRepository, checks: ChecksRepository) -> None:
        await query.answer()
        user_id = query.from_user.id
        text, markup = list_view(await checklist.done(user_id), await eligibility_answers(checks, user_id))
        await show_in_place(query.message, text, markup)

    @router.callback_query(ChecklistCb.filter((F.action == "item") & F.item.in_(known_items)))
    async def open_item(query: CallbackQuery, callback_data: ChecklistCb, checklist: ChecklistRepository,
                        checks: ChecksRepository) -> None:
        await query.answer()
        user_id = query.from_user.id
        text, markup = item_view(callback_data.item, await checklist.done(user_id),
                                 await eligibility_answers(checks, user_id))
        await show_in_place(query.message, text, markup)

    @router.callback_query(ChecklistCb.filter(F.action.in_({"done", "undone"}) & F.item.in_(known_items)))
    async def toggle(query: CallbackQuery, callback_data: ChecklistCb, checklist: ChecklistRepository,
                     checks: ChecksRepository) -> None:
        user_id = query.from_user.id
        mark = callback_data.action == "done"
        await checklist.set_done(user_id, callback_data.item, mark)
        await query.answer(_("Marked as done.") if mark else _("Marked as not done."))
        text, markup = item_view(callback_data.item, await checklist.done(user_id),
                                 await eligibility_answers(checks, user_id))
        await show_in_place(query.message, text, markup)

    @router.callback_query(ChecklistCb.filter(F.action == "menu"))
    async def to_menu(query: CallbackQuery) -> None:
        await query.answer()
        await show_in_place(query.message, menu_text(), main_menu())

    return router
