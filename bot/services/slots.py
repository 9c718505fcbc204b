"""HR's slots: open them (one, several, or by a repeat rule), cancel one, see a day's agenda.

Plain Python (no aiogram). Creating is validated by the pure model
(``bot.scheduling.slots.validate``: not in the past, no overlap with another slot of the same
place, a capacity, a duration within bounds) against the stored slots, under a lock so two
officers creating at once cannot both add overlapping slots; candidates who were waiting for
a slot of the stage get their offer in the same transaction. Cancelling a slot cancels its
bookings (their reminders dropped) and tells each candidate, with a new offer.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    Application,
    ApplicationStatus,
    Booking,
    BookingStatus,
    HiringStage,
    Slot,
    StageResult,
)
from bot.scheduling import TIMEZONE
from bot.scheduling.slots import (
    MAX_DURATION,
    ExistingSlot,
    Place,
    RepeatRule,
    SlotDraft,
    SlotError,
    SlotErrorCode,
    drafts_from_rule,
    validate,
)
from bot.services import bookings, outbox
from bot.services.bookings import utc

log = logging.getLogger(__name__)

# PostgreSQL advisory lock key of slot creation (one creation at a time).
_SLOTS_LOCK = 0x534C_4F54_0000_0000
# The bookings an agenda shows (not the cancelled or moved ones).
AGENDA_STATUSES = (
    BookingStatus.booked.value,
    BookingStatus.confirmed.value,
    BookingStatus.attended.value,
    BookingStatus.no_show.value,
)


@dataclass(frozen=True, slots=True)
class SlotRequest:
    """What every slot of one creation shares."""

    stage_id: int
    duration: timedelta
    place: Place
    capacity: int
    # None: every application of the stage; otherwise those of these positions/departments.
    positions: tuple[int, ...] | None = None
    departments: tuple[str, ...] | None = None


class CreateOutcome(StrEnum):
    created = "created"
    invalid = "invalid"  # see ``errors``; nothing was created
    no_stage = "no_stage"  # no such stage, or archived


@dataclass(frozen=True, slots=True)
class CreateResult:
    outcome: CreateOutcome
    slots: tuple[Slot, ...] = ()
    errors: tuple[SlotError, ...] = ()
    offered: int = 0  # waiting candidates who got an offer


class CancelOutcome(StrEnum):
    cancelled = "cancelled"
    not_found = "not_found"
    already = "already"  # cancelled before
    started = "started"  # it has begun (or is over): nothing to cancel


@dataclass(frozen=True, slots=True)
class CancelResult:
    outcome: CancelOutcome
    slot: Slot | None = None
    bookings: int = 0  # bookings cancelled with it


async def _lock_creation(session: AsyncSession, stage_id: int) -> None:
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(_SLOTS_LOCK)))
    else:  # SQLite: the database's write lock, at once
        await session.execute(
            text("UPDATE hiring_stages SET id = id WHERE id = :id"), {"id": stage_id}
        )


async def _existing(session: AsyncSession, drafts: Sequence[SlotDraft]) -> list[ExistingSlot]:
    """Stored, not cancelled slots that could overlap the drafts (any stage)."""
    if not drafts:
        return []
    first = min(d.starts_at for d in drafts) - MAX_DURATION
    last = max(d.ends_at for d in drafts)
    rows = await session.scalars(
        select(Slot).where(
            Slot.cancelled_at.is_(None), Slot.starts_at > first, Slot.starts_at < last
        )
    )
    return [
        ExistingSlot(
            row.id,
            utc(row.starts_at),
            timedelta(minutes=row.duration_minutes),
            bookings.place_of(row).key,
        )
        for row in rows
    ]


async def _offer_waiting(
    session: AsyncSession, stage_id: int, new: Sequence[Slot], now: datetime
) -> int:
    """Candidates waiting for a slot of this stage whom a new slot serves: their offer."""
    waiting = await session.scalars(
        select(Application).where(
            Application.current_stage_id == stage_id,
            Application.awaiting_slot_since.is_not(None),
            Application.outcome.is_(None),
            Application.status == ApplicationStatus.invited,
            Application.anonymized_at.is_(None),
        )
    )
    offered = 0
    for application in waiting:
        if any(bookings.serves(slot, application) for slot in new):
            offered += await bookings.queue_offer(
                session, application, reason="slots_opened", now=now
            )
    return offered


async def create_slots(
    session: AsyncSession,
    request: SlotRequest,
    starts: Sequence[datetime],
    *,
    by: int,
    now: datetime | None = None,
) -> CreateResult:
    """Create a slot at each of ``starts`` (aware datetimes), all or none; commits."""
    now = now or datetime.now(UTC)
    stage = await session.get(HiringStage, request.stage_id)
    if stage is None or stage.archived_at is not None:
        return CreateResult(CreateOutcome.no_stage)
    drafts = [
        SlotDraft(start.astimezone(UTC), request.duration, request.place, request.capacity)
        for start in starts
    ]
    if not drafts:
        return CreateResult(CreateOutcome.invalid, errors=(SlotError(SlotErrorCode.empty),))
    await _lock_creation(session, request.stage_id)
    errors = validate(drafts, await _existing(session, drafts), now)
    if errors:
        await session.rollback()
        return CreateResult(CreateOutcome.invalid, errors=tuple(errors))
    place = request.place
    created = [
        Slot(
            stage_id=request.stage_id,
            starts_at=draft.starts_at,
            duration_minutes=int(draft.duration.total_seconds() // 60),
            address=place.address.strip() if place.address else None,
            latitude=place.latitude,
            longitude=place.longitude,
            online_url=place.online_url.strip() if place.online_url else None,
            capacity=draft.capacity,
            booked=0,
            positions=list(request.positions) if request.positions is not None else None,
            departments=list(request.departments) if request.departments is not None else None,
            created_by=by,
            created_at=now,
        )
        for draft in drafts
    ]
    session.add_all(created)
    await session.flush()
    offered = await _offer_waiting(session, request.stage_id, created, now)
    await session.commit()
    log.info("%d slots created for stage %s", len(created), request.stage_id)
    return CreateResult(CreateOutcome.created, tuple(created), offered=offered)


async def create_slot(
    session: AsyncSession,
    request: SlotRequest,
    starts_at: datetime,
    *,
    by: int,
    now: datetime | None = None,
) -> CreateResult:
    """One slot (``starts_at``: aware); commits."""
    return await create_slots(session, request, [starts_at], by=by, now=now)


async def create_repeated(
    session: AsyncSession,
    request: SlotRequest,
    rule: RepeatRule,
    *,
    by: int,
    now: datetime | None = None,
) -> CreateResult:
    """The slots of a repeat rule (e.g. every weekday 10:00–12:00 every 30 min, Almaty
    time, between two dates); all or none; commits."""
    drafts, errors = drafts_from_rule(rule, request.duration, request.place, request.capacity)
    if errors:
        return CreateResult(CreateOutcome.invalid, errors=tuple(errors))
    return await create_slots(session, request, [d.starts_at for d in drafts], by=by, now=now)


async def cancel_slot(
    session: AsyncSession, slot_id: int, *, by: int, now: datetime | None = None
) -> CancelResult:
    """Cancel a slot that has not begun: each booking is cancelled (reminders dropped), its
    candidate told (``booking_cancelled``, reason slot_cancelled) and offered the stage
    again (``booking_offer`` or ``booking_no_slots``); commits."""
    now = now or datetime.now(UTC)
    slot = await session.get(Slot, slot_id, populate_existing=True)
    if slot is None:
        return CancelResult(CancelOutcome.not_found)
    if slot.cancelled_at is not None:
        return CancelResult(CancelOutcome.already, slot)
    if utc(slot.starts_at) <= now:
        return CancelResult(CancelOutcome.started, slot)
    result = await session.execute(
        update(Slot)
        .where(Slot.id == slot_id, Slot.cancelled_at.is_(None))
        .values(cancelled_at=now, cancelled_by=by, booked=0)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        await session.rollback()
        return CancelResult(CancelOutcome.already, await session.get(Slot, slot_id))
    active = list(
        await session.scalars(
            select(Booking).where(Booking.slot_id == slot_id, Booking.status.in_(bookings.ACTIVE))
        )
    )
    cancelled = 0
    for booking in active:
        ended = await session.execute(
            update(Booking)
            .where(Booking.id == booking.id, Booking.status.in_(bookings.ACTIVE))
            .values(status=BookingStatus.cancelled.value, ended_by=by, ended_at=now)
            .execution_options(synchronize_session=False)
        )
        if getattr(ended, "rowcount", 0) != 1:
            continue
        cancelled += 1
        await bookings.drop_reminders(session, [booking.id])
        outbox.enqueue(
            session,
            outbox.BOOKING_CANCELLED,
            booking.application_id,
            {"reason": "slot_cancelled"},
            now=now,
            booking_id=booking.id,
        )
        application = await session.get(Application, booking.application_id)
        if application is not None and bookings.in_pipeline(application):
            await session.flush()
            await bookings.queue_offer(session, application, reason="slot_cancelled", now=now)
    await session.commit()
    log.info("Slot %s cancelled with %d bookings", slot_id, cancelled)
    return CancelResult(CancelOutcome.cancelled, await session.get(Slot, slot_id), cancelled)


# --------------------------------------------------------------------------- the agenda


@dataclass(frozen=True, slots=True)
class AgendaEntry:
    booking: Booking
    application: Application
    result: str | None  # the stage's result for this booking, once marked

    @property
    def confirmed(self) -> bool:
        return self.booking.status == BookingStatus.confirmed


@dataclass(frozen=True, slots=True)
class AgendaSlot:
    slot: Slot
    stage: HiringStage
    entries: tuple[AgendaEntry, ...]

    @property
    def unconfirmed(self) -> int:
        return sum(1 for e in self.entries if e.booking.status == BookingStatus.booked)


def day_bounds(day: date, tz: ZoneInfo = TIMEZONE) -> tuple[datetime, datetime]:
    """A local day as [start, end) in UTC."""
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


async def agenda(
    session: AsyncSession,
    day: date,
    *,
    stage_id: int | None = None,
    include_cancelled: bool = False,
) -> list[AgendaSlot]:
    """A day's slots (Asia/Almaty day) in time order, each with who booked it (booked or
    confirmed, and those already marked attended / no-show), earliest booking first."""
    start, end = day_bounds(day)
    query = (
        select(Slot, HiringStage)
        .join(HiringStage, HiringStage.id == Slot.stage_id)
        .where(Slot.starts_at >= start, Slot.starts_at < end)
        .order_by(Slot.starts_at, Slot.id)
    )
    if stage_id is not None:
        query = query.where(Slot.stage_id == stage_id)
    if not include_cancelled:
        query = query.where(Slot.cancelled_at.is_(None))
    found = [(slot, stage) for slot, stage in await session.execute(query)]
    slot_ids = [slot.id for slot, _ in found]
    entries: dict[int, list[AgendaEntry]] = {slot_id: [] for slot_id in slot_ids}
    if slot_ids:
        rows = await session.execute(
            select(Booking, Application, StageResult.result)
            .join(Application, Application.id == Booking.application_id)
            .outerjoin(StageResult, StageResult.booking_id == Booking.id)
            .where(Booking.slot_id.in_(slot_ids), Booking.status.in_(AGENDA_STATUSES))
            .order_by(Booking.booked_at, Booking.id)
        )
        for booking, application, result in rows:
            entries[booking.slot_id].append(AgendaEntry(booking, application, result))
    return [AgendaSlot(slot, stage, tuple(entries[slot.id])) for slot, stage in found]
