from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings, secrets

ENV_VARS = ("BOT_TOKEN", "TELEGRAM_API_BASE", "DATABASE_PATH", "ADMIN_IDS", "DEFAULT_LOCALE",
            "BROADCAST_RATE", "LOG_LEVEL", "WEBHOOK_URL", "WEBHOOK_SECRET", "WEBHOOK_LISTEN", "HEALTH_LISTEN")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's checkout


def test_defaults() -> None:
    settings = load_settings()
    assert settings.bot_token is None
    assert settings.telegram_api_base is None
    assert settings.database_path == Path("data/bot.sqlite3")
    assert settings.admin_ids == frozenset()
    assert settings.default_locale == "en"
    assert settings.broadcast_rate == 25
    assert settings.log_level == "INFO"


def test_environment_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "123456:AAbb-cc_DD")
    monkeypatch.setenv("TELEGRAM_API_BASE", "http://127.0.0.1:8081/")
    monkeypatch.setenv("ADMIN_IDS", "111, 222,333")
    monkeypatch.setenv("DEFAULT_LOCALE", "ZH")
    monkeypatch.setenv("BROADCAST_RATE", "10.5")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    settings = load_settings()
    assert settings.bot_token.get_secret_value() == "123456:AAbb-cc_DD"
    assert settings.telegram_api_base == "http://127.0.0.1:8081"
    assert settings.admin_ids == {111, 222, 333}
    assert settings.default_locale == "zh"
    assert settings.broadcast_rate == 10.5
    assert settings.log_level == "DEBUG"


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("ADMIN_IDS=7\nDATABASE_PATH=/tmp/x.sqlite3\n", encoding="utf-8")
    settings = load_settings()
    assert settings.admin_ids == {7}
    assert settings.database_path == Path("/tmp/x.sqlite3")


def test_environment_beats_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("ADMIN_IDS=7\n", encoding="utf-8")
    monkeypatch.setenv("ADMIN_IDS", "8")
    assert load_settings().admin_ids == {8}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ADMIN_IDS", "abc"),
        ("ADMIN_IDS", "111;222"),
        ("ADMIN_IDS", "-5"),
        ("BROADCAST_RATE", "0"),
        ("BROADCAST_RATE", "-1"),
        ("BROADCAST_RATE", "31"),
        ("BROADCAST_RATE", "fast"),
        ("DEFAULT_LOCALE", "de"),
        ("LOG_LEVEL", "LOUD"),
        ("TELEGRAM_API_BASE", "ftp://example.org"),
        ("TELEGRAM_API_BASE", "127.0.0.1:8081"),
        ("TELEGRAM_API_BASE", "http://127.0.0.1:99999"),
        ("TELEGRAM_API_BASE", "http://[::1"),
        ("TELEGRAM_API_BASE", "http://127.0.0.1:0"),
        ("TELEGRAM_API_BASE", "http://user:pw@127.0.0.1:8081"),
        ("ADMIN_IDS", "99999999999999999999"),
        ("ADMIN_IDS", "9223372036854775808"),
        ("BROADCAST_RATE", "0.0001"),
        ("BROADCAST_RATE", "nan"),
        ("BROADCAST_RATE", "inf"),
        ("WEBHOOK_URL", "bot.example.org/telegram"),
        ("WEBHOOK_SECRET", "has spaces"),
        ("WEBHOOK_LISTEN", "8080"),
        ("WEBHOOK_LISTEN", "0.0.0.0:70000"),
        ("HEALTH_LISTEN", "localhost"),
        ("BOT_TOKEN", "not-a-token"),
        ("DATABASE_URL", "mysql://bot:pw@127.0.0.1/bot"),
        ("DATABASE_URL", "postgresql:///no-host"),
        ("REDIS_URL", "127.0.0.1:6379"),
        ("CLAIM_LEASE", "1"),
        ("CLAIM_LEASE", "inf"),
    ],
)
def test_wrong_value_names_the_variable(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as error:
        load_settings()
    message = str(error.value)
    assert message.startswith(f"{name}: ")
    assert "\n" not in message


def test_token_never_appears_in_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "12345:secret token with spaces"
    monkeypatch.setenv("BOT_TOKEN", secret)
    monkeypatch.setenv("BROADCAST_RATE", "-3")
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert "BOT_TOKEN" in str(error.value) and "BROADCAST_RATE" in str(error.value)
    assert "secret" not in str(error.value)


def test_token_is_not_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "123456:VerySecretValue")
    settings = load_settings()
    assert "VerySecretValue" not in repr(settings)
    assert "VerySecretValue" not in str(settings.model_dump())


def test_empty_token_means_no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "  ")
    assert load_settings().bot_token is None


def test_webhook_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/telegram")
    monkeypatch.setenv("WEBHOOK_SECRET", "abc_DEF-123")
    monkeypatch.setenv("WEBHOOK_LISTEN", "127.0.0.1:9000")
    monkeypatch.setenv("HEALTH_LISTEN", "[::1]:9100")
    monkeypatch.setenv("ADMIN_IDS", "9223372036854775807")
    monkeypatch.setenv("BROADCAST_RATE", "0.5")
    settings = load_settings()
    assert settings.webhook_url == "https://bot.example.org/telegram"
    assert settings.webhook_secret.get_secret_value() == "abc_DEF-123"
    assert settings.webhook_listen == ("127.0.0.1", 9000)
    assert settings.health_listen == ("::1", 9100)
    assert settings.admin_ids == {2**63 - 1}


def test_webhook_defaults() -> None:
    settings = load_settings()
    assert settings.webhook_url is None and settings.webhook_secret is None
    assert settings.webhook_listen == ("0.0.0.0", 8080) and settings.health_listen is None


def test_webhook_mode_needs_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/telegram")
    with pytest.raises(ConfigError, match="^WEBHOOK_SECRET must be set in webhook mode"):
        load_settings()


def test_the_passwords_in_database_and_redis_urls_are_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://bot:pg-pass-1@db.internal:5432/bot")
    monkeypatch.setenv("REDIS_URL", "redis://:redis-pass-2@cache.internal:6379/0")
    settings = load_settings()
    assert settings.database_dsn == "postgresql://bot:pg-pass-1@db.internal:5432/bot"
    assert settings.redis_dsn == "redis://:redis-pass-2@cache.internal:6379/0"
    assert "pg-pass-1" not in repr(settings) and "redis-pass-2" not in repr(settings)
    assert {"pg-pass-1", "redis-pass-2"} <= set(secrets(settings))
