"""Engine, session factory and start-up migrations."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSession

from bot.db.locks import MIGRATIONS, advisory_key_sql

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
    event.listen(engine.sync_engine, "connect", tune_sqlite)
    return engine


def tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
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
    """Bring the schema to the newest migration (the all-in-one start-up, ``python -m bot
    migrate``). On PostgreSQL under an advisory lock held until the migrations commit: two
    processes migrating at once take turns, the second finds the schema at head. SQLite's
    write lock serializes them already."""
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(
                text(f"SELECT pg_advisory_xact_lock({advisory_key_sql(MIGRATIONS)})")
            )
        await connection.run_sync(_upgrade)
        if connection.dialect.name == "sqlite":  # statistics for the planner, cheaply
            await connection.exec_driver_sql("PRAGMA optimize")


def _revisions(connection: Connection) -> tuple[str | None, str | None]:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    current = MigrationContext.configure(connection).get_current_revision()
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    return current, head


async def schema_behind(engine: AsyncEngine) -> str | None:
    """None when the schema is at the newest migration; else what it is at (``serve`` and
    ``worker`` never migrate: ``python -m bot migrate`` runs first)."""
    async with engine.connect() as connection:
        current, head = await connection.run_sync(_revisions)
    if current == head:
        return None
    return f"the schema is at {current or 'no revision'}, this version needs {head}"
