"""/privacy and the /forget confirmation."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.callbacks import ForgetCb
from bot.keyboards import button, column
from flows.facts import Reader


def privacy_text(r: Reader) -> str:
    _ = r.t
    return _(
        "<b>What I store, and why</b>\n"
        "• your Telegram id – to know it is you when you come back;\n"
        "• your language – to answer in it;\n"
        "• when you first and last wrote – for anonymous usage counts;\n"
        "• your answers, checklist ticks, reminders and where you are in a "
        "conversation – so that nothing is lost if you leave or the bot restarts;\n"
        "• your 👍/👎 on my answers – to see which answers need work.\n\n"
        "Questions I could not answer are kept, shortened, with numbers, names, "
        "usernames, links and e-mail addresses removed and without your id, to "
        "improve the answers; "
        "/forget cannot find them because nothing links them to you.\n\n"
        "Apart from those, I do not store your name, phone number, passport data or "
        "the texts of your messages. Nothing is shared with operators or anyone "
        "else.\n\n"
        "/forget deletes all of it at once."
    )


def forget_question(r: Reader) -> tuple[str, InlineKeyboardMarkup]:
    _ = r.t
    text = _(
        "This deletes everything I store about you: language, answers, checklist, "
        "reminders and your place in any conversation. It cannot be undone.\n\n"
        "Delete it all?"
    )
    return text, column([button(_("🗑 Yes, delete everything"), ForgetCb(confirm=True)),
                         button(_("Keep my data"), ForgetCb(confirm=False))])


def forgotten_text(r: Reader) -> str:
    _ = r.t
    return _("Done: everything I stored about you is deleted. Send /start if you want to begin again.")


def kept_text(r: Reader) -> str:
    _ = r.t
    return _("Nothing was deleted.")
