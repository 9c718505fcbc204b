"""The /slots dialog's windows. What HR chose so far is the dialog's data (the SQL FSM
storage: a restart keeps it); typed input is parsed by ``bot.scheduling.typed``, the slots
are made by one call of ``bot.services.slots`` (its typed errors shown on the summary)."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final

from aiogram.enums import ContentType
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, Window
from aiogram_dialog.widgets.common import ManagedScroll
from aiogram_dialog.widgets.input import ManagedTextInput, MessageInput, TextInput
from aiogram_dialog.widgets.kbd import (
    Button,
    Column,
    Group,
    Multiselect,
    Row,
    ScrollingGroup,
    Select,
)
from aiogram_dialog.widgets.text import Format

from bot.catalogue.models import Position
from bot.dialogs.calendar import LocalCalendar
from bot.dialogs.hr import hr_dialog, known_department, pick, pick_stage, stale
from bot.dialogs.widgets import (
    NOTE,
    L,
    department_items,
    deps_of,
    localizer,
    note_getter,
    session_of,
)
from bot.rendering.messages import escape
from bot.rendering.slots import (
    WEEKDAY_KEYS,
    day_text,
    error_text,
    place_text,
    stage_title,
    typed_error,
    weekdays_text,
)
from bot.scheduling import TIMEZONE
from bot.scheduling.slots import WEEKDAYS, Place, RepeatRule, generate, to_utc
from bot.scheduling.typed import (
    TypedError,
    is_link,
    parse_address,
    parse_capacity,
    parse_clock,
    parse_link,
)
from bot.services import slots, stages
from bot.services.slots import CreateOutcome, SlotRequest

DURATIONS: Final = (15, 30, 45, 60, 90)
CAPACITIES: Final = (1, 2, 5, 10, 20)
STEPS: Final = (15, 30, 45, 60, 90, 120)
# dialog_data keys
STAGE, DAY, TIME, DURATION = "stage", "day", "time", "duration"
ADDRESS, LAT, LON, URL = "address", "lat", "lon", "url"
CAPACITY, DEPARTMENT, REPEAT, UNTIL, END_TIME, STEP = (
    "capacity",
    "department",
    "repeat",
    "until",
    "end_time",
    "step",
)
DAYS_PICKER = "weekdays"
# The department's positions HR ticked (none: all of them); its pages.
POSITIONS_PICKER, POSITIONS_PAGES = "serves_positions", "serves_positions_pages"
POSITIONS_PAGE_HEIGHT: Final = 8
ONCE, EVERY_WEEKDAY, CHOSEN_DAYS = "once", "weekdays", "chosen"


class SlotsSG(StatesGroup):
    stage = State()
    day = State()
    time = State()
    duration = State()
    place = State()
    location = State()
    capacity = State()
    serves = State()
    positions = State()
    repeat = State()
    days = State()
    until = State()
    end_time = State()
    step = State()
    summary = State()


TYPED_STEPS: Final = (
    SlotsSG.time,
    SlotsSG.place,
    SlotsSG.location,
    SlotsSG.capacity,
    SlotsSG.end_time,
)


# --- the draft ------------------------------------------------------------------------------


def _note(manager: DialogManager, text: str) -> None:
    manager.dialog_data[NOTE] = text


def _today() -> date:
    return datetime.now(TIMEZONE).date()


def _date(manager: DialogManager, key: str) -> date | None:
    value = manager.dialog_data.get(key)
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _clock(manager: DialogManager, key: str) -> time | None:
    value = manager.dialog_data.get(key)
    try:
        return time.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _int(manager: DialogManager, key: str) -> int:
    value = manager.dialog_data.get(key)
    return value if isinstance(value, int) else 0


def _weekdays(manager: DialogManager) -> frozenset[int]:
    if manager.dialog_data.get(REPEAT) == EVERY_WEEKDAY:
        return WEEKDAYS
    # The multi-select's own data (read directly: it is not on every window's screen).
    stored = manager.current_context().widget_data.get(DAYS_PICKER)
    ticked = stored if isinstance(stored, list) else []
    return frozenset(int(d) for d in ticked if isinstance(d, str) and d.isdecimal() and int(d) < 7)


def _department_positions(manager: DialogManager) -> list[Position]:
    department = manager.dialog_data.get(DEPARTMENT)
    if not isinstance(department, str) or not department:
        return []
    return deps_of(manager).catalogue.positions_in(department)


def _ticked_positions(manager: DialogManager) -> tuple[int, ...]:
    """The ticked positions that are the department's (a forged or stale tick is not)."""
    stored = manager.current_context().widget_data.get(POSITIONS_PICKER)
    ticked = {str(n) for n in stored} if isinstance(stored, list) else set()
    return tuple(p.number for p in _department_positions(manager) if str(p.number) in ticked)


