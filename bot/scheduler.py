"""Delivering reminders: one task in the bot process that sleeps until the next one is due.

Exactly-once as far as a crash allows: a reminder is claimed (pending -> claimed, naming
this instance, with a lease) right before its send and marked sent right after; several
instances' schedulers may race for it, and one claim wins. A claim whose instance died was
being sent then; it may have reached the user, so bot/leases.py marks it failed once its
lease runs out, never sends it again. Only the sends in flight at that moment (at most
``concurrency``, in practice the rate times the round trip, about one) can be affected.

Every send waits for the shared RateLimiter, so reminders and broadcasts together stay
under Telegram's bulk limit. A few sends run at once so that the round trip to Telegram
does not cap the rate (one at a time over a 50 ms link manages 20 msg/s at most).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import UTC, datetime
from functools import partial

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n

from bot.instance import Lease, instance_id
from bot.outbound import bulk_sends
from bot.ratelimit import RateLimiter
from bot.repositories.reminders import DueReminder, RemindersRepository
from bot.repositories.users import UsersRepository
from bot.screens.reminders import reminder_message
from flows.facts import Reader
from flows.locale import resolve_locale
from flows.reminders import (
    MAX_FLOOD_RETRIES,
    Delivery,
    delivery,
    next_wake,
    send_retry_delay,
)
from flows.timeparse import Clock

log = logging.getLogger(__name__)

Wait = Callable[[asyncio.Event, float], Awaitable[None]]

INTERRUPTED = "interrupted while sending: may have been delivered, so not sent again"
# After an unexpected error in a pass (the database, a bug), wait before trying again
# rather than spin; a nudge still wakes the loop earlier.
ERROR_PAUSE = 30.0
STOP_TIMEOUT = 5.0


def utc_now() -> datetime:
    return datetime.now(UTC)


async def wait_for_wakeup(event: asyncio.Event, seconds: float) -> None:
    """Return when ``event`` is set or ``seconds`` have passed, whichever comes first."""
    with suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), seconds)


class ReminderScheduler:
    def __init__(
        self,
        reminders: RemindersRepository,
        users: UsersRepository,
        i18n: I18n,
        rate_limiter: RateLimiter,
        *,
        default_locale: str,
        now: Clock = utc_now,
        wait: Wait = wait_for_wakeup,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        concurrency: int = 4,
        batch_size: int = 200,
        lease: Lease | None = None,
    ) -> None:
        self.reminders = reminders
        self.lease = lease or Lease(instance_id())
        self.users = users
        self.i18n = i18n
        self.rate_limiter = rate_limiter
        self.default_locale = default_locale
        self.now = now
        self._wait = wait
        self._sleep = sleep
        self._batch_size = batch_size
        self._in_flight = asyncio.Semaphore(concurrency)
        # Set by handlers when they add a reminder: the loop then recomputes its sleep.
        self.wakeup = asyncio.Event()
        # One pass at a time, whether the loop's or one asked for from outside (tests, bench).
        self._pass_lock = asyncio.Lock()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    # --- life cycle ---------------------------------------------------------------------------

    async def start(self, bot: Bot) -> None:
        """Run the loop in a task (what a dead instance left claimed is bot/leases.py's)."""
        self._stopping = False
        self._task = asyncio.create_task(self._run(bot), name="reminder-scheduler")

    async def stop(self) -> None:
        """Let the sends in flight finish (up to STOP_TIMEOUT), then end the loop."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        self.wakeup.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), STOP_TIMEOUT)
        except TimeoutError:
            log.warning("Reminder scheduler still sending after %.0f s; cancelled", STOP_TIMEOUT)
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    async def _run(self, bot: Bot) -> None:
        while not self._stopping:
            # Cleared before the pass: a reminder added during it sets the event again,
            # and the wait below returns at once.
            self.wakeup.clear()
            try:
                await self.run_due(bot)
                next_due = await self.reminders.next_due()
                delay = next_wake([next_due] if next_due else [], self.now())
            except Exception:
                log.exception("Reminder pass failed; retrying in %.0f s", ERROR_PAUSE)
                delay = ERROR_PAUSE
            if not self._stopping:
                await self._wait(self.wakeup, delay)

    # --- one pass -----------------------------------------------------------------------------

    async def run_due(self, bot: Bot) -> int:
        """Deliver every reminder due by now; returns how many were sent.

        Lateness is judged against the start of the pass, so that waiting behind the rate
        limiter in a large batch does not make a punctual reminder say it is late.
        """
        async with self._pass_lock:
            with bulk_sends():
                return await self._pass(bot)

    async def _pass(self, bot: Bot) -> int:
        started = self.now()
        sent = 0
        after: tuple[datetime, int] | None = None
        while not self._stopping:
            batch = await self.reminders.due(started, self._batch_size, after=after)
            if not batch:
                break
            after = (batch[-1].due_at, batch[-1].id)
            results = await asyncio.gather(*(self._handle(bot, reminder, started) for reminder in batch))
            sent += sum(results)
        return sent

    async def _handle(self, bot: Bot, reminder: DueReminder, started: datetime) -> bool:
        decision = delivery(reminder.due_at, started)
        if decision is Delivery.WAIT:
            return False
        if decision is Delivery.DROP:
            if await self.reminders.drop(reminder.id):
                log.warning("Dropped reminder %s for user %s: due %s, more than 7 days ago",
                            reminder.id, reminder.user_id, reminder.due_at.isoformat())
            return False
        async with self._in_flight:
            if self._stopping:
                return False
            await self.rate_limiter.acquire()
            # Claimed only now, right before the send: a crash can leave claimed only the
            # reminders actually being sent.
            claimed = not self._stopping and await self.reminders.claim(
                reminder.id, self.lease.owner, self.lease.until(time.time()))
            if not claimed:
                return False
            try:
                return await self._send(bot, reminder, late=decision is Delivery.SEND_LATE)
            except Exception as error:
                log.exception("Reminder %s could not be sent", reminder.id)
                await self.reminders.mark_failed(reminder.id, f"unexpected: {error!r}")
                return False

    async def _send(self, bot: Bot, reminder: DueReminder, *, late: bool) -> bool:
        text, markup = self.render(reminder, late=late)
        floods = failures = 0
        while True:
            try:
                await bot.send_message(reminder.user_id, text, reply_markup=markup)
            except TelegramRetryAfter as error:
                floods += 1
                if floods > MAX_FLOOD_RETRIES:
                    await self._fail(reminder, f"flood control {floods} times: {error.message}")
                    return False
                # Every sender waits, not only this one: the limit is the bot's.
                self.rate_limiter.pause(error.retry_after)
                await self.rate_limiter.acquire()
                continue
            except TelegramForbiddenError as error:
                await self._fail(reminder, f"forbidden: {error.message}")
                await self.users.set_blocked(reminder.user_id, True)
                return False
            except (TelegramNetworkError, TelegramServerError) as error:
                if isinstance(error.__cause__, TimeoutError):
                    # The request may have reached Telegram: a retry could deliver twice.
                    await self._fail(reminder, f"timeout, may have been delivered: {error.message}")
                    return False
                failures += 1
                delay = send_retry_delay(failures)
                if delay is None:
                    await self._fail(reminder, f"gave up after {failures} errors: {error.message}")
                    return False
                log.info("Reminder %s: %s; retrying in %.0f s", reminder.id, error.message, delay)
                await self._sleep(delay)
                await self.rate_limiter.acquire()
                continue
            except TelegramAPIError as error:
                # A bad request (chat not found, ...): the same request would fail again.
                await self._fail(reminder, f"rejected: {error.message}")
                return False
            await self.reminders.mark_sent(reminder.id, self.now())
            return True

    async def _fail(self, reminder: DueReminder, error: str) -> None:
        log.warning("Reminder %s for user %s failed: %s", reminder.id, reminder.user_id, error)
        await self.reminders.mark_failed(reminder.id, error)

    # --- the message --------------------------------------------------------------------------

    def render(self, reminder: DueReminder, *, late: bool) -> tuple[str, InlineKeyboardMarkup]:
        """The reminder in its recipient's language: outside a handler there is no locale
        context, so the reader's gettext names its locale."""
        locale = resolve_locale(reminder.language, reminder.telegram_language, self.default_locale)
        r = Reader(t=partial(self.i18n.gettext, locale=locale), lang=locale)
        return reminder_message(r, reminder, late=late, now=self.now())
