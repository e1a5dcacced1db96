"""``python -m bot chat``: the real dispatcher and database, in a terminal.

No token and no network: Bot API calls are answered in-process by LocalBotAPI, which keeps
the conversation so that buttons can be pressed by number, as a Telegram user taps them.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, NamedTuple, TextIO

from aiogram import Bot, Dispatcher
from aiogram.client.session.base import BaseSession
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType

from bot.app import create_bot, create_dispatcher
from bot.config import Settings
from bot.db import Database, open_configured
from bot.local_api import LocalBotAPI, Shown, parse_html
from bot.scheduler import utc_now

LOCAL_TOKEN = "1000001:local-chat"


class LocalSession(BaseSession):
    """A Bot API session answered by LocalBotAPI, through the same serialisation and error
    mapping as HTTP, so that what fails here fails on Telegram too."""

    def __init__(self, api: LocalBotAPI) -> None:
        super().__init__()
        self.local = api

    async def make_request(self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None) -> TelegramType:
        params = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files={})
            if prepared:
                params[key] = prepared
        status, body = self.local.respond(method.__api_method__, params)
        response = self.check_response(bot=bot, method=method, status_code=status, content=json.dumps(body))
        return response.result  # type: ignore[return-value]

    async def stream_content(self, *args: Any, **kwargs: Any) -> AsyncIterator[bytes]:
        raise NotImplementedError("files are not available in the local chat")
        yield b""  # pragma: no cover

    async def close(self) -> None:
        return None


class LocalChat:
    """One Telegram user talking to the bot: send text, press buttons, see what they see."""

    def __init__(self, dispatcher: Dispatcher, bot: Bot, api: LocalBotAPI, user: dict[str, Any]) -> None:
        self.dispatcher = dispatcher
        self.bot = bot
        self.api = api
        self.user = user

    async def send(self, text: str | None = None, **content: Any) -> list[Shown]:
        return await self._feed(self.api.user_message(self.user, text, **content))

    async def press(self, label: str | int, message_id: int | None = None) -> list[Shown]:
        """Press a button by its number (1-based, as the chat shows them) or its exact label,
        under the latest message that has buttons, or under ``message_id``."""
        message_id, button = self.find_button(label, message_id)
        return await self._feed(self.api.button_press(self.user, message_id, button["callback_data"]))

    async def press_data(self, message_id: int, data: str) -> list[Shown]:
        """Press a button with any callback data: a forged or outdated one."""
        return await self._feed(self.api.button_press(self.user, message_id, data))

    def keyboard(self, message_id: int | None = None) -> tuple[int, list[dict[str, Any]]] | None:
        """The message whose buttons are the ones to press, and its buttons in order."""
        chat_id = self.user["id"]
        if message_id is None:
            candidates = [mid for (cid, mid), message in self.api.messages.items()
                          if cid == chat_id and message.get("reply_markup")]
            if not candidates:
                return None
            message_id = max(candidates)
        message = self.api.messages.get((chat_id, message_id))
        if message is None or not message.get("reply_markup"):
            return None
        return message_id, [button for row in message["reply_markup"]["inline_keyboard"] for button in row]

    def find_button(self, label: str | int, message_id: int | None = None) -> tuple[int, dict[str, Any]]:
        found = self.keyboard(message_id)
        if found is None:
            raise LookupError("there are no buttons to press")
        message_id, buttons = found
        if isinstance(label, int):
            if not 1 <= label <= len(buttons):
                raise LookupError(f"there is no button {label}")
            return message_id, buttons[label - 1]
        for button in buttons:
            if button["text"] == label:
                return message_id, button
        raise LookupError(f"no button {label!r}; there are {[b['text'] for b in buttons]}")

    async def _feed(self, update: dict[str, Any]) -> list[Shown]:
        before = len(self.api.shown)
        await self.dispatcher.feed_raw_update(self.bot, update)
        return self.api.shown[before:]


def local_user(user_id: int, language_code: str | None) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": "Local"}
    if language_code:
        user["language_code"] = language_code
    return user


class LocalBot(NamedTuple):
    dispatcher: Dispatcher
    bot: Bot
    api: LocalBotAPI
    # For tests and benchmarks that look into the database; handlers get repositories only.
    db: Database


@asynccontextmanager
async def local_bot(
    settings: Settings, api: LocalBotAPI | None = None, clock: Callable[[], datetime] = utc_now
) -> AsyncIterator[LocalBot]:
    """The real dispatcher on the configured database, with Bot API calls answered locally."""
    api = api or LocalBotAPI()
    db = await open_configured(settings.database_path, settings.database_dsn)
    try:
        # No flood throttle: one person at a keyboard, or a test feeding updates at full speed.
        dispatcher = create_dispatcher(settings, db, clock=clock, throttle=False)
        bot = create_bot(settings, session=LocalSession(api), token=LOCAL_TOKEN)
        await dispatcher.emit_startup(bot=bot, dispatcher=dispatcher, **dispatcher.workflow_data)
        try:
            yield LocalBot(dispatcher, bot, api, db)
        finally:
            await dispatcher.emit_shutdown(bot=bot, dispatcher=dispatcher, **dispatcher.workflow_data)
    finally:
        await db.close()


# --- the terminal -----------------------------------------------------------------------

ANSI_BOLD = {"<b>": "\033[1m", "<strong>": "\033[1m", "</b>": "\033[0m", "</strong>": "\033[0m"}


def render(shown: Shown, color: bool) -> str:
    if shown.kind == "toast":
        return f"  ⟨{shown.text}⟩"
    if shown.kind == "alert":
        return f"  ⚠ {shown.text}"
    if shown.kind == "delete":
        return f"  (message {shown.message_id} deleted)"
    text = shown.text
    if color and shown.html:
        # Bold is the only emphasis worth reproducing in a terminal; the rest reads as text.
        text = parse_html(re.sub(r"</?(?:b|strong)>", lambda m: ANSI_BOLD[m.group(0)], shown.html))
    lines = [("✎ " if shown.kind == "edit" else "") + text.replace("\n", "\n  ")]
    number = 0
    for row in shown.buttons:
        cells = []
        for button in row:
            number += 1
            cells.append(f"[{number}] {button['text']}" + (f" → {button['url']}" if "url" in button else ""))
        lines.append("   " + "   ".join(cells))
    return "bot> " + "\n".join(lines)


HELP = (
    "Local chat with the bot: type a message and press Enter. Buttons are numbered: type the\n"
    "number to press one. Start a line with \\ to send it as text (\\2 sends the text 2).\n"
    "Ctrl-D or Ctrl-C leaves."
)


def parse_turn(line: str, chat: LocalChat) -> tuple[str, str | int]:
    """What a typed line means: ("press", number) or ("send", text)."""
    if line.startswith("\\"):
        return "send", line[1:]
    stripped = line.strip()
    if stripped.isdigit() and chat.keyboard() is not None:
        return "press", int(stripped)
    return "send", line


async def run_chat(
    settings: Settings,
    language_code: str | None,
    user_id: int,
    read_line: Callable[[], str],
    out: TextIO,
    interactive: bool,
) -> int:
    """The terminal loop; one line a turn, whether typed or piped."""
    async with local_bot(settings) as (dispatcher, bot, api, _):
        chat = LocalChat(dispatcher, bot, api, local_user(user_id, language_code))
        color = interactive and out.isatty()
        printed = len(api.shown)
        if interactive:
            print(HELP, file=out)
        while True:
            try:
                line = await asyncio.to_thread(read_line)
            except EOFError:
                break
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            if not interactive:
                print(f"you> {line}", file=out)
            kind, value = parse_turn(line, chat)
            try:
                await chat.press(value) if kind == "press" else await chat.send(str(value))
            except LookupError as error:
                print(f"  ({error})", file=out)
                continue
            # Everything since the last turn: reminders the scheduler sent meanwhile, too.
            for item in api.shown[printed:]:
                print(render(item, color), file=out)
            printed = len(api.shown)
            if api.unanswered_callbacks:
                print("  (the pressed button is still spinning: the bot did not answer it)", file=out)
                api.unanswered_callbacks.clear()
            out.flush()
    return 0


def read_line_from(stream: TextIO, prompt: str | None) -> Callable[[], str]:
    def read() -> str:
        if prompt is not None:
            return input(prompt)
        line = stream.readline()
        if not line:
            raise EOFError
        return line

    return read


def chat_main(settings: Settings, language_code: str | None, user_id: int) -> int:
    interactive = sys.stdin.isatty()
    reader = read_line_from(sys.stdin, "you> " if interactive else None)
    try:
        return asyncio.run(run_chat(settings, language_code, user_id, reader, sys.stdout, interactive))
    except KeyboardInterrupt:
        print(file=sys.stdout)
        return 0
