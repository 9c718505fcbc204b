"""The nightly upkeep of the HR tables: finished broadcasts' delivery rows compacted into
counts after the retention period, the funnel's day counts folded, and fresh planner
statistics (SQLite is never analyzed
on its own; PostgreSQL's autovacuum does it, one more ANALYZE at night does no harm)."""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.db.models import Base
from bot.services.broadcasts import DELIVERY_RETENTION_DAYS, compact_deliveries
from bot.services.stats import fold_days

log = logging.getLogger(__name__)

# ANALYZE reads about this many rows of each index on SQLite (bounded cost on big tables).
SQLITE_ANALYSIS_LIMIT = 1000


async def analyze(session: AsyncSession) -> None:
    """Refresh the query planner's statistics of the bot's tables (committed)."""
    if session.get_bind().dialect.name == "sqlite":
        await session.execute(text(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}"))
        await session.execute(text("ANALYZE"))  # this database file only
    else:
        # A bare ANALYZE takes every table of the database, other schemas' and the system
        # catalogue's too (and deadlocks with a concurrent one): only ours.
        await session.execute(text(analyze_ours()))
    await session.commit()


def analyze_ours() -> str:
    """``ANALYZE`` of the bot's own tables (in the connection's schema)."""
    names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    return f"ANALYZE {names}"


async def vacuum_funnel_days(session_factory: async_sessionmaker[AsyncSession]) -> None:
    """PostgreSQL: reclaim the rows the fold deleted, so that /stats's index scans over
    ``funnel_days`` do not wade through dead rows until autovacuum comes (VACUUM runs
    outside a transaction). SQLite reuses the space by itself."""
    bind = session_factory.kw.get("bind")
    if not isinstance(bind, AsyncEngine) or bind.dialect.name != "postgresql":
        return
    async with bind.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.exec_driver_sql("VACUUM (ANALYZE) funnel_days")


async def nightly(
    session_factory: async_sessionmaker[AsyncSession], days: int = DELIVERY_RETENTION_DAYS
) -> int:
    """Compact old delivery rows, fold the funnel's day counts, then analyze; returns how
    many delivery rows were compacted."""
    try:
        async with session_factory() as session:
            removed = await compact_deliveries(session, days=days)
            folded = await fold_days(session)
            await analyze(session)
        await vacuum_funnel_days(session_factory)
    except Exception as exc:  # the database unreachable, say: the next night retries
        log.error("HR maintenance failed: %s", type(exc).__name__)
        return 0
    log.info(
        "HR maintenance: %d delivery rows compacted, %d funnel day rows folded, "
        "statistics refreshed",
        removed,
        folded,
    )
    return removed
