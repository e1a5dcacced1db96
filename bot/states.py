"""The conversation states that more than one part of the bot must recognise, and the rule
that keeps them from trapping anyone.

A side step waits for one answer: the time zone or time of a reminder, or the /forget
confirmation. A command or a button that is not the step's own means the user went
elsewhere, so the side step is left before the handler runs. Leaving a side step, however
it ends, gives the user back the state they were in: a check in progress is not a side
step, it stays, paused, with its data apart from the step's, and can be continued.
"""

from __future__ import annotations

from typing import Any

from aiogram import BaseMiddleware
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, TelegramObject
from pydantic import BaseModel, ValidationError

from bot.callbacks import ForgetCb, PresetCb, ReminderStepCb, TimezoneCb
from bot.middlewares import Handler
from flows.eligibility import resume_question


class Check(StatesGroup):
    answering = State()


class CheckData(BaseModel):
    """The FSM data of a check in progress: ``run`` tells its buttons from an earlier
    check's, ``q`` is the question shown."""

    run: str
    q: str
    answers: dict[str, str] = {}


async def current_check(state: FSMContext) -> CheckData | None:
    """The check in progress, positioned on a question that applies; None if there is none."""
    if await state.get_state() != Check.answering.state:
        return None
    try:
        data = CheckData.model_validate(await state.get_data())
    except ValidationError:
        return None
    return data.model_copy(update={"q": resume_question(data.answers, data.q).id})


class Forget(StatesGroup):
    confirming = State()


class ReminderSetup(StatesGroup):
    timezone = State()
    time = State()


class ReminderData(BaseModel):
    """The reminder steps' FSM data, kept under its own key beside what they interrupted."""

    item: str = ""  # a checklist item, or "" for the whole checklist
    settings: bool = False  # the time zone was opened from /settings or /timezone: no reminder follows
    replace: int | None = None  # the id of a reminder being rescheduled


# FSM data keys: the state the user was in before the side step, and the reminder's data.
RETURN_TO = "return_to"
REMINDER = "reminder"

# Each side step, with the callback prefixes of its own buttons.
_REMINDER_BUTTONS = frozenset(cb.__prefix__ for cb in (PresetCb, TimezoneCb, ReminderStepCb))
SIDE_STEPS: dict[str, frozenset[str]] = {
    Forget.confirming.state: frozenset({ForgetCb.__prefix__}),
    ReminderSetup.timezone.state: _REMINDER_BUTTONS,
    ReminderSetup.time.state: _REMINDER_BUTTONS,
}


async def enter_side_step(state: FSMContext, step: State) -> None:
    """Go to ``step``, remembering the state to give back (from one side step to another,
    the one from before the first)."""
    current = await state.get_state()
    if current not in SIDE_STEPS:
        await state.update_data({RETURN_TO: current})
    await state.set_state(step)


async def leave_side_step(state: FSMContext, current: str | None) -> str | None:
    """Leave ``current`` if it is a side step; the state the user is in afterwards."""
    if current not in SIDE_STEPS:
        return current
    data = await state.get_data()
    restored = data.pop(RETURN_TO, None)
    data.pop(REMINDER, None)
    await state.set_state(restored)
    await state.set_data(data)
    return restored


async def reminder_data(state: FSMContext) -> ReminderData:
    return ReminderData.model_validate((await state.get_data()).get(REMINDER) or {})


async def set_reminder_data(state: FSMContext, data: ReminderData) -> None:
    await state.update_data({REMINDER: data.model_dump()})


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
