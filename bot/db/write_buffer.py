"""One write per update: the conversation state and the standalone funnel events an update
produces are buffered and saved together, and concurrent updates share commits.

Plain SQLAlchemy (no aiogram). ``bot.storage.sql_fsm`` opens a :meth:`WriteBuffer.scope`
around each update, saves it before the update's first request to the Bot API and once more
at its end; ``bot.services.funnel`` puts a standalone event into the current update's buffer
(:func:`pending_rows`) instead of committing it on its own.

**Group commit.** Saves are queued and written by one drain task: everything that queued
while the previous commit ran goes into the next single transaction. Ten applicants typing
at once cost one commit instead of ten fighting over SQLite's one write lock (whose busy
handler sleeps in steps of up to 100 ms).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from contextvars import ContextVar
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.db.models import FsmRecord, FunnelEvent, utcnow

# An FSM record: (state, data); (None, {}) deletes the row.
Record = tuple[str | None, dict[str, Any]]
Saved = Callable[[dict[str, Record]], None]


class UpdateWrites:
    """What one update changed and has not saved yet."""

    __slots__ = ("buffer", "records", "rows")

    def __init__(self, buffer: WriteBuffer) -> None:
        self.buffer = buffer
        self.records: dict[str, Record] = {}  # FSM key → state and data
        self.rows: list[dict[str, Any]] = []  # funnel events (values of FunnelEvent)

    def __bool__(self) -> bool:
        return bool(self.records or self.rows)


_pending: ContextVar[UpdateWrites | None] = ContextVar("pending_update_writes", default=None)


def current() -> UpdateWrites | None:
    """The buffer of the update being handled (None outside updates)."""
    return _pending.get()


def pending_rows() -> list[dict[str, Any]] | None:
    """Where a standalone funnel event of the current update goes (None: no update)."""
    pending = _pending.get()
    return None if pending is None else pending.rows


class WriteBuffer:
    def __init__(self, engine: AsyncEngine, on_saved: Saved) -> None:
        self._engine = engine
        self._on_saved = on_saved
        is_postgres = engine.dialect.name == "postgresql"
        self._insert = postgresql.insert if is_postgres else sqlite.insert
        self._queue: list[tuple[UpdateWrites, asyncio.Future[None]]] = []
        self._drain: asyncio.Task[None] | None = None
        # The writer's own connection, kept once taken: updates hold pool connections while
        # they wait for the group commit, so a writer queuing in the pool behind them would
        # wait for its timeout whenever more updates run at once than the pool has room.
        self._connection: AsyncConnection | None = None
        self.commits = 0

    def mine(self) -> UpdateWrites | None:
        pending = _pending.get()
        return pending if pending is not None and pending.buffer is self else None

    async def save(self, writes: UpdateWrites) -> None:
        """Save these writes (grouped with whatever else is queued); raises if that failed."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.append((writes, future))
        if self._drain is None or self._drain.done():
            self._drain = asyncio.create_task(self._run())
        # shield: a cancelled update must not cancel the commit others wait for.
        await asyncio.shield(future)

    async def flush(self) -> None:
        """Save the current update's writes now (no-op outside an update or when none)."""
        pending = self.mine()
        if not pending:
            return
        taken = UpdateWrites(self)
        taken.records, pending.records = pending.records, {}
        taken.rows, pending.rows = pending.rows, []
        await self.save(taken)

    @asynccontextmanager
    async def scope(self) -> AsyncIterator[None]:
        """The scope of one update: its writes are buffered, then saved at its end."""
        token = _pending.set(UpdateWrites(self))
        try:
            yield
            await self.flush()
        except BaseException:
            # The update failed: save what it changed before failing (as unbuffered writes
            # would have been), unless the failure is the database itself.
            with suppress(Exception):
                await self.flush()
            raise
        finally:
            _pending.reset(token)

    async def _run(self) -> None:
        while self._queue:
            batch, self._queue = self._queue, []
            records: dict[str, Record] = {}
            rows: list[dict[str, Any]] = []
            for writes, _ in batch:
                records.update(writes.records)  # in queue order: a key's newest record wins
                rows.extend(writes.rows)
            try:
                await self._commit(records, rows)
                self._on_saved(records)
            except Exception as exc:  # every waiter of this batch learns it failed
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for _, future in batch:
                if not future.done():
                    future.set_result(None)

    async def _commit(self, records: dict[str, Record], rows: list[dict[str, Any]]) -> None:
        empty = [key for key, (state, data) in records.items() if state is None and not data]
        now = utcnow()
        kept = [
            {"key": key, "state": state, "data": data, "updated_at": now}
            for key, (state, data) in records.items()
            if state is not None or data
        ]
        if self._connection is None:
            self._connection = await self._engine.connect()
        connection = self._connection
        try:
            await self._write(connection, empty, kept, rows)
        except BaseException:
            # A broken or refused write: start again on a fresh connection.
            self._connection = None
            with suppress(Exception):
                await connection.close()
            raise
        self.commits += 1

    async def _write(
        self,
        connection: AsyncConnection,
        empty: list[str],
        kept: list[dict[str, Any]],
        rows: list[dict[str, Any]],
    ) -> None:
        async with connection.begin():
            if empty:  # nothing to remember: keep the table small
                await connection.execute(delete(FsmRecord).where(FsmRecord.key.in_(empty)))
            if kept:
                statement = self._insert(FsmRecord).values(kept)
                await connection.execute(
                    statement.on_conflict_do_update(
                        index_elements=[FsmRecord.key],
                        set_={
                            "state": statement.excluded.state,
                            "data": statement.excluded.data,
                            "updated_at": statement.excluded.updated_at,
                        },
                    )
                )
            if rows:
                await connection.execute(insert(FunnelEvent), rows)

    async def close(self) -> None:
        if self._drain is not None:
            await asyncio.gather(self._drain, return_exceptions=True)
        if self._connection is not None:
            connection, self._connection = self._connection, None
            await connection.close()
