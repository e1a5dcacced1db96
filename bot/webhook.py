"""Webhook mode: Telegram posts updates to WEBHOOK_URL; aiogram's aiohttp integration
serves them on WEBHOOK_LISTEN, beside /healthz and /metrics.

Each post is answered only once its update has been handled, so an update the process did
not finish (a crash, a stop) is not confirmed, and Telegram delivers it again.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bot.config import Settings
from bot.health import add_routes, serve
from bot.middlewares import InFlight

log = logging.getLogger(__name__)

# How long a stop waits for the updates in hand; those not finished are not confirmed.
DRAIN_SECONDS = 30.0


def webhook_path(url: str) -> str:
    return urlsplit(url).path or "/"


def create_app(settings: Settings, dispatcher: Dispatcher, bot: Bot) -> web.Application:
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    app = web.Application()
    in_flight: InFlight = dispatcher["in_flight"]

    async def finish_in_flight(_: web.Application) -> None:
        # Before aiogram's own shutdown hooks close the session under the handlers.
        if not await in_flight.drain(DRAIN_SECONDS):
            log.warning("Stopped with updates still being handled after %.0f s; Telegram sends them again",
                        DRAIN_SECONDS)

    app.on_shutdown.append(finish_in_flight)
    SimpleRequestHandler(
        dispatcher, bot, handle_in_background=False,
        secret_token=settings.webhook_secret.get_secret_value(),
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
