"""The /agenda dialog's windows: the day is the dialog's data (the SQL FSM storage), each
window loads it again with ``bot.services.slots.agenda`` (so a slot cancelled or a result
marked meanwhile shows as it is now); results and cancelling are one service call each."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final

from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, Window
from aiogram_dialog.widgets.kbd import Button, Column, Row, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.db.models import StageResultKind
from bot.dialogs.calendar import LocalCalendar
from bot.dialogs.hr import hr_dialog, pick, stale
from bot.dialogs.widgets import (
    NOTE,
    L,
    back_and_cancel,
    cancel_button,
    deps_of,
    localizer,
    note_getter,
    session_of,
)
from bot.rendering.slots import (
    RESULT_KEYS,
    agenda_text,
    candidate_text,
    clock,
    entry_label,
    slot_text,
    stage_title,
)
from bot.scheduling import TIMEZONE
from bot.services import bookings, slots
from bot.services.bookings import PipelineOutcomeCode
from bot.services.slots import AgendaEntry, AgendaSlot, CancelOutcome

DAY, SLOT, APPLICATION = "day", "slot", "application"

OUTCOME_KEYS: Final[Mapping[PipelineOutcomeCode, str]] = {
    PipelineOutcomeCode.done: "agenda.outcome.stale",  # not shown: done has its own note
    PipelineOutcomeCode.not_found: "agenda.outcome.gone",
    PipelineOutcomeCode.closed: "agenda.outcome.closed",
    PipelineOutcomeCode.stale: "agenda.outcome.stale",
    PipelineOutcomeCode.already: "agenda.outcome.already",
    PipelineOutcomeCode.not_ready: "agenda.outcome.stale",
    PipelineOutcomeCode.not_started: "agenda.outcome.not_started",
    PipelineOutcomeCode.no_booking: "agenda.outcome.no_booking",
    PipelineOutcomeCode.invalid: "agenda.outcome.stale",
}
CANCEL_KEYS: Final[Mapping[CancelOutcome, str]] = {
    CancelOutcome.cancelled: "agenda.slot_cancelled",
    CancelOutcome.not_found: "agenda.outcome.gone",
    CancelOutcome.already: "agenda.outcome.cancelled_before",
    CancelOutcome.started: "agenda.outcome.started",
}


class AgendaSG(StatesGroup):
    day = State()
    calendar = State()
    slot = State()
    candidate = State()
    confirm_cancel = State()


def _day(manager: DialogManager) -> date:
    value = manager.dialog_data.get(DAY)
    with suppress(ValueError, TypeError):
        return date.fromisoformat(str(value))
    return datetime.now(TIMEZONE).date()


def _id(manager: DialogManager, key: str) -> int:
    value = manager.dialog_data.get(key)
    return value if isinstance(value, int) else 0


def _note(manager: DialogManager, text: str) -> None:
    manager.dialog_data[NOTE] = text


async def _items(manager: DialogManager) -> list[AgendaSlot]:
    return await slots.agenda(session_of(manager), _day(manager))


def _find_slot(items: list[AgendaSlot], slot_id: int) -> AgendaSlot | None:
    return next((item for item in items if item.slot.id == slot_id), None)


def _find_entry(item: AgendaSlot | None, application_id: int) -> AgendaEntry | None:
    if item is None:
        return None
    return next((e for e in item.entries if e.application.id == application_id), None)


# --- getters --------------------------------------------------------------------------------


async def day_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    i18n = localizer(dialog_manager)
    day = _day(dialog_manager)
    items = await _items(dialog_manager)
    now = datetime.now(UTC)
    return {
        "text": agenda_text(i18n, deps_of(dialog_manager).catalogue, day, items, now),
        "slots": [
            (
                item.slot.id,
                f"{clock(item.slot.starts_at)} · {stage_title(i18n, item.stage)}"
                f" ({len(item.entries)}/{item.slot.capacity})",
            )
            for item in items
        ],
    }


async def slot_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    i18n = localizer(dialog_manager)
    item = _find_slot(await _items(dialog_manager), _id(dialog_manager, SLOT))
    if item is None:
        return {"text": i18n("agenda.outcome.gone"), "candidates": [], "found": False}
    now = datetime.now(UTC)
    return {
        "text": slot_text(i18n, item),
        "candidates": [
            (e.application.id, entry_label(e, item.slot.starts_at, now)) for e in item.entries
        ],
        "found": True,
    }


async def candidate_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    i18n = localizer(dialog_manager)
    item = _find_slot(await _items(dialog_manager), _id(dialog_manager, SLOT))
    entry = _find_entry(item, _id(dialog_manager, APPLICATION))
    if item is None or entry is None:
        return {"text": i18n("agenda.outcome.gone"), "open": False}
    return {
        "text": candidate_text(i18n, deps_of(dialog_manager).catalogue, item, entry),
        "open": entry.result is None,
    }


async def confirm_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    i18n = localizer(dialog_manager)
    item = _find_slot(await _items(dialog_manager), _id(dialog_manager, SLOT))
    if item is None:
        return {"text": i18n("agenda.outcome.gone")}
    return {
        "text": i18n(
            "agenda.confirm_cancel",
            time=clock(item.slot.starts_at),
            stage=stage_title(i18n, item.stage),
            count=len(item.entries),
        )
    }


# --- buttons --------------------------------------------------------------------------------


async def _shift(manager: DialogManager, days: int) -> None:
    manager.dialog_data[DAY] = (_day(manager) + timedelta(days=days)).isoformat()


async def on_previous_day(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await _shift(manager, -1)


async def on_next_day(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await _shift(manager, 1)


async def on_today(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    manager.dialog_data[DAY] = datetime.now(TIMEZONE).date().isoformat()


async def on_pick_day(
    callback: CallbackQuery, _widget: Any, manager: DialogManager, day: date
) -> None:
    manager.dialog_data[DAY] = day.isoformat()
    await manager.switch_to(AgendaSG.day)


async def on_slot(
    callback: CallbackQuery, _select: Any, manager: DialogManager, item_id: str
) -> None:
    items = await _items(manager)
    if not item_id.isdecimal() or _find_slot(items, int(item_id)) is None:
        await stale(callback, manager)
        return
    manager.dialog_data[SLOT] = int(item_id)
    await manager.switch_to(AgendaSG.slot)


async def on_candidate(
    callback: CallbackQuery, _select: Any, manager: DialogManager, item_id: str
) -> None:
    item = _find_slot(await _items(manager), _id(manager, SLOT))
    if not item_id.isdecimal() or _find_entry(item, int(item_id)) is None:
        await stale(callback, manager)
        return
    manager.dialog_data[APPLICATION] = int(item_id)
    await manager.switch_to(AgendaSG.candidate)


async def _record(callback: CallbackQuery, manager: DialogManager, kind: StageResultKind) -> None:
    i18n = localizer(manager)
    item = _find_slot(await _items(manager), _id(manager, SLOT))
    entry = _find_entry(item, _id(manager, APPLICATION))
    if item is None or entry is None:
        await stale(callback, manager)
        return
    result = await bookings.record_result(
        session_of(manager),
        entry.application.id,
        item.stage.id,
        kind,
        by=manager.middleware_data["event_from_user"].id,
    )
    if result.outcome is PipelineOutcomeCode.done:
        deps_of(manager).kick_outbox()  # the candidate's notice
        _note(manager, i18n("agenda.recorded", result=i18n(RESULT_KEYS[kind.value])))
        await manager.switch_to(AgendaSG.slot)
        return
    await callback.answer(i18n(OUTCOME_KEYS[result.outcome]), show_alert=True)


async def on_passed(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await _record(callback, manager, StageResultKind.passed)


async def on_failed(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await _record(callback, manager, StageResultKind.failed)


async def on_no_show(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await _record(callback, manager, StageResultKind.no_show)


async def on_cancel_slot(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    i18n = localizer(manager)
    result = await slots.cancel_slot(
        session_of(manager),
        _id(manager, SLOT),
        by=manager.middleware_data["event_from_user"].id,
    )
    if result.outcome is CancelOutcome.cancelled:
        deps_of(manager).kick_outbox()  # each candidate is told, with a new offer
        _note(manager, i18n("agenda.slot_cancelled", count=result.bookings))
        await manager.switch_to(AgendaSG.day)
        return
    await callback.answer(i18n(CANCEL_KEYS[result.outcome]), show_alert=True)


async def on_close(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    manager.show_mode = ShowMode.NO_UPDATE
    await manager.done()
    if isinstance(callback.message, Message):
        with suppress(TelegramBadRequest):
            await callback.message.edit_text(localizer(manager)("agenda.closed"))


# --- the windows ----------------------------------------------------------------------------


def dialog() -> Dialog:
    return hr_dialog(
        Dialog(
            Window(
                Format("{note}{text}"),
                Column(pick(Format("{item[1]}"), "slot", "slots", on_slot)),
                Row(
                    Button(Format("◀"), id="prev", on_click=on_previous_day),
                    Button(L("agenda.button.today"), id="today", on_click=on_today),
                    SwitchTo(Format("📅"), id="pick", state=AgendaSG.calendar),
                    Button(Format("▶"), id="next", on_click=on_next_day),
                ),
                cancel_button(on_close),
                getter=day_getter,
                state=AgendaSG.day,
            ),
            Window(
                L("agenda.pick_day"),
                LocalCalendar("calendar", on_click=on_pick_day),
                back_and_cancel(AgendaSG.day, on_close),
                state=AgendaSG.calendar,
            ),
            Window(
                Format("{note}{text}"),
                Column(pick(Format("{item[1]}"), "candidate", "candidates", on_candidate)),
                SwitchTo(
                    L("agenda.button.cancel_slot"),
                    id="cancel_slot",
                    state=AgendaSG.confirm_cancel,
                    when="found",
                ),
                back_and_cancel(AgendaSG.day, on_close),
                getter=slot_getter,
                state=AgendaSG.slot,
            ),
            Window(
                Format("{note}{text}"),
                Row(
                    Button(L("agenda.button.passed"), id="passed", on_click=on_passed),
                    Button(L("agenda.button.failed"), id="failed", on_click=on_failed),
                    Button(L("agenda.button.no_show"), id="no_show", on_click=on_no_show),
                    when="open",
                ),
                back_and_cancel(AgendaSG.slot, on_close),
                getter=candidate_getter,
                state=AgendaSG.candidate,
            ),
            Window(
                Format("{text}"),
                Row(
                    Button(L("agenda.button.confirm_cancel"), id="yes", on_click=on_cancel_slot),
                    SwitchTo(L("agenda.button.keep_slot"), id="no", state=AgendaSG.slot),
                ),
                cancel_button(on_close),
                state=AgendaSG.confirm_cancel,
                getter=confirm_getter,
            ),
            getter=note_getter,
        )
    )
