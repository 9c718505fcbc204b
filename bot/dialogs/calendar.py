"""aiogram-dialog's Calendar in Almaty time with the month and weekday names in the
person's language (its own are the server locale's English)."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import Calendar, CalendarConfig
from aiogram_dialog.widgets.kbd.calendar_kbd import (
    CalendarDaysView,
    CalendarMonthView,
    CalendarScope,
    CalendarScopeView,
    CalendarYearsView,
    date_from_raw,
)
from aiogram_dialog.widgets.text import Text

from bot.dialogs.widgets import localizer
from bot.rendering.slots import MONTH_KEYS, WEEKDAY_KEYS, month_title
from bot.scheduling import TIMEZONE


class _Weekday(Text):
    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        day: date = data["date"]
        return localizer(manager)(WEEKDAY_KEYS[day.weekday()])


class _Month(Text):
    """A month's name; ``prefix``/``suffix`` around it (the pager's « and »)."""

    def __init__(self, prefix: str = "", suffix: str = "", with_year: bool = True) -> None:
        super().__init__()
        self.prefix, self.suffix, self.with_year = prefix, suffix, with_year

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        day: date = data["date"]
        i18n = localizer(manager)
        name = month_title(i18n, day) if self.with_year else i18n(MONTH_KEYS[day.month - 1])
        return f"{self.prefix}{name}{self.suffix}"


class LocalCalendar(Calendar):
    def __init__(self, id: str, on_click: Any) -> None:
        super().__init__(
            id=id,
            on_click=on_click,
            config=CalendarConfig(timezone=TIMEZONE),  # type: ignore[arg-type]
        )

    async def _handle_click_date(self, data: str, manager: DialogManager) -> None:
        # A forged day (not a number, or out of range): the stale-button alert, same window.
        try:
            date_from_raw(int(data))
        except (ValueError, OverflowError):
            event = manager.event
            if isinstance(event, CallbackQuery):
                await event.answer(localizer(manager)("hr_tools.stale"), show_alert=True)
            return
        await super()._handle_click_date(data, manager)

    def _init_views(self) -> dict[CalendarScope, CalendarScopeView]:
        return {
            CalendarScope.DAYS: CalendarDaysView(
                self._item_callback_data,
                weekday_text=_Weekday(),
                header_text=_Month("🗓 "),
                next_month_text=_Month(suffix=" >>"),
                prev_month_text=_Month("<< "),
            ),
            CalendarScope.MONTHS: CalendarMonthView(
                self._item_callback_data,
                month_text=_Month(with_year=False),
                this_month_text=_Month("[ ", " ]", with_year=False),
            ),
            CalendarScope.YEARS: CalendarYearsView(self._item_callback_data),
        }
