"""Prometheus metrics (prometheus-client), served at ``/metrics`` by :mod:`bot.web`.

Counted as they happen: updates and handler latency by handler, handler errors, webhook
requests by result, Bot API calls by method and status and Telegram's 429 waits, scheduler
runs and failures by job, the worker lease. Read from the database at each scrape
(:func:`refresh_from_database`): applications by status, the outbox backlog and its oldest
row's age, broadcasts by status and the deliveries of those being sent.

Labels are bounded: handler names, Bot API method names, job kinds — never a user or a
broadcast id.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import TelegramObject, Update
from prometheus_client import Counter, Gauge, Histogram
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import (
    Application,
    Broadcast,
    BroadcastDelivery,
    BroadcastStatus,
    OutboxMessage,
)
from bot.observability.logs import UpdateContext, current_update, hashed_user

log = logging.getLogger(__name__)

UPDATES = Counter("bot_updates", "Updates handled, by handler", ["handler"])
UPDATE_SECONDS = Histogram(
    "bot_update_seconds",
    "Time to handle an update, by handler",
    ["handler"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
UPDATE_ERRORS = Counter("bot_update_errors", "Updates whose handler raised", ["handler"])
WEBHOOK_REQUESTS = Counter("bot_webhook_requests", "Webhook requests, by result", ["result"])
API_REQUESTS = Counter(
    "bot_api_requests", "Bot API calls, by method and status", ["method", "status"]
)
API_RETRY_AFTER = Counter(
    "bot_api_retry_after_seconds", "Seconds Telegram asked to wait (429), by method", ["method"]
)
SCHEDULER_RUNS = Counter("bot_scheduler_runs", "Scheduler job runs, by job", ["job"])
SCHEDULER_FAILURES = Counter("bot_scheduler_failures", "Scheduler job failures, by job", ["job"])
LEASE_HELD = Gauge("bot_worker_lease_held", "1 while this process holds the worker lease")
APPLICATIONS = Gauge("bot_applications", "Applications, by status", ["status"])
OUTBOX_BACKLOG = Gauge("bot_outbox_backlog", "Outbox messages due and not delivered yet")
OUTBOX_OLDEST = Gauge("bot_outbox_oldest_age_seconds", "Age of the oldest undelivered outbox row")
BROADCASTS = Gauge("bot_broadcasts", "Broadcasts, by status", ["status"])
BROADCAST_DELIVERIES = Gauge(
    "bot_broadcast_deliveries", "Deliveries of the broadcasts being sent, by status", ["status"]
)

GAVE_UP = 1_000_000  # bot.services.outbox.GAVE_UP (not imported: no cycle through delivery)


def handler_name(handler: HandlerObject | None) -> str:
    if handler is None:
        return "unhandled"
    callback = handler.callback
    module = getattr(callback, "__module__", "") or ""
    name = getattr(callback, "__name__", type(callback).__name__)
    return f"{module.removeprefix('bot.handlers.')}.{name}"


class HandlerNameMiddleware(BaseMiddleware):
    """Inner middleware of every event observer: tells the update middleware which handler
    runs (aiogram resolves it only below the update level)."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        slot = data.get("metrics_slot")
        if isinstance(slot, dict):
            slot["handler"] = handler_name(data.get("handler"))
        return await handler(event, data)


def _user_id(update: Update) -> int | None:
    event = update.event
    user = getattr(event, "from_user", None)
    return getattr(user, "id", None)


