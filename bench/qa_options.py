"""Ways to cut confident wrong answers, side by side with the shipped reader, on the figures
``bench/qa_cv.py`` chooses by (5-fold cross-validation over the examples, then the tuning set).

Run from the worktree root: ``python bench/qa_options.py [option ...]`` (all by default; about
a minute each, calibration three). Each option is measured at several margins, since a wider
margin alone already trades right answers for wrong ones; an option helps only if it does
better than that curve. The options:

- ``agree-cnb`` / ``agree-word`` / ``agree-char``: a second, different model must name the same
  answer when the margin is below 0.8: complement naive Bayes over the same n-grams, a linear
  SVM over words and word pairs, or one over plain character n-grams of 2-4 (across words);
  ``agree-word-latin``: the word model, asked only about texts without Chinese;
- ``calibrated``: CalibratedClassifierCV (Platt scaling, 3 folds) over the same SVM, the
  margin taken between log-probabilities;
- ``pairs``: the margin 0.2 wider against the partner of a pair that cross-validation confuses
  most (representative / documents, hotline / from abroad, before bank / apps...);
- ``c0.5`` / ``c2``: the SVM's C.
"""

import dataclasses
import sys
from pathlib import Path

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.naive_bayes import ComplementNB
from sklearn.svm import LinearSVC

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # runnable as a plain script from the worktree root
sys.path.insert(0, str(ROOT / "bench"))

import qa_cv

from flows import qa

AGREE_BELOW = 0.8
PAIR_EXTRA = 0.2
# The pairs cross-validation confused most in the second round, less those that have since
# become one topic each (balance / refund time / refund from abroad, in person / store,
# representative / power of attorney from abroad, leaving soon / before cancelling / changing
# the number in apps, 保号卡 / keeping a number from abroad, why blocked / a foreigner's number
# blocked / getting the number back, someone else's passport / a seller's SIM).
CONFUSED_PAIRS = {frozenset(pair) for pair in (
    ("cancel_representative", "cancel_documents"),
    ("hotline_abroad", "contacts"), ("before_bank", "before_checklist"),
    ("foreigners_2025", "sim_blocked"), ("self_ban", "cancel_other_passport"),
    ("cancel_other_passport", "cancel_in_person"), ("throw_away", "lapse_do_nothing"),
    ("after_confirm", "cancel_documents"), ("sell_sim", "scam_middlemen"))}
# (zh, without Chinese, story) margins: the shipped ones (with a story's margin of 0.45, as
# before the second round of examples), then one step either side.
MARGINS = ((0.3, 0.35, 0.4), (0.35, 0.4, 0.45), (0.4, 0.45, 0.5))
SECOND_MODELS = {
    "agree-cnb": lambda: (TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), min_df=2, sublinear_tf=True),
                          ComplementNB(alpha=0.3)),
    "agree-word": lambda: (TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                           token_pattern=r"(?u)\b\w+\b"), LinearSVC(random_state=0)),
    "agree-char": lambda: (TfidfVectorizer(analyzer="char", ngram_range=(2, 4), min_df=2, sublinear_tf=True),
                           LinearSVC(random_state=0)),
}


class _Row(list):
    """One text's decision values, with the second model's choice."""

    second: int


