"""Which language a user reads."""

# Each language named in itself, as a language picker shows it.
LANGUAGE_NAMES = {"zh": "中文", "ru": "Русский", "en": "English"}
LANGUAGES = tuple(LANGUAGE_NAMES)


def resolve_locale(stored: str | None, telegram_code: str | None, default: str) -> str:
    """The user's own choice wins; else Telegram's language_code mapped to ours; else the default.

    Telegram sends IETF tags such as ``zh-hans``, ``zh-CN`` or ``ru``; every Chinese variant
    maps to our one Chinese catalog. Anything we have no catalog for reads English, not the
    deployment default, because English is what such a user most likely reads.
    """
    if stored in LANGUAGES:
        return stored
    if telegram_code:
        primary = telegram_code.replace("_", "-").split("-", 1)[0].lower()
        if primary in LANGUAGES:
            return primary
        return "en"
    return default
