"""Automatic vacancy announcements: when they may go out, and the vacancy board as the
jobs see it. Plain Python; their texts are ``bot.rendering.announcements``'s.

* :func:`next_allowed_time` — quiet hours (``QUIET_HOURS``, default 22:00–08:00 Almaty):
  an automatic announcement due in them waits for their end. HR's «send now» is not held.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import VacancyState

TIMEZONE: Final = ZoneInfo("Asia/Almaty")
QUIET_START: Final = time(22, 0)
QUIET_END: Final = time(8, 0)
_QUIET_RE: Final = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")


# --- quiet hours ----------------------------------------------------------------------------


def parse_quiet_hours(value: str) -> tuple[time, time] | None:
    """``"22:00-08:00"`` → (22:00, 08:00); ``""`` (or an empty window) → None: never quiet."""
    match = _QUIET_RE.fullmatch(value.strip())
    if match is None:
        return None
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = time(h1, m1), time(h2, m2)
    return None if start == end else (start, end)


def in_quiet_hours(local: time, quiet_start: time, quiet_end: time) -> bool:
    if quiet_start == quiet_end:
        return False
    if quiet_start < quiet_end:  # e.g. 13:00-14:00
        return quiet_start <= local < quiet_end
    return local >= quiet_start or local < quiet_end  # across midnight: 22:00-08:00


def next_allowed_time(
    now: datetime,
    quiet_start: time = QUIET_START,
    quiet_end: time = QUIET_END,
    tz: ZoneInfo = TIMEZONE,
) -> datetime:
    """``now`` when it is outside the quiet hours (in ``tz``); otherwise when they end."""
    local = now.astimezone(tz)
    if not in_quiet_hours(local.time().replace(tzinfo=None), quiet_start, quiet_end):
        return now
    end = datetime.combine(local.date(), quiet_end, tzinfo=tz)
    if end <= local:
        end += timedelta(days=1)
    return end


# --- the vacancy board as the jobs see it ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class BoardSnapshot:
    closed: frozenset[int]
    places: dict[int, int | None]


async def board_snapshot(session: AsyncSession) -> BoardSnapshot:
    """Closed positions and places said, from ``vacancy_states`` (no row: open, not said)."""
    rows = (await session.scalars(select(VacancyState))).all()
    return BoardSnapshot(
        closed=frozenset(r.position_number for r in rows if not r.is_open),
        places={r.position_number: r.open_places for r in rows if r.is_open},
    )


async def still_open(session: AsyncSession, number: int) -> bool:
    row = await session.get(VacancyState, number, populate_existing=True)
    return row is None or row.is_open
