"""Choose the question reader's model and thresholds without looking at the held-out sets.

Run from the worktree root: ``python bench/qa_cv.py [variant ...]``. For each variant it
prints "answered confidently with the right intent" / "confident wrong" on

- 5-fold cross-validation over the example questions: each fifth of every intent's examples
  (and of the off-topic examples) is held out in turn, the index is built from the rest
  (keywords always kept) and the held-out examples are matched; an off-topic example answered
  confidently counts as wrong;
- the tuning set, tests/data/qa_eval.json, with the index built from all the material.

A right answer is the example's own intent, or the one its details refine it to.
"""

import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # runnable as a plain script from the worktree root

import flows.qa as qa  # noqa: E402
from flows.qa import LANGUAGES, LanguageMaterial, MatchResult, QAIndex, build_index, match, refine  # noqa: E402
from tests.heldout import score  # noqa: E402

FOLDS = 5
OFF = "__off_topic__"
Builder = Callable[..., QAIndex]


def _split(material: LanguageMaterial, fold: int) -> tuple[LanguageMaterial, list[str]]:
    kept = tuple(t for n, t in enumerate(material.examples) if n % FOLDS != fold)
    held = [t for n, t in enumerate(material.examples) if n % FOLDS == fold]
    return LanguageMaterial(kept, material.keywords), held


def _is_right(result: MatchResult, expected: str) -> bool:
    return result.confident and result.entry_id in (expected, refine(expected, result.details))


class Tally:
    def __init__(self) -> None:
        self.right: Counter[str] = Counter()
        self.total: Counter[str] = Counter()
        self.wrong = 0

    def add(self, lang: str, result: MatchResult, expected: str | None) -> None:
        self.total[lang] += 1
        if expected is None:
            self.wrong += result.confident
        elif _is_right(result, expected):
            self.right[lang] += 1
        else:
            self.wrong += result.confident

    def __str__(self) -> str:
        total = sum(self.total.values())
        langs = " ".join(f"{lang} {self.right[lang] / max(1, self.total[lang]):.1%}" for lang in LANGUAGES)
        return f"{sum(self.right.values()) / total:.1%}/{self.wrong / total:.1%} ({langs})"


def cross_validate(builder: Builder) -> Tally:
    material = qa.load_match_material()
    off_topic = qa.load_off_topic_material()
    tally = Tally()
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
        index = builder(material=train, off_topic=train_off)
        for lang, text, expected in held:
            tally.add(lang, match(index, text), expected)
    return tally


def tuning(builder: Builder) -> str:
    """Scored as tests/test_qa.py scores it (greetings and thanks count as small talk)."""
    eval_set = json.loads((ROOT / "tests" / "data" / "qa_eval.json").read_text("utf-8"))
    items = [{"id": str(n), "lang": q["lang"], "text": q["text"], "expects": q["expected"], "operator": None,
              "off_topic": False} for n, q in enumerate(eval_set["questions"])]
    items += [{"id": f"off{n}", "lang": q["lang"], "text": q["text"], "expects": "", "operator": None,
               "off_topic": True} for n, q in enumerate(eval_set["off_topic"])]
    figures = score(builder(), items, {q["expected"]: [q["expected"]] for q in eval_set["questions"]})
    right = sum(figures.right.values()) / sum(figures.total.values())
    langs = " ".join(f"{lang} {figures.share(lang):.1%}" for lang in LANGUAGES)
    return f"{right:.1%}/{figures.wrong_share:.1%} ({langs}) off-topic answered {figures.off_topic_answered}"


