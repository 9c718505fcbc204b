"""When a booking's reminders go out, and what a candidate may still do with a booking.

Two reminders: 24 h and 2 h before the start (the 2 h one asks to confirm). Neither goes out
in the quiet hours (``QUIET_HOURS``, e.g. 22:00–08:00 Asia/Almaty, parsed by
``bot.config.parse_quiet_hours``): one that would fall in them moves
*earlier*, to the last allowed minute before they begin (a reminder after the quiet hours
could be too late for a morning slot). A reminder whose time is already past when the
booking is made is skipped. A reschedule is allowed until the stage's cut-off (default 12 h
before the start); a cancellation until the start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

from bot.scheduling import TIMEZONE

# (start, end) of the quiet hours in local time; None: never quiet.
QuietHours = tuple[time, time] | None

# A slot may be booked until this long before its start.
BOOKING_LEAD: Final = timedelta(hours=1)
_MINUTE: Final = timedelta(minutes=1)


class ReminderKind(StrEnum):
    day_before = "24h"
    two_hours = "2h"


OFFSETS: Final[dict[ReminderKind, timedelta]] = {
    ReminderKind.day_before: timedelta(hours=24),
    ReminderKind.two_hours: timedelta(hours=2),
}


@dataclass(frozen=True, slots=True)
class Reminder:
    kind: ReminderKind
    at: datetime  # UTC
    ask_confirm: bool  # the 2 h reminder asks the candidate to confirm


def in_quiet_hours(local: time, quiet: QuietHours) -> bool:
    if quiet is None or quiet[0] == quiet[1]:
        return False
    start, end = quiet
    if start < end:  # e.g. 13:00-14:00
        return start <= local < end
    return local >= start or local < end  # across midnight: 22:00-08:00


def before_quiet_hours(moment: datetime, quiet: QuietHours, tz: ZoneInfo = TIMEZONE) -> datetime:
    """``moment`` when it is outside the quiet hours; otherwise the last allowed minute
    before the quiet hours it falls in began (their start minus one minute)."""
    local = moment.astimezone(tz)
    wall = local.time().replace(tzinfo=None)
    if quiet is None or not in_quiet_hours(wall, quiet):
        return moment
    start, end = quiet
    began = local.date()
    if start > end and wall < end:  # after midnight: the quiet hours began the day before
        began -= timedelta(days=1)
    quiet_start = datetime.combine(began, start, tzinfo=tz)
    return (quiet_start - _MINUTE).astimezone(moment.tzinfo)


def reminder_times(
    starts_at: datetime,
    now: datetime,
    quiet: QuietHours,
    tz: ZoneInfo = TIMEZONE,
) -> tuple[Reminder, ...]:
    """The reminders of a booking made at ``now`` for a slot at ``starts_at``, in time order.

    Each is due at its offset before the start, moved before the quiet hours if it falls
    in them; those due at ``now`` or earlier are left out. When both land on the same
    minute only the 2 h one (which asks to confirm) is kept.
    """
    if starts_at.tzinfo is None or now.tzinfo is None:
        raise ValueError("reminder times need aware datetimes")
    found: dict[datetime, Reminder] = {}
    for kind, offset in OFFSETS.items():  # 24 h first: the 2 h one wins a tie
        at = before_quiet_hours(starts_at - offset, quiet, tz)
        if at <= now:
            continue
        found[at] = Reminder(kind, at, ask_confirm=kind is ReminderKind.two_hours)
    return tuple(sorted(found.values(), key=lambda r: r.at))


def reschedule_deadline(starts_at: datetime, cutoff_hours: int) -> datetime:
    return starts_at - timedelta(hours=cutoff_hours)


def can_reschedule(starts_at: datetime, now: datetime, cutoff_hours: int) -> bool:
    """Before the cut-off (strictly): at the deadline itself it is too late."""
    return now < reschedule_deadline(starts_at, cutoff_hours)


def can_cancel(starts_at: datetime, now: datetime) -> bool:
    return now < starts_at


def bookable(starts_at: datetime, now: datetime, lead: timedelta = BOOKING_LEAD) -> bool:
    """Whether a slot may still be booked (it starts at least ``lead`` from now)."""
    return starts_at - lead >= now
