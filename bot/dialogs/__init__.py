"""The multi-step flows as aiogram-dialog dialogs, one package per flow
(``bot/dialogs/<flow>/``): windows declared with their Back and Cancel, state kept in the
bot's FSM storage (the SQL one by default), so a restart loses nothing.

Dialogs only load, call one service and show: texts come from ``bot/locales`` through
:class:`~bot.dialogs.widgets.L`; rules live in ``bot/services``.
"""

from __future__ import annotations

from aiogram import Dispatcher, F, Router
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent
from aiogram_dialog import setup_dialogs
from aiogram_dialog.api.exceptions import OutdatedIntent, UnknownIntent, UnknownState
from aiogram_dialog.utils import CB_SEP

from bot.dialogs import (
    agenda,
    application,
    broadcast,
    export,
    slots,
    stages,
    subscriptions,
    vacancies,
)
from bot.dialogs.manager import ManagerFactory
from bot.i18n import Localizer


async def stale_dialog_button(event: ErrorEvent, i18n: Localizer) -> None:
    """A button of a dialog that was closed, replaced or never existed (forged): an alert,
    and the current screen stays as it is."""
    callback = event.update.callback_query
    if callback is not None:
        await callback.answer(i18n("dialogs.stale"), show_alert=True)


def build_dialogs_router() -> Router:
    """Every dialog (aiogram-dialog itself is set up on the Dispatcher: :func:`setup`)."""
    router = Router(name="dialogs")
    # A dialog takes every button while it is open; only its own (aiogram-dialog's callback
    # data: intent id, separator, widget) reach it, the rest go to their routers.
    router.callback_query.filter(F.data.contains(CB_SEP))
    router.include_router(subscriptions.dialog())
    router.include_router(vacancies.dialog())
    router.include_router(export.dialog())
    router.include_router(broadcast.dialog())
    router.include_router(application.dialog())
    router.include_router(slots.dialog())
    router.include_router(agenda.dialog())
    router.include_router(stages.dialog())
    return router


def setup(dp: Dispatcher) -> None:
    """aiogram-dialog's middlewares on every event, so that any handler may start a dialog
    (with its own event isolation: a separate lock, ours is taken around the whole update
    already), and the answer to buttons of dialogs that are gone (raised before routing)."""
    setup_dialogs(dp, dialog_manager_factory=ManagerFactory())
    dp.errors.register(
        stale_dialog_button, ExceptionTypeFilter(UnknownIntent, OutdatedIntent, UnknownState)
    )
