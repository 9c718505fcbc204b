"""After «Invite»: the candidate books a slot of each stage, HR mark results, then hire or
reject. Plain Python (no aiogram); the texts are rendered by the sending layer from the
outbox rows (kinds in ``bot.services.outbox``).

One action = one call = one transaction, committed with its outbox rows and funnel steps:

* :func:`invite` — «Invite»: the status, the applicant's notice, the first stage's offer;
  :func:`start` puts an application invited earlier into the pipeline;
* :func:`open_slots`, :func:`book`, :func:`confirm`, :func:`reschedule`, :func:`cancel`;
* :func:`record_result` (passed → the next stage's offer, or ready for the decision;
  failed / no-show → the end), :func:`hire` (after the last stage, with the start date),
  :func:`reject` (at any point of the pipeline).

Capacity holds under concurrency: a place is taken by one conditional UPDATE
(``booked = booked + 1 WHERE booked < capacity AND cancelled_at IS NULL``), so of two
bookings of the last place exactly one matches, on SQLite and PostgreSQL alike; the other
gets :attr:`BookOutcome.full`. A double press is caught by the partial unique index of
active bookings (one per application and stage). Reminders (24 h and 2 h before, out of the
quiet hours: ``bot.scheduling.reminders``) are outbox rows with a ``not_before`` time and a
unique key, queued with the booking and deleted when it ends.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import parse_quiet_hours
from bot.db.models import (
    ACTIVE_BOOKING_STATUSES,
    Application,
    ApplicationStatus,
    Booking,
    BookingStatus,
    HiringStage,
    OutboxMessage,
    PipelineOutcome,
    Slot,
    StageResult,
    StageResultKind,
)
from bot.scheduling import ics
from bot.scheduling.reminders import (
    BOOKING_LEAD,
    bookable,
    can_cancel,
    can_reschedule,
    reminder_times,
    reschedule_deadline,
)
from bot.scheduling.slots import Place
from bot.scheduling.stages import Translate, stage_checklist, stage_name
from bot.services import funnel, hr, outbox, privacy, stages
from bot.services.funnel import Step

log = logging.getLogger(__name__)

S = ApplicationStatus
ACTIVE = [s.value for s in ACTIVE_BOOKING_STATUSES]
# How many open slots an offer lists at most.
OFFER_LIMIT = 30
# The reject reasons of a failed stage and a no-show (hr.REJECT_REASONS).
FAILED_REASON = "not_qualified"
NO_SHOW_REASON = "no_response"


class BookOutcome(StrEnum):
    booked = "booked"
    rescheduled = "rescheduled"
    same = "same"  # this very slot is booked already (a second press)
    already_booked = "already_booked"  # another slot of the stage is: reschedule instead
    full = "full"  # no free place left
    cancelled = "cancelled"  # the slot was cancelled
    too_late = "too_late"  # the slot starts too soon (or started); past the cut-off
    wrong_stage = "wrong_stage"  # the slot is not of the application's stage, or not for it
    not_found = "not_found"  # no such application/booking of this person, or slot
    closed = "closed"  # the application is not in the pipeline (decided, withdrawn, erased)
    not_active = "not_active"  # the booking ended already


@dataclass(frozen=True, slots=True)
class BookResult:
    outcome: BookOutcome
    booking: Booking | None = None
    slot: Slot | None = None


class ActionOutcome(StrEnum):
    done = "done"
    same = "same"  # already so (a second press)
    not_found = "not_found"
    not_active = "not_active"  # the booking ended already
    too_late = "too_late"  # the slot started


@dataclass(frozen=True, slots=True)
class ActionResult:
    outcome: ActionOutcome
    booking: Booking | None = None


class PipelineOutcomeCode(StrEnum):
    done = "done"
    not_found = "not_found"
    closed = "closed"  # not in the pipeline, or decided already
    stale = "stale"  # the application is at another stage than the button said
    already = "already"  # this stage's result is recorded already
    not_ready = "not_ready"  # hire: not every stage is passed yet
    not_started = "not_started"  # record_result: the booked slot has not begun
    no_booking = "no_booking"  # no-show without a booking
    invalid = "invalid"  # a reject reason that is not one


@dataclass(frozen=True, slots=True)
class PipelineResult:
    outcome: PipelineOutcomeCode
    application: Application | None = None
    next_stage: HiringStage | None = None


# --------------------------------------------------------------------------- reading


def utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes (stored in UTC): make them aware."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def place_of(slot: Slot) -> Place:
    return Place(slot.address, slot.latitude, slot.longitude, slot.online_url)


def serves(slot: Slot, application: Application) -> bool:
    """Whether the slot is for this application's position / department."""
    if slot.positions is not None and application.position_number in slot.positions:
        return True
    if slot.departments is not None and application.department in slot.departments:
        return True
    return slot.positions is None and slot.departments is None


def in_pipeline(application: Application) -> bool:
    return (
        application.user_id is not None
        and application.anonymized_at is None
        and application.status == S.invited
        and application.pipeline_started_at is not None
        and application.outcome is None
    )


async def _application(session: AsyncSession, application_id: int) -> Application | None:
    return await session.get(Application, application_id, populate_existing=True)


async def _slot(session: AsyncSession, slot_id: int) -> Slot | None:
    return await session.get(Slot, slot_id, populate_existing=True)


async def _booking(session: AsyncSession, booking_id: int) -> Booking | None:
    return await session.get(Booking, booking_id, populate_existing=True)


