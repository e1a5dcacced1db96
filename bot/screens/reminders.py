"""Reminders: the time zone and time questions, what follows a reminder's setting, the list
of pending reminders, and the reminder itself as it is delivered."""

from __future__ import annotations

from datetime import datetime

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

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
from bot.keyboards import button, column, grid
from bot.repositories.reminders import DueReminder, Reminder
from bot.screens.common import home_button
from flows.facts import Reader
from flows.reminders import (
    ALL_TICKED_TEXT,
    BUTTON_DONE,
    BUTTON_OPEN_CHECKLIST,
    BUTTON_OPEN_ITEM,
    BUTTON_STOP,
    BUTTON_STOP_ALL,
    ITEMS_LEFT_TEXT,
    MAX_PENDING_PER_USER,
    REMINDER_LATE_TEXT,
    REMINDER_TEXT,
    SNOOZE_BUTTONS,
    items_left,
    reminder_subject,
)
from flows.timeparse import FORMS_HELP, PRESET_LABELS, available_presets, format_when
from flows.timezones import CITY_BUTTONS, UTC_ZONE, zone_label


def subject(r: Reader, item: str | None) -> str:
    return r.t(reminder_subject(item or None)[0])


def tz_label(r: Reader, zone: str, now: datetime) -> str:
    return zone_label(zone, now, r.lang, r.t)


def when_text(r: Reader, due: datetime, zone: str, now: datetime) -> tuple[str, str]:
    """(when, in words; the time zone it is in)."""
    return format_when(due, zone, now, r.lang, r.t), tz_label(r, zone, due)


def leave_hint(r: Reader) -> str:
    _ = r.t
    return _("To leave this step: ✖️ Cancel or /cancel.")


def cancel_button(r: Reader, item: str, settings: bool = False) -> InlineKeyboardButton:
    _ = r.t
    return button(_("✖️ Cancel"), ReminderStepCb(action="cancel", item=item, settings=settings))


# --- the time zone question -----------------------------------------------------------------


def timezone_question(r: Reader, item: str, now: datetime, current: str | None = None,
                      settings: bool = False) -> tuple[str, InlineKeyboardMarkup]:
    """The city buttons, "type a city", and a way back or out; also the settings screen's
    (``settings=True``: a choice ends there instead of going on to a reminder)."""
    _ = r.t
    cities = [button(tz_label(r, city.zone, now), TimezoneCb(item=item, zone=city.zone, settings=settings))
              for city in CITY_BUTTONS]
    rows = grid(cities, 2)
    rows.append([button(_("⌨️ Type a city"), ReminderStepCb(action="type", item=item, settings=settings))])
    last = [cancel_button(r, item, settings)]
    if current is not None and not settings:
        last.insert(0, button(_("⬅️ Back"), ReminderStepCb(action="back", item=item)))
    rows.append(last)
    text = _("🌐 Which time zone are you in? I use it for every reminder.")
    if current is not None:
        text += "\n" + _("Now: {tz}.").format(tz=tz_label(r, current, now))
    text += "\n\n" + _("Choose a city below, or send the name of your city, such as <code>{city}</code>, "
                       "or a UTC offset, such as <code>UTC+5</code>.").format(city=_("Novosibirsk"))
    return text + "\n\n" + leave_hint(r), InlineKeyboardMarkup(inline_keyboard=rows)


def unknown_place(r: Reader) -> str:
    _ = r.t
    return _("I could not find that place. Send a city, such as <code>{city}</code>, or a UTC offset.").format(
        city=_("Novosibirsk"))


def type_city_prompt(r: Reader, item: str, settings: bool) -> tuple[str, InlineKeyboardMarkup]:
    _ = r.t
    text = (_("⌨️ Send the name of your city in any language, such as <code>北京</code>, "
              "<code>Новосибирск</code> or <code>Almaty</code>, or a UTC offset, such as <code>UTC+5</code>.")
            + "\n\n" + leave_hint(r))
    return text, InlineKeyboardMarkup(inline_keyboard=[[
        button(_("⬅️ Back"), ReminderStepCb(action="zones", item=item, settings=settings)),
        cancel_button(r, item, settings),
    ]])


def zone_set(r: Reader, zone: str, now: datetime) -> tuple[str, InlineKeyboardMarkup]:
    """The time zone chosen from the settings: nothing follows."""
    _ = r.t
    text = "✅ " + _("Time zone: {tz}. Reminders will use it.").format(tz=tz_label(r, zone, now))
    return text, column([button(_("🔔 My reminders"), RemindersListCb())])


def zone_toast(r: Reader, zone: str, now: datetime) -> str:
    _ = r.t
    return _("Time zone: {tz}").format(tz=tz_label(r, zone, now))


# --- the time question ------------------------------------------------------------------------


