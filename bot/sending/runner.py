"""Start-up resume and scheduling glue around :class:`~bot.sending.engine.DeliveryEngine`.

* :class:`BroadcastRunner` sends broadcasts in the background, **one at a time, in the
  order they were started** (the engine's rate limit is per bot, so running two at once
  would only split the same rate; one after another, the first broadcast HR started
  finishes first). ``start_now(id)`` materializes and queues; at start-up every broadcast
  left ``sending`` by a crash or a restart is queued again (``start(resume=True)``).
* a scheduled broadcast's job (``bot.jobs``) starts it through the announcer, which holds
  the runner.
* :class:`HRProgress` is the progress callback that keeps HR's progress message
  (``broadcasts.progress_chat_id``) up to date and ends with the report.
* :func:`create_runner` / :func:`on_shutdown` wire it all for the runtime roles
  (``bot.runtime.roles``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramRetryAfter
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import Translator
from bot.rendering.broadcasts import progress_text
from bot.sending.engine import BroadcastReport, DeliveryEngine, ProgressSnapshot
from bot.sending.ratelimit import TokenBucket
from bot.services import broadcasts
from bot.services.broadcasts import BroadcastStateError

log = logging.getLogger(__name__)

__all__ = [
    "BroadcastRunner",
    "HRProgress",
    "create_runner",
    "on_shutdown",
    "resume_all",
]

ReportCallback = Callable[[BroadcastReport], Awaitable[None]]

RETRY_DELAYS = (30.0, 60.0, 300.0, 600.0)  # a run that failed (database down...) is retried


async def resume_all(
    session_factory: async_sessionmaker[AsyncSession], engine: DeliveryEngine
) -> list[int]:
    """Continue every broadcast left ``sending`` (oldest first), one after another, with its
    pending rows; returns their ids. Nobody is skipped: rows not marked are still pending."""
    async with session_factory() as session:
        ids = await broadcasts.sending_ids(session)
    for broadcast_id in ids:
        await engine.run(broadcast_id)
    return ids


class BroadcastRunner:
    """Runs broadcasts in one background task, one after another (see the module docstring)."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        engine: DeliveryEngine,
        *,
        on_report: ReportCallback | None = None,
        retry_delays: tuple[float, ...] = RETRY_DELAYS,
    ) -> None:
        self.session_factory = session_factory
        self.engine = engine
        self.on_report = on_report
        self.retry_delays = retry_delays
        self.reports: dict[int, BroadcastReport] = {}  #: the last report of each broadcast
        self._queue: asyncio.Queue[int] = asyncio.Queue()
        self._queued: set[int] = set()
        self._again: set[int] = set()
        self._current: int | None = None
        self._failures: dict[int, int] = {}
        self._task: asyncio.Task[None] | None = None
        self._idle = asyncio.Event()
        self._idle.set()
        self._stopping = False
        self._timers: set[asyncio.TimerHandle] = set()

    @property
    def current(self) -> int | None:
        """The broadcast being sent now."""
        return self._current

    @property
    def queued(self) -> list[int]:
        """Broadcasts waiting for their turn (the current one not included)."""
        return [i for i in self._queued if i != self._current]

    async def start(self, *, resume: bool = True) -> list[int]:
        """Start the background task; with ``resume`` queue every ``sending`` broadcast.
        Returns the ids queued for resuming."""
        self._stopping = False
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._loop(), name="broadcast-runner")
        ids: list[int] = []
        if resume:
            async with self.session_factory() as session:
                ids = await broadcasts.sending_ids(session)
            for broadcast_id in ids:
                self.enqueue(broadcast_id)
            if ids:
                log.info("Resuming %d interrupted broadcast(s)", len(ids))
        return ids

    async def start_now(self, broadcast_id: int) -> int:
        """Materialize the recipients (one transaction) and queue the broadcast; returns the
        number of recipients. Raises :class:`BroadcastStateError` when it is missing,
        cancelled or done (a stale button: answer it, do not crash)."""
        async with self.session_factory() as session:
            total = await broadcasts.materialize(session, broadcast_id)
        self.enqueue(broadcast_id)
        return total

    def enqueue(self, broadcast_id: int) -> bool:
        """Queue a ``sending`` broadcast (no-op when it is queued or running already)."""
        if broadcast_id == self._current:
            self._again.add(broadcast_id)  # rows added meanwhile: one more run afterwards
            return False
        if broadcast_id in self._queued:
            return False
        self._queued.add(broadcast_id)
        self._idle.clear()
        self._queue.put_nowait(broadcast_id)
        return True

    async def wait_idle(self, timeout: float | None = None) -> None:
        """Wait until nothing is queued or running (for tests and shutdown)."""
        await asyncio.wait_for(self._idle.wait(), timeout)

    async def stop(self, timeout: float = 5.0) -> None:
        """Stop: the current run finishes the rows in flight and records them (up to
        ``timeout`` s, then it is cancelled); queued broadcasts stay ``sending`` and are
        resumed at the next start."""
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()
        self._stopping = True  # the loop takes nothing new after the current run
        task, self._task = self._task, None
        if task is None:
            return
        self.engine.request_stop()
        if self._current is None:
            task.cancel()
        done, _ = await asyncio.wait({task}, timeout=timeout)
        if not done:
            task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    async def _loop(self) -> None:
        while not self._stopping:
            broadcast_id = await self._queue.get()
            if self._stopping:
                return
            self._current = broadcast_id
            try:
                await self._run_one(broadcast_id)
            finally:
                self._current = None
                self._queued.discard(broadcast_id)
                if broadcast_id in self._again:
                    self._again.discard(broadcast_id)
                    self.enqueue(broadcast_id)
                if self._queue.empty():
                    self._idle.set()

    async def _run_one(self, broadcast_id: int) -> None:
        try:
            report = await self.engine.run(broadcast_id)
        except BroadcastStateError as error:
            log.info("Broadcast %s not sent: %s", broadcast_id, error)
            return
        except asyncio.CancelledError:
            raise
        except Exception as error:
            failures = self._failures.get(broadcast_id, 0) + 1
            self._failures[broadcast_id] = failures
            if failures > len(self.retry_delays):
                log.error(
                    "Broadcast %s failed %d times (%s); it resumes at the next start",
                    broadcast_id,
                    failures,
                    type(error).__name__,
                )
                return
            delay = self.retry_delays[failures - 1]
            log.warning(
                "Broadcast %s failed (%s); retrying in %.0f s",
                broadcast_id,
                type(error).__name__,
                delay,
            )
            self._retry_later(broadcast_id, delay)
            return
        self._failures.pop(broadcast_id, None)
        self.reports[broadcast_id] = report
        if self.on_report is not None:
            try:
                await self.on_report(report)
            except Exception:
                log.exception("Broadcast %s: report callback failed", broadcast_id)

    def _retry_later(self, broadcast_id: int, delay: float) -> None:
        loop = asyncio.get_running_loop()

        def fire() -> None:
            self._timers.discard(handle)
            self.enqueue(broadcast_id)

        handle = loop.call_later(delay, fire)
        self._timers.add(handle)