def _untick_positions(manager: DialogManager) -> None:
    manager.current_context().widget_data.pop(POSITIONS_PICKER, None)


def _place(manager: DialogManager) -> Place:
    data = manager.dialog_data
    lat, lon = data.get(LAT), data.get(LON)
    return Place(
        address=data.get(ADDRESS) or None,
        latitude=float(lat) if isinstance(lat, int | float) else None,
        longitude=float(lon) if isinstance(lon, int | float) else None,
        online_url=data.get(URL) or None,
    )


def _request(manager: DialogManager) -> SlotRequest:
    department = manager.dialog_data.get(DEPARTMENT)
    # Some positions ticked: the slots serve those only (``bookings.serves``: a department
    # would let in all of its positions); none ticked: the whole department.
    positions = _ticked_positions(manager) or None
    departments = (department,) if isinstance(department, str) and department else None
    return SlotRequest(
        stage_id=_int(manager, STAGE),
        duration=timedelta(minutes=_int(manager, DURATION)),
        place=_place(manager),
        capacity=_int(manager, CAPACITY),
        positions=positions,
        departments=None if positions else departments,
    )


def _rule(manager: DialogManager) -> RepeatRule | None:
    """The repeat rule chosen (None: once)."""
    if manager.dialog_data.get(REPEAT) not in (EVERY_WEEKDAY, CHOSEN_DAYS):
        return None
    first, last = _date(manager, DAY), _date(manager, UNTIL)
    start, end = _clock(manager, TIME), _clock(manager, END_TIME)
    if first is None or last is None or start is None or end is None:
        return None
    return RepeatRule(
        first_day=first,
        last_day=last,
        day_start=start,
        day_end=end,
        every=timedelta(minutes=_int(manager, STEP)),
        weekdays=_weekdays(manager),
    )


# --- getters --------------------------------------------------------------------------------


async def stages_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    i18n = localizer(dialog_manager)
    chain = await stages.ensure_default_chain(session_of(dialog_manager))
    return {"stages": [(s.id, stage_title(i18n, s)) for s in chain]}


async def serves_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    lang = localizer(dialog_manager).lang
    return {"departments": department_items(deps_of(dialog_manager).catalogue, lang)}


async def positions_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    lang = localizer(dialog_manager).lang
    catalogue = deps_of(dialog_manager).catalogue
    department = catalogue.department(str(dialog_manager.dialog_data.get(DEPARTMENT) or ""))
    return {
        "department": escape(department.name.get(lang)) if department else "—",
        "positions": [
            (str(p.number), p.title.get(lang)) for p in _department_positions(dialog_manager)
        ],
        "ticked": len(_ticked_positions(dialog_manager)),
    }


async def days_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    i18n = localizer(dialog_manager)
    return {
        "weekdays": [(str(d), i18n(key)) for d, key in enumerate(WEEKDAY_KEYS)],
        "ticked": len(_weekdays(dialog_manager)),
    }


def _summary(manager: DialogManager, stage_name: str) -> str:
    i18n = localizer(manager)
    request = _request(manager)
    rule = _rule(manager)
    first = _date(manager, DAY)
    start = _clock(manager, TIME)
    if rule is not None:
        count = len(generate(rule, request.duration))
        when = i18n(
            "slots.summary.repeated",
            first=day_text(i18n, rule.first_day),
            last=day_text(i18n, rule.last_day),
            days=weekdays_text(i18n, sorted(rule.weekdays)),
            start=rule.day_start.strftime("%H:%M"),
            end=rule.day_end.strftime("%H:%M"),
            step=_int(manager, STEP),
        )
    else:
        count = 1
        when = i18n(
            "slots.summary.once",
            day=day_text(i18n, first) if first else "—",
            start=start.strftime("%H:%M") if start else "—",
        )
    serves = _serves_text(manager)
    place = request.place
    return i18n(
        "slots.summary.text",
        stage=stage_name,
        when=when,
        duration=_int(manager, DURATION),
        place=place_text(i18n, place.address, place.online_url, place.latitude is not None),
        capacity=request.capacity,
        serves=serves,
        count=count,
    )


