"""Hiring stages in the database: the chain an application follows, and HR's edits.

Plain Python (no aiogram). A chain belongs to a position, a department or everyone (both
NULL); an application follows its position's chain if it has one, else its department's,
else the global one (interview → fitness test → medical commission, seeded by migration
0006). Each edit is one transaction and commits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum, StrEnum
from typing import Literal

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Application, HiringStage
from bot.scheduling.stages import (
    DEFAULT_CHAIN,
    DEFAULT_CUTOFF_HOURS,
    Localized,
    LocalizedList,
    Stage,
    StageCode,
    StageError,
    check_stage,
)

log = logging.getLogger(__name__)


class _Keep(Enum):
    KEEP = "keep"


# update_stage(): leave this field as it is (None resets a name or checklist to the default).
KEEP: Literal[_Keep.KEEP] = _Keep.KEEP


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose chain: a position, a department, or everyone (both None)."""

    department: str | None = None
    position_number: int | None = None

    def __post_init__(self) -> None:
        if self.department is not None and self.position_number is not None:
            raise ValueError("a chain belongs to a position or a department, not both")


GLOBAL = Scope()


class EditOutcome(StrEnum):
    done = "done"
    not_found = "not_found"  # no such stage, or archived
    invalid = "invalid"  # see ``errors``
    edge = "edge"  # move_stage: already first / last


@dataclass(frozen=True, slots=True)
class EditResult:
    outcome: EditOutcome
    stage: HiringStage | None = None
    errors: tuple[StageError, ...] = ()


def model_of(row: HiringStage) -> Stage:
    """The stage as the pure model sees it (names and checklists as HR set them)."""
    name = (
        Localized(row.name_kk, row.name_ru)
        if row.name_kk is not None and row.name_ru is not None
        else None
    )
    checklist = (
        LocalizedList(tuple(row.checklist_kk), tuple(row.checklist_ru))
        if row.checklist_kk is not None and row.checklist_ru is not None
        else None
    )
    return Stage(StageCode(row.code), row.seq, name, checklist, row.cutoff_hours)


def _in_scope(scope: Scope) -> ColumnElement[bool]:
    return and_(
        HiringStage.department.is_(None)
        if scope.department is None
        else HiringStage.department == scope.department,
        HiringStage.position_number.is_(None)
        if scope.position_number is None
        else HiringStage.position_number == scope.position_number,
    )


async def scope_chain(session: AsyncSession, scope: Scope = GLOBAL) -> list[HiringStage]:
    """The active stages of exactly this scope, in order (empty: the scope has no chain)."""
    rows = await session.scalars(
        select(HiringStage)
        .where(_in_scope(scope), HiringStage.archived_at.is_(None))
        .order_by(HiringStage.seq, HiringStage.id)
        .execution_options(populate_existing=True)
    )
    return list(rows)


async def chain(
    session: AsyncSession, *, department: str, position_number: int
) -> list[HiringStage]:
    """The chain an application to this position follows, in order."""
    rows = list(
        await session.scalars(
            select(HiringStage)
            .where(
                HiringStage.archived_at.is_(None),
                or_(
                    HiringStage.position_number == position_number,
                    and_(
                        HiringStage.position_number.is_(None),
                        or_(
                            HiringStage.department == department,
                            HiringStage.department.is_(None),
                        ),
                    ),
                ),
            )
            .order_by(HiringStage.seq, HiringStage.id)
            .execution_options(populate_existing=True)
        )
    )
    for picks in (
        [r for r in rows if r.position_number == position_number],
        [r for r in rows if r.position_number is None and r.department == department],
        [r for r in rows if r.position_number is None and r.department is None],
    ):
        if picks:
            return picks
    return []


async def chain_for(session: AsyncSession, application: Application) -> list[HiringStage]:
    return await chain(
        session, department=application.department, position_number=application.position_number
    )


async def get(session: AsyncSession, stage_id: int) -> HiringStage | None:
    return await session.get(HiringStage, stage_id, populate_existing=True)


async def ensure_default_chain(
    session: AsyncSession, *, now: datetime | None = None
) -> list[HiringStage]:
    """The global chain; the default one is created when there is none (all archived, or a
    database made without migration 0006's seed). Commits when it creates."""
    found = await scope_chain(session, GLOBAL)
    if found:
        return found
    now = now or datetime.now(UTC)
    for seq, code in enumerate(DEFAULT_CHAIN, start=1):
        session.add(
            HiringStage(
                seq=seq,
                code=code.value,
                cutoff_hours=DEFAULT_CUTOFF_HOURS,
                created_at=now,
                updated_at=now,
            )
        )
    await session.commit()
    log.info("The default hiring chain was created")
    return await scope_chain(session, GLOBAL)


