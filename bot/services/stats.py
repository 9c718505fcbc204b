"""HR's /stats: the hiring funnel, counted in distinct people per step. Plain Python.

A person counts once per step and period (or department), however many times they did it.
Events whose person asked for deletion (``user_id`` set to NULL) still count, one each:
that is what keeps the historical counts when personal data is erased.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import FunnelEvent, utcnow
from bot.services.funnel import FUNNEL, Step

# The steps that carry a position (so a department): everything after «started».
DEPARTMENT_STEPS: tuple[Step, ...] = tuple(s for s in FUNNEL if s is not Step.started)


class Period(StrEnum):
    week = "7"
    month = "30"
    all = "all"


PERIOD_DAYS: dict[Period, int | None] = {Period.week: 7, Period.month: 30, Period.all: None}


def period_start(period: Period, now: datetime | None = None) -> datetime | None:
    """The earliest moment the period includes, or None for all time."""
    days = PERIOD_DAYS[period]
    if days is None:
        return None
    return (now or utcnow()) - timedelta(days=days)


@dataclass(frozen=True, slots=True)
class StepCount:
    step: Step
    people: int
    # Percent of the previous step's people; None for the first step or after a zero.
    of_previous: float | None


@dataclass(frozen=True, slots=True)
class FunnelReport:
    period: Period
    steps: tuple[StepCount, ...]

    def count(self, step: Step) -> int:
        return next(s.people for s in self.steps if s.step is step)


@dataclass(frozen=True, slots=True)
class DepartmentFunnel:
    department: str
    counts: Mapping[Step, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def build_steps(
    counts: Mapping[Step, int], steps: Iterable[Step] = FUNNEL
) -> tuple[StepCount, ...]:
    out: list[StepCount] = []
    previous: int | None = None
    for step in steps:
        people = counts.get(step, 0)
        share = None if not previous else round(100 * people / previous, 1)
        out.append(StepCount(step=step, people=people, of_previous=share))
        previous = people
    return tuple(out)


def _people() -> ColumnElement[int]:
    """Distinct known people, plus one for each event of an erased person."""
    erased = func.sum(case((FunnelEvent.user_id.is_(None), 1), else_=0))
    total: ColumnElement[int] = func.count(func.distinct(FunnelEvent.user_id)) + func.coalesce(
        erased, 0
    )
    return total


async def funnel(
    session: AsyncSession,
    period: Period,
    *,
    department: str | None = None,
    now: datetime | None = None,
) -> FunnelReport:
    """Distinct people per funnel step in the period (optionally in one department)."""
    people = _people()
    query = select(FunnelEvent.kind, people).group_by(FunnelEvent.kind)
    since = period_start(period, now)
    if since is not None:
        query = query.where(FunnelEvent.created_at >= since)
    if department is not None:
        query = query.where(FunnelEvent.department == department)
    counts: dict[Step, int] = {}
    for kind, count in (await session.execute(query)).all():
        if kind in Step.__members__:
            counts[Step(kind)] = int(count)
    steps = DEPARTMENT_STEPS if department is not None else FUNNEL
    return FunnelReport(period=period, steps=build_steps(counts, steps))


async def by_department(
    session: AsyncSession,
    period: Period,
    departments: Iterable[str],
    *,
    now: datetime | None = None,
) -> list[DepartmentFunnel]:
    """Distinct people per step for each department, in the given (catalogue) order.

    Events of departments not in the list (say, a renamed one) are left out.
    """
    people = _people()
    query = (
        select(FunnelEvent.department, FunnelEvent.kind, people)
        .where(FunnelEvent.department.is_not(None))
        .group_by(FunnelEvent.department, FunnelEvent.kind)
    )
    since = period_start(period, now)
    if since is not None:
        query = query.where(FunnelEvent.created_at >= since)
    found: dict[str, dict[Step, int]] = {}
    for department, kind, count in (await session.execute(query)).all():
        if department is not None and kind in Step.__members__:
            found.setdefault(department, {})[Step(kind)] = int(count)
    return [
        DepartmentFunnel(
            department=d, counts={s: found.get(d, {}).get(s, 0) for s in DEPARTMENT_STEPS}
        )
        for d in departments
    ]
