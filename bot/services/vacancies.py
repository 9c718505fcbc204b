"""Which positions are open now and how many places: HR's /vacancies. Plain Python.

The :class:`VacancyBoard` keeps the ``vacancy_states`` table in memory (one per Dispatcher):
it is loaded from the database on first use and updated on every change HR makes, so the
applicant side asks it on every screen without a query. No row means «open, places not
said». Every change goes through :meth:`VacancyBoard.set_state`, which returns a
:class:`VacancyChange` — what announcements hook into (a position opened, places raised).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import VacancyState, utcnow

log = logging.getLogger(__name__)

MAX_PLACES: Final = 999
_NUMBER_RE = re.compile(r"[+-]?[0-9]+")


@dataclass(frozen=True, slots=True)
class Vacancy:
    is_open: bool = True
    open_places: int | None = None  # None: not said
    updated_by: int | None = None
    updated_at: datetime | None = None


OPEN = Vacancy()


class Unchanged:
    """Marks «leave this as it is» where None is a meaningful value."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Final = Unchanged()


@dataclass(frozen=True, slots=True)
class VacancyChange:
    number: int
    before: Vacancy
    after: Vacancy

    @property
    def opened(self) -> bool:
        return self.after.is_open and not self.before.is_open

    @property
    def closed(self) -> bool:
        return self.before.is_open and not self.after.is_open

    @property
    def places_raised(self) -> bool:
        """More places than before while open (places said where none were counts too)."""
        after = self.after.open_places
        if not self.after.is_open or after is None or after == 0:
            return False
        before = self.before.open_places
        return before is None or after > before

    @property
    def changed(self) -> bool:
        return (self.before.is_open, self.before.open_places) != (
            self.after.is_open,
            self.after.open_places,
        )


class PlacesError(ValueError):
    """A typed number of places that is not a whole number in 0..MAX_PLACES."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code  # "not_a_number" | "out_of_range"


def parse_places(text: str) -> int:
    cleaned = text.strip()
    if not _NUMBER_RE.fullmatch(cleaned):
        raise PlacesError("not_a_number")
    if len(cleaned) > 6:  # a huge number: no need to convert it
        raise PlacesError("out_of_range")
    places = int(cleaned)
    if not 0 <= places <= MAX_PLACES:
        raise PlacesError("out_of_range")
    return places


VacancyHook = Callable[[AsyncSession, VacancyChange], Awaitable[None]]


class VacancyBoard:
    """The open/closed state and places of every position, cached in memory."""

    def __init__(self) -> None:
        self._states: dict[int, Vacancy] = {}
        self._loaded = False
        self._lock = asyncio.Lock()
        # Called after every committed change, in order (vacancy announcements register
        # here: bot/sending/announcer.py). A failing hook is logged; HR's change stands.
        self.on_change: list[VacancyHook] = []

    async def refresh(self, session: AsyncSession) -> None:
        """(Re)load every row from the database."""
        rows = (await session.scalars(select(VacancyState))).all()
        self._states = {
            row.position_number: Vacancy(
                is_open=row.is_open,
                open_places=row.open_places,
                updated_by=row.updated_by,
                updated_at=row.updated_at,
            )
            for row in rows
        }
        self._loaded = True

    async def _ensure_loaded(self, session: AsyncSession) -> None:
        if self._loaded:
            return
        async with self._lock:
            if not self._loaded:
                await self.refresh(session)

    async def closed(self, session: AsyncSession) -> frozenset[int]:
        """Numbers of the closed positions."""
        await self._ensure_loaded(session)
        return frozenset(n for n, v in self._states.items() if not v.is_open)

    async def get(self, session: AsyncSession, number: int) -> Vacancy:
        await self._ensure_loaded(session)
        return self._states.get(number, OPEN)

    async def is_open(self, session: AsyncSession, number: int) -> bool:
        return (await self.get(session, number)).is_open

    async def open_numbers(self, session: AsyncSession, numbers: Iterable[int]) -> frozenset[int]:
        """Those of ``numbers`` that are open."""
        closed = await self.closed(session)
        return frozenset(n for n in numbers if n not in closed)

    async def set_state(
        self,
        session: AsyncSession,
        number: int,
        *,
        updated_by: int | None,
        is_open: bool | None = None,
        open_places: int | Unchanged | None = UNCHANGED,
    ) -> VacancyChange:
        """Open/close a position and/or set its places; commit; say what changed.

        ``is_open=None`` and ``open_places=UNCHANGED`` leave that part as it is;
        ``open_places=None`` makes the places «not said».
        """
        if isinstance(open_places, int) and not 0 <= open_places <= MAX_PLACES:
            raise PlacesError("out_of_range")
        await self._ensure_loaded(session)
        row = await session.get(VacancyState, number)
        before = (
            OPEN
            if row is None
            else Vacancy(row.is_open, row.open_places, row.updated_by, row.updated_at)
        )
        if row is None:
            row = VacancyState(position_number=number, is_open=True, open_places=None)
            session.add(row)
        if is_open is not None:
            row.is_open = is_open
        if not isinstance(open_places, Unchanged):
            row.open_places = open_places
        row.updated_by = updated_by
        row.updated_at = utcnow()
        after = Vacancy(row.is_open, row.open_places, row.updated_by, row.updated_at)
        await session.commit()
        self._states[number] = after
        change = VacancyChange(number=number, before=before, after=after)
        for hook in self.on_change:
            try:
                await hook(session, change)
            except Exception as exc:  # an announcement failed: never HR's change
                log.error("vacancy hook failed for position %d: %s", number, type(exc).__name__)
        return change
