"""Alembic environment: migrations run on a connection handed over by bot.db.engine."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection

from bot.db.models import Base

target_metadata = Base.metadata


# Tables that are not ours: APScheduler's persistent job store lives in the same database.
FOREIGN_TABLES = frozenset({"apscheduler_jobs"})


def include_name(name: str | None, type_: str, _parent: object) -> bool:
    return not (type_ == "table" and name in FOREIGN_TABLES)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=include_name,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_from_url() -> None:
    # `alembic upgrade head` from the command line: use DATABASE_URL like the bot does.
    import os

    from bot.config import DEFAULT_DATABASE_URL
    from bot.db.engine import create_engine

    async def go() -> None:
        engine = create_engine(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
        async with engine.begin() as connection:
            await connection.run_sync(_run)
        await engine.dispose()

    asyncio.run(go())


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    _run_from_url()
