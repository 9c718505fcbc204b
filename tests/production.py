"""Helpers of the multi-process tests: the roles as OS processes against PostgreSQL, Redis
and the fake Bot API, and a person whose updates are POSTed to webhook replicas."""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import socket
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from tests.conftest import POSTGRES_URL, REDIS_URL
from tests.fakes.bot_api_server import FakeBotAPI, _inline_buttons

ROOT = Path(__file__).resolve().parents[1]
SECRET = "s3cret-webhook_token"
WEBHOOK_URL = "https://bot.example.org/tg/webhook"
HR_CHAT = -100777


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def token() -> str:
    """A bot id of its own per test: Redis keys never meet another test's."""
    return f"{random.randint(10**8, 10**9)}:TEST-production-token_aaaaaaaaaaaaaaa"


@asynccontextmanager
async def postgres_role() -> AsyncIterator[tuple[str, AsyncEngine]]:
    """A role and its schema (first on its default search_path, "$user"): the processes'
    DATABASE_URL and an engine on the same schema for the test's own reads."""
    name = f"p_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f"CREATE ROLE {name} LOGIN"))
        await conn.execute(text(f"CREATE SCHEMA {name} AUTHORIZATION {name}"))
    url = POSTGRES_URL.replace("postgres@", f"{name}@", 1)
    engine = create_async_engine(url)
    try:
        yield url, engine
    finally:
        await engine.dispose()
        async with admin.connect() as conn:
            await conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :n"),
                {"n": name},
            )
            await conn.execute(text(f"DROP SCHEMA {name} CASCADE"))
            await conn.execute(text(f"DROP ROLE {name}"))
        await admin.dispose()


class Process:
    """``python -m bot <role>`` with its own WEB_PORT."""

    def __init__(self, role: str, env: dict[str, str], cwd: Path) -> None:
        self.role = role
        self.port = free_port()
        self.env = {**env, "WEB_PORT": str(self.port)}
        self.cwd = cwd
        self.process: asyncio.subprocess.Process | None = None
        self.stderr = b""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> Process:
        args = [] if self.role == "all" else [self.role]
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            *args,
            cwd=self.cwd,
            env=self.env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        return self

    async def wait(self, timeout: float = 120) -> int:
        # Generous: with the suite on every core a cold start of the bot (imports, the
        # migrations check) took over 60 s on a loaded two-core machine.
        assert self.process is not None
        _, err = await asyncio.wait_for(self.process.communicate(), timeout)
        self.stderr += err
        return int(self.process.returncode or 0)

    async def stop(self, sig: int = signal.SIGTERM) -> str:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(sig)
        await self.wait(30)
        return self.stderr.decode(errors="replace")

    async def get(self, path: str) -> tuple[int, dict[str, Any] | str]:
        async with aiohttp.ClientSession() as http, http.get(self.url + path) as response:
            body = await response.text()
            try:
                return response.status, json.loads(body)
            except ValueError:
                return response.status, body

    async def until_up(self, timeout: float = 120) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            assert self.process is not None
            if self.process.returncode is not None:
                await self.wait()
                raise AssertionError(f"{self.role} exited: {self.stderr.decode()[-2000:]}")
            try:
                status, _ = await self.get("/healthz")
                if status == 200:
                    return
            except aiohttp.ClientError:
                pass
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{self.role} did not come up")
            await asyncio.sleep(0.2)

    async def post_update(
        self, update: dict[str, Any], secret: str | None = SECRET, body: bytes | None = None
    ) -> int:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        data = body if body is not None else json.dumps(update).encode()
        async with (
            aiohttp.ClientSession() as http,
            http.post(self.url + "/tg/webhook", data=data, headers=headers) as response,
        ):
            await response.read()
            return response.status


def environment(api: FakeBotAPI, database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "WEB"))}
    env.update(
        BOT_TOKEN=api.token,
        TELEGRAM_API_BASE=api.base_url,
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_URL,
        WEBHOOK_URL=WEBHOOK_URL,
        WEBHOOK_SECRET=SECRET,
        WEB_HOST="127.0.0.1",
        HR_CHAT_ID=str(HR_CHAT),
        ADMIN_IDS="9000",
        QUIET_HOURS="",
        DIGEST_ENABLED="false",
        WORKER_POLL_SECONDS="0.5",
        BROADCAST_MAX_IN_FLIGHT="1",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def webhook_info(api: FakeBotAPI) -> None:
    """The fake answers getWebhookInfo as if set-webhook had run."""

    def responder(call: Any) -> dict[str, Any] | None:
        if call.method == "getWebhookInfo":
            return {
                "ok": True,
                "result": {
                    "url": WEBHOOK_URL,
                    "has_custom_certificate": False,
                    "pending_update_count": 0,
                },
            }
        return None

    api.responder = responder


class Person:
    """One applicant whose updates go to the replicas in turn (``via``)."""

    def __init__(self, api: FakeBotAPI, user_id: int) -> None:
        self.api = api
        self.user_id = user_id
        self.next_id = random.randint(10**6, 10**7)

    def _numbered(self, update: dict[str, Any]) -> dict[str, Any]:
        self.next_id += 1
        return {"update_id": self.next_id, **update}

    def message(self, text: str) -> dict[str, Any]:
        return self._numbered(self.api.message_update(self.user_id, text))

    def click(self, label: str) -> dict[str, Any]:
        for message in reversed(self.api.chat_messages(self.user_id)):
            for button in _inline_buttons(message.get("reply_markup")):
                if label in str(button.get("text", "")) and "callback_data" in button:
                    return self.callback(str(button["callback_data"]), message["message_id"])
        raise LookupError(label)

    def callback(self, data: str, message_id: int | None = None) -> dict[str, Any]:
        return self._numbered(self.api.callback_update(self.user_id, data, message_id))
