"""Votes and unanswered questions in SQLite (migration 0005)."""

import pytest

from bot.db import Database
from bot.repositories.questions import QuestionsRepository, UnansweredQuestion
from bot.repositories.users import UsersRepository

# Each test runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.engines


async def votes(db: Database) -> list[tuple[int, int, str, int]]:
    """Every stored vote: (user, answer message, entry, helpful)."""
    rows = await db.read("SELECT user_id, message_id, entry_id, helpful FROM question_votes"
                         " ORDER BY user_id, message_id")
    return [tuple(row) for row in rows]


async def test_a_vote_counts_once_per_answer_message_and_can_change(db: Database) -> None:
    questions = QuestionsRepository(db)
    assert await questions.vote(7, 10, "op_mts", True, now=100) is True
    assert await votes(db) == [(7, 10, "op_mts", 1)]
    assert await questions.vote(7, 10, "op_mts", True, now=110) is False  # the same vote again
    assert await questions.vote(7, 10, "op_mts", False, now=120) is True  # changed
    rows = await db.read("SELECT user_id, message_id, entry_id, helpful, voted_at FROM question_votes")
    assert [tuple(row) for row in rows] == [(7, 10, "op_mts", 0, 120)]


async def test_votes_are_kept_per_answer_message(db: Database) -> None:
    questions = QuestionsRepository(db)
    await questions.vote(7, 10, "op_mts", True)
    await questions.vote(7, 12, "op_mts", False)  # another answer message of the same entry
    await questions.vote(8, 10, "op_mts", True)  # message ids are per chat: another user's answer
    await questions.vote(8, 14, "money_debt", False)
    await questions.vote(8, 14, "money_debt", False)
    assert await votes(db) == [(7, 10, "op_mts", 1), (7, 12, "op_mts", 0), (8, 10, "op_mts", 1),
                               (8, 14, "money_debt", 0)]


async def test_top_unanswered_groups_and_orders_by_frequency(db: Database) -> None:
    questions = QuestionsRepository(db)
    for text, now in [("weather?", 100), ("pizza", 200), ("weather?", 300), ("taxi", 400),
                      ("pizza", 150), ("weather?", 50)]:
        await questions.record_unanswered(text, now=now)
    assert await questions.top_unanswered(2) == [
        UnansweredQuestion("weather?", 3, 300),
        UnansweredQuestion("pizza", 2, 200),
    ]
    assert [q.text for q in await questions.top_unanswered(10)] == ["weather?", "pizza", "taxi"]
    assert await QuestionsRepository(db).top_unanswered(0) == []


@pytest.mark.sqlite_only  # the same columns on PostgreSQL: tests/test_postgres.py compares the schemas
async def test_unanswered_questions_hold_no_user_id(db: Database) -> None:
    columns = {row["name"] for row in await db.read("SELECT name FROM pragma_table_info('unanswered_questions')")}
    assert columns == {"id", "text", "asked_at"}


async def test_forget_deletes_votes_but_cannot_find_anonymous_questions(db: Database) -> None:
    users, questions = UsersRepository(db), QuestionsRepository(db)
    await users.touch(7, "en")
    await questions.vote(7, 10, "op_mts", True)
    await questions.vote(8, 10, "op_mts", False)
    await questions.record_unanswered("weather?")
    await users.forget(7)
    assert await votes(db) == [(8, 10, "op_mts", 0)]
    assert len(await questions.top_unanswered()) == 1
