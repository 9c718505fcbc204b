"""APScheduler 3: every background job of the bot, in this one module. Only the runtime
roles (``bot.runtime.roles``) import it; handlers, dialogs and the announcer reach the
scheduler through :class:`~bot.deps.Jobs` (:class:`SchedulerJobs` here).

The jobs:

* ``outbox`` — every 10 s: one delivery round of the outbox (``bot.sending.delivery``); kicked to
  run at once after an application or an HR decision;
* ``retention`` — daily at 03:00 Almaty: applications older than ``RETENTION_DAYS``
  anonymized (``bot.services.privacy``);
* ``purge`` — daily at 03:30: erased values made unrecoverable from the database's files;
* ``hr_maintenance`` — daily at 04:00: delivery rows compacted, funnel counts folded
  (``bot.services.maintenance``);
* ``hr_digest`` — ``HR_DIGEST_CRON`` (default 09:00 on weekdays): applications with no
  decision after 48 h listed to HR (``bot.services.nudges``; nothing when none);
* ``nudges`` — every 15 min: «still under review» after 3 days, the drop-off reminder
  (queued with dedup keys: a restart repeats none; sent outside the quiet hours);
* ``digest`` — ``DIGEST_CRON`` (when ``DIGEST_ENABLED``): the weekly digest (the announcer);
* ``broadcast-reconcile`` — at start (and on the ``serve`` processes' nudge): every
  ``scheduled`` broadcast gets its job;
* ``broadcast:<id>`` — a scheduled broadcast (HR's, or one held for the quiet hours).

Two job stores (:func:`create_scheduler`):

* ``"default"`` (:data:`PERSISTENT`) — APScheduler's ``SQLAlchemyJobStore`` in the bot's
  database (table ``apscheduler_jobs``, made by APScheduler itself): one-off jobs that must
  survive a restart, i.e. a scheduled broadcast (``broadcast:<id>``). Such jobs name the
  store (``jobstore=PERSISTENT``), have an explicit id, ``replace_existing=True`` and only
  ids as arguments, so a restart neither loses nor doubles them. When one runs it finds
  the process's announcer in :class:`JobHolder`.
* ``"volatile"`` (:data:`VOLATILE`) — in memory: every job that names no store, i.e. the
  recurring jobs of :func:`register_jobs`. They are added anew at every start and carry
  live objects (the :class:`~bot.deps.JobContext`, the announcer) as their arguments.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any

from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import parse_quiet_hours
from bot.db.models import BroadcastStatus
from bot.deps import JobContext, Starter
from bot.sending.announcer import Announcer
from bot.sending.delivery import deliver_pending
from bot.services import broadcasts, maintenance, nudges, privacy

log = logging.getLogger(__name__)

TIMEZONE = "Asia/Almaty"
PERSISTENT = "default"
VOLATILE = "volatile"
JOBS_TABLE = "apscheduler_jobs"
# The async drivers of DATABASE_URL → the sync ones APScheduler's SQLAlchemyJobStore needs.
_SYNC_DRIVERS = {
    "sqlite": "sqlite",
    "postgresql": "postgresql+psycopg",
}

OUTBOX_JOB_ID = "outbox"
OUTBOX_INTERVAL_SECONDS = 10
RETENTION_JOB_ID = "retention"
PURGE_JOB_ID = "purge"
MAINTENANCE_JOB_ID = "hr_maintenance"
DIGEST_JOB_ID = "digest"
RECONCILE_JOB_ID = "broadcast-reconcile"
HR_DIGEST_JOB_ID = "hr_digest"
NUDGES_JOB_ID = "nudges"
NUDGES_INTERVAL_MINUTES = 15
BROADCAST_JOB_PREFIX = "broadcast:"


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


class JobHolder:
    """ATTENTION: the one global of the jobs. A job of the persistent store is saved as its
    function's name and a broadcast id (a database cannot keep the Bot), so when it runs it
    finds what it needs here: the process's announcer, set by :func:`register_jobs`."""

    announcer: Announcer | None = None


# --- scheduled broadcasts -------------------------------------------------------------------


def job_id(broadcast_id: int) -> str:
    return f"{BROADCAST_JOB_PREFIX}{broadcast_id}"


