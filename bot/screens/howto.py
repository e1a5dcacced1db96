"""How to cancel: the ways (channels), ranked for the user's last check if there is one,
and one way's steps."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardMarkup

from bot.callbacks import ChannelCb, VerdictCb
from bot.keyboards import button, column, menu_button, operator_button, start_over_button
from bot.repositories.checks import FinishedCheck
from bot.screens.common import home_button
from flows.channels import Channel
from flows.facts import Reader
from flows.operators import Operator
from flows.views import channel_paragraphs, confirm_line, overview_paragraphs, recommended_paragraphs


def ways_screen(r: Reader, channels: Sequence[Channel],
                latest: FinishedCheck | None) -> tuple[list[str], InlineKeyboardMarkup]:
    """Every way, or, after a check, the ways ranked for its answers; a button per way."""
    _ = r.t
    paragraphs = overview_paragraphs(_) if latest is None else recommended_paragraphs(_, channels, latest.finished_at)
    buttons = [button(_(c.title), ChannelCb(channel=c.id, check=latest.id if latest else 0, verdict=False))
               for c in channels]
    buttons.append(menu_button(r, "check") if latest is None else start_over_button(r))
    return paragraphs, column(buttons)


def channel_screen(r: Reader, channel: Channel, operator: Operator | None,
                   verdict_of: int | None) -> tuple[list[str], InlineKeyboardMarkup]:
    """A way's steps; ``verdict_of``: the check whose verdict it was opened from."""
    _ = r.t
    buttons = [menu_button(r, "howto"), menu_button(r, "checklist")]
    if operator is not None:
        buttons.append(operator_button(r, operator))
    if verdict_of is not None:
        buttons.append(button(_("⬅️ Back to the verdict"), VerdictCb(check=verdict_of, part="card")))
    # The steps are worth keeping: they come anew, and so does the menu under them.
    buttons.append(home_button(r, new=True))
    return [*channel_paragraphs(_, channel), confirm_line(_, operator, r.lang)], column(buttons)
