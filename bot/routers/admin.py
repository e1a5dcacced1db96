"""Admin commands: /broadcast, /broadcast_cancel and /stats.

Only the user ids in ADMIN_IDS get past the router's filter; for everyone else these commands
fall through to the fallback router, as unknown commands do, so nothing hints that they exist.

/broadcast: the admin sends a message (formatted text, or a photo or a file with a caption);
the bot copies it back as the preview, then asks for the audience and a confirmation.
The message itself is never read or re-composed: recipients get a copy (copyMessage).
"""

from __future__ import annotations

from dataclasses import replace

from aiogram import Bot, F, Router
from aiogram.filters import Command, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    TelegramObject,
    User,
)
from aiogram.utils.i18n import gettext as _
from pydantic import BaseModel

from bot.broadcaster import Broadcaster
from bot.callbacks import BroadcastCb
from bot.config import Settings
from bot.i18n import reader
from bot.repositories.broadcasts import BroadcastsRepository
from bot.repositories.questions import QuestionsRepository
from bot.repositories.stats import StatsRepository
from bot.replies import show_in_place
from flows.admin import (
    Audience,
    describe_audience,
    is_safe_value,
    parse_audience,
    split_sections,
    stats_sections,
    value_label,
)
from flows.operators import Registry


class IsAdmin(Filter):
    async def __call__(self, event: TelegramObject, settings: Settings, event_from_user: User | None = None) -> bool:
        return event_from_user is not None and event_from_user.id in settings.admin_ids


class Draft(StatesGroup):
    message = State()  # waiting for the message to broadcast
    audience = State()  # preview shown; choosing the audience, then confirming


class DraftData(BaseModel):
    """FSM data of a draft: the admin's message, copied as it is when sending."""

    from_chat_id: int
    message_id: int


def button(text: str, action: str, kind: str = "", value: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=BroadcastCb(action=action, kind=kind, value=value).pack())


def drop_button() -> InlineKeyboardButton:
    return button(_("✖ Cancel"), "drop")


async def audience_menu(broadcasts: BroadcastsRepository) -> InlineKeyboardMarkup:
    everyone = await broadcasts.count(Audience("all"))
    unfinished = await broadcasts.count(Audience("unfinished"))
    return InlineKeyboardMarkup(inline_keyboard=[
        [button(_("👥 All users ({count})").format(count=everyone), "pick", "all")],
        [button(_("🌐 By language"), "pick", "language"), button(_("✅ By verdict"), "pick", "status")],
        [button(_("📶 By operator"), "pick", "operator")],
        [button(_("📋 Checklist not finished ({count})").format(count=unfinished), "pick", "unfinished")],
        [drop_button()],
    ])


