"""The /stages dialog's windows: whose chain (everyone's, a department's, a position's), the
chain, a stage's card, and one typed step for the field being edited (its name in the
dialog's data); each edit is one ``bot.services.stages`` call. The scope lives in the
dialog's data (the SQL FSM storage), so a restart keeps it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from aiogram import F
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, Window
from aiogram_dialog.widgets.input import ManagedTextInput, MessageInput, TextInput
from aiogram_dialog.widgets.kbd import Button, Column, Row, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.db.models import HiringStage
from bot.dialogs.hr import first_page, hr_dialog, known_department, pick, positions_pages, stale
from bot.dialogs.widgets import (
    NOTE,
    L,
    back_and_cancel,
    cancel_button,
    department_items,
    deps_of,
    localizer,
    note_getter,
    session_of,
)
from bot.rendering.messages import escape
from bot.rendering.slots import (
    STAGE_ERROR_KEYS,
    stage_card,
    stage_checklists,
    stage_names,
    stage_title,
)
from bot.scheduling.stages import (
    MAX_CUTOFF_HOURS,
    MAX_NAME,
    Localized,
    LocalizedList,
    split_items,
)
from bot.services import stages
from bot.services.stages import GLOBAL, EditOutcome, Scope

STAGE, FIELD = "stage", "field"
NEW_KK = "new_kk"  # the new stage's Kazakh name, typed before the Russian one
DEPARTMENT, POSITION = "department", "position"  # the scope: "" / 0 when not chosen
NAME_KK, NAME_RU, CHECKLIST_KK, CHECKLIST_RU, CUTOFF = (
    "name_kk",
    "name_ru",
    "checklist_kk",
    "checklist_ru",
    "cutoff",
)
PROMPTS: Final[Mapping[str, str]] = {
    NAME_KK: "stages.prompt.name_kk",
    NAME_RU: "stages.prompt.name_ru",
    CHECKLIST_KK: "stages.prompt.checklist_kk",
    CHECKLIST_RU: "stages.prompt.checklist_ru",
    CUTOFF: "stages.prompt.cutoff",
}


class StagesSG(StatesGroup):
    scope = State()
    department = State()
    position = State()
    chain = State()
    stage = State()
    edit = State()
    archive = State()  # «archive this stage?»
    add_kk = State()
    add_ru = State()


def _note(manager: DialogManager, key: str) -> None:
    manager.dialog_data[NOTE] = localizer(manager)(key)


def _stage_id(manager: DialogManager) -> int:
    value = manager.dialog_data.get(STAGE)
    return value if isinstance(value, int) else 0


def _department(manager: DialogManager) -> str:
    return str(manager.dialog_data.get(DEPARTMENT) or "")


def _position(manager: DialogManager) -> int:
    value = manager.dialog_data.get(POSITION)
    return value if isinstance(value, int) else 0


def scope_of(manager: DialogManager) -> Scope:
    if _position(manager):
        return Scope(position_number=_position(manager))
    return Scope(department=_department(manager) or None)


def _by(manager: DialogManager) -> int:
    user_id = manager.middleware_data["event_from_user"].id
    assert isinstance(user_id, int)
    return user_id


async def own_chain(manager: DialogManager) -> list[HiringStage]:
    """The scope's own stages (the global chain always exists; others may have none)."""
    session, scope = session_of(manager), scope_of(manager)
    if scope == GLOBAL:
        return await stages.ensure_default_chain(session)
    return await stages.scope_chain(session, scope)


def _scope_title(manager: DialogManager) -> str:
    i18n, catalogue = localizer(manager), deps_of(manager).catalogue
    if _position(manager):
        position = catalogue.position(_position(manager))
        title = position.title.get(i18n.lang) if position else str(_position(manager))
        return i18n("stages.scope.of_position", name=escape(title))
    department = catalogue.department(_department(manager))
    if department is not None:
        return i18n("stages.scope.of_department", name=escape(department.name.get(i18n.lang)))
    return i18n("stages.scope.of_everyone")


# --- getters --------------------------------------------------------------------------------


async def departments_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    lang = localizer(dialog_manager).lang
    return {"departments": department_items(deps_of(dialog_manager).catalogue, lang)}


async def positions_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    catalogue, lang = deps_of(dialog_manager).catalogue, localizer(dialog_manager).lang
    positions = catalogue.positions_in(_department(dialog_manager))
    return {"positions": [(p.number, p.title.get(lang)) for p in positions]}


