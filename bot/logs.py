"""Logging that never shows a secret, and one-line messages on stderr."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable

REDACTED = "<redacted>"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class Redactor:
    """Replaces every secret (the bot token, the webhook secret) in a text."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        # Longest first: the token contains its own numeric id, which alone is no secret.
        self.secrets = sorted({secret for secret in secrets if secret}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text


class RedactingFilter(logging.Filter):
    """Rewrites a record's message and its traceback before any handler formats them:
    aiohttp and aiogram put the request URL, /bot<token>/…, into their exception texts."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self.redact = redact
        self._formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


# Messages that stop the bot at start: one plain line each on stderr, redacted like the rest.
SAY = "bot.say"


def setup_logging(level: str, redact: Redactor) -> None:
    redacting = RedactingFilter(redact)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(redacting)
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # aiosqlite logs every statement with its parameters (user ids, texts) at DEBUG.
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
    plain = logging.StreamHandler(sys.stderr)
    plain.addFilter(redacting)
    say_logger = logging.getLogger(SAY)
    say_logger.handlers[:] = [plain]
    say_logger.propagate = False


def say(line: str) -> None:
    """One line on stderr, for what stops the bot at start."""
    logging.getLogger(SAY).critical(line)