async def add_stage(
    session: AsyncSession,
    *,
    code: StageCode = StageCode.custom,
    name: Localized | None = None,
    checklist: LocalizedList | None = None,
    cutoff_hours: int = DEFAULT_CUTOFF_HOURS,
    scope: Scope = GLOBAL,
    by: int,
    now: datetime | None = None,
) -> EditResult:
    """Append a stage to the end of the scope's chain; commits."""
    errors = check_stage(code, name, checklist, cutoff_hours)
    if errors:
        return EditResult(EditOutcome.invalid, errors=tuple(errors))
    now = now or datetime.now(UTC)
    last = await session.scalar(
        select(func.max(HiringStage.seq)).where(_in_scope(scope), HiringStage.archived_at.is_(None))
    )
    stage = HiringStage(
        department=scope.department,
        position_number=scope.position_number,
        seq=(last or 0) + 1,
        code=code.value,
        name_kk=name.kk.strip() if name else None,
        name_ru=name.ru.strip() if name else None,
        checklist_kk=list(checklist.kk) if checklist else None,
        checklist_ru=list(checklist.ru) if checklist else None,
        cutoff_hours=cutoff_hours,
        updated_by=by,
        created_at=now,
        updated_at=now,
    )
    session.add(stage)
    await session.commit()
    log.info("Hiring stage %s added (%s)", stage.id, code.value)
    return EditResult(EditOutcome.done, stage)


async def update_stage(
    session: AsyncSession,
    stage_id: int,
    *,
    name: Localized | Literal[_Keep.KEEP] | None = KEEP,
    checklist: LocalizedList | Literal[_Keep.KEEP] | None = KEEP,
    cutoff_hours: int | Literal[_Keep.KEEP] = KEEP,
    by: int,
    now: datetime | None = None,
) -> EditResult:
    """Change a stage's names, checklist or cut-off (None: back to the default texts);
    commits. Bookings already made keep their slot; a new cut-off applies to every
    reschedule from now on."""
    stage = await get(session, stage_id)
    if stage is None or stage.archived_at is not None:
        return EditResult(EditOutcome.not_found)
    current = model_of(stage)
    new_name = current.name if name is KEEP else name
    new_checklist = current.checklist if checklist is KEEP else checklist
    new_cutoff = current.cutoff_hours if cutoff_hours is KEEP else cutoff_hours
    errors = check_stage(current.code, new_name, new_checklist, new_cutoff)
    if errors:
        return EditResult(EditOutcome.invalid, stage, tuple(errors))
    stage.name_kk = new_name.kk.strip() if new_name else None
    stage.name_ru = new_name.ru.strip() if new_name else None
    stage.checklist_kk = list(new_checklist.kk) if new_checklist else None
    stage.checklist_ru = list(new_checklist.ru) if new_checklist else None
    stage.cutoff_hours = new_cutoff
    stage.updated_by = by
    stage.updated_at = now or datetime.now(UTC)
    await session.commit()
    return EditResult(EditOutcome.done, stage)


async def archive_stage(
    session: AsyncSession, stage_id: int, *, by: int, now: datetime | None = None
) -> EditResult:
    """Take a stage out of its chain (its slots, bookings and results stay); commits.
    Candidates at it finish it; the next stage is then the next one of the chain."""
    stage = await get(session, stage_id)
    if stage is None or stage.archived_at is not None:
        return EditResult(EditOutcome.not_found)
    now = now or datetime.now(UTC)
    stage.archived_at = now
    stage.updated_by = by
    stage.updated_at = now
    await session.commit()
    return EditResult(EditOutcome.done, stage)


async def move_stage(
    session: AsyncSession, stage_id: int, *, up: bool, by: int, now: datetime | None = None
) -> EditResult:
    """Swap a stage with its neighbour in the chain (earlier when ``up``); commits."""
    stage = await get(session, stage_id)
    if stage is None or stage.archived_at is not None:
        return EditResult(EditOutcome.not_found)
    rows = await scope_chain(session, Scope(stage.department, stage.position_number))
    index = next(i for i, row in enumerate(rows) if row.id == stage.id)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(rows):
        return EditResult(EditOutcome.edge, stage)
    now = now or datetime.now(UTC)
    neighbour = rows[other]
    stage.seq, neighbour.seq = neighbour.seq, stage.seq
    if stage.seq == neighbour.seq:  # equal seqs (never written by this module): separate
        stage.seq += -1 if up else 1
    for row in (stage, neighbour):
        row.updated_by = by
        row.updated_at = now
    await session.commit()
    return EditResult(EditOutcome.done, stage)


async def customize(
    session: AsyncSession,
    scope: Scope,
    *,
    position_department: str | None = None,
    by: int,
    now: datetime | None = None,
) -> list[HiringStage]:
    """Give a position or department a chain of its own, a copy of the one it follows now
    (so HR can edit it without touching the others); commits. A position's current chain
    is its department's (``position_department``) if that has one, else the global one. An
    existing chain of the scope is returned as it is."""
    if scope == GLOBAL:
        return await ensure_default_chain(session, now=now)
    found = await scope_chain(session, scope)
    if found:
        return found
    now = now or datetime.now(UTC)
    source: list[HiringStage] = []
    if scope.position_number is not None and position_department is not None:
        source = await scope_chain(session, Scope(department=position_department))
    if not source:
        source = await scope_chain(session, GLOBAL)
    for seq, row in enumerate(source, start=1):
        session.add(
            HiringStage(
                department=scope.department,
                position_number=scope.position_number,
                seq=seq,
                code=row.code,
                name_kk=row.name_kk,
                name_ru=row.name_ru,
                checklist_kk=row.checklist_kk,
                checklist_ru=row.checklist_ru,
                cutoff_hours=row.cutoff_hours,
                updated_by=by,
                created_at=now,
                updated_at=now,
            )
        )
    await session.commit()
    return await scope_chain(session, scope)
