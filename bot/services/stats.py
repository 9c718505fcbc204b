"""HR's /stats: the hiring funnel, counted in distinct people per step. Plain Python.

A person counts once per step and period (or department), however many times they did it:
the period holds the person when their last event of that step is in it (a period always
runs from its start to now). Events whose person asked for deletion (``user_id`` set to
NULL) still count, one each: that is what keeps the historical counts when personal data
is erased.

The counts come from pre-aggregates kept in step with ``funnel_events`` by database
triggers (migration 0005): ``funnel_people`` holds each person's last time per step, overall
and per department, ``funnel_days`` how many of those fall on each UTC day (as +1/-1 rows,
folded nightly by :func:`fold_days`). Distinct people
of a period cannot be summed from daily distinct counts (a person active on two days would
count twice); last times can: each person's step is on exactly one day. So a period is the
sum over its whole days plus the ``funnel_people`` rows of its partial first day, whatever
its length (:func:`funnel_from_events` counts the same from the raw events).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, case, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    Application,
    FunnelDay,
    FunnelEvent,
    FunnelPerson,
    HiringStage,
    PersonSource,
    StageResult,
    StageResultKind,
    utcnow,
)
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
    """Distinct known people, plus one for each event of an erased person (from the raw
    events: the reference the pre-aggregates are checked against)."""
    erased = func.sum(case((FunnelEvent.user_id.is_(None), 1), else_=0))
    total: ColumnElement[int] = func.count(func.distinct(FunnelEvent.user_id)) + func.coalesce(
        erased, 0
    )
    return total


# The overall funnel's rows in ``funnel_people``/``funnel_days``; the others are departments.
ALL_DEPARTMENTS = ""


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def _counts(
    session: AsyncSession, since: datetime | None, department: str | None
) -> dict[tuple[str, str], int]:
    """Distinct people per (department, step) with an event at ``since`` or later.

    A person counts in the period when their LAST event of the step is in it, so the count
    is the ``funnel_people`` rows from ``since`` on: the whole days from the pre-aggregated
    ``funnel_days`` (led by the day), plus the rows of the partial first day (by
    ``last_at``). ``department``: ``ALL_DEPARTMENTS`` for the overall funnel, a department
    id for one, None for every department (not the overall rows).
    """
    d, p = FunnelDay.__table__.c, FunnelPerson.__table__.c
    days = select(d.department, d.kind, func.sum(d.people)).group_by(d.department, d.kind)
    edge = None
    if since is not None:
        since = _utc(since)
        first_day = since.date() + timedelta(days=1)
        days = days.where(d.day >= first_day)
        first_day_start = datetime.combine(first_day, time(), tzinfo=UTC)
        edge = (
            select(p.department, p.kind, func.count())
            .where(p.last_at >= since, p.last_at < first_day_start)
            .group_by(p.department, p.kind)
        )
    if department is None:
        days = days.where(d.department != ALL_DEPARTMENTS)
        edge = None if edge is None else edge.where(p.department != ALL_DEPARTMENTS)
    else:
        days = days.where(d.department == department)
        edge = None if edge is None else edge.where(p.department == department)
    found: dict[tuple[str, str], int] = {}
    for query in (days, edge):
        if query is None:
            continue
        for dept, kind, count in (await session.execute(query)).all():
            found[(dept, kind)] = found.get((dept, kind), 0) + int(count or 0)
    return found


async def funnel(
    session: AsyncSession,
    period: Period,
    *,
    department: str | None = None,
    now: datetime | None = None,
) -> FunnelReport:
    """Distinct people per funnel step in the period (optionally in one department)."""
    since = period_start(period, now)
    scope = ALL_DEPARTMENTS if department is None else department
    found = await _counts(session, since, scope)
    counts = {Step(k): n for (_, k), n in found.items() if k in Step.__members__}
    steps = DEPARTMENT_STEPS if department is not None else FUNNEL
    return FunnelReport(period=period, steps=build_steps(counts, steps))


async def funnel_from_events(
    session: AsyncSession,
    period: Period,
    *,
    department: str | None = None,
    now: datetime | None = None,
) -> FunnelReport:
    """:func:`funnel` counted from the raw events (linear in them): the reference for tests
    and the benchmark's baseline."""
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
    found: dict[str, dict[Step, int]] = {}
    for (department, kind), count in (
        await _counts(session, period_start(period, now), None)
    ).items():
        if kind in Step.__members__:
            found.setdefault(department, {})[Step(kind)] = count
    return [
        DepartmentFunnel(
            department=d, counts={s: found.get(d, {}).get(s, 0) for s in DEPARTMENT_STEPS}
        )
        for d in departments
    ]


