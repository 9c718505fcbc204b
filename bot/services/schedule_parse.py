"""A date and time typed by HR, understood in Asia/Almaty. Plain Python, no aiogram.

Understood (case and extra spaces do not matter)::

    25.12.2026 10:00     25.12 10:00 (this year; next year once the day has passed)
    2026-12-25 10:00     2026-12-25T10:00
    10:00                today, or tomorrow when 10:00 has passed
    tomorrow / today / the day after tomorrow, in Russian or Kazakh, with a time:
    the Russian «завтра в 10», «сегодня 18:30», the Kazakh «ертең 10:00», «ертең сағат 10-да»

A bare hour («10») counts only after a day word or the word for «at» («в», «сағат»).
Anything else raises :class:`ScheduleError` with a code the handler turns into a text:
``unparsable``, ``no_time`` (a day without a time), ``past``, ``too_far`` (over a year ahead).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

TIMEZONE: Final = ZoneInfo("Asia/Almaty")
MAX_AHEAD: Final = timedelta(days=366)
MAX_INPUT: Final = 64

# Relative day words (lower case, «ё» read as «е»): days from today.
_DAY_WORDS: Final = {
    "\u0441\u0435\u0433\u043e\u0434\u043d\u044f": 0,  # today (ru)
    "\u0437\u0430\u0432\u0442\u0440\u0430": 1,  # tomorrow (ru)
    "\u043f\u043e\u0441\u043b\u0435\u0437\u0430\u0432\u0442\u0440\u0430": 2,  # ru
    "\u0431\u04af\u0433\u0456\u043d": 0,  # today (kk)
    "\u0435\u0440\u0442\u0435\u04a3": 1,  # tomorrow (kk)
    "\u0431\u04af\u0440\u0441\u0456\u0433\u04af\u043d\u0456": 2,  # day after tomorrow (kk)
    "today": 0,
    "tomorrow": 1,
}
# «at»: «в»/«во» (ru), «сағат» (kk, «o'clock»), «at».
_AT_WORDS: Final = frozenset({"\u0432", "\u0432\u043e", "\u0441\u0430\u0493\u0430\u0442", "at"})
# Words that may stand around a date and mean nothing more: «г.», «года», «жылы».
_FILLER: Final = frozenset(
    {"\u0433", "\u0433.", "\u0433\u043e\u0434\u0430", "\u0436\u044b\u043b\u044b", "\u0436."}
)
# Kazakh locative endings after a time: «10-да», «10:00-де», «15-те».
_KK_SUFFIX: Final = re.compile("-?(?:\u0434\u0430|\u0434\u0435|\u0442\u0430|\u0442\u0435)$")

_DMY: Final = re.compile(r"(\d{1,2})[./](\d{1,2})(?:[./](\d{4}|\d{2}))?")
_ISO: Final = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_CLOCK: Final = re.compile(r"(\d{1,2})[:](\d{2})")
_HOUR: Final = re.compile(r"(\d{1,2})")


class ScheduleError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code  # "unparsable" | "no_time" | "past" | "too_far"


def _normalize(text: str) -> list[str]:
    cleaned = text.strip().casefold().replace("\u0451", "\u0435")
    cleaned = re.sub(r"(\d{4}-\d{1,2}-\d{1,2})t(\d)", r"\1 \2", cleaned)  # ISO «T»
    cleaned = cleaned.replace(",", " ")
    return cleaned.split()


def _date_of(token: str, today: date) -> tuple[date, bool] | None:
    """A date token → (the date, whether the year was given)."""
    match = _ISO.fullmatch(token)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _make_date(year, month, day), True
    match = _DMY.fullmatch(token)
    if match:
        day, month = int(match.group(1)), int(match.group(2))
        raw_year = match.group(3)
        if raw_year is None:
            return _make_date(today.year, month, day), False
        year = int(raw_year)
        return _make_date(year + 2000 if year < 100 else year, month, day), True
    return None


def _make_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ScheduleError("unparsable") from None


def _time_of(token: str, bare_hour_allowed: bool) -> time | None:
    token = _KK_SUFFIX.sub("", token)
    match = _CLOCK.fullmatch(token)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
    elif bare_hour_allowed and _HOUR.fullmatch(token):
        hour, minute = int(token), 0
    else:
        return None
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ScheduleError("unparsable")
    return time(hour, minute)


def parse_schedule(text: str, now: datetime, tz: ZoneInfo = TIMEZONE) -> datetime:
    """The moment HR meant, as an aware datetime in ``tz``; raises :class:`ScheduleError`."""
    if not text or len(text) > MAX_INPUT:
        raise ScheduleError("unparsable")
    local_now = now.astimezone(tz)
    today = local_now.date()
    day: date | None = None
    year_given = True
    relative = False
    at_word = False
    moment: time | None = None
    for token in _normalize(text):
        if token in _FILLER:
            continue
        if token in _AT_WORDS:
            at_word = True
            continue
        if token in _DAY_WORDS and day is None:
            day, relative = today + timedelta(days=_DAY_WORDS[token]), True
            continue
        if day is None and moment is None:
            parsed = _date_of(token, today)
            if parsed is not None:
                day, year_given = parsed
                continue
        if moment is None:
            moment = _time_of(token, bare_hour_allowed=at_word or day is not None)
            if moment is not None:
                continue
        raise ScheduleError("unparsable")
    if moment is None:
        raise ScheduleError("no_time" if day is not None else "unparsable")
    if day is None:
        # A time alone: today, or tomorrow once it has passed.
        result = datetime.combine(today, moment, tzinfo=tz)
        if result <= local_now:
            result += timedelta(days=1)
        return result
    result = datetime.combine(day, moment, tzinfo=tz)
    if not year_given and not relative and result <= local_now:
        result = datetime.combine(_make_date(day.year + 1, day.month, day.day), moment, tzinfo=tz)
    if result <= local_now:
        raise ScheduleError("past")
    if result - local_now > MAX_AHEAD:
        raise ScheduleError("too_far")
    return result
