"""A fake Telegram Bot API server over real HTTP, for the end-to-end tests.

Messages, buttons and Telegram's validation come from LocalBotAPI; this module adds what only
HTTP has: the token in the URL, form and JSON bodies, and getUpdates with long polling, offsets
and redelivery of unconfirmed updates, as the real server does it; or, with a webhook set and
``webhook_targets`` given, posts of each update to the bot's listeners in turn, as Telegram and
a load balancer in front of several instances do, again to the next one until one answers 200.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientError, ClientSession, web

from bot.local_api import LocalBotAPI, Shown

UNAUTHORIZED = {"ok": False, "error_code": 401, "description": "Unauthorized"}
CONFLICT = {"ok": False, "error_code": 409,
            "description": "Conflict: terminated by other getUpdates request; "
                           "make sure that only one bot instance is running"}
MAX_LIMIT = 100
REPOST_AFTER = 0.2  # seconds before an update whose post failed is posted to the next listener
POST_FOR = 60.0  # seconds an update is posted again before the fake gives up on it


@dataclass
class Call:
    """One request the bot made, as it arrived, and for getUpdates the update ids returned."""

    method: str
    params: dict[str, str]
    at: float  # time.monotonic()
    status: int = 0  # 0: not answered (yet, or the client went away)
    update_ids: list[int] = field(default_factory=list)


@dataclass
class Post:
    """One post of an update to a webhook listener, and its answer (0: none, the connection failed)."""

    update_id: int
    target: str
    status: int = 0


@dataclass
class Fault:
    """What the next ``times`` calls of a method meet: a delay, then an error if ``status``."""

    delay: float = 0.0
    status: int | None = None
    description: str = ""
    retry_after: int | None = None
    times: int = 1
    html: bool = False  # the error as an HTML page, as a proxy in front of the API sends it
    redirect: bool = False  # a redirect to the same URL: a loop
    drop: bool = False  # the connection is closed without an answer


def puts_message(method: str) -> bool:
    """The calls Telegram's flood control counts: those that put a message in a chat."""
    return method != "sendChatAction" and method.startswith(("send", "copyMessage", "forwardMessage", "editMessage"))


@dataclass
class TelegramLimits:
    """Telegram's flood control as bots meet it: about 30 messages a second over all chats and
    about one a second per chat after a short burst; over that, 429 with retry_after.

    ``ignored`` counts calls to a chat made before a retry_after it was given had passed."""

    per_second: int = 30
    chat_interval: float = 1.0
    chat_burst: int = 6
    penalty: int = 1  # the retry_after for going over the global rate
    floods: int = 0
    ignored: int = 0
    _window: list[float] = field(default_factory=list)
    _chat_tat: dict[int, float] = field(default_factory=dict)
    _penalty_until: float = float("-inf")
    _told: dict[int, float] = field(default_factory=dict)  # chat -> when its retry_after ends

    def check(self, method: str, params: dict[str, str], now: float) -> int | None:
        """The retry_after to answer with, or None when the call is within the limits."""
        if not puts_message(method):
            return None
        try:
            chat: int | None = int(params["chat_id"])
        except (KeyError, ValueError):
            chat = None
        if chat is not None and now < self._told.get(chat, float("-inf")):
            self.ignored += 1
        retry_after = self._over(method, chat, now)
        if retry_after is not None:
            self.floods += 1
            if chat is not None:
                self._told[chat] = max(self._told.get(chat, float("-inf")), now + retry_after)
        return retry_after

    def _over(self, method: str, chat: int | None, now: float) -> int | None:
        if now < self._penalty_until:
            return max(1, round(self._penalty_until - now))
        self._window = [at for at in self._window if at > now - 1.0]
        if len(self._window) >= self.per_second:
            self._penalty_until = now + self.penalty
            return self.penalty
        if chat is not None and not method.startswith("edit"):  # new messages are paced per chat
            tolerance = self.chat_interval * (self.chat_burst - 1)
            tat = max(self._chat_tat.get(chat, now), now)
            if tat - now > tolerance:
                return max(1, round(tat - tolerance - now + 0.5))
            self._chat_tat[chat] = tat + self.chat_interval
        self._window.append(now)
        return None