# ---------------------------------------------------------------------- HR's progress message


@dataclass(slots=True)
class _Shown:
    chat_id: int
    message_id: int | None
    lang: str
    last_text: str = ""
    last_at: float = float("-inf")


class HRProgress:
    """Progress callback: keeps one message in ``progress_chat_id`` up to date (edited at most
    every ``min_interval`` seconds, ``group_interval`` in groups: Telegram allows about 20
    messages a minute in a group), and turns it into the report at the end. Its requests
    take slots of the engine's token bucket, so the overall rate holds. A 429 on it delays
    the next edit by ``retry_after`` (it is about the HR chat: the broadcast goes on). Errors
    are logged, never raised: a broken progress message never stops a broadcast."""

    def __init__(
        self,
        bot: Bot,
        session_factory: async_sessionmaker[AsyncSession],
        translator: Translator,
        *,
        default_lang: str = "ru",
        min_interval: float = 2.0,
        group_interval: float = 5.0,
        bucket: TokenBucket | None = None,
    ) -> None:
        self.bot = bot
        self.session_factory = session_factory
        self.translator = translator
        self.default_lang = default_lang
        self.min_interval = min_interval
        self.group_interval = group_interval
        self.bucket = bucket
        self._shown: dict[int, _Shown | None] = {}

    async def __call__(self, snapshot: ProgressSnapshot) -> None:
        try:
            await self._update(snapshot)
        except TelegramRetryAfter as error:
            # About the HR chat (a group takes ~20 messages a minute), not the broadcast: this
            # message waits out ``retry_after``, the broadcast goes on.
            shown = self._shown.get(snapshot.broadcast_id)
            if shown is not None:
                shown.last_at = time.monotonic() + float(error.retry_after)
                shown.last_text = ""  # not shown: the same text may go next time
        except TelegramAPIError as error:
            log.warning(
                "Broadcast %s: progress message failed (%s)",
                snapshot.broadcast_id,
                type(error).__name__,
            )
        if snapshot.finished:
            self._shown.pop(snapshot.broadcast_id, None)

    def render(self, lang: str, snapshot: ProgressSnapshot) -> str:
        return progress_text(self.translator, lang, snapshot)

    async def _target(self, broadcast_id: int) -> _Shown | None:
        if broadcast_id in self._shown:
            return self._shown[broadcast_id]
        async with self.session_factory() as session:
            target = await broadcasts.progress_target(session, broadcast_id)
        shown = None
        if target is not None:
            lang = self.translator.lang_or_default(target.language or self.default_lang)
            shown = _Shown(target.chat_id, target.message_id, lang)
        self._shown[broadcast_id] = shown
        return shown

    async def _update(self, snapshot: ProgressSnapshot) -> None:
        shown = await self._target(snapshot.broadcast_id)
        if shown is None:
            return
        now = time.monotonic()
        interval = self.group_interval if shown.chat_id < 0 else self.min_interval
        if not snapshot.finished and now - shown.last_at < interval:
            return
        text = self.render(shown.lang, snapshot)
        if text == shown.last_text:
            return
        if self.bucket is not None:
            await self.bucket.acquire()
        shown.last_at, shown.last_text = now, text
        if shown.message_id is not None:
            try:
                await self.bot.edit_message_text(
                    text=text, chat_id=shown.chat_id, message_id=shown.message_id, parse_mode="HTML"
                )
                return
            except TelegramBadRequest as error:
                if "not modified" in error.message.lower():
                    return
                # Deleted or too old to edit: send a new one below.
        message = await self.bot.send_message(shown.chat_id, text, parse_mode="HTML")
        shown.message_id = message.message_id
        async with self.session_factory() as session:
            await broadcasts.set_progress_message(
                session, snapshot.broadcast_id, shown.chat_id, message.message_id
            )


# ---------------------------------------------------------------------- start-up wiring


def create_runner(
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
    translator: Translator,
    *,
    hr_locale: str = "ru",
    rate: float | None = None,
    allow_paid_broadcast: bool = False,
    max_in_flight: int = 4,
) -> BroadcastRunner:
    """The engine (with :class:`HRProgress`) and the runner, not started yet."""
    progress = HRProgress(bot, session_factory, translator, default_lang=hr_locale)
    engine = DeliveryEngine(
        bot,
        session_factory,
        rate=rate,
        max_in_flight=max_in_flight,
        allow_paid_broadcast=allow_paid_broadcast,
        progress=progress,
        translator=translator,
    )
    progress.bucket = engine.bucket
    return BroadcastRunner(session_factory, engine)


async def on_shutdown(runner: BroadcastRunner, timeout: float = 5.0) -> None:
    """Stop the runner (the rows in flight are recorded; the rest resume next time)."""
    with suppress(Exception):
        await runner.stop(timeout)
