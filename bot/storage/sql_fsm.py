"""aiogram FSM storage on SQLAlchemy: conversations survive a restart of the bot.

aiogram ships memory, Redis and Mongo storages only; this one keeps state and data in the
``fsm_states`` table of the bot's own database (SQLite or PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StorageKey
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import FsmRecord

StateType = str | State | None


class SQLStorage(BaseStorage):
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        key_builder: KeyBuilder | None = None,
    ) -> None:
        self._sessions = session_factory
        self._keys = key_builder or DefaultKeyBuilder(with_destiny=True)

    async def _load(self, session: AsyncSession, key: StorageKey) -> FsmRecord | None:
        return await session.get(FsmRecord, self._keys.build(key))

    async def _save(self, key: StorageKey, *, state: Any = ..., data: Any = ...) -> None:
        async with self._sessions.begin() as session:
            record = await self._load(session, key)
            if record is None:
                record = FsmRecord(key=self._keys.build(key), state=None, data={})
                session.add(record)
            if state is not ...:
                record.state = state
            if data is not ...:
                record.data = data
            if record.state is None and not record.data:
                # Nothing to remember: keep the table small.
                await session.execute(delete(FsmRecord).where(FsmRecord.key == record.key))

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._save(key, state=value)

    async def get_state(self, key: StorageKey) -> str | None:
        async with self._sessions() as session:
            result = await session.execute(
                select(FsmRecord.state).where(FsmRecord.key == self._keys.build(key))
            )
            return result.scalar_one_or_none()

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._save(key, data=dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self._sessions() as session:
            result = await session.execute(
                select(FsmRecord.data).where(FsmRecord.key == self._keys.build(key))
            )
            data = result.scalar_one_or_none()
            return dict(data) if data else {}

    async def close(self) -> None:
        # The engine belongs to the application, which disposes of it.
        return None
