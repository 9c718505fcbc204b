"""The ``.ics`` file of a booking (RFC 5545, the icalendar package).

One VEVENT: a UID stable for the booking (kept across its reschedules, with SEQUENCE counting
them, so a calendar updates the event instead of adding one), DTSTART/DTEND in UTC, LOCATION,
GEO when the place has a map point, URL for an online slot and a DESCRIPTION ending with the
checklist. The texts come in already localized; nothing here is user-visible by itself.
A cancelled booking's file has METHOD:CANCEL and STATUS:CANCELLED.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Final

from icalendar import Calendar, Event

PRODID: Final = "-//Almaty City Rescue Service//Recruitment bot//KK-RU"
UID_DOMAIN: Final = "recruitment-bot.almaty-rescue"


def booking_uid(token: str) -> str:
    """The UID of a booking's event from its stored token (``Booking.uid``)."""
    return f"booking-{token}@{UID_DOMAIN}"


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    uid: str
    starts_at: datetime  # aware
    ends_at: datetime  # aware
    summary: str
    description: str = ""
    checklist_title: str = ""  # e.g. «What to bring:», before the items
    checklist: Sequence[str] = field(default_factory=tuple)
    location: str | None = None
    url: str | None = None
    geo: tuple[float, float] | None = None  # (latitude, longitude)
    sequence: int = 0
    cancelled: bool = False


def description_text(entry: CalendarEntry) -> str:
    parts = [entry.description.strip()] if entry.description.strip() else []
    if entry.checklist:
        items = "\n".join(f"• {item}" for item in entry.checklist)
        parts.append(f"{entry.checklist_title}\n{items}" if entry.checklist_title else items)
    if entry.url:
        parts.append(entry.url)
    return "\n\n".join(parts)


def to_ics(entry: CalendarEntry, *, stamp: datetime) -> bytes:
    """The calendar file (bytes, CRLF lines); ``stamp`` is its DTSTAMP (when it was made)."""
    if entry.starts_at.tzinfo is None or entry.ends_at.tzinfo is None or stamp.tzinfo is None:
        raise ValueError("calendar times must be aware datetimes")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if entry.cancelled else "PUBLISH")
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", entry.starts_at.astimezone(UTC))
    event.add("dtend", entry.ends_at.astimezone(UTC))
    event.add("sequence", entry.sequence)
    event.add("summary", entry.summary)
    description = description_text(entry)
    if description:
        event.add("description", description)
    if entry.location:
        event.add("location", entry.location)
    if entry.geo is not None:
        event.add("geo", entry.geo)
    if entry.url:
        event.add("url", entry.url)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
