"""Settings from the environment or ``.env`` (see ``.env.example``)."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{PROJECT_ROOT / 'var' / 'bot.sqlite3'}"
TELEGRAM_API_BASE = "https://api.telegram.org"
_TOKEN_RE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
_QUIET_RE = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")
# A host name, an IPv4 address or a bracketed IPv6 address (no spaces, no user:password@).
_HOST_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]")
# The drivers the bot runs with (asynchronous ones: the bot is asyncio throughout).
_DATABASE_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}
_DATABASE_FORMS = "sqlite+aiosqlite:///path/to/file or postgresql+asyncpg://user:password@host/db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr
    database_url: str = DEFAULT_DATABASE_URL
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    hr_chat_id: int | None = None
    default_locale: Literal["kk", "ru"] = "ru"
    hr_locale: Literal["kk", "ru"] = "ru"
    # A forum topic per application in the HR chat (when that chat is a forum supergroup).
    hr_topics: bool = False
    telegram_api_base: str = TELEGRAM_API_BASE
    # Announcements: overall messages per second (None: 25, or 1000 with paid broadcasts),
    # Telegram's paid broadcasts, and requests in flight (also the most a kill -9 can resend).
    broadcast_rate: float | None = Field(default=None, gt=0, le=1000)
    allow_paid_broadcast: bool = False
    broadcast_max_in_flight: int = Field(default=4, ge=1, le=200)
    # Days after which applications are anonymized (personal fields emptied).
    retention_days: int = Field(default=365, ge=1)
    # Admins get a private alert when messages to the HR chat wait longer than this.
    hr_outage_alert_minutes: int = Field(default=15, ge=1)
    backup_retention_days: int = Field(default=30, ge=1)  # the operator's, named in texts
    # Vacancy announcements (bot/services/announcements.py): the weekly digest's crontab
    # (Asia/Almaty), a channel that gets every announcement too, and the hours when
    # automatic announcements wait for the morning ("" = never hold them).
    digest_cron: str = "0 10 * * mon"
    digest_enabled: bool = True
    channel_id: int | str | None = None
    quiet_hours: str = "22:00-08:00"
    # Nobody waits in silence (bot.services.nudges): HR's digest of applications with no
    # decision after 48 h (crontab, Asia/Almaty), and the hours (Asia/Almaty, outside the
    # quiet hours) when a drop-off reminder may go.
    hr_digest_cron: str = "0 9 * * mon-fri"
    nudge_hours: str = "10:00-19:00"
    # The bot's @username for the links of `python -m bot qr` (no network needed).
    bot_username: str | None = None
    redis_url: str | None = None  # per-person update locks shared by processes (bot.isolation)
    # Production (bot.runtime, bot.web): the webhook (empty: long polling), its secret and
    # Telegram's connections; the HTTP server of the webhook, /healthz, /readyz and /metrics
    # (WEB_PORT unset: 8080 for serve and worker, no server for the all-in-one default
    # unless it takes a webhook); how stale the updates and the outbox may be for /readyz.
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_max_connections: int = Field(default=40, ge=1, le=100)
    web_host: str = "0.0.0.0"
    web_port: int | None = Field(default=None, ge=0, le=65535)
    ready_updates_max_age: float = Field(default=120.0, gt=0)
    ready_outbox_max_age: float = Field(default=900.0, gt=0)
    # The conversation storage: auto = Redis with REDIS_URL, else the database.
    fsm_storage: Literal["auto", "sql", "redis"] = "auto"
    log_format: Literal["text", "json"] = "text"
    # Optional error reports to a self-hosted Sentry-compatible server (scrubbed: no texts).
    sentry_dsn: str | None = None
    # How often a standby worker tries the lease, and the serve→worker handoff is polled.
    worker_poll_seconds: float = Field(default=5.0, gt=0, le=300)

    @field_validator("bot_token")
    @classmethod
    def _token_looks_real(cls, value: SecretStr) -> SecretStr:
        if not _TOKEN_RE.match(value.get_secret_value().strip()):
            raise ValueError("malformed")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        # The messages never echo the value: it may hold the database password.
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        value = value.strip()
        try:
            url = make_url(value)
        except (ArgumentError, ValueError):
            raise ValueError(f"not a database URL; expected {_DATABASE_FORMS}") from None
        backend = url.get_backend_name()
        expected = _DATABASE_DRIVERS.get(backend)
        if expected is None:
            raise ValueError(f"unsupported database {backend!r}; expected {_DATABASE_FORMS}")
        if url.drivername != expected:
            raise ValueError(f"the driver must be {expected}:// (the bot is asynchronous)")
        if backend == "postgresql" and not url.database:
            raise ValueError("no database name: postgresql+asyncpg://user:password@host/db")
        return value

    @field_validator("telegram_api_base")
    @classmethod
    def _api_base(cls, value: str) -> str:
        # Checked here: aiohttp's error for a bad URL would carry the URL, the token in it.
        value = value.strip()
        if not _is_http_url(value):
            raise ValueError(
                "expected http:// or https:// and a host, e.g. https://api.telegram.org"
            )
        return value.rstrip("/")

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if not value:
            return None
        if not _is_http_url(value) or not value.startswith("https://"):
            raise ValueError("expected https://<public host>/<path>, or nothing for polling")
        return value

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _webhook_secret(cls, value: object) -> object:
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not _SECRET_RE.fullmatch(value.strip()):
            # Telegram's rule for secret_token; the message never echoes the value.
            raise ValueError("expected 1-256 characters A-Z, a-z, 0-9, _ and -")
        return value.strip()

    @field_validator("redis_url", mode="before")
    @classmethod
    def _empty_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def uses_redis_storage(self) -> bool:
        return self.fsm_storage == "redis" or (self.fsm_storage == "auto" and bool(self.redis_url))

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(part) for part in re.split(r"[,\s]+", value.strip()) if part]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("digest_cron", "hr_digest_cron")
    @classmethod
    def _crontab(cls, value: str) -> str:
        from apscheduler.triggers.cron import CronTrigger

        CronTrigger.from_crontab(value, timezone="Asia/Almaty")  # raises ValueError when bad
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _quiet_hours(cls, value: str) -> str:
        value = value.strip()
        if not value:
            return value
        match = _QUIET_RE.fullmatch(value)
        numbers = [int(g) for g in match.groups()] if match else []
        if not numbers or max(numbers[0], numbers[2]) > 23 or max(numbers[1], numbers[3]) > 59:
            raise ValueError("expected HH:MM-HH:MM, e.g. 22:00-08:00, or nothing")
        return value

    @field_validator("nudge_hours")
    @classmethod
    def _nudge_hours(cls, value: str) -> str:
        if parse_quiet_hours(value) is None:
            raise ValueError("expected HH:MM-HH:MM, e.g. 10:00-19:00")
        return value.strip()

    @field_validator("bot_username", mode="before")
    @classmethod
    def _username(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().removeprefix("@")
            if not value:
                return None
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{3,31}", value):
                raise ValueError("expected the bot's username, e.g. rescue_jobs_bot")
        return value

    @property
    def nudge_daytime(self) -> tuple[time, time]:
        parsed = parse_quiet_hours(self.nudge_hours)
        return parsed if parsed is not None else (time(10, 0), time(19, 0))

    @field_validator("channel_id", mode="before")
    @classmethod
    def _channel(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if value == "":
                return None
            if re.fullmatch(r"-?\d+", value):
                return int(value)
        return value

    @field_validator("hr_chat_id", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value


def parse_quiet_hours(value: str) -> tuple[time, time] | None:
    """``QUIET_HOURS`` as (start, end) local times: ``"22:00-08:00"`` → (22:00, 08:00);
    ``""``, an empty window or a malformed value (the validator refuses those) → None.
    Plain (no other imports), for the pure scheduling model's callers."""
    match = _QUIET_RE.fullmatch(value.strip())
    if match is None:
        return None
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if max(h1, h2) > 23 or max(m1, m2) > 59:
        return None
    start, end = time(h1, m1), time(h2, m2)
    return None if start == end else (start, end)


def _is_http_url(value: str) -> bool:
    """http(s)://host[:port][/path], with no spaces, query or fragment."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  # a port that is not a number raises ValueError
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or re.search(r"\s", value):
        return False
    if parts.query or parts.fragment:
        return False
    host = parts.netloc.rpartition("@")[2]  # user:password@ is aiohttp's basic auth
    if not host.startswith("["):
        host = host.partition(":")[0]
    elif "]" in host:
        host = host[: host.index("]") + 1]
    return bool(_HOST_RE.fullmatch(host))


def settings_error_line(exc: ValidationError) -> str:
    """One line that says what to set; never echoes the values (the token is a secret)."""
    parts = []
    for error in exc.errors():
        name = str(error["loc"][0]).upper() if error["loc"] else "SETTINGS"
        if name == "BOT_TOKEN":
            if error["type"] == "missing":
                parts.append("BOT_TOKEN is not set: put the token from @BotFather into .env")
            else:
                parts.append(
                    "BOT_TOKEN is malformed: expected the form 123456789:AAE… from @BotFather"
                )
        else:
            message = error["msg"].removeprefix("Value error, ")
            parts.append(f"{name} is invalid: {message}")
    return "Cannot start: " + "; ".join(parts)
