"""Slots: a dated place (or online link) for a stage, with a capacity; HR open them one at a
time or by a repeat rule («every weekday 10:00–12:00 every 30 min» between two dates).

Times HR type are Asia/Almaty wall-clock times; slots are stored in UTC. :func:`validate`
says what is wrong with a batch of drafts as typed error codes (:class:`SlotErrorCode`),
each naming the draft it is about, so the dialog can answer in the person's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

from bot.scheduling import TIMEZONE

MIN_DURATION: Final = timedelta(minutes=5)
MAX_DURATION: Final = timedelta(hours=8)
MAX_CAPACITY: Final = 500
# The most slots one request (a repeat rule) may create, and the longest period of a rule.
MAX_SLOTS: Final = 500
MAX_RULE_DAYS: Final = 92
MAX_ADDRESS: Final = 300
MAX_URL: Final = 500
WEEKDAYS: Final = frozenset(range(5))  # Monday … Friday
EVERY_DAY: Final = frozenset(range(7))
_URL_RE: Final = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?", re.IGNORECASE)


class SlotErrorCode(StrEnum):
    in_past = "in_past"  # starts now or earlier
    overlap = "overlap"  # with another slot of the same place (new or existing)
    bad_capacity = "bad_capacity"  # zero, negative or over MAX_CAPACITY
    too_short = "too_short"  # duration under MIN_DURATION
    too_long = "too_long"  # duration over MAX_DURATION
    no_place = "no_place"  # neither an address nor an online link
    bad_address = "bad_address"  # longer than MAX_ADDRESS
    bad_location = "bad_location"  # a latitude without a longitude, or out of range
    bad_link = "bad_link"  # not an http(s) link
    bad_range = "bad_range"  # a rule whose last day is before its first, or end <= start
    no_days = "no_days"  # a rule with no weekday
    bad_step = "bad_step"  # a rule's step under MIN_DURATION or over a day
    too_many = "too_many"  # more than MAX_SLOTS slots, or a rule over MAX_RULE_DAYS
    empty = "empty"  # the rule gives no slot at all


@dataclass(frozen=True, slots=True)
class SlotError:
    code: SlotErrorCode
    index: int | None = None  # the draft it is about (None: the whole request)
    starts_at: datetime | None = None  # that draft's start (UTC)
    other_starts_at: datetime | None = None  # overlap: the other slot's start (UTC)
    other_id: int | None = None  # overlap with a stored slot: its id


@dataclass(frozen=True, slots=True)
class Place:
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    online_url: str | None = None

    @property
    def key(self) -> str:
        """What «the same place» means: the address ignoring case and spacing, else the link."""
        if self.address and self.address.strip():
            return "addr:" + " ".join(self.address.casefold().split())
        return "url:" + (self.online_url or "").strip()

    @property
    def is_online(self) -> bool:
        return not (self.address and self.address.strip()) and bool(self.online_url)


@dataclass(frozen=True, slots=True)
class SlotDraft:
    starts_at: datetime  # aware (UTC)
    duration: timedelta
    place: Place
    capacity: int

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + self.duration


@dataclass(frozen=True, slots=True)
class ExistingSlot:
    """A stored, not cancelled slot, as far as overlaps go."""

    id: int
    starts_at: datetime
    duration: timedelta
    place_key: str

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + self.duration


@dataclass(frozen=True, slots=True)
class RepeatRule:
    """Slots on the chosen weekdays between two dates (both included), starting at
    ``day_start``, then every ``every``, each ending by ``day_end`` (local times)."""

    first_day: date
    last_day: date
    day_start: time
    day_end: time
    every: timedelta
    weekdays: frozenset[int] = WEEKDAYS  # 0 = Monday


def to_utc(day: date, at: time, tz: ZoneInfo = TIMEZONE) -> datetime:
    """A local date and wall-clock time as a UTC moment."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(ZoneInfo("UTC"))


def _days(rule: RepeatRule) -> Iterable[date]:
    day = rule.first_day
    while day <= rule.last_day:
        if day.weekday() in rule.weekdays:
            yield day
        day += timedelta(days=1)


def check_rule(rule: RepeatRule, duration: timedelta) -> list[SlotError]:
    """What is wrong with the rule itself (before any slot is generated)."""
    errors: list[SlotError] = []
    if rule.last_day < rule.first_day or rule.day_end <= rule.day_start:
        errors.append(SlotError(SlotErrorCode.bad_range))
    if (rule.last_day - rule.first_day).days + 1 > MAX_RULE_DAYS:
        errors.append(SlotError(SlotErrorCode.too_many))
    if not rule.weekdays & EVERY_DAY:
        errors.append(SlotError(SlotErrorCode.no_days))
    if not MIN_DURATION <= rule.every <= timedelta(days=1):
        errors.append(SlotError(SlotErrorCode.bad_step))
    if duration < MIN_DURATION:
        errors.append(SlotError(SlotErrorCode.too_short))
    elif duration > MAX_DURATION:
        errors.append(SlotError(SlotErrorCode.too_long))
    return errors


