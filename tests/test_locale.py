import ast
from pathlib import Path

import pytest

from flows.locale import resolve_locale


@pytest.mark.parametrize(
    ("stored", "telegram", "default", "expected"),
    [
        (None, "zh", "en", "zh"),
        (None, "zh-hans", "en", "zh"),
        (None, "zh-hant", "en", "zh"),
        (None, "zh-CN", "en", "zh"),
        (None, "zh_TW", "en", "zh"),
        (None, "ru", "en", "ru"),
        (None, "ru-RU", "en", "ru"),
        (None, "en", "ru", "en"),
        (None, "de", "ru", "en"),
        (None, "uk", "zh", "en"),
        (None, None, "ru", "ru"),
        (None, "", "zh", "zh"),
        ("ru", "zh-hans", "en", "ru"),
        ("zh", None, "en", "zh"),
        ("xx", "ru", "en", "ru"),
    ],
)
def test_resolve_locale(stored: str | None, telegram: str | None, default: str, expected: str) -> None:
    assert resolve_locale(stored, telegram, default) == expected


def test_flows_never_import_aiogram() -> None:
    """Decisions stay pure: flows/ must run and be tested without the Telegram framework."""
    offenders = []
    for path in (Path(__file__).resolve().parent.parent / "flows").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {name}" for name in names if name.split(".")[0] in {"aiogram", "bot"}]
    assert not offenders
