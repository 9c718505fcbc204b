"""bot.services.stages / slots / bookings on SQLite and PostgreSQL: stages, slots, booking with
the capacity held under concurrency, reminders on a fake clock, reschedule, cancel, results to
hired, the .ics, erasure."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from icalendar import Calendar
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.db.engine import create_session_factory
from bot.db.models import (
    Application,
    Booking,
    BookingStatus,
    FunnelEvent,
    OutboxMessage,
    Slot,
    StageResult,
    StageResultKind,
)
from bot.i18n import Translator
from bot.observability import metrics
from bot.scheduling import TIMEZONE
from bot.scheduling.slots import Place, RepeatRule, SlotErrorCode
from bot.scheduling.stages import Localized, LocalizedList, StageCode
from bot.services import bookings, outbox, privacy, slots, stages
from bot.services.bookings import ActionOutcome, BookOutcome, PipelineOutcomeCode
from bot.services.hr import Outcome
from bot.services.slots import CancelOutcome, CreateOutcome, SlotRequest
from bot.services.stages import EditOutcome, Scope

NOW = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)  # Monday 7 December 2026, 09:00 in Almaty
HR = 9000
QUIET = "22:00-08:00"
HALL = Place(address="Алматы, ул. Толе би, 112", latitude=43.2519, longitude=76.9128)
DRIVER, DEPT = 62, "fire_service"


def almaty(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=TIMEZONE).astimezone(UTC)


def aware(value: datetime | None) -> datetime | None:
    return None if value is None else bookings.utc(value)


@pytest.fixture
def factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_factory(engine)


async def new_application(
    factory: async_sessionmaker[AsyncSession],
    user_id: int,
    *,
    position: int = DRIVER,
    department: str = DEPT,
    invite: bool = True,
) -> int:
    async with factory() as session:
        application = Application(
            user_id=user_id,
            position_number=position,
            department=department,
            status="new",
            verdict="fits",
            language="ru",
            full_name="Айгерим Сапарова",
            phone="+77011234567",
            created_at=NOW - timedelta(days=2),
            updated_at=NOW - timedelta(days=2),
        )
        session.add(application)
        await session.commit()
        application_id = application.id
    if invite:
        async with factory() as session:
            decision = await bookings.invite(
                session, application_id, hr_user_id=HR, hr_name="Дана", now=NOW
            )
            assert decision.outcome is Outcome.done
    return application_id


async def chain_ids(factory: async_sessionmaker[AsyncSession]) -> list[int]:
    async with factory() as session:
        return [s.id for s in await stages.chain(session, department=DEPT, position_number=DRIVER)]


async def open_slots(
    factory: async_sessionmaker[AsyncSession],
    stage_id: int,
    starts: list[datetime],
    *,
    capacity: int = 1,
    place: Place = HALL,
    **request: Any,
) -> list[int]:
    async with factory() as session:
        result = await slots.create_slots(
            session,
            SlotRequest(stage_id, timedelta(minutes=30), place, capacity, **request),
            starts,
            by=HR,
            now=NOW,
        )
        assert result.outcome is CreateOutcome.created, result.errors
        return [s.id for s in result.slots]


async def kinds(factory: async_sessionmaker[AsyncSession], application_id: int) -> list[str]:
    async with factory() as session:
        rows = await session.scalars(
            select(OutboxMessage.kind)
            .where(OutboxMessage.application_id == application_id)
            .order_by(OutboxMessage.id)
        )
        return list(rows)


async def reminders(
    factory: async_sessionmaker[AsyncSession], booking_id: int
) -> list[tuple[str, datetime | None]]:
    async with factory() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.booking_id == booking_id,
                OutboxMessage.kind == outbox.BOOKING_REMINDER,
            )
            .order_by(OutboxMessage.not_before)
        )
        return [(r.payload["reminder"], aware(r.not_before)) for r in rows]


async def book(
    factory: async_sessionmaker[AsyncSession],
    application_id: int,
    slot_id: int,
    user_id: int,
    now: datetime = NOW,
) -> bookings.BookResult:
    async with factory() as session:
        return await bookings.book(
            session, application_id, slot_id, by=user_id, quiet_hours=QUIET, now=now
        )


async def slot_row(factory: async_sessionmaker[AsyncSession], slot_id: int) -> Slot:
    async with factory() as session:
        slot = await session.get(Slot, slot_id)
        assert slot is not None
        return slot


async def funnel_kinds(factory: async_sessionmaker[AsyncSession], user_id: int) -> list[str]:
    async with factory() as session:
        rows = await session.scalars(
            select(FunnelEvent.kind).where(FunnelEvent.user_id == user_id).order_by(FunnelEvent.id)
        )
        return list(rows)


# ------------------------------------------------------------------------------ stages


async def test_the_default_chain_is_seeded_and_chains_resolve_by_scope(
    factory: async_sessionmaker[AsyncSession],
) -> None:
    async with factory() as session:
        chain = await stages.chain(session, department=DEPT, position_number=DRIVER)
        assert [s.code for s in chain] == ["interview", "fitness_test", "medical_commission"]
        assert all(s.cutoff_hours == 12 and s.name_ru is None for s in chain)
        assert await stages.ensure_default_chain(session) == chain
        department = await stages.customize(session, Scope(department=DEPT), by=HR, now=NOW)
        assert [s.code for s in department] == [s.code for s in chain]
        assert {s.id for s in department}.isdisjoint({s.id for s in chain})
        added = await stages.add_stage(
            session,
            code=StageCode.custom,
            name=Localized("Арнайы даярлық", "Спецподготовка"),
            checklist=LocalizedList(("Жеке куәлік",), ("Удостоверение личности",)),
            cutoff_hours=24,
            scope=Scope(department=DEPT),
            by=HR,
            now=NOW,
        )
        assert added.outcome is EditOutcome.done and added.stage is not None
        bad = await stages.add_stage(session, scope=Scope(department=DEPT), by=HR)
        assert bad.outcome is EditOutcome.invalid and bad.errors
        resolved = await stages.chain(session, department=DEPT, position_number=DRIVER)
        assert [s.code for s in resolved][-1] == "custom"
        # Another department still follows the global chain.
        other = await stages.chain(session, department="dispatch", position_number=5)
        assert [s.id for s in other] == [s.id for s in chain]
        moved = await stages.move_stage(session, added.stage.id, up=True, by=HR, now=NOW)
        assert moved.outcome is EditOutcome.done
        resolved = await stages.chain(session, department=DEPT, position_number=DRIVER)
        assert [s.code for s in resolved] == [
            "interview",
            "fitness_test",
            "custom",
            "medical_commission",
        ]
        edited = await stages.update_stage(
            session, resolved[0].id, name=Localized("Сұхбат", "Интервью"), cutoff_hours=6, by=HR
        )
        assert edited.outcome is EditOutcome.done
        assert (await stages.update_stage(session, resolved[0].id, cutoff_hours=-1, by=HR)).errors
        await stages.archive_stage(session, resolved[2].id, by=HR, now=NOW)
        resolved = await stages.chain(session, department=DEPT, position_number=DRIVER)
        assert [(s.code, s.name_ru, s.cutoff_hours) for s in resolved][:1] == [
            ("interview", "Интервью", 6)
        ]
        assert len(resolved) == 3
        # A position of its own: a copy of its department's chain.
        own = await stages.customize(
            session, Scope(position_number=DRIVER), position_department=DEPT, by=HR, now=NOW
        )
        assert [s.name_ru for s in own][:1] == ["Интервью"]
        assert [s.id for s in await stages.chain_for(session, _app(DRIVER, DEPT))] == [
            s.id for s in own
        ]


def _app(position: int, department: str) -> Application:
    return Application(position_number=position, department=department)


# ------------------------------------------------------------------------------- slots


async def test_slots_by_a_repeat_rule_and_their_typed_errors(
    factory: async_sessionmaker[AsyncSession],
) -> None:
    interview = (await chain_ids(factory))[0]
    request = SlotRequest(interview, timedelta(minutes=30), HALL, 2)
    rule = RepeatRule(
        date(2026, 12, 8), date(2026, 12, 14), time(10), time(12), timedelta(minutes=30)
    )
    async with factory() as session:
        created = await slots.create_repeated(session, request, rule, by=HR, now=NOW)
        assert created.outcome is CreateOutcome.created
        assert len(created.slots) == 20  # Tue-Fri and Mon: 5 weekdays x 4
        assert aware(created.slots[0].starts_at) == datetime(2026, 12, 8, 5, 0, tzinfo=UTC)
        first_id, second_id = created.slots[0].id, created.slots[1].id
        # The same hall at 10:15-10:45 overlaps 10:00 and 10:30; another address does not.
        overlap = await slots.create_slot(session, request, almaty(8, 10, 15), by=HR, now=NOW)
        assert overlap.outcome is CreateOutcome.invalid
        assert [(e.code, e.other_id) for e in overlap.errors] == [
            (SlotErrorCode.overlap, first_id),
            (SlotErrorCode.overlap, second_id),
        ]
        other = SlotRequest(interview, timedelta(minutes=30), Place(address="Абая, 1"), 1)
        ok = await slots.create_slot(session, other, almaty(8, 10, 15), by=HR, now=NOW)
        assert ok.outcome is CreateOutcome.created
        past = await slots.create_slot(session, request, NOW - timedelta(hours=1), by=HR, now=NOW)
        assert [e.code for e in past.errors] == [SlotErrorCode.in_past]
        zero = SlotRequest(interview, timedelta(minutes=30), Place(address="Абая, 2"), 0)
        none = await slots.create_slot(session, zero, almaty(9, 15), by=HR, now=NOW)
        assert [e.code for e in none.errors] == [SlotErrorCode.bad_capacity]
        long = SlotRequest(interview, timedelta(hours=10), Place(address="Абая, 2"), 1)
        assert [
            e.code for e in (await slots.create_slot(session, long, almaty(9, 15), by=HR)).errors
        ] == [SlotErrorCode.too_long]
        assert (
            await slots.create_slot(
                session, SlotRequest(999, timedelta(minutes=30), HALL, 1), almaty(9, 15), by=HR
            )
        ).outcome is CreateOutcome.no_stage
        total = await session.scalar(select(func.count()).select_from(Slot))
        assert total == 21  # nothing of the refused ones


# ------------------------------------------------------------------------------ offers


async def test_no_free_slot_tells_both_then_new_slots_bring_the_offer(
    factory: async_sessionmaker[AsyncSession],
) -> None:
    application_id = await new_application(factory, 1001)
    assert await kinds(factory, application_id) == [
        outbox.APPLICANT_STATUS,
        outbox.BOOKING_NO_SLOTS,
        outbox.HR_NO_SLOTS,
    ]
    async with factory() as session:
        application = await session.get(Application, application_id)
        assert application is not None
        assert application.status == "invited" and application.current_stage_id is not None
        assert aware(application.awaiting_slot_since) == NOW
        status = await session.scalar(
            select(OutboxMessage.payload).where(OutboxMessage.kind == outbox.APPLICANT_STATUS)
        )
        assert status is not None and status["booking"] is True
    interview = (await chain_ids(factory))[0]
    # A slot for another department does not serve it.
    await open_slots(factory, interview, [almaty(9, 10)], departments=("dispatch",))
    assert (await kinds(factory, application_id))[-1] == outbox.HR_NO_SLOTS
    await open_slots(factory, interview, [almaty(9, 11)], positions=(DRIVER,))
    assert (await kinds(factory, application_id))[-1] == outbox.BOOKING_OFFER
    async with factory() as session:
        application = await session.get(Application, application_id)
        assert application is not None and application.awaiting_slot_since is None
        offered = await bookings.open_slots(session, application, now=NOW)
        assert [aware(s.starts_at) for s in offered] == [almaty(9, 11)]
    # Invited again (a second press): the decision reports it, nothing is queued twice.
    async with factory() as session:
        again = await bookings.invite(session, application_id, hr_user_id=HR, hr_name="Дана")
        assert again.outcome is Outcome.same
    assert (await kinds(factory, application_id)).count(outbox.BOOKING_OFFER) == 1
    assert "invited" in await funnel_kinds(factory, 1001)


async def test_open_slots_in_time_order_of_the_current_stage_only(
    factory: async_sessionmaker[AsyncSession],
) -> None:
    interview, fitness, _ = await chain_ids(factory)
    await open_slots(factory, fitness, [almaty(8, 9)], place=Place(address="Стадион «Динамо»"))
    ids = await open_slots(factory, interview, [almaty(9, 12), almaty(8, 15), almaty(8, 9)])
    await open_slots(factory, interview, [almaty(7, 9, 30)])  # within the booking lead
    application_id = await new_application(factory, 1001)
    async with factory() as session:
        application = await session.get(Application, application_id)
        assert application is not None
        found = await bookings.open_slots(session, application, now=NOW)
    assert [s.id for s in found] == [ids[2], ids[1], ids[0]]


# ------------------------------------------------------------------------------ booking


async def test_book_queues_the_confirmation_and_the_reminders_once(
    factory: async_sessionmaker[AsyncSession],
) -> None:
    interview = (await chain_ids(factory))[0]
    first, second = await open_slots(factory, interview, [almaty(10, 15), almaty(10, 16)])
    application_id = await new_application(factory, 1001)
    result = await book(factory, application_id, first, 1001)
    assert result.outcome is BookOutcome.booked and result.booking is not None
    booking_id = result.booking.id
    assert (await slot_row(factory, first)).booked == 1
    assert await reminders(factory, booking_id) == [("24h", almaty(9, 15)), ("2h", almaty(10, 13))]
    assert (await kinds(factory, application_id))[-4:] == [
        outbox.BOOKING_CONFIRMED,
        outbox.BOOKING_REMINDER,
        outbox.BOOKING_REMINDER,
        outbox.HR_STAGE_EVENT,
    ]
    assert "booked" in await funnel_kinds(factory, 1001)
    # A second press, another slot, someone else's application: nothing more.
    assert (await book(factory, application_id, first, 1001)).outcome is BookOutcome.same
    assert (await book(factory, application_id, second, 1001)).outcome is (
        BookOutcome.already_booked
    )
    assert (await book(factory, application_id, second, 2002)).outcome is BookOutcome.not_found
    assert len(await reminders(factory, booking_id)) == 2
    assert (await slot_row(factory, second)).booked == 0
    # The queue never holds a reminder twice.
    async with factory() as session:
        slot = await session.get(Slot, first)
        booking = await session.get(Booking, booking_id)
        assert slot is not None and booking is not None
        queued = await bookings._queue_reminders(session, booking, slot, quiet_hours=QUIET, now=NOW)
        await session.commit()
    assert queued == 0 and len(await reminders(factory, booking_id)) == 2


async def test_a_slot_too_soon_or_cancelled_cannot_be_booked(
    factory: async_sessionmaker[AsyncSession],
) -> None:
    interview = (await chain_ids(factory))[0]
    (slot_id,) = await open_slots(factory, interview, [almaty(8, 10)])
    application_id = await new_application(factory, 1001)
    late = almaty(8, 9, 30)
    assert (
        await book(factory, application_id, slot_id, 1001, late)
    ).outcome is BookOutcome.too_late
    async with factory() as session:
        assert (await slots.cancel_slot(session, slot_id, by=HR, now=NOW)).outcome is (
            CancelOutcome.cancelled
        )
    result = await book(factory, application_id, slot_id, 1001)
    assert result.outcome is BookOutcome.cancelled
    assert (await book(factory, application_id, 424242, 1001)).outcome is BookOutcome.not_found
    fitness = (await chain_ids(factory))[1]
    (other_stage,) = await open_slots(factory, fitness, [almaty(9, 10)])
    assert (await book(factory, application_id, other_stage, 1001)).outcome is (
        BookOutcome.wrong_stage
    )


@pytest.mark.parametrize("rounds", [4])
async def test_two_bookings_of_the_last_place_at_once_one_wins(
    factory: async_sessionmaker[AsyncSession], rounds: int
) -> None:
    interview = (await chain_ids(factory))[0]
    slot_ids = await open_slots(
        factory, interview, [almaty(9 + i, 10) for i in range(rounds)], capacity=1
    )
    for index, slot_id in enumerate(slot_ids):
        first = await new_application(factory, 3000 + 2 * index)
        second = await new_application(factory, 3001 + 2 * index)
        results = await asyncio.gather(
            book(factory, first, slot_id, 3000 + 2 * index),
            book(factory, second, slot_id, 3001 + 2 * index),
        )
        assert sorted(r.outcome.value for r in results) == ["booked", "full"]
        assert (await slot_row(factory, slot_id)).booked == 1
        async with factory() as session:
            assert await bookings.count_active(session, slot_id) == 1
        loser = next(r for r in results if r.outcome is BookOutcome.full)
        assert loser.booking is None


async def test_a_double_press_on_two_slots_at_once_books_one(
    factory: async_sessionmaker[AsyncSession],
) -> None:
    interview = (await chain_ids(factory))[0]
    a, b = await open_slots(factory, interview, [almaty(9, 10), almaty(9, 11)], capacity=3)
    application_id = await new_application(factory, 1001)
    results = await asyncio.gather(
        book(factory, application_id, a, 1001), book(factory, application_id, b, 1001)
    )
    assert sorted(r.outcome.value for r in results) == ["already_booked", "booked"]
    assert (await slot_row(factory, a)).booked + (await slot_row(factory, b)).booked == 1


# ---------------------------------------------------------------------------- reminders


async def test_reminders_on_a_fake_clock(factory: async_sessionmaker[AsyncSession]) -> None:
    interview = (await chain_ids(factory))[0]
    # 08:30 Thursday: the 2 h reminder would be 06:30 (quiet) → 21:59 on Wednesday.
    (slot_id,) = await open_slots(factory, interview, [almaty(10, 8, 30)])
    application_id = await new_application(factory, 1001)
    booking = (await book(factory, application_id, slot_id, 1001)).booking
    assert booking is not None
    assert await reminders(factory, booking.id) == [
        ("24h", almaty(9, 8, 30)),
        ("2h", almaty(9, 21, 59)),
    ]

    async def due(at: datetime) -> list[str]:
        claimed = await outbox.claim(factory, at, 100)
        async with factory() as session:
            rows = [await session.get(OutboxMessage, i) for i in claimed]
            for row_id in claimed:  # delivered, as the sender would mark them
                await outbox.mark_delivered(session, row_id, at)
        return [f"{r.kind}:{r.payload.get('reminder', '')}" for r in rows if r is not None]

    assert outbox.BOOKING_REMINDER + ":" not in await due(NOW)
    # A restart does not bring a reminder forward.
    assert await outbox.resume(factory, NOW + timedelta(minutes=1)) == 0
    async with factory() as session:
        assert await metrics.outbox_oldest_age(session, NOW + timedelta(hours=1)) is None
    assert await due(almaty(9, 8, 29)) == []
    assert await due(almaty(9, 8, 30)) == ["booking_reminder:24h"]
    assert await due(almaty(9, 21, 58)) == []
    assert await due(almaty(9, 21, 59)) == ["booking_reminder:2h"]
    assert await due(almaty(10, 8)) == []  # nothing twice


async def test_no_reminder_after_cancel(factory: async_sessionmaker[AsyncSession]) -> None:
    interview = (await chain_ids(factory))[0]
    (slot_id,) = await open_slots(factory, interview, [almaty(10, 15)])
    application_id = await new_application(factory, 1001)
    booking = (await book(factory, application_id, slot_id, 1001)).booking
    assert booking is not None
    async with factory() as session:
        result = await bookings.cancel(session, booking.id, by=1001, now=NOW + timedelta(hours=1))
        assert result.outcome is ActionOutcome.done
        assert (await bookings.cancel(session, booking.id, by=1001)).outcome is ActionOutcome.same
        assert await bookings.reminder_due(session, booking.id) is None
    assert await reminders(factory, booking.id) == []
    assert (await slot_row(factory, slot_id)).booked == 0
    async with factory() as session:  # what was due at once went out
        for row_id in await outbox.claim(factory, NOW + timedelta(hours=1), 100):
            await outbox.mark_delivered(session, row_id, NOW)
    assert await outbox.claim(factory, almaty(10, 14), 100) == []  # no reminder is left
    # The place can be booked again.
    assert (await book(factory, application_id, slot_id, 1001)).outcome is BookOutcome.booked


async def test_a_cancelled_slot_cancels_its_bookings_and_offers_again(
    factory: async_sessionmaker[AsyncSession],
) -> None:
    interview = (await chain_ids(factory))[0]
    first, spare = await open_slots(
        factory, interview, [almaty(10, 15), almaty(11, 15)], capacity=2
    )
    one = await new_application(factory, 1001)
    two = await new_application(factory, 1002)
    for application_id, user_id in ((one, 1001), (two, 1002)):
        assert (await book(factory, application_id, first, user_id)).outcome is BookOutcome.booked
    async with factory() as session:
        cancelled = await slots.cancel_slot(session, first, by=HR, now=NOW)
        assert cancelled.outcome is CancelOutcome.cancelled and cancelled.bookings == 2
        assert (await slots.cancel_slot(session, first, by=HR)).outcome is CancelOutcome.already
        statuses = await session.scalars(select(Booking.status).where(Booking.slot_id == first))
        assert set(statuses) == {"cancelled"}
        left = await session.scalar(
            select(func.count()).where(OutboxMessage.kind == outbox.BOOKING_REMINDER)
        )
        assert left == 0
    for application_id in (one, two):
        assert (await kinds(factory, application_id))[-2:] == [
            outbox.BOOKING_CANCELLED,
            outbox.BOOKING_OFFER,
        ]
    assert (await slot_row(factory, spare)).booked == 0


# --------------------------------------------------------------------------- reschedule


async def test_reschedule_before_the_cut_off_moves_the_place_and_the_reminders(
    factory: async_sessionmaker[AsyncSession],
) -> None:
    interview = (await chain_ids(factory))[0]
    old, new, full = await open_slots(
        factory, interview, [almaty(10, 15), almaty(11, 10), almaty(11, 11)]
    )
    blocker = await new_application(factory, 1009)
    assert (await book(factory, blocker, full, 1009)).outcome is BookOutcome.booked
    application_id = await new_application(factory, 1001)
    booking = (await book(factory, application_id, old, 1001)).booking
    assert booking is not None

    async def move(slot_id: int, at: datetime) -> bookings.BookResult:
        async with factory() as session:
            return await bookings.reschedule(
                session, booking.id, slot_id, by=1001, quiet_hours=QUIET, now=at
            )

    assert (await move(full, NOW)).outcome is BookOutcome.full
    # The cut-off is 12 h: at 03:00 on the 10th (12 h before 15:00) it is too late.
    assert (await move(new, almaty(10, 3))).outcome is BookOutcome.too_late
    assert (await slot_row(factory, old)).booked == 1
    assert (await slot_row(factory, new)).booked == 0
    moved = await move(new, almaty(10, 2, 59))
    assert moved.outcome is BookOutcome.rescheduled and moved.booking is not None
    assert (await slot_row(factory, old)).booked == 0
    assert (await slot_row(factory, new)).booked == 1
    async with factory() as session:
        before = await session.get(Booking, booking.id)
        assert before is not None and before.status == BookingStatus.rescheduled
    assert moved.booking.uid == booking.uid and moved.booking.sequence == 1
    assert moved.booking.rescheduled_from_id == booking.id
    assert await reminders(factory, booking.id) == []
    assert await reminders(factory, moved.booking.id) == [
        ("24h", almaty(10, 10)),
        ("2h", almaty(11, 8)),
    ]
    assert (await move(old, NOW)).outcome is BookOutcome.not_active


async def test_confirm(factory: async_sessionmaker[AsyncSession]) -> None:
    interview = (await chain_ids(factory))[0]
    (slot_id,) = await open_slots(factory, interview, [almaty(10, 15)])
    application_id = await new_application(factory, 1001)
    booking = (await book(factory, application_id, slot_id, 1001)).booking
    assert booking is not None
    async with factory() as session:
        assert (await bookings.confirm(session, booking.id, by=2002)).outcome is (
            ActionOutcome.not_found
        )
        done = await bookings.confirm(session, booking.id, by=1001, now=almaty(10, 13))
        assert done.outcome is ActionOutcome.done and done.booking is not None
        assert done.booking.status == "confirmed" and aware(done.booking.confirmed_at) == almaty(
            10, 13
        )
        assert (await bookings.confirm(session, booking.id, by=1001)).outcome is ActionOutcome.same
        late = await bookings.cancel(session, booking.id, by=1001, now=almaty(10, 15))
        assert late.outcome is ActionOutcome.too_late


# ---------------------------------------------------------------------------- the agenda


async def test_a_days_agenda(factory: async_sessionmaker[AsyncSession]) -> None:
    interview = (await chain_ids(factory))[0]
    morning, noon, gone = await open_slots(
        factory, interview, [almaty(10, 10), almaty(10, 12), almaty(10, 14)], capacity=3
    )
    await open_slots(factory, interview, [almaty(11, 10)])
    one = await new_application(factory, 1001)
    two = await new_application(factory, 1002)
    b1 = (await book(factory, one, morning, 1001)).booking
    assert b1 is not None
    assert (await book(factory, two, morning, 1002)).outcome is BookOutcome.booked
    async with factory() as session:
        await bookings.confirm(session, b1.id, by=1001, now=NOW)
        await slots.cancel_slot(session, gone, by=HR, now=NOW)
        day = await slots.agenda(session, date(2026, 12, 10))
    assert [s.slot.id for s in day] == [morning, noon]
    assert [(e.application.id, e.confirmed) for e in day[0].entries] == [(one, True), (two, False)]
    assert day[0].unconfirmed == 1 and day[1].entries == ()
    assert day[0].stage.code == "interview"


# ---------------------------------------------------------------------- results to hired


async def test_through_every_stage_to_hired(factory: async_sessionmaker[AsyncSession]) -> None:
    chain = await chain_ids(factory)
    application_id = await new_application(factory, 1001)
    day = 9
    for index, stage_id in enumerate(chain):
        (slot_id,) = await open_slots(factory, stage_id, [almaty(day, 10)])
        async with factory() as session:
            application = await session.get(Application, application_id)
            assert application is not None and application.current_stage_id == stage_id
        booking = (await book(factory, application_id, slot_id, 1001)).booking
        assert booking is not None
        async with factory() as session:
            early = await bookings.hire(
                session, application_id, start_date=date(2027, 1, 11), by=HR
            )
            assert early.outcome is PipelineOutcomeCode.not_ready
            too_soon = await bookings.record_result(
                session, application_id, stage_id, StageResultKind.passed, by=HR, now=NOW
            )
            assert too_soon.outcome is PipelineOutcomeCode.not_started
            done = await bookings.record_result(
                session,
                application_id,
                stage_id,
                StageResultKind.passed,
                by=HR,
                now=almaty(day, 10, 30),
            )
            assert done.outcome is PipelineOutcomeCode.done
            expected_next = chain[index + 1] if index + 1 < len(chain) else None
            assert (done.next_stage.id if done.next_stage else None) == expected_next
            again = await bookings.record_result(
                session, application_id, stage_id, StageResultKind.passed, by=HR
            )
            assert again.outcome is PipelineOutcomeCode.already
            ended = await session.get(Booking, booking.id, populate_existing=True)
            assert ended is not None and ended.status == "attended"
        day += 1
    async with factory() as session:
        hired = await bookings.hire(
            session, application_id, start_date=date(2027, 1, 11), by=HR, now=almaty(day, 9)
        )
        assert hired.outcome is PipelineOutcomeCode.done and hired.application is not None
        assert hired.application.outcome == "hired" and hired.application.start_date == date(
            2027, 1, 11
        )
        twice = await bookings.hire(session, application_id, start_date=date(2027, 1, 11), by=HR)
        assert twice.outcome is PipelineOutcomeCode.closed
        results = await bookings.results(session, application_id)
        assert [r.result for r in results] == ["passed"] * 3
        assert all(r.decided_by == HR for r in results)
    steps = await funnel_kinds(factory, 1001)
    assert steps.count("booked") == 3 and steps.count("attended") == 3
    assert steps.count("stage_passed") == 3 and steps[-1] == "hired"
    sent = await kinds(factory, application_id)
    assert sent.count(outbox.STAGE_RESULT) == 3 and outbox.APPLICANT_HIRED in sent
    # Each stage: «no free time» first, then the offer once its slot was opened.
    assert sent.count(outbox.BOOKING_NO_SLOTS) == sent.count(outbox.BOOKING_OFFER) == 3


async def test_failed_and_no_show_end_the_application(
    factory: async_sessionmaker[AsyncSession],
) -> None:
    interview = (await chain_ids(factory))[0]
    a, b = await open_slots(factory, interview, [almaty(9, 10), almaty(9, 11)])
    failed = await new_application(factory, 1001)
    absent = await new_application(factory, 1002)
    assert (await book(factory, failed, a, 1001)).outcome is BookOutcome.booked
    assert (await book(factory, absent, b, 1002)).outcome is BookOutcome.booked
    after = almaty(9, 12)
    async with factory() as session:
        for application_id, kind in (
            (failed, StageResultKind.failed),
            (absent, StageResultKind.no_show),
        ):
            result = await bookings.record_result(
                session, application_id, interview, kind, by=HR, now=after
            )
            assert result.outcome is PipelineOutcomeCode.done
        one = await session.get(Application, failed, populate_existing=True)
        two = await session.get(Application, absent, populate_existing=True)
        assert one is not None and two is not None
        assert (one.status, one.outcome, one.reject_reason) == (
            "rejected",
            "failed",
            "not_qualified",
        )
        assert (two.status, two.outcome, two.reject_reason) == (
            "rejected",
            "no_show",
            "no_response",
        )
        statuses = dict(
            (await session.execute(select(Booking.application_id, Booking.status))).all()
        )
        assert statuses == {failed: "attended", absent: "no_show"}
        closed = await bookings.record_result(
            session, failed, interview, StageResultKind.passed, by=HR
        )
        assert closed.outcome is PipelineOutcomeCode.closed
    assert "attended" not in await funnel_kinds(factory, 1002)


async def test_reject_in_the_pipeline_frees_the_place(
    factory: async_sessionmaker[AsyncSession],
) -> None:
    interview = (await chain_ids(factory))[0]
    (slot_id,) = await open_slots(factory, interview, [almaty(10, 15)])
    application_id = await new_application(factory, 1001)
    booking = (await book(factory, application_id, slot_id, 1001)).booking
    assert booking is not None
    async with factory() as session:
        bad = await bookings.reject(session, application_id, reason="nope", by=HR, by_name="Дана")
        assert bad.outcome is PipelineOutcomeCode.invalid
        done = await bookings.reject(
            session, application_id, reason="position_filled", by=HR, by_name="Дана", now=NOW
        )
        assert done.outcome is PipelineOutcomeCode.done
    assert (await slot_row(factory, slot_id)).booked == 0
    assert await reminders(factory, booking.id) == []
    sent = await kinds(factory, application_id)
    assert sent[-3:] == [outbox.BOOKING_CANCELLED, outbox.APPLICANT_STATUS, outbox.HR_STAGE_EVENT]


# ---------------------------------------------------------------------------------- .ics


@pytest.mark.parametrize("lang", ["kk", "ru"])
async def test_the_bookings_ics(factory: async_sessionmaker[AsyncSession], lang: str) -> None:
    interview = (await chain_ids(factory))[0]
    (slot_id,) = await open_slots(factory, interview, [almaty(10, 15)])
    application_id = await new_application(factory, 1001)
    booking = (await book(factory, application_id, slot_id, 1001)).booking
    assert booking is not None
    translator = Translator()
    async with factory() as session:
        data = await bookings.calendar_file(session, booking.id, lang, translator)
    assert data is not None
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert event.decoded("DTSTART") == almaty(10, 15)
    assert event.decoded("DTEND") == almaty(10, 15, 30)
    assert str(event["UID"]) == f"booking-{booking.uid}@recruitment-bot.almaty-rescue"
    assert str(event["LOCATION"]) == HALL.address
    name = translator(lang, "booking.stage.interview")
    assert str(event["SUMMARY"]).startswith(name)
    identity = {"kk": "Жеке куәлік", "ru": "Удостоверение личности"}[lang]
    assert f"• {identity}" in str(event["DESCRIPTION"])


# ------------------------------------------------------------------------------ erasure


async def test_delete_me_removes_bookings_and_results_and_frees_the_place(
    factory: async_sessionmaker[AsyncSession],
) -> None:
    interview, fitness, _ = await chain_ids(factory)
    (first,) = await open_slots(factory, interview, [almaty(9, 10)])
    (second,) = await open_slots(factory, fitness, [almaty(12, 10)])
    application_id = await new_application(factory, 1001)
    assert (await book(factory, application_id, first, 1001)).outcome is BookOutcome.booked
    async with factory() as session:
        await bookings.record_result(
            session, application_id, interview, StageResultKind.passed, by=HR, now=almaty(9, 11)
        )
    assert (await book(factory, application_id, second, 1001)).outcome is BookOutcome.booked
    async with factory() as session:
        report = await privacy.delete_me(session, 1001, now=NOW)
        assert report.bookings == 2
        assert await session.scalar(select(func.count()).select_from(Booking)) == 0
        assert await session.scalar(select(func.count()).select_from(StageResult)) == 0
        left = await session.scalar(
            select(func.count()).where(
                OutboxMessage.application_id == application_id,
                OutboxMessage.delivered_at.is_(None),
                OutboxMessage.kind != outbox.HR_DELETED,
            )
        )
        assert left == 0
    assert (await slot_row(factory, second)).booked == 0
    assert (await slot_row(factory, first)).booked == 1  # attended: the past place stays counted
    assert (await book(factory, application_id, second, 1001)).outcome is BookOutcome.not_found
    assert "bookings" in privacy.PERSONAL_TABLES and "stage_results" in privacy.PERSONAL_TABLES


async def test_retention_removes_old_bookings(factory: async_sessionmaker[AsyncSession]) -> None:
    interview = (await chain_ids(factory))[0]
    (slot_id,) = await open_slots(factory, interview, [almaty(9, 10)])
    application_id = await new_application(factory, 1001)
    assert (await book(factory, application_id, slot_id, 1001)).outcome is BookOutcome.booked
    async with factory() as session:
        assert await privacy.anonymize_older_than(session, 1, NOW) == 1
        assert await session.scalar(select(func.count()).select_from(Booking)) == 0
    assert (await slot_row(factory, slot_id)).booked == 0


# ------------------------------------------------------------------------------- outbox


async def test_outbox_rows_once_and_not_before(factory: async_sessionmaker[AsyncSession]) -> None:
    later = NOW + timedelta(days=3)
    async with factory() as session:
        assert await outbox.enqueue_once(
            session,
            outbox.BOOKING_REMINDER,
            None,
            "k1",
            {"reminder": "2h"},
            now=NOW,
            not_before=later,
        )
        assert not await outbox.enqueue_once(
            session,
            outbox.BOOKING_REMINDER,
            None,
            "k1",
            {"reminder": "2h"},
            now=NOW,
            not_before=later,
        )
        outbox.enqueue(session, outbox.BOOKING_OFFER, None, {}, now=NOW)
        await session.commit()
        assert len(await outbox.rows(session, [outbox.BOOKING_REMINDER])) == 1
    (offer,) = await outbox.claim(factory, NOW, 10)  # the offer, not the reminder
    assert await outbox.resume(factory, NOW) == 1  # the offer's lease; the reminder keeps its time
    async with factory() as session:
        (reminder,) = await outbox.rows(session, [outbox.BOOKING_REMINDER])
        assert aware(reminder.next_attempt_at) == later
        await outbox.mark_delivered(session, offer, NOW)
        # Not late before its time (/readyz), late from then on.
        assert await metrics.outbox_oldest_age(session, NOW) is None
        assert await metrics.outbox_oldest_age(session, later + timedelta(minutes=1)) == 60.0
    assert len(await outbox.claim(factory, later, 10)) == 1
    with pytest.raises(ValueError):
        async with factory() as session:
            await outbox.enqueue_once(session, "nope", None, "k2")
