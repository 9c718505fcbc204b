"""Engine, session factory and start-up migrations."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSession

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"


def _hide_rows(record: logging.LogRecord) -> bool:
    # With SQLAlchemy's loggers at DEBUG every fetched row is logged ("Row %r"): FSM data,
    # names, phones. hide_parameters does not cover rows; this does, wherever logs go.
    if record.msg == "Row %r":
        record.msg, record.args = "Row (hidden: it may hold personal data)", ()
    return True


logging.getLogger("sqlalchemy.engine.Engine").addFilter(_hide_rows)


def create_engine(database_url: str) -> AsyncEngine:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_async_engine(url, pool_pre_ping=True, hide_parameters=True)
    if url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    # hide_parameters: a failing statement's error text never carries names or phones.
    engine = create_async_engine(url, hide_parameters=True)
    event.listen(engine.sync_engine, "connect", _tune_sqlite)
    return engine


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL + synchronous=NORMAL: a commit no longer waits for several fsyncs (the default
    # rollback journal made every FSM step cost tens of milliseconds); still crash-safe.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # Erased values are overwritten with zeros in the file, not just marked free (the WAL
    # keeps older page versions until a checkpoint: the nightly purge job truncates it).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _upgrade(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def apply_migrations(engine: AsyncEngine) -> None:
    """Bring the schema to the newest migration; run at every start-up."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)
        if connection.dialect.name == "sqlite":  # statistics for the planner, cheaply
            await connection.exec_driver_sql("PRAGMA optimize")
