"""HR's slot tools as text: the /slots summary and errors, the /agenda day, a slot, a
candidate. Dates and times in Asia/Almaty; HR's and candidates' own words escaped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Final

from bot.catalogue.service import CatalogueService
from bot.db.models import Application, BookingStatus, HiringStage, Slot
from bot.i18n import Localizer
from bot.rendering.messages import escape
from bot.scheduling import TIMEZONE
from bot.scheduling.slots import SlotError, SlotErrorCode
from bot.scheduling.stages import stage_checklist, stage_name
from bot.services.slots import AgendaEntry, AgendaSlot
from bot.services.stages import model_of

# An unconfirmed booking this close to its start is flagged on the agenda.
UNCONFIRMED_WARNING: Final = timedelta(hours=2)
MAX_ERRORS_SHOWN: Final = 5

WEEKDAY_KEYS: Final = (
    "slots.weekday.mon",
    "slots.weekday.tue",
    "slots.weekday.wed",
    "slots.weekday.thu",
    "slots.weekday.fri",
    "slots.weekday.sat",
    "slots.weekday.sun",
)
MONTH_KEYS: Final = (
    "slots.month.jan",
    "slots.month.feb",
    "slots.month.mar",
    "slots.month.apr",
    "slots.month.may",
    "slots.month.jun",
    "slots.month.jul",
    "slots.month.aug",
    "slots.month.sep",
    "slots.month.oct",
    "slots.month.nov",
    "slots.month.dec",
)
ERROR_KEYS: Final[Mapping[SlotErrorCode, str]] = {
    SlotErrorCode.in_past: "slots.error.in_past",
    SlotErrorCode.overlap: "slots.error.overlap",
    SlotErrorCode.bad_capacity: "slots.error.bad_capacity",
    SlotErrorCode.too_short: "slots.error.too_short",
    SlotErrorCode.too_long: "slots.error.too_long",
    SlotErrorCode.no_place: "slots.error.no_place",
    SlotErrorCode.bad_address: "slots.error.address_too_long",
    SlotErrorCode.bad_location: "slots.error.bad_location",
    SlotErrorCode.bad_link: "slots.error.bad_link",
    SlotErrorCode.bad_range: "slots.error.bad_range",
    SlotErrorCode.no_days: "slots.error.no_days",
    SlotErrorCode.bad_step: "slots.error.bad_step",
    SlotErrorCode.too_many: "slots.error.too_many",
    SlotErrorCode.empty: "slots.error.empty",
}
# What HR typed, refused before any slot exists (bot.scheduling.typed codes and the dialog's).
TYPED_KEYS: Final[Mapping[str, str]] = {
    "bad_time": "slots.error.bad_time",
    "bad_capacity": "slots.error.bad_capacity",
    "bad_link": "slots.error.bad_link",
    "empty_address": "slots.error.no_place",
    "address_too_long": "slots.error.address_too_long",
    "time_passed": "slots.error.time_passed",
    "not_text": "slots.error.not_text",
    "not_location": "slots.error.not_location",
    "past_day": "slots.error.past_day",
    "before_first_day": "slots.error.before_first_day",
    "end_before_start": "slots.error.end_before_start",
    "no_days": "slots.error.no_days",
    "no_positions": "slots.error.no_positions",
    "use_buttons": "slots.error.use_buttons",
    "no_stage": "slots.error.no_stage",
}
RESULT_KEYS: Final[Mapping[str, str]] = {
    "passed": "agenda.result.passed",
    "failed": "agenda.result.failed",
    "no_show": "agenda.result.no_show",
}


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def local(value: datetime) -> datetime:
    return _aware(value).astimezone(TIMEZONE)


def clock(value: datetime) -> str:
    """«10:00» in Almaty."""
    return local(value).strftime("%H:%M")


def day_text(i18n: Localizer, day: date) -> str:
    """«07.12.2026, пн»."""
    return f"{day:%d.%m.%Y}, {i18n(WEEKDAY_KEYS[day.weekday()])}"


def weekdays_text(i18n: Localizer, weekdays: Sequence[int]) -> str:
    return ", ".join(i18n(WEEKDAY_KEYS[d]) for d in sorted(weekdays) if 0 <= d <= 6)


def month_title(i18n: Localizer, day: date) -> str:
    return f"{i18n(MONTH_KEYS[day.month - 1])} {day.year}"


def stage_title(i18n: Localizer, stage: HiringStage) -> str:
    return escape(stage_name(model_of(stage), i18n.lang, i18n.translator))


def place_text(
    i18n: Localizer,
    address: str | None,
    online_url: str | None,
    has_location: bool = False,
) -> str:
    if address:
        pin = " 📍" if has_location else ""
        return escape(address) + pin
    if online_url:
        return i18n("slots.online", url=escape(online_url))
    return "—"


def slot_place(i18n: Localizer, slot: Slot) -> str:
    return place_text(i18n, slot.address, slot.online_url, slot.latitude is not None)


def error_text(i18n: Localizer, errors: Sequence[SlotError]) -> str:
    """The domain's errors, one a line (the first few; the same text once)."""
    lines: list[str] = []
    for error in errors:
        when = local(error.starts_at).strftime("%d.%m %H:%M") if error.starts_at else ""
        other = clock(error.other_starts_at) if error.other_starts_at else ""
        line = "⚠️ " + i18n(ERROR_KEYS[error.code], when=when, other=other)
        if line not in lines:
            lines.append(line)
    shown = lines[:MAX_ERRORS_SHOWN]
    if len(lines) > len(shown):
        shown.append(i18n("slots.error.more", count=len(lines) - len(shown)))
    return "\n".join(shown)


