"""The roles of ``python -m bot`` (see the README's «Deployment»).

* ``all`` (``python -m bot``, the default): everything in one process, as a pilot runs it —
  migrations at start-up, updates (polling, or the webhook when ``WEBHOOK_URL`` is set),
  the scheduler, the outbox and broadcasts. It takes the worker lease and will not start
  beside another worker.
* ``serve``: updates only; any number of replicas. Work it starts goes to the worker
  through the database (:mod:`bot.runtime.handoff`).
* ``worker``: the scheduler (reminders, retention, the digest, scheduled broadcasts), the
  outbox sender and the broadcast runner, once it holds the lease
  (:mod:`bot.runtime.lease`); a second worker stands by and takes over when the first dies.
  A worker that loses its lease exits (status 1) before a standby can start the same work.
* ``migrate``: the migrations under an advisory lock, then exit (``serve`` and ``worker``
  never migrate: they refuse to start on a schema behind the code).

Every start-up failure raises :class:`~bot.startup.StartupError` (one line, exit 2).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any, Literal

from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.redis import RedisStorage
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.catalogue.loader import load_catalogue
from bot.catalogue.service import CatalogueService
from bot.config import Settings
from bot.db.engine import apply_migrations, create_engine, create_session_factory, schema_behind
from bot.deps import JobContext, Jobs, Starter
from bot.i18n import Translator
from bot.observability import metrics
from bot.runtime.lease import WorkerLease, lease_holder_exists
from bot.sending.announcer import Announcer
from bot.startup import (
    Stage,
    StartupError,
    bot_api_problem,
    catalogue_problem,
    database_problem,
    freeze_startup_objects,
    settle_sqlite_threads,
    unexpected_problem,
)
from bot.storage.sql_fsm import SQLStorage
from bot.web import Health, MemoryClaims, RedisClaims, WebhookHandler, WebServer, create_web_app

log = logging.getLogger(__name__)

Role = Literal["all", "serve", "worker"]
ROLES = ("serve", "worker", "migrate", "set-webhook")
GET_ME_TIMEOUT = 20
DEFAULT_WEB_PORT = 8080
WEBHOOK_PROBE_SECONDS = 60.0


class LeaseLost(RuntimeError):
    """The worker's lease went away: the process stops (exit 1) and is restarted."""


def _where(database_url: str) -> str:
    return database_problem(Exception(), database_url).split(":", 1)[0].rstrip()


def redis_problem(exc: Exception, redis_url: str) -> str:
    try:
        from redis.asyncio.connection import parse_url

        parts = parse_url(redis_url)
        where = f"{parts.get('host', 'localhost')}:{parts.get('port', 6379)}"
    except Exception:
        where = "?"
    return f"REDIS_URL ({where}): cannot connect ({type(exc).__name__})"


def web_port(settings: Settings, role: Role) -> int | None:
    """``WEB_PORT``; unset: 8080 for serve and worker (and a webhook), none for ``all``."""
    if settings.web_port is not None:
        return settings.web_port
    if role != "all" or settings.webhook_url:
        return DEFAULT_WEB_PORT
    return None


@dataclass
class Common:
    """What every role has after the common start-up stages."""

    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    catalogue: CatalogueService
    translator: Translator
    bot: Bot
    requests: metrics.RequestMetrics
    redis: Any = None
    started_at: float = field(default_factory=time.monotonic)

    def job_context(self) -> JobContext:
        """What the jobs, the outbox sender and the announcer of this process get."""
        return JobContext(
            bot=self.bot,
            session_factory=self.session_factory,
            settings=self.settings,
            translator=self.translator,
            catalogue=self.catalogue,
        )


async def migrate(settings: Settings) -> None:
    """``python -m bot migrate``: the migrations, under the advisory lock."""
    engine = create_engine(settings.database_url)
    try:
        with Stage(partial(database_problem, database_url=settings.database_url)):
            await apply_migrations(engine)
    finally:
        await engine.dispose()
        await settle_sqlite_threads()
    log.info("The schema is at the newest migration")


