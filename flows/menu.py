"""The main menu as data: what a user can do, in the order they meet it."""

from __future__ import annotations

from dataclasses import dataclass

from flows.texts import N_


@dataclass(frozen=True, slots=True)
class MenuEntry:
    id: str
    label: str  # msgid


MAIN_MENU: tuple[MenuEntry, ...] = (
    MenuEntry("check", N_("✅ Can I cancel my SIM?")),
    MenuEntry("howto", N_("🧭 How to cancel")),
    MenuEntry("checklist", N_("📋 Checklist and reminders")),
    MenuEntry("ask", N_("❓ Ask a question")),
    MenuEntry("contacts", N_("☎️ Operator contacts")),
    MenuEntry("progress", N_("📍 My progress")),
    MenuEntry("language", N_("🌐 Language")),
)

MENU_IDS = frozenset(entry.id for entry in MAIN_MENU)


def entry(entry_id: str) -> MenuEntry:
    """The entry with this id; buttons elsewhere that lead to an entry reuse its label.

    Raises KeyError for an unknown id.
    """
    for candidate in MAIN_MENU:
        if candidate.id == entry_id:
            return candidate
    raise KeyError(entry_id)


# The command menu, in this order; the first five after /menu are the ones people guess.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Start and show the menu")),
    ("menu", N_("Main menu")),
    ("check", N_("Can I cancel my SIM? A few questions")),
    ("checklist", N_("What to do before cancelling")),
    ("contacts", N_("Operator contacts")),
    ("ask", N_("Ask a question")),
    ("progress", N_("Where I am and what to do next")),
    ("reminders", N_("My reminders")),
    ("settings", N_("Language, time zone, deleting my data")),
    ("language", N_("Change the language")),
    ("timezone", N_("Time zone for reminders")),
    ("help", N_("How to use the bot")),
    ("cancel", N_("Leave the current step")),
    ("privacy", N_("What the bot stores")),
    ("forget", N_("Delete my data")),
)
# Added to the menu of each admin only (a chat scope), after the commands everyone has.
ADMIN_COMMANDS: tuple[tuple[str, str], ...] = (
    ("broadcast", N_("Send a message to users")),
    ("broadcast_cancel", N_("Stop the broadcast being sent")),
    ("stats", N_("Statistics")),
)