def time_question(r: Reader, item: str, zone: str, now: datetime) -> tuple[str, InlineKeyboardMarkup]:
    _ = r.t
    buttons = [button(_(PRESET_LABELS[preset]), PresetCb(item=item, preset=preset.value))
               for preset in available_presets(now, zone)]
    buttons.append(button(_("🌐 Time zone: {tz}").format(tz=tz_label(r, zone, now)),
                          ReminderStepCb(action="zones", item=item)))
    buttons.append(cancel_button(r, item))
    text = (
        _("⏰ When should I remind you about <b>{what}</b>?").format(what=subject(r, item))
        + "\n\n" + _(FORMS_HELP).format(tz=tz_label(r, zone, now))
        + "\n\n" + leave_hint(r)
    )
    return text, column(buttons)


# --- after a step -------------------------------------------------------------------------------


def after_setting(r: Reader, resume: InlineKeyboardButton | None = None) -> InlineKeyboardMarkup:
    """The ways on once a step is over; ``resume`` first: the check it interrupted."""
    _ = r.t
    buttons = [button(_("⬅️ Back to the list"), ChecklistCb(action="list")), button(_("🔔 My reminders"), RemindersListCb())]
    return column([resume, *buttons] if resume is not None else buttons)


def too_many_text(r: Reader) -> str:
    _ = r.t
    return _("You already have {count} reminders waiting. Cancel some in /reminders first.").format(
        count=MAX_PENDING_PER_USER)


def left_step_text(r: Reader, settings: bool) -> str:
    _ = r.t
    return _("Your time zone stays as it was.") if settings else _("Cancelled: no reminder was set.")


def not_waiting_text(r: Reader) -> str:
    _ = r.t
    return _("That reminder is no longer waiting.")


def cancelled_one_text(r: Reader) -> str:
    _ = r.t
    return _("Reminder cancelled.")


def stale_preset_text(r: Reader) -> str:
    _ = r.t
    return _("This button is no longer active. See /reminders.")


# --- /reminders -------------------------------------------------------------------------------


def reminders_list(r: Reader, pending: list[Reminder], zone: str | None,
                   now: datetime) -> tuple[str, InlineKeyboardMarkup]:
    _ = r.t
    add = button(_("➕ New reminder"), RemindCb(item=""))
    back = button(_("⬅️ Checklist"), ChecklistCb(action="list"))
    if not pending:
        return (_("You have no reminders waiting. You can set one here or from an item of the checklist."),
                InlineKeyboardMarkup(inline_keyboard=[[add], [back, home_button(r)]]))
    zone = zone or UTC_ZONE
    lines = [_("<b>Your reminders</b> ({tz}):").format(tz=tz_label(r, zone, now))]
    rows = []
    for number, reminder in enumerate(pending, start=1):
        lines.append(f"{number}. {format_when(reminder.due_at, zone, now, r.lang, _)} — {subject(r, reminder.item_id)}")
        rows.append([
            button(_("🕒 Change {number}").format(number=number), ReminderRescheduleCb(id=reminder.id)),
            button(_("❌ Cancel {number}").format(number=number), ReminderCancelCb(id=reminder.id)),
        ])
    rows.extend([[add], [back, home_button(r)]])
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


# --- the reminder as delivered ----------------------------------------------------------------


def reminder_message(r: Reader, reminder: DueReminder, *, late: bool,
                     now: datetime) -> tuple[str, InlineKeyboardMarkup]:
    """What is due, its how-to, how much of the checklist is left, and the buttons to answer;
    ``late``: delivered well after its time (the bot was down), which it says."""
    _ = r.t
    title_msgid, howto_msgid = reminder_subject(reminder.item_id)
    title = _(title_msgid)
    if late:
        zone = reminder.time_zone or UTC_ZONE
        due = format_when(reminder.due_at, zone, now, r.lang, _) + f" ({tz_label(r, zone, reminder.due_at)})"
        text = _(REMINDER_LATE_TEXT).format(item=title, due=due)
    else:
        text = _(REMINDER_TEXT).format(item=title)
    if howto_msgid is not None:
        text += "\n\n" + _(howto_msgid)
    left, total = items_left(reminder.ticked)
    text += "\n\n" + (_(ITEMS_LEFT_TEXT).format(left=left, total=total) if left else _(ALL_TICKED_TEXT))

    def action(label: str, name: str) -> InlineKeyboardButton:
        return button(_(label), ReminderActionCb(id=reminder.id, action=name))

    # "Open" is the checklist's own button: the reminder becomes the item, one tap away.
    has_item = howto_msgid is not None
    open_button = button(_(BUTTON_OPEN_ITEM if has_item else BUTTON_OPEN_CHECKLIST),
                         ChecklistCb(action="item", item=reminder.item_id) if has_item
                         else ChecklistCb(action="list"))
    return text, InlineKeyboardMarkup(inline_keyboard=[
        [action(BUTTON_DONE, "done"), open_button],
        [action(label, option.value) for option, label in SNOOZE_BUTTONS.items()],
        [action(BUTTON_STOP, "stop")],
        [action(BUTTON_STOP_ALL, "stop_all")],
    ])
