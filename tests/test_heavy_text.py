"""Long texts: the question at the end of a wall of text is still seen, matching never holds
the event loop, and what matching reads is bounded."""

from __future__ import annotations

import threading

import bot.routers.questions as questions_router
from flows.qa import MatchResult, QAIndex, match
from tests.conftest import Harness
from tests.test_questions_flow import heading

STORY = "Я приехал в Москву давно и жил там много лет, работал и учился. " * 60  # ~3,900 chars


async def test_a_question_after_a_long_story_is_answered(harness: Harness, gettext) -> None:
    chat = harness.user(language_code="ru")
    text = STORY + " Какой номер горячей линии у теле2?"
    assert len(text) > 3800
    shown = await chat.send(text)
    assert heading(gettext, "contacts", "ru") in shown[0].text, shown[0].text


async def test_matching_a_long_text_leaves_the_event_loop_free(harness: Harness, monkeypatch) -> None:
    # Unknown Cyrillic words are the slowest case: each is checked for typos. Whether the loop
    # stays free is a question of where matching runs, not of how fast this machine is: the
    # real matcher is watched for the thread it runs in.
    words = " ".join("щзыфвакр"[i % 8:] + "йцукенгш"[: i % 8] for i in range(500))
    threads: list[int] = []

    def watched(index: QAIndex, text: str) -> MatchResult:
        threads.append(threading.get_ident())
        return match(index, text)

    monkeypatch.setattr(questions_router, "match", watched)
    shown = await harness.user(language_code="ru").send(words[:4000])
    assert shown, "the long text got no reply"
    assert threads and threading.get_ident() not in threads
