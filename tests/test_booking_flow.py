"""The pipeline after «Invite» through the real Dispatcher, in Kazakh and Russian: HR invite,
the candidate books a slot from the offer, gets the confirmation with the checklist and the
.ics, confirms from the 2 h reminder, reschedules, cancels; the last place pressed by two;
the cut-off; forged buttons; HR mark each stage on the card up to «hired»; reminders on a
fake clock, none after a cancel, none repeated after a restart."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from aiogram.methods import (
    EditMessageText,
    SendDocument,
    SendLocation,
    SendMessage,
)
from aiogram.types import BufferedInputFile
from icalendar import Calendar
from sqlalchemy import select, update

from bot.db.models import Application, ApplicationStatus, Booking, Slot, StageResult
from bot.keyboards.callbacks import (
    BookingAction,
    BookingActionCb,
    BookSlotCb,
    HRAction,
    HRDecisionCb,
    HRStageAction,
    HRStageCb,
    WithdrawCb,
)
from bot.scheduling import TIMEZONE
from bot.scheduling.slots import Place
from bot.sending.delivery import deliver_pending
from bot.services import slots, stages
from bot.services.slots import CreateOutcome, SlotRequest
from tests.conftest import BotUnderTest
from tests.harness import Person
from tests.test_hr_flow import HR_ID, HRMember, buttons, last_answer, stored
from tests.test_outbox import HR_CHAT, context, make_application

HALL = Place(address="Алматы, ул. Толе би, 112", latitude=43.2519, longitude=76.9128)
LANGS = ["kk", "ru"]
T = {  # what the candidate reads, by language
    "kk": {
        "offer": "ыңғайлы уақытты таңдаңыз",
        "confirmed": "Сіз жазылдыңыз",
        "checklist": "Өзіңізбен бірге алыңыз",
        "booked": "Жазылдыңыз",
        "confirm": "Растаймын",
        "confirmed_answer": "Рахмет",
        "reschedule": "Ауыстыру",
        "rescheduled": "Жазылу ауыстырылды",
        "cancel": "бас тарту",
        "cancelled": "Жазылу болдырылмады",
        "tomorrow": "ертең",
        "in_2h": "2 сағаттан кейін",
        "passed": "кезеңінен өттіңіз",
        "last": "соңғы кезең",
        "hired": "Құттықтаймыз",
        "taken": "жаңа ғана біреу алды",
        "cutoff": "ауыстыру мерзімі өтті",
        "stale": "Бұл түйме енді жарамсыз",
        "no_slots": "бос уақыт жоқ",
        "interview": "Әңгімелесу",
    },
    "ru": {
        "offer": "выберите удобное время",
        "confirmed": "Вы записаны",
        "checklist": "Что взять с собой",
        "booked": "Записано",
        "confirm": "Подтверждаю",
        "confirmed_answer": "Спасибо",
        "reschedule": "Перенести",
        "rescheduled": "Запись перенесена",
        "cancel": "Отменить запись",
        "cancelled": "Запись отменена",
        "tomorrow": "завтра",
        "in_2h": "Через 2 часа",
        "passed": "пройден",
        "last": "последний этап",
        "hired": "Поздравляем",
        "taken": "только что заняли",
        "cutoff": "срок переноса прошёл",
        "stale": "Эта кнопка больше не действует",
        "no_slots": "нет свободного времени",
        "interview": "Собеседование",
    },
}


def at(days: int, hour: int) -> datetime:
    """``days`` from today at ``hour``:00 Almaty time, in UTC."""
    day = datetime.now(TIMEZONE).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=TIMEZONE).astimezone(UTC)


async def chain(app: BotUnderTest) -> list[int]:
    async with app.session_factory() as session:
        found = await stages.chain(session, department="fire_service", position_number=62)
        return [s.id for s in found]


async def open_slot(
    app: BotUnderTest, stage_id: int, starts: datetime, *, capacity: int = 1
) -> int:
    async with app.session_factory() as session:
        result = await slots.create_slot(
            session,
            SlotRequest(stage_id, timedelta(minutes=30), HALL, capacity),
            starts,
            by=HR_ID,
        )
        assert result.outcome is CreateOutcome.created, result.errors
        return result.slots[0].id


async def deliver(app: BotUnderTest, now: datetime | None = None) -> None:
    await deliver_pending(context(app), now=now)


async def invited(app: BotUnderTest, user_id: int, lang: str) -> tuple[Person, int]:
    """A candidate whose card reached HR and whom HR invited; the outbox delivered."""
    application = await make_application(app, user_id, language=lang)
    await deliver(app)
    await HRMember(app).press_data(
        HRDecisionCb(app=application.id, action=HRAction.invite, seen=ApplicationStatus.new).pack()
    )
    await deliver(app)
    return app.person(user_id, language_code=lang), application.id


def sent_to(app: BotUnderTest, chat: int) -> list[str]:
    return [r.text for r in app.session.of(SendMessage) if r.chat_id == chat]


def ics_of(app: BotUnderTest, chat: int) -> Calendar:
    documents = [r for r in app.session.of(SendDocument) if r.chat_id == chat]
    assert documents, "no .ics was sent"
    document = documents[-1].document
    assert isinstance(document, BufferedInputFile) and document.filename.endswith(".ics")
    return Calendar.from_ical(document.data)


async def the_booking(app: BotUnderTest, application_id: int) -> Booking:
    async with app.session_factory() as session:
        found = await session.scalars(
            select(Booking).where(Booking.application_id == application_id).order_by(Booking.id)
        )
        return list(found)[-1]


async def begin(app: BotUnderTest, slot_id: int) -> None:
    """The slot's time has come (the interview took place): its start moves into the past."""
    async with app.session_factory() as session:
        await session.execute(
            update(Slot)
            .where(Slot.id == slot_id)
            .values(starts_at=datetime.now(UTC) - timedelta(minutes=30))
        )
        await session.commit()


