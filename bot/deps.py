"""What the handlers and dialogs get from the process: one typed object, built once by the
factory (:func:`bot.app.create_dispatcher`) and passed as the workflow data ``deps``.

A handler takes ``deps: Deps``; a dialog reads it with
:func:`bot.dialogs.widgets.deps_of`. What belongs to one update (``session``, ``i18n``,
``state``, ``event_from_user``) stays in the update's own data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

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
    #: The scheduler (None: none in this process, e.g. tests).
    scheduler: Any = None
    #: /broadcast's «send now» (None: no runner in this process).
    broadcasts: Starter | None = None
