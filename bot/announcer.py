"""Vacancy announcements in motion: the one module that joins the announcement texts
(``bot.services.announcements``) with the broadcasts (``bot.broadcast``), the Bot and the
scheduler.

* A position HR opens, or whose open places HR raises (``VacancyBoard.on_change``), is
  announced to the subscribers of its department, with a button that opens its card.
* The weekly digest of the open positions (job ``digest``, ``DIGEST_CRON``, Asia/Almaty)
  goes to every subscriber.
* Quiet hours (``QUIET_HOURS``) hold these automatic announcements: one due in them is
  created ``scheduled`` for their end (job ``broadcast:<id>`` in the persistent store).
  HR's «send now» is never held.
* ``CHANNEL_ID``: every announcement, automatic or HR's, is also posted to that channel once,
  when its sending starts — Kazakh and Russian in one post (once when the texts are the same;
  the default language alone when both do not fit), with a link into the bot instead of
  the subscribers' /unsubscribe footer.

Scheduled broadcasts run :func:`broadcast_job` (only the id is stored), which starts them
through the runner (``bot.broadcast.runner``) and posts to the channel.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.broadcast import service
from bot.broadcast.runner import get_runner
from bot.broadcast.service import BroadcastStateError
from bot.catalogue.service import CatalogueService
from bot.config import Settings
from bot.db.models import Broadcast, BroadcastStatus
from bot.i18n import Translator
from bot.services.announcements import (
    CAPTION_LIMIT,
    TIMEZONE,
    Texts,
    board_snapshot,
    channel_text,
    digest_texts,
    next_allowed_time,
    parse_quiet_hours,
    still_open,
    vacancy_texts,
    without_footer,
)
from bot.services.vacancies import VacancyChange

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    from bot.scheduler import JobContext

log = logging.getLogger(__name__)

JOB_PREFIX = "broadcast:"
DIGEST_JOB_ID = "digest"
RECONCILE_JOB_ID = "broadcast-reconcile"


class Starter(Protocol):
    """What starts a broadcast now (``BroadcastRunner``; a fake in tests)."""

    async def start_now(self, broadcast_id: int) -> int: ...


def job_id(broadcast_id: int) -> str:
    return f"{JOB_PREFIX}{broadcast_id}"


def schedule_broadcast(scheduler: AsyncIOScheduler, broadcast_id: int, when: datetime) -> None:
    """The one-off job of a scheduled broadcast, in the persistent store: explicit id,
    replace_existing, the id as the only argument — a restart neither loses nor doubles it;
    one due while the bot was down runs at the next start."""
    from bot.scheduler import PERSISTENT

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


def unschedule(scheduler: AsyncIOScheduler | None, broadcast_id: int) -> None:
    if scheduler is None:
        return
    from apscheduler.jobstores.base import JobLookupError

    with suppress(JobLookupError):
        scheduler.remove_job(job_id(broadcast_id))


# --- the channel ----------------------------------------------------------------------------


async def _bot_link(bot: Bot, start: str | None) -> str | None:
    try:
        me = await bot.me()
    except TelegramAPIError:
        return None
    if not me.username:
        return None
    return f"https://t.me/{me.username}" + (f"?start={start}" if start else "")


async def post_to_channel(
    bot: Bot, settings: Settings, translator: Translator, broadcast: Broadcast
) -> bool:
    """Post the broadcast to ``CHANNEL_ID`` once (see the module docstring); True when posted.

    Errors are logged (never the text) and swallowed: the channel never stops a broadcast.
    """
    chat_id = settings.channel_id
    if chat_id is None:
        return False
    lang = settings.default_locale
    texts = Texts(
        kk=without_footer(broadcast.text_kk, translator, "kk"),
        ru=without_footer(broadcast.text_ru, translator, "ru"),
    )
    photo = broadcast.photo_file_id
    text = channel_text(texts, lang, limit=CAPTION_LIMIT) if photo else channel_text(texts, lang)
    number = broadcast.position_number
    link = await _bot_link(bot, f"pos_{number}" if number is not None else None)
    markup = None
    if link is not None:
        key = (
            "broadcast.channel.open_position"
            if number is not None
            else "broadcast.channel.open_bot"
        )
        markup = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text=translator(lang, key), url=link)]]
        )
    try:
        if photo:
            await bot.send_photo(chat_id, photo, caption=text, reply_markup=markup)
        else:
            await bot.send_message(chat_id, text, reply_markup=markup)
    except TelegramAPIError as exc:
        log.warning(
            "Broadcast %d: posting to the channel failed: %s", broadcast.id, type(exc).__name__
        )
        return False
    return True


# --- the announcer --------------------------------------------------------------------------


class Announcer:
    """Creates and starts (or holds) the automatic announcements; one per process."""

    def __init__(
        self,
        *,
        bot: Bot,
        session_factory: async_sessionmaker[AsyncSession],
        settings: Settings,
        translator: Translator,
        catalogue: CatalogueService,
        scheduler: AsyncIOScheduler | None = None,
        runner: Starter | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.bot = bot
        self.session_factory = session_factory
        self.settings = settings
        self.translator = translator
        self.catalogue = catalogue
        self.scheduler = scheduler
        self._runner = runner
        self.clock = clock

    @property
    def runner(self) -> Starter | None:
        return self._runner if self._runner is not None else get_runner()

    def allowed_time(self, now: datetime) -> datetime:
        quiet = parse_quiet_hours(self.settings.quiet_hours)
        return now if quiet is None else next_allowed_time(now, *quiet, tz=TIMEZONE)

    async def on_vacancy_change(self, session: AsyncSession, change: VacancyChange) -> None:
        """The ``VacancyBoard`` hook: announce a position opened or with more places."""
        del session  # HR's session: the announcement uses its own
        if not (change.opened or change.places_raised):
            return
        position = self.catalogue.position(change.number)
        if position is None:
            return
        texts = vacancy_texts(
            self.translator,
            self.catalogue,
            position,
            change.after.open_places,
            opened=change.opened,
        )
        await self.announce(
            kind="vacancy",
            texts=texts,
            departments=[position.department],
            position_number=position.number,
            created_by=change.after.updated_by,
        )

    async def send_digest(self) -> int | None:
        """The weekly digest to every subscriber; the broadcast's id (None: nothing open)."""
        async with self.session_factory() as session:
            board = await board_snapshot(session)
        texts = digest_texts(self.translator, self.catalogue, board.closed, board.places)
        if texts is None:
            return None
        return await self.announce(kind="digest", texts=texts, departments=None)

    async def announce(
        self,
        *,
        kind: str,
        texts: Texts,
        departments: list[str] | None,
        position_number: int | None = None,
        created_by: int | None = None,
    ) -> int:
        """Create an automatic broadcast and start it, or hold it until the quiet hours end."""
        now = self.clock()
        when = self.allowed_time(now)
        held = when != now
        async with self.session_factory() as session:
            broadcast = await service.create_broadcast(
                session,
                kind=kind,
                text_kk=texts.kk,
                text_ru=texts.ru,
                departments=departments,
                position_number=position_number,
                created_by=created_by,
                scheduled_at=when.astimezone(UTC) if held else None,  # SQLite keeps no zone
            )
            broadcast_id = broadcast.id
        if not held:
            await self.start(broadcast_id)
        elif self.scheduler is None:
            log.warning(
                "Broadcast %d is held for the quiet hours but there is no scheduler", broadcast_id
            )
        else:
            schedule_broadcast(self.scheduler, broadcast_id, when)
            log.info("Broadcast %d (%s) held until the quiet hours end", broadcast_id, kind)
        return broadcast_id

    async def start(self, broadcast_id: int) -> bool:
        """Start a broadcast now and post it to the channel; False when it cannot start."""
        runner = self.runner
        if runner is None:
            log.warning("Broadcast %d not started: no runner", broadcast_id)
            return False
        try:
            await runner.start_now(broadcast_id)
        except BroadcastStateError:
            log.info("Broadcast %d not started: cancelled or sent already", broadcast_id)
            return False
        async with self.session_factory() as session:
            broadcast = await service.get_broadcast(session, broadcast_id)
        if broadcast is not None:
            await post_to_channel(self.bot, self.settings, self.translator, broadcast)
        return True

    async def run_due(self, broadcast_id: int) -> bool:
        """A scheduled broadcast is due. A held vacancy announcement whose position HR closed
        meanwhile is cancelled instead."""
        async with self.session_factory() as session:
            broadcast = await service.get_broadcast(session, broadcast_id)
            if broadcast is None:
                return False
            number = broadcast.position_number
            if (
                broadcast.kind == "vacancy"
                and number is not None
                and broadcast.status == BroadcastStatus.scheduled
                and not await still_open(session, number)
            ):
                await service.cancel(session, broadcast_id)
                log.info("Broadcast %d cancelled: its position was closed", broadcast_id)
                return False
        return await self.start(broadcast_id)

    async def reconcile(self) -> int:
        """Give every ``scheduled`` broadcast without a job its job (e.g. one created while
        the scheduler was down); returns how many were added."""
        if self.scheduler is None:
            return 0
        added = 0
        async with self.session_factory() as session:
            for broadcast in await service.list_broadcasts(session, limit=1000):
                if broadcast.status != BroadcastStatus.scheduled:
                    continue
                if self.scheduler.get_job(job_id(broadcast.id)) is not None:
                    continue
                when = broadcast.scheduled_at or self.clock()
                schedule_broadcast(self.scheduler, broadcast.id, when)
                added += 1
        return added


