"""Widgets shared by the dialogs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram.fsm.state import State
from aiogram_dialog.api.protocols import DialogManager
from aiogram_dialog.widgets.common import WhenCondition
from aiogram_dialog.widgets.kbd import Button, Column, Multiselect, Row, SwitchTo
from aiogram_dialog.widgets.kbd.button import OnClick
from aiogram_dialog.widgets.text import Format, Text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalogue.service import CatalogueService
from bot.deps import Deps
from bot.i18n import Localizer
from bot.rendering.messages import escape


def deps_of(manager: DialogManager) -> Deps:
    """What the process gives the dialogs (``bot.deps``: the catalogue, the settings...)."""
    deps = manager.middleware_data["deps"]
    assert isinstance(deps, Deps)
    return deps


def session_of(manager: DialogManager) -> AsyncSession:
    """The update's database session (``bot.middlewares.DbSessionMiddleware``)."""
    session = manager.middleware_data["session"]
    assert isinstance(session, AsyncSession)
    return session


NOTE = "note"  # the dialog data's one-off line above a window (an error, a result)


async def note_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    """``{note}``: the one-off line, shown once (then gone), with a blank line after it."""
    note = dialog_manager.dialog_data.pop(NOTE, None)
    return {"note": f"{note}\n\n" if isinstance(note, str) and note else ""}


def localizer(manager: DialogManager) -> Localizer:
    i18n = manager.middleware_data["i18n"]
    assert isinstance(i18n, Localizer)
    return i18n


class L(Text):
    """A text from ``bot/locales`` in the person's language; ``params`` say where its
    placeholders come from: the name of a window data field (``L("a.b", count="ticked")``:
    ``{count}`` is ``data["ticked"]``) or a function of the data (for a select's ``item``)."""

    def __init__(
        self,
        key: str,
        when: WhenCondition = None,
        **params: str | Callable[[dict[str, Any]], Any],
    ) -> None:
        super().__init__(when=when)
        self.key = key
        self.params = params

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        values = {
            name: source(data) if callable(source) else data[source]
            for name, source in self.params.items()
        }
        return localizer(manager)(self.key, **values)


def department_items(catalogue: CatalogueService, lang: str) -> list[tuple[str, str]]:
    """The ``items`` of :func:`department_picker`: (id, name in the person's language)."""
    return [(d.id, d.name.get(lang)) for d in catalogue.catalogue.departments]


def item_name(data: dict[str, Any]) -> str:
    """A select's current item's name (items of :func:`department_items`), escaped."""
    return escape(str(data["item"][1]))


def department_picker(widget_id: str, ticked: Text, on_click: Any = None) -> Multiselect[str]:
    """The departments multi-select of the subscription and the broadcast audience:
    ``ticked`` on each ticked department (``L(key, name=item_name)``), the plain name on the
    others; items from the window's ``departments`` (:func:`department_items`)."""
    return Multiselect(
        ticked,
        Format("{item[1]}"),
        id=widget_id,
        item_id_getter=lambda item: item[0],
        items="departments",
        on_click=on_click,
    )


def departments_choice(
    widget_id: str,
    prompt: Text,
    ticked: Text,
    done: Text,
    on_done: Any,
    on_tick: Any = None,
) -> tuple[Any, ...]:
    """The departments step of the subscription and of the broadcast audience: ``prompt``,
    the multi-select (:func:`department_picker`) and «Done (N)» (``done``, with ``ticked``
    in the window data)."""
    return (
        prompt,
        Column(department_picker(widget_id, ticked, on_click=on_tick)),
        Button(done, id="done", on_click=on_done),
    )


def to_menu(on_click: Any) -> Button:
    """«To the menu»: the dialog's own ``on_click`` closes it and shows the main menu."""
    return Button(L("common.to_menu"), id="menu", on_click=on_click)


def cancel_button(on_click: OnClick) -> Button:
    """«Cancel»: leaves the dialog (``on_click`` says how it ends)."""
    return Button(L("common.cancel"), id="close", on_click=on_click)


def back_and_cancel(state: State, on_cancel: OnClick) -> Row:
    """«Back» to ``state`` and «Cancel» on one row."""
    return Row(SwitchTo(L("common.back"), id="back", state=state), cancel_button(on_cancel))
