"""Answering typed questions: what to show for a match, the operator contact card, the
"ask" screen, and what is kept of a question the bot could not answer.

Pure: the handler in bot/routers/questions.py translates the msgids, escapes the values
and sends. Matching itself is flows.qa.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from html import escape
from urllib.parse import urlsplit

from flows.knowledge import ENTRIES, Entry
from flows.operators import CANCELLATION_TEXTS, Confidence, Operator, contact
from flows.qa import Kind, MatchResult
from flows.texts import N_
from flows.views import _inactivity as operator_inactivity  # the card's own inactivity text

Translate = Callable[[str], str]

UNANSWERED_MAX_CHARS = 200
# Long digit runs are phone, passport or card numbers; e-mail addresses name a person.
# Neither helps to improve the answers, so they are masked before a question is kept.
_LONG_NUMBER_RE = re.compile(r"\+?\d(?:[\s().-]*\d){4,}")
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

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
    "Sorry, I can't answer that one yet.\n"
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
APP_LINE = N_("{operator}'s app: «{app}». Its chat can tell you how they end contracts.")
NO_APP_LINE = N_("We could not confirm an app for {operator}: see its website.")


def entries_by_id() -> dict[str, Entry]:
    return {entry.id: entry for entry in ENTRIES}


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
    return Fallback(tuple(entries[scored.entry_id] for scored in result.closest if scored.score > 0),
                    offer_check=story)


def follow_up_menu_entry(entry: Entry) -> str | None:
    """The main-menu entry the follow-up button leads to."""
    return entry.follow_up


def section_entries(section: str) -> tuple[Entry, ...]:
    return tuple(entry for entry in ENTRIES if entry.section == section)


def operator_name(operator: Operator) -> str:
    """The operator's name as shown to the reader."""
    return operator.name


def operator_detail(t: Translate, kind: str, operator: Operator) -> str:
    """What an answer adds for one operator (``Entry.operator_text``), as Telegram HTML.

    Every operator fact comes from the registry through the same texts the operator card
    uses (contacts, cancellation, inactivity), so a correction there reaches the answers."""
    name = escape(operator_name(operator))
    heading = t(FOR_OPERATOR).format(operator=name)
    if kind == "contacts":
        lines = [_render(t, line) for line in operator_card(operator)]
        body = "\n".join(lines) + f"\n<i>{_render(t, operator_source(operator))}</i>"
    elif kind == "cancellation":
        body = t(CANCELLATION_TEXTS[operator.id])
    elif kind == "inactivity":
        body = operator_inactivity(t, operator)
    elif kind == "app":
        body = (t(APP_LINE).format(operator=name, app=escape(operator.app)) if operator.app
                else t(NO_APP_LINE).format(operator=name))
        body += "\n" + _render(t, Text(N_("Website <a href=\"{url}\">{site}</a>."),
                                        {"url": str(operator.website), "site": _host(str(operator.website))}))
    else:
        raise ValueError(f"unknown operator text {kind!r}")
    return f"{heading}\n{body}"


def _render(t: Translate, text: Text) -> str:
    return t(text.msgid).format(**{name: escape(value) for name, value in text.values.items()})


def operator_card(operator: Operator) -> tuple[Text, ...]:
    """The operator's contacts as lines, straight from operators.json.

    A hotline is shown only when contact() allows it (never an L-confidence number); an M
    number carries a hedge. operator_source() says where the facts come from.
    """
    lines: list[Text] = []
    reach = contact(operator)
    if reach.kind == "phone":
        short = operator.short_number
        if short is not None and operator.confidence.short_number is not Confidence.L:
            lines.append(Text(N_("Hotline <code>{hotline}</code>, short number <code>{short}</code>."),
                              {"hotline": reach.value, "short": short}))
        else:
            lines.append(Text(N_("Hotline <code>{hotline}</code>."), {"hotline": reach.value}))
        if operator.confidence.hotline is Confidence.M:
            lines.append(Text(N_("Please confirm the number on the website before you rely on it.")))
    else:
        lines.append(Text(N_("We could not confirm a hotline number, so please take the "
                             "contacts from the website.")))
    site = {"url": str(operator.website), "site": _host(str(operator.website))}
    if operator.app:
        lines.append(Text(N_("Website <a href=\"{url}\">{site}</a>, app «{app}»."), site | {"app": operator.app}))
    else:
        lines.append(Text(N_("Website <a href=\"{url}\">{site}</a>."), site))
    return tuple(lines)


def operator_source(operator: Operator) -> Text:
    """Every operator fact shown carries its sources and the date they were checked."""
    sources = "; ".join(source.name for source in operator.sources)
    return Text(N_("Sources: {sources}. Checked {date}."),
                {"sources": sources, "date": operator.date_checked.isoformat()})


def _host(url: str) -> str:
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def unanswered_record(text: str) -> str:
    """What is kept of a question the bot could not answer: whitespace collapsed, long
    numbers and e-mail addresses masked, at most UNANSWERED_MAX_CHARS characters."""
    text = _EMAIL_RE.sub("…@…", " ".join(text.split()))
    text = _LONG_NUMBER_RE.sub("###", text)
    if len(text) > UNANSWERED_MAX_CHARS:
        text = text[: UNANSWERED_MAX_CHARS - 1] + "…"
    return text