def _serves_text(manager: DialogManager) -> str:
    i18n = localizer(manager)
    catalogue = deps_of(manager).catalogue
    department = catalogue.department(str(manager.dialog_data.get(DEPARTMENT) or ""))
    if department is None:
        return i18n("slots.serves_everyone")
    name = escape(department.name.get(i18n.lang))
    titles = [
        escape(position.title.get(i18n.lang))
        for number in _ticked_positions(manager)
        if (position := catalogue.position(number)) is not None
    ]
    if not titles:
        return i18n("slots.serves_department", department=name)
    return i18n("slots.serves_positions", department=name, positions="; ".join(titles))


async def summary_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    stage = await stages.get(session_of(dialog_manager), _int(dialog_manager, STAGE))
    name = stage_title(localizer(dialog_manager), stage) if stage else "—"
    return {"summary": _summary(dialog_manager, name)}


# --- buttons --------------------------------------------------------------------------------


def _previous(manager: DialogManager) -> State | None:
    state = manager.current_context().state
    data = manager.dialog_data
    order = {
        SlotsSG.day: SlotsSG.stage,
        SlotsSG.time: SlotsSG.day,
        SlotsSG.duration: SlotsSG.time,
        SlotsSG.place: SlotsSG.duration,
        SlotsSG.location: SlotsSG.place,
        SlotsSG.capacity: SlotsSG.location if data.get(ADDRESS) else SlotsSG.place,
        SlotsSG.serves: SlotsSG.capacity,
        SlotsSG.positions: SlotsSG.serves,
        SlotsSG.repeat: SlotsSG.positions if data.get(DEPARTMENT) else SlotsSG.serves,
        SlotsSG.days: SlotsSG.repeat,
        SlotsSG.until: SlotsSG.days if data.get(REPEAT) == CHOSEN_DAYS else SlotsSG.repeat,
        SlotsSG.end_time: SlotsSG.until,
        SlotsSG.step: SlotsSG.end_time,
        SlotsSG.summary: SlotsSG.step if data.get(REPEAT) != ONCE else SlotsSG.repeat,
    }
    return order.get(state)


