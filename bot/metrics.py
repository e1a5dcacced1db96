"""Prometheus metrics of one bot process, in a registry of its own (no module-level state).

Counted where they happen: every update (UpdateMetrics), every Bot API call and its result
(RequestMetrics, on the bot's session). Reminders and broadcasts are read from the database
when scraped, so their figures survive restarts and need no hook in the senders.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import TelegramObject, Update
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from bot.repositories.monitoring import MonitoringRepository

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Methods that deliver something to a user; the rest (getUpdates, setMyCommands…) are
# counted as calls only.
SENDS = frozenset({"sendMessage", "copyMessage", "editMessageText", "editMessageReplyMarkup",
                   "answerCallbackQuery", "sendPhoto", "sendDocument"})


class Metrics:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.registry = CollectorRegistry()
        self._updates = Counter("bot_updates", "Updates received, by type", ["type"], registry=self.registry)
        self._handler_seconds = Histogram(
            "bot_handler_seconds", "Time from an update's arrival to the end of its handling",
            buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30), registry=self.registry)
        self._calls = Counter("bot_api_calls", "Bot API calls, by method and result", ["method", "result"],
                              registry=self.registry)
        self._sends = Counter("bot_sends", "Messages sent to users (sends, edits, copies, toasts), by result",
                              ["result"], registry=self.registry)
        self._rate_limited = Counter("bot_rate_limited", "429 Too Many Requests answers", registry=self.registry)
        self._in_hand = Gauge("bot_updates_in_hand", "Updates being handled now", registry=self.registry)
        self._last_fetch = Gauge("bot_last_update_fetch_timestamp_seconds",
                                 "When a getUpdates call last succeeded (polling mode)",
                                 registry=self.registry)
        self._reminders = Gauge("bot_reminders", "Reminders by status", ["status"], registry=self.registry)
        self._reminders_due = Gauge("bot_reminders_due", "Pending reminders whose time has come",
                                    registry=self.registry)
        self._broadcast = Gauge("bot_broadcast_recipients", "Recipients of the broadcasts being sent, by status",
                                ["status"], registry=self.registry)
        self._broadcasts_running = Gauge("bot_broadcasts_running", "Broadcasts being sent",
                                         registry=self.registry)
        # Monotonic times for the health check; the gauges above carry wall-clock times.
        self.last_fetch: float | None = None
        self.handling: dict[int, float] = {}  # update_id -> when its handling began

    # --- what the bot's parts report ----------------------------------------------------

    def update_received(self, kind: str) -> None:
        self._updates.labels(kind).inc()

    def update_handled(self, seconds: float) -> None:
        self._handler_seconds.observe(seconds)

    def fetched(self) -> None:
        """Updates arrived from Telegram (or an empty long poll ended normally)."""
        self.last_fetch = self.clock()
        self._last_fetch.set_to_current_time()

    def call(self, method: str, result: str) -> None:
        self._calls.labels(method, result).inc()
        if method in SENDS:
            self.sent(result)

    def sent(self, result: str) -> None:
        """One message to a user: "ok", "blocked", "rate_limited", "bad_request", "server_error"…"""
        self._sends.labels(result).inc()

    def rate_limited(self) -> None:
        self._rate_limited.inc()

    def oldest_in_hand(self) -> float | None:
        """Seconds the longest-running update has been in hand, None if none is."""
        return self.clock() - min(self.handling.values()) if self.handling else None

    # --- scraping -----------------------------------------------------------------------

    async def render(self, monitoring: MonitoringRepository) -> bytes:
        reminders, due = await monitoring.reminders(int(time.time()))
        self._reminders.clear()
        for status, count in reminders.items():
            self._reminders.labels(status).set(count)
        self._reminders_due.set(due)
        recipients, running = await monitoring.broadcasts()
        self._broadcast.clear()
        for status, count in recipients.items():
            self._broadcast.labels(status).set(count)
        self._broadcasts_running.set(running)
        self._in_hand.set(len(self.handling))
        return generate_latest(self.registry)


class UpdateMetrics(BaseMiddleware):
    """Outermost update middleware: counts updates and times their whole handling."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        metrics = self.metrics
        metrics.update_received(event.event_type)
        began = metrics.clock()
        metrics.handling[event.update_id] = began
        try:
            return await handler(event, data)
        finally:
            metrics.handling.pop(event.update_id, None)
            metrics.update_handled(metrics.clock() - began)


def call_result(error: Exception | None) -> str:
    match error:
        case None:
            return "ok"
        case TelegramRetryAfter():
            return "rate_limited"
        case TelegramForbiddenError():
            return "blocked"
        case TelegramUnauthorizedError():
            return "unauthorized"
        case TelegramConflictError():
            return "conflict"
        case TelegramBadRequest():
            return "bad_request"
        case TelegramServerError():
            return "server_error"
        case TelegramNetworkError():
            return "network_error"
        case _:
            return "error"


class RequestMetrics(BaseRequestMiddleware):
    """On the bot's session: the result of every Bot API call, 429s, and when updates last
    arrived."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    async def __call__(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                       method: TelegramMethod[TelegramType]) -> Response[TelegramType]:
        name = method.__api_method__
        try:
            response = await make_request(bot, method)
        except Exception as error:
            self.metrics.call(name, call_result(error))
            if isinstance(error, TelegramRetryAfter):
                self.metrics.rate_limited()
            raise
        self.metrics.call(name, "ok")
        if isinstance(method, GetUpdates):
            self.metrics.fetched()
        return response
