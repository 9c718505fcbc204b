"""Keyboards of HR's /broadcasts list (the composer's are its dialog's: bot/dialogs/broadcast)."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardMarkup

from bot.i18n import Localizer
from bot.keyboards.builder import KeyboardBuilder
from bot.keyboards.callbacks import BroadcastListAction, BroadcastListCb


def broadcasts_keyboard(i18n: Localizer, cancellable: Sequence[int]) -> InlineKeyboardMarkup | None:
    """A «Cancel» button for each scheduled broadcast of the list."""
    if not cancellable:
        return None
    builder = KeyboardBuilder()
    for broadcast_id in cancellable:
        builder.button(
            text=i18n("broadcast.button.cancel_item", id=broadcast_id),
            callback_data=BroadcastListCb(
                action=BroadcastListAction.cancel, broadcast=broadcast_id
            ),
        )
    builder.adjust(1)
    return builder.as_markup()


def confirm_cancel_keyboard(i18n: Localizer, broadcast_id: int) -> InlineKeyboardMarkup:
    builder = KeyboardBuilder()
    builder.button(
        text=i18n("broadcast.button.confirm_cancel", id=broadcast_id),
        callback_data=BroadcastListCb(
            action=BroadcastListAction.confirm_cancel, broadcast=broadcast_id
        ),
    )
    builder.button(
        text=i18n("broadcast.button.keep"),
        callback_data=BroadcastListCb(action=BroadcastListAction.list),
    )
    builder.adjust(1)
    return builder.as_markup()
