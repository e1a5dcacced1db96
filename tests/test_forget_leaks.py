"""/forget leaves nothing that identifies the user in the database files, and an admin's
/forget does not take other people's broadcast with it."""


from __future__ import annotations

from pathlib import Path

import pytest

from bot.repositories.broadcasts import BroadcastsRepository
from bot.repositories.users import UsersRepository
from flows.admin import Audience
from flows.checklist import item_ids
from tests.conftest import Harness

# Each test runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.engines

# An id whose 6-byte big-endian form (how SQLite stores it) occurs nowhere by chance.
VICTIM = 0x7A3B5C1D9E2F


def occurrences(folder: Path, needle: bytes) -> dict[str, int]:
    return {file.name: file.read_bytes().count(needle) for file in folder.iterdir()
            if file.name.startswith("bot.sqlite3") and file.read_bytes().count(needle)}


@pytest.mark.sqlite_only  # reads the SQLite file and its log byte by byte
async def test_forget_leaves_no_trace_of_the_id_in_the_file_or_its_log(harness: Harness) -> None:
    chat = harness.user(VICTIM, "en")
    await chat.send("/start")
    await chat.press("🌐 Language")
    await chat.press("Русский")
    await chat.send("/forget")
    folder = harness.settings.database_path.parent
    needle = VICTIM.to_bytes(6, "big")
    assert occurrences(folder, needle), "the test's id should be in the files before /forget"

    await chat.press("🗑 Да, удалить всё")
    assert occurrences(folder, needle) == {}


async def test_an_admins_forget_keeps_their_broadcast_to_other_people(harness: Harness) -> None:
    for user_id in (11, 12, 13):
        await harness.user(user_id, "en").send("/start")
    db = harness.db
    broadcasts = BroadcastsRepository(db, "en", item_ids())
    running = await broadcasts.create(11, 11, 5, Audience("all"), 11, 6)
    ended = await broadcasts.create(11, 11, 7, Audience("all"), 11, 8)
    await db.write("UPDATE broadcasts SET status = 'finished' WHERE id = ?", (ended.id,))

    await UsersRepository(db).forget(11)

    rows = await db.read("SELECT id, user_id, from_chat_id, status_chat_id FROM broadcasts ORDER BY id")
    assert [tuple(row) for row in rows] == [(running.id, 11, 11, 11), (ended.id, 0, 0, 0)]
    recipients = await db.read("SELECT user_id FROM broadcast_recipients WHERE broadcast_id = ? ORDER BY user_id",
                               (running.id,))
    # The admin's own copy is theirs to forget; the others still get theirs.
    assert [row["user_id"] for row in recipients] == [12, 13]
    assert await UsersRepository(db).get(11) is None
