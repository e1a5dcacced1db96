"""How to cancel: the ways (channels), ranked for the user's last check if there is one,
and each way's steps."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery

from bot.callbacks import ChannelCb, MenuCb
from bot.i18n import reader
from bot.replies import send_paragraphs
from bot.repositories.checks import ChecksRepository
from bot.screens.howto import channel_screen, ways_screen
from flows.channels import CHANNELS, recommend
from flows.operators import Registry


async def howto(query: CallbackQuery, checks: ChecksRepository, operators: Registry) -> None:
    latest = await checks.latest(query.from_user.id)
    channels = (list(CHANNELS.values()) if latest is None
                else recommend(latest.answers, operators.get(latest.answers.get("operator", ""))))
    paragraphs, keyboard = ways_screen(reader(), channels, latest)
    await send_paragraphs(query.message, paragraphs, keyboard)


async def channel_steps(query: CallbackQuery, callback_data: ChannelCb, checks: ChecksRepository,
                        operators: Registry) -> None:
    check = await checks.get(callback_data.check, query.from_user.id) if callback_data.check else None
    answers = check.answers if check else {}
    from_verdict = check is not None and callback_data.verdict
    if from_verdict:
        await checks.choose_channel(check.id, query.from_user.id, callback_data.channel)
    # The ranked copy carries the warnings for these answers; a channel that is not
    # ranked for them (say Gosuslugi for someone else's number) is shown as it is.
    operator = operators.get(answers.get("operator", ""))
    channel = next((c for c in recommend(answers, operator) if c.id == callback_data.channel),
                   CHANNELS[callback_data.channel])
    paragraphs, keyboard = channel_screen(reader(), channel, operator, check.id if from_verdict else None)
    await send_paragraphs(query.message, paragraphs, keyboard)


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(howto, MenuCb.filter(F.entry == "howto"))
    router.callback_query.register(channel_steps, ChannelCb.filter(F.channel.in_(CHANNELS)))
    return router
