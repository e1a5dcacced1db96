"""One router per flow; the order of ``all_routers`` is the order updates try them."""

from aiogram import Router

from bot.routers import (
    admin,
    checklist,
    contacts,
    eligibility,
    fallback,
    howto,
    language,
    membership,
    phrases,
    privacy,
    questions,
    reminders,
    settings,
    start,
)


def all_routers() -> list[Router]:
    # fallback comes last: it answers whatever no flow took.
    return [membership.create_router(), start.create_router(), language.create_router(),
            privacy.create_router(), settings.create_router(), phrases.create_router(), eligibility.create_router(), howto.create_router(),
            contacts.create_router(), checklist.create_router(), reminders.create_router(),
            admin.create_router(), questions.create_router(), fallback.create_router()]
