"""Claims with a lease: several instances share the broadcasts, reminders and updates in
hand, and a crashed instance's claims are taken over, never a live one's (migrations/0010
and 0011 have the states).

Each claim names this instance and holds until ``lease_until``. One task per instance
(``ClaimKeeper``), every quarter of a lease:

- renews the lease of every claim this instance holds, so a send may take as long as it
  needs (a 429's pause, retries) while the instance lives;
- takes over the claims whose lease ran out: their instance died, or could not reach the
  database for a whole lease. A recipient goes back to pending (sent again: the bounded
  duplicates); a reminder is marked failed (it may have been delivered; at most once); an
  update in hand is handled again here (bot/journal.py);
- starts the running broadcasts this instance does not run yet (one started on another
  instance, or left by a dead one), and wakes the reminder scheduler for reminders set on
  another instance.

Times are unix seconds from each instance's clock: the instances' clocks must agree to
well within a lease (NTP does), which the default of a minute leaves room for.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from aiogram import Bot

from bot.broadcaster import Broadcaster
from bot.instance import Lease
from bot.journal import UpdateJournal
from bot.repositories.broadcasts import BroadcastsRepository
from bot.repositories.reminders import RemindersRepository
from bot.scheduler import INTERRUPTED, ReminderScheduler

log = logging.getLogger(__name__)

ERROR_PAUSE = 5.0


class ClaimKeeper:
    def __init__(
        self,
        lease: Lease,
        broadcasts: BroadcastsRepository,
        reminders: RemindersRepository,
        broadcaster: Broadcaster,
        scheduler: ReminderScheduler,
        journal: UpdateJournal,
        *,
        exclusive: bool,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``exclusive``: no other process can use the database (one SQLite file), so at
        start every claim left in it is a dead process's."""
        self.lease = lease
        self.broadcasts = broadcasts
        self.reminders = reminders
        self.broadcaster = broadcaster
        self.scheduler = scheduler
        self.journal = journal
        self.exclusive = exclusive
        self.clock = clock
        self._task: asyncio.Task[None] | None = None

    async def start(self, bot: Bot) -> None:
        """Settle what is left to take over, start the broadcasts, then sweep periodically."""
        await self.sweep(bot, starting=True)
        self._task = asyncio.create_task(self._run(bot), name="claim-keeper")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _run(self, bot: Bot) -> None:
        while True:
            try:
                await asyncio.sleep(self.lease.sweep_every)
                await self.sweep(bot)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the database is down: try again, the leases wait
                log.warning("Could not renew or take over claims: %s", error)
                await asyncio.sleep(ERROR_PAUSE)

    async def sweep(self, bot: Bot, *, starting: bool = False) -> None:
        now = self.clock()
        until = self.lease.until(now)
        await self.broadcasts.renew(self.lease.owner, until)
        await self.reminders.renew(self.lease.owner, until)
        await self.journal.renew(until)
        expired_by = None if starting and self.exclusive else int(now)
        released = await self.broadcasts.take_over(expired_by)
        if released:
            log.warning("Took over %d broadcast recipients claimed by a stopped instance; they are sent "
                        "again (possible duplicates)", released)
        for reminder in await self.reminders.take_over(expired_by, INTERRUPTED):
            log.warning("Reminder %s for user %s was being sent by a stopped instance; marked failed, "
                        "not resent", reminder.id, reminder.user_id)
        # At start the journal takes over by itself, once the bot is ready for the updates.
        if not starting:
            await self.journal.take_over(bot, expired_by, until)
        await self.broadcaster.resume(bot)
        if not self.exclusive:
            self.scheduler.wakeup.set()