def schedule_broadcast(scheduler: AsyncIOScheduler, broadcast_id: int, when: datetime) -> None:
    """The one-off job of a scheduled broadcast, in the persistent store: explicit id,
    replace_existing, the id as the only argument — a restart neither loses nor doubles it;
    one due while the bot was down runs at the next start."""
    scheduler.add_job(
        broadcast_job,
        "date",
        run_date=when,
        id=job_id(broadcast_id),
        args=[broadcast_id],
        replace_existing=True,
        jobstore=PERSISTENT,
        misfire_grace_time=None,
        coalesce=True,
    )


def _has_job(scheduler: AsyncIOScheduler, broadcast_id: int) -> bool:
    try:
        return scheduler.get_job(job_id(broadcast_id)) is not None
    except LookupError:  # saved with a function an older release had elsewhere: add anew
        return False


async def reconcile(
    scheduler: AsyncIOScheduler,
    session_factory: async_sessionmaker[AsyncSession],
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> int:
    """Give every ``scheduled`` broadcast without a job its job (e.g. one created while
    the scheduler was down, or in ``serve``); returns how many were added."""
    added = 0
    async with session_factory() as session:
        for broadcast in await broadcasts.list_broadcasts(session, limit=1000):
            if broadcast.status != BroadcastStatus.scheduled:
                continue
            if _has_job(scheduler, broadcast.id):
                continue
            when = broadcast.scheduled_at
            # SQLite gives the stored UTC time back without its zone.
            when = clock() if when is None else when.replace(tzinfo=when.tzinfo or UTC)
            schedule_broadcast(scheduler, broadcast.id, when)
            added += 1
    return added


class SchedulerJobs:
    """:class:`~bot.deps.Jobs` on this process's scheduler."""

    def __init__(self, scheduler: AsyncIOScheduler) -> None:
        self.scheduler = scheduler

    def kick_outbox(self) -> None:
        job = self.scheduler.get_job(OUTBOX_JOB_ID)
        if job is not None:
            job.modify(next_run_time=datetime.now(UTC))

    def schedule_broadcast(self, broadcast_id: int, when: datetime) -> None:
        schedule_broadcast(self.scheduler, broadcast_id, when)

    def unschedule_broadcast(self, broadcast_id: int) -> None:
        with suppress(JobLookupError):
            self.scheduler.remove_job(job_id(broadcast_id))


# --- the jobs -------------------------------------------------------------------------------


async def outbox_job(context: JobContext) -> None:
    """One delivery round; errors are logged, the job keeps running."""
    try:
        await deliver_pending(context)
    except Exception as exc:  # e.g. the database is unreachable: the next run retries
        log.error("outbox delivery round failed: %s", type(exc).__name__)


async def retention_job(context: JobContext, days: int) -> int:
    """Anonymize applications older than ``days``."""
    async with context.session_factory() as session:
        return await privacy.anonymize_older_than(session, days, datetime.now(UTC))


async def purge_job(context: JobContext) -> list[str]:
    """:func:`bot.services.privacy.purge_erased` on the bot's database."""
    bind = context.session_factory.kw.get("bind")
    if not isinstance(bind, AsyncEngine):
        log.warning("Purge job skipped: no database bound")
        return []
    try:
        return await privacy.purge_erased(bind)
    except Exception as exc:  # the database unreachable, say: the next night retries
        log.error("Purge job failed: %s", type(exc).__name__)
        return []


async def hr_digest_job(context: JobContext, now: datetime | None = None) -> bool:
    """Queue the day's digest of applications undecided after 48 h (once a day)."""
    try:
        async with context.session_factory() as session:
            return await nudges.queue_hr_digest(session, now or datetime.now(UTC))
    except Exception as exc:
        log.error("The HR digest failed: %s", type(exc).__name__)
        return False


async def nudges_job(context: JobContext, now: datetime | None = None) -> int:
    """Queue the «still under review» notices and the drop-off reminders that are due."""
    now = now or datetime.now(UTC)
    settings = context.settings
    quiet = parse_quiet_hours(settings.quiet_hours)
    try:
        async with context.session_factory() as session:
            queued = await nudges.queue_review_notices(session, now, quiet)
            queued += await nudges.queue_dropoff_reminders(
                session, now, quiet, settings.nudge_daytime
            )
    except Exception as exc:
        log.error("The nudges failed: %s", type(exc).__name__)
        return 0
    return queued


async def broadcast_job(broadcast_id: int) -> None:
    """A scheduled broadcast is due (HR's or one held for the quiet hours)."""
    announcer = JobHolder.announcer
    if announcer is None:
        log.warning("Broadcast %d is due but no announcer is installed", broadcast_id)
        return
    try:
        await announcer.run_due(broadcast_id)
    except Exception as exc:  # logged; the broadcast stays scheduled for /broadcasts
        log.error("Scheduled broadcast %d failed to start: %s", broadcast_id, type(exc).__name__)


async def digest_job(announcer: Announcer) -> None:
    try:
        await announcer.send_digest()
    except Exception as exc:
        log.error("The weekly digest failed: %s", type(exc).__name__)


async def reconcile_job(
    scheduler: AsyncIOScheduler, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    try:
        added = await reconcile(scheduler, session_factory)
    except Exception as exc:
        log.error("Scheduled broadcasts could not be checked: %s", type(exc).__name__)
        return
    if added:
        log.info("%d scheduled broadcast(s) got their job back", added)


# --- registration ---------------------------------------------------------------------------


def add_maintenance(
    scheduler: AsyncIOScheduler, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """``hr_maintenance``: daily at 04:00 Almaty, after retention and purge."""
    scheduler.add_job(
        maintenance.nightly,
        "cron",
        hour=4,
        minute=0,
        timezone=TIMEZONE,
        id=MAINTENANCE_JOB_ID,
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        kwargs={"session_factory": session_factory},
    )


def register_jobs(
    scheduler: AsyncIOScheduler, context: JobContext, runner: Starter | None = None
) -> Announcer:
    """Every job, with an explicit id and replace_existing (no doubles on restart); the
    announcer (with ``runner`` to start broadcasts) installed for the scheduled broadcasts."""
    settings = context.settings
    announcer = Announcer(context, jobs=SchedulerJobs(scheduler), runner=runner)
    JobHolder.announcer = announcer
    scheduler.add_job(
        outbox_job,
        "interval",
        seconds=OUTBOX_INTERVAL_SECONDS,
        id=OUTBOX_JOB_ID,
        args=[context],
        replace_existing=True,
        max_instances=1,
        coalesce=True,
    )
    scheduler.add_job(
        retention_job,
        "cron",
        hour=3,
        minute=0,
        timezone=TIMEZONE,
        id=RETENTION_JOB_ID,
        replace_existing=True,
        args=[context],
        kwargs={"days": settings.retention_days},
    )
    scheduler.add_job(
        purge_job,
        "cron",
        hour=3,
        minute=30,
        timezone=TIMEZONE,
        id=PURGE_JOB_ID,
        replace_existing=True,
        args=[context],
    )
    add_maintenance(scheduler, context.session_factory)
    scheduler.add_job(
        hr_digest_job,
        CronTrigger.from_crontab(settings.hr_digest_cron, timezone=TIMEZONE),
        id=HR_DIGEST_JOB_ID,
        args=[context],
        replace_existing=True,
        coalesce=True,
        max_instances=1,
    )
    scheduler.add_job(
        nudges_job,
        "interval",
        minutes=NUDGES_INTERVAL_MINUTES,
        id=NUDGES_JOB_ID,
        args=[context],
        replace_existing=True,
        coalesce=True,
        max_instances=1,
    )
    if settings.digest_enabled:
        trigger: Any = CronTrigger.from_crontab(settings.digest_cron, timezone=TIMEZONE)
        scheduler.add_job(
            digest_job,
            trigger,
            id=DIGEST_JOB_ID,
            args=[announcer],
            replace_existing=True,
            coalesce=True,
            max_instances=1,
        )
    else:
        with suppress(JobLookupError):
            scheduler.remove_job(DIGEST_JOB_ID)
    scheduler.add_job(
        reconcile_job,
        "date",
        id=RECONCILE_JOB_ID,
        args=[scheduler, context.session_factory],
        replace_existing=True,
    )
    return announcer