async def fold_days(session: AsyncSession) -> int:
    """Fold each day's +1/-1 rows of ``funnel_days`` into one (committed); returns how
    many rows went. The counts do not change: rows appended meanwhile are left for the
    next time. Run nightly (``bot.services.maintenance``); /stats is right without it,
    only slower as rows pile up."""
    several = (
        "SELECT day, kind, department FROM funnel_days {where} "
        "GROUP BY day, kind, department HAVING count(*) > 1"
    )
    if session.get_bind().dialect.name == "postgresql":
        # One statement, one snapshot: the rows summed are exactly the rows deleted.
        result = await session.execute(
            text(
                "WITH gone AS (DELETE FROM funnel_days WHERE (day, kind, department) IN ("
                f"{several.format(where='')}) RETURNING day, kind, department, people), "
                "folded AS (INSERT INTO funnel_days (day, kind, department, people) "
                "SELECT day, kind, department, sum(people) FROM gone "
                "GROUP BY day, kind, department HAVING sum(people) <> 0) "
                "SELECT count(*) FROM gone"
            )
        )
        removed = int(result.scalar() or 0)
    else:
        # The write lock first (SQLite has one writer): nothing is appended meanwhile.
        await session.execute(text("DELETE FROM funnel_days WHERE id < 0"))
        last = await session.scalar(text("SELECT max(id) FROM funnel_days"))
        where = "WHERE id <= :last"
        await session.execute(
            text(
                "INSERT INTO funnel_days (day, kind, department, people) "
                f"SELECT day, kind, department, sum(people) FROM funnel_days {where} "
                "GROUP BY day, kind, department HAVING count(*) > 1 AND sum(people) <> 0"
            ),
            {"last": last or 0},
        )
        result = await session.execute(
            text(
                f"DELETE FROM funnel_days {where} AND (day, kind, department) IN ("
                f"{several.format(where=where)})"
            ),
            {"last": last or 0},
        )
        removed = int(getattr(result, "rowcount", 0) or 0)
    await session.commit()
    return removed


# --------------------------------------------------------------------------- by source

# The person's first source (``person_sources``); people without one are counted under "".
NO_SOURCE = ""
SOURCE_STEPS: tuple[Step, ...] = (
    Step.started,
    Step.applied,
    Step.invited,
    Step.booked,
    Step.attended,
    Step.hired,
)


@dataclass(frozen=True, slots=True)
class StageInfo:
    id: int
    code: str
    name_kk: str | None
    name_ru: str | None


@dataclass(frozen=True, slots=True)
class SourceFunnel:
    source: str  # NO_SOURCE: none
    counts: Mapping[Step, int]
    passed: Mapping[int, int]  # stage id → people who passed it
    median_days_to_hire: float | None  # applied → hired


@dataclass(frozen=True, slots=True)
class SourceReport:
    period: Period
    rows: tuple[SourceFunnel, ...]  # most «started» first, «no source» last
    stages: tuple[StageInfo, ...]  # the stages someone passed, in chain order
    median_days_to_hire: float | None  # over every source


def _median_days(spans: list[float]) -> float | None:
    return round(statistics.median(spans), 1) if spans else None


async def by_source(
    session: AsyncSession, period: Period, *, now: datetime | None = None
) -> SourceReport:
    """Distinct people per step and source in the period (linear in the period's events:
    only on HR's request), who passed each stage, and the median days from the application
    to «hired». A person erased by /delete_me loses their source: their events count under
    «no source» (one each)."""
    since = period_start(period, now)
    source = func.coalesce(PersonSource.source, NO_SOURCE)
    events = (
        select(source, FunnelEvent.kind, _people())
        .select_from(FunnelEvent)
        .outerjoin(PersonSource, PersonSource.user_id == FunnelEvent.user_id)
        .where(FunnelEvent.kind.in_([s.value for s in SOURCE_STEPS]))
        .group_by(source, FunnelEvent.kind)
    )
    passes = (
        select(source, StageResult.stage_id, func.count(func.distinct(Application.user_id)))
        .select_from(StageResult)
        .join(Application, Application.id == StageResult.application_id)
        .outerjoin(PersonSource, PersonSource.user_id == Application.user_id)
        .where(StageResult.result == StageResultKind.passed.value)
        .group_by(source, StageResult.stage_id)
    )
    hires = (
        select(source, Application.created_at, Application.hired_at)
        .select_from(Application)
        .outerjoin(PersonSource, PersonSource.user_id == Application.user_id)
        .where(Application.hired_at.is_not(None))
    )
    if since is not None:
        events = events.where(FunnelEvent.created_at >= since)
        passes = passes.where(StageResult.decided_at >= since)
        hires = hires.where(Application.hired_at >= since)
    counts: dict[str, dict[Step, int]] = {}
    for code, kind, people in (await session.execute(events)).all():
        counts.setdefault(code, {})[Step(kind)] = int(people or 0)
    passed: dict[str, dict[int, int]] = {}
    for code, stage_id, people in (await session.execute(passes)).all():
        passed.setdefault(code, {})[int(stage_id)] = int(people or 0)
    spans: dict[str, list[float]] = {}
    for code, applied_at, hired_at in (await session.execute(hires)).all():
        if hired_at is None:
            continue
        days = (_utc(hired_at) - _utc(applied_at)).total_seconds() / 86400
        spans.setdefault(code, []).append(max(days, 0.0))
    codes = set(counts) | set(passed) | set(spans)
    rows = [
        SourceFunnel(
            source=code,
            counts={s: counts.get(code, {}).get(s, 0) for s in SOURCE_STEPS},
            passed=passed.get(code, {}),
            median_days_to_hire=_median_days(spans.get(code, [])),
        )
        for code in codes
    ]
    rows.sort(key=lambda r: (r.source == NO_SOURCE, -r.counts[Step.started], r.source))
    stage_ids = {i for code in passed.values() for i in code}
    stages: list[StageInfo] = []
    if stage_ids:
        found = await session.scalars(
            select(HiringStage)
            .where(HiringStage.id.in_(stage_ids))
            .order_by(HiringStage.seq, HiringStage.id)
        )
        stages = [StageInfo(st.id, st.code, st.name_kk, st.name_ru) for st in found]
    every = [d for days in spans.values() for d in days]
    return SourceReport(
        period=period,
        rows=tuple(rows),
        stages=tuple(stages),
        median_days_to_hire=_median_days(every),
    )