@pytest.mark.parametrize("lang", LANGS)
async def test_invite_offer_book_confirmation_and_ics(app: BotUnderTest, lang: str) -> None:
    first = (await chain(app))[0]
    starts = at(3, 10)
    slot_id = await open_slot(app, first, starts)
    await open_slot(app, first, at(3, 11))
    person, application_id = await invited(app, 7001, lang)
    texts = sent_to(app, 7001)
    assert T[lang]["offer"] in texts[-1] and T[lang]["interview"] in texts[-1]
    assert len(person.buttons()) == 2  # the two open slots

    answer = await person.press("10:00")
    assert T[lang]["booked"] in (person.alert() or "")
    assert "10:00" in answer  # the offer now says what was chosen, without buttons
    booking = await the_booking(app, application_id)
    assert booking.slot_id == slot_id and booking.status == "booked"

    app.session.clear()
    await deliver(app)
    [confirmation] = sent_to(app, 7001)
    assert T[lang]["confirmed"] in confirmation and T[lang]["checklist"] in confirmation
    assert "Толе би, 112" in confirmation and "10:00" in confirmation
    [location] = [r for r in app.session.of(SendLocation) if r.chat_id == 7001]
    assert (location.latitude, location.longitude) == (HALL.latitude, HALL.longitude)
    [event] = ics_of(app, 7001).walk("VEVENT")
    assert event.decoded("dtstart") == starts
    assert "Толе би, 112" in str(event["location"])
    # HR: the card shows the booking, and a note under it says so.
    card = await stored(app, application_id)
    edits = [
        r
        for r in app.session.of(EditMessageText)
        if r.chat_id == HR_CHAT and r.message_id == card.hr_message_id
    ]
    assert edits and "Запись:" in edits[-1].text and "не подтверждена" in edits[-1].text
    assert any("запись на «Собеседование»" in t for t in sent_to(app, HR_CHAT))


