"""An in-process stand-in for the Bot API methods this bot uses, with Telegram's own checks.

It serves the local chat (``python -m bot chat``), the flow tests and, behind HTTP, the fake
Bot API server of the end-to-end tests. It keeps every chat's messages so that buttons can
be pressed and edits seen, and it rejects what Telegram would reject: invalid HTML, texts
over 4096 characters, callback data over 64 bytes, unanswered callback queries.
"""

from __future__ import annotations

import itertools
import json
import re
import time
from dataclasses import dataclass, field
from html import unescape
from typing import Any

from flows.split import utf16_length

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
MAX_CALLBACK_ANSWER = 200

# Parameters that Telegram takes as plain strings; every other form field is JSON.
STRING_PARAMS = frozenset({
    "text", "caption", "parse_mode", "callback_query_id", "language_code", "url",
    "inline_message_id", "business_connection_id", "message_effect_id", "description",
    "short_description", "name", "emoji",
})

ALLOWED_TAGS = frozenset({
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
    "a", "code", "pre", "blockquote", "tg-emoji",
})
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>\"']+))?)*)\s*>")
ENTITY = re.compile(r"&(lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);")


class BotAPIError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


def bad_request(description: str) -> BotAPIError:
    return BotAPIError(400, f"Bad Request: {description}")