class UpdateMetricsMiddleware(BaseMiddleware):
    """Outer update middleware: the log context (update id, hashed user), counts, latency."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        slot: dict[str, str] = {}
        data["metrics_slot"] = slot
        token = current_update.set(UpdateContext(event.update_id, hashed_user(_user_id(event))))
        started = time.perf_counter()
        try:
            return await handler(event, data)
        except Exception:
            UPDATE_ERRORS.labels(slot.get("handler", "unhandled")).inc()
            raise
        finally:
            name = slot.get("handler", "unhandled")
            UPDATES.labels(name).inc()
            UPDATE_SECONDS.labels(name).observe(time.perf_counter() - started)
            current_update.reset(token)


def install(dispatcher: Any) -> None:
    """The two middlewares on a Dispatcher (every event type it observes)."""
    dispatcher.update.outer_middleware(UpdateMetricsMiddleware())
    for name, observer in dispatcher.observers.items():
        if name not in {"update", "error"}:
            observer.middleware(HandlerNameMiddleware())


def _status(exc: Exception) -> str:
    for kind, status in (
        (TelegramRetryAfter, "429"),
        (TelegramBadRequest, "400"),
        (TelegramUnauthorizedError, "401"),
        (TelegramForbiddenError, "403"),
        (TelegramNotFound, "404"),
        (TelegramConflictError, "409"),
        (TelegramEntityTooLarge, "413"),
        (TelegramServerError, "5xx"),
        (TelegramNetworkError, "network"),
        (TelegramAPIError, "error"),
    ):
        if isinstance(exc, kind):
            return status
    return "error"


class RequestMetrics(BaseRequestMiddleware):
    """Client-session middleware: every Bot API call by method and status; 429 waits; and
    when getUpdates last answered (for /readyz)."""

    def __init__(self) -> None:
        self.last_get_updates: float | None = None

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        name = getattr(method, "__api_method__", type(method).__name__)
        try:
            response = await make_request(bot, method)
        except Exception as exc:
            status = _status(exc)
            API_REQUESTS.labels(name, status).inc()
            if isinstance(exc, TelegramRetryAfter):
                API_RETRY_AFTER.labels(name).inc(float(exc.retry_after))
            raise
        API_REQUESTS.labels(name, "200").inc()
        if name == "getUpdates":
            self.last_get_updates = time.monotonic()
        return response


def job_kind(job_id: str | None) -> str:
    """``broadcast:17`` → ``broadcast``: one label per kind of job."""
    return (job_id or "?").partition(":")[0]


def watch_scheduler(scheduler: Any) -> None:
    """Count the scheduler's runs and failures (APScheduler 3 events)."""
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED

    def listener(event: Any) -> None:
        kind = job_kind(getattr(event, "job_id", None))
        SCHEDULER_RUNS.labels(kind).inc()
        if getattr(event, "exception", None) is not None:
            SCHEDULER_FAILURES.labels(kind).inc()

    scheduler.add_listener(listener, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _outbox_due(now: datetime) -> ColumnElement[bool]:
    # A reminder queued for later (``not_before`` ahead) is not late: it is not counted.
    return or_(OutboxMessage.not_before.is_(None), OutboxMessage.not_before <= now)


async def outbox_oldest_age(session: AsyncSession, now: datetime | None = None) -> float | None:
    """How long the oldest due, undelivered row has waited (since it was created, or since
    its ``not_before`` for a reminder)."""
    now = now or datetime.now(UTC)
    oldest = await session.scalar(
        select(func.min(func.coalesce(OutboxMessage.not_before, OutboxMessage.created_at))).where(
            OutboxMessage.delivered_at.is_(None),
            OutboxMessage.attempts < GAVE_UP,
            _outbox_due(now),
        )
    )
    if oldest is None:
        return None
    return max(0.0, (now - _utc(oldest)).total_seconds())


async def refresh_from_database(session_factory: async_sessionmaker[AsyncSession]) -> None:
    """The gauges read from the database (at each scrape; a few indexed counts)."""
    async with session_factory() as session:
        APPLICATIONS.clear()
        for status, count in await session.execute(
            select(Application.status, func.count()).group_by(Application.status)
        ):
            APPLICATIONS.labels(str(status)).set(count)
        backlog = await session.scalar(
            select(func.count()).where(
                OutboxMessage.delivered_at.is_(None),
                OutboxMessage.attempts < GAVE_UP,
                _outbox_due(datetime.now(UTC)),
            )
        )
        OUTBOX_BACKLOG.set(backlog or 0)
        OUTBOX_OLDEST.set(await outbox_oldest_age(session) or 0.0)
        BROADCASTS.clear()
        for status, count in await session.execute(
            select(Broadcast.status, func.count()).group_by(Broadcast.status)
        ):
            BROADCASTS.labels(str(status)).set(count)
        BROADCAST_DELIVERIES.clear()
        for status, count in await session.execute(
            select(BroadcastDelivery.status, func.count())
            .join(Broadcast, Broadcast.id == BroadcastDelivery.broadcast_id)
            .where(Broadcast.status == BroadcastStatus.sending)
            .group_by(BroadcastDelivery.status)
        ):
            BROADCAST_DELIVERIES.labels(str(status)).set(count)
