"""Every Bot API call the bot makes passes here: one limiter and one retry policy for all.

Installed as aiogram's session request middleware, so handler replies, reminders and
broadcasts all meet the same limits:

- **Per chat**: about one message a second after a short burst (a GCRA), as Telegram asks.
- **In all**: strictly spaced below Telegram's 30 messages a second; replies go through
  before bulk sends (reminders, broadcasts), which are marked with ``bulk_sends()``.
- **429**: the call waits its retry_after and is made again. A 429 on one chat pauses that
  chat; a second chat's 429 (or a bulk send's) means the bot as a whole is throttled, so
  every sender pauses. Bulk sends get the 429 back after the pause has been set: their
  senders keep their own bookkeeping (attempts, outcomes per recipient).
- **5xx, a non-JSON answer (an HTML 502 from a proxy) and network errors** are retried with
  backoff where a second copy is impossible or harmless: callback answers, edits,
  deletions, commands, and a handler's reply. A reply that may in fact have arrived (a
  timeout after the request went out) is sent again: a user who sees the answer twice has
  lost nothing, one who sees nothing has. Bulk sends are not retried here: a duplicate
  there reaches thousands of people, so their senders decide (see bot/broadcaster.py).
- **answerCallbackQuery "query is too old"** is logged and treated as answered: the toast
  no longer matters, the handler's real work does.

Only calls that put a message in a chat are counted (send*, copy*, forward*, edits; edits
in the global rate only); callback answers, getUpdates and the like pass at once.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiogram.client.session.base import BaseSession
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramBadRequest,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)

if TYPE_CHECKING:
    from aiogram import Bot
    from aiogram.methods import Response, TelegramMethod
    from aiogram.methods.base import TelegramType

log = logging.getLogger(__name__)

_BULK: ContextVar[bool] = ContextVar("bulk_send", default=False)

# Repeating these changes nothing the user sees twice (getUpdates is left to the polling
# loop, which has its own backoff; the start-up relies on this for deleteWebhook/setWebhook).
SAFE_TO_REPEAT = frozenset({
    "answerCallbackQuery", "editMessageText", "editMessageReplyMarkup", "editMessageCaption",
    "deleteMessage", "setMyCommands", "deleteMyCommands", "deleteWebhook", "setWebhook", "getMe",
    "sendChatAction",
})
RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0)  # seconds before each repeat of a failed call
# A reply keeps waiting out 429s for this long in all; after that the user has moved on.
MAX_FLOOD_WAIT = 120.0
QUERY_TOO_OLD = ("query is too old", "query id is invalid")


@contextmanager
def bulk_sends() -> Iterator[None]:
    """Mark the calls made in this block (and in tasks started from it) as bulk sends."""
    token = _BULK.set(True)
    try:
        yield
    finally:
        _BULK.reset(token)


def counted(method_name: str) -> bool:
    """Whether the call puts a message in a chat, so that Telegram's rate limits apply."""
    if method_name == "sendChatAction":
        return False
    return method_name.startswith(("send", "copyMessage", "forwardMessage", "editMessage"))


@dataclass(frozen=True)
class Limits:
    per_second: float = 28.0  # all chats together; Telegram's is about 30
    chat_interval: float = 1.0  # then one message a second per chat...
    chat_burst: int = 5  # ...after this many at once


class GlobalGate:
    """All chats together: strictly spaced, replies before bulk sends, held during a pause."""

    def __init__(self, per_second: float, clock: Callable[[], float], sleep: Callable[[float], Awaitable[Any]]) -> None:
        self._interval = 1.0 / per_second
        self._clock = clock
        self._sleep = sleep
        self._next = float("-inf")
        self.paused_until = float("-inf")
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._pump: asyncio.Task[None] | None = None

    async def enter(self, bulk: bool) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (int(bulk), next(self._order), future))
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._release(), name="outbound-gate")
        await future

    def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, self._clock() + seconds)

    async def _release(self) -> None:
        # One waiter per interval, the best first; a pause set meanwhile is seen on waking.
        while self._waiting:
            now = self._clock()
            start = max(self._next, self.paused_until)
            if start > now:
                await self._sleep(start - now)
                continue
            _, _, future = heapq.heappop(self._waiting)
            if future.done():  # its caller was cancelled
                continue
            future.set_result(None)
            self._next = now + self._interval


