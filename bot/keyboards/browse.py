"""Inline keyboards of the main menu and the catalogue."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.catalogue.models import Position
from bot.catalogue.service import DepartmentSummary
from bot.i18n import Localizer
from bot.keyboards.builder import KeyboardBuilder
from bot.keyboards.callbacks import (
    ApplyCb,
    CardCb,
    CardSource,
    DepartmentCb,
    LanguageCb,
    MenuAction,
    MenuCb,
    PositionCb,
    SubscriptionAction,
    SubscriptionCb,
)


def language_keyboard(i18n: Localizer, preselected: str) -> InlineKeyboardMarkup:
    builder = KeyboardBuilder()
    for code in ("kk", "ru"):
        label = i18n(f"common.language.{code}")
        if code == preselected:
            label = i18n("common.language.preselected", label=label)
        builder.button(text=label, callback_data=LanguageCb(code=code))
    builder.adjust(2)
    return builder.as_markup()


def main_menu_keyboard(i18n: Localizer) -> InlineKeyboardMarkup:
    builder = KeyboardBuilder()
    builder.button(text=i18n("menu.vacancies"), callback_data=MenuCb(action=MenuAction.vacancies))
    builder.button(text=i18n("menu.search"), callback_data=MenuCb(action=MenuAction.search))
    # Vacancy announcements (bot/handlers/subscriptions.py).
    builder.button(
        text=i18n("subscriptions.menu_button"),
        callback_data=SubscriptionCb(action=SubscriptionAction.open),
    )
    builder.button(text=i18n("menu.language"), callback_data=MenuCb(action=MenuAction.language))
    builder.button(text=i18n("menu.help"), callback_data=MenuCb(action=MenuAction.help))
    builder.adjust(1, 1, 1, 2)
    return builder.as_markup()


def back_to_menu_keyboard(i18n: Localizer) -> InlineKeyboardMarkup:
    builder = KeyboardBuilder()
    builder.button(text=i18n("common.to_menu"), callback_data=MenuCb(action=MenuAction.main))
    return builder.as_markup()


def departments_keyboard(
    i18n: Localizer, summaries: list[DepartmentSummary]
) -> InlineKeyboardMarkup:
    builder = KeyboardBuilder()
    for s in summaries:
        builder.button(
            text=i18n(
                "browse.department_button",
                name=s.department.name.get(i18n.lang),
                positions=s.positions,
                headcount=s.headcount,
            ),
            callback_data=DepartmentCb(department=s.department.id),
        )
    builder.button(text=i18n("common.back"), callback_data=MenuCb(action=MenuAction.main))
    builder.adjust(1)
    return builder.as_markup()


def positions_keyboard(
    i18n: Localizer,
    positions: list[Position],
    back: MenuCb | DepartmentCb,
    source: CardSource | None = None,
) -> InlineKeyboardMarkup:
    """A department's positions (``source=None``) or search results."""
    builder = KeyboardBuilder()
    for p in positions:
        builder.button(
            text=i18n(
                "browse.position_button", title=p.title.get(i18n.lang), headcount=p.headcount
            ),
            callback_data=card_button(p.number, source),
        )
    builder.button(text=i18n("common.back"), callback_data=back)
    builder.adjust(1)
    return builder.as_markup()


def card_button(number: int, source: CardSource | None) -> PositionCb | CardCb:
    return PositionCb(number=number) if source is None else CardCb(number=number, src=source)


def _card_back(position: Position, source: CardSource | None) -> MenuCb | DepartmentCb:
    """Back goes where the card was opened from."""
    if source is None:
        return DepartmentCb(department=position.department)
    if source is CardSource.search:
        return MenuCb(action=MenuAction.search_results)
    return MenuCb(action=MenuAction.close)  # the verdict or announcement above it stays


def position_card_keyboard(
    i18n: Localizer,
    position: Position,
    can_apply: bool = True,
    source: CardSource | None = None,
) -> InlineKeyboardMarkup:
    """Apply (unless the position is closed: ``can_apply=False``), Back, Menu."""
    builder = KeyboardBuilder()
    if can_apply:
        builder.button(text=i18n("browse.apply"), callback_data=ApplyCb(number=position.number))
    builder.button(text=i18n("common.back"), callback_data=_card_back(position, source))
    menu = MenuAction.main if source in (None, CardSource.search) else MenuAction.main_below
    builder.button(text=i18n("common.to_menu"), callback_data=MenuCb(action=menu))
    builder.adjust(*((1, 2) if can_apply else (2,)))
    return builder.as_markup()
