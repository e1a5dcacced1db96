"""The conversation states that more than one part of the bot must recognise, and the rule
that keeps them from trapping anyone.

A side step waits for one answer: the time zone or time of a reminder, or the /forget
confirmation. A command or a button that is not the step's own means the user went
elsewhere, so the side step is left before the handler runs (the /forget confirmation gives the user back the
state they were in). A check in progress is not a side step: it stays, paused, and can be
continued.
"""

from __future__ import annotations

from typing import Any

from aiogram import BaseMiddleware
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.callbacks import ForgetCb, PresetCb, ReminderStepCb, TimezoneCb
from bot.middlewares import Handler


class Forget(StatesGroup):
    confirming = State()


class ReminderSetup(StatesGroup):
    timezone = State()  # data: item, settings, replace
    time = State()  # data: item, replace (the id of a reminder being rescheduled)


# FSM data key: the state the user was in before /forget asked for confirmation.
RETURN_TO = "forget_return_to"

# Each side step, with the callback prefixes of its own buttons.
_REMINDER_BUTTONS = frozenset(cb.__prefix__ for cb in (PresetCb, TimezoneCb, ReminderStepCb))
SIDE_STEPS: dict[str, frozenset[str]] = {
    Forget.confirming.state: frozenset({ForgetCb.__prefix__}),
    ReminderSetup.timezone.state: _REMINDER_BUTTONS,
    ReminderSetup.time.state: _REMINDER_BUTTONS,
}


async def leave_side_step(state: FSMContext, current: str | None) -> str | None:
    """Leave ``current`` if it is a side step; the state the user is in afterwards."""
    if current == Forget.confirming.state:
        data = await state.get_data()
        restored = data.pop(RETURN_TO, None)
        await state.set_state(restored)
        await state.set_data(data)
        return restored
    if current in SIDE_STEPS:
        await state.clear()
        return None
    return current


def goes_elsewhere(event: TelegramObject, current: str) -> bool:
    """A command other than /cancel (which leaves the step itself, saying so), or a press
    on a button that is not the step's own."""
    if isinstance(event, Message):
        text = event.text or ""
        return text.startswith("/") and text.split(maxsplit=1)[0].split("@")[0] != "/cancel"
    if isinstance(event, CallbackQuery):
        return (event.data or "").split(":", 1)[0] not in SIDE_STEPS[current]
    return False


class LeaveSideSteps(BaseMiddleware):
    """Outer middleware on messages and button presses (after the FSM context is known)."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        state: FSMContext | None = data.get("state")
        current = data.get("raw_state")
        if state is not None and current in SIDE_STEPS and goes_elsewhere(event, current):
            data["raw_state"] = await leave_side_step(state, current)
        return await handler(event, data)