def typed_error(i18n: Localizer, code: str) -> str:
    return "⚠️ " + i18n(TYPED_KEYS.get(code, "slots.error.use_buttons"))


# --- the agenda -----------------------------------------------------------------------------


def _name(application: Application) -> str:
    if application.full_name and application.full_name.strip():
        return escape(application.full_name.strip()[:100])
    return f"#{application.id}"


def position_title(i18n: Localizer, catalogue: CatalogueService, application: Application) -> str:
    position = catalogue.position(application.position_number)
    title = position.title.get(i18n.lang) if position is not None else ""
    return escape(f"{application.position_number}. {title}".strip())


def mark(entry: AgendaEntry, starts_at: datetime, now: datetime) -> str:
    """✅ confirmed, ❓ not yet (⚠️❓ within 2 h of the start), or the result once marked."""
    if entry.result == "passed":
        return "🟢"
    if entry.result == "failed":
        return "🔴"
    if entry.result == "no_show" or entry.booking.status == BookingStatus.no_show:
        return "🚫"
    if entry.confirmed or entry.booking.status == BookingStatus.attended:
        return "✅"
    if _aware(starts_at) - now <= UNCONFIRMED_WARNING:
        return "⚠️❓"
    return "❓"


def entry_label(entry: AgendaEntry, starts_at: datetime, now: datetime) -> str:
    return f"{mark(entry, starts_at, now)} {_name(entry.application)}"


def slot_header(i18n: Localizer, item: AgendaSlot) -> str:
    slot = item.slot
    return i18n(
        "agenda.slot",
        time=clock(slot.starts_at),
        end=clock(_aware(slot.starts_at) + timedelta(minutes=slot.duration_minutes)),
        stage=stage_title(i18n, item.stage),
        place=slot_place(i18n, slot),
        booked=len(item.entries),
        capacity=slot.capacity,
    )


def agenda_text(
    i18n: Localizer,
    catalogue: CatalogueService,
    day: date,
    items: Sequence[AgendaSlot],
    now: datetime,
) -> str:
    blocks = [i18n("agenda.title", day=day_text(i18n, day), count=len(items))]
    if not items:
        blocks.append(i18n("agenda.empty"))
    for item in items:
        lines = [slot_header(i18n, item)]
        lines += [
            "   "
            + entry_label(entry, item.slot.starts_at, now)
            + " · "
            + position_title(i18n, catalogue, entry.application)
            for entry in item.entries
        ]
        blocks.append("\n".join(lines))
    unconfirmed = sum(item.unconfirmed for item in items)
    if unconfirmed:
        blocks.append(i18n("agenda.unconfirmed", count=unconfirmed))
    return "\n\n".join(blocks)


def slot_text(i18n: Localizer, item: AgendaSlot) -> str:
    lines = [
        i18n("agenda.slot_title", day=day_text(i18n, local(item.slot.starts_at).date())),
        slot_header(i18n, item),
    ]
    if not item.entries:
        lines.append(i18n("agenda.nobody"))
    return "\n".join(lines)


def candidate_text(
    i18n: Localizer, catalogue: CatalogueService, item: AgendaSlot, entry: AgendaEntry
) -> str:
    status = (
        i18n("agenda.status.confirmed")
        if entry.confirmed
        else i18n("agenda.status.unconfirmed")
        if entry.booking.status == BookingStatus.booked
        else i18n("agenda.status.done")
    )
    key = RESULT_KEYS.get(entry.result or "")
    result = i18n(key) if key else "—"
    return i18n(
        "agenda.candidate",
        name=_name(entry.application),
        position=position_title(i18n, catalogue, entry.application),
        stage=stage_title(i18n, item.stage),
        day=day_text(i18n, local(item.slot.starts_at).date()),
        time=clock(item.slot.starts_at),
        status=status,
        result=result,
    )


# --- /stages --------------------------------------------------------------------------------

STAGE_ERROR_KEYS: Final[Mapping[str, str]] = {
    "name_missing": "stages.error.name_missing",
    "name_too_long": "stages.error.name_too_long",
    "checklist_too_long": "stages.error.checklist_too_long",
    "item_too_long": "stages.error.item_too_long",
    "bad_cutoff": "stages.error.bad_cutoff",
    "not_text": "stages.error.not_text",
    "empty": "stages.error.empty",
    "not_found": "stages.error.not_found",
}


def stage_names(i18n: Localizer, stage: HiringStage) -> tuple[str, str]:
    """The stage's (kk, ru) names as candidates see them (HR's, or the default texts)."""
    model = model_of(stage)
    return (
        stage_name(model, "kk", i18n.translator),
        stage_name(model, "ru", i18n.translator),
    )


def stage_checklists(i18n: Localizer, stage: HiringStage) -> tuple[tuple[str, ...], ...]:
    model = model_of(stage)
    return (
        stage_checklist(model, "kk", i18n.translator),
        stage_checklist(model, "ru", i18n.translator),
    )


def _items(items: Sequence[str]) -> str:
    return "\n".join(f"• {escape(item)}" for item in items) if items else "—"


def stage_card(i18n: Localizer, stage: HiringStage, position: int) -> str:
    (name_kk, name_ru), (list_kk, list_ru) = stage_names(i18n, stage), stage_checklists(i18n, stage)
    return i18n(
        "stages.card",
        number=position,
        name_kk=escape(name_kk),
        name_ru=escape(name_ru),
        checklist_kk=_items(list_kk),
        checklist_ru=_items(list_ru),
        cutoff=stage.cutoff_hours,
    )
