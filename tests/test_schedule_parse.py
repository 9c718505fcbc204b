"""A date and time typed by HR, understood in Asia/Almaty."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.services.schedule_parse import TIMEZONE, ScheduleError, parse_schedule

# Wednesday 25 November 2026, 12:00 in Almaty (07:00 UTC).
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=TIMEZONE)


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TIMEZONE)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("25.12.2026 10:00", at(2026, 12, 25, 10)),
        ("25.12.2026, 10:00", at(2026, 12, 25, 10)),
        ("25/12/26 9:30", at(2026, 12, 25, 9, 30)),
        ("2026-12-25 10:00", at(2026, 12, 25, 10)),
        ("2026-12-25T10:00", at(2026, 12, 25, 10)),
        ("  25.12.2026   10:00  ", at(2026, 12, 25, 10)),
        ("25.12 10:00", at(2026, 12, 25, 10)),  # no year: this year
        ("25.11 10:00", at(2027, 11, 25, 10)),  # no year, passed today: next year
        ("завтра в 10", at(2026, 11, 26, 10)),
        ("Завтра, 9:30", at(2026, 11, 26, 9, 30)),
        ("завтра 18:45", at(2026, 11, 26, 18, 45)),
        ("послезавтра в 8", at(2026, 11, 27, 8)),
        ("сегодня в 15", at(2026, 11, 25, 15)),
        ("сегодня 12:01", at(2026, 11, 25, 12, 1)),
        ("ертең 10:00", at(2026, 11, 26, 10)),
        ("ертең сағат 10-да", at(2026, 11, 26, 10)),
        ("ертең сағат 15:30-да", at(2026, 11, 26, 15, 30)),
        ("бүгін 18:00", at(2026, 11, 25, 18)),
        ("бүрсігүні 9:00", at(2026, 11, 27, 9)),
        ("13:00", at(2026, 11, 25, 13)),  # later today
        ("10:00", at(2026, 11, 26, 10)),  # passed today: tomorrow
        ("в 15", at(2026, 11, 25, 15)),
        ("tomorrow 10:00", at(2026, 11, 26, 10)),
    ],
)
def test_understood(typed: str, expected: datetime) -> None:
    result = parse_schedule(typed, NOW)
    assert result == expected
    assert result.tzinfo is not None and result.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("abc", "unparsable"),
        ("", "unparsable"),
        ("10", "unparsable"),  # a bare number: a day? an hour?
        ("25:00", "unparsable"),
        ("10:75", "unparsable"),
        ("31.02.2027 10:00", "unparsable"),
        ("завтра завтра 10:00", "unparsable"),
        ("25.12.2026 10:00 11:00", "unparsable"),
        ("x" * 500, "unparsable"),
        ("завтра", "no_time"),
        ("25.12.2026", "no_time"),
        ("25.11.2026 10:00", "past"),
        ("2020-01-01 10:00", "past"),
        ("сегодня в 9", "past"),
        ("бүгін 11:59", "past"),
        ("2030-01-01 10:00", "too_far"),
    ],
)
def test_refused_with_a_reason(typed: str, code: str) -> None:
    with pytest.raises(ScheduleError) as error:
        parse_schedule(typed, NOW)
    assert error.value.code == code


def test_now_in_another_zone_is_read_in_almaty() -> None:
    # 20:00 UTC is 01:00 the next day in Almaty: «завтра» is the 27th there.
    now = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
    assert parse_schedule("завтра в 10", now) == at(2026, 11, 27, 10)
    assert parse_schedule("10:00", now) == at(2026, 11, 26, 10)  # still ahead today
