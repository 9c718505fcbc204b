"""The candidate's booking buttons: the slots of an offer, and confirm / reschedule / cancel
under a confirmation or a reminder. In the application's language."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.db.models import Slot
from bot.i18n import Localizer
from bot.keyboards.callbacks import BookingAction, BookingActionCb, BookSlotCb
from bot.rendering.booking import slot_label


def slots_keyboard(
    i18n: Localizer, application_id: int, slots: Sequence[Slot], *, booking_id: int = 0
) -> InlineKeyboardMarkup | None:
    """One button a slot (two a row); ``booking_id``: they move that booking. None: no slot."""
    if not slots:
        return None
    builder = InlineKeyboardBuilder()
    for slot in slots:
        builder.button(
            text=slot_label(i18n, slot),
            callback_data=BookSlotCb(app=application_id, slot=slot.id, booking=booking_id),
        )
    builder.adjust(2)
    return builder.as_markup()


def booking_keyboard(
    i18n: Localizer, booking_id: int, *, confirm: bool, reschedule: bool, cancel: bool = True
) -> InlineKeyboardMarkup | None:
    builder = InlineKeyboardBuilder()
    for action, shown in (
        (BookingAction.confirm, confirm),
        (BookingAction.reschedule, reschedule),
        (BookingAction.cancel, cancel),
    ):
        if shown:
            builder.button(
                text=i18n(f"booking.button.{action.name}"),
                callback_data=BookingActionCb(booking=booking_id, action=action),
            )
    builder.adjust(1)
    markup = builder.as_markup()
    return markup if markup.inline_keyboard else None
