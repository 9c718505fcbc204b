"""The vacancy board's windows; the getters load through ``VacancyBoard`` and the catalogue,
every change is one ``VacancyBoard.set_state`` (which runs its ``on_change`` hooks: the
vacancy announcements)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiogram import F
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, Window
from aiogram_dialog.widgets.input import ManagedTextInput, MessageInput, TextInput
from aiogram_dialog.widgets.kbd import (
    Back,
    Button,
    Column,
    Row,
    SwitchTo,
)
from aiogram_dialog.widgets.text import Case, Format
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalogue.models import Position
from bot.catalogue.service import CatalogueService
from bot.dialogs.hr import first_page, hr_dialog, pick, positions_pages, stale
from bot.dialogs.widgets import L, deps_of, localizer, to_menu
from bot.rendering.messages import escape
from bot.services.export import local_time
from bot.services.vacancies import (
    UNCHANGED,
    PlacesError,
    Unchanged,
    Vacancy,
    VacancyBoard,
    parse_places,
)

DEPARTMENT = "department"  # dialog_data: the department on screen (its id)
NUMBER = "number"  # dialog_data: the position on screen (its number)
NOTE = "note"  # dialog_data: a localized note key shown once above the window's text
NOTE_PLACES = "note_places"  # the ``{places}`` of that note

PLACES_ERRORS = {
    "not_a_number": "hr_tools.vac.places_not_a_number",
    "out_of_range": "hr_tools.vac.places_out_of_range",
}


class VacancySG(StatesGroup):
    board = State()  # the departments
    department = State()  # one department's positions
    position = State()  # one position: open/close, places
    places = State()  # «how many places»: typed


def _deps(manager: DialogManager) -> tuple[AsyncSession, CatalogueService, VacancyBoard]:
    deps = deps_of(manager)
    return manager.middleware_data["session"], deps.catalogue, deps.vacancies


def _note(manager: DialogManager) -> str:
    key = manager.dialog_data.pop(NOTE, None)
    places = manager.dialog_data.pop(NOTE_PLACES, None)
    if not isinstance(key, str):
        return ""
    return localizer(manager)(key, places=places) + "\n"  # then "\n" joins the next text


def _set_note(manager: DialogManager, key: str, places: int | None = None) -> None:
    manager.dialog_data[NOTE] = key
    manager.dialog_data[NOTE_PLACES] = places


def _position(manager: DialogManager) -> Position | None:
    _, catalogue, _ = _deps(manager)
    number = manager.dialog_data.get(NUMBER)
    return catalogue.position(number) if isinstance(number, int) else None


# --- getters --------------------------------------------------------------------------------


async def board_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    session, catalogue, vacancies = _deps(dialog_manager)
    lang = localizer(dialog_manager).lang
    closed = await vacancies.closed(session)
    rows = []
    for department in catalogue.catalogue.departments:
        numbers = [p.number for p in catalogue.positions_in(department.id)]
        opened = sum(n not in closed for n in numbers)
        rows.append((department.id, department.name.get(lang), opened, len(numbers)))
    return {
        "note": _note(dialog_manager),
        "departments": rows,
        "open": sum(row[2] for row in rows),
        "total": len(catalogue.catalogue.positions),
    }


async def department_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    session, catalogue, vacancies = _deps(dialog_manager)
    lang = localizer(dialog_manager).lang
    department = catalogue.department(str(dialog_manager.dialog_data.get(DEPARTMENT)))
    items = []
    for position in catalogue.positions_in(department.id) if department else ():
        vacancy = await vacancies.get(session, position.number)
        if not vacancy.is_open:
            kind = "closed"
        elif vacancy.open_places is not None:
            kind = "places"
        else:
            kind = "open"
        items.append((position.number, position.title.get(lang), kind, vacancy.open_places))
    return {
        "note": _note(dialog_manager),
        "name": escape(department.name.get(lang)) if department else "",
        "positions": items,
    }


def _format_time(moment: datetime) -> str:
    return moment.strftime("%d.%m.%Y %H:%M")


def _position_text(manager: DialogManager, position: Position, vacancy: Vacancy) -> str:
    _, catalogue, _ = _deps(manager)
    i18n = localizer(manager)
    department = catalogue.department(position.department)
    text = i18n(
        "hr_tools.vac.position_title",
        title=escape(position.title.get(i18n.lang)),
        department=escape(department.name.get(i18n.lang) if department else ""),
        headcount=position.headcount,
        state=i18n("hr_tools.vac.state_open" if vacancy.is_open else "hr_tools.vac.state_closed"),
        places=i18n("hr_tools.vac.places_unset")
        if vacancy.open_places is None
        else vacancy.open_places,
    )
    when = local_time(vacancy.updated_at)
    if when is not None and vacancy.updated_by is not None:
        text += "\n\n" + i18n(
            "hr_tools.vac.updated", when=_format_time(when), by=vacancy.updated_by
        )
    return text


async def position_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    session, _, vacancies = _deps(dialog_manager)
    position = _position(dialog_manager)
    note = _note(dialog_manager)
    if position is None:  # the catalogue lost it since (a deploy): nothing to change
        return {"note": note, "text": "", "is_open": False, "is_closed": False, "known": False}
    vacancy = await vacancies.get(session, position.number)
    return {
        "note": note,
        "text": _position_text(dialog_manager, position, vacancy),
        "is_open": vacancy.is_open,
        "is_closed": not vacancy.is_open,
        "known": True,
    }


async def places_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    position = _position(dialog_manager)
    lang = localizer(dialog_manager).lang
    return {
        "note": _note(dialog_manager),
        "title": escape(position.title.get(lang)) if position else "",
    }


# --- what the buttons and inputs do ---------------------------------------------------------


async def on_department(
    callback: CallbackQuery, _select: Any, manager: DialogManager, item_id: str
) -> None:
    _, catalogue, _ = _deps(manager)
    if catalogue.department(item_id) is None:
        await stale(callback, manager)
        return
    manager.dialog_data[DEPARTMENT] = item_id
    await first_page(manager)
    await manager.switch_to(VacancySG.department)


async def on_position(
    callback: CallbackQuery, _select: Any, manager: DialogManager, item_id: str
) -> None:
    _, catalogue, _ = _deps(manager)
    position = catalogue.position(int(item_id)) if item_id.isdecimal() else None
    if position is None or position.department != manager.dialog_data.get(DEPARTMENT):
        await stale(callback, manager)
        return
    manager.dialog_data[NUMBER] = position.number
    await manager.switch_to(VacancySG.position)


async def _change(
    manager: DialogManager,
    who: int,
    *,
    is_open: bool | None = None,
    open_places: int | Unchanged | None = UNCHANGED,
) -> None:
    """Every change HR makes on the board (recorded with ``who``); then the position."""
    session, _, vacancies = _deps(manager)
    position = _position(manager)
    if position is None:
        return
    await vacancies.set_state(
        session, position.number, updated_by=who, is_open=is_open, open_places=open_places
    )
    await manager.switch_to(VacancySG.position)


async def on_close(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    _set_note(manager, "hr_tools.vac.closed_note")
    await _change(manager, callback.from_user.id, is_open=False)


async def on_open(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    _set_note(manager, "hr_tools.vac.opened_note")
    await _change(manager, callback.from_user.id, is_open=True)


async def on_places_unset(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    _set_note(manager, "hr_tools.vac.places_unset_saved")
    await _change(manager, callback.from_user.id, open_places=None)


async def on_places(
    message: Message, _input: ManagedTextInput[int], manager: DialogManager, places: int
) -> None:
    manager.show_mode = ShowMode.SEND  # below the number HR typed
    _set_note(manager, "hr_tools.vac.places_saved", places=places)
    await _change(manager, message.from_user.id if message.from_user else 0, open_places=places)


async def on_places_error(
    message: Message, _input: ManagedTextInput[int], manager: DialogManager, error: ValueError
) -> None:
    code = error.code if isinstance(error, PlacesError) else "not_a_number"
    _set_note(manager, PLACES_ERRORS.get(code, PLACES_ERRORS["not_a_number"]))
    manager.show_mode = ShowMode.SEND


async def on_not_text(message: Message, _input: MessageInput, manager: DialogManager) -> None:
    """A sticker, a photo or the like where the number is expected: explain, ask again."""
    _set_note(manager, "hr_tools.vac.places_use_text")
    manager.show_mode = ShowMode.SEND


async def on_places_cancel(
    callback: CallbackQuery, _button: Button, manager: DialogManager
) -> None:
    _set_note(manager, "hr_tools.vac.places_cancelled")
    await manager.switch_to(VacancySG.position)


async def _leave(callback: CallbackQuery, manager: DialogManager, applicants: bool) -> None:
    # The screens the dialog hands over to are the handlers' ones.
    from bot.handlers.browse import show_departments
    from bot.handlers.start import show_main_menu

    session, catalogue, vacancies = _deps(manager)
    i18n = localizer(manager)
    manager.show_mode = ShowMode.NO_UPDATE  # the next screen replaces the dialog's message
    await manager.done()
    if applicants:
        await show_departments(callback, session, i18n, catalogue, vacancies)
    else:
        await show_main_menu(callback, i18n)


async def on_applicant_view(
    callback: CallbackQuery, _button: Button, manager: DialogManager
) -> None:
    await _leave(callback, manager, applicants=True)


async def on_menu(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await _leave(callback, manager, applicants=False)


# --- the windows ----------------------------------------------------------------------------


def _item(index: int) -> Any:
    return lambda data: data["item"][index]


def dialog() -> Dialog:
    position_label = Case(
        {
            "closed": L("hr_tools.vac.position_closed", title=_item(1)),
            "places": L("hr_tools.vac.position_open_places", title=_item(1), places=_item(3)),
            "open": L("hr_tools.vac.position_open", title=_item(1)),
        },
        selector=F["item"][2],
    )
    return hr_dialog(
        Dialog(
            Window(
                Format("{note}"),
                L("hr_tools.vac.board_title", open="open", total="total"),
                Column(
                    pick(
                        L(
                            "hr_tools.vac.department_button",
                            name=_item(1),
                            open=_item(2),
                            total=_item(3),
                        ),
                        "department",
                        "departments",
                        on_department,
                    ),
                ),
                Button(
                    L("hr_tools.vac.applicant_view"), id="applicants", on_click=on_applicant_view
                ),
                to_menu(on_menu),
                getter=board_getter,
                state=VacancySG.board,
            ),
            Window(
                Format("{note}"),
                L("hr_tools.vac.department_title", department="name"),
                positions_pages(position_label, on_position),
                Back(L("common.back")),
                getter=department_getter,
                state=VacancySG.department,
            ),
            Window(
                Format("{note}"),
                Format("{text}"),
                Button(
                    L("hr_tools.vac.button.close"), id="close", on_click=on_close, when="is_open"
                ),
                Button(
                    L("hr_tools.vac.button.open"), id="open", on_click=on_open, when="is_closed"
                ),
                SwitchTo(
                    L("hr_tools.vac.button.places"),
                    id="places",
                    state=VacancySG.places,
                    when="known",
                ),
                Back(L("common.back")),
                getter=position_getter,
                state=VacancySG.position,
            ),
            Window(
                Format("{note}"),
                L("hr_tools.vac.places_prompt", title="title"),
                TextInput(
                    id="places_typed",
                    type_factory=parse_places,
                    on_success=on_places,
                    on_error=on_places_error,
                ),
                MessageInput(on_not_text),
                Button(L("hr_tools.vac.button.places_unset"), id="unset", on_click=on_places_unset),
                Row(
                    Back(L("common.back")),
                    Button(L("common.cancel"), id="cancel", on_click=on_places_cancel),
                ),
                getter=places_getter,
                state=VacancySG.places,
            ),
        ),
        typed_steps=(VacancySG.places,),
    )
