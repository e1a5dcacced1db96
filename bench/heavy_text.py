"""Heavy text against the event loop: 4,000-character messages of the slowest kinds (unknown
Cyrillic and Latin words, each checked for typos; Chinese; a question after a long story),
matched the way the questions handler does it (flows.qa.match in a
worker thread), while a ticker measures the longest time the event loop was held.

    python bench/heavy_text.py [--rounds 20]

Prints the matching time per message (CPU spent in the thread) and the event loop's worst
hold (target: a few milliseconds).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flows.qa import build_index, match

TICK = 0.001


def texts() -> dict[str, str]:
    rng = random.Random(1)

    def words(alphabet: str) -> str:
        return " ".join("".join(rng.choice(alphabet) for _ in range(8)) for _ in range(500))[:4000]

    story = ("Я приехал в Москву давно и жил там много лет, работал и учился. " * 70)[:3950]
    return {
        "unknown Cyrillic words": words("абвгдежзийклмнопрстуфхцчшщыэюя"),
        "unknown Latin words": words(string.ascii_lowercase),
        "Chinese": "".join(rng.choice("的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得") for _ in range(4000)),
        "a story, then the question": story + " номер горячей линии теле2?",
    }


async def measure(rounds: int) -> None:
    index = build_index()
    for name, text in texts().items():
        match_ms: list[float] = []
        holds: list[float] = []
        for _ in range(rounds):
            done = asyncio.Event()

            async def ticker(done: asyncio.Event, holds: list[float]) -> None:
                # Asks to wake every millisecond; how late it wakes is how long the loop was held.
                while not done.is_set():
                    asked = time.perf_counter()
                    await asyncio.sleep(TICK)
                    holds.append(time.perf_counter() - asked - TICK)

            ticking = asyncio.create_task(ticker(done, holds))
            began = time.perf_counter()
            await asyncio.to_thread(match, index, text)
            match_ms.append((time.perf_counter() - began) * 1000)
            done.set()
            await ticking
        print(f"{name:28} match {max(match_ms):6.1f} ms (worst of {rounds}); "
              f"event loop held at most {max(holds) * 1000:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    asyncio.run(measure(parser.parse_args().rounds))


if __name__ == "__main__":
    main()
