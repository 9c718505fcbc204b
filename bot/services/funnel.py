"""Hiring funnel events: what HR's /stats counts."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import FunnelEvent


class Step(StrEnum):
    started = "started"
    viewed_position = "viewed_position"
    started_questionnaire = "started_questionnaire"
    finished_questionnaire = "finished_questionnaire"
    met_criteria = "met_criteria"
    applied = "applied"
    shortlisted = "shortlisted"
    invited = "invited"


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
    session.add(
        FunnelEvent(
            kind=step.value,
            user_id=user_id,
            position_number=position_number,
            department=department,
        )
    )
    if commit:
        await session.commit()
