"""Scoring typed questions as users meet them, shared by tests/test_qa.py and bench/qa.py.

A question counts as right only when it is answered confidently with an intent its
"expects" phrase was mapped to (tests/data/qa_heldout_intents.json); a fallback is not
right, and a confident answer with another intent is "confident wrong". Greetings and
thanks are right when the reply is the small-talk one; a question whose phrase no topic
answers (mapped to []) is right when it gets the honest fallback. Off-topic questions must
not be answered confidently.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from flows.qa import Kind, QAIndex, match

DATA = Path(__file__).parent / "data"
HELDOUT_SETS = {name: DATA / f"qa_heldout_{name.lower()}.json" for name in [*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", "AA", "AB", "AC", "AD", "AE", "AF", "AG", "AH", "AI", "AJ", "AK", "AL", "AM", "AN", "AO", "AP", "AQ", "AR", "AS", "AT", "AU", "AV", "AW", "AX", "AY", "AZ", "BA", "BB", "BC", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BK", "BL", "BM", "BN", "BO", "BP", "BQ", "BR", "BS", "BT", "BU", "BV", "BW", "BX", "BY", "BZ", "CA", "CB", "CC", "CD", "DA", "DB", "DC", "DD"]}
SMALL_TALK = {"__greeting__": Kind.GREETING, "__thanks__": Kind.THANKS}


@dataclass(frozen=True)
class Figures:
    right: Counter[str]  # per language, on-topic questions answered confidently and correctly
    total: Counter[str]  # per language, on-topic questions
    confident_wrong: int
    off_topic_answered: int
    off_topic: int
    operator_right: int  # questions naming an operator whose operator was read
    operator_named: int
    misses: tuple[str, ...]

    def share(self, lang: str) -> float:
        return self.right[lang] / self.total[lang]

    @property
    def wrong_share(self) -> float:
        return self.confident_wrong / sum(self.total.values())

    @property
    def off_topic_share(self) -> float:
        return self.off_topic_answered / self.off_topic


def load_items(name: str) -> list[dict]:
    return json.loads(HELDOUT_SETS[name].read_text("utf-8"))["items"]


def load_intents(name: str) -> dict[str, list[str]]:
    """The expects->intents mapping for set ``name``: the shared one, then the set's own
    (a set whose writer mapped a shared phrase differently keeps its writer's reading)."""
    mapping = json.loads((DATA / "qa_heldout_intents.json").read_text("utf-8"))
    mapping.pop("_note")
    mapping.update(json.loads(HELDOUT_SETS[name].read_text("utf-8")).get("intents", {}))
    return mapping


def score(index: QAIndex, items: list[dict], intents: dict[str, list[str]]) -> Figures:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    wrong = off_answered = off_total = op_right = op_named = 0
    misses = []
    for item in items:
        result = match(index, item["text"])
        if item["operator"] and not item["off_topic"]:
            op_named += 1
            op_right += result.details.operator == item["operator"]
        if item["off_topic"]:
            off_total += 1
            off_answered += result.confident
            if result.confident:
                misses.append(f"OFF-TOPIC ANSWERED [{item['id']}] {item['text']!r} -> {result.entry_id}")
            continue
        accepted = intents[item["expects"]]
        total[item["lang"]] += 1
        talk = [SMALL_TALK[a] for a in accepted if a in SMALL_TALK]
        if talk:
            ok = result.kind in talk
        elif not accepted:  # a question no topic answers: the honest fallback is the right reply
            ok = not result.confident
        else:
            ok = result.confident and result.entry_id in accepted
        right[item["lang"]] += ok
        if result.confident and not ok:
            wrong += 1
        if not ok:
            label = "WRONG" if result.confident else "miss"
            misses.append(f"{label} [{item['id']}] {item['text'][:120]!r} -> {result.entry_id or result.kind}"
                          f" {[(s.entry_id, s.score) for s in result.closest]} want {accepted}")
    return Figures(right, total, wrong, off_answered, off_total, op_right, op_named, tuple(misses))
