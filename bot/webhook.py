"""Webhook mode: Telegram posts updates to WEBHOOK_URL; aiogram's aiohttp integration
serves them on WEBHOOK_LISTEN, beside /healthz and /metrics.

Each update is recorded in the update journal, then handled, and only then is the post
answered: an update the process did not finish (a crash, a stop) is not confirmed, Telegram
delivers it again, and the journal knows a copy from a new update.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bot.config import Settings
from bot.health import add_routes, serve
from bot.journal import UpdateJournal
from bot.middlewares import InFlight

log = logging.getLogger(__name__)


class JournalledRequestHandler(SimpleRequestHandler):
    """aiogram's handler for one bot, recording each update before handling it, as the
    polling side records each getUpdates answer."""

    def __init__(self, journal: UpdateJournal, dispatcher: Dispatcher, bot: Bot, secret_token: str) -> None:
        super().__init__(dispatcher, bot, handle_in_background=False, secret_token=secret_token)
        self.journal = journal

    async def _handle_request(self, bot: Bot, request: web.Request) -> web.Response:
        update = Update.model_validate(await request.json(loads=bot.session.json_loads), context={"bot": bot})
        await self.journal.record([update])
        result = await self.dispatcher.feed_webhook_update(bot, update, **self.data)
        return web.Response(body=self._build_response_writer(bot=bot, result=result))


def webhook_path(url: str) -> str:
    return urlsplit(url).path or "/"


def create_app(settings: Settings, dispatcher: Dispatcher, bot: Bot) -> web.Application:
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    app = web.Application()
    in_flight: InFlight = dispatcher["in_flight"]

    async def finish_in_flight(_: web.Application) -> None:
        # Before aiogram's own shutdown hooks close the session under the handlers.
        if not await in_flight.drain(settings.stop_timeout):
            log.warning("Stopped with updates still being handled after %.0f s; they are handled "
                        "again at the next start (on PostgreSQL, by any instance once their lease runs out)",
                        settings.stop_timeout)

    app.on_shutdown.append(finish_in_flight)
    JournalledRequestHandler(
        dispatcher["journal"], dispatcher, bot, settings.webhook_secret.get_secret_value(),
    ).register(app, path=webhook_path(settings.webhook_url))
    add_routes(app, dispatcher["health"], dispatcher["metrics"])
    setup_application(app, dispatcher, bot=bot)
    return app


async def register_webhook(settings: Settings, dispatcher: Dispatcher, bot: Bot) -> None:
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    await bot.set_webhook(
        url=settings.webhook_url,
        secret_token=settings.webhook_secret.get_secret_value(),
        allowed_updates=dispatcher.resolve_used_update_types(),
        drop_pending_updates=False,
    )


async def run_webhook(settings: Settings, dispatcher: Dispatcher, bot: Bot) -> None:
    """Serve until SIGTERM or SIGINT."""
    host, port = settings.webhook_listen
    runner = await serve(create_app(settings, dispatcher, bot), host, port, "WEBHOOK_LISTEN")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
        log.info("Stopping the webhook listener")
    finally:
        await runner.cleanup()
