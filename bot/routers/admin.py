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
from aiogram.types import CallbackQuery, Message, TelegramObject, User
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from pydantic import BaseModel

from bot.broadcaster import Broadcaster
from bot.callbacks import BroadcastCb
from bot.config import Settings
from bot.i18n import reader
from bot.replies import show, show_in_place, toast
from bot.repositories.broadcasts import BroadcastsRepository
from bot.repositories.questions import QuestionsRepository
from bot.repositories.stats import StatsRepository
from bot.screens.admin import (
    ask_for_message,
    audience_menu,
    confirm_screen,
    not_broadcastable,
    started_text,
    still_sending,
    values_screen,
)
from bot.screens.common import INACTIVE
from flows.admin import Audience, is_safe_value, parse_audience, stats_sections
from flows.operators import Registry
from flows.split import split_message


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


async def show_audience_menu(message: Message | None, broadcasts: BroadcastsRepository, in_place: bool) -> None:
    text, keyboard = audience_menu(reader(), await broadcasts.count(Audience("all")),
                                   await broadcasts.count(Audience("unfinished")))
    await show(message, text, keyboard, in_place=in_place)


async def broadcast(message: Message, state: FSMContext, broadcasts: BroadcastsRepository) -> None:
    running = await broadcasts.latest_running()
    if running is not None:
        await message.answer(still_sending(reader(), running))
        return
    await state.set_state(Draft.message)
    await message.answer(ask_for_message(reader()))


async def draft(message: Message, state: FSMContext, bot: Bot, broadcasts: BroadcastsRepository) -> None:
    data = DraftData(from_chat_id=message.chat.id, message_id=message.message_id)
    await state.set_state(Draft.audience)
    await state.set_data(data.model_dump())
    await bot.copy_message(chat_id=message.chat.id, from_chat_id=data.from_chat_id, message_id=data.message_id)
    await show_audience_menu(message, broadcasts, in_place=False)


async def not_a_draft(message: Message) -> None:
    await message.answer(not_broadcastable(reader()))


async def pick(query: CallbackQuery, callback_data: BroadcastCb, callback_answer: CallbackAnswer,
               broadcasts: BroadcastsRepository) -> None:
    if callback_data.kind in ("language", "status", "operator") and not callback_data.value:
        values = [(value, count) for value, count in await broadcasts.breakdown(callback_data.kind)
                  if is_safe_value(value)]
        if not values:
            await toast(query, callback_answer, _("No one to choose from yet."), alert=True)
            return
        text, keyboard = values_screen(reader(), callback_data.kind, values)
        await show_in_place(query.message, text, keyboard)
        return
    audience = parse_audience(callback_data.kind, callback_data.value)
    if audience is None:
        await toast(query, callback_answer, _(INACTIVE))
        return
    count = await broadcasts.count(audience)
    if count == 0:
        await toast(query, callback_answer, _("No one is in this audience."), alert=True)
        return
    text, keyboard = confirm_screen(reader(), audience, count)
    await show_in_place(query.message, text, keyboard)


async def back(query: CallbackQuery, broadcasts: BroadcastsRepository) -> None:
    await show_audience_menu(query.message, broadcasts, in_place=True)


async def send(query: CallbackQuery, callback_data: BroadcastCb, callback_answer: CallbackAnswer, state: FSMContext,
               bot: Bot, broadcasts: BroadcastsRepository, broadcaster: Broadcaster) -> None:
    audience = parse_audience(callback_data.kind, callback_data.value)
    data = DraftData.model_validate(await state.get_data())
    running = await broadcasts.latest_running()
    if audience is None or running is not None:
        await toast(query, callback_answer, still_sending(reader(), running) if running is not None else _(INACTIVE), alert=True)
        return
    # Cleared first: a second tap on Send finds no draft and cannot start a second job.
    await state.clear()
    job = await broadcasts.create(query.from_user.id, data.from_chat_id, data.message_id, audience,
                                  query.message.chat.id, query.message.message_id)
    await show_in_place(query.message, started_text(reader(), job.id, audience, job.total))
    await broadcaster.launch(bot, job.id)


async def drop(query: CallbackQuery, state: FSMContext) -> None:
    await state.clear()
    await show_in_place(query.message, _("Broadcast discarded: nothing was sent."))


async def stale(query: CallbackQuery, callback_answer: CallbackAnswer) -> None:
    await toast(query, callback_answer, _("This draft is no longer active. /broadcast starts a new one."), alert=True)


async def broadcast_cancel(message: Message, broadcasts: BroadcastsRepository, broadcaster: Broadcaster) -> None:
    running = await broadcasts.latest_running()
    if running is None or not await broadcaster.cancel(running):
        await message.answer(_("No broadcast is being sent."))
        return
    await message.answer(_("Broadcast #{id} is stopping; its status message will show the totals.").format(id=running))


async def show_stats(message: Message, stats: StatsRepository, questions: QuestionsRepository,
                     operators: Registry) -> None:
    unanswered = [(q.text, q.times) for q in await questions.top_unanswered(10)]
    collected = replace(await stats.collect(), unanswered=unanswered)
    names = {op.id: op.name(reader().lang) for op in operators.values()}
    for text in split_message(stats_sections(collected, _, names)):
        await message.answer(text)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(IsAdmin())
    router.callback_query.filter(IsAdmin())
    router.message.register(broadcast, Command("broadcast"))
    # Commands typed here belong to their own handlers (/cancel, /stats, …).
    router.message.register(draft, StateFilter(Draft.message),
                            F.photo | F.document | (F.text & ~F.text.startswith("/")))
    router.message.register(not_a_draft, StateFilter(Draft.message), ~F.text.startswith("/"))
    router.callback_query.register(pick, StateFilter(Draft.audience), BroadcastCb.filter(F.action == "pick"))
    router.callback_query.register(back, StateFilter(Draft.audience), BroadcastCb.filter(F.action == "back"))
    router.callback_query.register(send, StateFilter(Draft.audience), BroadcastCb.filter(F.action == "send"))
    router.callback_query.register(drop, StateFilter(Draft.audience), BroadcastCb.filter(F.action == "drop"))
    router.callback_query.register(stale, BroadcastCb.filter())
    router.message.register(broadcast_cancel, Command("broadcast_cancel"))
    router.message.register(show_stats, Command("stats"))
    return router
