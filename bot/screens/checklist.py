"""The checklist before cancelling: the list with ticks, and one item's how-to."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.callbacks import ChecklistCb, RemindCb, RemindersListCb
from bot.keyboards import button, column
from flows.checklist import (
    INTRO_TEXT,
    ITEMS,
    PROGRESS_TEXT,
    TITLE_OPTIONAL,
    Answers,
    checklist_notes,
    get_item,
    optional_items,
    optional_reason,
    progress,
)
from flows.facts import Reader


def progress_line(r: Reader, done: set[str]) -> str:
    _ = r.t
    done_count, total = progress(done)
    return "<b>" + _(PROGRESS_TEXT).format(done=done_count, total=total) + "</b>"


def item_label(r: Reader, item_id: str, done: bool, optional: bool) -> str:
    _ = r.t
    title = _(get_item(item_id).title)
    if optional:
        title = _(TITLE_OPTIONAL).format(title=title)
    return ("✅ " if done else "⬜ ") + title


def list_screen(r: Reader, done: set[str], answers: Answers) -> tuple[str, InlineKeyboardMarkup]:
    _ = r.t
    optional = optional_items(answers)
    text = "\n\n".join([_(INTRO_TEXT), *(_(note) for note in checklist_notes(answers)), progress_line(r, done)])
    rows = [[button(item_label(r, item.id, item.id in done, item.id in optional),
                    ChecklistCb(action="item", item=item.id))]
            for item in ITEMS]
    rows.append([button(_("⏰ Remind me"), RemindCb(item="")), button(_("🔔 My reminders"), RemindersListCb())])
    rows.append([button(_("🏠 Menu"), ChecklistCb(action="menu"))])
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def item_screen(r: Reader, item_id: str, done: set[str], answers: Answers) -> tuple[str, InlineKeyboardMarkup]:
    _ = r.t
    parts = [_(get_item(item_id).howto)]
    reason = optional_reason(item_id, answers)
    if reason is not None:
        parts.append("<i>" + _(reason) + "</i>")
    is_done = item_id in done
    parts.append((_("✅ You marked this as done.") if is_done else _("⬜ Not done yet.")) + "\n" + progress_line(r, done))
    toggle = (button(_("↩️ Mark as not done"), ChecklistCb(action="undone", item=item_id)) if is_done
              else button(_("✅ Mark as done"), ChecklistCb(action="done", item=item_id)))
    return "\n\n".join(parts), column([
        toggle,
        button(_("⏰ Remind me"), RemindCb(item=item_id)),
        button(_("⬅️ Back to the list"), ChecklistCb(action="list")),
    ])


def marked_text(r: Reader, done: bool) -> str:
    _ = r.t
    return _("Marked as done.") if done else _("Marked as not done.")
