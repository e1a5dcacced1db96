"""The glossary's rules hold in every catalog: no zh or ru translation and no English msgid uses
a variant that locales/GLOSSARY.md forbids."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR

GLOSSARY = LOCALES_DIR / "GLOSSARY.md"
RULES_BLOCK = re.compile(r"^```toml\n(.*?)^```", re.S | re.M)
LANGS = ("zh", "ru", "en")


@dataclass(frozen=True)
class Rule:
    lang: str
    forbid: re.Pattern[str]
    prefer: str
    why: str
    allow: tuple[str, ...]
    bad: str

    def allows(self, msgid: str) -> bool:
        return any(_matches(entry, msgid) for entry in self.allow)


def _matches(entry: str, msgid: str) -> bool:
    """An allow entry is a whole msgid, or its beginning followed by an ellipsis."""
    return msgid.startswith(entry[:-1]) if entry.endswith("…") else msgid == entry


def load_rules(path: Path = GLOSSARY) -> list[Rule]:
    blocks = RULES_BLOCK.findall(path.read_text(encoding="utf-8"))
    assert len(blocks) == 1, f"{path.name} must hold exactly one ```toml block of rules"
    return [
        Rule(lang=raw["lang"], forbid=re.compile(raw["forbid"]), prefer=raw["prefer"], why=raw["why"],
             allow=tuple(raw.get("allow", ())), bad=raw["bad"])
        for raw in tomllib.loads(blocks[0])["rule"]
    ]


def catalog_texts() -> dict[str, list[tuple[str, str]]]:
    """(msgid, text checked) per language: the msgstr for zh and ru, the msgid itself for en."""
    texts: dict[str, list[tuple[str, str]]] = {"en": []}
    for locale in ("zh", "ru"):
        with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as file:
            catalog = read_po(file, locale=locale)
        texts[locale] = []
        for message in catalog:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            texts[locale] += [(ids[0], string) for string in strings if string]
            if locale == "zh":
                texts["en"] += [(ids[0], msgid) for msgid in ids]
    return texts


def violations(rules: Iterable[Rule], texts: Mapping[str, list[tuple[str, str]]]) -> list[str]:
    """One line per forbidden variant found, naming the msgid, the variant and the form to use."""
    found = []
    for rule in rules:
        for msgid, text in texts.get(rule.lang, ()):
            if rule.allows(msgid):
                continue
            for match in rule.forbid.finditer(text):
                found.append(f"{rule.lang} msgid {_short(msgid)}: found {match.group()!r}, "
                             f"use {rule.prefer} ({rule.why})")
    return found


def stale_allow_entries(rules: Iterable[Rule], texts: Mapping[str, list[tuple[str, str]]]) -> list[str]:
    return [f"{rule.lang} rule {rule.forbid.pattern!r}: allow entry {_short(entry)} matches no msgid; "
            f"remove it from {GLOSSARY.name}"
            for rule in rules for entry in rule.allow
            if not any(_matches(entry, msgid) for msgid, _ in texts.get(rule.lang, ()))]


def _short(text: str) -> str:
    return repr(text if len(text) <= 70 else text[:70] + "…")


def test_the_glossary_rules_are_well_formed() -> None:
    rules = load_rules()
    assert {rule.lang for rule in rules} == set(LANGS)
    for rule in rules:
        assert rule.prefer and rule.why and rule.bad, rule.forbid.pattern


@pytest.mark.parametrize("lang", LANGS)
def test_catalogs_use_only_the_glossary_terms(lang: str) -> None:
    rules = [rule for rule in load_rules() if rule.lang == lang]
    found = violations(rules, catalog_texts())
    assert not found, f"{len(found)} glossary violation(s):\n" + "\n".join(found)


def test_allow_lists_name_existing_msgids() -> None:
    stale = stale_allow_entries(load_rules(), catalog_texts())
    assert not stale, "\n".join(stale)


def test_each_rule_catches_its_own_bad_example() -> None:
    """A regex that can never match (a Latin letter for a Cyrillic one...) would pass silently."""
    for rule in load_rules():
        found = violations([rule], {rule.lang: [("synthetic msgid", rule.bad)]})
        assert found, f"{rule.lang} rule {rule.forbid.pattern!r} does not catch its example {rule.bad!r}"


def test_a_violation_names_the_msgid_the_variant_and_the_preferred_form() -> None:
    rules = [rule for rule in load_rules() if rule.lang == "zh" and rule.forbid.search("回国")]
    texts = {"zh": [("Back in Russia", "回国后没网"), ("Fine", "回到俄罗斯后没网")]}
    assert violations(rules, texts) == [
        f"zh msgid 'Back in Russia': found '回国', use {rules[0].prefer} ({rules[0].why})"
    ]


def test_an_allowed_msgid_is_skipped_and_a_stale_entry_is_reported(tmp_path: Path) -> None:
    glossary = tmp_path / "GLOSSARY.md"
    glossary.write_text(
        "text\n```toml\n[[rule]]\nlang = \"ru\"\nforbid = 'СМС'\nprefer = \"SMS\"\nwhy = \"one spelling\"\n"
        "bad = \"код из СМС\"\nallow = [\"Quoted …\", \"Gone\"]\n```\n", encoding="utf-8")
    rules = load_rules(glossary)
    texts = {"ru": [("Quoted text", "«СМС»"), ("Other", "коды из СМС")]}
    assert [line.split(":")[0] for line in violations(rules, texts)] == ["ru msgid 'Other'"]
    assert len(stale_allow_entries(rules, texts)) == 1 and "'Gone'" in stale_allow_entries(rules, texts)[0]
