"""Marking user-facing strings in pure code.

Pure modules cannot translate (they do not know the reader's locale), so they hold
English msgids marked with ``N_`` for extraction; the handler that renders them
translates with the recipient's locale.
"""


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "no-op" marking
    return message
