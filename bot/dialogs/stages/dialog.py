"""The /stages dialog's windows: the chain, a stage's card, and one typed step for the field
being edited (its name in the dialog's data); each edit is one ``update_stage`` call."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, Window
from aiogram_dialog.widgets.input import ManagedTextInput, MessageInput, TextInput
from aiogram_dialog.widgets.kbd import Button, Column, Row, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.dialogs.hr import hr_dialog, pick, pick_stage
from bot.dialogs.widgets import NOTE, L, localizer, note_getter, session_of
from bot.rendering.slots import (
    STAGE_ERROR_KEYS,
    stage_card,
    stage_checklists,
    stage_names,
    stage_title,
)
from bot.scheduling.stages import MAX_CUTOFF_HOURS, Localized, LocalizedList, split_items
from bot.services import stages
from bot.services.stages import EditOutcome

STAGE, FIELD = "stage", "field"
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
    chain = State()
    stage = State()
    edit = State()


def _note(manager: DialogManager, key: str) -> None:
    manager.dialog_data[NOTE] = localizer(manager)(key)


def _stage_id(manager: DialogManager) -> int:
    value = manager.dialog_data.get(STAGE)
    return value if isinstance(value, int) else 0


async def chain_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    i18n = localizer(dialog_manager)
    chain = await stages.ensure_default_chain(session_of(dialog_manager))
    return {
        "stages": [(s.id, f"{number}. {stage_title(i18n, s)}") for number, s in enumerate(chain, 1)]
    }


async def stage_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    i18n = localizer(dialog_manager)
    chain = await stages.ensure_default_chain(session_of(dialog_manager))
    for number, stage in enumerate(chain, 1):
        if stage.id == _stage_id(dialog_manager):
            return {"card": stage_card(i18n, stage, number), "found": True}
    return {"card": i18n("stages.error.not_found"), "found": False}


async def edit_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    field = str(dialog_manager.dialog_data.get(FIELD) or "")
    return {"prompt": localizer(dialog_manager)(PROMPTS.get(field, PROMPTS[NAME_RU]))}


async def on_stage(
    callback: CallbackQuery, _select: Any, manager: DialogManager, item_id: str
) -> None:
    await pick_stage(callback, manager, item_id, key=STAGE, then=StagesSG.stage)


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
    by = manager.middleware_data["event_from_user"].id
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


async def on_not_text(message: Message, _input: MessageInput, manager: DialogManager) -> None:
    _note(manager, STAGE_ERROR_KEYS["not_text"])


async def on_close(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    from bot.handlers.common import show  # the handlers' helper (they import the dialogs)

    manager.show_mode = ShowMode.NO_UPDATE
    await manager.done()
    await show(callback, localizer(manager)("stages.closed"))


def _close() -> Button:
    return Button(L("common.cancel"), id="close", on_click=on_close)


def dialog() -> Dialog:
    return hr_dialog(
        Dialog(
            Window(
                Format("{note}"),
                L("stages.chain"),
                Column(pick(Format("{item[1]}"), "stage", "stages", on_stage)),
                _close(),
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
                Row(SwitchTo(L("common.back"), id="back", state=StagesSG.chain), _close()),
                getter=stage_getter,
                state=StagesSG.stage,
            ),
            Window(
                Format("{note}{prompt}"),
                Row(SwitchTo(L("common.back"), id="back", state=StagesSG.stage), _close()),
                TextInput(id="value", on_success=on_typed),
                MessageInput(on_not_text),
                getter=edit_getter,
                state=StagesSG.edit,
            ),
            getter=note_getter,
        ),
        typed_steps=(StagesSG.edit,),
    )