@pytest.mark.parametrize("lang", LANGS)
async def test_reminders_on_a_fake_clock_confirm_and_a_restart(
    app: BotUnderTest, lang: str
) -> None:
    first = (await chain(app))[0]
    starts = at(3, 10)
    await open_slot(app, first, starts)
    person, application_id = await invited(app, 7002, lang)
    await person.press("10:00")
    await deliver(app)
    app.session.clear()
    await deliver(app, starts - timedelta(hours=25))  # no reminder yet
    assert sent_to(app, 7002) == []
    await deliver(app, starts - timedelta(hours=24))
    [day_before] = sent_to(app, 7002)
    assert T[lang]["tomorrow"] in day_before
    assert T[lang]["confirm"] not in str(person.buttons())  # the 24 h one does not ask

    app.restart()  # a new dispatcher on the same database
    await deliver(app, starts - timedelta(hours=24))  # nothing is repeated
    assert len(sent_to(app, 7002)) == 1
    await deliver(app, starts - timedelta(hours=2))
    two_hours = sent_to(app, 7002)[-1]
    assert T[lang]["in_2h"] in two_hours and len(sent_to(app, 7002)) == 2
    await person.press(T[lang]["confirm"])
    assert T[lang]["confirmed_answer"] in (person.alert() or "")
    assert (await the_booking(app, application_id)).status == "confirmed"
    app.restart()
    await deliver(app, starts - timedelta(hours=1))
    assert len(sent_to(app, 7002)) == 2  # still two reminders, no more
    # HR's card says confirmed, and a note under it.
    assert any("подтверждена ✅" in r.text for r in app.session.of(EditMessageText))
    assert any("подтвердил(а) запись" in t for t in sent_to(app, HR_CHAT))


@pytest.mark.parametrize("lang", LANGS)
async def test_reschedule_then_cancel_and_no_reminder_after(app: BotUnderTest, lang: str) -> None:
    first = (await chain(app))[0]
    starts = at(3, 10)
    await open_slot(app, first, starts)
    later = await open_slot(app, first, at(3, 12))
    person, application_id = await invited(app, 7003, lang)
    await person.press("10:00")
    await deliver(app)
    await person.press(T[lang]["reschedule"])  # the other open times, as a new message
    assert [b.text for b in person.buttons()] and "12:00" in person.buttons()[0].text
    await person.press("12:00")
    moved = await the_booking(app, application_id)
    assert moved.slot_id == later and moved.sequence == 1
    app.session.clear()
    await deliver(app)
    assert T[lang]["rescheduled"] in sent_to(app, 7003)[0]
    [event] = ics_of(app, 7003).walk("VEVENT")
    assert event.decoded("dtstart") == at(3, 12) and int(event["sequence"]) == 1

    shown = await person.press(T[lang]["cancel"])
    assert T[lang]["cancelled"] in shown and "12:00" in shown
    assert (await the_booking(app, application_id)).status == "cancelled"
    # The freed times are offered again on the same message.
    assert {b.text.split(", ")[-1] for b in person.buttons()} == {"10:00", "12:00"}
    app.session.clear()
    for hours in (24, 2):  # the reminders were dropped with the booking
        await deliver(app, at(3, 12) - timedelta(hours=hours))
    assert not any(T[lang]["tomorrow"] in t or T[lang]["in_2h"] in t for t in sent_to(app, 7003))


async def test_two_candidates_press_the_last_place(app: BotUnderTest) -> None:
    first = (await chain(app))[0]
    last = await open_slot(app, first, at(4, 10))
    await open_slot(app, first, at(4, 15))
    aigerim, a_id = await invited(app, 7004, "kk")
    dana, d_id = await invited(app, 7005, "ru")
    a_offer, d_offer = aigerim.screen(), dana.screen()
    data = BookSlotCb(app=a_id, slot=last).pack()
    await asyncio.gather(
        aigerim.press_data(data, on=a_offer, quiet=True),
        dana.press_data(BookSlotCb(app=d_id, slot=last).pack(), on=d_offer, quiet=True),
    )
    async with app.session_factory() as session:
        held = list(await session.scalars(select(Booking).where(Booking.slot_id == last)))
        slot = await session.get(Slot, last)
        assert slot is not None and slot.booked == 1
    assert len(held) == 1
    winner, loser = (aigerim, dana) if held[0].application_id == a_id else (dana, aigerim)
    lang = "kk" if loser is aigerim else "ru"
    assert T[lang]["taken"] in (loser.alert() or "")
    # The loser's offer now lists the next open time only.
    assert [
        b.text.split(", ")[-1] for b in loser.buttons(loser.messages()[loser.screen().message_id])
    ] == ["15:00"]
    assert winner.alert() and T["kk" if winner is aigerim else "ru"]["booked"] in winner.alert()


