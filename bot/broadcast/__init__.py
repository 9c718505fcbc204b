"""Vacancy announcements: durable, polite delivery of one message to many subscribers.

* :mod:`bot.broadcast.service` — plain Python on the database: create, materialize
  (one delivery row per recipient, written before anything is sent), cancel, list,
  unsubscribe, counters;
* :mod:`bot.broadcast.engine` — :class:`DeliveryEngine` sends a materialized broadcast
  through an aiogram ``Bot`` (token bucket, per-chat interval, a per-chat 429 defers that
  chat only, a bot-wide flood wait pauses everything, unsubscribe on 403, retries with
  backoff, group-committed «sent» marks: duplicates after a crash are bounded by
  ``max_in_flight``);
* :mod:`bot.broadcast.ratelimit` — the token bucket with its pause gate, the per-chat limiter,
  the flood detector (bot-wide or per chat);
* :mod:`bot.broadcast.runner` — :class:`BroadcastRunner` (background, one broadcast at a
  time, resume at start-up), :func:`run_scheduled_broadcast` for APScheduler jobs, HR's
  progress message.

Typical use from a handler (through a service call, never SQL in the handler)::

    broadcast = await service.create_broadcast(session, kind="manual", text_kk=..., text_ru=...)
    total = await get_runner().start_now(broadcast.id)
"""

from bot.broadcast.engine import (
    BroadcastReport,
    DeliveryEngine,
    ProgressCallback,
    ProgressSnapshot,
)
from bot.broadcast.runner import (
    BroadcastRunner,
    HRProgress,
    get_runner,
    on_shutdown,
    on_startup,
    resume_all,
    run_scheduled_broadcast,
    set_runner,
)
from bot.broadcast.service import (
    BroadcastStateError,
    DeliveryCounts,
    cancel,
    counts,
    create_broadcast,
    list_broadcasts,
    materialize,
    unsubscribe,
)

__all__ = [
    "BroadcastReport",
    "BroadcastRunner",
    "BroadcastStateError",
    "DeliveryCounts",
    "DeliveryEngine",
    "HRProgress",
    "ProgressCallback",
    "ProgressSnapshot",
    "cancel",
    "counts",
    "create_broadcast",
    "get_runner",
    "list_broadcasts",
    "materialize",
    "on_shutdown",
    "on_startup",
    "resume_all",
    "run_scheduled_broadcast",
    "set_runner",
    "unsubscribe",
]