async def chain_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    i18n = localizer(dialog_manager)
    own = await own_chain(dialog_manager)
    follows = ""
    if not own:
        session, department = session_of(dialog_manager), _department(dialog_manager)
        department_chain = await stages.scope_chain(session, Scope(department=department))
        if _position(dialog_manager):
            current = await stages.chain(
                session, department=department, position_number=_position(dialog_manager)
            )
            whose = "stages.follows.department" if department_chain else "stages.follows.everyone"
        else:
            current = await stages.ensure_default_chain(session)
            whose = "stages.follows.everyone"
        lines = "\n".join(f"{n}. {stage_title(i18n, s)}" for n, s in enumerate(current, 1))
        follows = i18n(whose) + "\n" + lines
    return {
        "title": _scope_title(dialog_manager),
        "own": bool(own),
        "follows": follows,
        "in_department": bool(_department(dialog_manager)) and not _position(dialog_manager),
        "stages": [(s.id, f"{number}. {stage_title(i18n, s)}") for number, s in enumerate(own, 1)],
    }


async def stage_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    i18n = localizer(dialog_manager)
    for number, stage in enumerate(await own_chain(dialog_manager), 1):
        if stage.id == _stage_id(dialog_manager):
            return {"card": stage_card(i18n, stage, number), "found": True}
    return {"card": i18n("stages.error.not_found"), "found": False}


async def archive_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    i18n = localizer(dialog_manager)
    stage = await stages.get(session_of(dialog_manager), _stage_id(dialog_manager))
    name = stage_title(i18n, stage) if stage is not None else "—"
    return {"question": i18n("stages.archive.confirm", name=name)}


async def add_ru_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    name_kk = escape(str(dialog_manager.dialog_data.get(NEW_KK) or ""))
    return {"prompt": localizer(dialog_manager)("stages.add.prompt_ru", name_kk=name_kk)}


async def edit_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    field = str(dialog_manager.dialog_data.get(FIELD) or "")
    return {"prompt": localizer(dialog_manager)(PROMPTS.get(field, PROMPTS[NAME_RU]))}


# --- what the buttons do --------------------------------------------------------------------