@pytest.mark.parametrize("lang", LANGS)
async def test_reschedule_after_the_cutoff_is_refused(app: BotUnderTest, lang: str) -> None:
    first = (await chain(app))[0]
    slot_id = await open_slot(app, first, at(3, 10))
    other = await open_slot(app, first, at(3, 12))
    person, application_id = await invited(app, 7006, lang)
    await person.press("10:00")
    await deliver(app)
    confirmation = person.screen()
    async with app.session_factory() as session:  # time passes: 5 h before the start
        await session.execute(
            update(Slot)
            .where(Slot.id == slot_id)
            .values(starts_at=datetime.now(UTC) + timedelta(hours=5))
        )
        await session.commit()
    await person.press(T[lang]["reschedule"], on=confirmation)
    assert T[lang]["cutoff"] in (person.alert() or "") and person.only_answered()
    booking = await the_booking(app, application_id)
    await person.press_data(BookSlotCb(app=application_id, slot=other, booking=booking.id).pack())
    assert T[lang]["cutoff"] in (person.alert() or "") and person.only_answered()
    after = await the_booking(app, application_id)
    assert (after.id, after.slot_id, after.status) == (booking.id, slot_id, "booked")


async def test_forged_buttons_for_someone_elses_booking_change_nothing(
    app: BotUnderTest,
) -> None:
    first = (await chain(app))[0]
    slot_id = await open_slot(app, first, at(3, 10))
    free = await open_slot(app, first, at(3, 12))
    owner, application_id = await invited(app, 7007, "ru")
    await owner.press("10:00")
    booking = await the_booking(app, application_id)
    other = app.person(7008, language_code="kk")
    for action in BookingAction:
        await other.press_data(BookingActionCb(booking=booking.id, action=action).pack())
        assert T["kk"]["stale"] in (other.alert() or "") and other.only_answered()
    await other.press_data(BookSlotCb(app=application_id, slot=free).pack())
    assert T["kk"]["stale"] in (other.alert() or "")
    await other.press_data(BookSlotCb(app=application_id, slot=free, booking=booking.id).pack())
    assert T["kk"]["stale"] in (other.alert() or "")
    for garbage in ("bka:abc:x", "bka:0:c", "bks:1:99999999999:0", "bka:5:zz"):
        await other.press_data(garbage)  # answered as a stale button, nothing crashes
        assert other.only_answered()
    after = await the_booking(app, application_id)
    assert (after.id, after.slot_id, after.status) == (booking.id, slot_id, "booked")


