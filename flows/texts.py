"""Marking user-facing strings in pure code.

Pure modules cannot translate (they do not know the reader's locale), so they hold
English msgids marked with ``N_`` for extraction; the handler that renders them
translates with the recipient's locale, or passes its gettext in as a ``Translate``.
"""

from collections.abc import Callable

# The reader's gettext, for pure code that renders texts.
Translate = Callable[[str], str]


def N_(message: str) -> str:
    return message
