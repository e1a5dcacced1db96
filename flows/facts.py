"""Facts with a confidence, and the one place that turns a confidence into words.

Every fact the bot states about an operator is a ``Fact``: a value, how sure the sources
are (H: an official page or several good sources agree; M: reliable secondary sources;
L: weak or conflicting), which sources say so and when they were checked. ``hedge`` and
``hedge_value`` are the only functions that decide how firmly a fact is worded, so the
same fact reads the same in the operator card, a typed answer and a verdict:

  H  stated as it is;
  M  "usually", and the user is asked to confirm with the operator;
  L  "we could not confirm this": the user is sent to the operator.

Source names and dates are shown in the reader's language and date format.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from html import escape
from typing import Annotated, Generic, Literal, TypeVar

from babel.dates import format_date
from pydantic import BaseModel, ConfigDict, Field, HttpUrl

from flows.locale import LANGUAGES
from flows.texts import N_, Translate


@dataclass(frozen=True)
class Reader:
    """Who reads a text: their gettext and their language (for names and dates)."""

    t: Translate
    lang: str


class Confidence(Enum):
    """H: official page or several good sources; M: reliable secondary; L: weak."""

    H = "H"
    M = "M"
    L = "L"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Names(Strict):
    """One name per language; proper nouns such as brands and publishers."""

    zh: Annotated[str, Field(min_length=1)]
    ru: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)]

    def __call__(self, lang: str) -> str:
        return getattr(self, lang) if lang in LANGUAGES else self.en


SOURCE_KINDS: dict[str, str] = {
    "official": N_("official page"),
    "tariff": N_("tariff terms"),
    "press": N_("press reports"),
    "secondary": N_("secondary sources"),
}


class Source(Strict):
    publisher: Names
    kind: Literal["official", "tariff", "press", "secondary"]
    url: HttpUrl | None


V = TypeVar("V")


class Fact(Strict, Generic[V]):
    """One fact: its value, confidence, sources (ids) and the date it was checked."""

    value: V
    confidence: Confidence
    sources: Annotated[tuple[str, ...], Field(min_length=1)]
    checked: date


# The wording of each confidence, for a whole sentence and for a short value (a number).
_SENTENCE: dict[Confidence, str] = {
    Confidence.H: "{fact}",
    Confidence.M: N_("{fact} This is usually so, but please confirm it with {operator}."),
    Confidence.L: N_("{fact} We could not confirm this: please ask {operator}."),
}
_VALUE: dict[Confidence, str] = {
    Confidence.H: "{value}",
    Confidence.M: N_("{value} (usually right; please confirm it on {site})"),
    Confidence.L: N_("{value} (we could not confirm it: check on {site})"),
}
_YOUR_OPERATOR = N_("your operator")


def hedge(reader: Reader, fact: str, confidence: Confidence, operator: str | None = None) -> str:
    """A translated sentence worded as firmly as its confidence allows.

    ``fact`` is already translated and filled in; ``operator`` is the name to confirm with
    (already escaped), or None for "your operator".
    """
    template = _SENTENCE[confidence]
    if confidence is Confidence.H:
        return fact
    who = operator if operator is not None else reader.t(_YOUR_OPERATOR)
    return reader.t(template).format(fact=fact, operator=who)


def hedge_value(reader: Reader, value: str, confidence: Confidence, site: str) -> str:
    """A short value (a phone number) with its hedge; L values are shown only with the warning."""
    if confidence is Confidence.H:
        return value
    return reader.t(_VALUE[confidence]).format(value=value, site=site)


def local_date(reader: Reader, day: date) -> str:
    """A date as the reader writes it: 2026年11月30日, 30 ноября 2026 г., November 30, 2026."""
    return format_date(day, format="long", locale={"zh": "zh_Hans_CN"}.get(reader.lang, reader.lang))


def sources_line(reader: Reader, sources: Mapping[str, Source], facts: Sequence[Fact[object]]) -> str:
    """Where the shown facts come from, in the reader's language, with the latest check date."""
    ids: list[str] = []
    for fact in facts:
        ids += [s for s in fact.sources if s not in ids]
    names = []
    for source_id in ids:
        source = sources[source_id]
        name = reader.t(N_("{publisher}, {kind}")).format(
            publisher=escape(source.publisher(reader.lang)), kind=reader.t(SOURCE_KINDS[source.kind]))
        names.append(f'<a href="{escape(str(source.url))}">{name}</a>' if source.url else name)
    checked = max(fact.checked for fact in facts)
    return reader.t(N_("Sources: {sources}. Checked on {date}.")).format(
        sources="; ".join(names), date=local_date(reader, checked))