async def on_everyone(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    manager.dialog_data.update({DEPARTMENT: "", POSITION: 0})
    await manager.switch_to(StagesSG.chain)


async def on_department(
    callback: CallbackQuery, _select: Any, manager: DialogManager, item_id: str
) -> None:
    if not await known_department(callback, manager, item_id):
        return
    manager.dialog_data.update({DEPARTMENT: item_id, POSITION: 0})
    await manager.switch_to(StagesSG.chain)


async def on_positions(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await first_page(manager)
    await manager.switch_to(StagesSG.position)


async def on_position(
    callback: CallbackQuery, _select: Any, manager: DialogManager, item_id: str
) -> None:
    catalogue = deps_of(manager).catalogue
    position = catalogue.position(int(item_id)) if item_id.isdecimal() else None
    if position is None or position.department != _department(manager):
        await stale(callback, manager)
        return
    manager.dialog_data[POSITION] = position.number
    await manager.switch_to(StagesSG.chain)


async def on_chain_back(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    """A position's chain → its department's; a department's or everyone's → the scopes."""
    if _position(manager):
        manager.dialog_data[POSITION] = 0
        await manager.switch_to(StagesSG.chain)
        return
    await manager.switch_to(StagesSG.scope)


async def on_customize(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await stages.customize(
        session_of(manager),
        scope_of(manager),
        position_department=_department(manager) or None,
        by=_by(manager),
    )
    _note(manager, "stages.customized")


async def on_stage(
    callback: CallbackQuery, _select: Any, manager: DialogManager, item_id: str
) -> None:
    own = await own_chain(manager)
    if not item_id.isdecimal() or int(item_id) not in {s.id for s in own}:
        await stale(callback, manager)
        return
    manager.dialog_data[STAGE] = int(item_id)
    await manager.switch_to(StagesSG.stage)


def _editor(field: str) -> Any:
    async def on_click(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
        manager.dialog_data[FIELD] = field
        await manager.switch_to(StagesSG.edit)

    return on_click


async def on_typed(
    message: Message, _input: ManagedTextInput[str], manager: DialogManager, text: str
) -> None:
    i18n = localizer(manager)
    session = session_of(manager)
    stage = await stages.get(session, _stage_id(manager))
    if stage is None:
        _note(manager, "stages.error.not_found")
        await manager.switch_to(StagesSG.chain)
        return
    field = str(manager.dialog_data.get(FIELD) or "")
    by = _by(manager)
    value = text.strip()
    if not value:
        _note(manager, STAGE_ERROR_KEYS["empty"])
        return
    if field in (NAME_KK, NAME_RU):
        kk, ru = stage_names(i18n, stage)
        name = Localized(value, ru) if field == NAME_KK else Localized(kk, value)
        result = await stages.update_stage(session, stage.id, name=name, by=by)
    elif field in (CHECKLIST_KK, CHECKLIST_RU):
        items = split_items(value)
        kk_items, ru_items = stage_checklists(i18n, stage)
        checklist = (
            LocalizedList(items, ru_items)
            if field == CHECKLIST_KK
            else LocalizedList(kk_items, items)
        )
        result = await stages.update_stage(session, stage.id, checklist=checklist, by=by)
    else:
        if not value.isdecimal() or int(value) > MAX_CUTOFF_HOURS:
            _note(manager, STAGE_ERROR_KEYS["bad_cutoff"])
            return
        result = await stages.update_stage(session, stage.id, cutoff_hours=int(value), by=by)
    if result.outcome is EditOutcome.done:
        _note(manager, "stages.saved")
        await manager.switch_to(StagesSG.stage)
        return
    if result.outcome is EditOutcome.not_found:
        _note(manager, "stages.error.not_found")
        await manager.switch_to(StagesSG.chain)
        return
    manager.dialog_data[NOTE] = "\n".join(
        "⚠️ " + i18n(STAGE_ERROR_KEYS[error.value]) for error in result.errors
    )


def _mover(*, up: bool) -> Any:
    async def on_click(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
        result = await stages.move_stage(
            session_of(manager), _stage_id(manager), up=up, by=_by(manager)
        )
        if result.outcome is EditOutcome.done:
            _note(manager, "stages.moved")
        elif result.outcome is EditOutcome.edge:
            _note(manager, "stages.error.first" if up else "stages.error.last")
        else:
            _note(manager, "stages.error.not_found")
            await manager.switch_to(StagesSG.chain)

    return on_click


async def on_archive(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    result = await stages.archive_stage(session_of(manager), _stage_id(manager), by=_by(manager))
    if result.outcome is EditOutcome.done and result.stage is not None:
        i18n = localizer(manager)
        manager.dialog_data[NOTE] = i18n("stages.archived", name=stage_title(i18n, result.stage))
    else:
        _note(manager, "stages.error.not_found")
    await manager.switch_to(StagesSG.chain)


async def on_add(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    manager.dialog_data.pop(NEW_KK, None)
    await manager.switch_to(StagesSG.add_kk)


def _name_error(value: str) -> str | None:
    """Why a typed name does not do (the note's key), before anything is stored."""
    if not value:
        return STAGE_ERROR_KEYS["empty"]
    if len(value) > MAX_NAME:
        return STAGE_ERROR_KEYS["name_too_long"]
    return None


def _typed_name(manager: DialogManager, text: str) -> str | None:
    """A new stage's name as typed, or None with the error shown (the same step)."""
    value = text.strip()
    error = _name_error(value)
    if error is not None:
        _note(manager, error)
        return None
    return value


async def on_new_kk(
    message: Message, _input: ManagedTextInput[str], manager: DialogManager, text: str
) -> None:
    value = _typed_name(manager, text)
    if value is None:
        return
    manager.dialog_data[NEW_KK] = value
    await manager.switch_to(StagesSG.add_ru)


async def on_new_ru(
    message: Message, _input: ManagedTextInput[str], manager: DialogManager, text: str
) -> None:
    value = _typed_name(manager, text)
    if value is None:
        return
    name_kk = str(manager.dialog_data.get(NEW_KK) or "")
    if not name_kk:  # the Kazakh step was skipped (an old message): start over there
        await manager.switch_to(StagesSG.add_kk)
        return
    i18n = localizer(manager)
    result = await stages.add_stage(
        session_of(manager),
        name=Localized(name_kk, value),
        scope=scope_of(manager),
        by=_by(manager),
    )
    if result.outcome is EditOutcome.done and result.stage is not None:
        manager.dialog_data.pop(NEW_KK, None)
        manager.dialog_data[NOTE] = i18n("stages.added", name=stage_title(i18n, result.stage))
        await manager.switch_to(StagesSG.chain)
        return
    manager.dialog_data[NOTE] = "\n".join(
        "⚠️ " + i18n(STAGE_ERROR_KEYS[problem.value]) for problem in result.errors
    )


async def on_not_text(message: Message, _input: MessageInput, manager: DialogManager) -> None:
    _note(manager, STAGE_ERROR_KEYS["not_text"])


async def on_close(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    from bot.handlers.common import show  # the handlers' helper (they import the dialogs)

    manager.show_mode = ShowMode.NO_UPDATE
    await manager.done()
    await show(callback, localizer(manager)("stages.closed"))


def _typed(
    state: State,
    back: State,
    input_id: str,
    on_success: Any,
    *texts: Any,
    getter: Any = None,
) -> Window:
    """A step where HR type a value (anything but text: the error, the same step)."""
    return Window(
        *texts,
        back_and_cancel(back, on_close),
        TextInput(id=input_id, on_success=on_success),
        MessageInput(on_not_text),
        getter=getter,
        state=state,
    )


def dialog() -> Dialog:
    return hr_dialog(
        Dialog(
            Window(
                Format("{note}"),
                L("stages.choose_scope"),
                Button(L("stages.button.everyone"), id="everyone", on_click=on_everyone),
                SwitchTo(L("stages.button.department"), id="department", state=StagesSG.department),
                cancel_button(on_close),
                state=StagesSG.scope,
            ),
            Window(
                L("stages.choose_department"),
                Column(pick(Format("{item[1]}"), "dep", "departments", on_department)),
                back_and_cancel(StagesSG.scope, on_close),
                getter=departments_getter,
                state=StagesSG.department,
            ),
            Window(
                L("stages.choose_position"),
                positions_pages(Format("{item[0]}. {item[1]}"), on_position),
                back_and_cancel(StagesSG.chain, on_close),
                getter=positions_getter,
                state=StagesSG.position,
            ),
            Window(
                Format("{note}{title}"),
                L("stages.chain", when="own"),
                Format("{follows}", when=~F["own"]),
                Column(pick(Format("{item[1]}"), "stage", "stages", on_stage)),
                Button(
                    L("stages.button.customize"), id="own", on_click=on_customize, when=~F["own"]
                ),
                Button(L("stages.button.add"), id="add", on_click=on_add, when="own"),
                Button(
                    L("stages.button.position"),
                    id="positions",
                    on_click=on_positions,
                    when="in_department",
                ),
                Row(
                    Button(L("common.back"), id="back", on_click=on_chain_back),
                    cancel_button(on_close),
                ),
                getter=chain_getter,
                state=StagesSG.chain,
            ),
            Window(
                Format("{note}{card}"),
                Row(
                    Button(L("stages.button.name_kk"), id="nkk", on_click=_editor(NAME_KK)),
                    Button(L("stages.button.name_ru"), id="nru", on_click=_editor(NAME_RU)),
                    when="found",
                ),
                Row(
                    Button(
                        L("stages.button.checklist_kk"), id="ckk", on_click=_editor(CHECKLIST_KK)
                    ),
                    Button(
                        L("stages.button.checklist_ru"), id="cru", on_click=_editor(CHECKLIST_RU)
                    ),
                    when="found",
                ),
                Button(L("stages.button.cutoff"), id="cut", on_click=_editor(CUTOFF), when="found"),
                Row(
                    Button(L("stages.button.up"), id="up", on_click=_mover(up=True)),
                    Button(L("stages.button.down"), id="down", on_click=_mover(up=False)),
                    SwitchTo(L("stages.button.archive"), id="archive", state=StagesSG.archive),
                    when="found",
                ),
                back_and_cancel(StagesSG.chain, on_close),
                getter=stage_getter,
                state=StagesSG.stage,
            ),
            _typed(
                StagesSG.edit,
                StagesSG.stage,
                "value",
                on_typed,
                Format("{note}{prompt}"),
                getter=edit_getter,
            ),
            Window(
                Format("{question}"),
                Button(L("stages.button.archive_confirm"), id="yes", on_click=on_archive),
                back_and_cancel(StagesSG.stage, on_close),
                getter=archive_getter,
                state=StagesSG.archive,
            ),
            _typed(
                StagesSG.add_kk,
                StagesSG.chain,
                "new_kk",
                on_new_kk,
                Format("{note}"),
                L("stages.add.prompt_kk"),
            ),
            _typed(
                StagesSG.add_ru,
                StagesSG.add_kk,
                "new_ru",
                on_new_ru,
                Format("{note}{prompt}"),
                getter=add_ru_getter,
            ),
            getter=note_getter,
        ),
        typed_steps=(StagesSG.edit, StagesSG.add_kk, StagesSG.add_ru),
    )
