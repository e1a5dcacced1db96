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
