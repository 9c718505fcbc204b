"""Keyboards of the application form (its phone step), /my, /privacy and /delete_me."""

from __future__ import annotations

from aiogram.types import (
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.db.models import Application
from bot.i18n import Localizer
from bot.keyboards.callbacks import (
    AskHRCb,
    DeleteMeCb,
    MenuAction,
    MenuCb,
    MyApplicationsCb,
    WithdrawCb,
)


def phone_keyboard(i18n: Localizer, current: str | None) -> ReplyKeyboardMarkup:
    """A reply keyboard: share the contact, the earlier number (to keep it), Back, Cancel."""
    rows = [[KeyboardButton(text=i18n("application.share_contact"), request_contact=True)]]
    if current:
        rows.append([KeyboardButton(text=current)])
    rows.append(
        [KeyboardButton(text=i18n("common.back")), KeyboardButton(text=i18n("common.cancel"))]
    )
    return ReplyKeyboardMarkup(
        keyboard=rows,
        resize_keyboard=True,
        input_field_placeholder=i18n("application.phone_placeholder"),
    )


def after_submit_keyboard(i18n: Localizer) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n("application.my.button"), callback_data=MyApplicationsCb())
    builder.button(text=i18n("common.to_menu"), callback_data=MenuCb(action=MenuAction.main))
    builder.adjust(1)
    return builder.as_markup()


def my_keyboard(i18n: Localizer, open_applications: list[Application]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for application in open_applications:
        builder.button(
            text=i18n("application.withdraw.button", id=application.id),
            callback_data=WithdrawCb(application_id=application.id),
        )
        builder.button(
            text=i18n("conversation.ask.button", id=application.id),
            callback_data=AskHRCb(application_id=application.id),
        )
    builder.button(text=i18n("common.to_menu"), callback_data=MenuCb(action=MenuAction.main))
    builder.adjust(1)
    return builder.as_markup()


def withdraw_keyboard(i18n: Localizer, application_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("application.withdraw.yes"),
        callback_data=WithdrawCb(application_id=application_id, confirm=True),
    )
    builder.button(text=i18n("application.withdraw.no"), callback_data=MyApplicationsCb())
    builder.adjust(2)
    return builder.as_markup()


def privacy_keyboard(i18n: Localizer) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n("privacy.delete.button"), callback_data=DeleteMeCb())
    builder.button(text=i18n("common.to_menu"), callback_data=MenuCb(action=MenuAction.main))
    builder.adjust(1)
    return builder.as_markup()


def delete_confirm_keyboard(i18n: Localizer) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n("privacy.delete.yes"), callback_data=DeleteMeCb(confirm=True))
    builder.button(text=i18n("privacy.delete.no"), callback_data=MenuCb(action=MenuAction.main))
    builder.adjust(2)
    return builder.as_markup()
