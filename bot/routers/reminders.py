"""Setting reminders, answering them, /reminders and /timezone.

    r:<item>                 -> time zone known? the time question : the city question
    city question            -> rz:<item>:<zone> (a city button), rx:type (type a city), or
                                a typed city, zone name or UTC offset (北京, Almaty, UTC+5)
    time question            -> rp:<item>:<preset>, or a typed time (明天 9点, завтра в 10,
                                tomorrow 9am, Dec 1 10:00 ...); unreadable input: why, examples
                                and the question again; rx:zones changes the time zone
    rx:cancel, /cancel       -> every step can be left
    ra:<id>:<action>         -> a delivered reminder's buttons: done, 1h, 1d, stop (this one),
                                stop_all; "open" is the checklist's own k:item button
    /reminders, rl           -> the pending reminders: rr:<id> reschedule, rc:<id> cancel, add, back
    /timezone                -> the city question on its own (settings=True); a settings screen
                                opens it in place with the button rx:zones::1, i.e.
                                ReminderStepCb(action="zones", settings=True)

Item "" means the whole checklist. Presets only count in the time question they belong to,
and the database keeps one pending reminder per item and minute, so a double tap or a stale
button never makes a second one. A new reminder sets ``reminder_wakeup``, so the scheduler
recomputes its sleep at once. A typed question in a step leaves the step and is answered.
The steps are side steps (bot.states): their data is kept apart (ReminderData), and leaving
them gives back what they interrupted, such as a check half answered.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    CallbackQuery,
    InaccessibleMessage,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from bot.callbacks import (
    PresetCb,
    RemindCb,
    ReminderActionCb,
    ReminderCancelCb,
    ReminderRescheduleCb,
    RemindersListCb,
    ReminderStepCb,
    TimezoneCb,
)
from bot.filters import CommandLike, HasText
from bot.i18n import reader
from bot.replies import show, show_in_place, toast
from bot.repositories.checklist import ChecklistRepository
from bot.repositories.checks import ChecksRepository
from bot.repositories.reminders import RemindersRepository
from bot.repositories.users import UsersRepository
from bot.screens.check import continue_button
from bot.screens.checklist import list_screen, progress_line
from bot.screens.common import INACTIVE
from bot.screens.reminders import (
    after_setting,
    cancelled_one_text,
    left_step_text,
    not_waiting_text,
    reminders_list,
    stale_preset_text,
    subject,
    time_question,
    timezone_question,
    too_many_text,
    type_city_prompt,
    unknown_place,
    when_text,
    zone_set,
    zone_toast,
)
from bot.states import (
    ReminderData,
    ReminderSetup,
    current_check,
    enter_side_step,
    leave_side_step,
    reminder_data,
    set_reminder_data,
)
from flows.checklist import item_ids
from flows.reminders import (
    ALREADY_SET_TEXT,
    DONE_TEXT,
    MAX_PENDING_PER_USER,
    REMINDER_SET_TEXT,
    SNOOZED_TEXT,
    STOPPED_ALL_TEXT,
    STOPPED_ONE_TEXT,
    Snooze,
    snooze_due,
)
from flows.timeparse import (
    Clock,
    ParseError,
    Preset,
    error_msgids,
    looks_like_question,
    parse_due,
    preset_due,
)
from flows.timezones import CITY_BUTTONS, UTC_ZONE, find_zone

AnyMessage = Message | InaccessibleMessage | None


async def ask_time(message: AnyMessage, state: FSMContext, data: ReminderData, zone: str, now: datetime,
                   prefix: str = "", in_place: bool = False) -> None:
    await enter_side_step(state, ReminderSetup.time)
    await set_reminder_data(state, data)
    text, markup = time_question(reader(), data.item, zone, now)
    await show(message, prefix + text, markup, in_place=in_place)


async def ask_timezone(message: AnyMessage, state: FSMContext, data: ReminderData, now: datetime,
                       current: str | None, prefix: str = "", in_place: bool = False) -> None:
    await enter_side_step(state, ReminderSetup.timezone)
    await set_reminder_data(state, data)
    text, markup = timezone_question(reader(), data.item, now, current, data.settings)
    await show(message, prefix + text, markup, in_place=in_place)


async def zone_chosen(message: AnyMessage, state: FSMContext, data: ReminderData, zone: str, now: datetime,
                      in_place: bool) -> None:
    if data.settings:
        await leave_side_step(state, await state.get_state())
        text, markup = zone_set(reader(), zone, now)
        await show(message, text, markup, in_place=in_place)
        return
    await ask_time(message, state, data, zone, now, prefix=zone_toast(reader(), zone, now) + "\n\n", in_place=in_place)


async def leave_steps(state: FSMContext) -> InlineKeyboardMarkup:
    """Leave the reminder steps; the buttons to go on, ▶️ Continue first if a check was open."""
    await leave_side_step(state, await state.get_state())
    check = await current_check(state)
    r = reader()
    return after_setting(r, continue_button(r, check.run, check.q) if check is not None else None)


async def create(message: AnyMessage, state: FSMContext, user_id: int, due: datetime, zone: str,
                 now: datetime, reminders: RemindersRepository, wakeup: asyncio.Event, in_place: bool) -> None:
    data = await reminder_data(state)
    ways_on = await leave_steps(state)
    r = reader()
    if data.replace is not None:
        moved = await reminders.reschedule(user_id, data.replace, due, now)
        if moved is None:
            await show(message, not_waiting_text(r), ways_on, in_place=in_place)
            return
        reminder, created = moved, True
    elif await reminders.count_pending(user_id) >= MAX_PENDING_PER_USER:
        await show(message, too_many_text(r), ways_on, in_place=in_place)
        return
    else:
        reminder, created = await reminders.add(user_id, data.item or None, due, now)
    wakeup.set()
    when, tz = when_text(r, reminder.due_at, zone, now)
    template = REMINDER_SET_TEXT if created else ALREADY_SET_TEXT
    text = "✅ " + _(template).format(what=subject(r, reminder.item_id), when=when, tz=tz)
    await show(message, text, ways_on, in_place=in_place)


async def answer_question_instead(message: Message, state: FSMContext, data: dict[str, Any]) -> None:
    """Leave the step and let the bot take the text as it would have without the step."""
    restored = await leave_side_step(state, await state.get_state())
    await data["dispatcher"].propagate_event("message", message, **{**data, "state": state, "raw_state": restored})


async def remind(query: CallbackQuery, callback_data: RemindCb, state: FSMContext, users: UsersRepository,
                 reminders: RemindersRepository, clock: Clock) -> None:
    user_id = query.from_user.id
    if await reminders.count_pending(user_id) >= MAX_PENDING_PER_USER:
        await show(query.message, too_many_text(reader()), after_setting(reader()), in_place=False)
        return
    data = ReminderData(item=callback_data.item)
    zone = await users.time_zone(user_id)
    if zone is None:
        await ask_timezone(query.message, state, data, clock(), None)
    else:
        await ask_time(query.message, state, data, zone, clock())


async def timezone_command(message: Message, state: FSMContext, users: UsersRepository, clock: Clock) -> None:
    await ask_timezone(message, state, ReminderData(settings=True), clock(),
                       await users.time_zone(message.from_user.id))


async def step(query: CallbackQuery, callback_data: ReminderStepCb, state: FSMContext, users: UsersRepository,
               clock: Clock) -> None:
    data = ReminderData(item=callback_data.item, settings=callback_data.settings,
                        replace=(await reminder_data(state)).replace)
    zone = await users.time_zone(query.from_user.id)
    action = callback_data.action
    if action == "cancel":
        await show_in_place(query.message, left_step_text(reader(), data.settings), await leave_steps(state))
    elif action == "back" and zone is not None:
        await ask_time(query.message, state, data, zone, clock(), in_place=True)
    elif action == "type":
        await enter_side_step(state, ReminderSetup.timezone)
        await set_reminder_data(state, data)
        text, markup = type_city_prompt(reader(), data.item, data.settings)
        await show_in_place(query.message, text, markup)
    else:
        await ask_timezone(query.message, state, data, clock(), zone, in_place=True)


async def timezone_chosen(query: CallbackQuery, callback_data: TimezoneCb, callback_answer: CallbackAnswer,
                          state: FSMContext, users: UsersRepository, clock: Clock) -> None:
    now = clock()
    await users.set_time_zone(query.from_user.id, callback_data.zone)
    await toast(query, callback_answer, zone_toast(reader(), callback_data.zone, now))
    data = (await reminder_data(state)).model_copy(update={"item": callback_data.item,
                                                           "settings": callback_data.settings})
    await zone_chosen(query.message, state, data, callback_data.zone, now, in_place=True)


async def timezone_typed(message: Message, state: FSMContext, users: UsersRepository, clock: Clock,
                         **deps: Any) -> None:
    data = await reminder_data(state)
    zone = find_zone(message.text)
    if zone is None and looks_like_question(message.text):
        await answer_question_instead(message, state, {**deps, "users": users, "clock": clock})
        return
    now = clock()
    if zone is None:
        await ask_timezone(message, state, data, now, await users.time_zone(message.from_user.id),
                           prefix=unknown_place(reader()) + "\n\n")
        return
    await users.set_time_zone(message.from_user.id, zone)
    await zone_chosen(message, state, data, zone, now, in_place=False)


async def preset_chosen(query: CallbackQuery, callback_data: PresetCb, callback_answer: CallbackAnswer,
                        state: FSMContext, users: UsersRepository, reminders: RemindersRepository, clock: Clock,
                        reminder_wakeup: asyncio.Event) -> None:
    data = await reminder_data(state)
    if data.item != callback_data.item:
        await toast(query, callback_answer, _(INACTIVE))
        return
    zone = await users.time_zone(query.from_user.id)
    now = clock()
    if zone is None:
        await ask_timezone(query.message, state, data, now, None, in_place=True)
        return
    due = preset_due(callback_data.preset, now, zone)
    await create(query.message, state, query.from_user.id, due, zone, now, reminders, reminder_wakeup, in_place=True)


async def stale_preset(query: CallbackQuery, callback_answer: CallbackAnswer) -> None:
    # The question it belongs to was answered (a double tap) or left: no second reminder.
    await toast(query, callback_answer, stale_preset_text(reader()))


async def time_typed(message: Message, state: FSMContext, users: UsersRepository, reminders: RemindersRepository,
                     clock: Clock, reminder_wakeup: asyncio.Event, **deps: Any) -> None:
    data = await reminder_data(state)
    user_id = message.from_user.id
    zone = await users.time_zone(user_id)
    now = clock()
    if zone is None:
        await ask_timezone(message, state, data, now, None)
        return
    due = parse_due(message.text, now, zone, reader().lang)
    if due is ParseError.UNPARSEABLE and looks_like_question(message.text):
        await answer_question_instead(message, state, {**deps, "users": users, "reminders": reminders,
                                                       "clock": clock, "reminder_wakeup": reminder_wakeup})
        return
    if isinstance(due, ParseError):
        # What went wrong, then the question again: it gives examples in the user's language.
        await ask_time(message, state, data, zone, now, prefix=_(error_msgids(due)[0]) + "\n\n")
        return
    await create(message, state, user_id, due, zone, now, reminders, reminder_wakeup, in_place=False)


# --- a delivered reminder's buttons -------------------------------------------------------


async def reminder_action(query: CallbackQuery, callback_data: ReminderActionCb, callback_answer: CallbackAnswer,
                          users: UsersRepository, reminders: RemindersRepository, checklist: ChecklistRepository,
                          checks: ChecksRepository, clock: Clock, reminder_wakeup: asyncio.Event) -> None:
    user_id = query.from_user.id
    now = clock()
    reminder = await reminders.answer(user_id, callback_data.id, now)
    if reminder is None:
        await toast(query, callback_answer, _(INACTIVE))
        return
    # The reminder stays readable; only its buttons go, since they have been used.
    if isinstance(query.message, Message) and query.message.reply_markup:
        await query.message.edit_reply_markup(reply_markup=None)
    r = reader()
    action = callback_data.action
    if action == "stop":
        await reminders.cancel_item(user_id, reminder.item_id)
        text, markup = _(STOPPED_ONE_TEXT).format(what=subject(r, reminder.item_id)), after_setting(r)
    elif action == "stop_all":
        await reminders.cancel_all(user_id)
        text, markup = _(STOPPED_ALL_TEXT), after_setting(r)
    elif action == "done" and reminder.item_id in item_ids():
        await checklist.set_done(user_id, reminder.item_id, True)
        text, markup = _(DONE_TEXT) + "\n" + progress_line(r, await checklist.done(user_id)), after_setting(r)
    elif action == "done":
        # Done with the whole checklist: show it, so the user ticks what they did.
        text, markup = list_screen(r, await checklist.done(user_id), await checks.latest_answers(user_id))
    else:
        zone = await users.time_zone(user_id) or UTC_ZONE
        snoozed, _created = await reminders.add(user_id, reminder.item_id, snooze_due(action, now), now)
        reminder_wakeup.set()
        when, tz = when_text(r, snoozed.due_at, zone, now)
        text, markup = _(SNOOZED_TEXT).format(when=when, tz=tz), after_setting(r)
    await show(query.message, text, markup, in_place=False)


# --- /reminders ------------------------------------------------------------------------


async def show_list(message: AnyMessage, user_id: int, users: UsersRepository, reminders: RemindersRepository,
                    now: datetime, in_place: bool) -> None:
    text, markup = reminders_list(reader(), await reminders.pending(user_id), await users.time_zone(user_id), now)
    await show(message, text, markup, in_place=in_place)


async def list_command(message: Message, users: UsersRepository, reminders: RemindersRepository,
                       clock: Clock) -> None:
    await show_list(message, message.from_user.id, users, reminders, clock(), in_place=False)


async def list_button(query: CallbackQuery, users: UsersRepository, reminders: RemindersRepository,
                      clock: Clock) -> None:
    await show_list(query.message, query.from_user.id, users, reminders, clock(), in_place=False)


async def cancel_one(query: CallbackQuery, callback_data: ReminderCancelCb, callback_answer: CallbackAnswer,
                     users: UsersRepository, reminders: RemindersRepository, clock: Clock) -> None:
    cancelled = await reminders.cancel(query.from_user.id, callback_data.id)
    await toast(query, callback_answer, cancelled_one_text(reader()) if cancelled else not_waiting_text(reader()))
    await show_list(query.message, query.from_user.id, users, reminders, clock(), in_place=True)


async def reschedule(query: CallbackQuery, callback_data: ReminderRescheduleCb, callback_answer: CallbackAnswer,
                     state: FSMContext, users: UsersRepository, reminders: RemindersRepository, clock: Clock) -> None:
    user_id = query.from_user.id
    reminder = await reminders.get_pending(user_id, callback_data.id)
    if reminder is None:
        await toast(query, callback_answer, not_waiting_text(reader()))
        await show_list(query.message, user_id, users, reminders, clock(), in_place=True)
        return
    data = ReminderData(item=reminder.item_id or "", replace=reminder.id)
    zone = await users.time_zone(user_id)
    if zone is None:
        await ask_timezone(query.message, state, data, clock(), None, in_place=True)
    else:
        await ask_time(query.message, state, data, zone, clock(), in_place=True)


def create_router() -> Router:
    router = Router(name=__name__)
    targets = {"", *item_ids()}
    city_zones = {city.zone for city in CITY_BUTTONS}
    typed_text = (HasText(), ~CommandLike())
    router.callback_query.register(remind, RemindCb.filter(F.item.in_(targets)))
    router.message.register(timezone_command, Command("timezone"))
    router.callback_query.register(step, ReminderStepCb.filter(F.item.in_(targets)))
    router.callback_query.register(timezone_chosen, TimezoneCb.filter(F.item.in_(targets) & F.zone.in_(city_zones)))
    router.message.register(timezone_typed, StateFilter(ReminderSetup.timezone), *typed_text)
    router.callback_query.register(preset_chosen, StateFilter(ReminderSetup.time),
                                   PresetCb.filter(F.item.in_(targets) & F.preset.in_({p.value for p in Preset})))
    router.callback_query.register(stale_preset, PresetCb.filter())
    router.message.register(time_typed, StateFilter(ReminderSetup.time), *typed_text)
    router.callback_query.register(
        reminder_action, ReminderActionCb.filter(F.action.in_({"done", "stop", "stop_all", *(s.value for s in Snooze)})))
    router.message.register(list_command, Command("reminders"))
    router.callback_query.register(list_button, RemindersListCb.filter())
    router.callback_query.register(cancel_one, ReminderCancelCb.filter())
    router.callback_query.register(reschedule, ReminderRescheduleCb.filter())
    return router
