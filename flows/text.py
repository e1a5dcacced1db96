"""Splitting long Telegram HTML into messages that fit (pure: no aiogram, no I/O).

Telegram rejects a message over 4096 characters. Long content (a verdict, a channel's
steps) is built as paragraphs and split here at paragraph boundaries, so that no
paragraph is torn apart unless it alone is too long.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_MESSAGE = 4096
PARAGRAPH = "\n\n"

# A tag or an entity: a cut never falls inside one.
_MARKUP = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>|&[#a-zA-Z0-9]+;")


def utf16_length(text: str) -> int:
    """Telegram counts length in UTF-16 code units (an emoji may count twice).

    The raw HTML is measured, which is never shorter than what Telegram counts after
    parsing the tags, so a chunk that fits here fits there.
    """
    return len(text.encode("utf-16-le")) // 2


def split_message(paragraphs: Iterable[str], limit: int = MAX_MESSAGE) -> list[str]:
    """Join paragraphs with blank lines into as few messages as fit in ``limit``.

    A paragraph too long on its own is split at line breaks, then at spaces, then
    anywhere; tags left open at such a cut are closed and reopened in the next chunk, so
    every chunk is valid HTML when the input is. Empty paragraphs are dropped.
    """
    if limit < 16:
        raise ValueError("limit too small to hold any markup")
    chunks: list[str] = []
    current = ""
    for paragraph in paragraphs:
        if not paragraph.strip():
            continue
        for piece in _fit(paragraph, limit):
            joined = f"{current}{PARAGRAPH}{piece}" if current else piece
            if utf16_length(joined) <= limit:
                current = joined
            else:
                chunks.append(current)
                current = piece
    if current:
        chunks.append(current)
    return chunks


def _fit(paragraph: str, limit: int) -> list[str]:
    """The paragraph as pieces that each fit in ``limit`` (usually just itself)."""
    if utf16_length(paragraph) <= limit:
        return [paragraph]
    pieces: list[str] = []
    current = ""
    for line in paragraph.split("\n"):
        joined = f"{current}\n{line}" if current else line
        if utf16_length(joined) <= limit:
            current = joined
            continue
        if current:
            pieces.append(current)
        if utf16_length(line) <= limit:
            current = line
        else:
            *full, current = _hard_split(line, limit)
            pieces.extend(full)
    if current:
        pieces.append(current)
    return pieces


def _hard_split(line: str, limit: int) -> list[str]:
    """Cut one over-long line, preferably at spaces, keeping its tags balanced."""
    tokens = _tokens(line)
    pieces: list[str] = []
    open_tags: list[tuple[str, str]] = []  # (name, the opening tag as written)
    current = ""

    def closing() -> str:
        return "".join(f"</{name}>" for name, _ in reversed(open_tags))

    for token in tokens:
        if utf16_length(current + token + closing()) > limit and current.strip():
            pieces.append(current.rstrip() + closing())
            current = "".join(tag for _, tag in open_tags)
            token = token.lstrip()
        while utf16_length(current + token + closing()) > limit:
            # A single word longer than the limit: cut it by characters.
            room = limit - utf16_length(current + closing())
            head, token = _take(token, room)
            pieces.append(current + head + closing())
            current = "".join(tag for _, tag in open_tags)
        current += token
        match = _MARKUP.fullmatch(token)
        if match and match.group(2):
            if match.group(1):
                if open_tags and open_tags[-1][0] == match.group(2).lower():
                    open_tags.pop()
            else:
                open_tags.append((match.group(2).lower(), token))
    if current.strip():
        pieces.append(current)
    return pieces


def _tokens(line: str) -> list[str]:
    """Tags and entities whole; text as words each with its leading space."""
    tokens: list[str] = []
    position = 0
    for match in _MARKUP.finditer(line):
        tokens += re.findall(r"\s*\S+|\s+", line[position:match.start()])
        tokens.append(match.group(0))
        position = match.end()
    tokens += re.findall(r"\s*\S+|\s+", line[position:])
    return tokens


def _take(word: str, room: int) -> tuple[str, str]:
    """The longest head of ``word`` within ``room`` UTF-16 units (at least one char)."""
    end = 0
    while end < len(word) and utf16_length(word[: end + 1]) <= room:
        end += 1
    end = max(end, 1)
    return word[:end], word[end:]