@pytest.mark.parametrize("lang", LANGS)
async def test_every_stage_passed_then_hired_with_a_start_date(
    app: BotUnderTest, lang: str
) -> None:
    stage_ids = await chain(app)
    assert len(stage_ids) == 3
    slot_ids = [await open_slot(app, s, at(3 + i, 10)) for i, s in enumerate(stage_ids)]
    person, application_id = await invited(app, 7009, lang)
    hr = HRMember(app)
    for index, (stage_id, slot_id) in enumerate(zip(stage_ids, slot_ids, strict=True)):
        await person.press("10:00")
        # Too early: the booked slot has not begun.
        await hr.press_data(
            HRStageCb(app=application_id, stage=stage_id, action=HRStageAction.passed).pack()
        )
        assert "ещё не началась" in last_answer(app)
        await begin(app, slot_id)
        await hr.press_data(
            HRStageCb(app=application_id, stage=stage_id, action=HRStageAction.passed).pack()
        )
        assert "пройден" in last_answer(app)
        # A second press (the same card) records nothing more.
        await hr.press_data(
            HRStageCb(app=application_id, stage=stage_id, action=HRStageAction.passed).pack()
        )
        assert "уже отмечен" in last_answer(app)
        app.session.clear()
        await deliver(app)
        texts = sent_to(app, 7009)
        assert T[lang]["passed"] in texts[0]
        if index < 2:
            assert T[lang]["offer"] in texts[-1]  # the next stage's offer
        else:
            assert T[lang]["last"] in texts[0]
    async with app.session_factory() as session:
        results = list(await session.scalars(select(StageResult).order_by(StageResult.id)))
    assert [(r.stage_id, r.result, r.decided_by) for r in results] == [
        (s, "passed", HR_ID) for s in stage_ids
    ]
    card = [r for r in app.session.of(EditMessageText) if r.chat_id == HR_CHAT][-1]
    assert "Все этапы пройдены" in card.text
    await hr.press_data(buttons(card.reply_markup)["🎉 Принят"])
    dates = app.session.requests[-2]  # the card's markup: the start dates
    markup = getattr(dates, "reply_markup", None)
    choices = [b for b in buttons(markup) if b.startswith("🎉 с ")]
    assert len(choices) == 6
    start = datetime.strptime(choices[0].removeprefix("🎉 с "), "%d.%m.%Y").date()
    assert start.weekday() == 0 and start > date.today()
    await hr.press_data(buttons(markup)[choices[0]])
    assert "принят(а)" in last_answer(app)
    hired = await stored(app, application_id)
    assert (hired.outcome, hired.start_date, hired.outcome_by) == ("hired", start, HR_ID)
    app.session.clear()
    await deliver(app)
    [notice] = sent_to(app, 7009)
    assert T[lang]["hired"] in notice and start.strftime("%d.%m.%Y") in notice
    assert any("🎉 Принят(а)" in r.text for r in app.session.of(EditMessageText))


@pytest.mark.parametrize("lang", LANGS)
async def test_no_slots_then_slots_open_and_reject_cancels_the_booking(
    app: BotUnderTest, lang: str
) -> None:
    first = (await chain(app))[0]
    person, application_id = await invited(app, 7010, lang)
    assert T[lang]["no_slots"] in sent_to(app, 7010)[-1]
    assert any("свободных слотов нет" in t for t in sent_to(app, HR_CHAT))
    await open_slot(app, first, at(3, 10))  # HR open a slot: the waiting candidate's offer
    await deliver(app)
    assert T[lang]["offer"] in sent_to(app, 7010)[-1]
    await person.press("10:00")
    await deliver(app)
    # HR reject in the middle of the pipeline: the booking is cancelled, the place freed.
    hr = HRMember(app)
    await hr.press_data(
        HRDecisionCb(
            app=application_id, action=HRAction.reject, seen=ApplicationStatus.invited
        ).pack()
    )
    reasons = buttons(app.session.requests[-2].reply_markup)  # type: ignore[attr-defined]
    await hr.press_data(reasons["Другая причина"])
    assert (await the_booking(app, application_id)).status == "cancelled"
    app.session.clear()
    await deliver(app)
    assert len(sent_to(app, 7010)) == 2  # the cancelled booking and the decision
    async with app.session_factory() as session:
        application = await session.get(Application, application_id)
        assert application is not None and application.outcome == "rejected"
        slot = (await session.scalars(select(Slot))).one()
        assert slot.booked == 0


