"""Answering typed questions: what to show for a match, the operator contact card, the
"ask" screen, and what is kept of a question the bot could not answer.

Pure: the handler in bot/routers/questions.py translates the msgids, escapes the values
and sends. Matching itself is flows.qa.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from html import escape

from flows.facts import Reader
from flows.knowledge import ENTRIES, MERGED_INTO, Entry
from flows.operator_texts import (
    app_text,
    cancellation_text,
    contacts_text,
    inactivity_text,
    sources_text,
)
from flows.operators import Operator, Registry
from flows.privacy import mask_personal
from flows.qa import Kind, MatchResult, refine
from flows.texts import N_

UNANSWERED_MAX_CHARS = 200
# Long digit runs are phone, passport or card numbers; e-mail addresses name a person.
# Neither helps to improve the answers, so they are masked before a question is kept.

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
    "Just type it in your own words, in Chinese, Russian or English, at any time, even "
    "in the middle of the check or another step. For example:"
)
ASK_TOPICS = N_("Or pick a topic:")
SECTION_HEADER = N_("<b>{section}</b>: pick a topic.")
HELPFUL_PROMPT = N_("Was this helpful?")
FALLBACK_TEXT = N_(
    "Sorry, I can't answer that one yet.\n"
    "These topics come closest; one of them may help. You can also ask in other words, "
    "or choose from the menu."
)
NOTHING_TO_MATCH = N_(
    "I could not find a question in that. Type it in words, for example "
    "“how to cancel from abroad”, or choose from the menu."
)


@dataclass(frozen=True, slots=True)
class Answer:
    """The intent's answer; ``operator`` is the operator to fill in (None: not named).

    ``ask_operator``: the answer depends on the operator and none was named, so one set
    of buttons asks which. ``offer_check``: the message told a story, so the check leads.
    """

    entry: Entry
    operator: str | None = None
    ask_operator: bool = False
    offer_check: bool = False


@dataclass(frozen=True, slots=True)
class Fallback:
    """No entry fits well enough; ``closest`` may be empty when the text had no words."""

    closest: tuple[Entry, ...]
    offer_check: bool = False


@dataclass(frozen=True, slots=True)
class Reply:
    """Not a question (a greeting, thanks, a typed time, nothing readable): a short word
    and the menu."""

    msgid: str


SMALL_TALK: dict[Kind, str] = {
    Kind.GREETING: N_(
        "Hello! Ask me anything about cancelling a Russian SIM, in your own words, for example "
        "“how do I cancel from abroad”, or choose from the menu."
    ),
    Kind.THANKS: N_("You're welcome! Ask me anything else, or choose from the menu."),
    Kind.ACK: N_("👌 Anything else? Type your question in your own words, or choose from the menu."),
    Kind.TIME: N_(
        "That looks like a time. To be reminded of something, open 📋 Checklist and reminders "
        "and choose the item first."
    ),
    Kind.EMPTY: NOTHING_TO_MATCH,
}
STORY_TEXT = N_(
    "Thank you for telling me about your situation. It has several parts, so the check is "
    "the best start: a few quick questions, then what you can do in your case. "
    "These topics may help too:"
)
STORY_ANSWER_NOTE = N_("✅ Your situation has several parts: the check below gives an answer for your case.")
ASK_OPERATOR = N_("Which operator? Choose it for its own rules and contacts:")
FOR_OPERATOR = N_("<b>For {operator}:</b>")


def entries_by_id() -> dict[str, Entry]:
    """Each entry by its id, and by the ids of the topics merged into it (older buttons)."""
    by_id = {entry.id: entry for entry in ENTRIES}
    return by_id | {old: by_id[new] for old, new in MERGED_INTO.items()}


def decide(result: MatchResult, entries: Mapping[str, Entry],
           operators: Collection[str] = ()) -> Answer | Fallback | Reply:
    """Answer only a confident match, with the details it gave; never a guess.

    Topics that share nothing with the text (score 0) are not offered: they would be the
    first entries of the list, not the closest ones. An operator the question named is
    filled in only if the answer depends on the operator and the registry knows it."""
    story = result.kind is Kind.STORY
    if result.entry_id is not None:
        entry = entries[result.entry_id]
        operator = result.details.operator if result.details.operator in operators else None
        if entry.operator_text is None:
            operator = None
        return Answer(entry, operator, ask_operator=entry.operator_text is not None and operator is None,
                      offer_check=story)
    if result.kind in SMALL_TALK:
        return Reply(SMALL_TALK[result.kind])
    # The closest topics as they would be answered for this user's details ("how to cancel"
    # is "cancel from abroad" for someone abroad), each once.
    closest = dict.fromkeys(
        refine(scored.entry_id, result.details) for scored in result.closest if scored.score > 0
    )
    return Fallback(tuple(entries[entry_id] for entry_id in closest), offer_check=story)


def follow_up_menu_entry(entry: Entry) -> str | None:
    """The main-menu entry the follow-up button leads to."""
    return entry.follow_up


def section_entries(section: str) -> tuple[Entry, ...]:
    return tuple(entry for entry in ENTRIES if entry.section == section)


def operator_detail(reader: Reader, kind: str, operator: Operator, registry: Registry) -> str:
    """What an answer adds for one operator (``Entry.operator_text``), as Telegram HTML.

    Every operator fact comes from the registry through the texts the operator card uses
    (flows.operator_texts), so a correction there reaches the answers, worded as firmly as
    its confidence allows."""
    heading = reader.t(FOR_OPERATOR).format(operator=escape(operator.name(reader.lang)))
    if kind == "contacts":
        body = contacts_text(reader, operator) + "\n" + sources_text(reader, operator, registry)
    elif kind == "cancellation":
        body = cancellation_text(reader, operator)
    elif kind == "inactivity":
        body = inactivity_text(reader, operator)
    elif kind == "app":
        body = app_text(reader, operator)
    else:
        raise ValueError(f"unknown operator text {kind!r}")
    return f"{heading}\n{body}"


def unanswered_record(text: str) -> str:
    """What is kept of a question the bot could not answer: whitespace collapsed, what
    could identify a person masked (flows.privacy), at most UNANSWERED_MAX_CHARS characters."""
    text = mask_personal(" ".join(text.split()))
    if len(text) > UNANSWERED_MAX_CHARS:
        text = text[: UNANSWERED_MAX_CHARS - 1] + "…"
    return text
