"""Every N_ string of the QA knowledge base is translated in translations/{zh,ru}.po."""

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
MARKUP = re.compile(r"</?[a-z]+[^>]*>|\{[a-z_]+\}")
SCRIPT = {"zh": re.compile(r"[\u4e00-\u9fff]"), "ru": re.compile(r"[а-яё]", re.IGNORECASE)}
TELEGRAM_LIMIT = 4096


def _msgids() -> list[str]:
    extracted = extract_from_file("python", ROOT / "flows" / "knowledge.py", keywords={"N_": None})
    return [message for _, message, _, _ in extracted]


def _catalog(lang: str) -> Catalog:
    with open(ROOT / "translations" / f"{lang}.po", "rb") as po:
        return read_po(po)


def test_knowledge_base_strings_are_extracted() -> None:
    assert len(_msgids()) >= 64


@pytest.mark.parametrize("lang", ["zh", "ru"])
def test_every_string_is_translated(lang: str) -> None:
    catalog = _catalog(lang)
    assert not catalog.fuzzy
    problems = []
    for msgid in _msgids():
        message = catalog.get(msgid)
        if message is None or not message.string:
            problems.append(("missing", msgid[:40]))
        elif message.fuzzy:
            problems.append(("fuzzy", msgid[:40]))
        elif MARKUP.findall(msgid) != MARKUP.findall(message.string):
            problems.append(("markup differs", msgid[:40]))
        elif not SCRIPT[lang].search(message.string) or len(message.string) > TELEGRAM_LIMIT:
            problems.append(("not translated or too long", msgid[:40]))
    assert problems == []
