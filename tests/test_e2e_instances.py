"""End to end: two ``python -m bot`` instances in webhook mode on one PostgreSQL and one
Redis, behind a load balancer (the fake server posts each update to the two listeners in
turn). An admin's broadcast to a few hundred users goes through both; the instance that
started it is killed (SIGKILL) mid-broadcast, and the other takes its claims over once their
lease runs out: nobody is left out, duplicates stay within the dead instance's sends in
flight, updates posted to the dead one reach the other, an update the dead one had in hand
is handled by the other once its lease runs out (answered once), and reminders due
meanwhile (set before, or on the dead instance) go out once."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.broadcaster import CONCURRENCY
from bot.postgres import open_postgres
from tests.conftest import empty_postgres
from tests.e2e_bot import BotRunner, free_port, get, messages
from tests.fake_telegram import FakeTelegram, Fault, TelegramUser
from tests.test_e2e_production import SECRET, metric

ADMIN = 9
RECIPIENTS = range(20_000, 20_300)
REMINDED_EARLY = range(20_000, 20_005)  # due once both run: both schedulers try them
REMINDED_LATE = range(20_005, 20_010)  # set while one instance is dead
LEASE = 6  # seconds: long enough for a busy machine, short enough for a test
ANSWER_TIMEOUT = 15.0  # seconds for an answer on a busy machine
TEXT = "Operators change their rules on 1 March: check your tariff."


@pytest.fixture
async def instances(server: FakeTelegram, tmp_path: Path, redis_url: str) -> AsyncIterator[tuple[BotRunner, ...]]:
    database_url = await empty_postgres()
    runners = []
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        runners.append(BotRunner(server, folder, DATABASE_URL=database_url, REDIS_URL=redis_url,
                                 ADMIN_IDS=str(ADMIN), BROADCAST_RATE="30", CLAIM_LEASE=str(LEASE),
                                 WEBHOOK_URL="https://bot.example.org/telegram", WEBHOOK_SECRET=SECRET,
                                 WEBHOOK_LISTEN=f"127.0.0.1:{free_port()}"))
    server.webhook_targets = [f"http://{runner.settings['WEBHOOK_LISTEN']}/telegram" for runner in runners]
    yield tuple(runners)
    for runner in runners:
        await runner.kill()
        print(runner.all_logs())
    print(server.report(last_calls=5))


def copies(server: FakeTelegram) -> Counter[int]:
    return Counter(item.chat_id for item in server.api.shown if item.kind == "message" and item.text == TEXT)


def others(server: FakeTelegram, chat_id: int) -> list[str]:
    """What ``chat_id`` got besides the broadcast: here, its reminders."""
    return [item.text for item in server.api.shown
            if item.chat_id == chat_id and item.kind == "message" and item.text != TEXT]


async def add_reminders(database_url: str, users: range, due: int) -> None:
    db = await open_postgres(database_url)
    try:
        await db.write_many("INSERT INTO reminders (user_id, item_id, due_at, created_at) VALUES (?, NULL, ?, ?)",
                            [(user_id, due, due - 60) for user_id in users])
    finally:
        await db.close()


async def reminders_sent(database_url: str) -> dict[str, int]:
    db = await open_postgres(database_url)
    try:
        return {row["status"]: row["n"] for row in await db.read(
            "SELECT status, count(*) AS n FROM reminders GROUP BY status")}
    finally:
        await db.close()


async def test_two_instances_share_the_work_and_one_takes_over_a_killed_ones_broadcast(
    server: FakeTelegram, instances: tuple[BotRunner, BotRunner],
) -> None:
    database_url = instances[0].settings["DATABASE_URL"]
    db = await open_postgres(database_url)
    try:
        await db.write_many("INSERT INTO users (id, telegram_language, first_seen, last_seen) VALUES (?, 'zh', 0, 0)",
                            [(uid,) for uid in RECIPIENTS])
    finally:
        await db.close()
    for runner in instances:
        await runner.start()
    await add_reminders(database_url, REMINDED_EARLY, int(time.time()) + 2)

    # Updates are spread between the two; the admin's conversation goes on whichever
    # instance gets the next one (its state is in Redis).
    admin = TelegramUser(server, ADMIN, "en")
    await admin.send_text("/broadcast", timeout=ANSWER_TIMEOUT)
    preview, menu = [item for item in await admin.send_text(TEXT, timeout=ANSWER_TIMEOUT) if item.kind == "message"]
    assert preview.text == TEXT
    everyone = set(RECIPIENTS) | {ADMIN}
    await admin.press(f"👥 All users ({len(everyone)})", timeout=ANSWER_TIMEOUT)
    await admin.press(f"📤 Send to {len(everyone)}", timeout=ANSWER_TIMEOUT)
    answered = Counter(post.target for post in server.posts if post.status == 200)
    assert set(answered) == set(server.webhook_targets) and set(answered.values()) == {2}
    for runner in instances:
        _, text = await get(f"http://{runner.settings['WEBHOOK_LISTEN']}/metrics")
        assert metric(text, 'bot_updates_total{type="message"}') + metric(
            text, 'bot_updates_total{type="callback_query"}') == 2

    # The instance that took the confirmation started the job; it dies mid-broadcast, with
    # claims in flight, while the other one sends too.
    started_it = server.webhook_targets.index(server.posts[-1].target)
    killed, survivor = instances[started_it], instances[1 - started_it]
    await server.wait_for(lambda: all(others(server, uid) for uid in REMINDED_EARLY), 30, "the early reminders")
    await server.wait_for(lambda: sum(copies(server).values()) >= 80, 30, "80 copies")
    # Two users write, and the replies are slow: the balancer gives one update to each
    # instance, so each has one in hand when the one is killed.
    server.inject("sendMessage", Fault(delay=3, times=2))
    writers = [TelegramUser(server, 800 + n, "en") for n in range(2)]
    for writer in writers:
        server.push(server.api.user_message(writer.user, "/start"))
    writing = {str(writer.id) for writer in writers}
    await server.wait_for(lambda: writing <= {call.params.get("chat_id") for call in server.calls_of("sendMessage")},
                          30, "both replies under way")
    await killed.kill()
    assert sum(copies(server).values()) < len(everyone), "the broadcast ended before the kill"
    # A reminder set on the dead instance, due in a second: the survivor sends it.
    await add_reminders(database_url, REMINDED_LATE, int(time.time()) + 1)

    status = lambda: server.api.messages[(ADMIN, menu.message_id)]["text"]
    finished = "Broadcast #1 to all users: finished"
    await server.wait_for(lambda: status().startswith(finished), 60, "the broadcast to finish")
    assert status() == f"{finished}\nSent: {len(everyone)} of {len(everyone)}\nBlocked the bot: 0\nFailed: 0"
    received = copies(server)
    assert set(received) == everyone  # nobody left out
    duplicates = sum(received.values()) - len(everyone) - 1  # the admin's preview is one
    assert 0 <= duplicates <= CONCURRENCY
    assert "Took over" in survivor.log() and "claimed by a stopped instance" in survivor.log()

    # Updates go on: a post to the dead instance fails, and the balancer gives it to the other.
    late_user = TelegramUser(server, 700, "en")
    for _ in range(2):
        assert [item for item in await late_user.send_text("/start", timeout=ANSWER_TIMEOUT) if item.kind == "message"]
    assert any(post.target == server.webhook_targets[started_it] and post.status == 0 for post in server.posts)

    # The killed one's update was posted again to the survivor, which left it to its lease
    # and then handled it: each writer has one answer.
    await server.wait_for(lambda: all(messages(writer.seen()) for writer in writers), 30, "the writers' answers")
    assert [len(messages(writer.seen())) for writer in writers] == [1, 1]
    assert "Handling again 1 updates whose instance stopped with them in hand" in survivor.log()

    await server.wait_for(lambda: all(others(server, uid) for uid in REMINDED_LATE), 30, "the late reminders")
    assert await reminders_sent(database_url) == {"sent": len(REMINDED_EARLY) + len(REMINDED_LATE)}
    for user_id in (*REMINDED_EARLY, *REMINDED_LATE):
        assert len(others(server, user_id)) == 1, (user_id, others(server, user_id))
    await survivor.stop()
