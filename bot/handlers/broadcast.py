"""HR's /broadcast (compose an announcement to the subscribers) and /broadcasts (the list).

/broadcast opens the composer dialog (``bot.dialogs.broadcast``) anew, whatever was on
screen. The list shows the last broadcasts with a «Cancel» for each scheduled one (asked to
confirm). Everything here is HR only (``hr_router``); sending is the delivery engine's
(``bot.sending``).
"""

from __future__ import annotations

from typing import Final

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, StartMode
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import BroadcastStatus
from bot.deps import Deps
from bot.dialogs.broadcast import BroadcastSG
from bot.filters import hr_router
from bot.handlers.common import show
from bot.i18n import Localizer
from bot.keyboards.broadcast import broadcasts_keyboard, confirm_cancel_keyboard
from bot.keyboards.callbacks import BroadcastListAction, BroadcastListCb
from bot.rendering.broadcasts import broadcast_item
from bot.rendering.messages import split_blocks
from bot.services import broadcasts

LIST_LIMIT: Final = 10


def _with_note(note: str, text: str) -> str:
    return f"{note}\n\n{text}" if note else text


async def open_composer(message: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(BroadcastSG.mode, mode=StartMode.RESET_STACK)


# --- /broadcasts ----------------------------------------------------------------------------


async def list_broadcasts(
    event: Message | CallbackQuery,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
    note: str = "",
) -> None:
    """/broadcasts (and the list's buttons): the last broadcasts, a «Cancel» for each
    scheduled one."""
    found = await broadcasts.list_broadcasts(session, LIST_LIMIT)
    if not found:
        await show(event, _with_note(note, i18n("broadcast.list.empty")))
        return
    blocks = [i18n("broadcast.list.title", count=len(found))]
    if note:
        blocks.insert(0, note)
    blocks += [broadcast_item(i18n, deps.catalogue, b) for b in found]
    blocks.append(i18n("broadcast.list.footer"))
    scheduled = [b.id for b in found if b.status == BroadcastStatus.scheduled]
    await show(event, split_blocks(blocks), broadcasts_keyboard(i18n, scheduled))


async def list_button(
    callback: CallbackQuery,
    callback_data: BroadcastListCb,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    action, broadcast_id = callback_data.action, callback_data.broadcast
    if action is BroadcastListAction.list:
        await list_broadcasts(callback, session, i18n, deps)
        return
    broadcast = await broadcasts.get_broadcast(session, broadcast_id)
    if broadcast is None or broadcast.status != BroadcastStatus.scheduled:
        note = i18n("broadcast.cancel_failed", id=broadcast_id)
        await list_broadcasts(callback, session, i18n, deps, note)
        return
    if action is BroadcastListAction.cancel:
        await show(
            callback,
            i18n("broadcast.confirm_cancel", id=broadcast_id),
            confirm_cancel_keyboard(i18n, broadcast_id),
        )
        return
    if not await broadcasts.cancel(session, broadcast_id):
        await list_broadcasts(
            callback, session, i18n, deps, i18n("broadcast.cancel_failed", id=broadcast_id)
        )
        return
    if deps.jobs is not None:
        deps.jobs.unschedule_broadcast(broadcast_id)
    await list_broadcasts(
        callback, session, i18n, deps, i18n("broadcast.cancel_done", id=broadcast_id)
    )


def create_router() -> Router:
    router = hr_router("broadcast")
    router.message.register(open_composer, Command("broadcast"))
    router.message.register(list_broadcasts, Command("broadcasts"))
    router.callback_query.register(list_button, BroadcastListCb.filter())
    return router
