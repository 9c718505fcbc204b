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
  time, resume at start-up), HR's progress message.

Typical use from a dialog (through a service call, never SQL in the dialog)::

    broadcast = await service.create_broadcast(session, kind="manual", text_kk=..., text_ru=...)
    total = await deps_of(manager).broadcasts.start_now(broadcast.id)
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
    create_runner,
    on_shutdown,
    resume_all,
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
    "create_runner",
    "list_broadcasts",
    "materialize",
    "on_shutdown",
    "resume_all",
    "unsubscribe",
]
