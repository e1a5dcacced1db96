"""Delivering broadcasts: copyMessage to every recipient, at the shared rate, resumably.

Each job runs ``concurrency`` workers. A worker claims one pending recipient (the row becomes
'sending'), waits for a slot of the shared RateLimiter, copies the message, and records the
outcome on that row alone. Workers overlap their calls, so a 50 ms round trip does not lower
the rate; the limiter, not the workers, sets the pace.

- 429: the limiter pauses every sender for retry_after, then the same recipient is tried
  again in the same loop (no recursion, not an attempt, never a failure).
- 403: the user blocked the bot: the row is 'blocked' and the user flagged.
- anything else (400, 5xx, an HTML error page, timeouts): retried with backoff, then
  'failed' with the error.
- the message to copy is gone (the admin deleted it) or the token is revoked: no recipient
  can get it, so the job stops at once and the admin is told why.

A job that stops on an unexpected error (the database locked, full or read-only) starts
again by itself after a pause, which grows while the fault lasts; no restart is needed.

Several instances may run the same job (bot/leases.py starts on each the running jobs it
does not run yet): their claims never overlap, and the shared limiter sets the pace of all.
A claim names its instance and holds for a lease, renewed while the instance lives. A crash
leaves at most ``concurrency`` rows 'sending'; once their lease runs out (at once at the
next start, with one SQLite file) they go back to 'pending' and are sent again. Those that
had in fact been delivered are the only possible duplicates. A job is closed, and its final
counts shown, once no recipient is left pending or in flight on any instance, by one of them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.utils.i18n import I18n

from bot.db import DATABASE_ERRORS
from bot.instance import Lease, instance_id
from bot.outbound import bulk_sends
from bot.ratelimit import RateLimiter
from bot.repositories.broadcasts import BroadcastsRepository, Job
from bot.repositories.users import UsersRepository
from flows.admin import final_text, progress_text
from flows.locale import resolve_locale
from flows.texts import N_

log = logging.getLogger(__name__)

CONCURRENCY = 12
MAX_ATTEMPTS = 4
BACKOFF = (1.0, 3.0, 10.0)  # seconds before the 2nd, 3rd and 4th attempt
PROGRESS_EVERY = 5.0
STOP_GRACE = 3.0
MAX_ERROR = 300
RELAUNCH_AFTER = (5.0, 10.0, 30.0, 60.0)  # seconds, after each failed run in a row
SOURCE_GONE = ("message to copy not found", "message can't be copied")
STOPPED_SOURCE_GONE = N_("Stopped: the message to send was deleted, so it can no longer be copied.")


class SourceGone(Exception):
    """No recipient can get the message: the job stops instead of failing each of them."""


@dataclass
class _Run:
    job: Job
    bot: Bot
    began: float
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    cancelled: bool = False
    remaining_at_start: int = 0  # for the rate, which counts every instance's sends
    task: asyncio.Task[None] | None = None


class Broadcaster:
    def __init__(
        self,
        repository: BroadcastsRepository,
        users: UsersRepository,
        rate_limiter: RateLimiter,
        i18n: I18n,
        default_locale: str,
        *,
        concurrency: int = CONCURRENCY,
        max_attempts: int = MAX_ATTEMPTS,
        backoff: Sequence[float] = BACKOFF,
        progress_every: float = PROGRESS_EVERY,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,  # the backoff's
        clock: Callable[[], float] = time.monotonic,
        lease: Lease | None = None,
    ) -> None:
        self.repository = repository
        self.lease = lease or Lease(instance_id())
        self.users = users
        self.rate_limiter = rate_limiter
        self.i18n = i18n
        self.default_locale = default_locale
        self.concurrency = concurrency
        self.max_attempts = max_attempts
        self.backoff = tuple(backoff)
        self.progress_every = progress_every
        self._sleep = sleep
        self._clock = clock
        self._runs: dict[int, _Run] = {}
        self._relaunches: dict[int, asyncio.Task[None]] = {}
        self._failures: dict[int, int] = {}  # failed runs in a row, per job
        self._stopping = False

    # --- lifecycle ------------------------------------------------------------------------

    async def resume(self, bot: Bot) -> list[int]:
        """Take part in every running job (at start, and then periodically: a job started on
        another instance, or left by a dead one); the ids of the running jobs."""
        ids = await self.repository.running()
        for broadcast_id in ids:
            await self.launch(bot, broadcast_id)
        return ids

    async def launch(self, bot: Bot, broadcast_id: int) -> None:
        if self._stopping or broadcast_id in self._runs or broadcast_id in self._relaunches:
            return
        job = await self.repository.get(broadcast_id)
        if job is None or job.status != "running" or broadcast_id in self._runs:
            return
        run = _Run(job, bot, self._clock())
        self._runs[broadcast_id] = run
        with bulk_sends():  # the task and its workers inherit the mark
            run.task = asyncio.create_task(self._run(run), name=f"broadcast-{broadcast_id}")

    async def cancel(self, broadcast_id: int) -> bool:
        """Stop a job for good; the sends in flight finish, the rest stays unsent."""
        cancelled = await self.repository.cancel(broadcast_id)
        run = self._runs.get(broadcast_id)
        if run is not None:
            run.cancelled = True
            run.stop.set()
        return cancelled

    async def wait(self) -> None:
        """Until every job of this process has ended (tests and the bench)."""
        while self._runs or self._relaunches:
            tasks = [run.task for run in self._runs.values() if run.task is not None]
            await asyncio.gather(*tasks, *self._relaunches.values(), return_exceptions=True)

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """On shutdown: no new claims; the calls in flight get ``grace`` seconds to finish.
        The jobs stay 'running' and resume at the next start."""
        self._stopping = True
        for relaunch in self._relaunches.values():
            relaunch.cancel()
        runs = list(self._runs.values())
        for run in runs:
            run.stop.set()
        tasks = [run.task for run in runs if run.task is not None]
        if not tasks:
            return
        _, pending = await asyncio.wait(tasks, timeout=grace)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    # --- one job --------------------------------------------------------------------------

    async def _run(self, run: _Run) -> None:
        job = run.job
        failed = False
        try:
            await self.repository.mark_started(job.id)
            run.remaining_at_start = (await self.repository.progress(job.id)).remaining
            reporter = asyncio.create_task(self._report_progress(run))
            try:
                source_gone = await self._send_all(run)
            finally:
                reporter.cancel()
            if run.stop.is_set() and not run.cancelled and not source_gone:
                return  # shutting down: the job resumes at the next start
            progress = await self.repository.finish(job.id)
            if progress is None:
                return  # another instance closed it and reported
            current = await self.repository.get(job.id)
            cancelled = run.cancelled or source_gone or (current is not None and current.status == "cancelled")
            t = self._t(job)
            text = final_text(job.id, job.audience, progress, cancelled, t)
            await self._edit_status(run, f"{text}\n{t(STOPPED_SOURCE_GONE)}" if source_gone else text)
            log.info("Broadcast %d %s: %s", job.id,
                     "stopped, its message is gone" if source_gone else "cancelled" if cancelled else "finished",
                     progress)
        except Exception:
            failed = True
            log.exception("Broadcast %d stopped by an error; it starts again by itself", job.id)
        finally:
            self._runs.pop(job.id, None)
        if failed and not run.stop.is_set():
            self._relaunch_later(run.bot, job.id)
        else:
            self._failures.pop(job.id, None)

    async def _send_all(self, run: _Run) -> bool:
        """Send until no recipient is left to claim and none is in flight on another instance
        (a dead one's claims come back as pending once their lease runs out); True if the
        message to copy is gone."""
        source_gone = False
        while True:
            try:
                # A TaskGroup: if one worker fails unexpectedly, the others stop too.
                async with asyncio.TaskGroup() as workers:
                    for _ in range(self.concurrency):
                        workers.create_task(self._worker(run))
            except* SourceGone:
                source_gone = True
            if source_gone:
                await self.repository.cancel(run.job.id)
                return True
            if run.stop.is_set() and not run.cancelled:
                return False
            if not await self.repository.unsettled(run.job.id):
                return False
            await asyncio.sleep(self.lease.sweep_every)

    def _relaunch_later(self, bot: Bot, broadcast_id: int) -> None:
        failures = self._failures[broadcast_id] = self._failures.get(broadcast_id, 0) + 1
        delay = RELAUNCH_AFTER[min(failures - 1, len(RELAUNCH_AFTER) - 1)]

        async def relaunch() -> None:
            await self._sleep(delay)
            self._relaunches.pop(broadcast_id, None)
            if self._stopping:
                return
            try:
                # The claims of the failed run: some may have been delivered (bounded duplicates).
                await self.repository.release_claims(broadcast_id, self.lease.owner)
                log.info("Broadcast %d starts again after %.0f s", broadcast_id, delay)
                await self.launch(bot, broadcast_id)
            except Exception as error:  # the database still fails: wait longer
                log.warning("Broadcast %d could not start again yet: %s", broadcast_id, error)
                self._relaunch_later(bot, broadcast_id)

        with bulk_sends():
            self._relaunches[broadcast_id] = asyncio.create_task(relaunch(), name=f"broadcast-{broadcast_id}-relaunch")

    async def _worker(self, run: _Run) -> None:
        owner = self.lease.owner
        while not run.stop.is_set():
            user_id = await self.repository.claim(run.job.id, owner, self.lease.until(time.time()))
            if user_id is None:
                return
            outcome = await self._deliver(run, user_id)
            if outcome is None:
                await self.repository.release(run.job.id, user_id, owner)
                return
            status, extra, error = outcome
            if not await self.repository.record(run.job.id, user_id, owner, status, extra, error):
                log.warning("Broadcast %d: the claim of user %s was taken over while it was sent (its lease "
                            "ran out); the user may get it twice", run.job.id, user_id)

    async def _deliver(self, run: _Run, user_id: int) -> tuple[str, int, str | None] | None:
        """Copy the message to one user: (status, retries after the first call, error), or
        None if the job stopped before the call was made."""
        job = run.job
        failures = 0
        while True:
            await self.rate_limiter.acquire()
            if run.stop.is_set():
                return None
            try:
                await run.bot.copy_message(chat_id=user_id, from_chat_id=job.from_chat_id, message_id=job.message_id)
                return "sent", failures, None
            except TelegramRetryAfter as error:
                # Telegram throttles the bot, not this recipient: everyone waits, then retry.
                log.warning("Broadcast %d: 429, pausing all sends for %s s", job.id, error.retry_after)
                self.rate_limiter.pause(error.retry_after)
            except TelegramForbiddenError as error:
                await self.users.set_blocked(user_id, True)
                return "blocked", failures, error.message[:MAX_ERROR]
            except TelegramUnauthorizedError:
                raise  # the token is revoked: no recipient is at fault; stop the job
            except TelegramBadRequest as error:
                if any(reason in error.message.lower() for reason in SOURCE_GONE):
                    raise SourceGone(error.message) from error
                failures += 1
                if failures >= self.max_attempts:
                    return "failed", failures - 1, f"{type(error).__name__}: {error.message}"[:MAX_ERROR]
                await self._sleep(self.backoff[min(failures - 1, len(self.backoff) - 1)])
            except (TelegramAPIError, ClientDecodeError) as error:  # 5xx, HTML pages, network errors, timeouts
                failures += 1
                if failures >= self.max_attempts:
                    return "failed", failures - 1, f"{type(error).__name__}: {error.message}"[:MAX_ERROR]
                await self._sleep(self.backoff[min(failures - 1, len(self.backoff) - 1)])

    # --- the admin's status message ---------------------------------------------------------

    def _t(self, job: Job) -> Callable[[str], str]:
        locale = resolve_locale(job.admin_language, job.admin_telegram_language, self.default_locale)
        return lambda msgid: self.i18n.gettext(msgid, locale=locale)

    async def _report_progress(self, run: _Run) -> None:
        job = run.job
        while True:
            await asyncio.sleep(self.progress_every)
            try:
                progress = await self.repository.progress(job.id)
            except DATABASE_ERRORS as error:
                log.warning("Broadcast %d: no progress to show now: %s", job.id, error)
                continue
            elapsed = self._clock() - run.began
            done = run.remaining_at_start - progress.remaining
            rate = done / elapsed if done > 0 and elapsed > 0 else None
            await self._edit_status(run, progress_text(job.id, job.audience, progress, rate, self._t(job)))

    async def _edit_status(self, run: _Run, text: str) -> None:
        # The status message is one more message: it waits for a slot like the others.
        await self.rate_limiter.acquire()
        try:
            await run.bot.edit_message_text(text=text, chat_id=run.job.status_chat_id,
                                            message_id=run.job.status_message_id)
        except TelegramRetryAfter as error:
            self.rate_limiter.pause(error.retry_after)
        except TelegramBadRequest as error:
            if "not modified" not in error.message:
                # Most likely the admin deleted the status message: show it in a new one.
                await self._send_status(run, text)
        except TelegramAPIError as error:
            log.warning("Broadcast %d: could not show progress: %s", run.job.id, error)

    async def _send_status(self, run: _Run, text: str) -> None:
        try:
            await run.bot.send_message(run.job.status_chat_id, text)
        except TelegramAPIError as error:
            log.warning("Broadcast %d: could not show progress: %s", run.job.id, error)
