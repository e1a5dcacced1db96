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
    """Telegram counts length in UTF-16 code units (an emoji may count twice)."""
    return len(text.encode("utf-16-le")) // 2


def split_message(paragraphs: Iterable[str], limit: int = MAX_MESSAGE) -> list[str]:
    """Join paragraphs with blank lines into as few messages as fit in ``limit``.

    A paragraph too long on its own is split at line breaks, then at spaces, then
    anywhere; tags left open at such a cut are closed and reopened in the next chunk, so
    every chunk is valid HTML when the input is (and no single tag is longer than
    ``limit``). Empty paragraphs are dropped. The raw HTML is measured, which is never
    shorter than what Telegram counts after parsing the tags, so a chunk that fits here
    fits there.
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
    pieces: list[str] = []
    stack: list[tuple[str, str]] = []  # open tags: (name, the opening tag as written)
    current = ""
    units = _words(line)
    while units:
        unit = units.pop(0)
        after = _apply(stack, unit)
        if utf16_length(current + unit + _closing(after)) <= limit:
            current, stack = current + unit, after
        elif current != _reopening(stack):
            # The chunk has content: close it here, and carry the open tags over.
            pieces.append(current.rstrip() + _closing(stack))
            current = _reopening(stack)
            units.insert(0, unit.lstrip())
        elif len(parts := _tokens(unit)) > 1:
            units[0:0] = parts  # a "word" made of tags and text: cut between them
        elif _MARKUP.fullmatch(unit):
            current, stack = current + unit, after  # a tag cannot be cut; never at sane limits
        else:
            head, rest = _take(unit, limit - utf16_length(current + _closing(stack)))
            pieces.append(current + head + _closing(stack))
            current = _reopening(stack)
            if rest:
                units.insert(0, rest)
    if current != _reopening(stack):
        pieces.append(current)
    return pieces


def _apply(stack: list[tuple[str, str]], text: str) -> list[tuple[str, str]]:
    """The open tags after ``text``."""
    stack = list(stack)
    for match in _MARKUP.finditer(text):
        name = match.group(2)
        if not name:
            continue  # an entity
        if not match.group(1):
            stack.append((name.lower(), match.group(0)))
        elif stack and stack[-1][0] == name.lower():
            stack.pop()
    return stack


def _closing(stack: list[tuple[str, str]]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(stack))


def _reopening(stack: list[tuple[str, str]]) -> str:
    return "".join(tag for _, tag in stack)


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


def _words(line: str) -> list[str]:
    """Units a cut may fall between: an opening tag stays with the text after it, a
    closing tag or an entity with the text before it, spaces with the word after them."""
    words: list[str] = []
    pending = ""
    for token in _tokens(line):
        match = _MARKUP.fullmatch(token)
        opening = bool(match and match.group(2) and not match.group(1))
        if opening or not token.strip():
            pending += token
        elif match and words and not pending:
            words[-1] += token
        else:
            words.append(pending + token)
            pending = ""
    if pending:
        words.append(pending)
    return words


def _take(word: str, room: int) -> tuple[str, str]:
    """The longest head of ``word`` within ``room`` UTF-16 units (at least one char)."""
    end = 0
    while end < len(word) and utf16_length(word[: end + 1]) <= room:
        end += 1
    end = max(end, 1)
    return word[:end], word[end:]
