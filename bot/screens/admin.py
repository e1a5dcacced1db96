"""The admin's screens: a broadcast's audience, its confirmation and its start."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import BroadcastCb
from bot.keyboards import button
from flows.admin import Audience, describe_audience, value_label
from flows.facts import Reader


def draft_button(text: str, action: str, kind: str = "", value: str = "") -> InlineKeyboardButton:
    """A button of the broadcast draft."""
    return button(text, BroadcastCb(action=action, kind=kind, value=value))


def back_row(r: Reader) -> list[InlineKeyboardButton]:
    _ = r.t
    return [draft_button(_("« Back"), "back"), draft_button(_("✖ Cancel"), "drop")]


def still_sending(r: Reader, job_id: int) -> str:
    _ = r.t
    return _("Broadcast #{id} is still being sent. /broadcast_cancel stops it.").format(id=job_id)


def ask_for_message(r: Reader) -> str:
    _ = r.t
    return _("Send me the message to broadcast: text (formatting is kept), or a photo or a file "
             "with a caption. /cancel stops.")


def not_broadcastable(r: Reader) -> str:
    _ = r.t
    return _("I can broadcast text, a photo or a file. Please send one of these, or /cancel.")


def audience_menu_text(r: Reader) -> str:
    _ = r.t
    return _("Above is exactly what recipients will see. Who should receive it? "
             "Users who blocked the bot are left out.")


def audience_menu(r: Reader, everyone: int, unfinished: int) -> tuple[str, InlineKeyboardMarkup]:
    _ = r.t
    return audience_menu_text(r), InlineKeyboardMarkup(inline_keyboard=[
        [draft_button(_("👥 All users ({count})").format(count=everyone), "pick", "all")],
        [draft_button(_("🌐 By language"), "pick", "language"), draft_button(_("✅ By verdict"), "pick", "status")],
        [draft_button(_("📶 By operator"), "pick", "operator")],
        [draft_button(_("📋 Checklist not finished ({count})").format(count=unfinished), "pick", "unfinished")],
        [draft_button(_("✖ Cancel"), "drop")],
    ])


def values_screen(r: Reader, kind: str, values: list[tuple[str, int]]) -> tuple[str, InlineKeyboardMarkup]:
    """One button per language, verdict or operator, with how many users it has."""
    rows = [[draft_button(f"{value_label(Audience(kind, value), r.t)} ({count})", "pick", kind, value)]
            for value, count in values]
    return audience_menu_text(r), InlineKeyboardMarkup(inline_keyboard=[*rows, back_row(r)])


def confirm_screen(r: Reader, audience: Audience, count: int) -> tuple[str, InlineKeyboardMarkup]:
    _ = r.t
    text = _("Audience: {audience}\nRecipients: {count}\n\nSend them the message above?").format(
        audience=describe_audience(audience, _), count=count)
    return text, InlineKeyboardMarkup(inline_keyboard=[
        [draft_button(_("📤 Send to {count}").format(count=count), "send", audience.kind, audience.value)],
        back_row(r),
    ])


def started_text(r: Reader, job_id: int, audience: Audience, total: int) -> str:
    _ = r.t
    return _("<b>Broadcast #{id}</b> to {audience}: starting, {count} recipients.").format(
        id=job_id, audience=describe_audience(audience, _), count=total)
