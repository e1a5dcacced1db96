import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from flows.eligibility import question
from flows.operators import (
    CANCELLATION_TEXTS,
    Confidence,
    OperatorDataError,
    contact,
    load_operators,
)

REAL = Path(__file__).parents[1] / "flows" / "data" / "operators.json"


def test_real_file_loads_with_every_operator() -> None:
    ops = load_operators()
    assert set(ops) == {"mts", "megafon", "beeline", "t2", "yota", "tmobile"}
    assert load_operators(REAL) == ops


def test_every_operator_has_a_cancellation_text_and_no_text_is_orphaned() -> None:
    assert set(CANCELLATION_TEXTS) == set(load_operators())


def test_every_named_operator_option_is_in_the_directory() -> None:
    option_ids = {o.id for o in question("operator").options} - {"other"}
    assert option_ids <= set(load_operators())


@pytest.mark.parametrize(
    ("operator_id", "kind", "value"),
    [
        ("mts", "phone", "8 800 250-08-90"),
        ("beeline", "phone", "8 800 700-06-11"),
        ("t2", "website", "https://t2.ru/"),  # the T2 number is L in the domain brief
        ("yota", "website", "https://yota.ru/"),  # no confirmed number at all
        ("tmobile", "website", "https://www.tbank.ru/"),
    ],
    ids=["mts-H", "beeline-M", "t2-L", "yota-none", "tmobile-none"],
)
def test_contact_shown(operator_id: str, kind: str, value: str) -> None:
    shown = contact(load_operators()[operator_id])
    assert (shown.kind, shown.value) == (kind, value)


def test_an_l_confidence_phone_is_never_shown() -> None:
    mts = load_operators()["mts"]
    weak = mts.model_copy(
        update={"confidence": mts.confidence.model_copy(update={"hotline": Confidence.L})}
    )
    shown = contact(weak)
    assert shown.kind == "website"
    assert "250" not in shown.value


def test_beeline_short_number_is_0611_not_the_circulating_0600() -> None:
    assert load_operators()["beeline"].short_number == "0611"


def test_l_facts_are_marked_l() -> None:
    ops = load_operators()
    assert ops["t2"].confidence.hotline is Confidence.L
    assert ops["megafon"].confidence.inactivity is Confidence.L


def test_ranges_from_the_brief() -> None:
    t2 = load_operators()["t2"].inactivity
    assert (t2.days_until_daily_fee.min, t2.fee_per_day_rub.max) == (120, 3)
    ops = load_operators()
    assert ops["megafon"].inactivity.days_until_daily_fee.min == 45
    assert ops["megafon"].inactivity.days_until_daily_fee.max == 90


# --- malformed files -----------------------------------------------------------------

Mutation = Callable[[list[dict[str, Any]]], None]


def _set(path: str, value: Any) -> Mutation:
    *parents, last = path.split(".")

    def mutate(entries: list[dict[str, Any]]) -> None:
        node = entries[1]  # megafon
        for key in parents:
            node = node[key]
        node[last] = value

    return mutate


def _drop(key: str) -> Mutation:
    def mutate(entries: list[dict[str, Any]]) -> None:
        del entries[1][key]

    return mutate


MALFORMED = [
    ("missing-hotline", _drop("hotline"), "hotline"),
    ("missing-date", _drop("date_checked"), "date_checked"),
    ("missing-confidence", _drop("confidence"), "confidence"),
    ("extra-field", _set("fax", "123"), "fax"),
    ("bad-confidence", _set("confidence.hotline", "X"), "confidence.hotline"),
    ("lowercase-confidence", _set("confidence.website", "h"), "confidence.website"),
    ("missing-fact-confidence", lambda e: e[1]["confidence"].pop("inactivity"),
     "confidence.inactivity"),
    ("min-above-max", _set("inactivity.days_until_daily_fee", {"min": 90, "max": 45}),
     "inactivity.days_until_daily_fee"),
    ("negative-fee", _set("inactivity.fee_per_day_rub", {"min": -1, "max": 5}),
     "inactivity.fee_per_day_rub.min"),
    ("range-missing-max", _set("inactivity.days_until_number_ends", {"min": 1}),
     "inactivity.days_until_number_ends.max"),
    ("website-not-url", _set("website", "megafon dot ru"), "website"),
    ("hotline-as-number", _set("hotline", 88005500500), "hotline"),
    ("days-as-string", _set("inactivity.days_until_daily_fee", {"min": "45", "max": 90}),
     "inactivity.days_until_daily_fee.min"),
    ("bad-date", _set("date_checked", "last week"), "date_checked"),
    ("no-sources", _set("sources", []), "sources"),
    ("source-bad-url", _set("sources", [{"name": "x", "url": "not a url"}]), "sources.0.url"),
    ("id-with-spaces", _set("id", "mega fon"), "id"),
]


def _write(tmp_path: Path, entries: list[dict[str, Any]]) -> Path:
    path = tmp_path / "operators.json"
    path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("mutate", "field"), [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED]
)
def test_malformed_entry_names_operator_and_field(tmp_path: Path, mutate: Mutation,
                                                  field: str) -> None:
    entries = copy.deepcopy(json.loads(REAL.read_text(encoding="utf-8")))
    mutate(entries)
    with pytest.raises(OperatorDataError) as err:
        load_operators(_write(tmp_path, entries))
    message = str(err.value)
    assert f"field '{field}'" in message
    expected_id = entries[1]["id"]
    assert f"operator {expected_id!r}" in message


def test_duplicate_ids_fail(tmp_path: Path) -> None:
    entries = json.loads(REAL.read_text(encoding="utf-8"))
    entries.append(entries[0])
    with pytest.raises(OperatorDataError, match="'mts'.*'id'"):
        load_operators(_write(tmp_path, entries))


def test_not_json_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "operators.json"
    path.write_text("[{", encoding="utf-8")
    with pytest.raises(OperatorDataError, match="not valid JSON"):
        load_operators(path)


def test_a_valid_copy_loads(tmp_path: Path) -> None:
    # Guards the malformed tests: they must fail because of the mutation, not the copy.
    entries = json.loads(REAL.read_text(encoding="utf-8"))
    assert set(load_operators(_write(tmp_path, entries))) == set(load_operators())
