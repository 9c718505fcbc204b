"""The export dialog's windows. The filters chosen so far live in ``dialog_data`` (the SQL
storage: a restart keeps them); counting and the workbook are ``bot.services.export``."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from typing import Any

from aiogram import F
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, Window
from aiogram_dialog.widgets.kbd import (
    Back,
    Button,
    Column,
    Group,
    Row,
    Select,
    SwitchTo,
)
from aiogram_dialog.widgets.kbd.select import OnItemClick
from aiogram_dialog.widgets.text import Case, Format, Text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalogue.service import CatalogueService
from bot.dialogs.hr import first_page, hr_dialog, pick, positions_pages, stale
from bot.dialogs.widgets import L, department_items, deps_of, localizer
from bot.i18n import Localizer
from bot.rendering.messages import escape
from bot.services import export
from bot.services.export import STATUSES, ExportFilter
from bot.services.stats import Period

# dialog_data: the filters ("" / 0: any)
DEPARTMENT = "department"
POSITION = "position"
STATUS = "status"
PERIOD = "period"


class ExportSG(StatesGroup):
    menu = State()  # everything at once, or the filters
    department = State()  # step 1 of 4
    position = State()  # step 2 of 4 (a department chosen)
    status = State()  # step 3 of 4
    period = State()  # step 4 of 4
    summary = State()  # what the filters find; the export


def _deps(manager: DialogManager) -> tuple[AsyncSession, CatalogueService]:
    data = manager.middleware_data
    return data["session"], deps_of(manager).catalogue


def filters_of(manager: DialogManager) -> ExportFilter:
    """The filters chosen so far; whatever no longer exists (a deploy) counts as «any»."""
    _, catalogue = _deps(manager)
    data = manager.dialog_data
    department = catalogue.department(str(data.get(DEPARTMENT) or ""))
    number = data.get(POSITION)
    position = catalogue.position(number) if isinstance(number, int) and number else None
    if department is None or position is None or position.department != department.id:
        position = None
    status = data.get(STATUS)
    period = data.get(PERIOD)
    return ExportFilter(
        department=department.id if department else None,
        position=position.number if position else None,
        status=status if status in STATUSES else None,
        period=Period(period) if period in {p.value for p in Period} else Period.all,
    )


def _period_name(i18n: Localizer, period: Period) -> str:
    return i18n(f"hr_tools.stats.period.{period.value}")


def summary_text(
    i18n: Localizer, catalogue: CatalogueService, filters: ExportFilter, count: int
) -> str:
    department = catalogue.department(filters.department) if filters.department else None
    position = catalogue.position(filters.position) if filters.position else None
    return i18n(
        "hr_tools.export.summary",
        department=escape(department.name.get(i18n.lang))
        if department
        else i18n("hr_tools.export.any_department"),
        position=escape(f"{position.number}. {position.title.get(i18n.lang)}")
        if position
        else i18n("hr_tools.export.any_position"),
        status=i18n(f"hr_tools.status.{filters.status}")
        if filters.status
        else i18n("hr_tools.export.any_status"),
        period=_period_name(i18n, filters.period),
        count=count,
    )


# --- getters --------------------------------------------------------------------------------


async def menu_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    session, _ = _deps(dialog_manager)
    return {"total": await export.count(session, ExportFilter())}


async def departments_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    _, catalogue = _deps(dialog_manager)
    lang = localizer(dialog_manager).lang
    return {"departments": department_items(catalogue, lang)}


async def positions_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    _, catalogue = _deps(dialog_manager)
    lang = localizer(dialog_manager).lang
    department = catalogue.department(filters_of(dialog_manager).department or "")
    positions = catalogue.positions_in(department.id) if department else []
    return {
        "name": escape(department.name.get(lang)) if department else "",
        "positions": [(p.number, p.title.get(lang)) for p in positions],
    }


async def summary_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    session, catalogue = _deps(dialog_manager)
    filters = filters_of(dialog_manager)
    count = await export.count(session, filters)
    return {"text": summary_text(localizer(dialog_manager), catalogue, filters, count)}


# --- what the buttons do --------------------------------------------------------------------


async def _send_workbook(
    callback: CallbackQuery, manager: DialogManager, filters: ExportFilter
) -> None:
    """The XLSX of the applications ``filters`` find, as a document below the dialog."""
    session, catalogue = _deps(manager)
    data, deps = manager.middleware_data, deps_of(manager)
    # Streamed and built off the event loop: the bot keeps answering others meanwhile.
    workbook, count = await export.build_streamed(
        session, filters, catalogue, deps.translator, deps.settings.hr_locale
    )
    message = callback.message
    chat_id = message.chat.id if message is not None else callback.from_user.id
    await data["bot"].send_document(
        chat_id,
        BufferedInputFile(workbook, filename=export.file_name(filters)),
        caption=localizer(manager)("hr_tools.export.caption", count=count),
    )
    manager.show_mode = ShowMode.NO_UPDATE  # the screen above the document stays as it is


async def on_everything(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await _send_workbook(callback, manager, ExportFilter())


async def on_run(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await _send_workbook(callback, manager, filters_of(manager))


async def on_any_department(
    callback: CallbackQuery, _button: Button, manager: DialogManager
) -> None:
    manager.dialog_data.update({DEPARTMENT: "", POSITION: 0})
    await manager.switch_to(ExportSG.status)


async def on_department(
    callback: CallbackQuery, _select: Any, manager: DialogManager, item_id: str
) -> None:
    _, catalogue = _deps(manager)
    if catalogue.department(item_id) is None:
        await stale(callback, manager)
        return
    manager.dialog_data.update({DEPARTMENT: item_id, POSITION: 0})
    await first_page(manager)
    await manager.switch_to(ExportSG.position)


async def on_any_position(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    manager.dialog_data[POSITION] = 0
    await manager.switch_to(ExportSG.status)


async def on_position(
    callback: CallbackQuery, _select: Any, manager: DialogManager, item_id: str
) -> None:
    _, catalogue = _deps(manager)
    position = catalogue.position(int(item_id)) if item_id.isdecimal() else None
    if position is None or position.department != filters_of(manager).department:
        await stale(callback, manager)
        return
    manager.dialog_data[POSITION] = position.number
    await manager.switch_to(ExportSG.status)


async def on_any_status(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    manager.dialog_data[STATUS] = ""
    await manager.switch_to(ExportSG.period)


async def on_status(
    callback: CallbackQuery, _select: Any, manager: DialogManager, item_id: str
) -> None:
    if item_id not in STATUSES:
        await stale(callback, manager)
        return
    manager.dialog_data[STATUS] = item_id
    await manager.switch_to(ExportSG.period)


async def on_period(
    callback: CallbackQuery, _select: Any, manager: DialogManager, item_id: str
) -> None:
    if item_id not in {p.value for p in Period}:
        await stale(callback, manager)
        return
    manager.dialog_data[PERIOD] = item_id
    await manager.switch_to(ExportSG.summary)


async def on_status_back(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    """Back to the position when a department was chosen, else to the departments."""
    chosen = filters_of(manager).department is not None
    await manager.switch_to(ExportSG.position if chosen else ExportSG.department)


async def on_cancel(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    manager.show_mode = ShowMode.NO_UPDATE  # the dialog's message says it is over
    await manager.done()
    if isinstance(callback.message, Message):
        with suppress(TelegramBadRequest):  # too old to edit: it just stays
            await callback.message.edit_text(localizer(manager)("hr_tools.export.cancelled"))


# --- the windows ----------------------------------------------------------------------------


def _back_and_cancel(back: Button | None = None) -> Row:
    return Row(
        back or Back(L("common.back")),
        Button(L("common.cancel"), id="cancel", on_click=on_cancel),
    )


def _options(
    text: Text, widget_id: str, values: Sequence[str], on_click: OnItemClick[Any, Any]
) -> Select[str]:
    """A button for each of ``values`` (its own id)."""
    return Select(text, id=widget_id, item_id_getter=str, items=values, on_click=on_click)


def dialog() -> Dialog:
    status_label = Case({s: L(f"hr_tools.status.{s}") for s in STATUSES}, selector=F["item"])
    period_label = Case(
        {p.value: L(f"hr_tools.stats.button.{p.value}") for p in Period}, selector=F["item"]
    )
    return hr_dialog(
        Dialog(
            Window(
                L("hr_tools.export.menu", total="total"),
                Button(L("hr_tools.export.button.all"), id="everything", on_click=on_everything),
                SwitchTo(
                    L("hr_tools.export.button.filters"), id="filters", state=ExportSG.department
                ),
                Button(L("common.cancel"), id="cancel", on_click=on_cancel),
                getter=menu_getter,
                state=ExportSG.menu,
            ),
            Window(
                L("hr_tools.export.choose_department"),
                Button(L("hr_tools.export.any_department"), id="any", on_click=on_any_department),
                Column(pick(Format("{item[1]}"), "department", "departments", on_department)),
                _back_and_cancel(),
                getter=departments_getter,
                state=ExportSG.department,
            ),
            Window(
                L("hr_tools.export.choose_position", department="name"),
                Button(L("hr_tools.export.any_position"), id="any", on_click=on_any_position),
                positions_pages(Format("{item[0]}. {item[1]}"), on_position),
                _back_and_cancel(),
                getter=positions_getter,
                state=ExportSG.position,
            ),
            Window(
                L("hr_tools.export.choose_status"),
                Button(L("hr_tools.export.any_status"), id="any", on_click=on_any_status),
                Group(
                    _options(status_label, "status", STATUSES, on_status),
                    width=2,
                ),
                _back_and_cancel(Button(L("common.back"), id="back", on_click=on_status_back)),
                state=ExportSG.status,
            ),
            Window(
                L("hr_tools.export.choose_period"),
                Row(
                    _options(period_label, "period", [p.value for p in Period], on_period),
                ),
                _back_and_cancel(),
                state=ExportSG.period,
            ),
            Window(
                Format("{text}"),
                Button(L("hr_tools.export.button.run"), id="run", on_click=on_run),
                _back_and_cancel(),
                getter=summary_getter,
                state=ExportSG.summary,
            ),
        )
    )
