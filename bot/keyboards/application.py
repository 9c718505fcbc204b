"""Keyboards of the application form, /my, /privacy and /delete_me."""

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
    ConsentCb,
    DeleteMeCb,
    FormAction,
    FormCb,
    MenuAction,
    MenuCb,
    MyApplicationsCb,
    WithdrawCb,
)

EDITABLE_STEPS = ("name", "phone", "cv", "comment")


def consent_keyboard(i18n: Localizer, number: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("application.consent.agree"), callback_data=ConsentCb(number=number, agree=True)
    )
    builder.button(
        text=i18n("application.consent.decline"),
        callback_data=ConsentCb(number=number, agree=False),
    )
    builder.adjust(2)
    return builder.as_markup()


def step_keyboard(
    i18n: Localizer, token: str, step: str, *, keep: bool = False, skip: bool = False
) -> InlineKeyboardMarkup:
    """Keep (an earlier answer), Skip (optional steps), then Back and Cancel."""
    builder = InlineKeyboardBuilder()
    sizes: list[int] = []

    def cb(action: FormAction, value: str = "") -> FormCb:
        return FormCb(token=token, step=step, action=action, value=value)

    if keep:
        builder.button(text=i18n("application.keep"), callback_data=cb(FormAction.keep))
        sizes.append(1)
    if skip:
        builder.button(text=i18n("application.skip"), callback_data=cb(FormAction.skip))
        sizes.append(1)
    builder.button(text=i18n("common.back"), callback_data=cb(FormAction.back))
    builder.button(text=i18n("common.cancel"), callback_data=cb(FormAction.cancel))
    sizes.append(2)
    builder.adjust(*sizes)
    return builder.as_markup()


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


def review_keyboard(i18n: Localizer, token: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for step in EDITABLE_STEPS:
        builder.button(
            text=i18n(f"application.edit.{step}"),
            callback_data=FormCb(token=token, step="review", action=FormAction.edit, value=step),
        )
    builder.button(
        text=i18n("application.submit"),
        callback_data=FormCb(token=token, step="review", action=FormAction.submit),
    )
    builder.button(
        text=i18n("common.back"),
        callback_data=FormCb(token=token, step="review", action=FormAction.back),
    )
    builder.button(
        text=i18n("common.cancel"),
        callback_data=FormCb(token=token, step="review", action=FormAction.cancel),
    )
    builder.adjust(2, 2, 1, 2)
    return builder.as_markup()


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
