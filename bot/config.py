"""Every knob of the bot, read from the environment and an optional .env file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from yarl import URL

from flows.locale import LANGUAGES

TOKEN_PATTERN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,100}$")
# SQLite stores integers in 64 bits; Telegram ids are far below.
MAX_ID = 2**63 - 1
# Telegram's rule for the secret token of a webhook.
WEBHOOK_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class ConfigError(Exception):
    """A setting has a wrong value; the message names the variable and never shows secrets."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        hide_input_in_errors=True,
    )

    bot_token: SecretStr | None = None
    telegram_api_base: str | None = None
    database_path: Path = Path("data/bot.sqlite3")
    # PostgreSQL instead of the SQLite file when set: postgresql://user:pass@host:port/db.
    database_url: SecretStr | None = None
    # Conversation state and the outgoing rate limit in Redis when set (redis://host:port/n),
    # so that several instances share them.
    redis_url: SecretStr | None = None
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    default_locale: str = "en"
    # Below one message every two seconds, reminders would queue for hours.
    broadcast_rate: float = Field(default=25.0, ge=0.5, le=30, allow_inf_nan=False)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    # Where the trained typed-question model is kept between runs (training it takes seconds).
    model_cache_dir: Path = Path("data/cache")
    # The operator registry; None is the one shipped in flows/data/operators.json.
    operators_file: Path | None = None
    # Webhook mode when set; long polling otherwise.
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: Annotated[tuple[str, int], NoDecode] = ("0.0.0.0", 8080)
    # Where /healthz and /metrics are served in polling mode; nowhere when empty.
    health_listen: Annotated[tuple[str, int] | None, NoDecode] = None
    # How long a stop waits for the updates in hand; those still unfinished then are
    # handled again at the next start (the update journal; on PostgreSQL, once their lease
    # runs out).
    stop_timeout: float = Field(default=25.0, gt=0, le=600)
    # How long a claim on a reminder, a broadcast recipient or an update in hand holds
    # without renewal: a dead instance's claims are taken over after at most this long.
    claim_lease: float = Field(default=60.0, ge=2, le=3600, allow_inf_nan=False)

    @property
    def database_dsn(self) -> str | None:
        """DATABASE_URL in clear, for the driver only."""
        return self.database_url.get_secret_value() if self.database_url else None

    @property
    def redis_dsn(self) -> str | None:
        return self.redis_url.get_secret_value() if self.redis_url else None

    @field_validator("bot_token", mode="before")
    @classmethod
    def _check_token(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not TOKEN_PATTERN.match(value.strip()):
            raise ValueError("does not look like a token from @BotFather (digits:letters)")
        return value.strip()

    @field_validator("telegram_api_base", mode="before")
    @classmethod
    def _check_api_base(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not is_http_url(value.strip()):
            raise ValueError("must be an http:// or https:// URL with a host and a port from 1 to 65535, "
                             "e.g. http://127.0.0.1:8081")
        return value.strip().rstrip("/")

    @field_validator("database_url", mode="before")
    @classmethod
    def _check_database_url(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not has_scheme(value.strip(), ("postgresql", "postgres")):
            raise ValueError("must be a PostgreSQL URL, e.g. postgresql://bot:secret@127.0.0.1:5432/bot")
        return value.strip()

    @field_validator("redis_url", mode="before")
    @classmethod
    def _check_redis_url(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not has_scheme(value.strip(), ("redis", "rediss", "unix")):
            raise ValueError("must be a Redis URL, e.g. redis://127.0.0.1:6379/0")
        return value.strip()

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _check_webhook_url(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not is_http_url(value.strip()):
            raise ValueError("must be the public https:// URL Telegram posts updates to, "
                             "e.g. https://bot.example.org/telegram")
        return value.strip()

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _check_webhook_secret(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not WEBHOOK_SECRET_PATTERN.match(value.strip()):
            raise ValueError("must be 1 to 256 characters: letters, digits, _ and -")
        return value.strip()

    @field_validator("webhook_listen", "health_listen", mode="before")
    @classmethod
    def _split_listen(cls, value: object) -> object:
        if value is None or isinstance(value, tuple):
            return value
        if isinstance(value, str) and not value.strip():
            return None
        host, _, port = str(value).strip().rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError("must be host:port, e.g. 0.0.0.0:8080")
        return host.strip("[]"), int(port)

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError("WEBHOOK_SECRET must be set in webhook mode (WEBHOOK_URL is set), so that "
                             "only Telegram can post updates; e.g. the output of: openssl rand -hex 32")
        return self

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            if not all(re.fullmatch(r"\d{1,20}", part) and int(part) <= MAX_ID for part in parts):
                raise ValueError("must be comma-separated Telegram user ids, e.g. 111,222")
            return frozenset(int(part) for part in parts)
        return value

    @field_validator("default_locale", mode="before")
    @classmethod
    def _check_locale(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().lower() in LANGUAGES:
            return value.strip().lower()
        raise ValueError(f"must be one of {', '.join(LANGUAGES)}")

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value


def has_scheme(value: str, schemes: tuple[str, ...]) -> bool:
    try:
        url = URL(value)
    except ValueError:
        return False
    return url.scheme in schemes and (url.scheme == "unix" or bool(url.host))


def secrets(settings: Settings) -> list[str]:
    """What logs must never show: the token, the webhook secret, the passwords in URLs."""
    found = [secret.get_secret_value() for secret in (settings.bot_token, settings.webhook_secret) if secret]
    for url in (settings.database_url, settings.redis_url):
        if url is not None:
            password = URL(url.get_secret_value()).password
            if password:
                found.append(password)
    return found


def is_http_url(value: str) -> bool:
    """An absolute http(s) URL with a host, a valid port, and no query or fragment."""
    try:
        url = URL(value)
        port = url.port
    except ValueError:
        return False
    return (url.scheme in ("http", "https") and bool(url.host) and port is not None and 0 < port < 65536
            and not url.query_string and not url.fragment and not url.user)


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning a validation error into one line per wrong variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        lines = []
        for problem in error.errors():
            if not problem["loc"]:  # a rule across settings names its variables itself
                lines.append(problem["msg"].removeprefix("Value error, "))
                continue
            name = str(problem["loc"][0]).upper()
            message = problem["msg"].removeprefix("Value error, ")
            lines.append(f"{name}: {message}")
        raise ConfigError("; ".join(lines)) from None
