"""What HR's dialogs (the vacancy board, the export filters) share: HR-only access, which
messages they take, and their lists (paged positions, the alert for a forged choice).

A dialog is a Router: :func:`hr_dialog` puts the ``bot.filters`` gate on its buttons and
inputs, so someone who is no longer HR (left the HR chat mid-dialog) gets the refusal and
nothing runs; a stranger's forged dialog button never gets this far (its intent is not in
their stack: the stale-button alert). The dialog takes a message only on its typed steps
(``typed_steps``) and never a command, so elsewhere text is a search and commands work as
anywhere else.
"""

from __future__ import annotations

from typing import Any

from aiogram.filters import Filter
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram_dialog import Dialog, DialogManager
from aiogram_dialog.api.entities import Context
from aiogram_dialog.api.internal import CONTEXT_KEY
from aiogram_dialog.widgets.common import ManagedScroll
from aiogram_dialog.widgets.kbd import ScrollingGroup, Select
from aiogram_dialog.widgets.kbd.select import OnItemClick
from aiogram_dialog.widgets.text import Text

from bot.dialogs.widgets import deps_of, localizer, session_of
from bot.filters import HROnly
from bot.services import stages

POSITIONS = "positions"  # the paged list of a department's positions
PAGE_HEIGHT = 10  # positions a page


class OnTypedStep(Filter):
    """A message that is no command, while the dialog shows one of ``states``."""

    def __init__(self, states: frozenset[State]) -> None:
        self.states = states

    async def __call__(self, event: TelegramObject, **data: Any) -> bool:
        if isinstance(event, Message) and (event.text or "").startswith("/"):
            return False
        context = data.get(CONTEXT_KEY)
        return isinstance(context, Context) and context.state in self.states


def hr_dialog(dialog: Dialog, typed_steps: tuple[State, ...] = ()) -> Dialog:
    gate = HROnly()
    dialog.callback_query.middleware(gate)
    dialog.message.middleware(gate)
    dialog.message.filter(OnTypedStep(frozenset(typed_steps)))
    return dialog


def pick(text: Text, widget_id: str, items: Any, on_click: OnItemClick[Any, Any]) -> Select[Any]:
    """A list of ``items``, each one button; an item's first element is its id."""
    return Select(
        text, id=widget_id, item_id_getter=lambda item: item[0], items=items, on_click=on_click
    )


def positions_pages(text: Text, on_click: OnItemClick[Any, Any]) -> ScrollingGroup:
    """The ``positions`` of the window data, one a line, :data:`PAGE_HEIGHT` a page."""
    return ScrollingGroup(
        pick(text, "position", "positions", on_click),
        id=POSITIONS,
        width=1,
        height=PAGE_HEIGHT,
        hide_on_single_page=True,
    )


async def first_page(manager: DialogManager) -> None:
    """Another department: its positions from the first page."""
    scroll = manager.find(POSITIONS)
    assert isinstance(scroll, ManagedScroll)
    await scroll.set_page(0)


async def stale(callback: CallbackQuery, manager: DialogManager) -> None:
    """A forged or outdated item of a list: an alert, the same window."""
    await callback.answer(localizer(manager)("hr_tools.stale"), show_alert=True)


async def pick_stage(
    callback: CallbackQuery, manager: DialogManager, item_id: str, *, key: str, then: State
) -> None:
    """A stage chosen from the hiring chain (/slots, /stages): kept under ``key`` in the
    dialog's data, then window ``then``; a stage no longer in the chain is stale."""
    chain = await stages.ensure_default_chain(session_of(manager))
    if not item_id.isdecimal() or int(item_id) not in {s.id for s in chain}:
        await stale(callback, manager)
        return
    manager.dialog_data[key] = int(item_id)
    await manager.switch_to(then)


async def known_department(callback: CallbackQuery, manager: DialogManager, item_id: str) -> bool:
    """A department chosen from a list is one of the catalogue's; else the stale alert."""
    if deps_of(manager).catalogue.department(item_id) is None:
        await stale(callback, manager)
        return False
    return True
