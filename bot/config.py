"""Settings from the environment or ``.env`` (see ``.env.example``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{PROJECT_ROOT / 'var' / 'bot.sqlite3'}"
TELEGRAM_API_BASE = "https://api.telegram.org"
_TOKEN_RE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr
    database_url: str = DEFAULT_DATABASE_URL
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    hr_chat_id: int | None = None
    default_locale: Literal["kk", "ru"] = "ru"
    telegram_api_base: str = TELEGRAM_API_BASE

    @field_validator("bot_token")
    @classmethod
    def _token_looks_real(cls, value: SecretStr) -> SecretStr:
        if not _TOKEN_RE.match(value.get_secret_value().strip()):
            raise ValueError("malformed")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(part) for part in re.split(r"[,\s]+", value.strip()) if part]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("hr_chat_id", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value


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
            parts.append(f"{name} is invalid: {error['msg']}")
    return "Cannot start: " + "; ".join(parts)
