"""The main menu's screens: the greeting, /help, /cancel, and the short answers to what no
flow understood (each ends with the menu)."""

from __future__ import annotations

from html import escape

from flows.facts import Reader


def menu_text(r: Reader) -> str:
    _ = r.t
    return _("What would you like to do?")


def welcome_text(r: Reader, first_name: str) -> str:
    _ = r.t
    return _(
        "Hello, {name}! I help you cancel a Russian SIM card safely: whether you can, "
        "how, what to bring and what to do first.\n\n"
        "I store only your Telegram id, language, answers and checklist, so that you "
        "can come back later. /privacy tells more, /forget deletes it all."
    ).format(name=escape(first_name))


def help_text(r: Reader) -> str:
    _ = r.t
    return _(
        "<b>How to use this bot</b>\n"
        "Press the buttons under my messages, or type a question in your own words. "
        "Commands:\n\n"
        "/menu – the main menu\n"
        "/check – can I cancel my SIM? a few questions\n"
        "/checklist – what to do before cancelling\n"
        "/contacts – operator contacts\n"
        "/ask – ask a question\n"
        "/progress – where you are and what to do next\n"
        "/reminders – your reminders\n"
        "/settings – language, time zone, deleting your data\n"
        "/language – change the language\n"
        "/cancel – leave what you are doing (or press ✖️ Cancel)\n"
        "/privacy – what I store and why\n"
        "/forget – delete everything I store about you\n\n"
        "I am not the operator: for anything about your own contract, the operator has "
        "the final word."
    )


def cancelled_text(r: Reader, anything: bool) -> str:
    """/cancel's answer: whether there was a step to leave, then the menu."""
    _ = r.t
    text = _("Cancelled.") if anything else _("There is nothing to cancel.")
    return f"{text}\n\n{menu_text(r)}"


def unknown_command_text(r: Reader) -> str:
    _ = r.t
    return _("I don't know that command. /help lists the ones I have.") + "\n\n" + menu_text(r)


def text_mid_step(r: Reader) -> str:
    _ = r.t
    return _(
        "I am waiting for you to press a button under my last question. Press one, "
        "or send /cancel to leave that step; then you can type any question."
    ) + "\n\n" + menu_text(r)


def not_text(r: Reader) -> str:
    _ = r.t
    return _("I can read only text and buttons, not stickers, photos, voice or files.") + "\n\n" + menu_text(r)
