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
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _

from bot.callbacks import (
    ChecklistCb,
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
from bot.keyboards import button, column
from bot.replies import show_in_place
from bot.repositories.checklist import ChecklistRepository
from bot.repositories.checks import ChecksRepository
from bot.repositories.reminders import Reminder, RemindersRepository
from bot.repositories.users import UsersRepository
from bot.screens.common import home_button
from bot.states import ReminderSetup
from bot.routers.checklist import eligibility_answers, list_view, progress_line
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
    reminder_subject,
    snooze_due,
)
from flows.timeparse import (
    FORMS_HELP,
    PRESET_LABELS,
    ParseError,
    Preset,
    available_presets,
    error_msgids,
    format_when,
    looks_like_question,
    parse_due,
    preset_due,
)
from flows.timezones import CITY_BUTTONS, find_zone, zone_label

Clock = Callable[[], datetime]


def locale() -> str:
    return get_i18n().current_locale


def subject(item: str | None) -> str:
    return _(reminder_subject(item or None)[0])


def tz_label(zone: str, now: datetime) -> str:
    return zone_label(zone, now, locale(), _)


def when_text(due: datetime, zone: str, now: datetime) -> tuple[str, str]:
    return format_when(due, zone, now, locale(), _), tz_label(zone, due)


def leave_hint() -> str:
    return _("To leave this step: ✖️ Cancel or /cancel.")


def cancel_button(item: str, settings: bool = False) -> InlineKeyboardButton:
    return button(_("✖️ Cancel"), ReminderStepCb(action="cancel", item=item, settings=settings))


# --- the time zone question -----------------------------------------------------------------


def timezone_question(item: str, now: datetime, current: str | None = None,
                      settings: bool = False) -> tuple[str, InlineKeyboardMarkup]:
    """The city buttons, "type a city", and a way back or out; reusable by a settings screen
    (``settings=True``: a choice ends there instead of going on to a reminder)."""
    cities = [button(tz_label(city.zone, now), TimezoneCb(item=item, zone=city.zone, settings=settings))
              for city in CITY_BUTTONS]
    rows = [cities[i:i + 2] for i in range(0, len(cities), 2)]
    rows.append([button(_("⌨️ Type a city"), ReminderStepCb(action="type", item=item, settings=settings))])
    last = [cancel_button(item, settings)]
    if current is not None and not settings:
        last.insert(0, button(_("⬅️ Back"), ReminderStepCb(action="back", item=item)))
    rows.append(last)
    text = _("🌐 Which time zone are you in? I use it for every reminder.")
    if current is not None:
        text += "\n" + _("Now: {tz}.").format(tz=tz_label(current, now))
    text += "\n\n" + _("Choose a city below, or send the name of your city, such as <code>{city}</code>, "
                       "or a UTC offset, such as <code>UTC+5</code>.").format(city=_("Novosibirsk"))
    return text + "\n\n" + leave_hint(), InlineKeyboardMarkup(inline_keyboard=rows)


def type_city_prompt(item: str, settings: bool) -> tuple[str, InlineKeyboardMarkup]:
    text = (_("⌨️ Send the name of your city in any language, such as <code>北京</code>, "
              "<code>Новосибирск</code> or <code>Almaty</code>, or a UTC offset, such as <code>UTC+5</code>.")
            + "\n\n" + leave_hint())
    return text, InlineKeyboardMarkup(inline_keyboard=[[
        button(_("⬅️ Back"), ReminderStepCb(action="zones", item=item, settings=settings)),
        cancel_button(item, settings),
    ]])


# --- the time question ------------------------------------------------------------------------


