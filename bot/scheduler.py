"""APScheduler 3: background jobs (outbox delivery, retention, purge). Jobs get only
ids/plain args; what they need arrives through ``JobContext``, built once at start-up.

Two job stores (:func:`create_scheduler`):

* ``"default"`` (:data:`PERSISTENT`) — APScheduler's ``SQLAlchemyJobStore`` in the bot's
  database (table ``apscheduler_jobs``, made by APScheduler itself): one-off jobs that must
  survive a restart, e.g. a scheduled broadcast (``broadcast:<id>``). Such jobs name the
  store (``jobstore=PERSISTENT``), have an explicit id, ``replace_existing=True`` and only
  ids as arguments, so a restart neither loses nor doubles them.
* ``"volatile"`` (:data:`VOLATILE`) — in memory: every job that names no store, i.e. the
  recurring jobs of :func:`register_jobs`. They are added anew at every start and may
  carry live objects (the Bot in ``JobContext``) that a database store could not pickle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalogue.service import CatalogueService
from bot.config import Settings
from bot.i18n import Translator

TIMEZONE = "Asia/Almaty"


@dataclass(frozen=True)
class JobContext:
    bot: Bot
    session_factory: async_sessionmaker[AsyncSession]
    settings: Settings
    translator: Translator
    catalogue: CatalogueService


PERSISTENT = "default"
VOLATILE = "volatile"
JOBS_TABLE = "apscheduler_jobs"
# The async drivers of DATABASE_URL → the sync ones APScheduler's SQLAlchemyJobStore needs.
_SYNC_DRIVERS = {
    "sqlite": "sqlite",
    "postgresql": "postgresql+psycopg",
}


def job_store_url(database_url: str) -> str:
    """The synchronous SQLAlchemy URL of the same database (``sqlite+aiosqlite`` → ``sqlite``,
    ``postgresql+asyncpg`` → ``postgresql+psycopg``); the rest of the URL is kept."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend not in _SYNC_DRIVERS:
        raise ValueError(f"no job store driver for the {backend} database")
    return url.set(drivername=_SYNC_DRIVERS[backend]).render_as_string(hide_password=False)


class BotScheduler(AsyncIOScheduler):  # type: ignore[misc]  # APScheduler 3 has no types
    """An ``AsyncIOScheduler`` whose jobs go to the in-memory store unless they name one."""

    def add_job(self, *args: Any, **kwargs: Any) -> Any:
        if len(args) < 11:  # ``jobstore`` is add_job's 11th positional parameter
            kwargs.setdefault("jobstore", VOLATILE)
        return super().add_job(*args, **kwargs)


def create_scheduler(database_url: str | None = None) -> AsyncIOScheduler:
    """The scheduler; with ``database_url``, the ``"default"`` store keeps jobs in that
    database (see the module docstring), without it every store is in memory (tests)."""
    persistent: Any = MemoryJobStore()
    if database_url is not None:
        persistent = SQLAlchemyJobStore(url=job_store_url(database_url), tablename=JOBS_TABLE)
    return BotScheduler(
        timezone=TIMEZONE,
        jobstores={PERSISTENT: persistent, VOLATILE: MemoryJobStore()},
    )


def register_jobs(scheduler: AsyncIOScheduler, context: JobContext) -> None:
    """Every recurring job, with an explicit id and replace_existing (no doubles on restart)."""
    # Jobs are added here by the features that own them.
    from bot import delivery  # the job's module imports JobContext from here

    delivery.register(scheduler, context)  # "outbox": every 10 s, one instance at a time
    from bot.services import privacy

    privacy.register_retention(  # "retention": daily at 03:00 Almaty
        scheduler, context.session_factory, context.settings.retention_days
    )
    privacy.register_purge(scheduler, context.session_factory)  # "purge": daily at 03:30
    from bot.services import maintenance

    maintenance.register(scheduler, context.session_factory)  # "hr_maintenance": 04:00
    from bot import announcer

    announcer.register(scheduler, context)  # "digest" (DIGEST_CRON) and scheduled broadcasts
    del scheduler, context
