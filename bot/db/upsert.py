"""INSERT … ON CONFLICT DO UPDATE on the bot's databases (PostgreSQL and SQLite).

A row that two updates may create at once (a new person pressing the language button
twice) is written in one statement: whichever comes second updates the first one's row
instead of failing on the primary key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.db.models import Base


async def upsert(
    session: AsyncSession,
    model: type[Base],
    values: Mapping[str, Any],
    *,
    conflict: Sequence[InstrumentedAttribute[Any]],
    update: Mapping[str, Any],
) -> None:
    """Insert ``values``, or set ``update`` on the row that holds the same ``conflict`` key.

    Does not commit. An instance of that row this session already holds is refreshed, so
    the session never shows the values from before.
    """
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(model).values(**values)
    await session.execute(statement.on_conflict_do_update(index_elements=conflict, set_=update))
    mapper = inspect(model)
    identity = mapper.identity_key_from_primary_key(
        tuple(values[column.name] for column in mapper.primary_key)
    )
    held = session.sync_session.identity_map.get(identity)
    if held is not None:
        await session.refresh(held)
