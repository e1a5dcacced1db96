"""The operator directory: facts as data (flows/data/operators.json), validated strictly.

Each fact carries a confidence (H/M/L) and each operator its sources and the date the
facts were checked, so they can be corrected without touching code. The "how
cancellation works" texts live here, not in the JSON, because pybabel cannot extract
msgids from JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    NonNegativeFloat,
    NonNegativeInt,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from pydantic_core import ErrorDetails

from flows.texts import N_

DEFAULT_PATH = Path(__file__).parent / "data" / "operators.json"


class Confidence(Enum):
    """H: official page or several good sources; M: reliable secondary; L: weak."""

    H = "H"
    M = "M"
    L = "L"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Ordered(_Strict):
    @model_validator(mode="after")
    def _ordered(self) -> Self:
        low, high = getattr(self, "min"), getattr(self, "max")
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


class Inactivity(_Strict):
    """What happens to a number nobody uses (depends on the tariff: ranges)."""

    days_until_daily_fee: DayRange
    fee_per_day_rub: RubleRange
    days_until_number_ends: DayRange


class FactConfidence(_Strict):
    """The confidence of each fact of one operator."""

    hotline: Confidence
    short_number: Confidence
    website: Confidence
    cancellation: Confidence
    inactivity: Confidence


class Source(_Strict):
    name: Annotated[str, Field(min_length=1)]
    url: HttpUrl | None


class Operator(_Strict):
    """One operator's contacts and rules as stored in operators.json."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    name: Annotated[str, Field(min_length=1)]
    hotline: Annotated[str, Field(pattern=r"^[0-9+][0-9 ()-]{5,}$")] | None
    short_number: Annotated[str, Field(pattern=r"^[0-9]{3,5}$")] | None
    website: HttpUrl
    app: Annotated[str, Field(min_length=1)] | None
    inactivity: Inactivity
    confidence: FactConfidence
    sources: Annotated[tuple[Source, ...], Field(min_length=1)]
    date_checked: date


class OperatorDataError(ValueError):
    """operators.json is malformed; the message names the operator and the field."""


_OPERATOR_LIST = TypeAdapter(list[Operator])

CANCELLATION_TEXTS: dict[str, str] = {
    "mts": N_(
        "MTS: usually in an MTS store with the passport the number is registered on, "
        "or by applying in Gosuslugi «SIM-карты». Ask for a written confirmation."
    ),
    "megafon": N_(
        "MegaFon: usually in a MegaFon store with the passport the number is registered "
        "on, or by applying in Gosuslugi «SIM-карты». Ask for a written confirmation."
    ),
    "beeline": N_(
        "Beeline: usually in a Beeline store with the passport the number is registered "
        "on, or by applying in Gosuslugi «SIM-карты». Ask for a written confirmation."
    ),
    "t2": N_(
        "T2: contracts are ended only in T2 stores, with the passport the number is "
        "registered on. A representative needs a notarized power of attorney that "
        "includes the right to receive money."
    ),
    "yota": N_(
        "Yota (MegaFon group): usually in a store with the passport. We could not "
        "confirm the details, so check on yota.ru or in the Yota app first."
    ),
    "tmobile": N_(
        "T-Mobile (formerly Tinkoff Mobile, on the T2 network): we could not confirm "
        "how it ends contracts. Ask through the T-Bank app first."
    ),
}
"""Operator id -> msgid: how ending a contract works there (hedged where not H)."""


def _describe(error: ErrorDetails, raw: object) -> str:
    loc = error["loc"]
    index = loc[0] if loc and isinstance(loc[0], int) else None
    op_id = None
    if index is not None and isinstance(raw, list) and isinstance(raw[index], dict):
        op_id = raw[index].get("id")
    who = f"operator {op_id!r} (entry {index})" if index is not None else "file"
    field = ".".join(str(p) for p in loc[1:]) or "<entry>"
    return f"{who}: field {field!r}: {error['msg']}"


@cache
def _load(path: Path) -> tuple[Operator, ...]:
    text = path.read_text(encoding="utf-8")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        raise OperatorDataError(f"{path}: not valid JSON: {e}") from e
    try:
        # JSON-mode validation: strict types, yet ISO dates and enum values as strings.
        operators = _OPERATOR_LIST.validate_json(text)
    except ValidationError as e:
        lines = [_describe(err, raw) for err in e.errors()]
        raise OperatorDataError(f"{path}:\n" + "\n".join(lines)) from e
    seen: set[str] = set()
    for op in operators:
        if op.id in seen:
            raise OperatorDataError(f"{path}: operator {op.id!r}: field 'id': duplicate")
        seen.add(op.id)
    return tuple(operators)


def load_operators(path: Path | str | None = None) -> dict[str, Operator]:
    """Operators by id from ``path`` (default flows/data/operators.json), cached per path.

    Raises OperatorDataError naming the operator and the field of a malformed entry.
    """
    return {op.id: op for op in _load(Path(path) if path is not None else DEFAULT_PATH)}


@dataclass(frozen=True)
class Contact:
    """What to show the user: a phone number, or the website when the phone is weak."""

    kind: Literal["phone", "website"]
    value: str


def contact(operator: Operator) -> Contact:
    """The hotline when it is known with H or M confidence, else the website.

    L-confidence numbers are never shown as facts (conventions).
    """
    if operator.hotline is not None and operator.confidence.hotline is not Confidence.L:
        return Contact("phone", operator.hotline)
    return Contact("website", str(operator.website))