async def _common(settings: Settings, role: Role, stack: AsyncExitStack) -> Common:
    with Stage(catalogue_problem):
        catalogue = CatalogueService(load_catalogue())
    database = Stage(partial(database_problem, database_url=settings.database_url))
    with database:
        engine = create_engine(settings.database_url)
        stack.push_async_callback(engine.dispose)
        if role == "all":
            await apply_migrations(engine)
        else:
            behind = await schema_behind(engine)
            if behind is not None:
                where = _where(settings.database_url)
                raise StartupError(f"{where}: {behind}: run `python -m bot migrate` first")
    redis = None
    if settings.redis_url:
        with Stage(partial(redis_problem, redis_url=settings.redis_url)):
            from redis.asyncio import Redis

            redis = Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=5)
            stack.push_async_callback(redis.aclose)
            await redis.ping()  # type: ignore[misc]  # redis' stubs: Awaitable | bool
    if settings.webhook_url and settings.webhook_secret is None and role != "worker":
        raise StartupError(
            "WEBHOOK_SECRET is not set: a webhook needs it (Telegram sends it with every update)"
        )
    from bot.app import create_bot

    bot = create_bot(settings)
    stack.push_async_callback(bot.session.close)
    requests = metrics.RequestMetrics()
    bot.session.middleware(requests)
    with Stage(partial(bot_api_problem, api_base=settings.telegram_api_base)):
        await bot.get_me(request_timeout=GET_ME_TIMEOUT)
    return Common(
        settings=settings,
        engine=engine,
        session_factory=create_session_factory(engine),
        catalogue=catalogue,
        translator=Translator(default_lang=settings.default_locale),
        bot=bot,
        requests=requests,
        redis=redis,
    )


def _storage(common: Common, role: Role) -> BaseStorage:
    settings = common.settings
    if settings.uses_redis_storage and settings.redis_url:
        return RedisStorage.from_url(
            settings.redis_url, key_builder=DefaultKeyBuilder(with_bot_id=True, with_destiny=True)
        )
    # The read cache only when this is the only process handling updates.
    several = role == "serve" or bool(settings.redis_url)
    return SQLStorage(common.session_factory, cache_size=0 if several else None)


def _stop_event() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    return stop


def _health(common: Common, role: Role, lease: WorkerLease | None) -> Health:
    required = {
        "serve": {"database", "redis", "updates"},
        "worker": {"database", "redis", "lease", "outbox"},
        "all": {"database", "redis", "updates", "lease", "outbox"},
    }[role]
    health = Health(
        role=role,
        engine=common.engine,
        session_factory=common.session_factory,
        required=required,
        redis=common.redis,
        outbox_max_age=common.settings.ready_outbox_max_age,
    )

    async def lease_check() -> tuple[bool, str]:
        if lease is not None:
            return lease.held, "held" if lease.held else "standby"
        held = await lease_holder_exists(common.engine, common.settings.database_url)
        return held, "held by a worker" if held else "no worker holds it"

    health.extra["lease"] = lease_check
    return health


# ------------------------------------------------------------------------------ the worker


@dataclass
class WorkerParts:
    scheduler: Any  # bot.jobs.BotScheduler
    jobs: Jobs  # bot.jobs.SchedulerJobs on it
    runner: Any  # bot.sending.runner.BroadcastRunner
    announcer: Announcer


def _build_work(common: Common) -> WorkerParts:
    """The scheduler with its jobs, the broadcast runner and the announcer: built, nothing
    started yet (:func:`_run_work`)."""
    from bot.jobs import SchedulerJobs, create_scheduler, register_jobs
    from bot.sending.runner import create_runner

    settings = common.settings
    scheduler = create_scheduler(settings.database_url)
    metrics.watch_scheduler(scheduler)
    runner = create_runner(
        common.bot,
        common.session_factory,
        common.translator,
        hr_locale=settings.hr_locale,
        rate=settings.broadcast_rate,
        allow_paid_broadcast=settings.allow_paid_broadcast,
        max_in_flight=settings.broadcast_max_in_flight,
    )
    announcer = register_jobs(scheduler, common.job_context(), runner)
    return WorkerParts(
        scheduler=scheduler, jobs=SchedulerJobs(scheduler), runner=runner, announcer=announcer
    )