async def open_slots(
    session: AsyncSession,
    application: Application,
    *,
    now: datetime | None = None,
    limit: int = OFFER_LIMIT,
) -> list[Slot]:
    """The slots the application may book now: of its current stage, for its position or
    department, not cancelled, with a free place, starting at least BOOKING_LEAD from now;
    earliest first."""
    if application.current_stage_id is None or not in_pipeline(application):
        return []
    now = now or datetime.now(UTC)
    rows = await session.scalars(
        select(Slot)
        .where(
            Slot.stage_id == application.current_stage_id,
            Slot.cancelled_at.is_(None),
            Slot.booked < Slot.capacity,
            Slot.starts_at >= now + BOOKING_LEAD,
        )
        .order_by(Slot.starts_at, Slot.id)
        .execution_options(populate_existing=True)
    )
    return [slot for slot in rows if serves(slot, application)][:limit]


async def active_booking(session: AsyncSession, application_id: int) -> Booking | None:
    """The application's active booking of its current stage (at most one)."""
    application = await _application(session, application_id)
    if application is None or application.current_stage_id is None:
        return None
    return await session.scalar(
        select(Booking)
        .where(
            Booking.application_id == application_id,
            Booking.stage_id == application.current_stage_id,
            Booking.status.in_(ACTIVE),
        )
        .execution_options(populate_existing=True)
    )


async def reminder_due(session: AsyncSession, booking_id: int) -> Booking | None:
    """For the sender of a ``booking_reminder``: the booking if it is still active and its
    slot not cancelled (else the reminder is dropped)."""
    booking = await _booking(session, booking_id)
    if booking is None or booking.status not in ACTIVE:
        return None
    slot = await _slot(session, booking.slot_id)
    return booking if slot is not None and slot.cancelled_at is None else None


async def stage_of(session: AsyncSession, stage_id: int) -> HiringStage | None:
    return await session.get(HiringStage, stage_id)


# --------------------------------------------------------------------------- helpers


async def _undo(session: AsyncSession, *objects: object) -> None:
    """Roll back, and reload the objects still to be read or returned (a rollback expires
    them; an expired attribute cannot be loaded lazily under asyncio)."""
    await session.rollback()
    for obj in objects:
        if obj is not None:
            await session.refresh(obj)


async def _lock(session: AsyncSession, application: Application) -> None:
    """As ``applications.submit`` and /delete_me: one person's changes take turns (and a
    booking never outlives an erasure that started first)."""
    if application.user_id is not None:
        await privacy.lock_person(session, application.user_id)


async def queue_offer(
    session: AsyncSession, application: Application, *, reason: str, now: datetime
) -> bool:
    """Offer the application's current stage: a ``booking_offer`` if a slot is open, else
    ``booking_no_slots`` to the candidate and ``hr_no_slots`` to HR (once: the application
    waits, ``awaiting_slot_since``, until slots open). Whether an offer was queued. In the
    caller's transaction."""
    stage_id = application.current_stage_id
    if stage_id is None:
        return False
    if await open_slots(session, application, now=now, limit=1):
        application.awaiting_slot_since = None
        outbox.enqueue(
            session,
            outbox.BOOKING_OFFER,
            application.id,
            {"stage_id": stage_id, "reason": reason},
            now=now,
        )
        return True
    if application.awaiting_slot_since is None:
        application.awaiting_slot_since = now
        outbox.enqueue(
            session, outbox.BOOKING_NO_SLOTS, application.id, {"stage_id": stage_id}, now=now
        )
        outbox.enqueue(session, outbox.HR_NO_SLOTS, application.id, {"stage_id": stage_id}, now=now)
    return False


def _hr_event(
    session: AsyncSession,
    application: Application,
    event: str,
    *,
    stage_id: int | None,
    by: int | None,
    now: datetime,
    booking_id: int | None = None,
) -> None:
    outbox.enqueue(
        session,
        outbox.HR_STAGE_EVENT,
        application.id,
        {"event": event, "stage_id": stage_id, "by": by},
        now=now,
        booking_id=booking_id,
    )


async def _queue_reminders(
    session: AsyncSession,
    booking: Booking,
    slot: Slot,
    *,
    quiet_hours: str,
    now: datetime,
) -> int:
    """The booking's reminders as outbox rows (each once: ``reminder:<booking>:<kind>``)."""
    queued = 0
    for reminder in reminder_times(utc(slot.starts_at), now, parse_quiet_hours(quiet_hours)):
        queued += await outbox.enqueue_once(
            session,
            outbox.BOOKING_REMINDER,
            booking.application_id,
            f"reminder:{booking.id}:{reminder.kind.value}",
            {"reminder": reminder.kind.value, "ask_confirm": reminder.ask_confirm},
            now=now,
            not_before=reminder.at,
            booking_id=booking.id,
        )
    return queued


