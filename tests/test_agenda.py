"""HR's /agenda through the real Dispatcher, in both languages: a day's slots with who comes
(✅ confirmed, ❓ not yet, ⚠️ within 2 h), results passed / no-show recorded, a slot
cancelled (asked to confirm), day navigation, no access for others."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.db.models import (
    Application,
    Booking,
    BookingStatus,
    OutboxMessage,
    Slot,
    StageResult,
    StageResultKind,
)
from bot.scheduling import TIMEZONE
from bot.scheduling.slots import Place
from bot.services import bookings, outbox, slots, stages
from bot.services.bookings import BookOutcome
from bot.services.hr import Outcome
from bot.services.slots import CreateOutcome, SlotRequest
from tests.conftest import BotUnderTest
from tests.harness import Person
from tests.test_vacancies import alerts

HR_ID = 9000
QUIET = "22:00-08:00"
HALL = Place(address="ул. Толе би, 112")
ROOM = Place(online_url="https://meet.example.kz/room")
T = {
    "ru": {
        "title": "Расписание на",
        "passed": "Прошёл",
        "no_show": "Не пришёл",
        "recorded": "Отмечено",
        "not_started": "ещё не начался",
        "cancel_slot": "Отменить слот",
        "confirm": "Да, отменить",
        "cancelled": "Слот отменён",
        "started": "уже начался",
        "denied": "только сотрудникам отдела кадров",
        "stage": "Собеседование",
        "unconfirmed": "Не подтвердили: 2",
    },
    "kk": {
        "title": "кестесі",
        "passed": "Өтті",
        "no_show": "Келмеді",
        "recorded": "Белгіленді",
        "not_started": "әлі басталған жоқ",
        "cancel_slot": "Слотты болдырмау",
        "confirm": "Иә, болдырмау",
        "cancelled": "Слот болдырылмады",
        "started": "басталып кетті",
        "denied": "кадр бөлімінің",
        "stage": "Әңгімелесу",
        "unconfirmed": "Растамағандар: 2",
    },
}


@dataclass
class Day:
    started: int  # a slot that began half an hour ago (capacity 3)
    soon: int  # a slot in an hour (capacity 2)
    aigerim: int  # booked the started slot, not confirmed
    bolat: int  # booked the started slot, confirmed
    dana: int  # booked the soon slot, not confirmed
    stage: int


async def _application(app: BotUnderTest, user_id: int, name: str, now: datetime) -> int:
    async with app.session_factory() as session:
        application = Application(
            user_id=user_id,
            position_number=62,
            department="motor_transport",
            status="new",
            verdict="meets",
            language="ru",
            full_name=name,
            phone="+77011234567",
            created_at=now - timedelta(days=3),
            updated_at=now - timedelta(days=3),
        )
        session.add(application)
        await session.commit()
        application_id = application.id
    async with app.session_factory() as session:
        decision = await bookings.invite(
            session, application_id, hr_user_id=HR_ID, hr_name="Дана", now=now - timedelta(days=2)
        )
        assert decision.outcome is Outcome.done
    return application_id


async def _book(app: BotUnderTest, application_id: int, slot_id: int, user_id: int) -> int:
    yesterday = datetime.now(UTC) - timedelta(days=1)
    async with app.session_factory() as session:
        result = await bookings.book(
            session, application_id, slot_id, by=user_id, quiet_hours=QUIET, now=yesterday
        )
        assert result.outcome is BookOutcome.booked and result.booking is not None
        return result.booking.id


async def seed(app: BotUnderTest) -> Day:
    now = datetime.now(UTC)
    async with app.session_factory() as session:
        interview = (await stages.ensure_default_chain(session))[0].id
        made = []
        for start, place, capacity in (
            (now - timedelta(minutes=30), HALL, 3),
            (now + timedelta(hours=1), ROOM, 2),
        ):
            result = await slots.create_slot(
                session,
                SlotRequest(interview, timedelta(minutes=45), place, capacity),
                start,
                by=HR_ID,
                now=now - timedelta(days=1),
            )
            assert result.outcome is CreateOutcome.created, result.errors
            made.append(result.slots[0].id)
    started, soon = made
    aigerim = await _application(app, 1001, "Айгерим Сапарова", now)
    bolat = await _application(app, 1002, "Болат <b>Ким</b>", now)
    dana = await _application(app, 1003, "Дана Ержанова", now)
    await _book(app, aigerim, started, 1001)
    confirmed = await _book(app, bolat, started, 1002)
    await _book(app, dana, soon, 1003)
    async with app.session_factory() as session:
        await bookings.confirm(session, confirmed, by=1002, now=now - timedelta(hours=20))
    return Day(started, soon, aigerim, bolat, dana, interview)


def _day_of(moment: datetime) -> date:
    return moment.astimezone(TIMEZONE).date()


async def open_day(hr: Person, day: date) -> str:
    """/agenda, then ◀ or ▶ to ``day`` (a slot of the test may fall on another day around
    midnight in Almaty)."""
    shown = await hr.send("/agenda")
    today = datetime.now(TIMEZONE).date()
    for _ in range(abs((day - today).days)):
        shown = await hr.press("▶" if day > today else "◀")
    return shown


async def _slot_start(app: BotUnderTest, slot_id: int) -> datetime:
    async with app.session_factory() as session:
        slot = await session.get(Slot, slot_id)
        assert slot is not None
        return bookings.utc(slot.starts_at)


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_the_day_lists_the_booked_candidates_with_their_marks(
    app: BotUnderTest, lang: str
) -> None:
    t = T[lang]
    day = await seed(app)
    hr = app.person(user_id=HR_ID, language_code=lang)
    start = await _slot_start(app, day.started)
    soon = await _slot_start(app, day.soon)
    shown = await open_day(hr, _day_of(start))
    assert t["title"] in shown and _day_of(start).strftime("%d.%m.%Y") in shown
    assert start.astimezone(TIMEZONE).strftime("%H:%M") in shown
    assert t["stage"] in shown and "ул. Толе би, 112" in shown and "2/3" in shown
    assert "❓ Айгерим Сапарова" in shown  # the slot began: unconfirmed is flagged
    assert "✅ Болат &lt;b&gt;Ким&lt;/b&gt;" in shown  # escaped
    assert "62." in shown
    if _day_of(soon) == _day_of(start):
        assert "⚠️❓ Дана Ержанова" in shown and "meet.example.kz" in shown and "1/2" in shown
        assert t["unconfirmed"] in shown
    # The slot's window: its candidates as buttons.
    await hr.press(start.astimezone(TIMEZONE).strftime("%H:%M"))
    names = [b.text for b in hr.buttons()]
    assert any("Айгерим" in n for n in names) and any("Болат" in n for n in names)


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_marking_passed_and_no_show_records_the_results(app: BotUnderTest, lang: str) -> None:
    t = T[lang]
    day = await seed(app)
    hr = app.person(user_id=HR_ID, language_code=lang)
    start = await _slot_start(app, day.started)
    await open_day(hr, _day_of(start))
    await hr.press(start.astimezone(TIMEZONE).strftime("%H:%M"))
    card = await hr.press("Болат")
    assert "62." in card
    app.restart()  # the agenda's day, slot and candidate are in the SQL storage
    shown = await hr.press(t["passed"])
    assert t["recorded"] in shown
    assert "🟢 Болат" in " ".join(b.text for b in hr.buttons())
    await hr.press("Айгерим")
    assert t["recorded"] in await hr.press(t["no_show"])
    async with app.session_factory() as session:
        results = {r.application_id: r.result for r in await session.scalars(select(StageResult))}
        aigerim = await session.get(Application, day.aigerim)
        kinds = list(
            await session.scalars(
                select(OutboxMessage.kind).where(OutboxMessage.kind == outbox.STAGE_RESULT)
            )
        )
    assert results == {
        day.bolat: StageResultKind.passed.value,
        day.aigerim: StageResultKind.no_show.value,
    }
    assert aigerim is not None and aigerim.outcome == "no_show"
    assert len(kinds) == 2  # each candidate is told (the outbox)
    # A second result for the same stage: the buttons are gone; a slot not begun: refused.
    await hr.press("Айгерим")
    assert not any(t["passed"] in b.text for b in hr.buttons())
    soon = await _slot_start(app, day.soon)
    await open_day(hr, _day_of(soon))
    await hr.press(soon.astimezone(TIMEZONE).strftime("%H:%M"))
    await hr.press("Дана")
    await hr.press(t["passed"])
    assert t["not_started"] in alerts(app)[-1]


async def test_failed_ends_the_application(app: BotUnderTest) -> None:
    day = await seed(app)
    hr = app.person(user_id=HR_ID, language_code="kk")
    start = await _slot_start(app, day.started)
    await open_day(hr, _day_of(start))
    await hr.press(start.astimezone(TIMEZONE).strftime("%H:%M"))
    await hr.press("Айгерим")
    assert "өтпеді" in await hr.press("Өтпеді")
    async with app.session_factory() as session:
        application = await session.get(Application, day.aigerim)
    assert application is not None
    assert (application.status, application.outcome) == ("rejected", "failed")


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_cancelling_a_slot_after_a_confirm_step(app: BotUnderTest, lang: str) -> None:
    t = T[lang]
    day = await seed(app)
    hr = app.person(user_id=HR_ID, language_code=lang)
    soon = await _slot_start(app, day.soon)
    await open_day(hr, _day_of(soon))
    await hr.press(soon.astimezone(TIMEZONE).strftime("%H:%M"))
    ask = await hr.press(t["cancel_slot"])
    assert soon.astimezone(TIMEZONE).strftime("%H:%M") in ask and "1" in ask
    async with app.session_factory() as session:
        slot = await session.get(Slot, day.soon)
        assert slot is not None and slot.cancelled_at is None  # not before the confirm
    shown = await hr.press(t["confirm"])
    assert t["cancelled"] in shown and "meet.example.kz" not in shown
    async with app.session_factory() as session:
        slot = await session.get(Slot, day.soon, populate_existing=True)
        booking = await session.scalar(select(Booking).where(Booking.application_id == day.dana))
        told = await session.scalar(
            select(OutboxMessage).where(
                OutboxMessage.application_id == day.dana,
                OutboxMessage.kind == outbox.BOOKING_CANCELLED,
            )
        )
    assert slot is not None and slot.cancelled_at is not None and slot.cancelled_by == HR_ID
    assert booking is not None and booking.status == BookingStatus.cancelled
    assert told is not None
    # A slot that has begun cannot be cancelled.
    start = await _slot_start(app, day.started)
    await open_day(hr, _day_of(start))
    await hr.press(start.astimezone(TIMEZONE).strftime("%H:%M"))
    await hr.press(t["cancel_slot"])
    await hr.press(t["confirm"])
    assert t["started"] in alerts(app)[-1]


async def test_day_navigation_and_the_calendar(app: BotUnderTest) -> None:
    hr = app.person(user_id=HR_ID)
    today = datetime.now(TIMEZONE).date()
    shown = await hr.send("/agenda")
    assert today.strftime("%d.%m.%Y") in shown and "слотов нет" in shown
    tomorrow = today + timedelta(days=1)
    assert tomorrow.strftime("%d.%m.%Y") in await hr.press("▶")
    assert today.strftime("%d.%m.%Y") in await hr.press("◀")
    await hr.press("📅")
    from tests.test_slots_dialog import press_day

    later = today + timedelta(days=20)
    assert later.strftime("%d.%m.%Y") in await press_day(hr, "calendar", later)
    assert today.strftime("%d.%m.%Y") in await hr.press("Сегодня")
    assert "закрыто" in await hr.press("Отмена")


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_others_get_no_access(app: BotUnderTest, lang: str) -> None:
    await seed(app)
    stranger = app.person(user_id=1001, language_code=lang)
    refused = await stranger.send("/agenda")
    assert T[lang]["denied"] in refused and "Айгерим" not in refused
    hr = app.person(user_id=HR_ID, language_code=lang)
    await hr.send("/agenda")
    forged = [b.callback_data or "" for b in hr.buttons()]
    before = len(alerts(app))
    for data in forged:
        await stranger.press_data(data)
    assert len(alerts(app)) == before + len(forged)
