"""aiogram FSM storage on SQLAlchemy: conversations survive a restart of the bot.

aiogram ships memory, Redis and Mongo storages only; this one keeps state and data in the
``fsm_states`` table of the bot's own database (SQLite or PostgreSQL).

**One write per update, saved before it is shown.** Inside an update (see
:class:`UpdateWritesMiddleware`) ``set_state``/``set_data`` only change the update's buffer
(``bot.db.write_buffer``, which also takes its standalone funnel events); the buffer is
written in one transaction, state and data together, before the update's first request to
the Bot API (:class:`FlushBeforeSend`, a client-session middleware) and once more when the
update ends. So the person never sees a step («saved», the next question) whose state is
not committed, and a crash never splits a state from its data. Outside an update (jobs,
tests) a change is written at once. Concurrent updates share commits (group commit).

Reads are served from a bounded cache of committed records: aiogram reads the state on
every update, and a database round trip for each would cost more than the handler itself.
The cache is only correct while one process handles the bot's updates (the default);
with several processes (``REDIS_URL`` set, see ``bot.app``) it is off (``cache_size=0``).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from copy import deepcopy
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StorageKey
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import TelegramObject
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.db import write_buffer
from bot.db.models import FsmRecord
from bot.db.write_buffer import Record, UpdateWrites, WriteBuffer

StateType = str | State | None
CACHE_SIZE = 10_000


class SQLStorage(BaseStorage):
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        key_builder: KeyBuilder | None = None,
        cache_size: int | None = None,
    ) -> None:
        # Plain Core on the engine: an ORM session per read/write costs more than the SQL.
        engine = session_factory.kw["bind"]
        assert isinstance(engine, AsyncEngine)
        self._engine = engine
        self._writer = WriteBuffer(engine, self._saved)
        #: The update's buffer this storage writes into (also its funnel events'), for
        #: :class:`UpdateWritesMiddleware`.
        self.writer = self._writer
        self._keys = key_builder or DefaultKeyBuilder(with_destiny=True)
        self._cache: OrderedDict[str, Record] = OrderedDict()
        self._cache_size = CACHE_SIZE if cache_size is None else cache_size

    @property
    def commits(self) -> int:
        return self._writer.commits

    def _remember(self, key: str, state: str | None, data: dict[str, Any]) -> None:
        self._cache[key] = (state, data)
        self._cache.move_to_end(key)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def _buffer(self) -> UpdateWrites | None:
        return self._writer.mine()

    def _saved(self, records: dict[str, Record]) -> None:
        for key, (state, data) in records.items():
            self._remember(key, state, data)

    async def _read(self, key: str) -> Record:
        pending = self._buffer()
        if pending is not None and key in pending.records:
            return pending.records[key]
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        async with self._engine.connect() as connection:
            row = (
                await connection.execute(
                    select(FsmRecord.state, FsmRecord.data).where(FsmRecord.key == key)
                )
            ).one_or_none()
        record = (row.state, dict(row.data or {})) if row else (None, {})
        self._remember(key, *record)
        return record

    async def _write(self, key: str, state: str | None, data: dict[str, Any]) -> None:
        pending = self._buffer()
        if pending is not None:
            pending.records[key] = (state, data)
            return
        writes = UpdateWrites(self._writer)
        writes.records[key] = (state, data)
        await self._writer.save(writes)

    async def flush(self) -> None:
        """Save the current update's changes now (no-op outside an update or when none)."""
        await self._writer.flush()

    def buffered(self) -> AbstractAsyncContextManager[None]:
        """The scope of one update: its changes are buffered, then saved at the end."""
        return self._writer.scope()

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        built = self._keys.build(key)
        current, data = await self._read(built)
        value = state.state if isinstance(state, State) else state
        if value != current:  # an unchanged state costs no write
            await self._write(built, value, data)

    async def get_state(self, key: StorageKey) -> str | None:
        state, _ = await self._read(self._keys.build(key))
        return state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        built = self._keys.build(key)
        state, current = await self._read(built)
        if data != current:
            await self._write(built, state, deepcopy(dict(data)))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        _, data = await self._read(self._keys.build(key))
        return deepcopy(data)

    def forget(self, key_prefix: str) -> None:
        """Drop cached and unsaved entries (after rows were deleted behind the storage's
        back, e.g. by /delete_me)."""
        for key in [k for k in self._cache if k.startswith(key_prefix)]:
            del self._cache[key]
        pending = self._buffer()
        if pending is not None:
            for key in [k for k in pending.records if k.startswith(key_prefix)]:
                del pending.records[key]

    async def close(self) -> None:
        # The engine belongs to the application, which disposes of it.
        await self._writer.close()


Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class FlushBeforeSend(BaseRequestMiddleware):
    """A Bot API request made while an update is handled first saves that update's FSM
    changes (requests outside updates, e.g. the outbox's, pass straight through)."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        pending = write_buffer.current()
        if pending:
            await pending.buffer.flush()
        return await make_request(bot, method)


# One instance for every bot and storage: installing it twice is detected by identity.
FLUSH_BEFORE_SEND = FlushBeforeSend()


class UpdateWritesMiddleware(BaseMiddleware):
    """Outer update middleware: buffers the update's writes (see the module's doc): its FSM
    changes when the storage is :class:`SQLStorage`, and with any storage its standalone
    funnel events, so concurrent updates share commits whichever storage keeps the
    conversations (Redis's included).

    Registered after aiogram's FSM middleware, so the save happens inside its event
    isolation lock: the person's next update reads what this one saved.
    """

    def __init__(self, writer: WriteBuffer) -> None:
        self.writer = writer

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        bot: Bot | None = data.get("bot")
        if bot is not None and FLUSH_BEFORE_SEND not in bot.session.middleware:
            bot.session.middleware(FLUSH_BEFORE_SEND)
        async with self.writer.scope():
            return await handler(event, data)