async def _run_work(common: Common, parts: WorkerParts, stack: AsyncExitStack) -> None:
    """Start what :func:`_build_work` built: the broadcast runner (interrupted broadcasts
    resume), the outbox's interrupted deliveries, the scheduler."""
    from bot.sending.runner import on_shutdown as stop_broadcasts
    from bot.services.outbox import resume as resume_outbox

    await parts.runner.start(resume=True)
    stack.push_async_callback(stop_broadcasts, parts.runner)
    await resume_outbox(common.session_factory, datetime.now(UTC))
    parts.scheduler.start()
    stack.callback(parts.scheduler.shutdown, wait=False)


async def _start_work(common: Common, stack: AsyncExitStack) -> WorkerParts:
    """The scheduler and its jobs, the broadcast runner, interrupted deliveries resumed."""
    parts = _build_work(common)
    await _run_work(common, parts, stack)
    return parts


async def _handoff(common: Common, parts: WorkerParts, topic: str) -> None:
    """A nudge from ``serve`` (or the poll): pick up what the database holds."""
    from bot.jobs import reconcile
    from bot.runtime import handoff
    from bot.services import broadcasts

    if topic == handoff.OUTBOX:
        parts.jobs.kick_outbox()
    elif topic == handoff.BROADCAST:
        async with common.session_factory() as session:
            ids = await broadcasts.sending_ids(session)
        for broadcast_id in ids:
            if parts.runner.enqueue(broadcast_id):
                log.info("Broadcast %d handed over: sending", broadcast_id)
    elif topic == handoff.SCHEDULE:
        await reconcile(parts.scheduler, common.session_factory)


async def run_worker(settings: Settings, on_started: Callable[[], None] | None = None) -> None:
    from bot.runtime.handoff import Listener

    try:
        async with AsyncExitStack() as stack:
            with Stage(unexpected_problem):
                common = await _common(settings, "worker", stack)
                lease = WorkerLease(common.engine, settings.database_url)
                stack.push_async_callback(lease.release)
                web = await _start_web(common, "worker", lease, None, stack)
            del web
            freeze_startup_objects()
            if on_started is not None:
                on_started()
            stop = _stop_event()
            if not await lease.acquire(settings.worker_poll_seconds, stop):
                return
            metrics.LEASE_HELD.set(1)
            log.info("The worker holds the lease: scheduler, outbox and broadcasts run here")
            async with AsyncExitStack() as work:
                parts = await _start_work(common, work)
                listener = Listener(
                    common.engine, partial(_handoff, common, parts), settings.worker_poll_seconds
                )
                tasks = {
                    asyncio.create_task(listener.run(), name="handoff"),
                    asyncio.create_task(lease.watch(settings.worker_poll_seconds), name="lease"),
                    asyncio.create_task(stop.wait(), name="stop"),
                }
                done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
                for task in pending:
                    task.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
                lost = any(t.get_name() == "lease" for t in done)
            metrics.LEASE_HELD.set(0)
            if lost:
                raise LeaseLost("the worker lease was lost")
    except StartupError:
        await settle_sqlite_threads()
        raise


# ------------------------------------------------------------------------------ updates


async def _start_web(
    common: Common,
    role: Role,
    lease: WorkerLease | None,
    webhook: WebhookHandler | None,
    stack: AsyncExitStack,
    health_extra: dict[str, Any] | None = None,
) -> WebServer | None:
    port = web_port(common.settings, role)
    if port is None:
        return None
    health = _health(common, role, lease)
    health.extra.update(health_extra or {})

    def on_metrics() -> None:
        metrics.LEASE_HELD.set(1 if lease is not None and lease.held else 0)

    app = create_web_app(health, webhook, common.settings.webhook_url, on_metrics)
    server = WebServer(app, common.settings.web_host, port)
    with Stage(
        lambda exc: f"WEB_PORT ({common.settings.web_host}:{port}): {unexpected_problem(exc)}"
    ):
        await server.start()
    stack.push_async_callback(server.stop)
    return server


