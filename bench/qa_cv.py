"""Choose the question reader's thresholds without looking at the held-out sets.

Run from the worktree root: ``python bench/qa_cv.py [margin ...]``. For the shipped
thresholds, then for each margin (the threshold of a short question with or without Chinese;
a story's is 0.1 higher) it prints "answered confidently with the right intent" / "confident
wrong", over all languages and per language, on

- 5-fold cross-validation over the example questions: each fifth of every intent's examples
  (and of the off-topic examples) is held out in turn, the model is trained on the rest
  (keywords always kept) and the held-out examples are matched; an off-topic example answered
  confidently counts as wrong; a right answer is the example's own intent, or the one its
  details refine it to;
- the tuning set, tests/data/qa_eval.json, scored as tests/test_qa.py scores it.

With ``--heldout`` first it also prints the held-out figures of each margin: for the record,
never for choosing.
"""

import dataclasses
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # runnable as a plain script from the worktree root

from flows.qa import (
    LANGUAGES,
    LanguageMaterial,
    MatchResult,
    QAIndex,
    build_index,
    load_match_material,
    load_off_topic_material,
    match,
    refine,
)
from tests.heldout import HELDOUT_SETS, load_intents, load_items, score

FOLDS = 5
MARGINS = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
STORY_EXTRA = 0.1


def _split(material: LanguageMaterial, fold: int) -> tuple[LanguageMaterial, list[str]]:
    kept = tuple(t for n, t in enumerate(material.examples) if n % FOLDS != fold)
    held = [t for n, t in enumerate(material.examples) if n % FOLDS == fold]
    return LanguageMaterial(kept, material.keywords), held


def _with_margin(index: QAIndex, margin: float | None) -> QAIndex:
    """None: the shipped thresholds."""
    if margin is None:
        return index
    return dataclasses.replace(index, threshold=margin, word_threshold=margin, story_threshold=margin + STORY_EXTRA)


class Tally:
    def __init__(self) -> None:
        self.right: Counter[str] = Counter()
        self.total: Counter[str] = Counter()
        self.wrong_by_language: Counter[str] = Counter()

    def add(self, lang: str, result: MatchResult, expected: str | None) -> None:
        self.total[lang] += 1
        if expected is not None and result.confident and result.entry_id in (expected, refine(expected, result.details)):
            self.right[lang] += 1
        else:
            self.wrong_by_language[lang] += result.confident

    def __str__(self) -> str:
        total = sum(self.total.values())
        wrong = sum(self.wrong_by_language.values())
        langs = " ".join(f"{lang} {self.right[lang] / max(1, self.total[lang]):.1%}/"
                         f"{self.wrong_by_language[lang] / max(1, self.total[lang]):.1%}" for lang in LANGUAGES)
        return f"{sum(self.right.values()) / total:.1%}/{wrong / total:.1%} ({langs})"


def cross_validate(margins: list[float | None]) -> dict[float | None, Tally]:
    material, off_topic = load_match_material(), load_off_topic_material()
    tallies = {margin: Tally() for margin in margins}
    for fold in range(FOLDS):
        train: dict[str, dict[str, LanguageMaterial]] = {}
        held: list[tuple[str, str, str | None]] = []
        for entry_id, by_lang in material.items():
            train[entry_id] = {}
            for lang, m in by_lang.items():
                train[entry_id][lang], texts = _split(m, fold)
                held += [(lang, t, entry_id) for t in texts]
        train_off = {}
        for lang, m in off_topic.items():
            train_off[lang], texts = _split(m, fold)
            held += [(lang, t, None) for t in texts]
        index = build_index(material=train, off_topic=train_off)
        for margin in margins:
            fold_index = _with_margin(index, margin)
            for lang, text, expected in held:
                tallies[margin].add(lang, match(fold_index, text), expected)
    return tallies


def tuning(index: QAIndex) -> str:
    eval_set = json.loads((ROOT / "tests" / "data" / "qa_eval.json").read_text("utf-8"))
    items = [{"id": str(n), "lang": q["lang"], "text": q["text"], "expects": q["expected"], "operator": None,
              "off_topic": False} for n, q in enumerate(eval_set["questions"])]
    items += [{"id": f"off{n}", "lang": q["lang"], "text": q["text"], "expects": "", "operator": None,
               "off_topic": True} for n, q in enumerate(eval_set["off_topic"])]
    figures = score(index, items, {q["expected"]: [q["expected"]] for q in eval_set["questions"]})
    return _figures(figures)


def _figures(figures) -> str:
    right = sum(figures.right.values()) / sum(figures.total.values())
    langs = " ".join(f"{lang} {figures.share(lang):.1%}" for lang in LANGUAGES)
    return f"{right:.1%}/{figures.wrong_share:.1%} ({langs}), off-topic answered {figures.off_topic_answered}"


def main(args: list[str]) -> None:
    heldout = bool(args) and args[0] == "--heldout"
    margins = [None, *([float(a) for a in args[heldout:]] or MARGINS)]
    started = time.perf_counter()
    tallies = cross_validate(margins)
    index = build_index()
    print(f"5-fold cross-validation and tuning set: {time.perf_counter() - started:.0f} s")
    for margin in margins:
        margin_index = _with_margin(index, margin)
        name = "shipped" if margin is None else f"margin {margin:.2f}"
        print(f"{name}: cv {tallies[margin]}  tuning {tuning(margin_index)}", flush=True)
        if heldout:
            for name in HELDOUT_SETS:
                print(f"    set {name}: {_figures(score(margin_index, load_items(name), load_intents(name)))}")


if __name__ == "__main__":
    main(sys.argv[1:])
