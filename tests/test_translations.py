import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from flows.checklist import ITEMS, TITLE_OPTIONAL
from flows.reminders import BUTTON_DONE, BUTTON_SNOOZE_DAY, BUTTON_SNOOZE_HOUR, BUTTON_STOP
from flows.timeparse import FEATURED_TIMEZONES, PRESET_LABELS

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("zh", "ru")
ALLOWED_TAGS = {"b", "i", "code", "a"}
BUTTONS = {
    *(item.title for item in ITEMS),
    BUTTON_DONE, BUTTON_SNOOZE_HOUR, BUTTON_SNOOZE_DAY, BUTTON_STOP,
    *PRESET_LABELS.values(),
    *(choice.name for choice in FEATURED_TIMEZONES),
}


def msgids() -> list[str]:
    found = extract_from_dir(
        str(ROOT / "flows"), method_map=[("**.py", "python")], keywords={"N_": None}
    )
    return sorted({message for _, _, message, _, _ in found})


def catalog(language: str) -> Catalog:
    with open(ROOT / "translations" / f"{language}.po", "rb") as po:
        return read_po(po)


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.tags: list[str] = []
        self.open: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.open.append(tag)
        if tag not in ALLOWED_TAGS:
            self.errors.append(f"tag <{tag}> is not Telegram HTML")

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.errors.append(f"unbalanced </{tag}>")


def html_tags(text: str) -> list[str]:
    collector = TagCollector()
    collector.feed(text)
    collector.close()
    assert not collector.errors and not collector.open, (text, collector.errors)
    # A bare "<" or "&" that the parser let through as text would break Telegram's parser.
    assert not re.search(r"<(?![/a-z])|&(?!(lt|gt|amp|quot);)", text), text
    return collector.tags


def placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"\{(\w*)\}", text))


def test_the_marker_finds_the_texts() -> None:
    ids = msgids()
    assert len(ids) > 40
    assert TITLE_OPTIONAL in ids


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_msgid_is_translated(language: str) -> None:
    translations = catalog(language)
    content_type = dict(translations.mime_headers)["Content-Type"]
    assert "charset=utf-8" in content_type.lower()
    for msgid in msgids():
        message = translations.get(msgid)
        assert message is not None, f"{language}: missing {msgid!r}"
        assert message.string and not message.fuzzy, f"{language}: untranslated {msgid!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_stale_translations(language: str) -> None:
    assert {message.id for message in catalog(language) if message.id} == set(msgids())


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_and_tags_match(language: str) -> None:
    translations = catalog(language)
    for msgid in msgids():
        translated = translations.get(msgid).string
        assert placeholders(translated) == placeholders(msgid), (language, msgid)
        assert html_tags(translated) == html_tags(msgid), (language, msgid)
        translated.format(**{name: "x" for name in placeholders(msgid)})


@pytest.mark.parametrize("language", (*LANGUAGES, "en"))
def test_buttons_stay_short(language: str) -> None:
    translations = catalog(language) if language != "en" else None
    for msgid in BUTTONS:
        text = translations.get(msgid).string if translations else msgid
        assert len(text) <= 26, (language, text)
