"""The drop-off reminders' buttons: Continue and «Not interested» (the questionnaire's, the
application form's)."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Localizer
from bot.keyboards.callbacks import DropoffAction, DropoffCb, FormDropoffCb


def dropoff_keyboard(i18n: Localizer, token: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("nudges.dropoff.continue"),
        callback_data=DropoffCb(action=DropoffAction.resume, token=token),
    )
    builder.button(
        text=i18n("nudges.dropoff.stop"),
        callback_data=DropoffCb(action=DropoffAction.stop, token=token),
    )
    builder.adjust(1)
    return builder.as_markup()


def form_dropoff_keyboard(i18n: Localizer, intent: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("nudges.dropoff.continue"),
        callback_data=FormDropoffCb(action=DropoffAction.resume, intent=intent),
    )
    builder.button(
        text=i18n("nudges.dropoff.stop"),
        callback_data=FormDropoffCb(action=DropoffAction.stop, intent=intent),
    )
    builder.adjust(1)
    return builder.as_markup()
