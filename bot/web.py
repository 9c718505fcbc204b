"""The HTTP server of a process (aiohttp, ``WEB_HOST``:``WEB_PORT``): the webhook at the
path of ``WEBHOOK_URL`` and ``/healthz``, ``/readyz``, ``/metrics`` (in polling mode too).

**The webhook** (:class:`WebhookHandler`). Every request must carry the secret
(``X-Telegram-Bot-Api-Secret-Token`` = ``WEBHOOK_SECRET``), else 401; a body over 1 MB is
413, a body that is not an update 400; all counted in ``bot_webhook_requests`` and never
handled. The update is handled before the answer (not in the background): Telegram gets
200 only once it is handled, and re-sends it when a replica dies or the handler fails
(500). An update delivered twice is handled once: its ``update_id`` is claimed (Redis
``SET NX`` with an expiry when ``REDIS_URL`` is set, shared by the replicas; in process
otherwise) — «processing» for two minutes, «done» for a day; a duplicate of one done is
answered 200, one still being processed elsewhere 503 (Telegram tries again later); a
failure frees the claim. At shutdown new requests get 503 and those in flight are drained.

**/readyz** reports every check (database, Redis, updates arriving, the worker lease, the
outbox's oldest message) as JSON; which ones make it 503 depends on the role: a replica
serving updates is not taken out of a load balancer because the HR chat is unreachable.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.observability import metrics

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024
PROCESSING_TTL = 120  # seconds an update stays claimed by a replica handling it
DONE_TTL = 24 * 3600  # Telegram keeps an update at most a day
CHECK_TIMEOUT = 3.0
DRAIN_TIMEOUT = 25.0

Claim = Literal["new", "done", "busy"]


class MemoryClaims:
    """update_id claims of one process (no REDIS_URL: one replica)."""

    def __init__(self) -> None:
        self._claims: dict[int, tuple[str, float]] = {}

    def _prune(self, now: float) -> None:
        if len(self._claims) > 10_000:
            self._claims = {k: v for k, v in self._claims.items() if v[1] > now}

    async def claim(self, update_id: int) -> Claim:
        now = time.monotonic()
        self._prune(now)
        held = self._claims.get(update_id)
        if held is not None and held[1] > now:
            return "done" if held[0] == "done" else "busy"
        self._claims[update_id] = ("processing", now + PROCESSING_TTL)
        return "new"

    async def done(self, update_id: int) -> None:
        self._claims[update_id] = ("done", time.monotonic() + DONE_TTL)

    async def release(self, update_id: int) -> None:
        self._claims.pop(update_id, None)


class RedisClaims:
    """update_id claims shared by the replicas (``bot:<bot id>:update:<update id>``)."""

    def __init__(self, redis: Any, bot_id: int) -> None:
        self.redis = redis
        self.prefix = f"bot:{bot_id}:update:"

    async def claim(self, update_id: int) -> Claim:
        key = f"{self.prefix}{update_id}"
        if await self.redis.set(key, "processing", nx=True, ex=PROCESSING_TTL):
            return "new"
        value = await self.redis.get(key)
        if value is None:  # expired meanwhile: try once more
            return (
                "new"
                if await self.redis.set(key, "processing", nx=True, ex=PROCESSING_TTL)
                else "busy"
            )
        return "done" if value in (b"done", "done") else "busy"

    async def done(self, update_id: int) -> None:
        await self.redis.set(f"{self.prefix}{update_id}", "done", ex=DONE_TTL)

    async def release(self, update_id: int) -> None:
        await self.redis.delete(f"{self.prefix}{update_id}")


class WebhookHandler:
    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        secret: str,
        claims: MemoryClaims | RedisClaims,
        **data: Any,
    ) -> None:
        self.dispatcher = dispatcher
        self.bot = bot
        self.secret = secret
        self.claims = claims
        self.data = data
        self.last_request: float | None = None
        self.stopping = False
        self._in_flight: set[asyncio.Task[Any]] = set()

    def _reject(self, result: str, status: int) -> web.Response:
        metrics.WEBHOOK_REQUESTS.labels(result).inc()
        return web.json_response({"ok": False, "result": result}, status=status)

    async def handle(self, request: web.Request) -> web.Response:
        if not secrets.compare_digest(
            request.headers.get(SECRET_HEADER, "").encode(), self.secret.encode()
        ):
            return self._reject("unauthorized", 401)
        if request.content_length is not None and request.content_length > MAX_BODY:
            return self._reject("too_large", 413)
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return self._reject("too_large", 413)
        self.last_request = time.monotonic()
        try:
            raw = json.loads(body)
            if not isinstance(raw, dict) or not isinstance(raw.get("update_id"), int):
                raise ValueError("not an update")
            update = Update.model_validate(raw, context={"bot": self.bot})
        except (ValueError, ValidationError):
            return self._reject("bad_request", 400)
        if self.stopping:
            return self._reject("stopping", 503)
        try:
            claim = await self.claims.claim(update.update_id)
        except Exception as exc:  # Redis is away: Telegram re-sends later
            log.warning("Update %d: cannot claim it: %s", update.update_id, type(exc).__name__)
            return self._reject("unavailable", 503)
        if claim == "done":
            return self._reject("duplicate", 200)
        if claim == "busy":
            return self._reject("busy", 503)
        task = asyncio.current_task()
        if task is not None:
            self._in_flight.add(task)
        try:
            await self.dispatcher.feed_update(self.bot, update, **self.data)
        except Exception as exc:
            with contextlib.suppress(Exception):
                await self.claims.release(update.update_id)
            log.error("Update %d failed: %s", update.update_id, type(exc).__name__)
            return self._reject("error", 500)
        finally:
            if task is not None:
                self._in_flight.discard(task)
        with contextlib.suppress(Exception):  # else a re-sent copy is handled again at worst
            await self.claims.done(update.update_id)
        metrics.WEBHOOK_REQUESTS.labels("ok").inc()
        return web.json_response({})

    async def drain(self, timeout: float = DRAIN_TIMEOUT) -> None:
        """Refuse new updates (503) and wait for those in flight."""
        self.stopping = True
        deadline = time.monotonic() + timeout
        while self._in_flight and time.monotonic() < deadline:
            await asyncio.sleep(0.05)


Check = Callable[[], Awaitable[tuple[bool, str]]]


@dataclass
class Health:
    """What /readyz checks; ``required`` names the checks that make it 503."""

    role: str
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    required: set[str]
    redis: Any = None
    extra: dict[str, Check] = field(default_factory=dict)
    outbox_max_age: float = 900.0

    async def _database(self) -> tuple[bool, str]:
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return True, "reachable"

    async def _redis(self) -> tuple[bool, str]:
        if self.redis is None:
            return True, "not used"
        await self.redis.ping()
        return True, "reachable"

    async def _outbox(self) -> tuple[bool, str]:
        async with self.session_factory() as session:
            age = await metrics.outbox_oldest_age(session)
        if age is None:
            return True, "empty"
        return age < self.outbox_max_age, f"oldest message {age:.0f} s"

    async def checks(self) -> dict[str, dict[str, Any]]:
        named: dict[str, Check] = {
            "database": self._database,
            "redis": self._redis,
            "outbox": self._outbox,
            **self.extra,
        }

        async def run(check: Check) -> tuple[bool, str]:
            try:
                return await asyncio.wait_for(check(), CHECK_TIMEOUT)
            except Exception as exc:
                return False, f"unreachable ({type(exc).__name__})"

        results = await asyncio.gather(*(run(check) for check in named.values()))
        return {
            name: {"ok": ok, "detail": detail, "required": name in self.required}
            for name, (ok, detail) in zip(named, results, strict=True)
        }


def webhook_path(webhook_url: str) -> str:
    return urlsplit(webhook_url).path or "/"


def create_web_app(
    health: Health,
    webhook: WebhookHandler | None = None,
    webhook_url: str | None = None,
    on_metrics: Callable[[], None] | None = None,
) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY)

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"alive": True, "role": health.role})

    async def readyz(_: web.Request) -> web.Response:
        checks = await health.checks()
        ready = all(c["ok"] for c in checks.values() if c["required"])
        body = {"ready": ready, "role": health.role, "checks": checks}
        return web.json_response(body, status=200 if ready else 503)

    async def metrics_view(_: web.Request) -> web.Response:
        if on_metrics is not None:
            on_metrics()
        try:
            await asyncio.wait_for(
                metrics.refresh_from_database(health.session_factory), CHECK_TIMEOUT
            )
        except Exception as exc:  # the counters are still worth a scrape
            log.warning("metrics: the database figures failed: %s", type(exc).__name__)
        response = web.Response(body=generate_latest())
        response.content_type = CONTENT_TYPE_LATEST.split(";")[0]
        return response

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics_view)
    if webhook is not None and webhook_url is not None:
        app.router.add_post(webhook_path(webhook_url), webhook.handle)
    return app


class WebServer:
    def __init__(self, app: web.Application, host: str, port: int) -> None:
        self.runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=DRAIN_TIMEOUT
        )
        self.host, self.port = host, port

    async def start(self) -> None:
        await self.runner.setup()
        site = web.TCPSite(self.runner, self.host, self.port)
        await site.start()
        log.info("HTTP server on %s:%d", self.host, self.port)

    async def stop(self) -> None:
        await self.runner.cleanup()
