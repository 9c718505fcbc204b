"""Work handed from ``serve`` to the worker: rows in the database, then a nudge.

A ``serve`` process has no scheduler, outbox sender or broadcast runner. What its handlers
start is written to the database first, as in the all-in-one process — an application's
outbox rows, a broadcast materialized as ``sending``, a broadcast ``scheduled`` with its
time — and then the worker is nudged: ``NOTIFY`` on PostgreSQL (channel
``bot_work_<schema>``, payload ``outbox``, ``broadcast`` or ``schedule``). The worker also
looks for such rows every ``WORKER_POLL_SECONDS`` and at start-up, so a lost nudge (SQLite,
the worker restarting) only delays the work; nothing is lost when either side restarts.

:class:`RemoteJobs` is the scheduler as ``serve`` sees it (:class:`~bot.deps.Jobs`): what
the handlers and the announcer ask (a scheduled broadcast, its cancellation, the outbox's
kick) becomes a nudge; :class:`HandoffStarter` starts a broadcast by materializing it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from bot.services import broadcasts

log = logging.getLogger(__name__)

OUTBOX = "outbox"
BROADCAST = "broadcast"
SCHEDULE = "schedule"
TOPICS = frozenset({OUTBOX, BROADCAST, SCHEDULE})
POLLED = frozenset({BROADCAST, SCHEDULE})  # the outbox has its own 10-second job
CHANNEL_SQL = "'bot_work_' || current_schema()"


class Nudger:
    """Sends the nudges (PostgreSQL NOTIFY; nothing on SQLite: the worker polls)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.enabled = engine.dialect.name == "postgresql"
        self._tasks: set[asyncio.Task[None]] = set()

    async def nudge(self, topic: str) -> None:
        if not self.enabled:
            return
        try:
            async with self.engine.connect() as connection:
                await connection.execute(
                    text(f"SELECT pg_notify({CHANNEL_SQL}, :topic)"), {"topic": topic}
                )
                await connection.commit()
        except Exception as exc:  # the worker's poll finds the rows anyway
            log.warning("The worker could not be nudged (%s): %s", topic, type(exc).__name__)

    def nudge_soon(self, topic: str) -> None:
        """From synchronous code (a handler's outbox kick): nudge in a task of its own."""
        task = asyncio.get_running_loop().create_task(self.nudge(topic))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


class RemoteJobs:
    """Stands in for the scheduler in ``serve`` (see the module docstring)."""

    def __init__(self, nudger: Nudger) -> None:
        self.nudger = nudger

    def schedule_broadcast(self, broadcast_id: int, when: datetime) -> None:
        # The broadcast row is ``scheduled`` already; the worker's reconcile adds the job.
        del broadcast_id, when
        self.nudger.nudge_soon(SCHEDULE)

    def unschedule_broadcast(self, broadcast_id: int) -> None:
        # The broadcast was cancelled in the database: its job, when due, finds it so.
        del broadcast_id
        self.nudger.nudge_soon(SCHEDULE)

    def kick_outbox(self) -> None:
        self.nudger.nudge_soon(OUTBOX)


class HandoffStarter:
    """Starts a broadcast from ``serve``: materialized (``sending``, one row per recipient,
    committed), then the worker is nudged; returns the number of recipients."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession], nudger: Nudger) -> None:
        self.session_factory = session_factory
        self.nudger = nudger

    async def start_now(self, broadcast_id: int) -> int:
        async with self.session_factory() as session:
            total = await broadcasts.materialize(session, broadcast_id)
        await self.nudger.nudge(BROADCAST)
        return total


Handler = Callable[[str], Awaitable[None]]


class Listener:
    """The worker's side: LISTEN on PostgreSQL and a poll every ``poll`` s; ``handle(topic)``
    is called for each nudge, and with the broadcast topics at each poll."""

    def __init__(self, engine: AsyncEngine, handle: Handler, poll: float) -> None:
        self.engine = engine
        self.handle = handle
        self.poll = poll
        self._connection: AsyncConnection | None = None
        self._pending: set[str] = set()
        self._wake = asyncio.Event()

    def _on_notify(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        if payload in TOPICS:
            self._pending.add(payload)
            self._wake.set()

    async def _listen(self) -> None:
        if self.engine.dialect.name != "postgresql" or self._connection is not None:
            return
        try:
            connection = await self.engine.connect()
            channel = await connection.scalar(text(f"SELECT {CHANNEL_SQL}"))
            await connection.commit()
            raw = await connection.get_raw_connection()
            driver: Any = raw.driver_connection  # asyncpg's Connection
            await driver.add_listener(str(channel), self._on_notify)
        except Exception as exc:
            log.warning("LISTEN failed (%s): polling only for now", type(exc).__name__)
            return
        self._connection = connection

    async def _listening(self) -> bool:
        connection = self._connection
        if connection is None:
            return False
        try:
            await asyncio.wait_for(connection.scalar(text("SELECT 1")), 5)
            await connection.commit()
            return True
        except Exception:
            with contextlib.suppress(Exception):
                await connection.invalidate()
            self._connection = None
            return False

    async def run(self) -> None:
        """Until cancelled."""
        try:
            while True:
                if not await self._listening():
                    await self._listen()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll)
                self._wake.clear()
                topics, self._pending = (self._pending or set(POLLED)), set()
                for topic in sorted(topics):
                    try:
                        await self.handle(topic)
                    except Exception as exc:  # the database may be away: next round
                        log.warning("Handoff %s failed: %s", topic, type(exc).__name__)
        finally:
            if self._connection is not None:
                with contextlib.suppress(Exception):
                    await self._connection.close()
                self._connection = None
