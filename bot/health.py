"""GET /healthz and GET /metrics, on the webhook listener or on HEALTH_LISTEN."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from bot.metrics import CONTENT_TYPE, Metrics
from bot.repositories.monitoring import MonitoringRepository

log = logging.getLogger(__name__)

# The database must answer a trivial read within this time.
DB_TIMEOUT = 3.0
# aiogram long-polls for 10 s; several missed polls in a row mean updates no longer arrive.
FETCH_STALE_AFTER = 90.0
# An update handled for longer than this is stuck (a handler waits on something dead).
STUCK_AFTER = 120.0


class Health:
    def __init__(self, metrics: Metrics, monitoring: MonitoringRepository, *, polling: bool) -> None:
        self.metrics = metrics
        self.monitoring = monitoring
        self.polling = polling

    async def problems(self) -> list[str]:
        """What is wrong now; empty when the bot is healthy."""
        found = []
        try:
            await asyncio.wait_for(self.monitoring.ping(), DB_TIMEOUT)
        except Exception as error:  # any failure of the database is the answer
            found.append(f"database: {type(error).__name__}")
        if self.polling:
            last = self.metrics.last_fetch
            since = None if last is None else self.metrics.clock() - last
            if since is None or since > FETCH_STALE_AFTER:
                found.append("updates: no answer from getUpdates" +
                             ("" if since is None else f" for {since:.0f} s"))
        oldest = self.metrics.oldest_in_hand()
        if oldest is not None and oldest > STUCK_AFTER:
            found.append(f"updates: one has been in hand for {oldest:.0f} s")
        return found


def add_routes(app: web.Application, health: Health, metrics: Metrics) -> None:
    async def healthz(request: web.Request) -> web.Response:
        problems = await health.problems()
        if problems:
            return web.Response(status=503, text="unhealthy: " + "; ".join(problems) + "\n")
        return web.Response(text="ok\n")

    async def prometheus(request: web.Request) -> web.Response:
        body = await metrics.render(health.monitoring)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", prometheus)


class ListenError(Exception):
    """A listener cannot bind; the message names its setting."""


async def serve(app: web.Application, host: str, port: int, setting: str) -> web.AppRunner:
    """Start serving ``app`` on the address of ``setting`` (WEBHOOK_LISTEN, HEALTH_LISTEN)."""
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as error:
        await runner.cleanup()
        raise ListenError(f"{setting}: cannot listen on {host}:{port}: {error.strerror or error}") from None
    log.info("Serving %s on %s:%d", "updates, /healthz and /metrics" if setting == "WEBHOOK_LISTEN"
             else "/healthz and /metrics", host, port)
    return runner
