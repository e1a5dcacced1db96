"""How to cancel: the ways (channels), ranked for the user's last check if there is one,
and each way's steps."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from bot.callbacks import ChannelCb, MenuCb
from bot.i18n import reader
from bot.keyboards import (
    button,
    column,
    menu_button,
    operator_button,
    start_over_button,
)
from bot.replies import send_paragraphs
from bot.repositories.checks import ChecksRepository
from flows.channels import CHANNELS, recommend
from flows.operators import Registry
from flows.views import (
    channel_paragraphs,
    confirm_line,
    overview_paragraphs,
    recommended_paragraphs,
)


def create_router() -> Router:
    router = Router(name=__name__)

    @router.callback_query(MenuCb.filter(F.entry == "howto"))
    async def howto(query: CallbackQuery, checks: ChecksRepository, operators: Registry) -> None:
        await query.answer()
        latest = await checks.latest(query.from_user.id)
        if latest is None:
            channels = list(CHANNELS.values())
            paragraphs = overview_paragraphs(_)
        else:
            channels = recommend(latest.answers, operators.get(latest.answers.get("operator", "")))
            paragraphs = recommended_paragraphs(_, channels, latest.finished_at)
        buttons = [button(_(c.title), ChannelCb(channel=c.id, check=latest.id if latest else 0, verdict=False))
                   for c in channels]
        buttons.append(menu_button("check") if latest is None else start_over_button())
        await send_paragraphs(query.message, paragraphs, column(buttons))

    @router.callback_query(ChannelCb.filter(F.channel.in_(CHANNELS)))
    async def channel_steps(
        query: CallbackQuery,
        callback_data: ChannelCb,
        checks: ChecksRepository,
        operators: Registry,
    ) -> None:
        await query.answer()
        check = await checks.get(callback_data.check, query.from_user.id) if callback_data.check else None
        answers = check.answers if check else {}
        if check is not None and callback_data.verdict:
            await checks.choose_channel(check.id, query.from_user.id, callback_data.channel)
        # The ranked copy carries the warnings for these answers; a channel that is not
        # ranked for them (say Gosuslugi for someone else's number) is shown as it is.
        operator = operators.get(answers.get("operator", ""))
        channel = next((c for c in recommend(answers, operator) if c.id == callback_data.channel),
                       CHANNELS[callback_data.channel])
        buttons = [menu_button("howto"), menu_button("checklist")]
        if operator is not None:
            buttons.append(operator_button(operator))
        await send_paragraphs(query.message, [*channel_paragraphs(_, channel), confirm_line(_, operator, reader().lang)],
                              column(buttons))

    return router
