"""The subscription dialog's windows; what they show is loaded by the getters, what the
buttons do is one call of ``bot.services.subscriptions`` each."""

from __future__ import annotations

from typing import Any

from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Back, Button, Column, ManagedMultiselect, Row
from aiogram_dialog.widgets.text import Format
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalogue.service import CatalogueService
from bot.dialogs.widgets import (
    L,
    department_items,
    departments_choice,
    deps_of,
    item_name,
    localizer,
    to_menu,
)
from bot.rendering.catalogue import department_names
from bot.services import subscriptions
from bot.services.subscriptions import SubscriptionInfo

PICKER = "departments"
NOTE = "note"  # a localized note key shown above the current window's text
RESULT = "result"  # the result window's text (already localized)
PRELOADED = "preloaded"  # the multi-select holds the stored departments already


class SubscriptionSG(StatesGroup):
    main = State()
    departments = State()
    result = State()


def _deps(manager: DialogManager) -> tuple[AsyncSession, CatalogueService, int]:
    data = manager.middleware_data
    user = data["event_from_user"]
    return data["session"], deps_of(manager).catalogue, user.id


def _names(manager: DialogManager, ids: tuple[str, ...]) -> str:
    return department_names(localizer(manager), deps_of(manager).catalogue, ids)


def _picker(manager: DialogManager) -> ManagedMultiselect[str]:
    picker = manager.find(PICKER)
    assert isinstance(picker, ManagedMultiselect)
    return picker


def _note(manager: DialogManager) -> str:
    key = manager.dialog_data.pop(NOTE, None)
    return localizer(manager)(key) + "\n\n" if isinstance(key, str) else ""


async def main_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    session, _, user_id = _deps(dialog_manager)
    i18n = localizer(dialog_manager)
    info = await subscriptions.get(session, user_id)
    if info is None:
        title = i18n("subscriptions.title")
    elif info.departments is None:
        title = i18n("subscriptions.title_subscribed", current=i18n("subscriptions.current_all"))
    else:
        current = i18n("subscriptions.current_some", names=_names(dialog_manager, info.departments))
        title = i18n("subscriptions.title_subscribed", current=current)
    return {"text": _note(dialog_manager) + title, "subscribed": info is not None}


async def departments_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    _, catalogue, _ = _deps(dialog_manager)
    lang = localizer(dialog_manager).lang
    return {
        "note": _note(dialog_manager),
        "departments": department_items(catalogue, lang),
        "ticked": len(_picker(dialog_manager).get_checked()),
    }


async def result_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    return {"text": dialog_manager.dialog_data.get(RESULT, "")}


async def _saved(manager: DialogManager, departments: list[str] | None) -> None:
    session, _, user_id = _deps(manager)
    i18n = localizer(manager)
    info: SubscriptionInfo = await subscriptions.subscribe_in_language(
        session, deps_of(manager).languages, user_id, departments, i18n.lang
    )
    if info.departments is None:
        text = i18n("subscriptions.saved_all")
    else:
        text = i18n("subscriptions.saved_some", names=_names(manager, info.departments))
    manager.dialog_data[RESULT] = f"{text}\n\n{i18n('subscriptions.saved_note')}"
    manager.dialog_data.pop(PRELOADED, None)
    await manager.switch_to(SubscriptionSG.result)


async def on_all(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await _saved(manager, None)


async def on_choose(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    if not manager.dialog_data.get(PRELOADED):  # ticks not yet confirmed stay as they are
        session, catalogue, user_id = _deps(manager)
        info = await subscriptions.get(session, user_id)
        picker = _picker(manager)
        await picker.reset_checked()  # type: ignore[no-untyped-call]
        for department in (info.departments or ()) if info else ():
            if catalogue.department(department) is not None:
                await picker.set_checked(department, True)
        manager.dialog_data[PRELOADED] = True
    await manager.switch_to(SubscriptionSG.departments)


async def on_unsubscribe(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    session, _, user_id = _deps(manager)
    removed = await subscriptions.unsubscribe(session, user_id)
    key = "subscriptions.unsubscribed" if removed else "subscriptions.not_subscribed"
    manager.dialog_data[RESULT] = localizer(manager)(key)
    manager.dialog_data.pop(PRELOADED, None)
    await manager.switch_to(SubscriptionSG.result)


async def on_done(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    _, catalogue, _ = _deps(manager)
    known = [d.id for d in catalogue.catalogue.departments]
    chosen = subscriptions.clean_departments(_picker(manager).get_checked(), known)
    if not chosen:
        manager.dialog_data[NOTE] = "subscriptions.choose_none"
        return
    await _saved(manager, chosen)


async def on_change(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await manager.switch_to(SubscriptionSG.main)


async def _to_menu(callback: CallbackQuery, manager: DialogManager, note: str | None) -> None:
    from bot.handlers.start import show_main_menu  # the menu is the handlers' screen

    i18n = localizer(manager)
    manager.show_mode = ShowMode.NO_UPDATE  # the menu replaces the dialog's message
    await manager.done()
    await show_main_menu(callback, i18n, note=i18n(note) if note else "")


async def on_menu(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await _to_menu(callback, manager, None)


async def on_cancel(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await _to_menu(callback, manager, "subscriptions.cancelled")


async def on_other_input(message: Message, _input: MessageInput, manager: DialogManager) -> None:
    """Text, a sticker or the like where the buttons are expected: explain, show again."""
    manager.dialog_data[NOTE] = "subscriptions.use_buttons"
    manager.show_mode = ShowMode.SEND  # below the person's message


def dialog() -> Dialog:
    return Dialog(
        Window(
            Format("{text}"),
            Column(
                Button(L("subscriptions.button.all"), id="all", on_click=on_all),
                Button(L("subscriptions.button.choose"), id="choose", on_click=on_choose),
                Button(
                    L("subscriptions.button.unsubscribe"),
                    id="unsubscribe",
                    on_click=on_unsubscribe,
                    when="subscribed",
                ),
                to_menu(on_menu),
            ),
            getter=main_getter,
            state=SubscriptionSG.main,
        ),
        Window(
            Format("{note}"),
            *departments_choice(
                PICKER,
                L("subscriptions.choose_prompt"),
                L("subscriptions.ticked", name=item_name),
                L("subscriptions.button.done", count="ticked"),
                on_done,
            ),
            Row(
                Back(L("common.back")),
                Button(L("common.cancel"), id="cancel", on_click=on_cancel),
            ),
            MessageInput(on_other_input),
            getter=departments_getter,
            state=SubscriptionSG.departments,
        ),
        Window(
            Format("{text}"),
            Row(
                Button(L("subscriptions.button.change"), id="change", on_click=on_change),
                to_menu(on_menu),
            ),
            getter=result_getter,
            state=SubscriptionSG.result,
        ),
    )