async def _check_webhook(common: Common, dp: Dispatcher) -> None:
    """getWebhookInfo against WEBHOOK_URL (never changed here: ``python -m bot set-webhook``)."""
    settings = common.settings
    info = await common.bot.get_webhook_info()
    if settings.webhook_url:
        if info.url != settings.webhook_url:
            log.warning(
                "Telegram delivers updates to another URL than WEBHOOK_URL: "
                "run `python -m bot set-webhook`"
            )
        wanted = sorted(dp.resolve_used_update_types())
        if info.url and sorted(info.allowed_updates or []) != wanted:
            log.warning("The webhook's allowed_updates are stale: run `python -m bot set-webhook`")
    elif info.url:
        raise StartupError(
            "WEBHOOK_URL is empty but Telegram has a webhook set (getUpdates would be refused): "
            "run `python -m bot set-webhook` with WEBHOOK_URL empty to remove it"
        )


def _dispatcher(
    common: Common, role: Role, stack: AsyncExitStack, parts: WorkerParts | None = None
) -> Dispatcher:
    """The dispatcher of ``serve`` (the worker's side through the database) or of ``all``
    (``parts``: this process's scheduler, runner and announcer)."""
    from bot.app import create_dispatcher
    from bot.runtime.handoff import HandoffStarter, Nudger, RemoteJobs

    settings = common.settings
    storage = _storage(common, role)
    stack.push_async_callback(storage.close)
    jobs: Jobs | None = parts.jobs if parts is not None else None
    starter: Starter | None = parts.runner if parts is not None else None
    announcer = parts.announcer if parts is not None else None
    if role == "serve":
        nudger = Nudger(common.engine)
        stack.push_async_callback(nudger.close)
        jobs = RemoteJobs(nudger)
        starter = HandoffStarter(common.session_factory, nudger)
        announcer = Announcer(common.job_context(), jobs=jobs, runner=starter)
        if not settings.redis_url:
            log.warning(
                "serve without REDIS_URL: run one replica only (updates are locked in process)"
            )
    dp = create_dispatcher(
        settings=settings,
        session_factory=common.session_factory,
        catalogue=common.catalogue,
        translator=common.translator,
        storage=storage,
        jobs=jobs,
        broadcast_runner=starter,
        announcer=announcer,
    )
    metrics.install(dp)
    return dp


async def run_updates(
    settings: Settings, role: Role, on_started: Callable[[], None] | None = None
) -> None:
    """``all`` and ``serve``: start up, then take updates until stopped."""
    try:
        async with AsyncExitStack() as stack:
            with Stage(unexpected_problem):
                common = await _common(settings, role, stack)
                lease = None
                if role == "all":
                    lease = WorkerLease(common.engine, settings.database_url)
                    stack.push_async_callback(lease.release)
                    with Stage(partial(database_problem, database_url=settings.database_url)):
                        held = await lease.try_acquire()
                    if not held:
                        raise StartupError(
                            "another worker (python -m bot or python -m bot worker) runs on "
                            f"this database ({_where(settings.database_url)}); more processes "
                            "serving updates: python -m bot serve"
                        )
                    metrics.LEASE_HELD.set(1)
                # ``all``: the scheduler, the runner and the announcer are built before the
                # dispatcher (its deps hold them) and started once the webhook is checked.
                parts = _build_work(common) if role == "all" else None
                dp = _dispatcher(common, role, stack, parts)
                with Stage(partial(bot_api_problem, api_base=settings.telegram_api_base)):
                    await _check_webhook(common, dp)
                if parts is not None:
                    await _start_work_in_stage(common, parts, stack)
            await _take_updates(common, role, lease, dp, stack, on_started)
    except StartupError:
        await settle_sqlite_threads()
        raise


async def _start_work_in_stage(common: Common, parts: WorkerParts, stack: AsyncExitStack) -> None:
    with Stage(partial(database_problem, database_url=common.settings.database_url)):
        await _run_work(common, parts, stack)


