"""The question matcher: accuracy on the evaluation set, off-topic fallback, data integrity."""

import json
import time
from collections import Counter
from pathlib import Path

import pytest

from flows.knowledge import ENTRIES, MERGED_INTO, OPERATOR_TEXTS, is_valid_follow_up
from flows.operators import load_operators
from flows.qa import (
    FALLBACK_SIZE,
    LANGUAGES,
    REFINEMENTS,
    Details,
    Holder,
    Kind,
    LanguageMaterial,
    Passport,
    QAIndex,
    SimType,
    Where,
    build_index,
    build_reader,
    cyrillic,
    fold,
    load_match_material,
    load_off_topic_material,
    match,
    merge_examples,
    model_arrays,
    model_from_arrays,
    normalize,
    operator_aliases,
    read_details,
    refine,
)
from tests.heldout import HELDOUT_SETS, load_intents, load_items, score

EVAL_PATH = Path(__file__).parent / "data" / "qa_eval.json"
# Per language, measured minus a little (zh 95.9%, ru 92.1%, en 96.0%, 0.6% wrong).
MIN_ACCURACY = {"zh": 0.94, "ru": 0.90, "en": 0.94}
MAX_TUNING_WRONG = 0.02
MIN_PER_LANGUAGE = 32


@pytest.fixture(scope="module")
def index() -> QAIndex:
    return build_index()


@pytest.fixture(scope="module")
def eval_set() -> dict:
    return json.loads(EVAL_PATH.read_text("utf-8"))


def test_tuning_set_is_answered_confidently_and_correctly(index: QAIndex, eval_set: dict) -> None:
    """Counted as users meet it: only a confident answer with the right topic is right."""
    items = [{"id": str(n), "lang": q["lang"], "text": q["text"], "expects": q["expected"], "operator": None,
              "off_topic": False} for n, q in enumerate(eval_set["questions"])]
    items += [{"id": f"off{n}", "lang": q["lang"], "text": q["text"], "expects": "", "operator": None,
               "off_topic": True} for n, q in enumerate(eval_set["off_topic"])]
    identity = {q["expected"]: [q["expected"]] for q in eval_set["questions"]}
    figures = score(index, items, identity)
    print("\ntuning set, confident and correct: " + ", ".join(
        f"{lang} {figures.share(lang):.1%}" for lang in LANGUAGES) + f", wrong {figures.wrong_share:.1%}")
    print("\n".join(figures.misses))
    assert all(figures.share(lang) >= MIN_ACCURACY[lang] for lang in LANGUAGES)
    assert figures.wrong_share <= MAX_TUNING_WRONG
    assert figures.off_topic_answered == 0


