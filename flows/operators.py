"""The operator registry: the one place an operator is defined (flows/data/operators.json).

Each operator has its names in every language, the aliases people type, and its facts
(contacts, how a contract ends there, refunds, inactivity rules), each a ``Fact`` with its
confidence, sources and the date it was checked. The check's operator options, the
operators found in typed questions, the operator card, the cancellation texts and the
verdict's contact button are all derived from it, so adding an operator is a data change:
the texts about operators are templates in flows/operator_texts.py, filled from here.
The file is validated strictly; an error names the operator and the field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import (
    BaseModel,
    Field,
    HttpUrl,
    NonNegativeFloat,
    NonNegativeInt,
    ValidationError,
    model_validator,
)
from pydantic_core import ErrorDetails

from flows.facts import Confidence, Fact, Names, Source, Strict

DEFAULT_PATH = Path(__file__).parent / "data" / "operators.json"


class _Ordered(Strict):
    @model_validator(mode="after")
    def _ordered(self) -> Self:
        low, high = self.min, self.max
        if low is not None and high is not None and low > high:
            raise ValueError(f"min ({low}) is greater than max ({high})")
        return self


class DayRange(_Ordered):
    """Days, inclusive; None where unknown."""

    min: NonNegativeInt | None
    max: NonNegativeInt | None


class RubleRange(_Ordered):
    """Rubles, inclusive; None where unknown."""

    min: NonNegativeFloat | None
    max: NonNegativeFloat | None


class Inactivity(Strict):
    """What happens to a number nobody uses (depends on the tariff: ranges).

    ``days_at_zero_until_end`` counts from the day the balance reaches zero (after the daily
    fee has used it up), ``days_unused_until_end`` from the last paid action.
    """

    days_until_daily_fee: DayRange
    fee_per_day_rub: RubleRange
    days_at_zero_until_end: DayRange
    days_unused_until_end: DayRange


# How a contract ends there: only in its own stores; usually in its own stores; unknown,
# ask the operator first (an operator without stores).
Cancellation = Literal["store_only", "store", "ask_first"]
# Where a positive balance goes: a bank account or another number of the same operator.
Refund = Literal["bank_or_same_operator"]

Phone = Annotated[str, Field(pattern=r"^[0-9+][0-9 ()-]{5,}$")]
ShortNumber = Annotated[str, Field(pattern=r"^[0-9]{3,5}$")]


class Operator(Strict):
    """One operator as stored in operators.json."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,16}$")]
    names: Names
    # Regular expressions over lower-cased text, matched as whole words.
    aliases: Annotated[tuple[str, ...], Field(min_length=1)]
    hotline: Fact[Phone] | None
    short_number: Fact[ShortNumber] | None
    website: Fact[HttpUrl]
    app: Fact[Annotated[str, Field(min_length=1)]] | None
    store_finder: Fact[HttpUrl] | None
    cancellation: Fact[Cancellation]
    poa_money_right: Fact[bool] | None
    refund: Fact[Refund] | None
    inactivity: Fact[Inactivity]

    def name(self, lang: str) -> str:
        return self.names(lang)

    def facts(self) -> tuple[Fact[object], ...]:
        """Every fact this operator has, for the sources line."""
        found = (self.hotline, self.short_number, self.website, self.app, self.store_finder,
                 self.cancellation, self.poa_money_right, self.refund, self.inactivity)
        return tuple(f for f in found if f is not None)


class _File(Strict):
    sources: dict[str, Source]
    operators: Annotated[tuple[Operator, ...], Field(min_length=1)]


class OperatorDataError(ValueError):
    """operators.json is malformed; the message names the operator and the field."""


class Registry(Mapping[str, Operator]):
    """Operators by id, in display order, with the sources their facts cite."""

    def __init__(self, operators: tuple[Operator, ...], sources: Mapping[str, Source]) -> None:
        self._by_id = {op.id: op for op in operators}
        self.sources = dict(sources)

    def __getitem__(self, operator_id: str) -> Operator:
        return self._by_id[operator_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    def aliases_by_id(self) -> dict[str, str]:
        """Operator id -> one regular expression of all its aliases (for the question reader)."""
        return {op_id: "|".join(op.aliases) for op_id, op in self._by_id.items()}


def _describe(error: ErrorDetails, raw: object) -> str:
    loc = error["loc"]
    if len(loc) >= 2 and loc[0] == "operators" and isinstance(loc[1], int):
        index = loc[1]
        entries = raw.get("operators") if isinstance(raw, dict) else None
        op_id = None
        if isinstance(entries, list) and index < len(entries) and isinstance(entries[index], dict):
            op_id = entries[index].get("id")
        field = ".".join(str(p) for p in loc[2:]) or "<entry>"
        return f"operator {op_id!r} (entry {index}): field {field!r}: {error['msg']}"
    field = ".".join(str(p) for p in loc) or "<file>"
    return f"field {field!r}: {error['msg']}"


@cache
def _load(path: Path) -> Registry:
    text = path.read_text(encoding="utf-8")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        raise OperatorDataError(f"{path}: not valid JSON: {e}") from e
    try:
        # JSON-mode validation: strict types, yet ISO dates and enum values as strings.
        data = _File.model_validate_json(text)
    except ValidationError as e:
        lines = [_describe(err, raw) for err in e.errors()]
        raise OperatorDataError(f"{path}:\n" + "\n".join(lines)) from e
    seen: set[str] = set()
    for op in data.operators:
        if op.id in seen:
            raise OperatorDataError(f"{path}: operator {op.id!r}: field 'id': duplicate")
        seen.add(op.id)
        for fact in op.facts():
            for source in fact.sources:
                if source not in data.sources:
                    raise OperatorDataError(
                        f"{path}: operator {op.id!r}: unknown source {source!r}")
        for alias in op.aliases:
            try:
                re.compile(alias)
            except re.error as e:
                raise OperatorDataError(f"{path}: operator {op.id!r}: alias {alias!r}: {e}") from e
    return Registry(data.operators, data.sources)


def load_operators(path: Path | str | None = None) -> Registry:
    """The registry from ``path`` (default flows/data/operators.json), cached per path.

    Raises OperatorDataError naming the operator and the field of a malformed entry.
    """
    return _load(Path(path) if path is not None else DEFAULT_PATH)


class Contact(BaseModel):
    """What to show the user: a phone number, or the website when the phone is weak."""

    kind: Literal["phone", "website"]
    value: str


def contact(operator: Operator) -> Contact:
    """The hotline when it is known with H or M confidence, else the website.

    L-confidence numbers are never shown as facts (conventions).
    """
    hotline = operator.hotline
    if hotline is not None and hotline.confidence is not Confidence.L:
        return Contact(kind="phone", value=hotline.value)
    return Contact(kind="website", value=str(operator.website.value))
