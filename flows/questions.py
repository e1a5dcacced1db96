"""Answering typed questions: what to show for a match, the
"ask" screen, and what is kept of a question the bot could not answer.

Pure: the handler in bot/routers/questions.py translates the msgids, escapes the values
and sends. Matching itself is flows.qa.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flows.knowledge import ENTRIES, Entry
from flows.privacy import mask_personal
from flows.qa import MatchResult
from flows.texts import N_

CONTACTS_PLACEHOLDER = "{contacts}"
UNANSWERED_MAX_CHARS = 200

# The topics screen groups entries by section, in this order.
SECTION_TITLES: dict[str, str] = {
    "cancel": N_("Cancelling"),
    "money": N_("Balance and money"),
    "lapse": N_("If I stop using it"),
    "foreigners": N_("Rules for foreigners"),
    "operators": N_("Operators"),
    "sim_types": N_("Data-only, number-keeping, eSIM"),
    "after": N_("Before and after"),
    "safety": N_("Scams and safety"),
    "terms": N_("Terms"),
    "bot": N_("About this bot"),
}

# Shown on the "ask" screen: each, translated, is answered by the knowledge base (tested).
ASK_EXAMPLES: tuple[str, ...] = (
    N_("Can I cancel a data-only SIM (流量卡) online?"),
    N_("How do I get my remaining balance back?"),
    N_("Beeline hotline"),
    N_("What happens if I stop using my number-keeping SIM (保号卡)?"),
)

ASK_INTRO = N_(
    "<b>Ask me a question</b>\n"
    "Just type it in your own words, in Chinese, Russian or English, whenever I am not "
    "waiting for a button. For example:"
)
ASK_TOPICS = N_("Or pick a topic:")
SECTION_HEADER = N_("<b>{section}</b>: pick a topic.")
HELPFUL_PROMPT = N_("Was this helpful?")
FALLBACK_TEXT = N_(
    "I don't have a good answer to that, sorry. I would rather say so than guess.\n"
    "These topics come closest; one of them may help. You can also ask in other words, "
    "or choose from the menu."
)
NOTHING_TO_MATCH = N_(
    "I could not find a question in that. Type it in words, for example "
    "“how to cancel from abroad”, or choose from the menu."
)


@dataclass(frozen=True, slots=True)
class Text:
    """A msgid and its placeholder values; values are raw text, escaped by the renderer."""

    msgid: str
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Answer:
    entry: Entry


@dataclass(frozen=True, slots=True)
class Fallback:
    """No entry fits well enough; ``closest`` may be empty when the text had no words."""

    closest: tuple[Entry, ...]


def entries_by_id() -> dict[str, Entry]:
    return {entry.id: entry for entry in ENTRIES}


def decide(result: MatchResult, entries: Mapping[str, Entry]) -> Answer | Fallback:
    """Answer only a confident match; otherwise offer the closest topics, never a guess.

    Topics that share nothing with the text (score 0) are not offered: they would be the
    first entries of the list, not the closest ones."""
    if result.entry_id is not None:
        return Answer(entries[result.entry_id])
    return Fallback(tuple(entries[scored.entry_id] for scored in result.closest if scored.score > 0))


def entry_operator(entry: Entry) -> str | None:
    """The operator whose contacts go with this answer, if any."""
    kind, _, operator = (entry.follow_up or "").partition(":")
    return operator if kind == "operator" else None


def follow_up_menu_entry(entry: Entry) -> str | None:
    """The main-menu entry the follow-up button leads to."""
    if entry.follow_up in ("check", "checklist"):
        return entry.follow_up
    return "contacts" if entry_operator(entry) else None


def has_contacts_placeholder(entry: Entry) -> bool:
    return CONTACTS_PLACEHOLDER in entry.answer


def section_entries(section: str) -> tuple[Entry, ...]:
    return tuple(entry for entry in ENTRIES if entry.section == section)


def unanswered_record(text: str) -> str:
    """What is kept of a question the bot could not answer: whitespace collapsed, what
    could identify a person masked (flows.privacy), at most UNANSWERED_MAX_CHARS characters."""
    text = mask_personal(" ".join(text.split()))
    if len(text) > UNANSWERED_MAX_CHARS:
        text = text[: UNANSWERED_MAX_CHARS - 1] + "…"
    return text