async def _take_updates(
    common: Common,
    role: Role,
    lease: WorkerLease | None,
    dp: Dispatcher,
    stack: AsyncExitStack,
    on_started: Callable[[], None] | None,
) -> None:
    settings = common.settings
    started = False

    def mark_started() -> None:
        nonlocal started
        started = True
        freeze_startup_objects()
        if on_started is not None:
            on_started()

    if settings.webhook_url is None:

        async def updates_check() -> tuple[bool, str]:
            seen = common.requests.last_get_updates or common.started_at
            age = time.monotonic() - seen
            ok = age < settings.ready_updates_max_age
            return ok, f"last getUpdates {age:.0f} s ago"

        with Stage(unexpected_problem):
            await _start_web(common, role, lease, None, stack, {"updates": updates_check})

        async def on_startup() -> None:
            mark_started()

        dp.startup.register(on_startup)
        try:
            log.info(
                "Starting polling (%s) with %d positions",
                role,
                len(common.catalogue.catalogue.positions),
            )
            await dp.start_polling(common.bot, handle_signals=True)
        except Exception as exc:
            if started:
                raise
            raise StartupError(bot_api_problem(exc, settings.telegram_api_base)) from exc
        return
    # The webhook.
    assert settings.webhook_secret is not None
    claims: MemoryClaims | RedisClaims = (
        RedisClaims(common.redis, common.bot.id) if common.redis is not None else MemoryClaims()
    )
    webhook = WebhookHandler(
        dp, common.bot, settings.webhook_secret.get_secret_value(), claims, **dp.workflow_data
    )
    probe: dict[str, float] = {}

    async def webhook_check() -> tuple[bool, str]:
        now = time.monotonic()
        seen = max(webhook.last_request or 0.0, probe.get("ok", 0.0)) or common.started_at
        age = now - seen
        return (
            age < settings.ready_updates_max_age,
            f"last webhook request or check {age:.0f} s ago",
        )

    async def probing() -> None:
        while True:
            try:
                info = await common.bot.get_webhook_info()
                if info.url == settings.webhook_url:
                    probe["ok"] = time.monotonic()
            except Exception as exc:
                log.warning("getWebhookInfo failed: %s", type(exc).__name__)
            await asyncio.sleep(min(WEBHOOK_PROBE_SECONDS, settings.ready_updates_max_age / 2))

    with Stage(unexpected_problem):
        await _start_web(common, role, lease, webhook, stack, {"updates": webhook_check})
    stop = _stop_event()
    workflow = {"dispatcher": dp, "bots": [common.bot], "bot": common.bot, **dp.workflow_data}
    try:
        with Stage(partial(bot_api_problem, api_base=settings.telegram_api_base)):
            await dp.emit_startup(**workflow)
    except StartupError:
        raise
    mark_started()
    log.info("Taking updates by webhook (%s)", role)
    prober = asyncio.create_task(probing(), name="webhook-probe")
    try:
        await stop.wait()
    finally:
        prober.cancel()
        await asyncio.gather(prober, return_exceptions=True)
        await webhook.drain()
        await dp.emit_shutdown(**workflow)


async def set_webhook(settings: Settings) -> str:
    """``python -m bot set-webhook``: the webhook of WEBHOOK_URL (or none when it is empty),
    with the secret, the update types the routers use and WEBHOOK_MAX_CONNECTIONS. Pending
    updates are never dropped."""
    from bot.app import create_bot
    from bot.handlers import build_root_router

    if settings.webhook_url and settings.webhook_secret is None:
        raise StartupError("WEBHOOK_SECRET is not set: a webhook needs it")
    dp = Dispatcher()
    dp.include_router(build_root_router())
    allowed = dp.resolve_used_update_types()
    bot = create_bot(settings)
    try:
        with Stage(partial(bot_api_problem, api_base=settings.telegram_api_base)):
            if not settings.webhook_url:
                await bot.delete_webhook(drop_pending_updates=False)
                return "The webhook is removed: python -m bot serve polls"
            assert settings.webhook_secret is not None
            await bot.set_webhook(
                url=settings.webhook_url,
                secret_token=settings.webhook_secret.get_secret_value(),
                allowed_updates=allowed,
                max_connections=settings.webhook_max_connections,
                drop_pending_updates=False,
            )
            return (
                f"The webhook is set: {make_url_free(settings.webhook_url)}, {', '.join(allowed)}"
            )
    finally:
        await bot.session.close()


def make_url_free(url: str) -> str:
    """The webhook URL for a log line: scheme, host and path (no query)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"


__all__ = ["ROLES", "LeaseLost", "migrate", "run_updates", "run_worker", "set_webhook"]
