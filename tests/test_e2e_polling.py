"""End to end: the real `python -m bot` process polls a fake Bot API server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.fakes.bot_api_server import FakeBotAPI

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456789:TEST-fake-token_for-tests-aaaaaaaaaa"
USER = 777


class BotProcess:
    def __init__(self, api: FakeBotAPI, database: Path) -> None:
        self.api = api
        self.database = database
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
        env.update(
            BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE=self.api.base_url,
            DATABASE_URL=f"sqlite+aiosqlite:///{self.database}",
            PYTHONPATH=str(ROOT),
        )
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=self.database.parent,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )

    async def stop(self, sig: int = signal.SIGTERM) -> str:
        assert self.process is not None
        self.process.send_signal(sig)
        _, stderr = await asyncio.wait_for(self.process.communicate(), timeout=90)
        return stderr.decode(errors="replace")


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(token=TOKEN) as server:
        yield server


async def _say(api: FakeBotAPI, text: str) -> str:
    after = api.cursor
    api.push_message(USER, text)
    call = await api.wait_for(after=after, chat_id=USER, timeout=90)
    return call.text or ""


async def _click(api: FakeBotAPI, button: str, *, exact: bool = False) -> str:
    after = api.cursor
    api.push_click(USER, button, exact=exact)
    call = await api.wait_for(
        predicate=lambda c: c.method in {"sendMessage", "editMessageText"},
        after=after,
        chat_id=USER,
        timeout=90,
    )
    return call.text or ""


async def test_browse_and_screen_over_http_and_survive_kill(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    bot = BotProcess(api, tmp_path / "bot.sqlite3")
    await bot.start()
    # Start-up sets the command menu in both languages.
    await api.wait_for("setMyCommands", timeout=90)
    assert "Выберите язык" in await _say(api, "/start")
    assert "Служба спасения" in await _click(api, "Русский")
    assert "341" in await _click(api, "Вакансии")
    await _click(api, "Автотранспортная служба")
    card = await _click(api, "Водитель эвакуатора")
    assert "Водитель эвакуатора" in card
    assert "Вопрос 1 из 3" in await _click(api, "Откликнуться")
    assert "Вопрос 2 из 3" in await _click(api, "Среднее общее")

    # kill -9 in the middle of the questionnaire: the answers are in the database.
    stderr = await bot.stop(signal.SIGKILL)
    assert TOKEN not in stderr
    await bot.start()
    await _click(api, "C", exact=True)
    assert "Вопрос 3 из 3" in await _click(api, "Готово")
    result = await _click(api, "Да")
    assert "Результат проверки" in result and "❌" not in result

    stderr = await bot.stop()
    assert bot.process is not None and bot.process.returncode == 0
    assert TOKEN not in stderr and "Traceback" not in stderr
