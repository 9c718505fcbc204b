"""What the process gives the code that runs in it: two typed objects, each built once.

* :class:`Deps` — for the handlers and dialogs: built by the factory
  (:func:`bot.app.create_dispatcher`) and passed as the workflow data ``deps``. A handler
  takes ``deps: Deps``; a dialog reads it with :func:`bot.dialogs.widgets.deps_of`. What
  belongs to one update (``session``, ``i18n``, ``state``, ``event_from_user``) stays in
  the update's own data.
* :class:`JobContext` — for what runs without an incoming update (the scheduler's jobs,
  the outbox sender, the announcer; ``bot.jobs``, ``bot.sending``).

Handlers and dialogs reach the scheduler only through :class:`Jobs` (``bot.jobs`` itself is
imported by the app factory and the runtime roles alone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from aiogram import Bot
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalogue.service import CatalogueService
from bot.config import Settings
from bot.i18n import Translator
from bot.screening.engine import Screener
from bot.services.users import UserLanguages
from bot.services.vacancies import VacancyBoard


class Starter(Protocol):
    """What starts a broadcast now (``BroadcastRunner``; ``HandoffStarter`` in ``serve``; a
    fake in tests); returns the number of recipients."""

    async def start_now(self, broadcast_id: int) -> int: ...


class Jobs(Protocol):
    """What handlers, dialogs and the announcer may ask of the scheduler
    (``bot.jobs.SchedulerJobs``; ``bot.runtime.handoff.RemoteJobs`` in ``serve``)."""

    def kick_outbox(self) -> None:
        """Deliver the outbox now rather than at the next tick."""

    def schedule_broadcast(self, broadcast_id: int, when: datetime) -> None:
        """The job that starts a scheduled broadcast at ``when`` (kept across restarts)."""

    def unschedule_broadcast(self, broadcast_id: int) -> None:
        """Drop that job (the broadcast was cancelled)."""


@dataclass(frozen=True, slots=True)
class Deps:
    settings: Settings
    catalogue: CatalogueService
    translator: Translator
    screener: Screener
    #: Open/closed positions, loaded from the database on first use.
    vacancies: VacancyBoard
    #: The people's chosen languages (a cache in front of the database).
    languages: UserLanguages
    #: The scheduler's side (None: none in this process, e.g. tests).
    jobs: Jobs | None = None
    #: /broadcast's «send now» (None: no runner in this process).
    broadcasts: Starter | None = None

    def kick_outbox(self) -> None:
        """The outbox goes out now (an application, a decision); no-op without jobs."""
        if self.jobs is not None:
            self.jobs.kick_outbox()


@dataclass(frozen=True)
class JobContext:
    """What the jobs and the senders need, built once at start-up; jobs get only this
    and ids/plain arguments."""

    bot: Bot
    session_factory: async_sessionmaker[AsyncSession]
    settings: Settings
    translator: Translator
    catalogue: CatalogueService
