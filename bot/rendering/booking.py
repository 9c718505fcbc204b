"""The candidate's texts of the pipeline after «Invite»: offers, confirmations, reminders,
cancellations, stage results, «hired». HTML; times in Asia/Almaty; HR's free texts (address,
link, custom stage names and checklists) escaped."""

from __future__ import annotations

from datetime import date, datetime

from bot.db.models import HiringStage, Slot
from bot.i18n import Localizer
from bot.rendering.messages import escape
from bot.scheduling import TIMEZONE
from bot.scheduling.stages import stage_checklist, stage_name
from bot.services import bookings, stages


def local(value: datetime) -> datetime:
    return bookings.utc(value).astimezone(TIMEZONE)


def day_text(value: datetime) -> str:
    return local(value).strftime("%d.%m.%Y")


def time_text(value: datetime) -> str:
    return local(value).strftime("%H:%M")


def date_text(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def name_of(i18n: Localizer, stage: HiringStage | None) -> str:
    """The stage's name in this language (escaped: HR may have typed it)."""
    if stage is None:
        return "—"
    return escape(stage_name(stages.model_of(stage), i18n.lang, i18n.translator))


def slot_label(i18n: Localizer, slot: Slot) -> str:
    moment = local(slot.starts_at)
    return i18n(
        "booking.slot.button",
        weekday=i18n(f"booking.weekday.{moment.weekday()}"),
        date=moment.strftime("%d.%m"),
        time=moment.strftime("%H:%M"),
    )


def when(slot: Slot) -> dict[str, str]:
    return {"date": day_text(slot.starts_at), "time": time_text(slot.starts_at)}


def offer_text(i18n: Localizer, stage: HiringStage | None, reason: str) -> str:
    key = f"booking.offer.{reason}"
    if not i18n.translator.has(key):
        key = "booking.offer.invited"
    return i18n(key, stage=name_of(i18n, stage))


def no_slots_text(i18n: Localizer, stage: HiringStage | None) -> str:
    return i18n("booking.no_slots", stage=name_of(i18n, stage))


def place_lines(i18n: Localizer, slot: Slot) -> list[str]:
    place = bookings.place_of(slot)
    lines = []
    if place.address and place.address.strip():
        lines.append(i18n("booking.place", address=escape(place.address.strip())))
    if slot.online_url:
        lines.append(i18n("booking.online", url=escape(slot.online_url)))
    return lines


def confirmation_text(i18n: Localizer, stage: HiringStage, slot: Slot, *, rescheduled: bool) -> str:
    """Date and time, place or link, the checklist, the reschedule deadline."""
    title = "booking.rescheduled.title" if rescheduled else "booking.confirmed.title"
    lines = [i18n(title, stage=name_of(i18n, stage)), i18n("booking.when", **when(slot))]
    lines += place_lines(i18n, slot)
    checklist = stage_checklist(stages.model_of(stage), i18n.lang, i18n.translator)
    if checklist:
        lines += ["", i18n("booking.checklist"), *(f"• {escape(item)}" for item in checklist)]
    deadline = local(bookings.deadline(slot, stage)).strftime("%d.%m.%Y %H:%M")
    lines += ["", i18n("booking.deadline", deadline=deadline)]
    return "\n".join(lines)


def ics_caption(i18n: Localizer, stage: HiringStage, slot: Slot) -> str:
    return i18n("booking.ics.caption", stage=name_of(i18n, stage), **when(slot))


def reminder_text(
    i18n: Localizer, stage: HiringStage | None, slot: Slot, kind: str, *, ask_confirm: bool
) -> str:
    key = "booking.reminder.2h" if kind == "2h" else "booking.reminder.24h"
    lines = [i18n(key, stage=name_of(i18n, stage), **when(slot)), *place_lines(i18n, slot)]
    if ask_confirm:
        lines.append(i18n("booking.reminder.ask_confirm"))
    return "\n".join(lines)


def cancelled_text(
    i18n: Localizer, stage: HiringStage | None, slot: Slot | None, reason: str
) -> str:
    keys = {
        "slot_cancelled": "booking.cancelled.slot_cancelled",
        "by_you": "booking.cancelled.by_you",
    }
    key = keys.get(reason) or "booking.cancelled.rejected"
    moment = when(slot) if slot is not None else {"date": "—", "time": "—"}
    return i18n(key, stage=name_of(i18n, stage), **moment)


def result_text(
    i18n: Localizer,
    stage: HiringStage | None,
    result: str,
    next_stage: HiringStage | None,
    number: int,
) -> str:
    if result == "passed":
        if next_stage is not None:
            return i18n(
                "booking.result.passed_next",
                stage=name_of(i18n, stage),
                next=name_of(i18n, next_stage),
            )
        return i18n("booking.result.passed_last", stage=name_of(i18n, stage))
    key = "booking.result.no_show" if result == "no_show" else "booking.result.failed"
    return i18n(key, stage=name_of(i18n, stage), number=number)


def hired_text(i18n: Localizer, title: str, number: int, start: date) -> str:
    return i18n("booking.hired", title=escape(title), number=number, date=date_text(start))


def chosen_text(i18n: Localizer, stage: HiringStage | None, slot: Slot) -> str:
    return i18n("booking.chosen", stage=name_of(i18n, stage), **when(slot))


def reschedule_text(
    i18n: Localizer, stage: HiringStage | None, booking_slot: Slot, any_: bool
) -> str:
    key = "booking.reschedule.title" if any_ else "booking.reschedule.none"
    return i18n(key, stage=name_of(i18n, stage), **when(booking_slot))


def booking_when(slot: Slot | None) -> dict[str, str]:
    return when(slot) if slot is not None else {"date": "—", "time": "—"}
