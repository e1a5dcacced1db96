"""Benchmark the question matcher: index build time and per-question latency.

Run from the worktree root: ``python bench/qa.py [rounds]``.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # runnable as a plain script from the worktree root

from flows.qa import build_index, load_match_material, load_off_topic_material, match  # noqa: E402

TARGET_MS = 5.0


def main(rounds: int = 50) -> None:
    eval_set = json.loads((ROOT / "tests" / "data" / "qa_eval.json").read_text("utf-8"))
    texts = [q["text"] for q in (*eval_set["questions"], *eval_set["off_topic"])]

    started = time.perf_counter()
    load_match_material()
    load_off_topic_material()
    load_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    index = build_index()
    build_ms = (time.perf_counter() - started) * 1000

    for text in texts:  # warm-up
        match(index, text)
    timings: list[float] = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            match(index, text)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    mean = statistics.fmean(timings)
    load = os.getloadavg()[0]  # other processes on a 2-core box inflate p99, so show it
    print(f"entries: {len(index.entry_ids) - 1}, questions: {len(texts)}, rounds: {rounds}, "
          f"cpus: {os.cpu_count()}, load average: {load:.2f}")
    print(f"load JSON: {load_ms:.1f} ms, build index: {build_ms:.1f} ms")
    print(f"match: mean {mean:.3f} ms, p50 {timings[len(timings) // 2]:.3f} ms, "
          f"p99 {p99:.3f} ms, max {timings[-1]:.3f} ms (target < {TARGET_MS} ms)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
