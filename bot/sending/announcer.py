"""Vacancy announcements in motion: the one module that joins the announcement texts
(``bot.rendering.announcements``) with the broadcasts (``bot.services.broadcasts``, the
runner) and the scheduler's side (:class:`~bot.deps.Jobs`).

* A position HR opens, or whose open places HR raises (``VacancyBoard.on_change``), is
  announced to the subscribers of its department, with a button that opens its card.
* The weekly digest of the open positions (job ``digest``, ``DIGEST_CRON``, Asia/Almaty)
  goes to every subscriber.
* Quiet hours (``QUIET_HOURS``) hold these automatic announcements: one due in them is
  created ``scheduled`` for their end (job ``broadcast:<id>`` in the persistent store).
  HR's «send now» is never held.
* ``CHANNEL_ID``: every announcement, automatic or HR's, is also posted to that channel once,
  when its sending starts (:mod:`bot.sending.channel`).

Scheduled broadcasts run the job ``broadcast:<id>`` (``bot.jobs``, only the id is stored),
which calls :meth:`Announcer.run_due`: started through the runner and posted to the channel.
The announcer reaches the scheduler only through :class:`~bot.deps.Jobs`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import BroadcastStatus
from bot.deps import JobContext, Jobs, Starter
from bot.rendering.announcements import Texts, digest_texts, vacancy_texts
from bot.sending.channel import post_to_channel
from bot.services import broadcasts
from bot.services.announcements import (
    TIMEZONE,
    board_snapshot,
    next_allowed_time,
    parse_quiet_hours,
    still_open,
)
from bot.services.broadcasts import BroadcastStateError
from bot.services.vacancies import VacancyChange

log = logging.getLogger(__name__)


# --- the announcer --------------------------------------------------------------------------


class Announcer:
    """Creates and starts (or holds) the automatic announcements; one per process."""

    def __init__(
        self,
        context: JobContext,
        *,
        jobs: Jobs | None = None,
        runner: Starter | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.bot = context.bot
        self.session_factory = context.session_factory
        self.settings = context.settings
        self.translator = context.translator
        self.catalogue = context.catalogue
        self.jobs = jobs
        self.runner = runner
        self.clock = clock

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
            broadcast = await broadcasts.create_broadcast(
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
        elif self.jobs is None:
            log.warning(
                "Broadcast %d is held for the quiet hours but there is no scheduler", broadcast_id
            )
        else:
            self.jobs.schedule_broadcast(broadcast_id, when)
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
            broadcast = await broadcasts.get_broadcast(session, broadcast_id)
        if broadcast is not None:
            await post_to_channel(self.bot, self.settings, self.translator, broadcast)
        return True

    async def run_due(self, broadcast_id: int) -> bool:
        """A scheduled broadcast is due. A held vacancy announcement whose position HR closed
        meanwhile is cancelled instead."""
        async with self.session_factory() as session:
            broadcast = await broadcasts.get_broadcast(session, broadcast_id)
            if broadcast is None:
                return False
            number = broadcast.position_number
            if (
                broadcast.kind == "vacancy"
                and number is not None
                and broadcast.status == BroadcastStatus.scheduled
                and not await still_open(session, number)
            ):
                await broadcasts.cancel(session, broadcast_id)
                log.info("Broadcast %d cancelled: its position was closed", broadcast_id)
                return False
        return await self.start(broadcast_id)