class ChatPacer:
    """Per chat: a GCRA, i.e. a burst of ``burst`` then one every ``interval`` seconds."""

    MAX_CHATS = 10_000  # forgotten once idle, so the table stays small

    def __init__(self, interval: float, burst: int, clock: Callable[[], float],
                 sleep: Callable[[float], Awaitable[Any]]) -> None:
        self._interval = interval
        self._tolerance = interval * (burst - 1)
        self._clock = clock
        self._sleep = sleep
        self._tat: dict[int, float] = {}  # theoretical arrival time of the next message
        self._paused: dict[int, float] = {}

    async def turn(self, chat_id: int) -> None:
        while True:
            now = self._clock()
            if len(self._tat) > self.MAX_CHATS:
                self._forget_idle(now)
            # After a 429 the chat starts again with no burst.
            after_pause = self._paused.get(chat_id, now - self._tolerance) + self._tolerance
            tat = max(self._tat.get(chat_id, now), now, after_pause)
            allowed = max(now, tat - self._tolerance)
            self._tat[chat_id] = tat + self._interval
            if allowed > now:
                await self._sleep(allowed - now)
            if self._clock() >= self._paused.get(chat_id, float("-inf")):
                return  # no 429 paused the chat while this caller slept

    def pause(self, chat_id: int, seconds: float) -> None:
        self._paused[chat_id] = max(self._paused.get(chat_id, float("-inf")), self._clock() + seconds)

    def _forget_idle(self, now: float) -> None:
        self._tat = {chat: tat for chat, tat in self._tat.items() if tat > now}
        self._paused = {chat: until for chat, until in self._paused.items() if until > now}


class Outbound(BaseRequestMiddleware):
    """The session middleware; ``limits=None`` for an API without Telegram's limits (the
    local chat), keeping the retry policy."""

    def __init__(
        self,
        limits: Limits | None = Limits(),
        *,
        retry_delays: tuple[float, ...] = RETRY_DELAYS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.retry_delays = retry_delays
        self._clock = clock
        self._sleep = sleep
        self.gate = GlobalGate(limits.per_second, clock, sleep) if limits else None
        self.chats = ChatPacer(limits.chat_interval, limits.chat_burst, clock, sleep) if limits else None
        self._last_flood: tuple[int | None, float] = (None, float("-inf"))

    async def __call__(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                       method: TelegramMethod[TelegramType]) -> Response[TelegramType]:
        name = method.__api_method__
        chat_id = getattr(method, "chat_id", None)
        chat_id = chat_id if isinstance(chat_id, int) else None
        bulk = _BULK.get()
        is_counted = counted(name)
        failures = 0
        flood_wait = 0.0
        while True:
            if is_counted:
                # Edits change a message already there: Telegram paces new messages per chat.
                await self._wait_turn(None if name.startswith("edit") else chat_id, bulk)
            try:
                result = await make_request(bot, method)
            except TelegramRetryAfter as error:
                self._flood(chat_id, bulk, error.retry_after)
                flood_wait += error.retry_after
                if bulk or flood_wait > MAX_FLOOD_WAIT:
                    raise
                log.warning("429 on %s: waiting %s s, then sending again", name, error.retry_after)
                await self._sleep(error.retry_after)
                continue
            except TelegramBadRequest as error:
                if name == "answerCallbackQuery" and any(part in error.message.lower() for part in QUERY_TOO_OLD):
                    # The spinner is gone by now anyway; what the handler does next still matters.
                    log.info("Callback answered too late: %s", error.message)
                    return True  # type: ignore[return-value]
                raise
            except (TelegramServerError, TelegramNetworkError, ClientDecodeError) as error:
                if bulk or not (name in SAFE_TO_REPEAT or is_counted) or failures >= len(self.retry_delays):
                    if isinstance(error, ClientDecodeError):
                        raise not_json(method, error) from error
                    raise
                delay = self.retry_delays[failures]
                failures += 1
                log.warning("%s failed (%s); trying again in %.1f s", name, describe(error), delay)
                await self._sleep(delay)
                continue
            return result

    async def _wait_turn(self, chat_id: int | None, bulk: bool) -> None:
        if self.chats is not None and chat_id is not None:
            await self.chats.turn(chat_id)
        if self.gate is not None:
            await self.gate.enter(bulk)

    def _flood(self, chat_id: int | None, bulk: bool, seconds: float) -> None:
        """Pause the chat, or every sender when the bot as a whole is throttled."""
        now = self._clock()
        last_chat, last_at = self._last_flood
        self._last_flood = (chat_id, now)
        whole_bot = bulk or chat_id is None or (last_chat != chat_id and now - last_at < max(seconds, 1.0))
        if self.chats is not None and chat_id is not None:
            self.chats.pause(chat_id, seconds)
        if whole_bot and self.gate is not None:
            log.warning("Telegram throttles the bot: every send waits %s s", seconds)
            self.gate.pause(seconds)


def install(session: BaseSession, limits: Limits | None) -> None:
    """Put the outbound policy on a session: every call made through it passes there."""
    session.middleware(Outbound(limits))


def not_json(method: TelegramMethod[Any], error: ClientDecodeError) -> TelegramServerError:
    """A non-JSON answer (an HTML 502 page from a proxy) is a server error like a JSON 5xx,
    so that every caller handles it as one."""
    return TelegramServerError(method=method, message=f"not a Bot API answer ({error.message})")


def describe(error: Exception) -> str:
    return error.message if isinstance(error, TelegramNetworkError | TelegramServerError) else type(error).__name__
