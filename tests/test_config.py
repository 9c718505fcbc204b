"""Settings, and a start-up that fails with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import Settings, settings_error_line

ROOT = Path(__file__).resolve().parents[1]
GOOD_TOKEN = "123456789:AAEabcdefghijklmnopqrstuvwxyz0123456"


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", GOOD_TOKEN)
    monkeypatch.setenv("ADMIN_IDS", "1, 2 3")
    monkeypatch.setenv("HR_CHAT_ID", "-1001234")
    monkeypatch.setenv("DEFAULT_LOCALE", "kk")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.admin_ids == [1, 2, 3]
    assert settings.hr_chat_id == -1001234
    assert settings.default_locale == "kk"
    assert settings.telegram_api_base == "https://api.telegram.org"
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert GOOD_TOKEN not in repr(settings)


@pytest.mark.parametrize("token", [None, "", "abc", "123:short", "x" * 50])
def test_missing_or_malformed_token_is_one_line(
    monkeypatch: pytest.MonkeyPatch, token: str | None
) -> None:
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    if token is not None:
        monkeypatch.setenv("BOT_TOKEN", token)
    with pytest.raises(ValidationError) as exc:
        Settings(_env_file=None)  # type: ignore[call-arg]
    line = settings_error_line(exc.value)
    assert "BOT_TOKEN" in line and "\n" not in line
    if token:
        assert token not in line


def _run_bot(env_extra: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN"}}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_start_without_token_prints_one_line(tmp_path: Path) -> None:
    result = _run_bot({"PYTHONPATH": str(ROOT)}, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "BOT_TOKEN is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_start_with_malformed_token_prints_one_line(tmp_path: Path) -> None:
    result = _run_bot({"PYTHONPATH": str(ROOT), "BOT_TOKEN": "oops"}, tmp_path)
    assert result.returncode == 2
    assert "BOT_TOKEN is malformed" in result.stderr
    assert "oops" not in result.stderr
