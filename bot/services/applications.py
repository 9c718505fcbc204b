"""Applications on the applicant's side: submit, read one's own, list, withdraw.

Plain Python (no aiogram). Every change that HR must hear about is committed together with
an :class:`~bot.db.models.OutboxMessage` (``hr_summary`` on submit, ``hr_withdrawn`` on
withdrawal); HR's delivery job sends them. Nothing here talks to Telegram.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalogue.models import Position
from bot.db.models import OPEN_STATUSES, Application, ApplicationStatus
from bot.screening.engine import Screener, ScreeningResult
from bot.screening.profile import Profile, profile_data
from bot.services import bookings, funnel, outbox, privacy
from bot.services.funnel import Step
from bot.services.validation import CvFile

log = logging.getLogger(__name__)

# /my shows at most this many (newest first).
MY_LIMIT = 20


@dataclass(frozen=True, slots=True)
class ApplicationForm:
    """What the applicant filled in (already validated and normalized)."""

    full_name: str
    phone: str
    cv: CvFile | None = None
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class SubmitResult:
    application: Application
    # False: an open application for this person and position existed (double submit).
    created: bool


class ConsentGone(Exception):
    """The consent the form was filled in under is no longer stored (the person erased
    their data meanwhile, /delete_me): nothing was saved."""


class WithdrawOutcome(StrEnum):
    withdrawn = "withdrawn"
    # No such application of this person (never existed, someone else's, or erased).
    not_found = "not_found"
    # Already decided or withdrawn.
    not_open = "not_open"


def profile_from_answers(answers: Mapping[str, Any]) -> Profile:
    """The questionnaire's answers as a Profile (unknown keys are ignored)."""
    return Profile.model_validate(profile_data(answers))


def screening_record(answers: Mapping[str, Any], result: ScreeningResult) -> dict[str, Any]:
    """What ``Application.screening`` holds: the answers and each criterion's outcome.

    ``{"answers": {...}, "chosen_path": int, "criteria": [{"criterion", "status",
    "reason", "params"}]}``; ``reason`` is a locale key of ``screening.ftl`` and
    ``params`` its placeholders' ids and numbers (tuples become lists).
    """
    return {
        "answers": profile_data(answers),
        "chosen_path": result.chosen_path,
        "criteria": [
            {
                "criterion": c.criterion,
                "status": c.status,
                "reason": c.reason,
                "params": {
                    name: list(value) if isinstance(value, tuple) else value
                    for name, value in c.params.items()
                },
            }
            for c in result.criteria
        ],
    }


def is_open(application: Application) -> bool:
    return application.status in OPEN_STATUSES


# Built once: constructing this expression cost 0.5 ms per call, a third of the query, on
# the path of every questionnaire start.
_OPEN_APPLICATION = select(Application).where(
    Application.user_id == bindparam("user_id"),
    Application.position_number == bindparam("position_number"),
    Application.status.in_([s.value for s in OPEN_STATUSES]),
)


async def open_application(
    session: AsyncSession, user_id: int, position_number: int
) -> Application | None:
    """The person's open (new, shortlisted, invited) application to the position, if any."""
    parameters = {"user_id": user_id, "position_number": position_number}
    result = await session.execute(_OPEN_APPLICATION, parameters)
    return result.scalars().first()


async def submit(
    session: AsyncSession,
    *,
    screener: Screener,
    position: Position,
    user_id: int,
    username: str | None,
    language: str,
    consent_id: int | None,
    form: ApplicationForm,
    answers: Mapping[str, Any],
    now: datetime | None = None,
) -> SubmitResult:
    """Create the application (status ``new``), its ``hr_summary`` outbox row and the
    ``applied`` funnel event in one transaction, and commit.

    The verdict and per-criterion outcomes come from re-screening ``answers``. A second
    open application to the same position (a double submit) hits the unique index; then
    the existing one is returned with ``created=False``.

    The person is locked first (:func:`~bot.services.privacy.lock_person`, as /delete_me
    does) and ``consent_id`` re-checked: if the data was erased meanwhile,
    :class:`ConsentGone` is raised and nothing is stored (``consent_id=None``, for scripts
    and tests, skips the check).
    """
    now = now or datetime.now(UTC)
    result = screener.screen(position, profile_from_answers(answers))
    await privacy.lock_person(session, user_id)
    if consent_id is not None and not await privacy.consent_in_force(session, consent_id, user_id):
        await session.rollback()
        log.info("Submit for position %s refused: the consent is gone", position.number)
        raise ConsentGone
    application = Application(
        user_id=user_id,
        position_number=position.number,
        department=position.department,
        status=ApplicationStatus.new.value,
        verdict=result.verdict,
        screening=screening_record(answers, result),
        language=language,
        consent_id=consent_id,
        full_name=form.full_name,
        phone=form.phone,
        username=username,
        cv_file_id=form.cv.file_id if form.cv else None,
        cv_file_name=form.cv.file_name if form.cv else None,
        cv_mime_type=form.cv.mime_type if form.cv else None,
        comment=form.comment,
        created_at=now,
        updated_at=now,
    )
    session.add(application)
    try:
        await session.flush()
        outbox.enqueue(session, outbox.HR_SUMMARY, application.id, now=now)
        await funnel.record(
            session, Step.applied, user_id, position.number, position.department, commit=False
        )
        await session.commit()
    except IntegrityError:
        await session.rollback()
        existing = await open_application(session, user_id, position.number)
        if existing is None:
            raise
        log.info("Double submit for position %s: application %s", position.number, existing.id)
        return SubmitResult(existing, created=False)
    log.info("Application %s submitted for position %s", application.id, position.number)
    return SubmitResult(application, created=True)


async def get_own(session: AsyncSession, application_id: int, user_id: int) -> Application | None:
    """The application if it belongs to this person; None otherwise (forged or erased)."""
    application = await session.get(Application, application_id)
    if application is None or application.user_id is None or application.user_id != user_id:
        return None
    return application


async def list_for_user(
    session: AsyncSession, user_id: int, limit: int = MY_LIMIT
) -> list[Application]:
    """The person's applications, newest first."""
    result = await session.execute(
        select(Application)
        .where(Application.user_id == user_id)
        .order_by(Application.created_at.desc(), Application.id.desc())
        .limit(limit)
    )
    return list(result.scalars())


async def withdraw(
    session: AsyncSession, application_id: int, user_id: int, *, now: datetime | None = None
) -> WithdrawOutcome:
    """Withdraw the person's own open application; HR hears of it through the outbox."""
    now = now or datetime.now(UTC)
    application = await get_own(session, application_id, user_id)
    if application is None:
        return WithdrawOutcome.not_found
    if not is_open(application):
        return WithdrawOutcome.not_open
    # Conditional: an HR decision committed meanwhile wins, and nothing is overwritten.
    changed = await session.execute(
        update(Application)
        .where(Application.id == application.id, Application.status.in_(OPEN_STATUSES))
        .values(status=ApplicationStatus.withdrawn.value, updated_at=now)
        .execution_options(synchronize_session="fetch")
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        await session.rollback()
        return WithdrawOutcome.not_open
    # A booked interview or test of a withdrawn application: its place goes back to the
    # others and no reminder follows.
    await bookings.release_bookings(session, application.id, by=user_id, now=now)
    outbox.enqueue(session, outbox.HR_WITHDRAWN, application.id, now=now)
    await session.commit()
    log.info("Application %s withdrawn by its applicant", application.id)
    return WithdrawOutcome.withdrawn
