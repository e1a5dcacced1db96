"""How to cancel: the ways (channels), ranked for the user's last check if there is one,
and one way's steps (also the best way's steps in a verdict)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape

from aiogram.types import InlineKeyboardMarkup

from bot.callbacks import ChannelCb, VerdictCb
from bot.keyboards import (
    button,
    column,
    menu_button,
    operator_button,
    start_over_button,
)
from bot.repositories.checks import FinishedCheck
from bot.screens.common import home_button
from flows.channels import CHANNELS, SUMMARIES, Channel
from flows.facts import Reader
from flows.operators import Operator
from flows.texts import N_

# Said under every way, a call included, so it speaks of acting, not of a visit.
CONFIRM_WITH = N_("Rules change and I am not the operator: confirm these steps with {operator} before you act.")
CONFIRM_UNKNOWN = N_(
    "Rules change and I am not the operator: confirm these steps with your operator before you act."
)


def heading(r: Reader, msgid: str) -> str:
    return f"<b>{r.t(msgid)}</b>"


def bullets(r: Reader, title: str, items: Sequence[str]) -> str:
    return heading(r, title) + "\n" + "\n".join(f"• {r.t(item)}" for item in items)


def channel_paragraphs(r: Reader, channel: Channel, *, best: bool = False, bring: bool = True) -> list[str]:
    """A channel's steps, what to bring (unless shown apart), what to ask for, how to check,
    and its warnings."""
    _ = r.t
    title = f"<b>{_(channel.title)}</b>"
    if best:
        title = _("⭐ The best way for you: {channel}").format(channel=title)
    steps = "\n".join(f"{n}. {_(step)}" for n, step in enumerate(channel.steps, 1))
    paragraphs = [f"{title}\n{steps}"]
    if bring and channel.bring:
        paragraphs.append(bullets(r, N_("What to bring"), channel.bring))
    if channel.ask_for:
        paragraphs.append(bullets(r, N_("What to ask for"), channel.ask_for))
    if channel.check:
        paragraphs.append(bullets(r, N_("How to check that it worked"), channel.check))
    if channel.warnings:
        paragraphs.append("\n".join(f"⚠️ {_(w)}" for w in channel.warnings))
    return paragraphs


def confirm_line(r: Reader, operator: Operator | None) -> str:
    if operator is None:
        return r.t(CONFIRM_UNKNOWN)
    return r.t(CONFIRM_WITH).format(operator=f"<b>{escape(operator.name(r.lang))}</b>")


def overview_paragraphs(r: Reader) -> list[str]:
    """Every channel in one line each, for someone who has not done the check."""
    _ = r.t
    paragraphs = [heading(r, N_("Ways to end a contract"))]
    paragraphs += [f"<b>{_(c.title)}</b>\n{_(SUMMARIES[c.id])}" for c in CHANNELS.values()]
    paragraphs.append(_("The check (a few questions) shows which way fits you. Press a way for its steps."))
    return paragraphs


def recommended_paragraphs(r: Reader, channels: Sequence[Channel], finished_at: int) -> list[str]:
    """The channels ranked for the user's last check, one line each."""
    _ = r.t
    paragraphs = [_("<b>Ways to end your contract</b>, best first, from your check of {date}:").format(
        date=day(finished_at))]
    paragraphs += [f"{n}. <b>{_(c.title)}</b>\n{_(SUMMARIES[c.id])}" for n, c in enumerate(channels, 1)]
    paragraphs.append(_("Press a way for its steps."))
    return paragraphs


def day(timestamp: int) -> str:
    """A unix time as an ISO date (UTC): readable in every language without a locale."""
    return datetime.fromtimestamp(timestamp, tz=UTC).date().isoformat()


def ways_screen(r: Reader, channels: Sequence[Channel],
                latest: FinishedCheck | None) -> tuple[list[str], InlineKeyboardMarkup]:
    """Every way, or, after a check, the ways ranked for its answers; a button per way."""
    _ = r.t
    paragraphs = overview_paragraphs(r) if latest is None else recommended_paragraphs(r, channels, latest.finished_at)
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
    return [*channel_paragraphs(r, channel), confirm_line(r, operator)], column(buttons)
