"""Keyboards of HR's /stats (/export and /vacancies are dialogs: ``bot/dialogs``)."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Localizer
from bot.keyboards.callbacks import (
    StatsCb,
    StatsView,
)
from bot.services.stats import Period

# --- /stats ---------------------------------------------------------------------------------


def stats_keyboard(i18n: Localizer, view: StatsView, period: Period) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for option in Period:
        label = i18n(f"hr_tools.stats.button.{option.value}")
        if option is period:
            label = i18n("hr_tools.stats.button.selected", label=label)
        builder.button(text=label, callback_data=StatsCb(view=view, period=option.value))
    others = [
        (StatsView.funnel, "hr_tools.stats.button.funnel"),
        (StatsView.departments, "hr_tools.stats.button.departments"),
        (StatsView.sources, "sources.stats.button"),
    ]
    for other_view, key in others:
        if other_view is not view:
            builder.button(
                text=i18n(key), callback_data=StatsCb(view=other_view, period=period.value)
            )
    builder.adjust(3, 2)
    return builder.as_markup()
