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

