"""Claims with a lease, on SQLite and on PostgreSQL: a live instance keeps its claims by
renewing them, a dead one's are taken over once their lease has run out, and a job shared
by several instances is reported once. The same for the updates in hand in the journal."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest
from aiogram import Bot, Dispatcher
from aiogram.types import Chat, Message, Update, User

from bot.broadcaster import Broadcaster
from bot.db import Database
from bot.i18n import create_i18n
from bot.instance import Lease
from bot.journal import UpdateJournal
from bot.leases import ClaimKeeper
from bot.ratelimit import RateLimiter
from bot.repositories.broadcasts import BroadcastsRepository
from bot.repositories.journal import JournalRepository
from bot.repositories.reminders import RemindersRepository
from bot.repositories.users import UsersRepository
from bot.scheduler import INTERRUPTED, ReminderScheduler
from flows.admin import Audience
from tests.test_broadcaster import ScriptedSession

pytestmark = pytest.mark.engines

USERS = 20
ADMIN = 900
CONCURRENCY = 4
T = 1_800_000_000  # unix seconds


async def add_users(db: Database) -> None:
    await db.write_many("INSERT INTO users (id, first_seen, last_seen) VALUES (?, 0, 0)",
                        [(uid,) for uid in range(1, USERS + 1)])


async def test_a_live_instance_keeps_its_claims_and_a_dead_ones_are_taken_over(db: Database) -> None:
    await add_users(db)
    broadcasts, reminders = BroadcastsRepository(db, "en", ()), RemindersRepository(db)
    job = await broadcasts.create(ADMIN, ADMIN, 5, Audience("all"), ADMIN, 7)
    live, dead = Lease("live", 60), Lease("dead", 60)
    assert await broadcasts.claim(job.id, live.owner, live.until(T)) == 1
    assert await broadcasts.claim(job.id, dead.owner, dead.until(T)) == 2
    first, _ = await reminders.add(1, None, datetime.fromtimestamp(T, UTC), datetime.fromtimestamp(T, UTC))
    second, _ = await reminders.add(2, None, datetime.fromtimestamp(T, UTC), datetime.fromtimestamp(T, UTC))
    assert await reminders.claim(first.id, live.owner, live.until(T))
    assert await reminders.claim(second.id, dead.owner, dead.until(T))
    assert not await reminders.claim(second.id, live.owner, live.until(T))  # one claim wins

    # Within the lease nothing is taken over; the live instance renews, the dead one cannot.
    assert await broadcasts.take_over(T + 59) == 0 and await reminders.take_over(T + 59, INTERRUPTED) == []
    await broadcasts.renew(live.owner, live.until(T + 45))
    await reminders.renew(live.owner, live.until(T + 45))

    assert await broadcasts.take_over(T + 61) == 1
    assert [reminder.id for reminder in await reminders.take_over(T + 61, INTERRUPTED)] == [second.id]
    rows = {row["user_id"]: (row["status"], row["claimed_by"]) for row in await db.read(
        "SELECT user_id, status, claimed_by FROM broadcast_recipients WHERE user_id IN (1, 2)")}
    assert rows == {1: ("sending", "live"), 2: ("pending", None)}
    statuses = {row["id"]: (row["status"], row["error"]) for row in await db.read(
        "SELECT id, status, error FROM reminders")}
    assert statuses == {first.id: ("claimed", None), second.id: ("failed", INTERRUPTED)}

    # The dead instance's late outcome does not overwrite the recipient's new claim.
    assert await broadcasts.claim(job.id, live.owner, live.until(T + 61)) == 2
    assert not await broadcasts.record(job.id, 2, dead.owner, "sent")
    assert await broadcasts.record(job.id, 2, live.owner, "sent")
    # A claim made before leases existed has none: it counts as expired.
    await db.write("UPDATE broadcast_recipients SET status = 'sending' WHERE user_id = 3")
    assert await broadcasts.take_over(T) == 1
    # None: at start on one SQLite file, every claim is a dead process's.
    assert await broadcasts.take_over(None) == 1
    assert [reminder.id for reminder in await reminders.take_over(None, INTERRUPTED)] == [first.id]


def broadcaster(db: Database, lease: Lease, rate: float = 1000) -> Broadcaster:
    return Broadcaster(BroadcastsRepository(db, "en", ()), UsersRepository(db), RateLimiter(rate),
                       create_i18n("en"), "en", concurrency=CONCURRENCY, progress_every=3600, lease=lease)


async def test_two_live_instances_share_a_job_and_one_reports_it(db: Database) -> None:
    await add_users(db)
    job = await BroadcastsRepository(db, "en", ()).create(ADMIN, ADMIN, 5, Audience("all"), ADMIN, 7)
    instances = [broadcaster(db, Lease(name, 2)) for name in ("a", "b")]
    sessions = [ScriptedSession(latency=0.01) for _ in instances]
    for instance, session in zip(instances, sessions, strict=True):
        await instance.launch(Bot("1:test", session=session), job.id)
    await asyncio.gather(*(instance.wait() for instance in instances))

    assert sessions[0].delivered + sessions[1].delivered == Counter(range(1, USERS + 1))
    assert all(session.delivered for session in sessions)  # the work was shared
    finals = [edit for session in sessions for edit in session.edits if "finished" in edit]
    assert finals == [f"<b>Broadcast #{job.id}</b> to all users: finished\n"
                      f"Sent: {USERS} of {USERS}\nBlocked the bot: 0\nFailed: 0"]


async def test_a_job_left_by_a_dead_instance_is_finished_by_another_after_the_lease(db: Database) -> None:
    await add_users(db)
    repository = BroadcastsRepository(db, "en", ())
    job = await repository.create(ADMIN, ADMIN, 5, Audience("all"), ADMIN, 7)
    dead_session = ScriptedSession(hang_after=6)
    dead = broadcaster(db, Lease("dead", 2))
    await dead.launch(Bot("1:test", session=dead_session), job.id)
    while dead_session.hanging < CONCURRENCY:
        await asyncio.sleep(0.01)
    dead._runs[job.id].task.cancel()  # killed: its claims stay 'sending'
    await dead.wait()

    lease = Lease("survivor", 2)
    survivor = broadcaster(db, lease)
    session = ScriptedSession()
    bot = Bot("1:test", session=session)
    scheduler = ReminderScheduler(RemindersRepository(db), UsersRepository(db), create_i18n("en"),
                                  RateLimiter(25), default_locale="en", lease=lease)
    claims = ClaimKeeper(lease, repository, RemindersRepository(db), survivor, scheduler,
                         UpdateJournal(JournalRepository(db), lease, exclusive=False), exclusive=False)
    began = time.monotonic()
    await claims.start(bot)  # a live instance's first sweep takes nothing over
    try:
        assert CONCURRENCY == (await db.read_one(
            "SELECT count(*) AS n FROM broadcast_recipients WHERE status = 'sending'"))["n"]
        await asyncio.wait_for(survivor.wait(), 30)
    finally:
        await claims.stop()
    assert time.monotonic() - began >= 1  # it waited for the lease, about 2 s

    delivered = dead_session.delivered + session.delivered
    assert set(delivered) == set(range(1, USERS + 1))
    assert sum(delivered.values()) - USERS == CONCURRENCY  # the sends in flight, no more
    assert session.edits[-1].endswith(f"Sent: {USERS} of {USERS}\nBlocked the bot: 0\nFailed: 0")
    assert (await repository.get(job.id)).status == "finished"


async def test_a_job_cancelled_on_another_instance_stops_here_and_is_reported_once(db: Database) -> None:
    await add_users(db)
    repository = BroadcastsRepository(db, "en", ())
    job = await repository.create(ADMIN, ADMIN, 5, Audience("all"), ADMIN, 7)
    sending, cancelling = broadcaster(db, Lease("a", 2), rate=50), broadcaster(db, Lease("b", 2))
    session = ScriptedSession(latency=0.01)
    await sending.launch(Bot("1:test", session=session), job.id)
    while len(session.delivered) < 3:
        await asyncio.sleep(0.005)
    assert await cancelling.cancel(job.id)  # the admin's /broadcast_cancel reached the other instance
    await asyncio.wait_for(sending.wait(), 10)

    counts = Counter(row["status"] for row in await db.read(
        "SELECT status FROM broadcast_recipients WHERE broadcast_id = ?", (job.id,)))
    assert counts["sent"] == len(session.delivered) < USERS and "sending" not in counts
    finals = [edit for edit in session.edits if "cancelled" in edit]
    assert len(finals) == 1 and f"Not sent: {counts['pending']}" in finals[0]


class Instance:
    """One bot instance as the journal sees it: its dispatcher (each message handler waits
    for ``release``), its journal and its ClaimKeeper, on a clock the test moves."""

    def __init__(self, db: Database, name: str, clock: list[float], handled: list[tuple[str, int]],
                 release: asyncio.Event) -> None:
        lease = Lease(name, 60)
        self.journal = UpdateJournal(JournalRepository(db), lease, exclusive=False, clock=lambda: clock[0])
        self.dispatcher = Dispatcher()
        self.dispatcher.update.outer_middleware(self.journal)

        @self.dispatcher.message()
        async def handle(message: Message) -> None:
            handled.append((name, message.message_id))
            await release.wait()

        scheduler = ReminderScheduler(RemindersRepository(db), UsersRepository(db), create_i18n("en"),
                                      RateLimiter(25), default_locale="en", lease=lease)
        self.claims = ClaimKeeper(lease, BroadcastsRepository(db, "en", ()), RemindersRepository(db),
                                  broadcaster(db, lease), scheduler, self.journal, exclusive=False,
                                  clock=lambda: clock[0])
        self.bot = Bot("1:test", session=ScriptedSession())

    async def receive(self, update: Update) -> asyncio.Task[object]:
        """As the webhook handler does: record, then handle (in the background here)."""
        await self.journal.record([update])
        return asyncio.create_task(self.dispatcher.feed_update(self.bot, update))


def update(update_id: int) -> Update:
    # message_id tells the handled updates apart.
    return Update(update_id=update_id, message=Message(
        message_id=update_id, date=datetime.fromtimestamp(T, UTC), chat=Chat(id=7, type="private"),
        from_user=User(id=7, is_bot=False, first_name="Li"), text=f"message {update_id}"))


async def holders(db: Database) -> dict[int, tuple[str | None, bool]]:
    """update_id -> (the instance holding it, whether it is in hand)."""
    return {row["update_id"]: (row["claimed_by"], row["done_at"] is None) for row in await db.read(
        "SELECT update_id, claimed_by, done_at FROM update_journal")}


async def no_update_in_hand(db: Database) -> bool:
    return all(not in_hand for _, in_hand in (await holders(db)).values())


async def until(condition: Callable[[], bool | Awaitable[bool]], timeout: float = 15) -> None:
    """Wait for ``condition`` (a busy machine's time)."""
    async with asyncio.timeout(timeout):
        while not await as_awaited(condition()):
            await asyncio.sleep(0.01)


async def as_awaited(value: bool | Awaitable[bool]) -> bool:
    return await value if inspect.isawaitable(value) else value


async def test_a_starting_instance_leaves_a_live_ones_updates_in_hand_and_takes_a_dead_ones_after_the_lease(
    db: Database,
) -> None:
    clock, handled, release = [float(T)], [], asyncio.Event()
    live, dead = Instance(db, "live", clock, handled, release), Instance(db, "dead", clock, handled, release)
    await live.journal.start(live.bot, live.dispatcher)
    in_hand_live = await live.receive(update(1))
    await dead.journal.record([update(2)])  # it dies before handling it
    await until(lambda: bool(handled))
    assert handled == [("live", 1)]

    clock[0] = T + 10
    new = Instance(db, "new", clock, handled, release)
    await new.journal.start(new.bot, new.dispatcher)
    await new.claims.sweep(new.bot, starting=True)
    assert await holders(db) == {1: ("live", True), 2: ("dead", True)}  # nothing taken over
    # Telegram delivers both again (their webhook posts were not answered): still not here.
    await asyncio.gather(await new.receive(update(1)), await new.receive(update(2)))
    await asyncio.sleep(0.2)
    assert handled == [("live", 1)]

    clock[0] = T + 45
    await live.claims.sweep(live.bot)  # the live instance renews; the dead one cannot
    clock[0] = T + 61
    await new.claims.sweep(new.bot)
    await until(lambda: len(handled) == 2)
    assert handled == [("live", 1), ("new", 2)]
    assert await holders(db) == {1: ("live", True), 2: ("new", True)}

    release.set()
    await asyncio.wait_for(in_hand_live, 15)
    await until(lambda: no_update_in_hand(db))
    clock[0] = T + 200
    await new.claims.sweep(new.bot)
    await asyncio.gather(await live.receive(update(2)), await new.receive(update(1)))  # done: copies skipped
    await asyncio.sleep(0.2)
    assert handled == [("live", 1), ("new", 2)]
    assert await db.read("SELECT claimed_by, lease_until, body FROM update_journal WHERE claimed_by IS NOT NULL"
                         " OR lease_until IS NOT NULL OR body IS NOT NULL") == []