# --- jobs (only ids travel; the announcer is installed at start-up) --------------------------

_current: Announcer | None = None


def install(announcer: Announcer | None) -> None:
    global _current
    _current = announcer


def current() -> Announcer | None:
    return _current


async def broadcast_job(broadcast_id: int) -> None:
    """APScheduler job of a scheduled broadcast (HR's or one held for the quiet hours)."""
    announcer = _current
    try:
        if announcer is None:
            from bot.broadcast.runner import run_scheduled_broadcast

            await run_scheduled_broadcast(broadcast_id)
            return
        await announcer.run_due(broadcast_id)
    except Exception as exc:  # logged; the broadcast stays scheduled for /broadcasts
        log.error("Scheduled broadcast %d failed to start: %s", broadcast_id, type(exc).__name__)


async def digest_job() -> None:
    announcer = _current
    if announcer is None:
        return
    try:
        await announcer.send_digest()
    except Exception as exc:
        log.error("The weekly digest failed: %s", type(exc).__name__)


async def reconcile_job() -> None:
    announcer = _current
    if announcer is None:
        return
    try:
        added = await announcer.reconcile()
    except Exception as exc:
        log.error("Scheduled broadcasts could not be checked: %s", type(exc).__name__)
        return
    if added:
        log.info("%d scheduled broadcast(s) got their job back", added)


def register(scheduler: AsyncIOScheduler, context: JobContext) -> Announcer:
    """At start-up (``register_jobs``): install the announcer for the jobs, add the weekly
    digest (when ``DIGEST_ENABLED``) and a check that every scheduled broadcast has its job."""
    from apscheduler.jobstores.base import JobLookupError
    from apscheduler.triggers.cron import CronTrigger

    announcer = Announcer(
        bot=context.bot,
        session_factory=context.session_factory,
        settings=context.settings,
        translator=context.translator,
        catalogue=context.catalogue,
        scheduler=scheduler,
    )
    install(announcer)
    if context.settings.digest_enabled:
        trigger: Any = CronTrigger.from_crontab(context.settings.digest_cron, timezone=TIMEZONE)
        scheduler.add_job(
            digest_job,
            trigger,
            id=DIGEST_JOB_ID,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
        )
    else:
        with suppress(JobLookupError):
            scheduler.remove_job(DIGEST_JOB_ID)
    scheduler.add_job(reconcile_job, "date", id=RECONCILE_JOB_ID, replace_existing=True)
    return announcer
