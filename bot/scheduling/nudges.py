"""When the «nobody waits in silence» messages may go out (pure: no database, no texts).

* :func:`after_quiet_hours` — a message to a candidate never goes in the quiet hours
  (``QUIET_HOURS``): one that would falls to their end (unlike a booking's reminder, which
  moves earlier: «still under review» is never late);
* :func:`next_daytime` — the drop-off reminder goes at a daytime hour (``NUDGE_HOURS``,
  default 10:00–19:00 Asia/Almaty) outside the quiet hours: now if it is such an hour,
  else the next start of the daytime window.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from bot.scheduling import TIMEZONE
from bot.scheduling.reminders import QuietHours, in_quiet_hours

# An application with no decision after this long is listed to HR.
HR_DIGEST_AFTER: Final = timedelta(hours=48)
# The candidate hears «still under review» once when their application waited this long.
REVIEW_NOTICE_AFTER: Final = timedelta(days=3)
# … unless it waited much longer (an old backlog at the upgrade is not greeted).
REVIEW_NOTICE_WINDOW: Final = timedelta(days=14)
# A questionnaire untouched this long is «started and left» (the reminder is the next day).
DROPOFF_AFTER: Final = timedelta(hours=20)
# … one left longer ago than this gets no reminder (it would come out of nowhere).
DROPOFF_WINDOW: Final = timedelta(days=7)
DEFAULT_DAYTIME: Final = (time(10, 0), time(19, 0))


def _local(moment: datetime, tz: ZoneInfo) -> tuple[datetime, time]:
    local = moment.astimezone(tz)
    return local, local.time().replace(tzinfo=None)


def after_quiet_hours(moment: datetime, quiet: QuietHours, tz: ZoneInfo = TIMEZONE) -> datetime:
    """``moment`` when outside the quiet hours; otherwise the end of the quiet hours it
    falls in (in ``moment``'s zone)."""
    local, wall = _local(moment, tz)
    if quiet is None or not in_quiet_hours(wall, quiet):
        return moment
    start, end = quiet
    day = local.date()
    if start > end and wall >= start:  # before midnight: they end tomorrow morning
        day += timedelta(days=1)
    return datetime.combine(day, end, tzinfo=tz).astimezone(moment.tzinfo)


def in_daytime(wall: time, daytime: tuple[time, time]) -> bool:
    start, end = daytime
    return start <= wall < end if start < end else (wall >= start or wall < end)


def next_daytime(
    moment: datetime,
    quiet: QuietHours,
    daytime: tuple[time, time] = DEFAULT_DAYTIME,
    tz: ZoneInfo = TIMEZONE,
) -> datetime:
    """``moment`` when it is a daytime hour outside the quiet hours; otherwise the next
    start of the daytime window (moved past the quiet hours if they overlap it)."""
    local, wall = _local(moment, tz)
    if in_daytime(wall, daytime):
        later = after_quiet_hours(moment, quiet, tz)
        if later == moment or in_daytime(_local(later, tz)[1], daytime):
            return later
    day = local.date()
    if wall >= daytime[0]:
        day += timedelta(days=1)
    start = datetime.combine(day, daytime[0], tzinfo=tz)
    return after_quiet_hours(start, quiet, tz).astimezone(moment.tzinfo)


def is_allowed_now(moment: datetime, quiet: QuietHours, tz: ZoneInfo = TIMEZONE) -> bool:
    """Whether a message to a candidate may go at ``moment`` (not in the quiet hours)."""
    return after_quiet_hours(moment, quiet, tz) == moment
