"""HR decisions on applications: shortlist, invite, reject. Plain Python, no aiogram.

A decision is one conditional UPDATE (``WHERE status = <the status the officer's card
showed>``, a status the decision may follow, and the application is not deleted),
committed together with the applicant's notification (an outbox row of kind
``applicant_status``) and the funnel step. Two officers pressing at once on one card
(«Invite» and «Reject»): the database lets one UPDATE match, the other matches no row.
A second press, a stale button or a decision on a withdrawn/deleted application changes
nothing either: the caller gets the current state (and who decided it) to show.

Who may decide (HR membership) is checked before: ``bot.filters``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.db.models import Application, ApplicationStatus, OutboxMessage
from bot.services import funnel, outbox
from bot.services.funnel import Step

S = ApplicationStatus

# Which statuses each decision may follow.
TRANSITIONS: Mapping[ApplicationStatus, frozenset[ApplicationStatus]] = {
    S.shortlisted: frozenset({S.new}),
    S.invited: frozenset({S.new, S.shortlisted}),
    S.rejected: frozenset({S.new, S.shortlisted, S.invited}),
}
FUNNEL_STEPS: Mapping[ApplicationStatus, Step] = {
    S.shortlisted: Step.shortlisted,
    S.invited: Step.invited,
}
REJECT_REASONS: tuple[str, ...] = ("not_qualified", "position_filled", "no_response", "other")
MAX_NAME = 64


class Outcome(StrEnum):
    done = "done"
    not_found = "not_found"  # no such application (forged button)
    deleted = "deleted"  # the applicant's data was deleted
    withdrawn = "withdrawn"
    same = "same"  # already in the wanted status
    conflict = "conflict"  # decided since the card was shown (another officer, a 2nd press)
    not_allowed = "not_allowed"  # the current status does not allow it (forged button)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    status: str
    reason: str | None
    decided_by: int | None
    decided_by_name: str
    decided_at: datetime | None


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome
    application: Application | None
    # conflict: the decision that came first (None when the history does not tell)
    earlier: HistoryEntry | None = None


def is_admin(settings: Settings, user_id: int) -> bool:
    return user_id in settings.admin_ids


def is_deleted(application: Application) -> bool:
    return application.user_id is None or application.anonymized_at is not None


def possible_decisions(application: Application) -> list[ApplicationStatus]:
    """The decisions that still make sense for the application, in button order."""
    if is_deleted(application):
        return []
    current = ApplicationStatus(application.status)
    return [target for target, sources in TRANSITIONS.items() if current in sources]


async def get_application(session: AsyncSession, application_id: int) -> Application | None:
    return await session.get(Application, application_id, populate_existing=True)


def _sources(target: ApplicationStatus, expected: ApplicationStatus | None) -> list[str]:
    """The statuses the decision may follow now: the one the card showed, if allowed."""
    allowed = TRANSITIONS[target]
    if expected is None:
        return [s.value for s in allowed]
    return [expected.value] if expected in allowed else []


async def _refused(
    session: AsyncSession,
    application: Application | None,
    target: ApplicationStatus,
    expected: ApplicationStatus | None,
) -> Decision:
    """Why nothing was decided: the application's state now."""
    if application is None:
        return Decision(Outcome.not_found, None)
    if is_deleted(application):
        return Decision(Outcome.deleted, application)
    if application.status == S.withdrawn:
        return Decision(Outcome.withdrawn, application)
    if expected is not None and application.status != expected:
        decisions = await history(session, application.id)
        earlier = (
            decisions[-1] if decisions and decisions[-1].status == application.status else None
        )
        return Decision(Outcome.conflict, application, earlier)
    if application.status == target:
        return Decision(Outcome.same, application)
    return Decision(Outcome.not_allowed, application)


async def check(
    session: AsyncSession,
    application_id: int,
    target: ApplicationStatus,
    expected: ApplicationStatus | None = None,
) -> Decision:
    """Whether ``target`` may be decided now (for the reject-reason menu), changing nothing.

    ``expected``: the status the officer's card showed (None: any it may follow).
    """
    application = await get_application(session, application_id)
    if (
        application is not None
        and not is_deleted(application)
        and application.status in _sources(target, expected)
    ):
        return Decision(Outcome.done, application)
    return await _refused(session, application, target, expected)


async def decide(
    session: AsyncSession,
    application_id: int,
    target: ApplicationStatus,
    *,
    hr_user_id: int,
    hr_name: str,
    reason: str | None = None,
    expected: ApplicationStatus | None = None,
    now: datetime | None = None,
) -> Decision:
    """Record the decision, queue the applicant's notification and the funnel step.

    All or nothing, once: the UPDATE only matches while the status is ``expected`` (the
    one the officer's card showed; None: any the decision may follow) and allows it.
    """
    if target not in TRANSITIONS:
        raise ValueError(f"not a decision: {target}")
    if target == S.rejected:
        if reason not in REJECT_REASONS:
            raise ValueError(f"unknown reject reason: {reason}")
    else:
        reason = None
    now = now or datetime.now(UTC)
    result = await session.execute(
        update(Application)
        .where(
            Application.id == application_id,
            Application.status.in_(_sources(target, expected)),
            Application.user_id.is_not(None),
            Application.anonymized_at.is_(None),
        )
        .values(
            status=target.value,
            decided_by=hr_user_id,
            decided_at=now,
            reject_reason=reason,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        await session.rollback()
        return await _refused(
            session, await get_application(session, application_id), target, expected
        )
    application = await get_application(session, application_id)
    assert application is not None
    payload: dict[str, Any] = {
        "status": target.value,
        "reason": reason,
        "decided_by": hr_user_id,
        "decided_by_name": hr_name[:MAX_NAME],
        "decided_at": now.isoformat(),
    }
    outbox.enqueue(session, outbox.APPLICANT_STATUS, application.id, payload, now=now)
    step = FUNNEL_STEPS.get(target)
    if step is not None:
        await funnel.record(
            session,
            step,
            application.user_id,
            application.position_number,
            application.department,
            commit=False,
        )
    await session.commit()
    return Decision(Outcome.done, application)


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


async def history(session: AsyncSession, application_id: int) -> list[HistoryEntry]:
    """Every decision on the application, oldest first (from the notifications queued)."""
    rows = await session.scalars(
        select(OutboxMessage.payload)
        .where(
            OutboxMessage.application_id == application_id,
            OutboxMessage.kind == outbox.APPLICANT_STATUS,
        )
        .order_by(OutboxMessage.id)
    )
    out = []
    for payload in rows:
        if not isinstance(payload, dict) or "status" not in payload:
            continue
        decided_by = payload.get("decided_by")
        out.append(
            HistoryEntry(
                status=str(payload["status"]),
                reason=payload.get("reason") if isinstance(payload.get("reason"), str) else None,
                decided_by=decided_by if isinstance(decided_by, int) else None,
                decided_by_name=str(payload.get("decided_by_name") or ""),
                decided_at=_parse_time(payload.get("decided_at")),
            )
        )
    return out
