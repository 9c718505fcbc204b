"""The SQL FSM storage and the migrations, on SQLite and PostgreSQL."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import apply_migrations, create_session_factory
from bot.storage.sql_fsm import SQLStorage


class Form(StatesGroup):
    name = State()


KEY = StorageKey(bot_id=42, chat_id=1, user_id=1)


async def test_state_and_data_round_trip_and_survive_a_new_storage(engine: AsyncEngine) -> None:
    storage = SQLStorage(create_session_factory(engine))
    assert await storage.get_state(KEY) is None
    assert await storage.get_data(KEY) == {}
    await storage.set_state(KEY, Form.name)
    await storage.update_data(KEY, {"answers": {"education_level": "higher"}, "step": 2})
    again = SQLStorage(create_session_factory(engine))
    assert await again.get_state(KEY) == "Form:name"
    assert await again.get_data(KEY) == {"answers": {"education_level": "higher"}, "step": 2}
    other = StorageKey(bot_id=42, chat_id=2, user_id=2)
    assert await again.get_state(other) is None
    await again.set_state(KEY, None)
    await again.set_data(KEY, {})
    fresh = SQLStorage(create_session_factory(engine))
    assert await fresh.get_state(KEY) is None
    assert await fresh.get_data(KEY) == {}


async def test_migrations_are_idempotent(engine: AsyncEngine) -> None:
    await apply_migrations(engine)  # second time: nothing to do, no error
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert {"users", "fsm_states", "alembic_version"} <= tables


async def test_models_match_migrations(engine: AsyncEngine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from bot.db.models import Base

    def diff(connection: object) -> list[object]:
        context = MigrationContext.configure(connection)  # type: ignore[arg-type]
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as conn:
        differences = await conn.run_sync(diff)
    assert differences == []