def report(name: str, builder: Builder) -> None:
    started = time.perf_counter()
    cv = cross_validate(builder)
    tune = tuning(builder)
    print(f"{name:28} cv {cv}  tuning {tune}  [{time.perf_counter() - started:.0f} s]", flush=True)
    if HELDOUT:
        from tests.heldout import HELDOUT_SETS, load_intents, load_items
        index = builder()
        for set_name in HELDOUT_SETS:
            f = score(index, load_items(set_name), load_intents())
            print(f"    set {set_name}: " + " ".join(f"{lang} {f.share(lang):.1%}" for lang in LANGUAGES)
                  + f", wrong {f.wrong_share:.1%}, off-topic answered {f.off_topic_answered}/{f.off_topic}", flush=True)


HELDOUT = False


MODELS: dict[int, tuple] = {}


def linear(model: str, c: float, mode: str, agree: bool = False, **thresholds: float) -> Builder:
    """A linear model trained on the index's own example vectors; ``mode`` "vote" puts it in
    naive Bayes's place, "alone" lets its probability (or margin) decide."""
    import numpy as np
    from scipy.sparse import csr_matrix

    def build(**kw) -> QAIndex:
        index = build_index(**kw, **thresholds)
        features = {f: n for n, f in enumerate(index.example_postings)}
        rows, cols, vals = [], [], []
        for f, postings in index.example_postings.items():
            for example, w in postings:
                rows.append(example)
                cols.append(features[f])
                vals.append(w)
        x = csr_matrix((vals, (rows, cols)), shape=(len(index.example_entry), len(features)))
        y = np.array(index.example_entry)
        started = time.perf_counter()
        if model == "lr":
            from sklearn.linear_model import LogisticRegression
            clf = LogisticRegression(C=c, max_iter=300).fit(x, y)
        else:
            from sklearn.svm import LinearSVC
            clf = LinearSVC(C=c).fit(x, y)
        TRAIN_TIMES.append(time.perf_counter() - started)
        coef = clf.coef_
        postings = {f: [(int(k), float(coef[k, n])) for k in np.nonzero(coef[:, n])[0]]
                    for f, n in features.items()}
        MODELS[id(index)] = (mode, model, [int(k) for k in clf.classes_], postings, [float(b) for b in clf.intercept_], agree)
        return index

    return build


TRAIN_TIMES: list[float] = []