async def drop_reminders(session: AsyncSession, booking_ids: Sequence[int]) -> int:
    """Delete the bookings' reminders not sent yet; in the caller's transaction."""
    if not booking_ids:
        return 0
    result = await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.booking_id.in_(list(booking_ids)),
            OutboxMessage.kind == outbox.BOOKING_REMINDER,
            OutboxMessage.delivered_at.is_(None),
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def _take_place(session: AsyncSession, slot_id: int, now: datetime) -> bool:
    result = await session.execute(
        update(Slot)
        .where(
            Slot.id == slot_id,
            Slot.booked < Slot.capacity,
            Slot.cancelled_at.is_(None),
            Slot.starts_at >= now + BOOKING_LEAD,
        )
        .values(booked=Slot.booked + 1)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


async def _free_place(session: AsyncSession, slot_id: int) -> None:
    await session.execute(
        update(Slot)
        .where(Slot.id == slot_id, Slot.booked > 0)
        .values(booked=Slot.booked - 1)
        .execution_options(synchronize_session=False)
    )


async def _end_booking(
    session: AsyncSession, booking_id: int, status: BookingStatus, *, by: int | None, now: datetime
) -> bool:
    """Conditionally end an active booking (a concurrent end wins once)."""
    result = await session.execute(
        update(Booking)
        .where(Booking.id == booking_id, Booking.status.in_(ACTIVE))
        .values(status=status.value, ended_by=by, ended_at=now)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


async def _why_not(
    session: AsyncSession, slot_id: int, application: Application, now: datetime
) -> BookOutcome:
    slot = await _slot(session, slot_id)
    if slot is None:
        return BookOutcome.not_found
    if slot.stage_id != application.current_stage_id or not serves(slot, application):
        return BookOutcome.wrong_stage
    if slot.cancelled_at is not None:
        return BookOutcome.cancelled
    if not bookable(utc(slot.starts_at), now):
        return BookOutcome.too_late
    if slot.booked >= slot.capacity:
        return BookOutcome.full
    return BookOutcome.booked


def _owned(application: Application | None, by: int, as_hr: bool) -> bool:
    return application is not None and (as_hr or application.user_id == by)


# --------------------------------------------------------------------------- entering


async def _enter(
    session: AsyncSession, application: Application, *, reason: str, now: datetime
) -> HiringStage | None:
    chain = await stages.chain_for(session, application)
    first = chain[0] if chain else None
    application.pipeline_started_at = now
    application.current_stage_id = first.id if first else None
    application.stage_entered_at = now
    application.awaiting_slot_since = None
    application.updated_at = now
    await session.flush()
    if first is not None:
        await queue_offer(session, application, reason=reason, now=now)
    return first


async def invite(
    session: AsyncSession,
    application_id: int,
    *,
    hr_user_id: int,
    hr_name: str,
    expected: ApplicationStatus | None = None,
    now: datetime | None = None,
) -> hr.Decision:
    """«Invite» with booking: the decision as ``hr.decide`` makes it (conditional on the
    status the card showed; the ``applicant_status`` notice, its payload with
    ``"booking": true``; the funnel step) and the application enters the pipeline at the
    first stage of its chain with that stage's offer; one transaction, commits."""
    now = now or datetime.now(UTC)
    found = await _application(session, application_id)
    if found is None:
        return hr.Decision(hr.Outcome.not_found, None)
    await _lock(session, found)  # before the row's update, as /delete_me takes them
    allowed = hr.TRANSITIONS[S.invited]
    sources = (
        [s.value for s in allowed]
        if expected is None
        else ([expected.value] if expected in allowed else [])
    )
    changed = await _update_live(
        session,
        application_id,
        [
            Application.status.in_(sources),
        ],
        status=S.invited.value,
        decided_by=hr_user_id,
        decided_at=now,
        reject_reason=None,
        updated_at=now,
    )
    if not changed:
        await session.rollback()
        return await hr.check(session, application_id, S.invited, expected)
    application = await _application(session, application_id)
    assert application is not None
    payload: dict[str, Any] = {
        "status": S.invited.value,
        "reason": None,
        "decided_by": hr_user_id,
        "decided_by_name": hr_name[: hr.MAX_NAME],
        "decided_at": now.isoformat(),
        "booking": True,
    }
    outbox.enqueue(session, outbox.APPLICANT_STATUS, application.id, payload, now=now)
    await funnel.record(
        session,
        Step.invited,
        application.user_id,
        application.position_number,
        application.department,
        commit=False,
    )
    await _enter(session, application, reason="invited", now=now)
    await session.commit()
    log.info("Application %s invited into the pipeline", application.id)
    return hr.Decision(hr.Outcome.done, application)


async def start(
    session: AsyncSession, application_id: int, *, now: datetime | None = None
) -> PipelineResult:
    """Put an application invited before booking existed (or by ``hr.decide``) into the
    pipeline at its first stage, with the offer; commits. Once: ``closed`` afterwards."""
    now = now or datetime.now(UTC)
    application = await _application(session, application_id)
    if application is None:
        return PipelineResult(PipelineOutcomeCode.not_found)
    await _lock(session, application)
    changed = await _update_live(
        session,
        application_id,
        [
            Application.status == S.invited,
            Application.pipeline_started_at.is_(None),
        ],
        pipeline_started_at=now,
    )
    if not changed:
        await session.rollback()
        return PipelineResult(
            PipelineOutcomeCode.closed, await _application(session, application_id)
        )
    application = await _application(session, application_id)
    assert application is not None
    first = await _enter(session, application, reason="invited", now=now)
    await session.commit()
    return PipelineResult(PipelineOutcomeCode.done, application, first)


# --------------------------------------------------------------------------- booking


def _new_booking(
    application: Application, slot: Slot, *, by: int, now: datetime, previous: Booking | None
) -> Booking:
    return Booking(
        slot_id=slot.id,
        application_id=application.id,
        stage_id=slot.stage_id,
        status=BookingStatus.booked.value,
        uid=previous.uid if previous else uuid.uuid4().hex,
        sequence=previous.sequence + 1 if previous else 0,
        rescheduled_from_id=previous.id if previous else None,
        booked_by=by,
        booked_at=now,
    )


async def _announce(
    session: AsyncSession,
    application: Application,
    booking: Booking,
    slot: Slot,
    *,
    rescheduled: bool,
    by: int,
    quiet_hours: str,
    now: datetime,
) -> None:
    """A new booking (or a reschedule's new one) told: the candidate's confirmation, its
    reminders, HR's card event."""
    outbox.enqueue(
        session,
        outbox.BOOKING_CONFIRMED,
        application.id,
        {"rescheduled": rescheduled},
        now=now,
        booking_id=booking.id,
    )
    await _queue_reminders(session, booking, slot, quiet_hours=quiet_hours, now=now)
    _hr_event(
        session,
        application,
        "rescheduled" if rescheduled else "booked",
        stage_id=slot.stage_id,
        by=by,
        now=now,
        booking_id=booking.id,
    )


async def book(
    session: AsyncSession,
    application_id: int,
    slot_id: int,
    *,
    by: int,
    as_hr: bool = False,
    quiet_hours: str,
    now: datetime | None = None,
) -> BookResult:
    """Book a place in the slot for the application's current stage; commits.

    ``by``: the candidate (their own application only) or, with ``as_hr``, the HR officer
    booking for them. ``quiet_hours``: ``Settings.quiet_hours`` (the reminders avoid them).
    Queues the ``booking_confirmed`` notice, the reminders, ``hr_stage_event`` and the
    ``booked`` funnel step. A refused booking changes nothing.
    """
    now = now or datetime.now(UTC)
    application = await _application(session, application_id)
    if not _owned(application, by, as_hr):
        return BookResult(BookOutcome.not_found)
    assert application is not None
    await _lock(session, application)
    application = await _application(session, application_id)
    if application is None or not in_pipeline(application):
        await session.rollback()
        return BookResult(BookOutcome.closed)
    existing = await active_booking(session, application_id)
    if existing is not None:
        await _undo(session, existing)
        same = existing.slot_id == slot_id
        return BookResult(
            BookOutcome.same if same else BookOutcome.already_booked,
            existing,
            await _slot(session, existing.slot_id),
        )
    why = await _why_not(session, slot_id, application, now)
    if why is not BookOutcome.booked:
        await session.rollback()
        return BookResult(why, slot=await _slot(session, slot_id))
    if not await _take_place(session, slot_id, now):
        await _undo(session, application)  # taken (or cancelled) meanwhile
        why = await _why_not(session, slot_id, application, now)
        return BookResult(
            BookOutcome.full if why is BookOutcome.booked else why,
            slot=await _slot(session, slot_id),
        )
    slot = await _slot(session, slot_id)
    assert slot is not None
    booking = _new_booking(application, slot, by=by, now=now, previous=None)
    session.add(booking)
    try:
        await session.flush()
    except IntegrityError:  # a concurrent booking of the same application won
        await session.rollback()
        existing = await active_booking(session, application_id)
        same = existing is not None and existing.slot_id == slot_id
        return BookResult(BookOutcome.same if same else BookOutcome.already_booked, existing)
    application.awaiting_slot_since = None
    await _announce(
        session,
        application,
        booking,
        slot,
        rescheduled=False,
        by=by,
        quiet_hours=quiet_hours,
        now=now,
    )
    await funnel.record(
        session,
        Step.booked,
        application.user_id,
        application.position_number,
        application.department,
        commit=False,
    )
    await session.commit()
    log.info("Application %s booked slot %s", application.id, slot.id)
    return BookResult(BookOutcome.booked, booking, slot)


async def _own_booking(
    session: AsyncSession, booking_id: int, by: int, as_hr: bool
) -> tuple[Booking, Application, Slot] | None:
    booking = await _booking(session, booking_id)
    if booking is None:
        return None
    application = await _application(session, booking.application_id)
    if not _owned(application, by, as_hr) or application is None:
        return None
    slot = await _slot(session, booking.slot_id)
    return None if slot is None else (booking, application, slot)


async def confirm(
    session: AsyncSession,
    booking_id: int,
    *,
    by: int,
    as_hr: bool = False,
    now: datetime | None = None,
) -> ActionResult:
    """The candidate confirms they will come (the 2 h reminder asks); commits with
    ``hr_stage_event`` «confirmed»."""
    now = now or datetime.now(UTC)
    found = await _own_booking(session, booking_id, by, as_hr)
    if found is None:
        return ActionResult(ActionOutcome.not_found)
    booking, application, slot = found
    if booking.status == BookingStatus.confirmed:
        return ActionResult(ActionOutcome.same, booking)
    if booking.status != BookingStatus.booked or slot.cancelled_at is not None:
        return ActionResult(ActionOutcome.not_active, booking)
    if not can_cancel(utc(slot.starts_at), now):
        return ActionResult(ActionOutcome.too_late, booking)
    result = await session.execute(
        update(Booking)
        .where(Booking.id == booking_id, Booking.status == BookingStatus.booked)
        .values(status=BookingStatus.confirmed.value, confirmed_by=by, confirmed_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) == 1:  # HR's card shows it confirmed
        _hr_event(
            session,
            application,
            "confirmed",
            stage_id=booking.stage_id,
            by=by,
            now=now,
            booking_id=booking_id,
        )
    await session.commit()
    after = await _booking(session, booking_id)
    if getattr(result, "rowcount", 0) != 1:
        same = after is not None and after.status == BookingStatus.confirmed
        return ActionResult(ActionOutcome.same if same else ActionOutcome.not_active, after)
    return ActionResult(ActionOutcome.done, after)


async def cancel(
    session: AsyncSession,
    booking_id: int,
    *,
    by: int,
    as_hr: bool = False,
    now: datetime | None = None,
) -> ActionResult:
    """Cancel a booking before its start: the place is freed, its reminders dropped, HR
    hear of it; commits. The application stays at its stage (it may book again)."""
    now = now or datetime.now(UTC)
    found = await _own_booking(session, booking_id, by, as_hr)
    if found is None:
        return ActionResult(ActionOutcome.not_found)
    booking, application, slot = found
    if booking.status not in ACTIVE:
        same = booking.status == BookingStatus.cancelled
        return ActionResult(ActionOutcome.same if same else ActionOutcome.not_active, booking)
    if not can_cancel(utc(slot.starts_at), now):
        return ActionResult(ActionOutcome.too_late, booking)
    await _lock(session, application)
    if not await _end_booking(session, booking_id, BookingStatus.cancelled, by=by, now=now):
        await session.rollback()
        return ActionResult(ActionOutcome.not_active, await _booking(session, booking_id))
    await _free_place(session, slot.id)
    await drop_reminders(session, [booking_id])
    _hr_event(
        session,
        application,
        "cancelled",
        stage_id=booking.stage_id,
        by=by,
        now=now,
        booking_id=booking_id,
    )
    await session.commit()
    log.info("Booking %s cancelled", booking_id)
    return ActionResult(ActionOutcome.done, await _booking(session, booking_id))


async def reschedule(
    session: AsyncSession,
    booking_id: int,
    new_slot_id: int,
    *,
    by: int,
    as_hr: bool = False,
    quiet_hours: str,
    now: datetime | None = None,
) -> BookResult:
    """Move a booking to another slot of the same stage, before the stage's cut-off
    (default 12 h before the start): the old place is freed and the new one taken in one
    transaction (the new one full: nothing changes); the old booking ends
    ``rescheduled``, the new one keeps its calendar UID (SEQUENCE + 1) and gets new
    reminders; commits."""
    now = now or datetime.now(UTC)
    found = await _own_booking(session, booking_id, by, as_hr)
    if found is None:
        return BookResult(BookOutcome.not_found)
    booking, application, old_slot = found
    if booking.status not in ACTIVE:
        return BookResult(BookOutcome.not_active, booking, old_slot)
    if new_slot_id == old_slot.id:
        return BookResult(BookOutcome.same, booking, old_slot)
    stage = await stage_of(session, booking.stage_id)
    cutoff = stage.cutoff_hours if stage is not None else 12
    if not as_hr and not can_reschedule(utc(old_slot.starts_at), now, cutoff):
        return BookResult(BookOutcome.too_late, booking, old_slot)
    await _lock(session, application)
    fresh = await _application(session, application.id)
    if fresh is None or not in_pipeline(fresh):
        await _undo(session, booking, old_slot)
        return BookResult(BookOutcome.closed, booking, old_slot)
    application = fresh
    if application.current_stage_id != booking.stage_id:
        await _undo(session, booking, old_slot)
        return BookResult(BookOutcome.wrong_stage, booking, old_slot)
    why = await _why_not(session, new_slot_id, application, now)
    if why is not BookOutcome.booked:
        await _undo(session, booking)
        return BookResult(why, booking, await _slot(session, new_slot_id))
    if not await _end_booking(session, booking_id, BookingStatus.rescheduled, by=by, now=now):
        await _undo(session, old_slot)
        return BookResult(BookOutcome.not_active, await _booking(session, booking_id), old_slot)
    # Both slot rows in id order: two reschedules crossing each other never deadlock.
    taken = True
    for slot_id in sorted((old_slot.id, new_slot_id)):
        if slot_id == old_slot.id:
            await _free_place(session, slot_id)
        else:
            taken = await _take_place(session, slot_id, now)
            if not taken:
                break
    if not taken:
        await _undo(session, application)
        why = await _why_not(session, new_slot_id, application, now)
        return BookResult(
            BookOutcome.full if why is BookOutcome.booked else why,
            await _booking(session, booking_id),
            await _slot(session, new_slot_id),
        )
    new_slot = await _slot(session, new_slot_id)
    assert new_slot is not None
    new_booking = _new_booking(application, new_slot, by=by, now=now, previous=booking)
    session.add(new_booking)
    await session.flush()
    await drop_reminders(session, [booking_id])
    await _announce(
        session,
        application,
        new_booking,
        new_slot,
        rescheduled=True,
        by=by,
        quiet_hours=quiet_hours,
        now=now,
    )
    await session.commit()
    log.info(
        "Booking %s rescheduled to slot %s (booking %s)", booking_id, new_slot_id, new_booking.id
    )
    return BookResult(BookOutcome.rescheduled, new_booking, new_slot)


# --------------------------------------------------------------------------- results


async def record_result(
    session: AsyncSession,
    application_id: int,
    stage_id: int,
    result: StageResultKind,
    *,
    by: int,
    now: datetime | None = None,
) -> PipelineResult:
    """HR's result of the application's current stage (``stage_id``: the stage the button
    showed); commits with the candidate's ``stage_result`` notice, ``hr_stage_event`` and
    the funnel steps (attended unless no-show, stage_passed when passed).

    * passed: the next stage of the chain becomes current (its offer is queued); after the
      last one the application waits for HR's decision (:func:`hire` or :func:`reject`);
    * failed / no_show: the application ends (status ``rejected``, reason not_qualified /
      no_response, outcome failed / no_show).

    The active booking of the stage becomes attended / no_show (only once its slot has
    begun). A second result for the stage is ``already``.
    """
    now = now or datetime.now(UTC)
    application = await _application(session, application_id)
    if application is None:
        return PipelineResult(PipelineOutcomeCode.not_found)
    await _lock(session, application)
    application = await _application(session, application_id)
    if application is None or not in_pipeline(application):
        await _undo(session, application)
        return PipelineResult(PipelineOutcomeCode.closed, application)
    if application.current_stage_id != stage_id:
        await _undo(session, application)
        done = await session.scalar(
            select(StageResult.id).where(
                StageResult.application_id == application_id, StageResult.stage_id == stage_id
            )
        )
        code = PipelineOutcomeCode.already if done is not None else PipelineOutcomeCode.stale
        return PipelineResult(code, application)
    booking = await active_booking(session, application_id)
    if booking is not None:
        slot = await _slot(session, booking.slot_id)
        if slot is not None and utc(slot.starts_at) > now:
            await _undo(session, application)
            return PipelineResult(PipelineOutcomeCode.not_started, application)
    elif result is StageResultKind.no_show:
        await _undo(session, application)
        return PipelineResult(PipelineOutcomeCode.no_booking, application)
    session.add(
        StageResult(
            application_id=application_id,
            stage_id=stage_id,
            booking_id=booking.id if booking else None,
            result=result.value,
            decided_by=by,
            decided_at=now,
        )
    )
    try:
        await session.flush()
    except IntegrityError:
        await session.rollback()
        return PipelineResult(
            PipelineOutcomeCode.already, await _application(session, application_id)
        )
    if booking is not None:
        ended = (
            BookingStatus.no_show if result is StageResultKind.no_show else BookingStatus.attended
        )
        await _end_booking(session, booking.id, ended, by=by, now=now)
        await drop_reminders(session, [booking.id])
    who = (application.user_id, application.position_number, application.department)
    if result is not StageResultKind.no_show:
        await funnel.record(session, Step.attended, *who, commit=False)
    next_stage: HiringStage | None = None
    if result is StageResultKind.passed:
        await funnel.record(session, Step.stage_passed, *who, commit=False)
        chain = await stages.chain_for(session, application)
        current = await stage_of(session, stage_id)
        seq = current.seq if current is not None else 0
        later = [s for s in chain if s.seq > seq and s.id != stage_id]
        next_stage = later[0] if later else None
        application.current_stage_id = next_stage.id if next_stage else None
        application.stage_entered_at = now
        application.awaiting_slot_since = None
    else:
        application.status = S.rejected.value
        application.reject_reason = (
            FAILED_REASON if result is StageResultKind.failed else NO_SHOW_REASON
        )
        application.decided_by = by
        application.decided_at = now
        application.outcome = (
            PipelineOutcome.failed if result is StageResultKind.failed else PipelineOutcome.no_show
        ).value
        application.outcome_by = by
        application.outcome_at = now
    application.updated_at = now
    outbox.enqueue(
        session,
        outbox.STAGE_RESULT,
        application.id,
        {
            "stage_id": stage_id,
            "result": result.value,
            "next_stage_id": next_stage.id if next_stage else None,
            "decided_by": by,
            "decided_at": now.isoformat(),
        },
        now=now,
        booking_id=booking.id if booking else None,
    )
    _hr_event(session, application, "result", stage_id=stage_id, by=by, now=now)
    await session.flush()
    if next_stage is not None:
        await queue_offer(session, application, reason="passed", now=now)
    await session.commit()
    log.info("Application %s: stage %s %s", application_id, stage_id, result.value)
    return PipelineResult(PipelineOutcomeCode.done, application, next_stage)


async def _update_live(
    session: AsyncSession, application_id: int, conditions: list[Any], **values: Any
) -> bool:
    """Change the application only while ``conditions`` hold and it is neither erased nor
    anonymized (one conditional UPDATE: of two concurrent changes one wins); True if it
    changed."""
    result = await session.execute(
        update(Application)
        .where(
            Application.id == application_id,
            Application.user_id.is_not(None),
            Application.anonymized_at.is_(None),
            *conditions,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


async def hire(
    session: AsyncSession,
    application_id: int,
    *,
    start_date: date,
    by: int,
    now: datetime | None = None,
) -> PipelineResult:
    """HR hire the candidate who passed every stage, from ``start_date``; commits with the
    ``applicant_hired`` notice, ``hr_stage_event`` and the ``hired`` funnel step. The
    status stays ``invited`` (the outcome says hired): ``ApplicationStatus`` is rendered
    in many places that know no «hired» yet."""
    now = now or datetime.now(UTC)
    application = await _application(session, application_id)
    if application is None:
        return PipelineResult(PipelineOutcomeCode.not_found)
    if in_pipeline(application) and application.current_stage_id is not None:
        return PipelineResult(PipelineOutcomeCode.not_ready, application)
    await _lock(session, application)
    changed = await _update_live(
        session,
        application_id,
        [
            Application.status == S.invited,
            Application.pipeline_started_at.is_not(None),
            Application.current_stage_id.is_(None),
            Application.outcome.is_(None),
        ],
        outcome=PipelineOutcome.hired.value,
        outcome_by=by,
        outcome_at=now,
        hired_at=now,
        start_date=start_date,
        updated_at=now,
    )
    if not changed:
        await session.rollback()
        return PipelineResult(
            PipelineOutcomeCode.closed, await _application(session, application_id)
        )
    application = await _application(session, application_id)
    assert application is not None
    outbox.enqueue(
        session,
        outbox.APPLICANT_HIRED,
        application.id,
        {"start_date": start_date.isoformat(), "decided_by": by, "decided_at": now.isoformat()},
        now=now,
    )
    _hr_event(session, application, "hired", stage_id=None, by=by, now=now)
    await funnel.record(
        session,
        Step.hired,
        application.user_id,
        application.position_number,
        application.department,
        commit=False,
    )
    await session.commit()
    log.info("Application %s: hired", application_id)
    return PipelineResult(PipelineOutcomeCode.done, application)


async def reject(
    session: AsyncSession,
    application_id: int,
    *,
    reason: str,
    by: int,
    by_name: str,
    now: datetime | None = None,
) -> PipelineResult:
    """HR reject a candidate in the pipeline (at a stage, or after the last one): status
    ``rejected`` with the reason (``hr.REJECT_REASONS``), outcome rejected; an active
    booking is cancelled (its place freed, reminders dropped, the candidate told through
    ``booking_cancelled`` with reason ``rejected``); the ``applicant_status`` notice as
    ``hr.decide`` queues it, and ``hr_stage_event``; commits."""
    if reason not in hr.REJECT_REASONS:
        return PipelineResult(PipelineOutcomeCode.invalid)
    now = now or datetime.now(UTC)
    application = await _application(session, application_id)
    if application is None:
        return PipelineResult(PipelineOutcomeCode.not_found)
    await _lock(session, application)
    changed = await _update_live(
        session,
        application_id,
        [
            Application.status == S.invited,
            Application.pipeline_started_at.is_not(None),
            Application.outcome.is_(None),
        ],
        status=S.rejected.value,
        reject_reason=reason,
        decided_by=by,
        decided_at=now,
        outcome=PipelineOutcome.rejected.value,
        outcome_by=by,
        outcome_at=now,
        updated_at=now,
    )
    if not changed:
        await session.rollback()
        return PipelineResult(
            PipelineOutcomeCode.closed, await _application(session, application_id)
        )
    application = await _application(session, application_id)
    assert application is not None
    stage_id = application.current_stage_id
    for booking_id in await release_bookings(session, application_id, by=by, now=now):
        outbox.enqueue(
            session,
            outbox.BOOKING_CANCELLED,
            application.id,
            {"reason": "rejected"},
            now=now,
            booking_id=booking_id,
        )
    outbox.enqueue(
        session,
        outbox.APPLICANT_STATUS,
        application.id,
        {
            "status": S.rejected.value,
            "reason": reason,
            "decided_by": by,
            "decided_by_name": by_name[: hr.MAX_NAME],
            "decided_at": now.isoformat(),
        },
        now=now,
    )
    _hr_event(session, application, "rejected", stage_id=stage_id, by=by, now=now)
    await session.commit()
    log.info("Application %s: rejected in the pipeline", application_id)
    return PipelineResult(PipelineOutcomeCode.done, application)


async def release_bookings(
    session: AsyncSession, application_id: int, *, by: int | None, now: datetime
) -> list[int]:
    """End the application's active bookings (the application left the pipeline: rejected,
    withdrawn): their places freed, their reminders dropped; the ids ended. Part of the
    caller's transaction."""
    ended = []
    for booking in list(
        await session.scalars(
            select(Booking).where(
                Booking.application_id == application_id, Booking.status.in_(ACTIVE)
            )
        )
    ):
        if await _end_booking(session, booking.id, BookingStatus.cancelled, by=by, now=now):
            await _free_place(session, booking.slot_id)
            await drop_reminders(session, [booking.id])
            ended.append(booking.id)
    return ended


async def results(session: AsyncSession, application_id: int) -> list[StageResult]:
    """The application's stage results, oldest first (the card's history)."""
    rows = await session.scalars(
        select(StageResult)
        .where(StageResult.application_id == application_id)
        .order_by(StageResult.decided_at, StageResult.id)
    )
    return list(rows)


# --------------------------------------------------------------------------- the .ics


async def calendar_file(
    session: AsyncSession,
    booking_id: int,
    lang: str,
    translate: Translate,
    *,
    description: str = "",
) -> bytes | None:
    """The booking's ``.ics`` in ``lang`` (the stage's name, place, checklist; cancelled
    when the booking was); None when the booking or its slot is gone."""
    booking = await _booking(session, booking_id)
    if booking is None:
        return None
    slot = await _slot(session, booking.slot_id)
    stage = await stage_of(session, booking.stage_id)
    if slot is None or stage is None:
        return None
    model = stages.model_of(stage)
    name = stage_name(model, lang, translate)
    place = place_of(slot)
    starts = utc(slot.starts_at)
    entry = ics.CalendarEntry(
        uid=ics.booking_uid(booking.uid),
        starts_at=starts,
        ends_at=starts + timedelta(minutes=slot.duration_minutes),
        summary=translate(lang, "booking.ics.summary", stage=name),
        description=description,
        checklist_title=translate(lang, "booking.ics.checklist_title"),
        checklist=stage_checklist(model, lang, translate),
        location=place.address if not place.is_online else translate(lang, "booking.ics.online"),
        url=slot.online_url,
        geo=(slot.latitude, slot.longitude)
        if slot.latitude is not None and slot.longitude is not None
        else None,
        sequence=booking.sequence,
        cancelled=booking.status in (BookingStatus.cancelled, BookingStatus.rescheduled)
        or slot.cancelled_at is not None,
    )
    return ics.to_ics(entry, stamp=utc(booking.booked_at))


def deadline(slot: Slot, stage: HiringStage) -> datetime:
    """Until when the booking may be rescheduled (for the confirmation's text)."""
    return reschedule_deadline(utc(slot.starts_at), stage.cutoff_hours)


async def count_active(session: AsyncSession, slot_id: int) -> int:
    """Active bookings of a slot (equals ``Slot.booked``; for checks and tests)."""
    return int(
        await session.scalar(
            select(func.count())
            .select_from(Booking)
            .where(Booking.slot_id == slot_id, Booking.status.in_(ACTIVE))
        )
        or 0
    )


# --------------------------------------------------------------------------- for the UI


@dataclass(frozen=True, slots=True)
class PipelineView:
    """Where an application stands in the pipeline, for the HR card: its current stage
    (None after the last one), that stage's active booking and slot, the results so far,
    and whether it is still in the pipeline (buttons) or ended (``application.outcome``)."""

    stage: HiringStage | None
    booking: Booking | None
    slot: Slot | None
    results: tuple[tuple[StageResult, HiringStage | None], ...]
    active: bool


async def pipeline_view(session: AsyncSession, application: Application) -> PipelineView | None:
    """None when the application never entered the pipeline."""
    if application.pipeline_started_at is None:
        return None
    stage = (
        await stage_of(session, application.current_stage_id)
        if application.current_stage_id is not None
        else None
    )
    booking = await active_booking(session, application.id) if stage is not None else None
    slot = await _slot(session, booking.slot_id) if booking is not None else None
    done = [
        (r, await stage_of(session, r.stage_id)) for r in await results(session, application.id)
    ]
    return PipelineView(stage, booking, slot, tuple(done), in_pipeline(application))


@dataclass(frozen=True, slots=True)
class Choices:
    """The slots a candidate may move a booking to (``reschedule_choices``)."""

    outcome: ActionOutcome
    booking: Booking | None = None
    slots: tuple[Slot, ...] = ()


async def reschedule_choices(
    session: AsyncSession, booking_id: int, *, by: int, now: datetime | None = None
) -> Choices:
    """For «🔁 reschedule»: the open slots of the booking's stage other than its own, if
    the booking is ``by``'s, active and before its stage's cut-off (``too_late`` after)."""
    now = now or datetime.now(UTC)
    found = await _own_booking(session, booking_id, by, False)
    if found is None:
        return Choices(ActionOutcome.not_found)
    booking, application, slot = found
    if booking.status not in ACTIVE or slot.cancelled_at is not None:
        return Choices(ActionOutcome.not_active, booking)
    stage = await stage_of(session, booking.stage_id)
    cutoff = stage.cutoff_hours if stage is not None else 12
    if not can_reschedule(utc(slot.starts_at), now, cutoff):
        return Choices(ActionOutcome.too_late, booking)
    others = [s for s in await open_slots(session, application, now=now) if s.id != slot.id]
    return Choices(ActionOutcome.done, booking, tuple(others))


async def offer_for(
    session: AsyncSession, application_id: int, *, by: int, now: datetime | None = None
) -> list[Slot]:
    """The open slots of ``by``'s own application (empty for anyone else's, or when it
    holds a booking already): a fresh offer after a refused or cancelled booking."""
    application = await _application(session, application_id)
    if application is None or application.user_id != by:
        return []
    if await active_booking(session, application_id) is not None:
        return []
    return await open_slots(session, application, now=now)


async def reject_any(
    session: AsyncSession,
    application_id: int,
    *,
    reason: str,
    expected: ApplicationStatus | None,
    hr_user_id: int,
    hr_name: str,
    now: datetime | None = None,
) -> hr.Decision:
    """HR's «Reject» with a reason: in the pipeline through :func:`reject` (its bookings
    cancelled), otherwise ``hr.decide``; as an ``hr.Decision`` either way."""
    application = await _application(session, application_id)
    if application is not None and application.pipeline_started_at is not None:
        result = await reject(
            session, application_id, reason=reason, by=hr_user_id, by_name=hr_name, now=now
        )
        if result.outcome is PipelineOutcomeCode.done:
            return hr.Decision(hr.Outcome.done, result.application)
        # Ended meanwhile (hired, failed, rejected by another officer): nothing changes.
        return hr.Decision(hr.Outcome.not_allowed, result.application)
    return await hr.decide(
        session,
        application_id,
        S.rejected,
        hr_user_id=hr_user_id,
        hr_name=hr_name,
        reason=reason,
        expected=expected,
        now=now,
    )


async def booking_details(
    session: AsyncSession, booking_id: int
) -> tuple[Booking, Slot, HiringStage] | None:
    """A booking with its slot and stage (for its texts); None when any is gone."""
    booking = await _booking(session, booking_id)
    if booking is None:
        return None
    slot = await _slot(session, booking.slot_id)
    stage = await stage_of(session, booking.stage_id)
    return None if slot is None or stage is None else (booking, slot, stage)


START_CHOICES = 6  # Mondays offered as the first working day


def start_date_choices(today: date, count: int = START_CHOICES) -> list[date]:
    """The first working days HR pick from at «hired»: the next Mondays after today."""
    first = today + timedelta(days=7 - today.weekday())
    return [first + timedelta(weeks=n) for n in range(count)]


def start_date_of(day: int, today: date) -> date | None:
    """A start date pressed as YYYYMMDD: a real date, not in the past; else None."""
    try:
        start = date(day // 10_000, day // 100 % 100, day % 100)
    except ValueError:
        return None
    return start if start >= today else None
