"""aiogram FSM storage on SQLAlchemy: conversations survive a restart of the bot.

aiogram ships memory, Redis and Mongo storages only; this one keeps state and data in the
``fsm_states`` table of the bot's own database (SQLite or PostgreSQL).

Reads are served from a bounded write-through cache: aiogram reads the state on every
update, and a database round trip for each would cost more than the handler itself. The
cache is only correct while one process polls for the bot, which is how it runs (two
pollers of one token are refused by Telegram anyway). Writes always go to the database
first, so a restart (or kill -9) loses nothing that was acknowledged.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from copy import deepcopy
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StorageKey
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.db.models import FsmRecord, utcnow

StateType = str | State | None
CACHE_SIZE = 10_000


class SQLStorage(BaseStorage):
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        key_builder: KeyBuilder | None = None,
        cache_size: int = CACHE_SIZE,
    ) -> None:
        # Plain Core on the engine: an ORM session per read/write costs more than the SQL.
        engine = session_factory.kw["bind"]
        assert isinstance(engine, AsyncEngine)
        self._engine = engine
        self._upsert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        self._keys = key_builder or DefaultKeyBuilder(with_destiny=True)
        self._cache: OrderedDict[str, tuple[str | None, dict[str, Any]]] = OrderedDict()
        self._cache_size = cache_size

    def _remember(self, key: str, state: str | None, data: dict[str, Any]) -> None:
        self._cache[key] = (state, data)
        self._cache.move_to_end(key)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    async def _read(self, key: str) -> tuple[str | None, dict[str, Any]]:
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
        async with self._engine.begin() as connection:
            if state is None and not data:
                # Nothing to remember: keep the table small.
                await connection.execute(delete(FsmRecord).where(FsmRecord.key == key))
            else:
                values = {"key": key, "state": state, "data": data, "updated_at": utcnow()}
                statement = self._upsert(FsmRecord).values(**values)
                await connection.execute(
                    statement.on_conflict_do_update(
                        index_elements=[FsmRecord.key],
                        set_={"state": state, "data": data, "updated_at": values["updated_at"]},
                    )
                )
        self._remember(key, state, data)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        built = self._keys.build(key)
        _, data = await self._read(built)
        value = state.state if isinstance(state, State) else state
        await self._write(built, value, data)

    async def get_state(self, key: StorageKey) -> str | None:
        state, _ = await self._read(self._keys.build(key))
        return state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        built = self._keys.build(key)
        state, _ = await self._read(built)
        await self._write(built, state, deepcopy(dict(data)))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        _, data = await self._read(self._keys.build(key))
        return deepcopy(data)

    def forget(self, key_prefix: str) -> None:
        """Drop cached entries (after rows were deleted behind the storage's back)."""
        for key in [k for k in self._cache if k.startswith(key_prefix)]:
            del self._cache[key]

    async def close(self) -> None:
        # The engine belongs to the application, which disposes of it.
        return None