def time_question(item: str, zone: str, now: datetime) -> tuple[str, InlineKeyboardMarkup]:
    buttons = [button(_(PRESET_LABELS[preset]), PresetCb(item=item, preset=preset.value))
               for preset in available_presets(now, zone)]
    buttons.append(button(_("🌐 Time zone: {tz}").format(tz=tz_label(zone, now)),
                          ReminderStepCb(action="zones", item=item)))
    buttons.append(cancel_button(item))
    text = (
        _("⏰ When should I remind you about <b>{what}</b>?").format(what=subject(item))
        + "\n\n" + _(FORMS_HELP).format(tz=tz_label(zone, now))
        + "\n\n" + leave_hint()
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


def reminders_view(pending: list[Reminder], zone: str | None, now: datetime) -> tuple[str, InlineKeyboardMarkup]:
    add = button(_("➕ New reminder"), RemindCb(item=""))
    back = button(_("⬅️ Checklist"), ChecklistCb(action="list"))
    if not pending:
        return (_("You have no reminders waiting. You can set one here or from an item of the checklist."),
                InlineKeyboardMarkup(inline_keyboard=[[add], [back, home_button()]]))
    zone = zone or "Etc/UTC"
    lines = [_("<b>Your reminders</b> ({tz}):").format(tz=tz_label(zone, now))]
    rows = []
    for number, reminder in enumerate(pending, start=1):
        lines.append(f"{number}. {format_when(reminder.due_at, zone, now, locale(), _)} — {subject(reminder.item_id)}")
        rows.append([
            button(_("🕒 Change {number}").format(number=number), ReminderRescheduleCb(id=reminder.id)),
            button(_("❌ Cancel {number}").format(number=number), ReminderCancelCb(id=reminder.id)),
        ])
    rows.extend([[add], [back, home_button()]])
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


def create_router() -> Router:
    router = Router(name=__name__)
    targets = {"", *item_ids()}
    city_zones = {city.zone for city in CITY_BUTTONS}

    async def show(message: Message, text: str, markup: InlineKeyboardMarkup, in_place: bool) -> None:
        if in_place:
            await show_in_place(message, text, markup)
        else:
            await message.answer(text, reply_markup=markup)

    async def ask_time(message: Message, state: FSMContext, item: str, zone: str, now: datetime,
                       prefix: str = "", in_place: bool = False) -> None:
        await state.set_state(ReminderSetup.time)
        await state.update_data(item=item)
        text, markup = time_question(item, zone, now)
        await show(message, prefix + text, markup, in_place)

    async def ask_timezone(message: Message, state: FSMContext, item: str, now: datetime, current: str | None,
                           settings: bool = False, prefix: str = "", in_place: bool = False) -> None:
        await state.set_state(ReminderSetup.timezone)
        await state.update_data(item=item, settings=settings)
        text, markup = timezone_question(item, now, current, settings)
        await show(message, prefix + text, markup, in_place)

    async def zone_chosen(message: Message, state: FSMContext, zone: str, settings: bool, now: datetime,
                          in_place: bool) -> None:
        label = tz_label(zone, now)
        if settings:
            await state.clear()
            text = "✅ " + _("Time zone: {tz}. Reminders will use it.").format(tz=label)
            await show(message, text, column([button(_("🔔 My reminders"), RemindersListCb())]), in_place)
            return
        item = (await state.get_data()).get("item", "")
        await ask_time(message, state, item, zone, now, prefix=_("Time zone: {tz}").format(tz=label) + "\n\n",
                       in_place=in_place)

    async def create(message: Message, state: FSMContext, user_id: int, due: datetime, zone: str,
                     now: datetime, reminders: RemindersRepository, wakeup: asyncio.Event, in_place: bool) -> None:
        data = await state.get_data()
        item, replace = data.get("item", ""), data.get("replace")
        await state.clear()
        if replace is not None:
            moved = await reminders.reschedule(user_id, replace, due, now)
            if moved is None:
                await show(message, _("That reminder is no longer waiting."), after_setting(), in_place)
                return
            reminder, created = moved, True
        elif await reminders.count_pending(user_id) >= MAX_PENDING_PER_USER:
            await show(message, too_many_text(), after_setting(), in_place)
            return
        else:
            reminder, created = await reminders.add(user_id, item or None, due, now)
        wakeup.set()
        when, tz = when_text(reminder.due_at, zone, now)
        template = REMINDER_SET_TEXT if created else ALREADY_SET_TEXT
        text = "✅ " + _(template).format(what=subject(reminder.item_id), when=when, tz=tz)
        await show(message, text, after_setting(), in_place)

    async def answer_question_instead(message: Message, state: FSMContext, data: dict[str, Any]) -> None:
        """Leave the step and let the bot answer the text as a question, as it would outside it."""
        await state.clear()
        await data["dispatcher"].propagate_event("message", message, **{**data, "state": state, "raw_state": None})

    @router.callback_query(RemindCb.filter(F.item.in_(targets)))
    async def remind(query: CallbackQuery, callback_data: RemindCb, state: FSMContext, users: UsersRepository,
                     reminders: RemindersRepository, clock: Clock) -> None:
        await query.answer()
        user_id = query.from_user.id
        if await reminders.count_pending(user_id) >= MAX_PENDING_PER_USER:
            await query.message.answer(too_many_text(), reply_markup=after_setting())
            return
        await state.set_data({"item": callback_data.item})
        zone = await users.time_zone(user_id)
        if zone is None:
            await ask_timezone(query.message, state, callback_data.item, clock(), None)
        else:
            await ask_time(query.message, state, callback_data.item, zone, clock())

    @router.message(Command("timezone"))
    async def timezone_command(message: Message, state: FSMContext, users: UsersRepository, clock: Clock) -> None:
        await state.set_data({})
        await ask_timezone(message, state, "", clock(), await users.time_zone(message.from_user.id), settings=True)

    @router.callback_query(ReminderStepCb.filter(F.item.in_(targets)))
    async def step(query: CallbackQuery, callback_data: ReminderStepCb, state: FSMContext, users: UsersRepository,
                   clock: Clock) -> None:
        await query.answer()
        item, settings = callback_data.item, callback_data.settings
        zone = await users.time_zone(query.from_user.id)
        action = callback_data.action
        if action == "cancel":
            await state.clear()
            text = (_("Your time zone stays as it was.") if settings
                    else _("Cancelled: no reminder was set."))
            await show_in_place(query.message, text, after_setting())
        elif action == "back" and zone is not None:
            await ask_time(query.message, state, item, zone, clock(), in_place=True)
        elif action == "type":
            await state.set_state(ReminderSetup.timezone)
            await state.update_data(item=item, settings=settings)
            text, markup = type_city_prompt(item, settings)
            await show_in_place(query.message, text, markup)
        else:
            await ask_timezone(query.message, state, item, clock(), zone, settings=settings, in_place=True)

    @router.callback_query(TimezoneCb.filter(F.item.in_(targets) & F.zone.in_(city_zones)))
    async def timezone_chosen(query: CallbackQuery, callback_data: TimezoneCb, state: FSMContext,
                              users: UsersRepository, clock: Clock) -> None:
        now = clock()
        await users.set_time_zone(query.from_user.id, callback_data.zone)
        await query.answer(_("Time zone: {tz}").format(tz=tz_label(callback_data.zone, now)))
        await state.update_data(item=callback_data.item)
        await zone_chosen(query.message, state, callback_data.zone, callback_data.settings, now, in_place=True)

    @router.message(StateFilter(ReminderSetup.timezone), HasText(), ~CommandLike())
    async def timezone_typed(message: Message, state: FSMContext, users: UsersRepository, clock: Clock,
                             **data: Any) -> None:
        stored = await state.get_data()
        zone = find_zone(message.text)
        if zone is None and looks_like_question(message.text):
            await answer_question_instead(message, state, {**data, "users": users, "clock": clock})
            return
        now = clock()
        if zone is None:
            prefix = _("I could not find that place. Send a city, such as <code>{city}</code>, or a UTC offset.").format(
                city=_("Novosibirsk")) + "\n\n"
            await ask_timezone(message, state, stored.get("item", ""), now, await users.time_zone(message.from_user.id),
                               settings=stored.get("settings", False), prefix=prefix)
            return
        await users.set_time_zone(message.from_user.id, zone)
        await zone_chosen(message, state, zone, stored.get("settings", False), now, in_place=False)

    @router.callback_query(StateFilter(ReminderSetup.time),
                           PresetCb.filter(F.item.in_(targets) & F.preset.in_({p.value for p in Preset})))
    async def preset_chosen(query: CallbackQuery, callback_data: PresetCb, state: FSMContext,
                            users: UsersRepository, reminders: RemindersRepository, clock: Clock,
                            reminder_wakeup: asyncio.Event) -> None:
        if (await state.get_data()).get("item") != callback_data.item:
            await query.answer(_("This button is no longer active."))
            return
        await query.answer()
        zone = await users.time_zone(query.from_user.id)
        now = clock()
        if zone is None:
            await ask_timezone(query.message, state, callback_data.item, now, None, in_place=True)
            return
        due = preset_due(callback_data.preset, now, zone)
        await create(query.message, state, query.from_user.id, due, zone, now, reminders, reminder_wakeup,
                     in_place=True)

    @router.callback_query(PresetCb.filter())
    async def stale_preset(query: CallbackQuery) -> None:
        # The question it belongs to was answered (a double tap) or left: no second reminder.
        await query.answer(_("This button is no longer active. See /reminders."))

    @router.message(StateFilter(ReminderSetup.time), HasText(), ~CommandLike())
    async def time_typed(message: Message, state: FSMContext, users: UsersRepository,
                         reminders: RemindersRepository, clock: Clock, reminder_wakeup: asyncio.Event,
                         **data: Any) -> None:
        item = (await state.get_data()).get("item", "")
        user_id = message.from_user.id
        zone = await users.time_zone(user_id)
        now = clock()
        if zone is None:
            await ask_timezone(message, state, item, now, None)
            return
        due = parse_due(message.text, now, zone, locale())
        if due is ParseError.UNPARSEABLE and looks_like_question(message.text):
            await answer_question_instead(message, state, {**data, "users": users, "reminders": reminders,
                                                           "clock": clock, "reminder_wakeup": reminder_wakeup})
            return
        if isinstance(due, ParseError):
            # What went wrong, then the question again: it gives examples in the user's language.
            await ask_time(message, state, item, zone, now, prefix=_(error_msgids(due)[0]) + "\n\n")
            return
        await create(message, state, user_id, due, zone, now, reminders, reminder_wakeup, in_place=False)

    # --- a delivered reminder's buttons -------------------------------------------------------

    async def remove_buttons(query: CallbackQuery) -> None:
        if isinstance(query.message, Message) and query.message.reply_markup:
            await query.message.edit_reply_markup(reply_markup=None)

    @router.callback_query(ReminderActionCb.filter(F.action.in_({"done", "stop", "stop_all", *(s.value for s in Snooze)})))
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
            await reminders.cancel_item(user_id, reminder.item_id)
            text = _(STOPPED_ONE_TEXT).format(what=subject(reminder.item_id))
            await query.message.answer(text, reply_markup=after_setting())
        elif action == "stop_all":
            await reminders.cancel_all(user_id)
            await query.message.answer(_(STOPPED_ALL_TEXT), reply_markup=after_setting())
        elif action == "done" and reminder.item_id in item_ids():
            await checklist.set_done(user_id, reminder.item_id, True)
            text = _(DONE_TEXT) + "\n" + progress_line(await checklist.done(user_id))
            await query.message.answer(text, reply_markup=after_setting())
        elif action == "done":
            # Done with the whole checklist: show it, so the user ticks what they did.
            text, markup = list_view(await checklist.done(user_id), await eligibility_answers(checks, user_id))
            await query.message.answer(text, reply_markup=markup)
        else:
            zone = await users.time_zone(user_id) or "Etc/UTC"
            snoozed, _created = await reminders.add(user_id, reminder.item_id, snooze_due(action, now), now)
            reminder_wakeup.set()
            when, tz = when_text(snoozed.due_at, zone, now)
            await query.message.answer(_(SNOOZED_TEXT).format(when=when, tz=tz), reply_markup=after_setting())

    # --- /reminders ------------------------------------------------------------------------

    async def list_screen(user_id: int, users: UsersRepository, reminders: RemindersRepository,
                          now: datetime) -> tuple[str, InlineKeyboardMarkup]:
        return reminders_view(await reminders.pending(user_id), await users.time_zone(user_id), now)

    @router.message(Command("reminders"))
    async def list_command(message: Message, users: UsersRepository, reminders: RemindersRepository,
                           clock: Clock) -> None:
        text, markup = await list_screen(message.from_user.id, users, reminders, clock())
        await message.answer(text, reply_markup=markup)

    @router.callback_query(RemindersListCb.filter())
    async def list_button(query: CallbackQuery, users: UsersRepository, reminders: RemindersRepository,
                          clock: Clock) -> None:
        await query.answer()
        text, markup = await list_screen(query.from_user.id, users, reminders, clock())
        await query.message.answer(text, reply_markup=markup)

    @router.callback_query(ReminderCancelCb.filter())
    async def cancel_one(query: CallbackQuery, callback_data: ReminderCancelCb, users: UsersRepository,
                         reminders: RemindersRepository, clock: Clock) -> None:
        user_id = query.from_user.id
        cancelled = await reminders.cancel(user_id, callback_data.id)
        await query.answer(_("Reminder cancelled.") if cancelled else _("That reminder is no longer waiting."))
        text, markup = await list_screen(user_id, users, reminders, clock())
        await show_in_place(query.message, text, markup)

    @router.callback_query(ReminderRescheduleCb.filter())
    async def reschedule(query: CallbackQuery, callback_data: ReminderRescheduleCb, state: FSMContext,
                         users: UsersRepository, reminders: RemindersRepository, clock: Clock) -> None:
        user_id = query.from_user.id
        reminder = await reminders.get_pending(user_id, callback_data.id)
        if reminder is None:
            await query.answer(_("That reminder is no longer waiting."))
            text, markup = await list_screen(user_id, users, reminders, clock())
            await show_in_place(query.message, text, markup)
            return
        await query.answer()
        item = reminder.item_id or ""
        await state.set_data({"item": item, "replace": reminder.id})
        zone = await users.time_zone(user_id)
        if zone is None:
            await ask_timezone(query.message, state, item, clock(), None, in_place=True)
        else:
            await ask_time(query.message, state, item, zone, clock(), in_place=True)

    return router
