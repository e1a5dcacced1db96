"""The main menu as data: what a user can do, in the order they meet it."""

from __future__ import annotations

from dataclasses import dataclass

from flows.texts import N_


@dataclass(frozen=True, slots=True)
class MenuEntry:
    id: str
    label: str  # msgid
    ready: bool  # False: the flow is not built yet, and the bot says so honestly


MAIN_MENU: tuple[MenuEntry, ...] = (
    MenuEntry("check", N_("✅ Can I cancel my SIM?"), ready=True),
    MenuEntry("howto", N_("🧭 How to cancel"), ready=True),
    MenuEntry("checklist", N_("📋 Checklist and reminders"), ready=True),
    MenuEntry("ask", N_("❓ Ask a question"), ready=True),
    MenuEntry("contacts", N_("☎️ Operator contacts"), ready=True),
    MenuEntry("progress", N_("📍 My progress"), ready=True),
    MenuEntry("language", N_("🌐 Language"), ready=True),
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
