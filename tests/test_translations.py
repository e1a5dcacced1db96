import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).parents[1]
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
TAG = re.compile(r"</?[a-z]+[^>]*>")


def msgids() -> set[str]:
    found = extract_from_dir(
        ROOT / "flows", method_map=[("**.py", "python")], keywords={"N_": None}
    )
    return {message for _, _, message, _, _ in found}


@pytest.fixture(params=["zh", "ru"])
def catalog(request: pytest.FixtureRequest):
    with open(ROOT / "translations" / f"{request.param}.po", "rb") as f:
        return read_po(f)


def test_extraction_finds_the_flow_texts() -> None:
    assert {"Data-only SIM", "Number-keeping SIM", "Let it lapse (not recommended)"} <= msgids()


def test_every_msgid_is_translated_and_nothing_is_stale(catalog) -> None:
    translated = {m.id: m.string for m in catalog if m.id}
    assert not catalog.fuzzy
    assert set(translated) == msgids()
    assert all(translated.values())


def test_translations_keep_placeholders_and_tags(catalog) -> None:
    for m in catalog:
        if m.id:
            assert sorted(PLACEHOLDER.findall(m.string)) == sorted(PLACEHOLDER.findall(m.id))
            assert TAG.findall(m.string) == TAG.findall(m.id)


def test_user_terms_reach_chinese_readers() -> None:
    with open(ROOT / "translations" / "zh.po", "rb") as f:
        zh = {m.id: m.string for m in read_po(f) if m.id}
    assert zh["Data-only SIM"] == "流量卡"
    assert zh["Number-keeping SIM"] == "保号卡"


def test_msgids_are_safe_telegram_html() -> None:
    for message in msgids():
        bare = TAG.sub("", message)
        assert "<" not in bare and ">" not in bare
        assert not re.search(r"&(?![a-z]+;)", bare)