def tfidf(c: float, agree: bool = False, ngrams: tuple[int, int] = (1, 4), min_df: int = 1, **thresholds: float) -> Builder:
    """LinearSVC on scikit-learn's TfidfVectorizer (char_wb n-grams) over the folded texts."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    def build(material=None, off_topic=None) -> QAIndex:
        index = build_index(material=material, off_topic=off_topic, **thresholds)
        material = dict(qa.load_match_material() if material is None else material)
        material[OFF] = qa.load_off_topic_material() if off_topic is None else off_topic
        texts, labels = [], []
        for position, entry_id in enumerate(index.entry_ids):
            for m in material.get(entry_id, {}).values():
                for text in (*m.examples, *m.keywords):
                    cut = qa._cut_operators(index.reader, qa.fold(text, index.reader.traditional))
                    texts.append(cut.replace(qa._OPERATOR_MARK, " "))
                    labels.append(position)
        started = time.perf_counter()
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=ngrams, sublinear_tf=True, min_df=min_df)
        x = vectorizer.fit_transform(texts)
        clf = LinearSVC(C=c).fit(x, labels)
        TRAIN_TIMES.append(time.perf_counter() - started)
        MODELS[id(index)] = ("alone", "tfidf", vectorizer, clf, [int(k) for k in clf.classes_], agree)
        return index

    return build


def _linear_scores(spec: tuple, features: dict) -> list[float]:
    postings, intercept = spec[3], spec[4]
    scores = list(intercept)
    for f, x in features.items():
        for k, w in postings.get(f, ()):
            scores[k] += x * w
    return scores


def _patch() -> None:
    import math
    original_vote, original_score = qa._vote, qa._score

    def vote(index, features):
        spec = MODELS.get(id(index))
        if spec is None or spec[1] == "tfidf":
            return original_vote(index, features)
        weighted = qa._weigh(Counter(features), index.idf, index.unknown_idf)
        scores = _linear_scores(spec, weighted)
        return spec[2][max(range(len(scores)), key=scores.__getitem__)]

    def score_alone(index, cut, correct, threshold, details):
        spec = MODELS.get(id(index))
        if spec is None or spec[0] != "alone":
            return original_score(index, cut, correct, threshold, details)
        features = qa._features(cut, correct)
        query = qa._weigh(features, index.idf, index.unknown_idf)
        if not query:
            return None
        if spec[1] == "tfidf":
            raw = [float(v) for v in spec[3].decision_function(spec[2].transform([cut.replace(qa._OPERATOR_MARK, " ")]))[0]]
            spec = (spec[0], "svm", spec[4], None, None, spec[5])
        else:
            raw = _linear_scores(spec, query)
        if spec[1] == "lr":
            top = max(raw)
            exp = [math.exp(v - top) for v in raw]
            total = sum(exp)
            values = [v / total for v in exp]
        else:
            values = raw
        by_entry = [0.0] * len(index.entry_ids)
        for k, v in zip(spec[2], values):
            by_entry[k] = v
        off = by_entry.pop()
        ranked = sorted(range(len(by_entry)), key=by_entry.__getitem__, reverse=True)[:qa.FALLBACK_SIZE]
        best, runner = by_entry[ranked[0]], by_entry[ranked[1]]
        margin = best - max(runner, off)
        confident = best > off and (best >= threshold if spec[1] == "lr" else margin >= threshold)
        sure = confident and best >= 0.9
        if confident and spec[5] and not (margin >= 2 * threshold):
            cos = original_score(index, cut, correct, 0.0, details)
            top = cos.closest[0].entry_id if cos else None
            confident = top is not None and (top == index.entry_ids[ranked[0]] or qa.refine(top, details) == qa.refine(index.entry_ids[ranked[0]], details))
        closest = tuple(qa.Scored(index.entry_ids[i], round(by_entry[i], 4)) for i in ranked)
        return qa._Scores(closest, confident, off >= best, sure)

    qa._vote, qa._score = vote, score_alone


_patch()
VARIANTS: dict[str, Builder] = {
    **{f"svm-alone C={c} m{m}{' agree' if a else ''}": linear("svm", c, "alone", a, threshold=m, word_threshold=m, story_threshold=m + 0.1)
       for c in (0.5, 1, 2) for m in (0.2, 0.3, 0.4, 0.5) for a in (False, True)},
    **{f"tfidf C={c} m{m}{' agree' if a else ''}": tfidf(c, a, threshold=m, word_threshold=m, story_threshold=m + 0.1)
       for c in (0.5, 1) for m in (0.2, 0.3, 0.35, 0.4, 0.5) for a in (False, True)},
    **{f"tfidf2 C={c} m{m}": tfidf(c, min_df=2, threshold=m, word_threshold=m, story_threshold=m + 0.1)
       for c in (0.5, 1) for m in (0.3, 0.35, 0.4)},
    "shipped": build_index,
    "lr-vote C=10": linear("lr", 10, "vote"),
    "svm-vote C=1": linear("svm", 1, "vote"),
    "lr-alone C=10 p.5": linear("lr", 10, "alone", threshold=0.5, word_threshold=0.5, story_threshold=0.6),
    "svm-alone C=1 m.3": linear("svm", 1, "alone", threshold=0.3, word_threshold=0.3, story_threshold=0.4),
}


def main(names: list[str]) -> None:
    global HELDOUT
    if names and names[0] == "--heldout":
        HELDOUT, names = True, names[1:]
    for name in names or list(VARIANTS):
        report(name, VARIANTS[name])
        if TRAIN_TIMES:
            print(f"  training: max {max(TRAIN_TIMES):.2f} s")
            TRAIN_TIMES.clear()


if __name__ == "__main__":
    main(sys.argv[1:])
