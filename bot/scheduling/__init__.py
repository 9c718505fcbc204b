"""The hiring pipeline after «Invite», as a pure model: stages, slots, reminders, calendar files.

Plain Python and dataclasses: no database, no aiogram, no texts (every user-visible text is a
Fluent message; the functions here take the translated parts or a ``translate(lang, key)``
callable). Moments are aware datetimes in UTC; dates and times that people type or read are
in Asia/Almaty (:data:`TIMEZONE`). ``bot.services.stages``, ``bot.services.slots`` and
``bot.services.bookings`` store and apply it.

* :mod:`bot.scheduling.stages` — the hiring stages (default chain interview → fitness test →
  medical commission), their names and checklists, the reschedule cut-off;
* :mod:`bot.scheduling.slots` — places, slot drafts, the repeat rule («every weekday
  10:00–12:00 every 30 min») and validation with typed error codes;
* :mod:`bot.scheduling.reminders` — when to remind (24 h and 2 h before, never in the quiet
  hours), whether a booking may still be made, rescheduled or cancelled;
* :mod:`bot.scheduling.ics` — the ``.ics`` file of a booking (icalendar).
"""

from __future__ import annotations

from typing import Final
from zoneinfo import ZoneInfo

TIMEZONE: Final = ZoneInfo("Asia/Almaty")