@pytest.mark.parametrize("lang", LANGS)
async def test_no_show_ends_the_application(app: BotUnderTest, lang: str) -> None:
    first = (await chain(app))[0]
    slot_id = await open_slot(app, first, at(3, 10))
    person, application_id = await invited(app, 7011, lang)
    hr = HRMember(app)
    no_show = HRStageCb(app=application_id, stage=first, action=HRStageAction.no_show).pack()
    await hr.press_data(no_show)  # not booked: a no-show cannot be marked
    assert "не записан" in last_answer(app)
    await person.press("10:00")
    await begin(app, slot_id)
    await hr.press_data(no_show)
    assert "неявка" in last_answer(app)
    ended = await stored(app, application_id)
    assert (ended.status, ended.outcome, ended.reject_reason) == (
        "rejected",
        "no_show",
        "no_response",
    )
    assert (await the_booking(app, application_id)).status == "no_show"
    card = [r for r in app.session.of(EditMessageText) if r.chat_id == HR_CHAT][-1]
    assert "неявка" in card.text and card.reply_markup is None  # nothing left to press
    app.session.clear()
    await deliver(app)
    texts = sent_to(app, 7011)
    words = {"kk": "келмедіңіз", "ru": "не пришли"}
    assert len(texts) == 1 and words[lang] in texts[0]
    # A stale «passed» of the same card changes nothing.
    await hr.press_data(
        HRStageCb(app=application_id, stage=first, action=HRStageAction.passed).pack()
    )
    assert "уже не в отборе" in last_answer(app)
    assert (await stored(app, application_id)).outcome == "no_show"


@pytest.mark.parametrize("lang", LANGS)
async def test_cancelled_slots_refused_and_the_booked_one_rebooked(
    app: BotUnderTest, lang: str
) -> None:
    first = (await chain(app))[0]
    booked_slot = await open_slot(app, first, at(3, 10))
    dropped = await open_slot(app, first, at(3, 12))
    await open_slot(app, first, at(3, 14))
    person, application_id = await invited(app, 7012, lang)
    offer = person.screen()
    async with app.session_factory() as session:  # HR cancel a slot after the offer went out
        await slots.cancel_slot(session, dropped, by=HR_ID)
    await person.press("12:00", on=offer)
    words = {"kk": "болдырылмады", "ru": "отменено"}
    assert words[lang] in (person.alert() or "")
    assert {b.text.split(", ")[-1] for b in person.buttons()} == {"10:00", "14:00"}
    await person.press("10:00")
    # HR cancel the booked slot: the candidate is told and offered the times left.
    async with app.session_factory() as session:
        await slots.cancel_slot(session, booked_slot, by=HR_ID)
    assert (await the_booking(app, application_id)).status == "cancelled"
    app.session.clear()
    await deliver(app)
    texts = sent_to(app, 7012)
    told = {"kk": "Кадр бөлімі жазылу уақытыңызды болдырмады", "ru": "Отдел кадров отменил"}
    assert any(told[lang] in t for t in texts)
    assert {"kk": "басқа уақытты таңдаңыз", "ru": "Выберите другое время"}[lang] in texts[-1]
    assert [b.text.split(", ")[-1] for b in person.buttons()] == ["14:00"]
    await person.press("14:00")
    assert (await the_booking(app, application_id)).status == "booked"


@pytest.mark.parametrize("lang", LANGS)
async def test_withdrawing_frees_the_place_and_drops_the_reminders(
    app: BotUnderTest, lang: str
) -> None:
    first = (await chain(app))[0]
    starts = at(3, 10)
    slot_id = await open_slot(app, first, starts)
    person, application_id = await invited(app, 7020, lang)
    await person.press("10:00")
    await deliver(app)
    answer = await person.press_data(WithdrawCb(application_id=application_id, confirm=True).pack())
    assert ("отозвана" if lang == "ru" else "кері қайтарылды") in answer
    assert (await the_booking(app, application_id)).status == "cancelled"
    async with app.session_factory() as session:
        slot = await session.get(Slot, slot_id)
        assert slot is not None and slot.booked == 0  # the place is free for the others
    app.session.clear()
    for hours in (24, 2):
        await deliver(app, starts - timedelta(hours=hours))
    assert not any(T[lang]["tomorrow"] in t or T[lang]["in_2h"] in t for t in sent_to(app, 7020))
    other, _ = await invited(app, 7021, "ru")
    assert "10:00" in str(other.buttons())  # offered to the next candidate
