"""Hiring funnel events: what HR's /stats counts."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import write_buffer
from bot.db.models import FunnelEvent, utcnow


class Step(StrEnum):
    started = "started"
    viewed_position = "viewed_position"
    started_questionnaire = "started_questionnaire"
    finished_questionnaire = "finished_questionnaire"
    met_criteria = "met_criteria"
    applied = "applied"
    shortlisted = "shortlisted"
    invited = "invited"
    # After «Invite» (bot.services.bookings): booked a stage's slot, came to it, passed a
    # stage, hired.
    booked = "booked"
    attended = "attended"
    stage_passed = "stage_passed"
    hired = "hired"


FUNNEL: tuple[Step, ...] = tuple(Step)


async def record(
    session: AsyncSession,
    step: Step,
    user_id: int | None,
    position_number: int | None = None,
    department: str | None = None,
    *,
    commit: bool = True,
) -> None:
    """Record a step. ``commit=False``: part of the caller's transaction (the caller
    commits). A standalone event (``commit=True``) of an update being handled is written
    with that update's conversation state, in its one commit (``bot.db.write_buffer``);
    outside an update it is committed at once."""
    values = {
        "kind": step.value,
        "user_id": user_id,
        "position_number": position_number,
        "department": department,
        "created_at": utcnow(),
    }
    rows = write_buffer.pending_rows() if commit else None
    if rows is not None:
        rows.append(values)
        return
    session.add(FunnelEvent(**values))
    if commit:
        await session.commit()
