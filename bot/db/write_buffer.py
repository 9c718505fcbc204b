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

**SQLite: one hop per commit.** Through aiosqlite every statement, the BEGIN and the COMMIT
is a round trip to its thread and back to the event loop: a one-row commit cost about
1 ms of CPU, against 0.09 ms for the same commit through SQLAlchemy's synchronous engine.
So on a SQLite file the group commit runs on its own thread with a synchronous connection
(the same PRAGMAs), one hand-off per commit; PostgreSQL (asyncpg) keeps the async path.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, suppress
from contextvars import ContextVar
from typing import Any

from sqlalchemy import Connection, Engine, Executable, delete, event, insert
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.db.engine import tune_sqlite
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


def _thread_engine(engine: AsyncEngine) -> Engine | None:
    """A synchronous engine on the same SQLite file (None: not a SQLite file)."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    sync = create_sync_engine(url.set(drivername="sqlite"), hide_parameters=True)
    event.listen(sync, "connect", tune_sqlite)
    # The same database: whoever watches the engine's statements and commits (a tracer, the
    # benchmark's counter, the fault and crash tests) sees the writer's too.
    parent = engine.sync_engine.dispatch

    def before_cursor_execute(*args: Any) -> None:
        parent.before_cursor_execute(*args)

    def commit(connection: Connection) -> None:
        parent.commit(connection)

    event.listen(sync, "before_cursor_execute", before_cursor_execute)
    event.listen(sync, "commit", commit)
    return sync


class WriteBuffer:
    def __init__(self, engine: AsyncEngine, on_saved: Saved) -> None:
        self._engine = engine
        self._on_saved = on_saved
        is_postgres = engine.dialect.name == "postgresql"
        statement = (postgresql.insert if is_postgres else sqlite.insert)(FsmRecord)
        # One statement for any number of records (executemany): compiled once, cached.
        self._upsert = statement.on_conflict_do_update(
            index_elements=[FsmRecord.key],
            set_={
                "state": statement.excluded.state,
                "data": statement.excluded.data,
                "updated_at": statement.excluded.updated_at,
            },
        )
        self._sync_engine = _thread_engine(engine)
        self._thread = (
            None
            if self._sync_engine is None
            else ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-writer")
        )
        self._sync_connection: Connection | None = None
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
        statements = self._statements(empty, kept, rows)
        if self._thread is not None:
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(self._thread, self._write_in_thread, statements)
        else:
            await self._write(statements)
        self.commits += 1

    def _statements(
        self, empty: list[str], kept: list[dict[str, Any]], rows: list[dict[str, Any]]
    ) -> list[tuple[Executable, Any]]:
        statements: list[tuple[Executable, Any]] = []
        if empty:  # nothing to remember: keep the table small
            statements.append((delete(FsmRecord).where(FsmRecord.key.in_(empty)), None))
        if kept:
            statements.append((self._upsert, kept))
        if rows:
            statements.append((insert(FunnelEvent), rows))
        return statements

    async def _write(self, statements: list[tuple[Executable, Any]]) -> None:
        if self._connection is None:
            self._connection = await self._engine.connect()
        connection = self._connection
        try:
            async with connection.begin():
                for statement, parameters in statements:
                    await connection.execute(statement, parameters)
        except BaseException:
            # A broken or refused write: start again on a fresh connection.
            self._connection = None
            with suppress(Exception):
                await connection.close()
            raise

    def _write_in_thread(self, statements: list[tuple[Executable, Any]]) -> None:
        assert self._sync_engine is not None
        if self._sync_connection is None:
            self._sync_connection = self._sync_engine.connect()
        connection = self._sync_connection
        try:
            with connection.begin():
                for statement, parameters in statements:
                    connection.execute(statement, parameters)
        except BaseException:
            self._sync_connection = None
            with suppress(Exception):
                connection.close()
            raise

    def _close_in_thread(self) -> None:
        if self._sync_connection is not None:
            connection, self._sync_connection = self._sync_connection, None
            connection.close()
        if self._sync_engine is not None:
            self._sync_engine.dispose()

    async def close(self) -> None:
        if self._drain is not None:
            await asyncio.gather(self._drain, return_exceptions=True)
        if self._connection is not None:
            connection, self._connection = self._connection, None
            await connection.close()
        if self._thread is not None:
            # Closed twice (the storage, then the dispatcher's shutdown): once is enough.
            thread, self._thread = self._thread, None
            await asyncio.get_running_loop().run_in_executor(thread, self._close_in_thread)
            thread.shutdown(wait=False)
