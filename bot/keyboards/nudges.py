"""The drop-off reminders' buttons: Continue and «Not interested» (the questionnaire's, the
application form's)."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from bot.i18n import Localizer
from bot.keyboards.builder import KeyboardBuilder
from bot.keyboards.callbacks import DropoffAction, DropoffCb, FormDropoffCb


def _continue_or_stop(
    i18n: Localizer, button: Callable[[DropoffAction], CallbackData]
) -> InlineKeyboardMarkup:
    builder = KeyboardBuilder()
    builder.button(text=i18n("nudges.dropoff.continue"), callback_data=button(DropoffAction.resume))
    builder.button(text=i18n("nudges.dropoff.stop"), callback_data=button(DropoffAction.stop))
    builder.adjust(1)
    return builder.as_markup()


def dropoff_keyboard(i18n: Localizer, token: str) -> InlineKeyboardMarkup:
    return _continue_or_stop(i18n, lambda action: DropoffCb(action=action, token=token))


def form_dropoff_keyboard(i18n: Localizer, intent: str) -> InlineKeyboardMarkup:
    return _continue_or_stop(i18n, lambda action: FormDropoffCb(action=action, intent=intent))
