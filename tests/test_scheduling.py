"""bot.scheduling, the pure model of the pipeline after «Invite»: stages, slot generation and
validation, reminder times (24 h, 2 h, never in the quiet hours), cut-offs, the .ics file."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from bot.config import parse_quiet_hours
from bot.i18n import SUPPORTED_LANGS, Translator
from bot.scheduling import TIMEZONE
from bot.scheduling.ics import CalendarEntry, booking_uid, to_ics
from bot.scheduling.reminders import (
    Reminder,
    ReminderKind,
    before_quiet_hours,
    bookable,
    can_cancel,
    can_reschedule,
    in_quiet_hours,
    reminder_times,
)
from bot.scheduling.slots import (
    MAX_SLOTS,
    ExistingSlot,
    Place,
    RepeatRule,
    SlotDraft,
    SlotErrorCode,
    check_rule,
    drafts_from_rule,
    generate,
    to_utc,
    validate,
)
from bot.scheduling.stages import (
    DEFAULT_CHAIN,
    DEFAULT_CUTOFF_HOURS,
    TEXT_KEYS,
    Localized,
    LocalizedList,
    Stage,
    StageCode,
    StageError,
    check_stage,
    default_chain,
    next_stage,
    split_items,
    stage_checklist,
    stage_name,
)
from bot.services import announcements

QUIET = parse_quiet_hours("22:00-08:00")
NOW = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)  # Monday 09:00 in Almaty
HALL = Place(address="Алматы, ул. Толе би, 112, актовый зал")


def almaty(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TIMEZONE).astimezone(UTC)


# ------------------------------------------------------------------------------- stages


def test_the_default_chain_is_interview_fitness_medical() -> None:
    chain = default_chain()
    assert [s.code for s in chain] == list(DEFAULT_CHAIN)
    assert [s.code.value for s in chain] == ["interview", "fitness_test", "medical_commission"]
    assert all(s.cutoff_hours == DEFAULT_CUTOFF_HOURS == 12 for s in chain)
    assert next_stage(chain, 1) == chain[1]
    assert next_stage(chain, 3) is None


@pytest.mark.parametrize("lang", SUPPORTED_LANGS)
def test_default_names_and_checklists_come_from_the_locales(lang: str) -> None:
    translator = Translator()
    for code in StageCode:
        keys = TEXT_KEYS[code]
        assert translator.has(keys.name)
        assert stage_name(Stage(code, 1), lang, translator)
        if keys.checklist is not None:
            items = stage_checklist(Stage(code, 1), lang, translator)
            assert len(items) >= 3, (lang, code, items)
    interview = stage_checklist(Stage(StageCode.interview, 1), lang, translator)
    assert all(item == item.strip() and item for item in interview)


def test_names_and_checklists_set_by_hr_win() -> None:
    translator = Translator()
    stage = Stage(
        StageCode.custom,
        4,
        name=Localized("Арнайы даярлық", "Спецподготовка"),
        checklist=LocalizedList(("Жеке куәлік",), ("Удостоверение личности", "Фото 3x4")),
    )
    assert stage_name(stage, "kk", translator) == "Арнайы даярлық"
    assert stage_name(stage, "ru", translator) == "Спецподготовка"
    assert stage_checklist(stage, "ru", translator) == ("Удостоверение личности", "Фото 3x4")
    assert stage_checklist(Stage(StageCode.custom, 4), "ru", translator) == ()


def test_split_items() -> None:
    assert split_items(" - паспорт\n\n• диплом \n* фото") == ("паспорт", "диплом", "фото")


def test_stage_checks() -> None:
    assert check_stage(StageCode.interview, None, None, 12) == []
    assert check_stage(StageCode.custom, None, None, 12) == [StageError.name_missing]
    assert check_stage(StageCode.custom, Localized("x", " "), None, 12) == [StageError.name_missing]
    assert check_stage(StageCode.interview, None, None, -1) == [StageError.bad_cutoff]
    long = LocalizedList(("a",) * 21, ("b",))
    assert check_stage(StageCode.interview, None, long, 12) == [StageError.checklist_too_long]
    assert check_stage(StageCode.interview, Localized("x" * 101, "y"), None, 12) == [
        StageError.name_too_long
    ]


# -------------------------------------------------------------------------- generation


def test_every_weekday_10_to_12_every_30_minutes() -> None:
    # Monday 7 December to Sunday 13 December 2026: five weekdays, four slots each.
    rule = RepeatRule(
        date(2026, 12, 7), date(2026, 12, 13), time(10), time(12), timedelta(minutes=30)
    )
    starts = generate(rule, timedelta(minutes=30))
    assert len(starts) == 20
    assert starts[:4] == [almaty(7, 10), almaty(7, 10, 30), almaty(7, 11), almaty(7, 11, 30)]
    assert starts[-1] == almaty(11, 11, 30)
    assert all(s.tzinfo is UTC or s.utcoffset() == timedelta(0) for s in starts)
    assert {s.astimezone(TIMEZONE).weekday() for s in starts} == {0, 1, 2, 3, 4}
    # Stored in UTC: Almaty is UTC+5, 10:00 there is 05:00 UTC.
    assert starts[0] == datetime(2026, 12, 7, 5, 0, tzinfo=UTC)


def test_a_slot_must_end_by_the_windows_end() -> None:
    rule = RepeatRule(date(2026, 12, 7), date(2026, 12, 7), time(10), time(12), timedelta(hours=1))
    assert generate(rule, timedelta(minutes=45)) == [almaty(7, 10), almaty(7, 11)]
    assert generate(rule, timedelta(hours=3)) == []  # longer than the window
    drafts, errors = drafts_from_rule(rule, timedelta(hours=3), HALL, 5)
    assert drafts == [] and [e.code for e in errors] == [SlotErrorCode.empty]


def test_bad_rules() -> None:
    day = date(2026, 12, 7)
    step = timedelta(minutes=30)
    codes = {
        e.code
        for e in check_rule(RepeatRule(day, day - timedelta(days=1), time(10), time(9), step), step)
    }
    assert codes == {SlotErrorCode.bad_range}
    no_days = RepeatRule(day, day, time(10), time(12), step, weekdays=frozenset())
    assert [e.code for e in check_rule(no_days, step)] == [SlotErrorCode.no_days]
    tiny = RepeatRule(day, day, time(10), time(12), timedelta(minutes=1))
    assert [e.code for e in check_rule(tiny, step)] == [SlotErrorCode.bad_step]
    year = RepeatRule(day, day + timedelta(days=200), time(10), time(12), step)
    assert [e.code for e in check_rule(year, step)] == [SlotErrorCode.too_many]
    _, errors = drafts_from_rule(
        RepeatRule(day, day + timedelta(days=60), time(0), time(23, 59), timedelta(minutes=5)),
        timedelta(minutes=5),
        HALL,
        1,
    )
    assert [e.code for e in errors] == [SlotErrorCode.too_many]
    assert MAX_SLOTS == 500


@settings(max_examples=200, deadline=None)
@given(
    first=st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31)),
    days=st.integers(0, 30),
    start_minute=st.integers(0, 23 * 60),
    length=st.integers(5, 12 * 60),
    step=st.integers(5, 180),
    duration=st.integers(5, 180),
    weekdays=st.frozensets(st.integers(0, 6), min_size=1),
)
def test_generated_slots_keep_to_the_rule(
    first: date,
    days: int,
    start_minute: int,
    length: int,
    step: int,
    duration: int,
    weekdays: frozenset[int],
) -> None:
    end_minute = min(start_minute + length, 24 * 60 - 1)
    if end_minute <= start_minute:
        return
    rule = RepeatRule(
        first,
        first + timedelta(days=days),
        time(start_minute // 60, start_minute % 60),
        time(end_minute // 60, end_minute % 60),
        timedelta(minutes=step),
        weekdays,
    )
    span = timedelta(minutes=duration)
    starts = generate(rule, span)
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for start in starts:
        local = start.astimezone(TIMEZONE)
        assert rule.first_day <= local.date() <= rule.last_day
        assert local.weekday() in weekdays
        assert local.time() >= rule.day_start
        assert (local + span).time() <= rule.day_end or (local + span).date() == local.date()
        assert local + span <= datetime.combine(local.date(), rule.day_end, tzinfo=TIMEZONE)
        offset = (local - datetime.combine(local.date(), rule.day_start, tzinfo=TIMEZONE)).seconds
        assert offset % (step * 60) == 0
    if len(starts) <= MAX_SLOTS and step >= duration:
        drafts = [SlotDraft(s, span, HALL, 1) for s in starts]
        assert [e for e in validate(drafts, [], NOW) if e.code is SlotErrorCode.overlap] == []


@pytest.mark.parametrize(
    "value", ["22:00-08:00", " 23:30 - 7:00 ", "", "10:00-10:00", "13:00-14:00", "25:00-08:00"]
)
def test_quiet_hours_parse_as_the_announcements_do(value: str) -> None:
    expected = announcements.parse_quiet_hours(value) if value != "25:00-08:00" else None
    assert parse_quiet_hours(value) == expected


def test_to_utc() -> None:
    assert to_utc(date(2026, 12, 7), time(10)) == datetime(2026, 12, 7, 5, tzinfo=UTC)


# -------------------------------------------------------------------------- validation


def _codes(drafts: list[SlotDraft], existing: list[ExistingSlot] | None = None) -> list[str]:
    return [f"{e.index}:{e.code}" for e in validate(drafts, existing or [], NOW)]


def test_valid_slots_pass() -> None:
    drafts = [
        SlotDraft(almaty(8, 10), timedelta(minutes=30), HALL, 5),
        SlotDraft(almaty(8, 10, 30), timedelta(minutes=30), HALL, 5),  # touches: no overlap
        SlotDraft(almaty(8, 10), timedelta(minutes=30), Place(online_url="https://meet.x/a"), 1),
    ]
    assert _codes(drafts) == []


def test_slot_errors_are_typed_and_name_the_draft() -> None:
    span = timedelta(minutes=30)
    drafts = [
        SlotDraft(NOW - timedelta(minutes=1), span, HALL, 1),
        SlotDraft(almaty(8, 10), span, HALL, 0),
        SlotDraft(almaty(8, 12), span, HALL, -3),
        SlotDraft(almaty(8, 13), timedelta(minutes=2), HALL, 1),
        SlotDraft(almaty(8, 14), timedelta(hours=9), HALL, 1),
        SlotDraft(almaty(9, 10), span, Place(), 1),
        SlotDraft(almaty(9, 11), span, Place(online_url="ftp://x"), 1),
        SlotDraft(almaty(9, 12), span, Place(address="A", latitude=43.2), 1),
        SlotDraft(almaty(9, 13), span, Place(address="A", latitude=95.0, longitude=76.9), 1),
    ]
    assert _codes(drafts) == [
        "0:in_past",
        "1:bad_capacity",
        "2:bad_capacity",
        "3:too_short",
        "4:too_long",
        "5:no_place",
        "6:bad_link",
        "7:bad_location",
        "8:bad_location",
    ]
    assert validate([SlotDraft(NOW, span, HALL, 1)], [], NOW)[0].code is SlotErrorCode.in_past


def test_overlaps_within_one_place_new_and_stored() -> None:
    span = timedelta(minutes=45)
    same_hall = Place(address="  алматы, УЛ. Толе би, 112,   актовый зал ")
    assert same_hall.key == HALL.key
    drafts = [
        SlotDraft(almaty(8, 10), span, HALL, 1),
        SlotDraft(almaty(8, 10, 30), span, same_hall, 1),  # overlaps the first
        SlotDraft(almaty(8, 10, 30), span, Place(address="Другой адрес"), 1),
    ]
    errors = validate(drafts, [], NOW)
    assert [(e.index, e.code, e.other_starts_at) for e in errors] == [
        (1, SlotErrorCode.overlap, almaty(8, 10))
    ]
    stored = [ExistingSlot(77, almaty(8, 11), timedelta(minutes=30), HALL.key)]
    errors = validate([*drafts[2:], SlotDraft(almaty(8, 11, 15), span, HALL, 2)], stored, NOW)
    assert [(e.index, e.code, e.other_id) for e in errors] == [(1, SlotErrorCode.overlap, 77)]
    touching = [SlotDraft(almaty(8, 11, 30), span, HALL, 2)]
    assert validate(touching, stored, NOW) == []


def test_naive_times_are_a_programming_error() -> None:
    with pytest.raises(ValueError):
        validate([SlotDraft(datetime(2026, 12, 8, 10), timedelta(minutes=30), HALL, 1)], [], NOW)


# --------------------------------------------------------------------------- reminders


def test_reminders_24_and_2_hours_before() -> None:
    start = almaty(10, 15)  # Thursday 15:00
    assert reminder_times(start, NOW, QUIET) == (
        Reminder(ReminderKind.day_before, almaty(9, 15), ask_confirm=False),
        Reminder(ReminderKind.two_hours, almaty(10, 13), ask_confirm=True),
    )


def test_a_reminder_in_the_quiet_hours_moves_to_the_last_minute_before_them() -> None:
    # 08:30: the 2 h one would be 06:30 (quiet) → 21:59 the evening before.
    assert [r.at for r in reminder_times(almaty(10, 8, 30), NOW, QUIET)] == [
        almaty(9, 8, 30),
        almaty(9, 21, 59),
    ]
    # 23:00 the day before would be quiet (22:00-08:00): 21:59 the same evening.
    assert reminder_times(almaty(10, 23), NOW, QUIET)[0].at == almaty(9, 21, 59)
    # 07:00 → 24 h before is 07:00 (quiet, after midnight) → 21:59 two evenings before.
    assert reminder_times(almaty(10, 7), NOW, QUIET)[0].at == almaty(8, 21, 59)


def test_quiet_hours_within_a_day_and_none() -> None:
    lunch = (time(13), time(14))
    assert before_quiet_hours(almaty(9, 13, 30), lunch) == almaty(9, 12, 59)
    assert before_quiet_hours(almaty(9, 14), lunch) == almaty(9, 14)
    assert reminder_times(almaty(10, 8, 30), NOW, None)[1].at == almaty(10, 6, 30)
    assert parse_quiet_hours("") is None
    assert not in_quiet_hours(time(3), None)


def test_past_reminders_are_skipped() -> None:
    start = almaty(7, 20)  # today 20:00; now is 09:00
    assert [r.kind for r in reminder_times(start, NOW, QUIET)] == [ReminderKind.two_hours]
    assert reminder_times(almaty(7, 10), NOW, QUIET) == ()
    # Booked at 23:00 for 07:00: the 2 h one would move to 21:59, already past.
    late = almaty(7, 23)
    assert reminder_times(almaty(8, 7), late, QUIET) == ()


def test_a_tie_keeps_the_reminder_that_asks_to_confirm() -> None:
    # Quiet 09:00-08:00 (23 h): both reminders of a 09:30 slot (09:30 and 07:30) fall in
    # the quiet hours that began at 09:00 the day before, and move to 08:59 then.
    quiet = (time(9), time(8))
    (only,) = reminder_times(almaty(10, 9, 30), NOW, quiet)
    assert only.at == almaty(9, 8, 59)
    assert only.kind is ReminderKind.two_hours and only.ask_confirm


@settings(max_examples=300, deadline=None)
@given(
    start_minutes=st.integers(0, 60 * 24 * 10),
    booked_before=st.integers(0, 60 * 24 * 5),
    quiet_start=st.integers(0, 24 * 60 - 1),
    quiet_end=st.integers(0, 24 * 60 - 1),
)
def test_reminders_never_in_quiet_hours_never_past_never_after_the_start(
    start_minutes: int, booked_before: int, quiet_start: int, quiet_end: int
) -> None:
    quiet = (
        (time(quiet_start // 60, quiet_start % 60), time(quiet_end // 60, quiet_end % 60))
        if quiet_start != quiet_end
        else None
    )
    start = NOW + timedelta(minutes=start_minutes)
    now = start - timedelta(minutes=booked_before)
    reminders = reminder_times(start, now, quiet)
    assert len(reminders) <= 2
    assert [r.at for r in reminders] == sorted({r.at for r in reminders})
    for reminder in reminders:
        assert now < reminder.at <= start - timedelta(hours=2)
        local = reminder.at.astimezone(TIMEZONE).time()
        assert not in_quiet_hours(local, quiet)
        # Never earlier than needed: at its offset, or right before quiet hours.
        ideal = start - (timedelta(hours=24) if reminder.kind == "24h" else timedelta(hours=2))
        assert reminder.at <= ideal
        if reminder.at != ideal:
            after = (reminder.at + timedelta(minutes=1)).astimezone(TIMEZONE).time()
            assert in_quiet_hours(after, quiet)


def test_cut_offs() -> None:
    start = almaty(10, 10)
    assert can_reschedule(start, start - timedelta(hours=12, minutes=1), 12)
    assert not can_reschedule(start, start - timedelta(hours=12), 12)
    assert not can_reschedule(start, start - timedelta(hours=3), 12)
    assert can_reschedule(start, start - timedelta(minutes=1), 0)
    assert can_cancel(start, start - timedelta(seconds=1))
    assert not can_cancel(start, start)
    assert bookable(start, start - timedelta(hours=1))
    assert not bookable(start, start - timedelta(minutes=59))


# -------------------------------------------------------------------------------- .ics


def test_the_ics_file_parses_back_with_the_right_times() -> None:
    start = almaty(10, 10)
    entry = CalendarEntry(
        uid=booking_uid("3f2a"),
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        summary="Собеседование — Служба спасения г. Алматы",
        description="Отдел кадров, каб. 12",
        checklist_title="Что взять с собой:",
        checklist=("Удостоверение личности", "Диплом"),
        location=HALL.address,
        geo=(43.2567, 76.9286),
        sequence=1,
    )
    data = to_ics(entry, stamp=NOW)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["UID"]) == "booking-3f2a@recruitment-bot.almaty-rescue"
    assert event.decoded("DTSTART") == datetime(2026, 12, 10, 5, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 12, 10, 5, 30, tzinfo=UTC)
    assert b"DTSTART:20261210T050000Z" in data  # UTC, not a floating local time
    assert str(event["LOCATION"]) == HALL.address
    assert str(event["SUMMARY"]) == entry.summary
    description = str(event["DESCRIPTION"])
    assert "Отдел кадров, каб. 12" in description
    assert "Что взять с собой:\n• Удостоверение личности\n• Диплом" in description
    assert int(event["SEQUENCE"]) == 1
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "URL" not in event
    # The same booking gives the same file (the UID and DTSTAMP are fixed).
    assert to_ics(entry, stamp=NOW) == data


def test_an_online_booking_has_its_url_and_a_cancelled_one_says_so() -> None:
    start = almaty(10, 10)
    entry = CalendarEntry(
        uid=booking_uid("9"),
        starts_at=start,
        ends_at=start + timedelta(minutes=20),
        summary="Interview",
        location="Онлайн",
        url="https://meet.example.kz/abc",
        cancelled=True,
    )
    calendar = Calendar.from_ical(to_ics(entry, stamp=NOW))
    assert str(calendar["METHOD"]) == "CANCEL"
    (event,) = calendar.walk("VEVENT")
    assert str(event["URL"]) == "https://meet.example.kz/abc"
    assert str(event["STATUS"]) == "CANCELLED"
    assert "https://meet.example.kz/abc" in str(event["DESCRIPTION"])