def audience_menu_text() -> str:
    return _("Above is exactly what recipients will see. Who should receive it? "
             "Users who blocked the bot are left out.")


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(IsAdmin())
    router.callback_query.filter(IsAdmin())

    @router.message(Command("broadcast"))
    async def broadcast(message: Message, state: FSMContext, broadcasts: BroadcastsRepository) -> None:
        running = await broadcasts.latest_running()
        if running is not None:
            await message.answer(_("Broadcast #{id} is still being sent. /broadcast_cancel stops it.").format(id=running))
            return
        await state.set_state(Draft.message)
        await message.answer(_(
            "Send me the message to broadcast: text (formatting is kept), or a photo or a file "
            "with a caption. /cancel stops."))

    # Commands typed here belong to their own handlers (/cancel, /stats, …).
    @router.message(StateFilter(Draft.message), F.photo | F.document | (F.text & ~F.text.startswith("/")))
    async def draft(message: Message, state: FSMContext, bot: Bot, broadcasts: BroadcastsRepository) -> None:
        data = DraftData(from_chat_id=message.chat.id, message_id=message.message_id)
        await state.set_state(Draft.audience)
        await state.set_data(data.model_dump())
        await bot.copy_message(chat_id=message.chat.id, from_chat_id=data.from_chat_id, message_id=data.message_id)
        await message.answer(audience_menu_text(), reply_markup=await audience_menu(broadcasts))

    @router.message(StateFilter(Draft.message), ~F.text.startswith("/"))
    async def not_broadcastable(message: Message) -> None:
        await message.answer(_("I can broadcast text, a photo or a file. Please send one of these, or /cancel."))

    @router.callback_query(StateFilter(Draft.audience), BroadcastCb.filter(F.action == "pick"))
    async def pick(query: CallbackQuery, callback_data: BroadcastCb, broadcasts: BroadcastsRepository) -> None:
        if callback_data.kind in ("language", "status", "operator") and not callback_data.value:
            await show_values(query, callback_data.kind, broadcasts)
            return
        audience = parse_audience(callback_data.kind, callback_data.value)
        if audience is None:
            await query.answer(_("This button is no longer active."))
            return
        count = await broadcasts.count(audience)
        if count == 0:
            await query.answer(_("No one is in this audience."), show_alert=True)
            return
        await query.answer()
        await show_in_place(
            query.message,
            _("Audience: {audience}\nRecipients: {count}\n\nSend them the message above?").format(
                audience=describe_audience(audience, _), count=count),
            InlineKeyboardMarkup(inline_keyboard=[
                [button(_("📤 Send to {count}").format(count=count), "send", audience.kind, audience.value)],
                [button(_("« Back"), "back"), drop_button()],
            ]),
        )

    async def show_values(query: CallbackQuery, kind: str, broadcasts: BroadcastsRepository) -> None:
        values = [(value, count) for value, count in await broadcasts.breakdown(kind) if is_safe_value(value)]
        if not values:
            await query.answer(_("No one to choose from yet."), show_alert=True)
            return
        await query.answer()
        rows = [[button(f"{value_label(Audience(kind, value), _)} ({count})", "pick", kind, value)]
                for value, count in values]
        await show_in_place(query.message, audience_menu_text(), InlineKeyboardMarkup(
            inline_keyboard=[*rows, [button(_("« Back"), "back"), drop_button()]]))

    @router.callback_query(StateFilter(Draft.audience), BroadcastCb.filter(F.action == "back"))
    async def back(query: CallbackQuery, broadcasts: BroadcastsRepository) -> None:
        await query.answer()
        await show_in_place(query.message, audience_menu_text(), await audience_menu(broadcasts))

    @router.callback_query(StateFilter(Draft.audience), BroadcastCb.filter(F.action == "send"))
    async def send(query: CallbackQuery, callback_data: BroadcastCb, state: FSMContext, bot: Bot,
                   broadcasts: BroadcastsRepository, broadcaster: Broadcaster) -> None:
        audience = parse_audience(callback_data.kind, callback_data.value)
        data = DraftData.model_validate(await state.get_data())
        running = await broadcasts.latest_running()
        if audience is None or running is not None:
            await query.answer(_("Broadcast #{id} is still being sent. /broadcast_cancel stops it.").format(id=running)
                               if running is not None else _("This button is no longer active."), show_alert=True)
            return
        # Cleared first: a second tap on Send finds no draft and cannot start a second job.
        await state.clear()
        await query.answer()
        job = await broadcasts.create(query.from_user.id, data.from_chat_id, data.message_id, audience,
                                      query.message.chat.id, query.message.message_id)
        await show_in_place(
            query.message,
            _("<b>Broadcast #{id}</b> to {audience}: starting, {count} recipients.").format(
                id=job.id, audience=describe_audience(audience, _), count=job.total))
        await broadcaster.launch(bot, job.id)

    @router.callback_query(StateFilter(Draft.audience), BroadcastCb.filter(F.action == "drop"))
    async def drop(query: CallbackQuery, state: FSMContext) -> None:
        await state.clear()
        await query.answer()
        await show_in_place(query.message, _("Broadcast discarded: nothing was sent."))

    @router.callback_query(BroadcastCb.filter())
    async def stale(query: CallbackQuery) -> None:
        await query.answer(_("This draft is no longer active. /broadcast starts a new one."), show_alert=True)

    @router.message(Command("broadcast_cancel"))
    async def broadcast_cancel(message: Message, broadcasts: BroadcastsRepository, broadcaster: Broadcaster) -> None:
        running = await broadcasts.latest_running()
        if running is None or not await broadcaster.cancel(running):
            await message.answer(_("No broadcast is being sent."))
            return
        await message.answer(_("Broadcast #{id} is stopping; its status message will show the totals.").format(id=running))

    @router.message(Command("stats"))
    async def show_stats(message: Message, stats: StatsRepository, questions: QuestionsRepository,
                         operators: Registry) -> None:
        unanswered = [(q.text, q.times) for q in await questions.top_unanswered(10)]
        collected = replace(await stats.collect(), unanswered=unanswered)
        names = {op.id: op.name(reader().lang) for op in operators.values()}
        for text in split_sections(stats_sections(collected, _, names)):
            await message.answer(text)

    return router
