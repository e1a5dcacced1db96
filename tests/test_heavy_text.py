"""Long texts: the question at the end of a wall of text is still seen, matching never holds
the event loop, and what matching reads is bounded."""

from __future__ import annotations

import asyncio
import time

from tests.conftest import Harness
from tests.test_questions_flow import heading

STORY = "Я приехал в Москву давно и жил там много лет, работал и учился. " * 60  # ~3,900 chars


async def test_a_question_after_a_long_story_is_answered(harness: Harness, gettext) -> None:
    chat = harness.user(language_code="ru")
    text = STORY + " Какой номер горячей линии у теле2?"
    assert len(text) > 3800
    shown = await chat.send(text)
    assert heading(gettext, "contacts", "ru") in shown[0].text, shown[0].text


async def test_matching_a_long_text_leaves_the_event_loop_free(harness: Harness) -> None:
    # Unknown Cyrillic words are the slowest case: each is checked for typos.
    words = " ".join("щзыфвакр"[i % 8:] + "йцукенгш"[: i % 8] for i in range(500))
    gaps: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticking = asyncio.create_task(ticker())
    await harness.user(language_code="ru").send(words[:4000])
    done.set()
    await ticking
    # The matcher runs in a thread: the loop keeps turning while it works.
    assert len(gaps) > 20, f"the event loop turned only {len(gaps)} times while a long text was matched"