def _with_second_model(make, chinese_too: bool = True):
    seconds = {}
    train, decisions, score = qa._train, qa._decisions, qa._score

    def second_train(reader, entry_ids, material, off_topic):
        model = train(reader, entry_ids, material, off_topic)
        texts, labels = [], []
        for position, entry_id in enumerate(model.entry_ids):
            source = off_topic if entry_id == qa._OFF_TOPIC_ID else material.get(entry_id, {})
            for lang_material in source.values():
                for text in (*lang_material.examples, *lang_material.keywords):
                    texts.append(qa._model_text(qa._cut_operators(reader, qa.fold(text, reader.traditional))))
                    labels.append(position)
        vectorizer, classifier = make()
        classifier.fit(vectorizer.fit_transform(texts), labels)
        seconds[id(model.classifier)] = (vectorizer, classifier)
        return model

    def second_decisions(index, cuts):
        vectorizer, classifier = seconds[id(index.model.classifier)]
        chosen = classifier.predict(vectorizer.transform([qa._model_text(c, index.model.correct) for c in cuts]))
        rows = []
        for values, second, cut in zip(decisions(index, cuts), chosen, cuts, strict=True):
            row = _Row(values)
            row.second = int(second)
            if not chinese_too and qa._CJK_RE.search(cut):
                row.second = -1  # not asked
            rows.append(row)
        return rows

    def agreeing_score(index, values, threshold, details):
        scores = score(index, values, threshold, details)
        if not scores.confident or scores.margin >= AGREE_BELOW or values.second < 0:
            return scores
        ids = index.model.entry_ids
        best = max(range(len(values) - 1), key=values.__getitem__)
        if qa.refine(ids[values.second], details) != qa.refine(ids[best], details):
            return dataclasses.replace(scores, confident=False)
        return scores

    qa._train, qa._decisions, qa._score = second_train, second_decisions, agreeing_score


class _Calibrated:
    """The shipped SVM under Platt scaling; log-probabilities stand for decision values."""

    def __init__(self, C: float, random_state: int) -> None:
        self.model = CalibratedClassifierCV(LinearSVC(C=C, random_state=random_state), cv=3, method="sigmoid")

    def fit(self, features, labels):
        self.model.fit(features, labels)
        self.classes_ = self.model.classes_
        return self

    def decision_function(self, features):
        return np.log(np.clip(self.model.predict_proba(features), 1e-9, 1.0))


def _with_pair_margins():
    score = qa._score

    def pair_score(index, values, threshold, details):
        scores = score(index, values, threshold, details)
        if not scores.confident:
            return scores
        ids = index.model.entry_ids
        best = max(range(len(values) - 1), key=values.__getitem__)
        answer = qa.refine(ids[best], details)
        for i in range(len(values) - 1):
            if (i != best and frozenset((ids[best], ids[i])) in CONFUSED_PAIRS
                    and qa.refine(ids[i], details) != answer and values[best] - values[i] < threshold + PAIR_EXTRA):
                return dataclasses.replace(scores, confident=False)
        return scores

    qa._score = pair_score


def _set_c(value: float):
    def apply():
        qa._SVM_C = value
    return apply


OPTIONS = {
    "shipped": lambda: None,
    **{name: (lambda make=make: _with_second_model(make)) for name, make in SECOND_MODELS.items()},
    "agree-word-latin": lambda: _with_second_model(SECOND_MODELS["agree-word"], chinese_too=False),
    "calibrated": lambda: setattr(qa, "LinearSVC", _Calibrated),
    "pairs": _with_pair_margins,
    "c0.5": _set_c(0.5),
    "c2": _set_c(2.0),
}


def _with_margins(index, margins):
    if margins is None:
        return index
    zh, words, story = margins
    return dataclasses.replace(index, threshold=zh, word_threshold=words, story_threshold=story)


def main(names: list[str]) -> None:
    qa_cv._with_margin = _with_margins
    saved = (qa._train, qa._decisions, qa._score, qa.LinearSVC, qa._SVM_C)
    for name in names or OPTIONS:
        OPTIONS[name]()
        qa._bundled_model.cache_clear()
        # Log-probabilities are on another scale than SVM decision values.
        margins = ((1.0, 1.0, 1.1), (1.5, 1.5, 1.6), (2.0, 2.0, 2.1)) if name == "calibrated" else MARGINS
        tallies = qa_cv.cross_validate(list(margins))
        index = qa.build_index()
        for margin in margins:
            print(f"{name} {'/'.join(map(str, margin))}: cv {tallies[margin]}  "
                  f"tuning {qa_cv.tuning(_with_margins(index, margin))}", flush=True)
        qa._train, qa._decisions, qa._score, qa.LinearSVC, qa._SVM_C = saved


if __name__ == "__main__":
    main(sys.argv[1:])
