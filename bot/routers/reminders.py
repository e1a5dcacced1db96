"""Setting reminders, answering them, and /reminders.

    r:<item>                 -> time zone known? the time question : the time zone question
    time zone question       -> rz:<item>:<offset> (Moscow, Beijing), ro:<item>:1 (every
                                offset), or a typed offset such as UTC+5
    time question            -> rp:<item>:<preset>, or a typed time (30m, 21:30,
                                2026-12-01 09:00); unreadable input: why, the accepted
                                forms and the question again; /cancel leaves
    ra:<id>:<action>         -> a delivered reminder's buttons: done, 1h, 1d, stop
    /reminders, rl, rc:<id>  -> the pending reminders, each with a cancel button

Item "" means the whole checklist. A new reminder sets ``reminder_wakeup``, so the
scheduler recomputes its sleep at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.callbacks import (
    ChecklistCb,
    PresetCb,
    RemindCb,
    ReminderActionCb,
    ReminderCancelCb,
    RemindersListCb,
    TimezoneCb,
    TimezoneMenuCb,
)
from bot.filters import CommandLike, HasText
from bot.keyboards import button, column
from bot.replies import show_in_place
from bot.repositories.checklist import ChecklistRepository
from bot.repositories.checks import ChecksRepository
from bot.repositories.reminders import Reminder, RemindersRepository
from bot.repositories.users import UsersRepository
from bot.routers.checklist import eligibility_answers, list_view, progress_line
from flows.checklist import item_ids
from flows.reminders import (
    DONE_TEXT,
    MAX_PENDING_PER_USER,
    REMINDER_SET_TEXT,
    SNOOZED_TEXT,
    STOPPED_TEXT,
    Snooze,
    reminder_subject,
    snooze_due,
)
from flows.timeparse import (
    FEATURED_TIMEZONES,
    FORMS_HELP,
    OTHER_TIMEZONE_BUTTON,
    PRESET_LABELS,
    TIMEZONE_OFFSETS,
    ParseError,
    Preset,
    available_presets,
    error_msgids,
    format_local,
    format_offset,
    parse_due,
    parse_offset,
    preset_due,
)

Clock = Callable[[], datetime]


class ReminderSetup(StatesGroup):
    timezone = State()  # data: item
    time = State()  # data: item


def subject(item: str | None) -> str:
    return _(reminder_subject(item or None)[0])


def when_text(due: datetime, offset: int) -> tuple[str, str]:
    return format_local(due, offset), format_offset(offset)


# --- the time zone question -----------------------------------------------------------------


def timezone_question(item: str) -> tuple[str, InlineKeyboardMarkup]:
    featured = [button(_(choice.name), TimezoneCb(item=item, offset=choice.offset_minutes))
                for choice in FEATURED_TIMEZONES]
    other = button(_(OTHER_TIMEZONE_BUTTON), TimezoneMenuCb(item=item, full=True))
    text = _(
        "🌐 Which time zone are you in? I ask once and use it for every reminder.\n"
        "Choose below or send your UTC offset, such as <code>UTC+5</code>."
    )
    return text, InlineKeyboardMarkup(inline_keyboard=[featured, [other]])


def every_timezone(item: str) -> tuple[str, InlineKeyboardMarkup]:
    buttons = [button(format_offset(offset), TimezoneCb(item=item, offset=offset)) for offset in TIMEZONE_OFFSETS]
    text = _(
        "🌐 Choose your UTC offset, or send it, such as <code>UTC+5</code>. Moscow is UTC+3, "
        "Beijing UTC+8."
    )
    return text, InlineKeyboardMarkup(inline_keyboard=[buttons[i:i + 4] for i in range(0, len(buttons), 4)])


# --- the time question ------------------------------------------------------------------------


def time_question(item: str, offset: int, now: datetime) -> tuple[str, InlineKeyboardMarkup]:
    buttons = [button(_(PRESET_LABELS[preset]), PresetCb(item=item, preset=preset.value))
               for preset in available_presets(now, offset)]
    buttons.append(button(_("🌐 Time zone: {tz}").format(tz=format_offset(offset)),
                          TimezoneMenuCb(item=item, full=False)))
    text = (
        _("⏰ When should I remind you about <b>{what}</b>?").format(what=subject(item))
        + "\n\n"
        + _(FORMS_HELP).format(tz=format_offset(offset))
    )
    return text, column(buttons)


def after_setting() -> InlineKeyboardMarkup:
    return column([button(_("⬅️ Back to the list"), ChecklistCb(action="list")),
                   button(_("🔔 My reminders"), RemindersListCb())])


def too_many_text() -> str:
    return _("You already have {count} reminders waiting. Cancel some in /reminders first.").format(
        count=MAX_PENDING_PER_USER
    )


# --- /reminders -------------------------------------------------------------------------------


def reminders_view(pending: list[Reminder], offset: int) -> tuple[str, InlineKeyboardMarkup | None]:
    if not pending:
        return (_("You have no reminders waiting. You can set one from the checklist."),
                column([button(_("📋 Checklist"), ChecklistCb(action="list"))]))
    lines = [_("<b>Your reminders</b> ({tz}):").format(tz=format_offset(offset))]
    buttons = []
    for number, reminder in enumerate(pending, start=1):
        lines.append(f"{number}. {format_local(reminder.due_at, offset)} — {subject(reminder.item_id)}")
        buttons.append(button(_("❌ Cancel {number}").format(number=number), ReminderCancelCb(id=reminder.id)))
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=[buttons[i:i + 3] for i in range(0, len(buttons), 3)])


def create_router() -> Router:
    router = Router(name=__name__)
    targets = {"", *item_ids()}

    async def ask_time(message: Message, state: FSMContext, item: str, offset: int, now: datetime,
                       prefix: str = "", in_place: bool = False) -> None:
        await state.set_state(ReminderSetup.time)
        await state.set_data({"item": item})
        text, markup = time_question(item, offset, now)
        if in_place:
            await show_in_place(message, prefix + text, markup)
        else:
            await message.answer(prefix + text, reply_markup=markup)

    async def ask_timezone(message: Message, state: FSMContext, item: str, prefix: str = "",
                           in_place: bool = False) -> None:
        await state.set_state(ReminderSetup.timezone)
        await state.set_data({"item": item})
        text, markup = timezone_question(item)
        if in_place:
            await show_in_place(message, prefix + text, markup)
        else:
            await message.answer(prefix + text, reply_markup=markup)

    async def create(message: Message, state: FSMContext, user_id: int, item: str, due: datetime, offset: int,
                     now: datetime, reminders: RemindersRepository, wakeup: asyncio.Event,
                     in_place: bool) -> None:
        await state.clear()
        if await reminders.count_pending(user_id) >= MAX_PENDING_PER_USER:
            text = too_many_text()
        else:
            reminder = await reminders.add(user_id, item or None, due, now)
            wakeup.set()
            when, tz = when_text(reminder.due_at, offset)
            text = "✅ " + _(REMINDER_SET_TEXT).format(when=when, tz=tz)
        if in_place:
            await show_in_place(message, text, after_setting())
        else:
            await message.answer(text, reply_markup=after_setting())

    @router.callback_query(RemindCb.filter(F.item.in_(targets)))
    async def remind(query: CallbackQuery, callback_data: RemindCb, state: FSMContext, users: UsersRepository,
                     reminders: RemindersRepository, clock: Clock) -> None:
        await query.answer()
        user_id = query.from_user.id
        if await reminders.count_pending(user_id) >= MAX_PENDING_PER_USER:
            await query.message.answer(too_many_text(), reply_markup=after_setting())
            return
        offset = await users.utc_offset(user_id)
        if offset is None:
            await ask_timezone(query.message, state, callback_data.item)
        else:
            await ask_time(query.message, state, callback_data.item, offset, clock())

    @router.callback_query(TimezoneMenuCb.filter(F.item.in_(targets)))
    async def timezone_menu(query: CallbackQuery, callback_data: TimezoneMenuCb, state: FSMContext) -> None:
        await query.answer()
        if callback_data.full:
            await state.set_state(ReminderSetup.timezone)
            await state.set_data({"item": callback_data.item})
            text, markup = every_timezone(callback_data.item)
            await show_in_place(query.message, text, markup)
        else:
            await ask_timezone(query.message, state, callback_data.item, in_place=True)

    @router.callback_query(TimezoneCb.filter(F.item.in_(targets) & F.offset.in_(TIMEZONE_OFFSETS)))
    async def timezone_chosen(query: CallbackQuery, callback_data: TimezoneCb, state: FSMContext,
                              users: UsersRepository, clock: Clock) -> None:
        await users.set_utc_offset(query.from_user.id, callback_data.offset)
        await query.answer(_("Time zone: {tz}").format(tz=format_offset(callback_data.offset)))
        await ask_time(query.message, state, callback_data.item, callback_data.offset, clock(), in_place=True)

    @router.message(StateFilter(ReminderSetup.timezone), HasText(), ~CommandLike())
    async def timezone_typed(message: Message, state: FSMContext, users: UsersRepository, clock: Clock) -> None:
        item = (await state.get_data()).get("item", "")
        offset = parse_offset(message.text)
        if offset is None:
            prefix = _("I could not read that time zone.") + "\n\n"
            await ask_timezone(message, state, item, prefix=prefix)
            return
        await users.set_utc_offset(message.from_user.id, offset)
        prefix = _("Time zone: {tz}").format(tz=format_offset(offset)) + "\n\n"
        await ask_time(message, state, item, offset, clock(), prefix=prefix)

    @router.callback_query(PresetCb.filter(F.item.in_(targets) & F.preset.in_({p.value for p in Preset})))
    async def preset_chosen(query: CallbackQuery, callback_data: PresetCb, state: FSMContext,
                            users: UsersRepository, reminders: RemindersRepository, clock: Clock,
                            reminder_wakeup: asyncio.Event) -> None:
        await query.answer()
        user_id = query.from_user.id
        offset = await users.utc_offset(user_id)
        if offset is None:
            await ask_timezone(query.message, state, callback_data.item, in_place=True)
            return
        now = clock()
        due = preset_due(callback_data.preset, now, offset)
        await create(query.message, state, user_id, callback_data.item, due, offset, now, reminders,
                     reminder_wakeup, in_place=True)

    @router.message(StateFilter(ReminderSetup.time), HasText(), ~CommandLike())
    async def time_typed(message: Message, state: FSMContext, users: UsersRepository,
                         reminders: RemindersRepository, clock: Clock, reminder_wakeup: asyncio.Event) -> None:
        item = (await state.get_data()).get("item", "")
        user_id = message.from_user.id
        offset = await users.utc_offset(user_id)
        if offset is None:
            await ask_timezone(message, state, item)
            return
        now = clock()
        due = parse_due(message.text, now, offset)
        if isinstance(due, ParseError):
            problem = error_msgids(due)[0]
            # What went wrong, then the question again: it lists the accepted forms.
            await ask_time(message, state, item, offset, now, prefix=_(problem) + "\n\n")
            return
        await create(message, state, user_id, item, due, offset, now, reminders, reminder_wakeup,
                     in_place=False)

    # --- a delivered reminder's buttons -------------------------------------------------------

    async def remove_buttons(query: CallbackQuery) -> None:
        if isinstance(query.message, Message) and query.message.reply_markup:
            await query.message.edit_reply_markup(reply_markup=None)

    @router.callback_query(ReminderActionCb.filter(F.action.in_({"done", "stop", *(s.value for s in Snooze)})))
    async def reminder_action(query: CallbackQuery, callback_data: ReminderActionCb, users: UsersRepository,
                              reminders: RemindersRepository, checklist: ChecklistRepository,
                              checks: ChecksRepository, clock: Clock, reminder_wakeup: asyncio.Event) -> None:
        user_id = query.from_user.id
        now = clock()
        reminder = await reminders.answer(user_id, callback_data.id, now)
        if reminder is None:
            await query.answer(_("This button is no longer active."))
            return
        await query.answer()
        # The reminder stays readable; only its buttons go, since they have been used.
        await remove_buttons(query)
        action = callback_data.action
        if action == "stop":
            await reminders.cancel_all(user_id)
            await query.message.answer(_(STOPPED_TEXT), reply_markup=after_setting())
        elif action == "done" and reminder.item_id in item_ids():
            await checklist.set_done(user_id, reminder.item_id, True)
            text = _(DONE_TEXT) + "\n" + progress_line(await checklist.done(user_id))
            await query.message.answer(text, reply_markup=after_setting())
        elif action == "done":
            # Done with the whole checklist: show it, so the user ticks what they did.
            text, markup = list_view(await checklist.done(user_id), await eligibility_answers(checks, user_id))
            await query.message.answer(text, reply_markup=markup)
        else:
            offset = await users.utc_offset(user_id) or 0
            snoozed = await reminders.add(user_id, reminder.item_id, snooze_due(action, now), now)
            reminder_wakeup.set()
            when, tz = when_text(snoozed.due_at, offset)
            await query.message.answer(_(SNOOZED_TEXT).format(when=when, tz=tz), reply_markup=after_setting())

    # --- /reminders ------------------------------------------------------------------------

    @router.message(Command("reminders"))
    async def list_command(message: Message, users: UsersRepository, reminders: RemindersRepository) -> None:
        user_id = message.from_user.id
        text, markup = reminders_view(await reminders.pending(user_id), await users.utc_offset(user_id) or 0)
        await message.answer(text, reply_markup=markup)

    @router.callback_query(RemindersListCb.filter())
    async def list_button(query: CallbackQuery, users: UsersRepository, reminders: RemindersRepository) -> None:
        await query.answer()
        user_id = query.from_user.id
        text, markup = reminders_view(await reminders.pending(user_id), await users.utc_offset(user_id) or 0)
        await query.message.answer(text, reply_markup=markup)

    @router.callback_query(ReminderCancelCb.filter())
    async def cancel_one(query: CallbackQuery, callback_data: ReminderCancelCb, users: UsersRepository,
                         reminders: RemindersRepository) -> None:
        user_id = query.from_user.id
        cancelled = await reminders.cancel(user_id, callback_data.id)
        await query.answer(_("Reminder cancelled.") if cancelled else _("That reminder is no longer waiting."))
        text, markup = reminders_view(await reminders.pending(user_id), await users.utc_offset(user_id) or 0)
        await show_in_place(query.message, text, markup)

    return router