def generate(rule: RepeatRule, duration: timedelta, tz: ZoneInfo = TIMEZONE) -> list[datetime]:
    """The start times (UTC, in order) the rule gives; ``[]`` when the rule is invalid
    (:func:`check_rule` says why). Local times are stepped on the wall clock of each day."""
    if check_rule(rule, duration):
        return []
    starts: list[datetime] = []
    for day in _days(rule):
        start = datetime.combine(day, rule.day_start, tzinfo=tz)
        end = datetime.combine(day, rule.day_end, tzinfo=tz)
        while start + duration <= end:
            starts.append(start.astimezone(ZoneInfo("UTC")))
            if len(starts) > MAX_SLOTS:
                return starts
            start += rule.every
    return starts


def drafts_from_rule(
    rule: RepeatRule,
    duration: timedelta,
    place: Place,
    capacity: int,
    tz: ZoneInfo = TIMEZONE,
) -> tuple[list[SlotDraft], list[SlotError]]:
    """The rule's slots as drafts, or why there are none (rule errors, ``empty``,
    ``too_many``); each draft still goes through :func:`validate`."""
    errors = check_rule(rule, duration)
    if errors:
        return [], errors
    starts = generate(rule, duration, tz)
    if not starts:
        return [], [SlotError(SlotErrorCode.empty)]
    if len(starts) > MAX_SLOTS:
        return [], [SlotError(SlotErrorCode.too_many)]
    return [SlotDraft(start, duration, place, capacity) for start in starts], []


def _place_errors(place: Place) -> list[SlotErrorCode]:
    codes: list[SlotErrorCode] = []
    address = (place.address or "").strip()
    url = (place.online_url or "").strip()
    if not address and not url:
        codes.append(SlotErrorCode.no_place)
    if len(address) > MAX_ADDRESS:
        codes.append(SlotErrorCode.bad_address)
    if url and (len(url) > MAX_URL or not _URL_RE.fullmatch(url)):
        codes.append(SlotErrorCode.bad_link)
    lat, lon = place.latitude, place.longitude
    if (lat is None) != (lon is None) or (
        lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180)
    ):
        codes.append(SlotErrorCode.bad_location)
    return codes


def _overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


def validate(
    drafts: Sequence[SlotDraft],
    existing: Sequence[ExistingSlot],
    now: datetime,
) -> list[SlotError]:
    """Everything wrong with a batch of new slots (empty: they may all be created).

    Each draft: not in the past, a duration within bounds, a capacity of 1 to
    MAX_CAPACITY, a place. No two slots of one place overlap in time — neither two new
    ones nor a new one and a stored one (``existing``: the stored, not cancelled slots
    around those times). Slots that only touch (one ends when the next starts) do not.
    """
    if any(d.starts_at.tzinfo is None for d in drafts) or now.tzinfo is None:
        raise ValueError("slot times must be aware datetimes")
    errors: list[SlotError] = []
    if len(drafts) > MAX_SLOTS:
        errors.append(SlotError(SlotErrorCode.too_many))
    for index, draft in enumerate(drafts):
        codes: list[SlotErrorCode] = []
        if draft.starts_at <= now:
            codes.append(SlotErrorCode.in_past)
        if draft.duration < MIN_DURATION:
            codes.append(SlotErrorCode.too_short)
        elif draft.duration > MAX_DURATION:
            codes.append(SlotErrorCode.too_long)
        if not 1 <= draft.capacity <= MAX_CAPACITY:
            codes.append(SlotErrorCode.bad_capacity)
        codes.extend(_place_errors(draft.place))
        errors.extend(SlotError(code, index, draft.starts_at) for code in codes)
    # Overlaps within one place: among the new slots, then with the stored ones.
    by_place: dict[str, list[int]] = {}
    for index, draft in enumerate(drafts):
        by_place.setdefault(draft.place.key, []).append(index)
    for key, indexes in by_place.items():
        ordered = sorted(indexes, key=lambda i: drafts[i].starts_at)
        for position, i in enumerate(ordered):
            a = drafts[i]
            for j in ordered[position + 1 :]:
                b = drafts[j]
                if b.starts_at >= a.ends_at:
                    break
                first, second = sorted((i, j))
                errors.append(
                    SlotError(
                        SlotErrorCode.overlap,
                        second,
                        drafts[second].starts_at,
                        drafts[first].starts_at,
                    )
                )
        for slot in existing:
            if slot.place_key != key:
                continue
            for i in ordered:
                a = drafts[i]
                if _overlaps(a.starts_at, a.ends_at, slot.starts_at, slot.ends_at):
                    errors.append(
                        SlotError(SlotErrorCode.overlap, i, a.starts_at, slot.starts_at, slot.id)
                    )
    errors.sort(key=lambda e: (-1 if e.index is None else e.index, e.code.value))
    return errors
