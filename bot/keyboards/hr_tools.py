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
    if view is StatsView.funnel:
        other = StatsCb(view=StatsView.departments, period=period.value)
        builder.button(text=i18n("hr_tools.stats.button.departments"), callback_data=other)
    else:
        other = StatsCb(view=StatsView.funnel, period=period.value)
        builder.button(text=i18n("hr_tools.stats.button.funnel"), callback_data=other)
    builder.adjust(3, 1)
    return builder.as_markup()