class FakeTelegram:
    def __init__(self, token: str, api: LocalBotAPI | None = None) -> None:
        self.token = token
        self.api = api or LocalBotAPI(bot_id=int(token.split(":", 1)[0]))
        self.calls: list[Call] = []
        self.pending: list[dict[str, Any]] = []  # updates not yet confirmed by an offset
        self.faults: dict[str, Fault] = {}
        self.limits: TelegramLimits | None = None  # set to enforce Telegram's flood control
        self.polls_waiting = 0
        self.webhook: dict[str, str] | None = None  # setWebhook's parameters while one is set
        # With a webhook set: the listeners updates are posted to, in turn (a load balancer).
        self.webhook_targets: list[str] = []
        self.posts: list[Post] = []
        self._next_target = 0
        self._posting: set[asyncio.Task[None]] = set()
        self._client: ClientSession | None = None
        self._poll_generation = 0
        self._changed = asyncio.Event()  # replaced on every change; waiters hold the old one
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        # Cancel a handler whose client went away, as a long poll does when the bot stops.
        self._runner = web.AppRunner(app, handler_cancellation=True, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        self._closing = True
        self._notify()
        for task in self._posting:
            task.cancel()
        await asyncio.gather(*self._posting, return_exceptions=True)
        if self._client is not None:
            await self._client.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # --- the test's side ------------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> None:
        """Queue an update for the bot; a waiting long poll returns it at once. With a webhook
        and its targets, post it instead."""
        if self.webhook is not None and self.webhook_targets:
            task = asyncio.create_task(self._post(update))
            self._posting.add(task)
            task.add_done_callback(self._posting.discard)
            return
        self.pending.append(update)
        self._notify()

    def inject(self, method: str, fault: Fault) -> None:
        self.faults[method] = fault

    def calls_of(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def delivered(self, update_id: int) -> bool:
        return (any(update_id in call.update_ids for call in self.calls)
                or any(post.update_id == update_id and post.status == 200 for post in self.posts))

    async def wait_for(self, predicate: Callable[[], bool], timeout: float, what: str = "the condition") -> None:
        """Wait until ``predicate()`` holds; on timeout fail with what the users were shown."""
        try:
            await self._until(predicate, timeout)
        except TimeoutError:
            raise AssertionError(f"Timed out after {timeout} s waiting for {what}.\n{self.report()}") from None

    def report(self, last_calls: int = 15) -> str:
        shown = "\n".join(f"  {describe(item)}" for item in self.api.shown) or "  (nothing)"
        calls = "\n".join(f"  {call.method} {call.status} {dict(call.params)}"[:300]
                          for call in self.calls[-last_calls:]) or "  (none)"
        return f"Shown so far:\n{shown}\nLast Bot API calls:\n{calls}"

    # --- the bot's side -------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = {**request.query, **await read_body(request)}
        call = Call(method, params, time.monotonic())
        self.calls.append(call)
        self._notify()  # a test may wait for the call itself, while it is being answered
        try:
            if request.match_info["token"] != self.token:
                call.status = 401
                return web.json_response(UNAUTHORIZED, status=401)
            fault = self._take_fault(method)
            if fault is not None:
                await asyncio.sleep(fault.delay)
                if fault.redirect:
                    call.status = 302
                    raise web.HTTPFound(request.path)
                if fault.html and fault.status is not None:
                    call.status = fault.status
                    return web.Response(status=fault.status, content_type="text/html",
                                        text=f"<html><body><h1>{fault.status} {fault.description}</h1></body></html>")
                if fault.drop:
                    assert request.transport is not None
                    request.transport.close()
                    return web.Response(status=499)  # never reaches the bot
                if fault.status is not None:
                    call.status = fault.status
                    return web.json_response(fault_body(fault), status=fault.status)
            retry_after = self.limits.check(method, params, call.at) if self.limits else None
            if retry_after is not None:
                call.status = 429
                return web.json_response({"ok": False, "error_code": 429,
                                          "description": f"Too Many Requests: retry after {retry_after}",
                                          "parameters": {"retry_after": retry_after}}, status=429)
            if method == "getUpdates":
                status, body = await self._get_updates(params)
                call.update_ids = [update["update_id"] for update in body.get("result", [])]
            elif method in ("setWebhook", "deleteWebhook"):
                status, body = self._set_webhook(method, params)
            else:
                status, body = self.api.respond(method, params)
            call.status = status
            return web.json_response(body, status=status)
        finally:
            self._notify()

    def _take_fault(self, method: str) -> Fault | None:
        fault = self.faults.get(method)
        if fault is None:
            return None
        fault.times -= 1
        if fault.times <= 0:
            del self.faults[method]
        return fault

    async def _get_updates(self, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        try:
            offset = int(params.get("offset", 0))
            limit = min(max(int(params.get("limit", MAX_LIMIT)), 1), MAX_LIMIT)
            timeout = max(float(params.get("timeout", 0)), 0.0)
        except ValueError:
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: wrong parameter"}
        # An offset confirms every update before it: Telegram forgets them for good.
        self.pending = [update for update in self.pending if update["update_id"] >= offset]
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # an older poll still waiting learns it has been superseded
        if not self.pending and timeout > 0:
            self.polls_waiting += 1
            try:
                await self._until(
                    lambda: bool(self.pending) or self._closing or self._poll_generation != generation, timeout)
            except TimeoutError:
                pass
            finally:
                self.polls_waiting -= 1
            if self._poll_generation != generation:
                return 409, CONFLICT
        return 200, {"ok": True, "result": self.pending[:limit]}

    def _set_webhook(self, method: str, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """Telegram's rule: no getUpdates while a webhook is set, so deleteWebhook clears it."""
        self.webhook = dict(params) if method == "setWebhook" and params.get("url") else None
        return 200, {"ok": True, "result": True}

    async def _post(self, update: dict[str, Any]) -> None:
        """Post to the next listener until one answers 200: a listener that is down, or whose
        process dies while handling the update, leaves it to the next."""
        assert self.webhook is not None
        if self._client is None:
            self._client = ClientSession()
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook.get("secret_token", "")}
        deadline = time.monotonic() + POST_FOR
        while time.monotonic() < deadline:
            target = self.webhook_targets[self._next_target % len(self.webhook_targets)]
            self._next_target += 1
            post = Post(update["update_id"], target)
            self.posts.append(post)
            try:
                async with self._client.post(target, json=update, headers=headers) as response:
                    post.status = response.status
            except (ClientError, TimeoutError):
                pass
            self._notify()
            if post.status == 200:
                return
            await asyncio.sleep(REPOST_AFTER)

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _until(self, predicate: Callable[[], bool], timeout: float) -> None:
        async with asyncio.timeout(timeout):
            while not predicate():
                await self._changed.wait()


async def read_body(request: web.Request) -> dict[str, str]:
    """Form fields as strings, whatever the encoding; JSON values are re-encoded as a form
    would carry them."""
    if not request.can_read_body:
        return {}
    if request.content_type == "application/json":
        data = await request.json()
        return {key: value if isinstance(value, str) else json.dumps(value) for key, value in data.items()}
    form = await request.post()
    return {key: value for key, value in form.items() if isinstance(value, str)}


def fault_body(fault: Fault) -> dict[str, Any]:
    body: dict[str, Any] = {"ok": False, "error_code": fault.status, "description": fault.description}
    if fault.retry_after is not None:
        body["parameters"] = {"retry_after": fault.retry_after}
    return body


def describe(item: Shown) -> str:
    buttons = f" {item.button_texts()}" if item.buttons else ""
    where = f"#{item.message_id} " if item.message_id else ""
    return f"{item.kind} {where}{item.text!r}{buttons}"


class TelegramUser:
    """A person in a private chat with the bot, acting through the fake server."""

    def __init__(self, server: FakeTelegram, user_id: int, language_code: str | None,
                 first_name: str = "Test") -> None:
        self.server = server
        self.user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            self.user["language_code"] = language_code

    @property
    def id(self) -> int:
        return self.user["id"]

    def seen(self) -> list[Shown]:
        """Everything this user saw; toasts carry no chat, and the tests have one user at a time."""
        return [item for item in self.server.api.shown if item.chat_id in (self.id, 0)]

    async def send_text(self, text: str, timeout: float = 5.0) -> list[Shown]:
        update = self.server.api.user_message(self.user, text)
        return await self._answered(update, f"the bot to answer {text!r}", timeout)

    async def press(self, label: str, message_id: int | None = None, timeout: float = 5.0) -> list[Shown]:
        """Press the button with this exact label under ``message_id``, or under the latest
        message with buttons."""
        message_id, button = self.find_button(label, message_id)
        update = self.server.api.button_press(self.user, message_id, button["callback_data"])
        return await self._answered(update, f"the bot to answer the press of {label!r}", timeout)

    def find_button(self, label: str, message_id: int | None = None) -> tuple[int, dict[str, Any]]:
        messages = self.server.api.messages
        if message_id is None:
            with_buttons = [mid for (chat, mid), message in messages.items()
                            if chat == self.id and message.get("reply_markup")]
            if not with_buttons:
                raise AssertionError(f"No buttons to press.\n{self.server.report()}")
            message_id = max(with_buttons)
        markup = messages.get((self.id, message_id), {}).get("reply_markup") or {}
        buttons = [button for row in markup.get("inline_keyboard", []) for button in row]
        for button in buttons:
            if button["text"] == label:
                return message_id, button
        raise AssertionError(f"No button {label!r} under message {message_id}; there are "
                             f"{[b['text'] for b in buttons]}")

    async def _answered(self, update: dict[str, Any], what: str, timeout: float,
                        quiet: float = 0.15) -> list[Shown]:
        """Wait until the bot took the update, showed something, answered every callback
        query and made no further call for ``quiet`` seconds; return what appeared."""
        before = len(self.server.api.shown)
        self.server.push(update)
        api = self.server.api
        await self.server.wait_for(
            lambda: self.server.delivered(update["update_id"]) and len(api.shown) > before
            and not api.unanswered_callbacks,
            timeout, what)
        while True:
            last = max(call.at for call in self.server.calls if call.method != "getUpdates")
            await asyncio.sleep(quiet - (time.monotonic() - last))
            if time.monotonic() - last >= quiet:
                break
        return [item for item in api.shown[before:] if item.chat_id in (self.id, 0)]
