"""Keyboards of the vacancy subscription (/subscribe, the main menu's 🔔)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from aiogram.types import InlineKeyboardMarkup

from bot.catalogue.models import Department
from bot.i18n import Localizer
from bot.keyboards.builder import KeyboardBuilder
from bot.keyboards.callbacks import MenuAction, MenuCb, SubscriptionAction, SubscriptionCb


def _cb(action: SubscriptionAction, dept: str = "") -> SubscriptionCb:
    return SubscriptionCb(action=action, dept=dept)


def subscription_keyboard(i18n: Localizer, subscribed: bool) -> InlineKeyboardMarkup:
    """Every department / choose departments; unsubscribe when subscribed; the menu."""
    builder = KeyboardBuilder()
    builder.button(text=i18n("subscriptions.button.all"), callback_data=_cb(SubscriptionAction.all))
    builder.button(
        text=i18n("subscriptions.button.choose"), callback_data=_cb(SubscriptionAction.choose)
    )
    if subscribed:
        builder.button(
            text=i18n("subscriptions.button.unsubscribe"),
            callback_data=_cb(SubscriptionAction.unsubscribe),
        )
    builder.button(text=i18n("common.to_menu"), callback_data=MenuCb(action=MenuAction.main))
    builder.adjust(1)
    return builder.as_markup()


def departments_keyboard(
    i18n: Localizer, departments: Sequence[Department], chosen: Collection[str]
) -> InlineKeyboardMarkup:
    """The multi-select: a ✅ on each ticked department, then Done, Back, Cancel."""
    builder = KeyboardBuilder()
    for department in departments:
        name = department.name.get(i18n.lang)
        label = i18n("subscriptions.ticked", name=name) if department.id in chosen else name
        builder.button(text=label, callback_data=_cb(SubscriptionAction.toggle, department.id))
    builder.button(
        text=i18n("subscriptions.button.done", count=len(chosen)),
        callback_data=_cb(SubscriptionAction.done),
    )
    builder.button(text=i18n("common.back"), callback_data=_cb(SubscriptionAction.back))
    builder.button(text=i18n("common.cancel"), callback_data=_cb(SubscriptionAction.cancel))
    builder.adjust(*([1] * len(departments)), 1, 2)
    return builder.as_markup()


def after_subscription_keyboard(i18n: Localizer) -> InlineKeyboardMarkup:
    builder = KeyboardBuilder()
    builder.button(
        text=i18n("subscriptions.button.change"), callback_data=_cb(SubscriptionAction.open)
    )
    builder.button(text=i18n("common.to_menu"), callback_data=MenuCb(action=MenuAction.main))
    builder.adjust(2)
    return builder.as_markup()
