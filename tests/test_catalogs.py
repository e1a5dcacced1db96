"""The catalogs: complete in zh and ru, placeholders and markup intact, compiled when stale."""

from __future__ import annotations

import os
import re
import shutil
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR, compile_catalogs
from bot.local_api import parse_html
from flows.locale import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "__": None}
TAG = re.compile(r"</?[a-z-]+[^>]*>")


def source_msgids() -> set[str]:
    """Every string the code marks for translation, extracted as pybabel does."""
    found = set()
    for folder in ("bot", "flows"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def catalog(locale: str):
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=locale)


def placeholders(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def test_every_language_has_a_catalog() -> None:
    for locale in LANGUAGES:
        assert (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").is_file(), locale


@pytest.mark.parametrize("locale", ["zh", "ru"])
def test_every_source_string_is_translated(locale: str) -> None:
    translated = {m.id: m for m in catalog(locale) if m.id}
    missing = sorted(msgid for msgid in source_msgids()
                     if msgid not in translated or not translated[msgid].string
                     or translated[msgid].fuzzy)
    assert not missing, f"{len(missing)} strings lack a {locale} translation, e.g. {missing[:3]}"


@pytest.mark.parametrize("locale", ["zh", "ru"])
def test_translations_keep_placeholders_and_markup(locale: str) -> None:
    problems = []
    for message in catalog(locale):
        if not message.id or not message.string:
            continue
        # A plural has as many forms as the language has (zh one, ru three); only the first two
        # line up with the English singular and plural, so only those are compared.
        pairs = (zip(message.id, message.string, strict=False) if isinstance(message.id, tuple)
                 else [(message.id, message.string)])
        for source, translation in pairs:
            if isinstance(translation, tuple):
                translation = translation[0]
            if placeholders(source) != placeholders(translation):
                problems.append(f"placeholders differ: {source[:50]!r}")
            if sorted(TAG.findall(source)) != sorted(TAG.findall(translation)):
                problems.append(f"HTML tags differ: {source[:50]!r}")
            values = {name: "x" for name in placeholders(translation)}
            try:
                parse_html(translation.format(**values))
            except Exception as error:  # any failure is a finding
                problems.append(f"invalid Telegram HTML: {source[:50]!r}: {error}")
    assert not problems, "\n".join(problems)


def test_catalogs_hold_no_stale_strings() -> None:
    """A string removed from the code should leave the catalogs too, or translators waste time."""
    stale = {m.id for m in catalog("zh") if m.id} - source_msgids()
    assert not stale, sorted(stale)[:5]


def test_compiles_missing_and_stale_catalogs_only(tmp_path: Path) -> None:
    shutil.copytree(LOCALES_DIR, tmp_path / "locales", ignore=shutil.ignore_patterns("*.mo"))
    compiled = compile_catalogs(tmp_path / "locales")
    assert {path.parent.parent.name for path in compiled} == set(LANGUAGES)
    assert compile_catalogs(tmp_path / "locales") == []

    po = tmp_path / "locales" / "ru" / "LC_MESSAGES" / "messages.po"
    later = po.with_suffix(".mo").stat().st_mtime + 10
    os.utime(po, (later, later))
    assert compile_catalogs(tmp_path / "locales") == [po.with_suffix(".mo")]