async def on_back(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    previous = _previous(manager)
    if previous is not None:
        await manager.switch_to(previous)


async def on_cancel(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await _close(callback, manager, localizer(manager)("slots.cancelled"))


async def _close(callback: CallbackQuery, manager: DialogManager, text: str) -> None:
    manager.show_mode = ShowMode.NO_UPDATE  # the dialog's message says how it ended
    await manager.done()
    if isinstance(callback.message, Message):
        with suppress(TelegramBadRequest):  # too old to edit: it just stays
            await callback.message.edit_text(text)


async def on_stage(
    callback: CallbackQuery, _select: Any, manager: DialogManager, item_id: str
) -> None:
    await pick_stage(callback, manager, item_id, key=STAGE, then=SlotsSG.day)


async def on_day(callback: CallbackQuery, _widget: Any, manager: DialogManager, day: date) -> None:
    if day < _today():
        await callback.answer(localizer(manager)("slots.error.past_day"), show_alert=True)
        return
    manager.dialog_data[DAY] = day.isoformat()
    await manager.switch_to(SlotsSG.time)


async def on_until(
    callback: CallbackQuery, _widget: Any, manager: DialogManager, day: date
) -> None:
    first = _date(manager, DAY)
    if day < _today() or (first is not None and day < first):
        await callback.answer(localizer(manager)("slots.error.before_first_day"), show_alert=True)
        return
    manager.dialog_data[UNTIL] = day.isoformat()
    await manager.switch_to(SlotsSG.end_time)


async def on_duration(
    callback: CallbackQuery, _select: Any, manager: DialogManager, item_id: str
) -> None:
    if not item_id.isdecimal() or int(item_id) not in DURATIONS:
        await stale(callback, manager)
        return
    manager.dialog_data[DURATION] = int(item_id)
    await manager.switch_to(SlotsSG.place)


async def on_skip_location(
    callback: CallbackQuery, _button: Button, manager: DialogManager
) -> None:
    manager.dialog_data.update({LAT: None, LON: None})
    await manager.switch_to(SlotsSG.capacity)


async def on_capacity_button(
    callback: CallbackQuery, _select: Any, manager: DialogManager, item_id: str
) -> None:
    if not item_id.isdecimal() or int(item_id) not in CAPACITIES:
        await stale(callback, manager)
        return
    manager.dialog_data[CAPACITY] = int(item_id)
    await manager.switch_to(SlotsSG.serves)


async def on_everyone(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    manager.dialog_data[DEPARTMENT] = ""
    _untick_positions(manager)
    await manager.switch_to(SlotsSG.repeat)


async def on_department(
    callback: CallbackQuery, _select: Any, manager: DialogManager, item_id: str
) -> None:
    if not await known_department(callback, manager, item_id):
        return
    if manager.dialog_data.get(DEPARTMENT) != item_id:  # the ticks were of another department
        _untick_positions(manager)
        scroll = manager.find(POSITIONS_PAGES)
        if isinstance(scroll, ManagedScroll):
            await scroll.set_page(0)
    manager.dialog_data[DEPARTMENT] = item_id
    await manager.switch_to(SlotsSG.positions)


async def on_all_positions(
    callback: CallbackQuery, _button: Button, manager: DialogManager
) -> None:
    _untick_positions(manager)
    await manager.switch_to(SlotsSG.repeat)


async def on_positions_done(
    callback: CallbackQuery, _button: Button, manager: DialogManager
) -> None:
    if not _ticked_positions(manager):
        _note(manager, typed_error(localizer(manager), "no_positions"))
        return
    await manager.switch_to(SlotsSG.repeat)


async def on_once(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    manager.dialog_data[REPEAT] = ONCE
    await manager.switch_to(SlotsSG.summary)


async def on_every_weekday(
    callback: CallbackQuery, _button: Button, manager: DialogManager
) -> None:
    manager.dialog_data[REPEAT] = EVERY_WEEKDAY
    await manager.switch_to(SlotsSG.until)


async def on_choose_days(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    manager.dialog_data[REPEAT] = CHOSEN_DAYS
    await manager.switch_to(SlotsSG.days)


async def on_days_done(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    if not _weekdays(manager):
        _note(manager, typed_error(localizer(manager), "no_days"))
        return
    await manager.switch_to(SlotsSG.until)


async def on_step(
    callback: CallbackQuery, _select: Any, manager: DialogManager, item_id: str
) -> None:
    if not item_id.isdecimal() or int(item_id) not in STEPS:
        await stale(callback, manager)
        return
    manager.dialog_data[STEP] = int(item_id)
    await manager.switch_to(SlotsSG.summary)


async def on_create(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    i18n = localizer(manager)
    session = session_of(manager)
    user_id = manager.middleware_data["event_from_user"].id
    request = _request(manager)
    rule = _rule(manager)
    if rule is not None:
        result = await slots.create_repeated(session, request, rule, by=user_id)
    else:
        day, start = _date(manager, DAY), _clock(manager, TIME)
        if day is None or start is None:  # a draft from before a deploy: start again
            await stale(callback, manager)
            return
        result = await slots.create_slot(session, request, to_utc(day, start), by=user_id)
    if result.outcome is CreateOutcome.no_stage:
        _note(manager, typed_error(i18n, "no_stage"))
        return
    if result.outcome is CreateOutcome.invalid:
        _note(manager, error_text(i18n, result.errors))
        return
    deps_of(manager).kick_outbox()  # waiting candidates got their offer
    await _close(callback, manager, i18n("slots.created", count=len(result.slots)))


# --- typed input ----------------------------------------------------------------------------


def _refused(manager: DialogManager, error: ValueError) -> None:
    code = error.code if isinstance(error, TypedError) else "use_buttons"
    _note(manager, typed_error(localizer(manager), code))


async def on_refused(
    message: Message, _input: ManagedTextInput[Any], manager: DialogManager, error: ValueError
) -> None:
    _refused(manager, error)


async def on_not_text(message: Message, _input: MessageInput, manager: DialogManager) -> None:
    _note(manager, typed_error(localizer(manager), "not_text"))


async def on_time(
    message: Message, _input: ManagedTextInput[time], manager: DialogManager, value: time
) -> None:
    day = _date(manager, DAY)
    if day is not None and to_utc(day, value) <= datetime.now(UTC):
        _note(manager, typed_error(localizer(manager), "time_passed"))
        return
    manager.dialog_data[TIME] = value.isoformat(timespec="minutes")
    await manager.switch_to(SlotsSG.duration)


def _typed_place(text: str) -> tuple[str, str]:
    """(address, "") or ("", link)."""
    return ("", parse_link(text)) if is_link(text) else (parse_address(text), "")


async def on_place(
    message: Message,
    _input: ManagedTextInput[tuple[str, str]],
    manager: DialogManager,
    value: tuple[str, str],
) -> None:
    address, url = value
    manager.dialog_data.update({ADDRESS: address, URL: url, LAT: None, LON: None})
    await manager.switch_to(SlotsSG.location if address else SlotsSG.capacity)


async def on_location(message: Message, _input: MessageInput, manager: DialogManager) -> None:
    assert message.location is not None
    location = message.location
    manager.dialog_data.update({LAT: location.latitude, LON: location.longitude})
    await manager.switch_to(SlotsSG.capacity)


async def on_not_location(message: Message, _input: MessageInput, manager: DialogManager) -> None:
    _note(manager, typed_error(localizer(manager), "not_location"))


async def on_capacity(
    message: Message, _input: ManagedTextInput[int], manager: DialogManager, value: int
) -> None:
    manager.dialog_data[CAPACITY] = value
    await manager.switch_to(SlotsSG.serves)


async def on_end_time(
    message: Message, _input: ManagedTextInput[time], manager: DialogManager, value: time
) -> None:
    start = _clock(manager, TIME)
    if start is not None and value <= start:
        _note(manager, typed_error(localizer(manager), "end_before_start"))
        return
    manager.dialog_data[END_TIME] = value.isoformat(timespec="minutes")
    await manager.switch_to(SlotsSG.step)


# --- the windows ----------------------------------------------------------------------------


def _back_cancel(back: bool = True) -> Row:
    cancel = Button(L("common.cancel"), id="cancel", on_click=on_cancel)
    if not back:
        return Row(cancel)
    return Row(Button(L("common.back"), id="back", on_click=on_back), cancel)


def _item(data: dict[str, Any]) -> Any:
    return data["item"]


def _numbers(widget_id: str, values: Sequence[int], on_click: Any, label: L) -> Group:
    return Group(
        Select(
            label,
            id=widget_id,
            item_id_getter=str,
            items=list(values),
            on_click=on_click,
        ),
        width=3,
    )


def _typed(state: State, prompt: str, typed: TextInput[Any], *buttons: Any) -> Window:
    return Window(
        Format("{note}"),
        L(prompt),
        *buttons,
        _back_cancel(),
        typed,
        MessageInput(on_not_text),
        state=state,
    )


def dialog() -> Dialog:
    return hr_dialog(
        Dialog(
            Window(
                Format("{note}"),
                L("slots.prompt.stage"),
                Column(pick(Format("{item[1]}"), "stage", "stages", on_stage)),
                _back_cancel(back=False),
                getter=stages_getter,
                state=SlotsSG.stage,
            ),
            Window(
                Format("{note}"),
                L("slots.prompt.day"),
                LocalCalendar("day", on_click=on_day),
                _back_cancel(),
                state=SlotsSG.day,
            ),
            _typed(
                SlotsSG.time,
                "slots.prompt.time",
                TextInput(
                    id="time", type_factory=parse_clock, on_success=on_time, on_error=on_refused
                ),
            ),
            Window(
                Format("{note}"),
                L("slots.prompt.duration"),
                _numbers("duration", DURATIONS, on_duration, L("slots.button.minutes", n=_item)),
                _back_cancel(),
                state=SlotsSG.duration,
            ),
            _typed(
                SlotsSG.place,
                "slots.prompt.place",
                TextInput(
                    id="place",
                    type_factory=_typed_place,
                    on_success=on_place,
                    on_error=on_refused,
                ),
            ),
            Window(
                Format("{note}"),
                L("slots.prompt.location"),
                Button(L("slots.button.skip"), id="skip", on_click=on_skip_location),
                _back_cancel(),
                MessageInput(on_location, content_types=ContentType.LOCATION),
                MessageInput(on_not_location),
                state=SlotsSG.location,
            ),
            _typed(
                SlotsSG.capacity,
                "slots.prompt.capacity",
                TextInput(
                    id="capacity",
                    type_factory=parse_capacity,
                    on_success=on_capacity,
                    on_error=on_refused,
                ),
                _numbers(
                    "places", CAPACITIES, on_capacity_button, L("slots.button.number", n=_item)
                ),
            ),
            Window(
                Format("{note}"),
                L("slots.prompt.serves"),
                Button(L("slots.button.everyone"), id="everyone", on_click=on_everyone),
                Column(pick(Format("{item[1]}"), "department", "departments", on_department)),
                _back_cancel(),
                getter=serves_getter,
                state=SlotsSG.serves,
            ),
            Window(
                Format("{note}"),
                L("slots.prompt.positions", department="department"),
                Button(
                    L("slots.button.all_positions"), id="all_positions", on_click=on_all_positions
                ),
                ScrollingGroup(
                    Multiselect(
                        Format("✓ {item[1]}"),
                        Format("{item[1]}"),
                        id=POSITIONS_PICKER,
                        item_id_getter=lambda item: item[0],
                        items="positions",
                    ),
                    id=POSITIONS_PAGES,
                    width=1,
                    height=POSITIONS_PAGE_HEIGHT,
                    hide_on_single_page=True,
                ),
                Button(
                    L("slots.button.done", count="ticked"),
                    id="positions_done",
                    on_click=on_positions_done,
                ),
                _back_cancel(),
                getter=positions_getter,
                state=SlotsSG.positions,
            ),
            Window(
                Format("{note}"),
                L("slots.prompt.repeat"),
                Column(
                    Button(L("slots.button.once"), id="once", on_click=on_once),
                    Button(L("slots.button.weekdays"), id="weekdays", on_click=on_every_weekday),
                    Button(L("slots.button.choose_days"), id="choose", on_click=on_choose_days),
                ),
                _back_cancel(),
                state=SlotsSG.repeat,
            ),
            Window(
                Format("{note}"),
                L("slots.prompt.days"),
                Group(
                    Multiselect(
                        Format("✓ {item[1]}"),
                        Format("{item[1]}"),
                        id=DAYS_PICKER,
                        item_id_getter=lambda item: item[0],
                        items="weekdays",
                    ),
                    width=4,
                ),
                Button(L("slots.button.done", count="ticked"), id="done", on_click=on_days_done),
                _back_cancel(),
                getter=days_getter,
                state=SlotsSG.days,
            ),
            Window(
                Format("{note}"),
                L("slots.prompt.until"),
                LocalCalendar("until", on_click=on_until),
                _back_cancel(),
                state=SlotsSG.until,
            ),
            _typed(
                SlotsSG.end_time,
                "slots.prompt.end_time",
                TextInput(
                    id="end_time",
                    type_factory=parse_clock,
                    on_success=on_end_time,
                    on_error=on_refused,
                ),
            ),
            Window(
                Format("{note}"),
                L("slots.prompt.step"),
                _numbers("step", STEPS, on_step, L("slots.button.every", n=_item)),
                _back_cancel(),
                state=SlotsSG.step,
            ),
            Window(
                Format("{note}"),
                Format("{summary}"),
                Button(L("slots.button.create"), id="create", on_click=on_create),
                _back_cancel(),
                getter=summary_getter,
                state=SlotsSG.summary,
            ),
            getter=note_getter,
        ),
        typed_steps=TYPED_STEPS,
    )
