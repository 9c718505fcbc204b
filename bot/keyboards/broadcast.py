"""Keyboards of HR's /broadcast composer and /broadcasts list."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from aiogram.types import InlineKeyboardMarkup

from bot.catalogue.models import Department
from bot.i18n import Localizer
from bot.keyboards.builder import KeyboardBuilder
from bot.keyboards.callbacks import (
    BroadcastAction,
    BroadcastCb,
    BroadcastListAction,
    BroadcastListCb,
)


def _cb(action: BroadcastAction, dept: str = "") -> BroadcastCb:
    return BroadcastCb(action=action, dept=dept)


def _back_cancel(builder: KeyboardBuilder, i18n: Localizer, back: bool = True) -> None:
    if back:
        builder.button(text=i18n("common.back"), callback_data=_cb(BroadcastAction.back))
    builder.button(text=i18n("common.cancel"), callback_data=_cb(BroadcastAction.cancel))


def mode_keyboard(i18n: Localizer) -> InlineKeyboardMarkup:
    builder = KeyboardBuilder()
    builder.button(
        text=i18n("broadcast.button.one_text"), callback_data=_cb(BroadcastAction.one_text)
    )
    builder.button(
        text=i18n("broadcast.button.two_texts"), callback_data=_cb(BroadcastAction.two_texts)
    )
    _back_cancel(builder, i18n, back=False)
    builder.adjust(1)
    return builder.as_markup()


def text_keyboard(i18n: Localizer, can_keep: bool) -> InlineKeyboardMarkup:
    """A text step: keep the text typed before (after Back), Back, Cancel."""
    builder = KeyboardBuilder()
    if can_keep:
        builder.button(
            text=i18n("broadcast.button.keep_text"), callback_data=_cb(BroadcastAction.keep)
        )
    _back_cancel(builder, i18n)
    builder.adjust(*((1, 2) if can_keep else (2,)))
    return builder.as_markup()


def photo_keyboard(i18n: Localizer, has_photo: bool) -> InlineKeyboardMarkup:
    builder = KeyboardBuilder()
    if has_photo:
        builder.button(
            text=i18n("broadcast.button.keep_photo"), callback_data=_cb(BroadcastAction.keep)
        )
    builder.button(
        text=i18n("broadcast.button.no_photo"), callback_data=_cb(BroadcastAction.no_photo)
    )
    _back_cancel(builder, i18n)
    builder.adjust(*((1, 1, 2) if has_photo else (1, 2)))
    return builder.as_markup()


def audience_keyboard(i18n: Localizer) -> InlineKeyboardMarkup:
    builder = KeyboardBuilder()
    builder.button(
        text=i18n("broadcast.button.audience_all"), callback_data=_cb(BroadcastAction.audience_all)
    )
    builder.button(
        text=i18n("broadcast.button.audience_choose"),
        callback_data=_cb(BroadcastAction.audience_choose),
    )
    _back_cancel(builder, i18n)
    builder.adjust(1, 1, 2)
    return builder.as_markup()


def departments_keyboard(
    i18n: Localizer, departments: Sequence[Department], chosen: Collection[str]
) -> InlineKeyboardMarkup:
    builder = KeyboardBuilder()
    for department in departments:
        name = department.name.get(i18n.lang)
        label = i18n("broadcast.ticked", name=name) if department.id in chosen else name
        builder.button(text=label, callback_data=_cb(BroadcastAction.toggle, department.id))
    builder.button(
        text=i18n("broadcast.button.done", count=len(chosen)),
        callback_data=_cb(BroadcastAction.done),
    )
    _back_cancel(builder, i18n)
    builder.adjust(*([1] * len(departments)), 1, 2)
    return builder.as_markup()


def preview_keyboard(i18n: Localizer) -> InlineKeyboardMarkup:
    builder = KeyboardBuilder()
    builder.button(
        text=i18n("broadcast.button.send_now"), callback_data=_cb(BroadcastAction.send_now)
    )
    builder.button(
        text=i18n("broadcast.button.schedule"), callback_data=_cb(BroadcastAction.schedule)
    )
    _back_cancel(builder, i18n)
    builder.adjust(2, 2)
    return builder.as_markup()


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
