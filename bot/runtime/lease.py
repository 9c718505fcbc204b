"""The worker's lease: at most one process runs the scheduler, the outbox and broadcasts.

* PostgreSQL: a session-level advisory lock, taken on a connection of its own and held for
  the life of the process. PostgreSQL releases it when that connection ends, so a worker
  killed (even ``kill -9``) frees it at once and a standby worker's next try gets it. The
  holder checks its connection every few seconds; when the check fails, the lock may be
  gone already, so :meth:`WorkerLease.watch` returns and the worker stops before a standby
  could start the same work (fencing by exit).
* SQLite: an exclusive ``flock`` on ``<database file>.worker-lock`` (the kernel releases it
  with the process). An in-memory database has one process anyway.

The keys are per schema (``current_schema()``), so two bots in one PostgreSQL database (or
the tests' schemas) never share a lease.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
from pathlib import Path
from typing import IO

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.db.locks import LOCK_CLASS, WORKER, advisory_key_sql

log = logging.getLogger(__name__)

CHECK_TIMEOUT = 5.0


def _sqlite_path(database_url: str) -> Path | None:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(f"{url.database}.worker-lock")


class WorkerLease:
    """``await lease.try_acquire()`` → True when this process holds the lease now."""

    def __init__(self, engine: AsyncEngine, database_url: str) -> None:
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"
        self.lock_path = _sqlite_path(database_url)
        self._connection: AsyncConnection | None = None
        self._file: IO[bytes] | None = None
        self.held = False

    async def try_acquire(self) -> bool:
        if self.held:
            return True
        if self.postgres:
            self.held = await self._try_postgres()
        elif self.lock_path is not None:
            self.held = self._try_file()
        else:
            self.held = True  # in memory: this process is the only one
        return self.held

    async def _try_postgres(self) -> bool:
        connection = self._connection
        if connection is None:
            connection = await self.engine.connect()
            await connection.execution_options(isolation_level="AUTOCOMMIT")
        try:
            got = await connection.scalar(
                text(f"SELECT pg_try_advisory_lock({advisory_key_sql(WORKER)})")
            )
        except Exception:
            with contextlib.suppress(Exception):
                await connection.invalidate()
            self._connection = None
            raise
        if got:
            self._connection = connection
            return True
        self._connection = connection  # kept for the next try (no reconnect every 5 s)
        return False

    def _try_file(self) -> bool:
        assert self.lock_path is not None
        handle = open(self.lock_path, "ab")  # noqa: SIM115  # held for the process's life
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n".encode())
        handle.flush()
        self._file = handle
        return True

    async def acquire(self, poll: float, stopping: asyncio.Event | None = None) -> bool:
        """Wait for the lease, trying every ``poll`` s; False when ``stopping`` is set first.
        Database errors are logged and retried (PostgreSQL may be restarting)."""
        announced = False
        while stopping is None or not stopping.is_set():
            try:
                if await self.try_acquire():
                    return True
            except Exception as exc:
                log.warning("The worker lease could not be tried: %s", type(exc).__name__)
            if not announced:
                log.info("Another worker holds the lease: standing by")
                announced = True
            if stopping is None:
                await asyncio.sleep(poll)
            else:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stopping.wait(), poll)
        return False

    async def check(self) -> bool:
        """Is the lease still ours? (PostgreSQL: the lock's connection answers.)"""
        if not self.held:
            return False
        if not self.postgres:
            return True
        connection = self._connection
        if connection is None:
            return False
        try:
            await asyncio.wait_for(connection.scalar(text("SELECT 1")), CHECK_TIMEOUT)
        except Exception:
            return False
        return True

    async def watch(self, poll: float) -> None:
        """Return when the lease is lost (checked every ``poll`` s)."""
        while await self.check():
            await asyncio.sleep(poll)
        self.held = False
        log.error("The worker lease was lost (its database connection failed): stopping")

    async def release(self) -> None:
        self.held = False
        if self._connection is not None:
            # Unlocked, and the connection closed for real (not returned to the pool, where
            # its session would keep the lock).
            with contextlib.suppress(Exception):
                await self._connection.scalar(text("SELECT pg_advisory_unlock_all()"))
            with contextlib.suppress(Exception):
                await self._connection.invalidate()
            with contextlib.suppress(Exception):
                await self._connection.close()
            self._connection = None
        if self._file is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None


async def lease_holder_exists(engine: AsyncEngine, database_url: str) -> bool:
    """Does some process hold the worker lease? (for /readyz of the serve role)"""
    if engine.dialect.name == "postgresql":
        async with engine.connect() as connection:
            found = await connection.scalar(
                text(
                    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
                    "AND granted AND database = (SELECT oid FROM pg_database "
                    "WHERE datname = current_database()) "
                    f"AND classid = {LOCK_CLASS} AND objsubid = 2 "
                    "AND objid = (hashtext('worker:' || current_schema())::bigint "
                    "& 4294967295)::oid)"
                )
            )
        return bool(found)
    path = _sqlite_path(database_url)
    if path is None or not path.exists():
        return path is None
    with open(path, "rb") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    return False