# Measured with bench/qa.py on the held-out sets, minus a little, so that a change that makes
# typed questions worse fails here. Shares are "answered confidently with the right topic";
# "wrong" is the share of confident wrong answers. Every set was written blind; A-E were mapped
# to topics by their titles, F-J by their writers with the answers in view, K and on by a second
# reader with the answers in view. Each set's misses were looked at after it was measured
# sealed (each file's note gives its figures); H to AB were measured once, on the final reader
# of their round, AC and on once each, on the reader of the moment (named in the note); BC and on
# were mapped by readers told to name only topics whose answer truly answers the need. Where an answer
# changed, the phrases it could answer were mapped again in every set the same way (the note of
# tests/data/qa_heldout_intents.json says which).
HELDOUT_FLOORS = {
    # Measured: zh 86.7%, ru 80.9%, en 86.8%, 4.7% wrong, 0/26.
    "A": {"zh": 0.84, "ru": 0.78, "en": 0.84, "wrong": 0.06, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 92.4%, ru 89.4%, en 89.8%, 2.5% wrong, 0/19. Sixth round (topics for contacts on
    # the SIM and for paid subscriptions, more examples): ru 85.1%, two questions of 47 fewer.
    "B": {"zh": 0.89, "ru": 0.82, "en": 0.87, "wrong": 0.037, "off_topic_answered": 1, "operator": 0.89},
    # Measured: zh 87.0%, ru 91.2%, en 90.2%, 2.1% wrong, 0/22. Sixth round: ru 87.7%, 50 of 57.
    "C": {"zh": 0.84, "ru": 0.84, "en": 0.87, "wrong": 0.033, "off_topic_answered": 1, "operator": 0.94},
    # Measured: zh 88.4%, ru 95.9%, en 92.6%, 0.8% wrong, 0/25.
    "D": {"zh": 0.85, "ru": 0.93, "en": 0.9, "wrong": 0.021, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 91.9%, ru 96.0%, en 94.2%, 0.8% wrong, 0/25.
    "E": {"zh": 0.89, "ru": 0.93, "en": 0.91, "wrong": 0.021, "off_topic_answered": 1, "operator": 0.95},
    # Measured: zh 95.5%, ru 95.5%, en 96.7%, 0.9% wrong, 1/24.
    "F": {"zh": 0.93, "ru": 0.92, "en": 0.94, "wrong": 0.022, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 95.2%, ru 95.8%, en 95.8%, 1.5% wrong, 0/29.
    "G": {"zh": 0.92, "ru": 0.93, "en": 0.93, "wrong": 0.027, "off_topic_answered": 1, "operator": 0.95},
    # Measured: zh 94.5%, ru 91.9%, en 94.3%, 0.7% wrong, 1/29.
    "H": {"zh": 0.92, "ru": 0.89, "en": 0.91, "wrong": 0.02, "off_topic_answered": 1, "operator": 0.95},
    # Measured: zh 92.7%, ru 93.3%, en 94.7%, 1.7% wrong, 0/27.
    "I": {"zh": 0.9, "ru": 0.9, "en": 0.92, "wrong": 0.03, "off_topic_answered": 1, "operator": 0.95},
    # Measured: zh 94.2%, ru 94.3%, en 91.5%, 1.0% wrong, 2/31.
    "J": {"zh": 0.91, "ru": 0.91, "en": 0.89, "wrong": 0.023, "off_topic_answered": 2, "operator": 0.95},
    # Measured: zh 96.6%, ru 92.7%, en 97.5%, 1.5% wrong, 0/35.
    "K": {"zh": 0.94, "ru": 0.9, "en": 0.95, "wrong": 0.028, "off_topic_answered": 1, "operator": 0.95},
    # Measured: zh 93.2%, ru 92.5%, en 92.2%, 1.7% wrong, 0/38.
    "L": {"zh": 0.9, "ru": 0.9, "en": 0.89, "wrong": 0.029, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 89.5%, ru 88.3%, en 91.7%, 2.3% wrong, 0/34.
    "M": {"zh": 0.86, "ru": 0.85, "en": 0.89, "wrong": 0.035, "off_topic_answered": 1, "operator": 0.95},
    # Measured: zh 95.5%, ru 94.6%, en 91.2%, 1.3% wrong, 0/33.
    "N": {"zh": 0.93, "ru": 0.92, "en": 0.88, "wrong": 0.026, "off_topic_answered": 1, "operator": 0.95},
    # Measured: zh 92.8%, ru 93.7%, en 97.5%, 1.6% wrong, 0/34.
    # Seventh round (a topic for a number cut off in 2025; the phrases on blocked and recycled numbers mapped
    # again): en 93.7% (74 of 79).
    "O": {"zh": 0.9, "ru": 0.91, "en": 0.9, "wrong": 0.028, "off_topic_answered": 1, "operator": 0.95},
    # Measured: zh 97.8%, ru 96.7%, en 96.2%, 1.0% wrong, 0/34. Seventh round (the phrases on
    # blocked numbers and recycled numbers mapped again): ru 93.3%, 84 of 90.
    "P": {"zh": 0.95, "ru": 0.91, "en": 0.93, "wrong": 0.022, "off_topic_answered": 1, "operator": 0.94},
    # Measured: zh 95.6%, ru 90.9%, en 92.6%, 1.3% wrong, 0/31.
    # Seventh round (a topic for a number cut off in 2025; the phrases on blocked and recycled numbers mapped
    # again): 2.5% wrong.
    "Q": {"zh": 0.93, "ru": 0.88, "en": 0.9, "wrong": 0.038, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 96.3%, ru 96.7%, en 93.7%, 0.7% wrong, 1/34.
    "R": {"zh": 0.93, "ru": 0.94, "en": 0.91, "wrong": 0.019, "off_topic_answered": 1, "operator": 0.92},
    # Measured: zh 89.3%, ru 94.7%, en 94.9%, 1.6% wrong, 1/33.
    "S": {"zh": 0.86, "ru": 0.92, "en": 0.92, "wrong": 0.028, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 97.1%, ru 93.9%, en 95.2%, 0.0% wrong, 0/34.
    "T": {"zh": 0.94, "ru": 0.91, "en": 0.92, "wrong": 0.012, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 96.4%, ru 96.7%, en 94.9%, 1.0% wrong, 1/33.
    "U": {"zh": 0.93, "ru": 0.94, "en": 0.92, "wrong": 0.022, "off_topic_answered": 1, "operator": 0.9},
    # Measured: zh 98.6%, ru 98.9%, en 93.3%, 0.6% wrong, 1/36.
    "V": {"zh": 0.96, "ru": 0.96, "en": 0.9, "wrong": 0.019, "off_topic_answered": 1, "operator": 0.95},
    # Measured: zh 90.8%, ru 93.3%, en 98.7%, 0.7% wrong, 1/34.
    "W": {"zh": 0.88, "ru": 0.9, "en": 0.96, "wrong": 0.019, "off_topic_answered": 1, "operator": 0.91},
    # Measured: zh 88.5%, ru 93.9%, en 94.0%, 1.6% wrong, 0/31.
    "X": {"zh": 0.85, "ru": 0.91, "en": 0.91, "wrong": 0.029, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 89.6%, ru 88.5%, en 90.6%, 3.3% wrong, 0/44.
    "Y": {"zh": 0.87, "ru": 0.85, "en": 0.88, "wrong": 0.045, "off_topic_answered": 1, "operator": 0.96},
    # Measured: zh 93.0%, ru 93.8%, en 94.6%, 1.7% wrong, 0/44.
    "Z": {"zh": 0.9, "ru": 0.91, "en": 0.92, "wrong": 0.03, "off_topic_answered": 1, "operator": 0.95},
    # Measured: zh 96.2%, ru 92.8%, en 94.3%, 1.0% wrong, 0/41.
    "AA": {"zh": 0.93, "ru": 0.9, "en": 0.91, "wrong": 0.023, "off_topic_answered": 1, "operator": 0.95},
    # Measured: zh 96.6%, ru 95.7%, en 92.7%, 1.3% wrong, 0/44.
    "AB": {"zh": 0.94, "ru": 0.93, "en": 0.9, "wrong": 0.025, "off_topic_answered": 1, "operator": 0.95},
    # Measured: zh 96.4%, ru 94.9%, en 94.0%, 2.2% wrong, 1/32.
    "AC": {"zh": 0.93, "ru": 0.92, "en": 0.91, "wrong": 0.034, "off_topic_answered": 1, "operator": 0.9},
    # Measured: zh 92.3%, ru 94.7%, en 88.4%, 2.3% wrong, 0/32.
    # Seventh round (a topic for a number cut off in 2025; the phrases on blocked and recycled numbers mapped
    # again): 3.5% wrong.
    "AD": {"zh": 0.89, "ru": 0.92, "en": 0.85, "wrong": 0.048, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 93.9%, ru 90.0%, en 86.9%, 1.3% wrong, 0/33.
    "AE": {"zh": 0.91, "ru": 0.87, "en": 0.84, "wrong": 0.026, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 96.9%, ru 95.7%, en 95.2%, 0.3% wrong, 0/31.
    "AF": {"zh": 0.94, "ru": 0.93, "en": 0.92, "wrong": 0.016, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 91.8%, ru 92.1%, en 91.8%, 1.1% wrong, 0/35.
    "AG": {"zh": 0.89, "ru": 0.89, "en": 0.89, "wrong": 0.024, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 96.3%, ru 92.2%, en 95.3%, 2.3% wrong, 0/34.
    "AH": {"zh": 0.93, "ru": 0.89, "en": 0.92, "wrong": 0.035, "off_topic_answered": 1, "operator": 0.95},
    # Measured: zh 94.2%, ru 88.4%, en 87.5%, 1.9% wrong, 0/31.
    "AI": {"zh": 0.91, "ru": 0.85, "en": 0.85, "wrong": 0.032, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 95.3%, ru 94.1%, en 93.2%, 0.9% wrong, 0/33.
    "AJ": {"zh": 0.92, "ru": 0.91, "en": 0.9, "wrong": 0.021, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 93.2%, ru 93.0%, en 94.2%, 1.8% wrong, 0/33.
    "AK": {"zh": 0.9, "ru": 0.9, "en": 0.91, "wrong": 0.03, "off_topic_answered": 1, "operator": 0.93},
    # Measured: zh 93.2%, ru 87.9%, en 95.4%, 2.4% wrong, 1/37.
    "AL": {"zh": 0.9, "ru": 0.85, "en": 0.92, "wrong": 0.037, "off_topic_answered": 1, "operator": 0.95},
    # Measured: zh 93.1%, ru 93.5%, en 90.2%, 1.6% wrong, 0/36.
    "AM": {"zh": 0.9, "ru": 0.91, "en": 0.87, "wrong": 0.029, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 96.3%, ru 96.0%, en 95.7%, 1.2% wrong, 0/32.
    "AN": {"zh": 0.93, "ru": 0.93, "en": 0.93, "wrong": 0.025, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 91.9%, ru 92.2%, en 91.7%, 2.3% wrong, 0/31.
    "AO": {"zh": 0.89, "ru": 0.89, "en": 0.89, "wrong": 0.035, "off_topic_answered": 1, "operator": 0.92},
    # Measured: zh 95.3%, ru 91.2%, en 88.9%, 0.7% wrong, 0/32.
    "AP": {"zh": 0.92, "ru": 0.88, "en": 0.86, "wrong": 0.019, "off_topic_answered": 1, "operator": 0.94},
    # Measured: zh 96.2%, ru 96.4%, en 94.0%, 1.1% wrong, 0/34.
    "AQ": {"zh": 0.93, "ru": 0.93, "en": 0.91, "wrong": 0.024, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 91.3%, ru 88.4%, en 90.2%, 3.0% wrong, 0/37.
    "AR": {"zh": 0.88, "ru": 0.85, "en": 0.87, "wrong": 0.043, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 85.6%, ru 86.1%, en 88.5%, 3.6% wrong, 0/35.
    "AS": {"zh": 0.83, "ru": 0.83, "en": 0.85, "wrong": 0.049, "off_topic_answered": 1, "operator": 0.96},
    # Measured: zh 97.8%, ru 98.0%, en 94.3%, 0.6% wrong, 1/34.
    "AT": {"zh": 0.95, "ru": 0.95, "en": 0.91, "wrong": 0.019, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 95.1%, ru 96.3%, en 95.7%, 1.1% wrong, 1/38.
    "AU": {"zh": 0.92, "ru": 0.93, "en": 0.93, "wrong": 0.023, "off_topic_answered": 1, "operator": 0.94},
    # Measured: zh 89.1%, ru 90.1%, en 88.9%, 3.6% wrong, 0/38.
    "AV": {"zh": 0.86, "ru": 0.87, "en": 0.86, "wrong": 0.049, "off_topic_answered": 1, "operator": 0.95},
    # Measured: zh 94.8%, ru 92.6%, en 93.0%, 0.9% wrong, 0/33.
    # Seventh round (a topic for a number cut off in 2025; the phrases on blocked and recycled numbers mapped
    # again): 2.5% wrong.
    "AW": {"zh": 0.92, "ru": 0.9, "en": 0.9, "wrong": 0.038, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 97.8%, ru 95.0%, en 94.2%, 1.5% wrong, 0/35.
    "AX": {"zh": 0.95, "ru": 0.92, "en": 0.91, "wrong": 0.028, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 94.0%, ru 94.1%, en 93.0%, 2.5% wrong, 0/34.
    "AY": {"zh": 0.91, "ru": 0.91, "en": 0.9, "wrong": 0.037, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 94.1%, ru 97.8%, en 93.0%, 0.3% wrong, 0/33.
    "AZ": {"zh": 0.91, "ru": 0.95, "en": 0.9, "wrong": 0.016, "off_topic_answered": 1, "operator": 0.94},
    # Measured: zh 91.7%, ru 89.4%, en 97.6%, 1.9% wrong, 1/32.
    "BA": {"zh": 0.89, "ru": 0.86, "en": 0.95, "wrong": 0.032, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 94.6%, ru 94.8%, en 97.0%, 1.6% wrong, 0/41.
    "BB": {"zh": 0.92, "ru": 0.92, "en": 0.94, "wrong": 0.028, "off_topic_answered": 1, "operator": 0.94},
    # Measured: zh 88.7%, ru 87.2%, en 90.1%, 1.9% wrong, 0/40.
    "BC": {"zh": 0.85, "ru": 0.85, "en": 0.87, "wrong": 0.029, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 94.2%, ru 95.6%, en 87.1%, 2.4% wrong, 0/39.
    "BD": {"zh": 0.91, "ru": 0.92, "en": 0.84, "wrong": 0.037, "off_topic_answered": 1, "operator": 0.94},
    # Measured: zh 90.5%, ru 92.1%, en 91.5%, 3.2% wrong, 0/38.
    "BE": {"zh": 0.87, "ru": 0.89, "en": 0.88, "wrong": 0.044, "off_topic_answered": 1, "operator": 0.95},
    # Measured: zh 88.8%, ru 86.7%, en 90.7%, 3.4% wrong, 0/38.
    "BF": {"zh": 0.85, "ru": 0.84, "en": 0.87, "wrong": 0.047, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 90.3%, ru 87.2%, en 88.0%, 4.1% wrong, 0/39.
    "BG": {"zh": 0.87, "ru": 0.84, "en": 0.85, "wrong": 0.054, "off_topic_answered": 1, "operator": 0.95},
    # Measured: zh 94.3%, ru 92.1%, en 90.4%, 2.7% wrong, 0/40.
    "BH": {"zh": 0.91, "ru": 0.89, "en": 0.87, "wrong": 0.039, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 90.2%, ru 86.7%, en 88.0%, 3.4% wrong, 0/40.
    "BI": {"zh": 0.87, "ru": 0.83, "en": 0.84, "wrong": 0.046, "off_topic_answered": 1, "operator": 0.95},
    # Measured: zh 84.6%, ru 86.3%, en 89.2%, 4.8% wrong, 0/42.
    "BJ": {"zh": 0.81, "ru": 0.83, "en": 0.86, "wrong": 0.061, "off_topic_answered": 1, "operator": 0.96},
    # Measured: zh 88.7%, ru 93.0%, en 93.5%, 2.6% wrong, 0/40.
    # Seventh round (a topic for a number cut off in 2025; the phrases on blocked and recycled numbers mapped
    # again): en 90.7% (97 of 107).
    "BK": {"zh": 0.85, "ru": 0.89, "en": 0.87, "wrong": 0.036, "off_topic_answered": 1, "operator": 0.95},
    # Measured: zh 90.6%, ru 86.6%, en 84.2%, 5.6% wrong, 0/39.
    "BL": {"zh": 0.88, "ru": 0.84, "en": 0.81, "wrong": 0.061, "off_topic_answered": 1, "operator": 0.96},
    # Measured: zh 87.4%, ru 90.2%, en 87.9%, 5.6% wrong, 0/41.
    "BM": {"zh": 0.85, "ru": 0.88, "en": 0.85, "wrong": 0.06, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 90.7%, ru 93.5%, en 92.1%, 3.6% wrong, 1/40.
    "BN": {"zh": 0.88, "ru": 0.91, "en": 0.89, "wrong": 0.043, "off_topic_answered": 2, "operator": 0.97},
    # Measured: zh 95.6%, ru 96.4%, en 90.7%, 1.8% wrong, 1/40.
    "BO": {"zh": 0.92, "ru": 0.93, "en": 0.87, "wrong": 0.031, "off_topic_answered": 2, "operator": 0.92},
    # Measured: zh 90.8%, ru 90.9%, en 90.7%, 3.5% wrong, 0/40.
    "BP": {"zh": 0.87, "ru": 0.87, "en": 0.87, "wrong": 0.048, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 89.2%, ru 87.0%, en 90.4%, 3.6% wrong, 0/39.
    "BQ": {"zh": 0.86, "ru": 0.83, "en": 0.87, "wrong": 0.049, "off_topic_answered": 1, "operator": 0.96},
    # Measured: zh 90.9%, ru 94.1%, en 93.8%, 2.8% wrong, 1/42.
    "BR": {"zh": 0.87, "ru": 0.91, "en": 0.9, "wrong": 0.04, "off_topic_answered": 2, "operator": 0.95},
    # Measured: zh 91.4%, ru 85.5%, en 87.1%, 4.3% wrong, 2/41.
    "BS": {"zh": 0.88, "ru": 0.82, "en": 0.84, "wrong": 0.055, "off_topic_answered": 3, "operator": 0.94},
    # Measured: zh 82.8%, ru 87.3%, en 86.4%, 5.5% wrong, 1/39.
    "BT": {"zh": 0.79, "ru": 0.84, "en": 0.83, "wrong": 0.067, "off_topic_answered": 2, "operator": 0.94},
    # Measured: zh 86.8%, ru 84.1%, en 88.1%, 3.9% wrong, 1/41.
    "BU": {"zh": 0.83, "ru": 0.81, "en": 0.85, "wrong": 0.051, "off_topic_answered": 2, "operator": 0.92},
    # Measured: zh 82.5%, ru 86.1%, en 83.2%, 6.9% wrong, 0/41.
    "BV": {"zh": 0.79, "ru": 0.83, "en": 0.8, "wrong": 0.081, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 90.0%, ru 89.8%, en 97.0%, 1.6% wrong, 0/40.
    "BW": {"zh": 0.87, "ru": 0.86, "en": 0.94, "wrong": 0.029, "off_topic_answered": 1, "operator": 0.93},
    # Measured: zh 92.9%, ru 94.6%, en 94.2%, 1.3% wrong, 0/40.
    "BX": {"zh": 0.89, "ru": 0.91, "en": 0.91, "wrong": 0.026, "off_topic_answered": 1, "operator": 0.93},
    # Measured: zh 94.4%, ru 91.2%, en 86.9%, 2.6% wrong, 0/40.
    "BY": {"zh": 0.91, "ru": 0.88, "en": 0.83, "wrong": 0.039, "off_topic_answered": 1, "operator": 0.92},
    # Measured: zh 92.3%, ru 90.8%, en 92.1%, 3.8% wrong, 1/40.
    "BZ": {"zh": 0.89, "ru": 0.87, "en": 0.89, "wrong": 0.051, "off_topic_answered": 2, "operator": 0.95},
    # Measured: zh 94.5%, ru 89.6%, en 96.3%, 1.8% wrong, 0/42.
    "CA": {"zh": 0.92, "ru": 0.86, "en": 0.93, "wrong": 0.028, "off_topic_answered": 1, "operator": 0.96},
    # Measured: zh 92.9%, ru 90.1%, en 93.1%, 1.6% wrong, 0/36.
    "CB": {"zh": 0.89, "ru": 0.87, "en": 0.9, "wrong": 0.029, "off_topic_answered": 1, "operator": 0.93},
    # Measured: zh 87.3%, ru 91.1%, en 90.4%, 2.1% wrong, 1/42.
    "CC": {"zh": 0.83, "ru": 0.87, "en": 0.87, "wrong": 0.039, "off_topic_answered": 2, "operator": 0.88},
    # Measured: zh 90.7%, ru 93.8%, en 89.6%, 2.4% wrong, 0/41.
    "CD": {"zh": 0.88, "ru": 0.9, "en": 0.87, "wrong": 0.031, "off_topic_answered": 1, "operator": 0.95},
    # Measured: zh 94.6%, ru 94.1%, en 94.3%, 2.5% wrong, 0/40.
    "DA": {"zh": 0.91, "ru": 0.91, "en": 0.91, "wrong": 0.038, "off_topic_answered": 1, "operator": 0.96},
    # Measured: zh 95.5%, ru 94.6%, en 94.1%, 1.1% wrong, 0/38.
    "DB": {"zh": 0.92, "ru": 0.91, "en": 0.91, "wrong": 0.023, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 95.1%, ru 94.8%, en 91.7%, 1.8% wrong, 0/39.
    "DC": {"zh": 0.92, "ru": 0.91, "en": 0.88, "wrong": 0.031, "off_topic_answered": 1, "operator": 0.97},
    # Measured: zh 92.3%, ru 91.1%, en 95.3%, 2.4% wrong, 0/40.
    "DD": {"zh": 0.89, "ru": 0.88, "en": 0.92, "wrong": 0.037, "off_topic_answered": 1, "operator": 0.92},
}


def test_every_heldout_set_has_a_floor() -> None:
    # Both lists are written by hand as sets are added: a set without a floor would go unchecked.
    assert set(HELDOUT_FLOORS) == set(HELDOUT_SETS)
    assert all(path.exists() for path in HELDOUT_SETS.values())


@pytest.mark.parametrize("name", sorted(HELDOUT_FLOORS))
def test_heldout_figures_stay_above_their_floor(index: QAIndex, name: str) -> None:
    figures = score(index, load_items(name), load_intents(name))
    floor = HELDOUT_FLOORS[name]
    print(f"\nheld-out {name}: " + ", ".join(f"{lang} {figures.share(lang):.1%}" for lang in LANGUAGES)
          + f", wrong {figures.wrong_share:.1%}, off-topic answered {figures.off_topic_answered}")
    assert all(figures.share(lang) >= floor[lang] for lang in LANGUAGES), figures.misses
    assert figures.wrong_share <= floor["wrong"]
    assert figures.off_topic_answered <= floor["off_topic_answered"]
    assert figures.operator_right >= floor["operator"] * figures.operator_named


def test_a_question_no_topic_answers_is_right_only_as_the_fallback(index: QAIndex) -> None:
    items = [{"id": str(n), "lang": "en", "text": text, "expects": "unanswerable", "operator": None,
              "off_topic": False} for n, text in enumerate(["what's the weather", "how do I cancel my sim"])]
    figures = score(index, items, {"unanswerable": []})
    assert (figures.right["en"], figures.confident_wrong) == (1, 1)


def test_every_heldout_topic_is_mapped_to_known_intents() -> None:
    known = {entry.id for entry in ENTRIES} | {"__greeting__", "__thanks__"}
    for name in HELDOUT_FLOORS:
        intents = load_intents(name)
        assert {item["expects"] for item in load_items(name)} <= set(intents)
        assert {intent for accepted in intents.values() for intent in accepted} <= known


def test_eval_set_shape(eval_set: dict) -> None:
    per_language = Counter(q["lang"] for q in eval_set["questions"])
    assert all(per_language[lang] >= MIN_PER_LANGUAGE for lang in LANGUAGES), per_language
    assert len(eval_set["off_topic"]) >= 12
    known = {entry.id for entry in ENTRIES} | {"__greeting__", "__thanks__"}
    assert {q["expected"] for q in eval_set["questions"]} <= known


def test_tuning_and_heldout_questions_are_not_copied_into_the_material(eval_set: dict) -> None:
    reader = build_reader()
    material_texts = {
        normalize(text, reader)
        for by_lang in (*load_match_material().values(), load_off_topic_material())
        for m in by_lang.values()
        for text in (*m.examples, *m.keywords)
    }
    measured = [q["text"] for q in (*eval_set["questions"], *eval_set["off_topic"])]
    measured += [item["text"] for name in HELDOUT_FLOORS for item in load_items(name)]
    assert [text for text in measured if normalize(text, reader) in material_texts] == []


def test_off_topic_falls_back(index: QAIndex, eval_set: dict) -> None:
    answered = [
        (q["text"], match(index, q["text"]).best)
        for q in eval_set["off_topic"]
        if match(index, q["text"]).confident
    ]
    assert answered == []


@pytest.mark.parametrize("text", ["", "   ", "?!…", "🙂🙂"], ids=["empty", "spaces", "punct", "emoji"])
def test_nothing_to_match(index: QAIndex, text: str) -> None:
    result = match(index, text)
    assert (result.best, result.confident, result.closest, result.entry_id) == (None, False, (), None)


def test_fallback_offers_three_distinct_topics(index: QAIndex) -> None:
    result = match(index, "今天天气怎么样")
    assert not result.confident and result.entry_id is None
    assert len({c.entry_id for c in result.closest}) == FALLBACK_SIZE


def test_confident_match_exposes_entry_id(index: QAIndex) -> None:
    result = match(index, "ICCID это что")
    assert result.confident and result.entry_id == "term_iccid_imsi"


def test_matching_is_fast_enough(index: QAIndex, eval_set: dict) -> None:
    texts = [q["text"] for q in eval_set["questions"]]
    started = time.perf_counter()
    for text in texts:
        match(index, text)
    mean_ms = (time.perf_counter() - started) * 1000 / len(texts)
    # Generous bound for slow CI; bench/qa.py measures the real figure against 5 ms.
    assert mean_ms < 20


# --- data integrity -----------------------------------------------------------------


def test_every_entry_has_material_in_every_language() -> None:
    material = load_match_material()
    missing = [
        (entry.id, lang)
        for entry in ENTRIES
        for lang in LANGUAGES
        if lang not in material.get(entry.id, {})
        or not material[entry.id][lang].examples
        or not material[entry.id][lang].keywords
    ]
    assert missing == []


@pytest.mark.parametrize(("latin", "russian"), [("otklyuchit", "отключит"), ("zakryt", "закрыт"), ("staryy", "старый"),
                                               ("uezzhayu", "уезжаю"), ("granicey", "границей"), ("shchet", "щет")])
def test_russian_typed_in_latin_letters_is_spelt_in_cyrillic(latin: str, russian: str) -> None:
    assert cyrillic(latin) == russian


def test_an_unknown_latin_word_is_read_as_the_russian_word_it_spells(index: QAIndex) -> None:
    # No example has "nahodyas", nor a Latin word one letter from it; "находясь" is in some.
    assert index.model.correct("nahodyas") == "находясь"
    # A known Latin word one letter away comes first.
    assert index.model.correct("pasportom") == "pasport"


def test_merged_topics_lead_to_entries() -> None:
    ids = {entry.id for entry in ENTRIES}
    assert set(MERGED_INTO.values()) <= ids and not set(MERGED_INTO) & ids


def test_every_material_id_is_an_entry() -> None:
    assert set(load_match_material()) - {entry.id for entry in ENTRIES} == set()


def test_material_languages_are_known() -> None:
    languages = {lang for by_lang in load_match_material().values() for lang in by_lang}
    assert languages <= set(LANGUAGES)
    assert set(load_off_topic_material()) == set(LANGUAGES)


def test_knowledge_base_shape() -> None:
    ids = [entry.id for entry in ENTRIES]
    assert len(ids) >= 32 and len(ids) == len(set(ids))
    bad = [
        entry.id
        for entry in ENTRIES
        if not entry.id.isidentifier()
        or entry.id != entry.id.lower()
        or len(entry.title) > 40
        # A merged topic's answer holds both texts; with an operator's rules, in Russian, it stays
        # far below Telegram's 4,096 characters.
        or len(entry.answer) > 1200
        or not is_valid_follow_up(entry.follow_up)
        or entry.operator_text not in OPERATOR_TEXTS | {None}
    ]
    assert bad == []


def test_refinements_lead_to_entries() -> None:
    known = {entry.id for entry in ENTRIES}
    assert {intent for row in REFINEMENTS for intent in row[0]} | {row[3] for row in REFINEMENTS} <= known
    assert {row[1] for row in REFINEMENTS} <= set(Details.__slots__)


@pytest.mark.parametrize(
    ("follow_up", "valid"),
    [
        (None, True),
        ("check", True),
        ("checklist", True),
        ("contacts", True),
        ("operator:beeline", False),
        ("menu", False),
    ],
    ids=["none", "check", "checklist", "contacts", "old-operator-form", "other"],
)
def test_follow_up_validation(follow_up: str | None, valid: bool) -> None:
    assert is_valid_follow_up(follow_up) is valid


# --- normalisation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ещё ВСЁ", "еще все"),
        ("ＭＴＳ　ＳＩＭ？", "mts sim"),
        ("ＭＴＳ怎么注销", "mts 怎么注销"),
        ("МТС", "mts"),
        ("в Мегафоне", "в megafon"),
        ("Билайна", "beeline"),
        ("Теле2 / Tele2 / теле 2 / T2", "t2 t2 t2 t2"),
        ("йоту", "yota"),
        ("Yota!!!", "yota"),
        ("tele2的卡", "t2 的卡"),
        ("mtsa", "mtsa"),
        ("回国mts卡", "回国 mts 卡"),
        ("注銷電話卡", "注销电话卡"),
        ("Т-Мобайл", "tmobile"),
        ("«SIM-карты»", "sim карты"),
        ("  много   пробелов ", "много пробелов"),
    ],
    ids=[
        "yo-and-case",
        "nfkc-fullwidth",
        "nfkc-mixed-zh",
        "mts-cyrillic",
        "megafon-inflected",
        "beeline-inflected",
        "t2-variants",
        "yota-inflected",
        "yota-punct",
        "t2-before-zh",
        "no-alias-inside-word",
        "script-boundary",
        "traditional-chinese",
        "t-mobile",
        "guillemets",
        "whitespace",
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("text", "operator"),
    [
        ("Мегафон горячая линия", "megafon"),
        ("megafon hotline", "megafon"),
        ("билайн телефон поддержки", "beeline"),
        ("Beeline support", "beeline"),
        ("тинькофф мобайл поддержка", "tmobile"),
        ("tele2", "t2"),
    ],
    ids=["megafon-cyr", "megafon-lat", "beeline-cyr", "beeline-lat", "t-mobile", "name-only"],
)
def test_operator_names_in_either_script_ask_for_contacts(index: QAIndex, text: str, operator: str) -> None:
    result = match(index, text)
    assert (result.entry_id, result.details.operator) == ("contacts", operator)


def test_every_registry_operator_has_an_alias() -> None:
    assert set(operator_aliases()) == set(load_operators())


# --- intent and details apart -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent", "operator"),
    [
        ("mts app里能直接销户吗", "cancel_app", "mts"),
        ("beeline卡三个月没用了 会扣钱吗", "lapse_do_nothing", "beeline"),
        ("im back in china how do i cancel my mts number", "cancel_from_abroad", "mts"),
        ("как расторгнуть договор йота", "cancel_how", "yota"),
        ("Т-Мобайл как расторгнуть договор", "cancel_how", "tmobile"),
        ("mts客服电话多少", "contacts", "mts"),
        ("莫斯科哪里有mts营业厅", "cancel_in_person", "mts"),
    ],
    ids=["app-mts", "inactivity-beeline", "abroad-mts", "cancel-yota", "cancel-t-mobile", "contacts-mts",
         "store-mts"],
)
def test_an_operator_name_is_a_detail_not_the_topic(index: QAIndex, text: str, intent: str,
                                                     operator: str) -> None:
    result = match(index, text)
    assert (result.entry_id, result.details.operator) == (intent, operator)


@pytest.mark.parametrize(
    ("text", "details"),
    [
        ("我已经回国了，tele2的流量卡怎么办", Details("t2", Where.ABROAD, SimType.DATA)),
        ("уезжаю через неделю, есим билайна", Details("beeline", Where.LEAVING, SimType.ESIM)),
        ("卡是在电报上找人买的", Details(holder=Holder.SELLER)),
        ("the sim is registered to my landlord", Details(holder=Holder.SOMEONE_ELSE)),
        ("что такое госуслуги", Details(definition=True)),
        ("как закрыть номер", Details()),
        ("我要回国了，卡怎么处理", Details(where=Where.LEAVING)),
        ("我已经回国了，卡怎么处理", Details(where=Where.ABROAD)),
        ("my sim is on my landlords passport", Details(holder=Holder.SOMEONE_ELSE)),
        ("я сейчас за границей", Details(where=Where.ABROAD)),
        ("симка оформлена на фирму, купил у продавца", Details(holder=Holder.SELLER)),
        ("паспорт утерян", Details(passport=Passport.CHANGED)),
        ("我在中国银行开的户绑定了这个号", Details()),
        # a kiosk is where one asks to cancel; buying there is where the SIM came from
        ("路边卖卡的小亭子能注销吗", Details()),
        ("can I close it at any kiosk or only the official shop", Details()),
        ("можно ли закрыть номер у дилера в переходе", Details()),
        ("симку мне продали в переходе", Details(holder=Holder.SELLER)),
        ("ya uje doma v samarkande", Details(where=Where.ABROAD)),
        ("i bought it at a kiosk near the metro", Details(holder=Holder.SELLER)),
        # a time ahead: leaving soon, not abroad
        ("下个月就毕业回国了，卡怎么办", Details(where=Where.LEAVING)),
        ("月底就回国了 卡怎么处理", Details(where=Where.LEAVING)),
        ("十天后回国了，先干啥后干啥", Details(where=Where.LEAVING)),
        ("going back home next month, how to cancel", Details(where=Where.LEAVING)),
        ("i'll be back in china next month, what to do with my sim", Details(where=Where.LEAVING)),
        ("回国了 卡还在扣钱", Details(where=Where.ABROAD)),
        # where one comes from is not where one is
        ("я студент из Китая, скоро уезжаю", Details(where=Where.LEAVING)),
        ("я из Китая, как закрыть номер", Details()),
        ("прилетел из китая, симка не работает", Details()),
        ("как позвонить в поддержку из китая", Details(where=Where.ABROAD)),
        ("i'm from china, how do i cancel my sim", Details()),
        ("can i close my number from china", Details(where=Where.ABROAD)),
        ("我是中国留学生，卡怎么注销", Details()),
        ("我在国外留学，快毕业了", Details()),
        # where one is now, in any country and spelling
        ("在中国怎么给билайн打客服电话", Details("beeline", Where.ABROAD)),
        ("在中国办的流量卡", Details(sim=SimType.DATA)),
        ("kak zakryt nomer esli ya v kitae", Details(where=Where.ABROAD)),
        ("kak rastorgnut dogovor iz kitaya", Details(where=Where.ABROAD)),
        ("ya v urumchi, nomer hochu otklyuchit", Details(where=Where.ABROAD)),
        ("ya student iz kitaya, kak zakryt nomer", Details()),
        ("я сейчас в Узбекистане, как закрыть номер", Details(where=Where.ABROAD)),
        ("я из Узбекистана, как закрыть номер", Details()),
        ("my son is in India now, how to close his sim", Details(where=Where.ABROAD)),
        ("I went back to Pakistan last year", Details(where=Where.ABROAD)),
        ("I will go back to Kenya next month", Details(where=Where.LEAVING)),
        ("I'm from India, how to cancel", Details()),
        ("uezzhayu cherez nedelyu, kak zakryt nomer", Details(where=Where.LEAVING)),
        ("Живу в Германии уже третий год, как закрыть номер", Details(where=Where.ABROAD)),
        ("I'm back in Shanghai now, how to cancel", Details(where=Where.ABROAD)),
        ("现在人在成都，卡怎么注销", Details(where=Where.ABROAD)),
        ("сейчас я уже дома, как закрыть номер", Details(where=Where.ABROAD)),
        ("I can't travel to Russia, is there a way to close it", Details(where=Where.ABROAD)),
        ("I live in Moscow, how to cancel", Details()),
        # the 2025 confirmation of a foreigner's number, asked about
        ("иностранец не подтвердил номер до 1 июля", Details(unconfirmed=True)),
        ("没做生物识别 卡被停了", Details(unconfirmed=True)),
        ("my sim was blocked for debt", Details()),
        ("sim stopped working after july, im a foreigner", Details(unconfirmed=True)),
        ("被停話了 是不是因為外國人要重新認證", Details(unconfirmed=True)),
        # getting a number back, not a way home
        ("注销后号码还能找回来吗", Details(reclaim=True)),
        ("can i get my old number back after it was reassigned", Details(reclaim=True)),
        ("как вернуть номер который отключили", Details()),
        ("going back home next month", Details(where=Where.LEAVING)),
        # a way without the store; the papers ending a contract needs
        ("is there any way to cancel without visiting a shop", Details(no_store=True)),
        ("不去营业厅能注销吗", Details(no_store=True)),
        ("外国人注销要带snils吗", Details(documents=True)),
        ("иностранцу для расторжения нужен снилс?", Details(documents=True)),
        ("иностранцу нужен снилс для покупки сим?", Details()),
        # Telegram the app is not where the SIM was bought
        ("这个号绑了电报和微信", Details()),
        ("卡是在telegram上买的", Details(holder=Holder.SELLER)),
    ],
    ids=["zh-abroad-data-t2", "ru-leaving-esim-beeline", "zh-seller", "en-landlord", "ru-definition", "none",
         "zh-about-to-go-home", "zh-already-home", "en-landlords", "ru-abroad-inflected",
         "ru-seller-inflected", "ru-passport-inflected", "zh-bank-of-china", "zh-kiosk-asks", "en-kiosk-asks",
         "ru-dealer-asks", "ru-sold-in-underpass", "ru-latin-home-in", "en-bought-at-kiosk",
         "zh-next-month-home", "zh-end-of-month-home", "zh-in-ten-days-home", "en-going-home-next-month",
         "en-back-in-china-next-month",
         "zh-home-already", "ru-student-from-china-leaving", "ru-from-china", "ru-flew-in-from-china",
         "ru-call-from-china", "en-from-china", "en-close-from-china", "zh-chinese-student",
         "zh-studying-abroad", "zh-in-china-first", "zh-bought-in-china", "ru-latin-in-china", "ru-latin-from-china",
         "ru-latin-in-a-city", "ru-latin-student-from-china", "ru-in-uzbekistan",
         "ru-from-uzbekistan", "en-son-in-india", "en-went-back-to-pakistan", "en-will-go-back-to-kenya",
         "en-from-india", "ru-latin-leaving", "ru-lives-in-germany", "en-back-in-a-city", "zh-in-a-city",
         "ru-home-already", "en-cannot-travel-to-russia", "en-lives-in-moscow", "ru-unconfirmed",
         "zh-no-biometrics", "en-blocked-for-debt", "en-after-july", "zh-traditional-new-rules", "zh-number-back",
         "en-number-back", "ru-blocked-number-back", "en-going-back-home", "en-no-store", "zh-no-store", "zh-foreigner-papers",
         "ru-foreigner-papers", "ru-snils-for-a-new-sim", "zh-telegram-app",
         "zh-bought-on-telegram"],
)
def test_details(text: str, details: Details) -> None:
    reader = build_reader()
    assert read_details(reader, fold(text, reader.traditional)) == details


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("как закрыть номер", "cancel_how"),
        ("я уже уехал, как закрыть номер", "cancel_from_abroad"),
        ("номер на маме, как закрыть номер", "cancel_other_passport"),
        ("купил у продавца в телеграме, как закрыть номер", "cancel_other_passport"),
        ("скоро уезжаю, как закрыть номер?", "before_checklist"),
        ("что такое госуслуги", "what_gosuslugi"),
    ],
    ids=["plain", "abroad", "someone-else", "seller", "leaving", "definition"],
)
def test_details_refine_the_intent(index: QAIndex, text: str, intent: str) -> None:
    assert match(index, text).entry_id == intent


@pytest.mark.parametrize(
    ("intent", "details", "refined"),
    [
        ("cancel_from_abroad", Details(where=Where.LEAVING), "before_checklist"),
        ("passport_changed", Details(holder=Holder.SOMEONE_ELSE), "cancel_other_passport"),
        # The question says the passport is lost: a friend named in the story does not change that.
        ("passport_changed", Details(holder=Holder.SOMEONE_ELSE, passport=Passport.CHANGED), "passport_changed"),
        # "Потерял паспорт, а симка на него оформлена": the SIM is on the lost passport.
        ("cancel_other_passport", Details(passport=Passport.CHANGED), "passport_changed"),
        ("money_balance", Details(holder=Holder.SELLER), "cancel_other_passport"),
    ],
    ids=["leaving-not-abroad", "someone-elses-passport", "own-passport-lost", "on-the-lost-passport",
         "a-sellers-balance"],
)
def test_refinement_rows(intent: str, details: Details, refined: str) -> None:
    assert refine(intent, details) == refined


def test_an_unstated_place_does_not_hold_back_the_general_answer(index: QAIndex) -> None:
    """"как закрыть российскую симку" reads almost as close to "cancel from abroad" as to "how to
    cancel"; with no word on where the user is, the general answer (which names Gosuslugi) is
    given, and someone abroad still gets theirs."""
    result = match(index, "как закрыть российскую симку")
    assert (result.entry_id, result.confident) == ("cancel_how", True)
    assert result.closest[1].entry_id == "cancel_from_abroad"
    assert match(index, "я уже в Китае, как закрыть российскую симку").entry_id == "cancel_from_abroad"


def test_an_unstated_place_gives_the_general_answer_when_from_abroad_is_only_just_ahead(index: QAIndex) -> None:
    """"как закрыть российский номер" reads a little closer to "cancel from abroad" than to "how to
    cancel"; with no word on where the user is, the general answer is given all the same."""
    result = match(index, "как закрыть российский номер")
    assert (result.entry_id, result.confident) == ("cancel_how", True)
    assert "cancel_from_abroad" in [scored.entry_id for scored in result.closest]
    assert match(index, "я уже в Китае, как закрыть российский номер").entry_id == "cancel_from_abroad"


def test_an_unsure_reading_falls_back_showing_the_close_topics(index: QAIndex) -> None:
    """"a friend's passport" alone: whose SIM it is, or a passport that changed? Neither leads
    by the margin, so the user gets the fallback with both topics to choose from."""
    result = match(index, "pasport of my frend")
    assert not result.confident
    assert {"cancel_other_passport", "passport_changed"} <= {s.entry_id for s in result.closest}


def test_mere_letters_are_nothing_to_match(index: QAIndex) -> None:
    for text in ("x" * 4000, "zzz ыыы", "lol"):
        result = match(index, text)
        assert (result.kind, result.confident, result.closest) == (Kind.EMPTY, False, ())
    # Real words the material does not have still get the fallback and its closest topics.
    result = match(index, "what is love")
    assert (result.kind, result.confident) == (Kind.QUESTION, False) and result.closest


def test_traditional_chinese_reads_like_simplified(index: QAIndex) -> None:
    for traditional, simplified in [("注銷電話卡", "注销电话卡"), ("護照丟了還能註銷嗎", "护照丢了还能注销吗")]:
        assert match(index, traditional) == match(index, simplified)
        assert match(index, traditional).confident


# --- what is not a question ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("你好", Kind.GREETING), ("Привет!", Kind.GREETING), ("hi there", Kind.GREETING),
        ("谢谢", Kind.THANKS), ("Спасибо большое", Kind.THANKS), ("thanks!", Kind.THANKS), ("好的谢谢", Kind.THANKS),
        ("1分钟", Kind.TIME), ("2025-01-01 10:00", Kind.TIME), ("завтра в 10", Kind.TIME), ("tomorrow 9am", Kind.TIME),
        ("明天 9点", Kind.TIME), ("yo", Kind.GREETING), ("добрый вечер, подскажите пожалуйста", Kind.GREETING),
        ("好的", Kind.ACK), ("嗯嗯", Kind.ACK), ("понятно.", Kind.ACK), ("ок, ясно", Kind.ACK), ("Got it!", Kind.ACK),
        ("hmm", Kind.ACK), ("ok thanks", Kind.THANKS), ("兄弟们在吗", Kind.GREETING), ("ребята, всем привет", Kind.GREETING),
        ("spasibo bolshoe", Kind.THANKS), ("ok cheers", Kind.THANKS), ("你好，想請問一下", Kind.GREETING),
        ("hello, can you help me", Kind.GREETING), ("у меня вопрос", Kind.GREETING), ("privet", Kind.GREETING),
        ("哈喽 问个问题", Kind.GREETING), ("您好，想咨询一下俄罗斯电话卡的事", Kind.GREETING),
        ("здравствуйте, хочу задать вопрос", Kind.GREETING), ("hi, can you help me with my sim card", Kind.GREETING),
        ("рахмат", Kind.THANKS), ("真是太感谢了，我知道该怎么做了", Kind.THANKS),
    ],
)
def test_small_talk_and_times_are_not_questions(index: QAIndex, text: str, kind: Kind) -> None:
    result = match(index, text)
    assert (result.kind, result.confident, result.entry_id) == (kind, False, None)


@pytest.mark.parametrize("text", ["你好，流量卡怎么注销", "hi, how do i cancel my sim", "спасибо, а как вернуть остаток денег с баланса?",
                                  "想咨询一下 流量卡怎么注销", "здравствуйте, хочу задать вопрос: как закрыть номер мтс"])
def test_a_greeting_before_a_question_does_not_hide_it(index: QAIndex, text: str) -> None:
    result = match(index, text)
    assert result.kind is Kind.QUESTION and result.confident


# --- long messages ------------------------------------------------------------------

STORY_ZH = ("我是在莫斯科读书的留学生，去年九月在学校附近的营业厅办了两张卡，一张是mts的普通电话卡，"
            "另一张是学长帮忙办的流量卡。现在毕业了，已经回国两个月，卡一直放在抽屉里，"
            "银行卡和微信还绑着那个号码。")


def test_the_question_is_found_at_the_end_of_a_long_message(index: QAIndex) -> None:
    result = match(index, STORY_ZH * 3 + "请问我的护照丢了还能注销吗？")
    assert result.kind is Kind.STORY and result.entry_id == "passport_changed"


def test_the_question_is_found_at_the_start_of_a_long_message(index: QAIndex) -> None:
    result = match(index, "How do I get my remaining balance back? " + "I studied in Kazan for two years. " * 40)
    assert result.entry_id == "money_balance"


def test_a_story_without_a_clear_question_is_a_story(index: QAIndex) -> None:
    result = match(index, "Я учился в Казани три года. Потом уехал домой. Симка лежит в ящике. "
                          "Ещё у брата была симка на меня.")
    assert result.kind is Kind.STORY


def test_build_index_accepts_explicit_material() -> None:
    tiny = build_index(
        ENTRIES[:1],
        {ENTRIES[0].id: load_match_material()[ENTRIES[0].id]},
        load_off_topic_material(),
        threshold=0.0,
    )
    assert match(tiny, "注销").closest[0].entry_id == ENTRIES[0].id


def test_material_without_latin_or_cyrillic_words_still_trains() -> None:
    """Words are read beside the character n-grams only when some word occurs twice: material
    in Chinese alone trains on the n-grams and answers, stored and loaded alike."""
    first, second = ENTRIES[0].id, ENTRIES[1].id
    tiny = build_index(
        ENTRIES[:2],
        {first: {"zh": LanguageMaterial(("怎么注销手机卡", "手机卡注销"), ())},
         second: {"zh": LanguageMaterial(("余额怎么退", "退余额"), ())}},
        {"zh": LanguageMaterial(("今天天气怎么样", "天气"), ())},
        threshold=0.0,
    )
    assert tiny.model.words is None
    assert match(tiny, "手机卡怎么注销").closest[0].entry_id == first
    loaded = model_from_arrays((first, second), model_arrays(tiny.model))
    assert loaded.words is None and loaded.classifier.coef_.shape == tiny.model.classifier.coef_.shape


def test_long_pasted_text_stays_fast(index: QAIndex) -> None:
    text = "как расторгнуть договор с оператором мтс " * 100
    started = time.perf_counter()
    result = match(index, text)
    assert (time.perf_counter() - started) * 1000 < 50
    assert result.best is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("how to cancle my russian simcard", "cancel_how"),
        ("megafn hotline number", "contacts"),
        ("number is on my frends pasport", "cancel_other_passport"),
        ("беллайн поддержка", "contacts"),
    ],
    ids=["en-swap", "operator-missing-letter", "two-typos", "beeline-misspelt-cyrillic"],
)
def test_typos_are_tolerated(index: QAIndex, text: str, expected: str) -> None:
    assert match(index, text).entry_id == expected


def test_written_examples_are_merged_strictly() -> None:
    base = {"cancel_how": {"en": LanguageMaterial(("how do i cancel",), ("cancel",))}}
    off = {"en": LanguageMaterial(("weather today",), ())}
    written = {"en": {"cancel_how": ["How do I cancel", "end my contract", "end my contract"],
                      "money_cost": ["is it free", "weather today"], "__off_topic__": ["a joke please"]}}
    material, off_topic = merge_examples(base, off, written, ["cancel_how", "money_cost"])
    # Written twice: kept once; under two intents (off-topic is one): dropped from both.
    assert material["cancel_how"]["en"] == LanguageMaterial(("how do i cancel", "end my contract"), ("cancel",))
    assert material["money_cost"]["en"].examples == ("is it free",)
    assert off_topic["en"].examples == ("a joke please",)
    with pytest.raises(ValueError, match="cancel_hwo"):
        merge_examples(base, off, {"en": {"cancel_hwo": ["x"]}}, ["cancel_how"])