def parse_html(source: str) -> str:
    """Return the plain text Telegram would show for an HTML message, or raise as it would."""
    plain: list[str] = []
    stack: list[str] = []
    position = 0
    while position < len(source):
        char = source[position]
        if char == "<":
            match = TAG.match(source, position)
            if not match:
                raise bad_request(f"can't parse entities: unexpected '<' at byte offset {position}")
            closing, name = match.group(1), match.group(2).lower()
            if name not in ALLOWED_TAGS:
                raise bad_request(f'can\'t parse entities: unsupported start tag "{name}" at byte offset {position}')
            if closing:
                if not stack or stack[-1] != name:
                    raise bad_request(f'can\'t parse entities: can\'t find end tag corresponding to start tag "{stack[-1] if stack else name}"')
                stack.pop()
            else:
                stack.append(name)
            position = match.end()
        elif char == "&":
            match = ENTITY.match(source, position)
            if not match:
                raise bad_request(f"can't parse entities: unescaped '&' at byte offset {position}")
            plain.append(unescape(match.group(0)))
            position = match.end()
        elif char == ">":
            raise bad_request(f"can't parse entities: unescaped '>' at byte offset {position}")
        else:
            plain.append(char)
            position += 1
    if stack:
        raise bad_request(f'can\'t parse entities: can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(plain)


def decode_params(params: dict[str, Any]) -> dict[str, Any]:
    """Form fields arrive as strings; decode the JSON ones as the Bot API does."""
    decoded = {}
    for key, value in params.items():
        if isinstance(value, str) and key not in STRING_PARAMS:
            try:
                value = json.loads(value)
            except ValueError:
                pass
        decoded[key] = value
    return decoded


@dataclass
class Failure:
    """What calls aimed at one chat meet instead of success: an error as the Bot API sends it.
    ``times``: how many calls fail before the chat works again; None for ever."""

    status: int
    description: str
    retry_after: int | None = None
    times: int | None = None


@dataclass
class Shown:
    """One thing the user sees happen: a new message, an edit, or a callback answer."""

    kind: str  # "message", "edit", "delete", "toast" or "alert"
    chat_id: int
    message_id: int | None = None
    html: str = ""
    text: str = ""  # or a media message's caption
    buttons: list[list[dict[str, Any]]] = field(default_factory=list)
    media: str | None = None  # "photo" or "document" for a copied media message

    def button_texts(self) -> list[str]:
        return [button["text"] for row in self.buttons for button in row]


class LocalBotAPI:
    def __init__(self, bot_id: int = 1000001, username: str = "local_sim_bot") -> None:
        self.me = {"id": bot_id, "is_bot": True, "first_name": "SIM exit", "username": username,
                   "can_join_groups": False, "can_read_all_group_messages": False,
                   "supports_inline_queries": False}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.shown: list[Shown] = []
        self.commands: dict[str, list[dict[str, str]]] = {}  # default scope, by language_code
        self.chat_commands: dict[int, list[dict[str, str]]] = {}  # BotCommandScopeChat, by chat id
        self.failures: dict[int, Failure] = {}  # chat id -> what calls to it meet
        self.unanswered_callbacks: set[str] = set()
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)

    # --- what the user does -------------------------------------------------------------

    def user_message(self, user: dict[str, Any], text: str | None = None, **content: Any) -> dict[str, Any]:
        """An Update for a private message from ``user``: text, or other content such as
        ``sticker={...}``."""
        message = {
            "message_id": self._next_message_id(user["id"]),
            "date": int(time.time()),
            "chat": self._private_chat(user),
            "from": user,
            **content,
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split(maxsplit=1)[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_length(command)}]
        self.messages[(user["id"], message["message_id"])] = message
        return {"update_id": next(self._update_ids), "message": message}

    def button_press(self, user: dict[str, Any], message_id: int, data: str) -> dict[str, Any]:
        """An Update for pressing an inline button with ``data`` under a message."""
        message = self.messages.get((user["id"], message_id))
        if message is None:
            raise KeyError(f"no message {message_id} in chat {user['id']}")
        query_id = str(next(self._callback_ids))
        self.unanswered_callbacks.add(query_id)
        return {
            "update_id": next(self._update_ids),
            "callback_query": {"id": query_id, "from": user, "message": message,
                               "chat_instance": f"local-{user['id']}", "data": data},
        }

    def blocked_by(self, user: dict[str, Any]) -> dict[str, Any]:
        """The update Telegram sends when the user blocks the bot."""
        return {
            "update_id": next(self._update_ids),
            "my_chat_member": {
                "chat": self._private_chat(user), "from": user, "date": int(time.time()),
                "old_chat_member": {"status": "member", "user": self.me},
                "new_chat_member": {"status": "kicked", "user": self.me, "until_date": 0},
            },
        }

    # --- what the bot calls -------------------------------------------------------------

    def respond(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """HTTP status and JSON body, exactly as the Bot API would answer."""
        try:
            result = self.call(method, decode_params(params))
        except BotAPIError as error:
            body: dict[str, Any] = {"ok": False, "error_code": error.status, "description": error.description}
            if error.retry_after is not None:
                body["parameters"] = {"retry_after": error.retry_after}
            return error.status, body
        return 200, {"ok": True, "result": result}

    def call(self, method: str, params: dict[str, Any]) -> Any:
        self.calls.append((method, params))
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            raise BotAPIError(404, "Not Found: method not found")
        self._fail_if_injected(params)
        return handler(params)

    def fail(self, chat_id: int, status: int, description: str, retry_after: int | None = None,
             times: int | None = None) -> None:
        """Make calls aimed at ``chat_id`` fail, e.g. fail(7, 403, "Forbidden: bot was blocked by the user")."""
        self.failures[chat_id] = Failure(status, description, retry_after, times)

    def _fail_if_injected(self, params: dict[str, Any]) -> None:
        target = params.get("chat_id", (params.get("scope") or {}).get("chat_id"))
        try:
            chat_id = int(target)
        except (TypeError, ValueError):
            return
        failure = self.failures.get(chat_id)
        if failure is None:
            return
        if failure.times is not None:
            failure.times -= 1
            if failure.times <= 0:
                del self.failures[chat_id]
        raise BotAPIError(failure.status, failure.description, failure.retry_after)

    def _api_getMe(self, params: dict[str, Any]) -> Any:
        return self.me

    def _api_deleteWebhook(self, params: dict[str, Any]) -> Any:
        return True

    def _api_setMyCommands(self, params: dict[str, Any]) -> Any:
        scope = params.get("scope") or {"type": "default"}
        if scope["type"] == "chat":
            self.chat_commands[int(scope["chat_id"])] = params["commands"]
        elif scope["type"] == "default":
            self.commands[params.get("language_code", "")] = params["commands"]
        else:
            raise bad_request(f"scope {scope['type']} is not kept by this stand-in")
        return True

    def _api_copyMessage(self, params: dict[str, Any]) -> Any:
        """Copy a stored message (text, or a photo or document with its caption) as the bot's
        own; Telegram answers with the new MessageId only."""
        source = self.messages.get((int(params["from_chat_id"]), int(params["message_id"])))
        if source is None:
            raise bad_request("message to copy not found")
        chat_id = int(params["chat_id"])
        content = {key: source[key] for key in ("text", "entities", "photo", "document", "caption",
                                                 "caption_entities") if key in source}
        if not content:
            raise bad_request("message can't be copied")
        markup = self._markup(params)
        message = {"message_id": self._next_message_id(chat_id), "date": int(time.time()),
                   "chat": {"id": chat_id, "type": "private"}, "from": self.me, **content}
        if markup:
            message["reply_markup"] = markup
        self.messages[(chat_id, message["message_id"])] = message
        media = next((kind for kind in ("photo", "document") if kind in content), None)
        text = content.get("text", content.get("caption", ""))
        self.shown.append(Shown("message", chat_id, message["message_id"], text, text,
                                markup.get("inline_keyboard", []) if markup else [], media))
        return {"message_id": message["message_id"]}

    def _api_sendChatAction(self, params: dict[str, Any]) -> Any:
        return True

    def _api_sendMessage(self, params: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"])
        html, text = self._text(params)
        markup = self._markup(params)
        message = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": self.me,
            "text": text,
        }
        if markup:
            message["reply_markup"] = markup
        self.messages[(chat_id, message["message_id"])] = message
        self.shown.append(Shown("message", chat_id, message["message_id"], html, text,
                                markup.get("inline_keyboard", []) if markup else []))
        return message

    def _api_editMessageText(self, params: dict[str, Any]) -> Any:
        message = self._existing(params)
        html, text = self._text(params)
        markup = self._markup(params)
        if text == message.get("text") and markup == message.get("reply_markup"):
            raise bad_request("message is not modified: specified new message content and reply "
                              "markup are exactly the same as a current content and reply markup of the message")
        message["text"] = text
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        self.shown.append(Shown("edit", message["chat"]["id"], message["message_id"], html, text,
                                markup.get("inline_keyboard", []) if markup else []))
        return message

    def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        message = self._existing(params)
        markup = self._markup(params)
        if markup == message.get("reply_markup"):
            raise bad_request("message is not modified")
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        self.shown.append(Shown("edit", message["chat"]["id"], message["message_id"], "", message["text"],
                                markup.get("inline_keyboard", []) if markup else []))
        return message

    def _api_deleteMessage(self, params: dict[str, Any]) -> Any:
        message = self._existing(params)
        del self.messages[(message["chat"]["id"], message["message_id"])]
        self.shown.append(Shown("delete", message["chat"]["id"], message["message_id"]))
        return True

    def _api_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        query_id = params["callback_query_id"]
        if query_id not in self.unanswered_callbacks:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        text = params.get("text") or ""
        if utf16_length(text) > MAX_CALLBACK_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        self.unanswered_callbacks.discard(query_id)
        if text:
            self.shown.append(Shown("alert" if params.get("show_alert") else "toast", 0, text=text, html=text))
        return True

    # --- helpers --------------------------------------------------------------------------

    def _next_message_id(self, chat_id: int) -> int:
        # Telegram numbers messages per private chat, both directions in one sequence.
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _private_chat(self, user: dict[str, Any]) -> dict[str, Any]:
        return {"id": user["id"], "type": "private", "first_name": user.get("first_name", "")}

    def _existing(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self.messages.get((int(params["chat_id"]), int(params["message_id"])))
        if message is None or message["from"] != self.me:
            raise bad_request("message to edit not found")
        return message

    def _text(self, params: dict[str, Any]) -> tuple[str, str]:
        source = params.get("text")
        if not isinstance(source, str) or not source.strip():
            raise bad_request("message text is empty")
        if params.get("parse_mode") == "HTML":
            text = parse_html(source)
        elif params.get("parse_mode"):
            raise bad_request(f"unsupported parse_mode {params['parse_mode']} in this stand-in")
        else:
            text = source
        if not text.strip():
            raise bad_request("message text is empty")
        if utf16_length(text) > MAX_TEXT:
            raise bad_request("message is too long")
        return source, text

    def _markup(self, params: dict[str, Any]) -> dict[str, Any] | None:
        markup = params.get("reply_markup")
        if not markup:
            return None
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if not button.get("text"):
                    raise bad_request("BUTTON_TEXT_EMPTY")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                    raise bad_request("BUTTON_DATA_INVALID")
        return markup
