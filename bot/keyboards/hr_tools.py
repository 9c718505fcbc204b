"""Keyboards of HR's /stats, /export and /vacancies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.catalogue.models import Department, Position
from bot.i18n import Localizer
from bot.keyboards.callbacks import (
    ExportCb,
    ExportStep,
    MenuAction,
    MenuCb,
    StatsCb,
    StatsView,
    VacancyAction,
    VacancyCb,
)
from bot.services.export import STATUSES, ExportFilter
from bot.services.stats import Period
from bot.services.vacancies import Vacancy

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


# --- /export --------------------------------------------------------------------------------


def export_cb(step: ExportStep, filters: ExportFilter) -> ExportCb:
    return ExportCb(
        step=step,
        dept=filters.department or "",
        pos=filters.position or 0,
        status=filters.status or "",
        period=filters.period.value,
    )


def _back_and_cancel(
    builder: InlineKeyboardBuilder, i18n: Localizer, back: ExportCb, filters: ExportFilter
) -> None:
    builder.button(text=i18n("common.back"), callback_data=back)
    builder.button(text=i18n("common.cancel"), callback_data=export_cb(ExportStep.cancel, filters))


def export_menu_keyboard(i18n: Localizer) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    everything = ExportFilter()
    builder.button(
        text=i18n("hr_tools.export.button.all"), callback_data=export_cb(ExportStep.run, everything)
    )
    builder.button(
        text=i18n("hr_tools.export.button.filters"),
        callback_data=export_cb(ExportStep.department, everything),
    )
    builder.adjust(1)
    return builder.as_markup()


def export_departments_keyboard(
    i18n: Localizer, departments: Sequence[Department], filters: ExportFilter
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    any_department = ExportFilter(period=filters.period, status=filters.status)
    builder.button(
        text=i18n("hr_tools.export.any_department"),
        callback_data=export_cb(ExportStep.status, any_department),
    )
    for department in departments:
        chosen = ExportFilter(
            department=department.id, status=filters.status, period=filters.period
        )
        builder.button(
            text=department.name.get(i18n.lang),
            callback_data=export_cb(ExportStep.position, chosen),
        )
    _back_and_cancel(builder, i18n, export_cb(ExportStep.menu, filters), filters)
    builder.adjust(*([1] * (len(departments) + 1)), 2)
    return builder.as_markup()


def export_positions_keyboard(
    i18n: Localizer, positions: Sequence[Position], filters: ExportFilter
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    base = ExportFilter(department=filters.department, status=filters.status, period=filters.period)
    builder.button(
        text=i18n("hr_tools.export.any_position"), callback_data=export_cb(ExportStep.status, base)
    )
    for position in positions:
        chosen = ExportFilter(
            department=filters.department,
            position=position.number,
            status=filters.status,
            period=filters.period,
        )
        builder.button(
            text=f"{position.number}. {position.title.get(i18n.lang)}",
            callback_data=export_cb(ExportStep.status, chosen),
        )
    _back_and_cancel(builder, i18n, export_cb(ExportStep.department, filters), filters)
    builder.adjust(*([1] * (len(positions) + 1)), 2)
    return builder.as_markup()


def export_statuses_keyboard(i18n: Localizer, filters: ExportFilter) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("hr_tools.export.any_status"),
        callback_data=export_cb(ExportStep.period, replace(filters, status=None)),
    )
    for status in STATUSES:
        builder.button(
            text=i18n(f"hr_tools.status.{status}"),
            callback_data=export_cb(ExportStep.period, replace(filters, status=status)),
        )
    back = ExportStep.position if filters.department else ExportStep.department
    _back_and_cancel(builder, i18n, export_cb(back, filters), filters)
    builder.adjust(1, 2, 2, 1, 2)
    return builder.as_markup()


def export_periods_keyboard(i18n: Localizer, filters: ExportFilter) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for period in Period:
        builder.button(
            text=i18n(f"hr_tools.stats.button.{period.value}"),
            callback_data=export_cb(ExportStep.summary, replace(filters, period=period)),
        )
    _back_and_cancel(builder, i18n, export_cb(ExportStep.status, filters), filters)
    builder.adjust(3, 2)
    return builder.as_markup()


def export_summary_keyboard(i18n: Localizer, filters: ExportFilter) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("hr_tools.export.button.run"), callback_data=export_cb(ExportStep.run, filters)
    )
    _back_and_cancel(builder, i18n, export_cb(ExportStep.period, filters), filters)
    builder.adjust(1, 2)
    return builder.as_markup()


# --- /vacancies -----------------------------------------------------------------------------


def vacancy_board_keyboard(
    i18n: Localizer, rows: Sequence[tuple[Department, int, int]]
) -> InlineKeyboardMarkup:
    """``rows``: each department with its open and total positions."""
    builder = InlineKeyboardBuilder()
    for department, open_count, total in rows:
        builder.button(
            text=i18n(
                "hr_tools.vac.department_button",
                name=department.name.get(i18n.lang),
                open=open_count,
                total=total,
            ),
            callback_data=VacancyCb(action=VacancyAction.department, dept=department.id),
        )
    builder.button(
        text=i18n("hr_tools.vac.applicant_view"), callback_data=MenuCb(action=MenuAction.vacancies)
    )
    builder.adjust(1)
    return builder.as_markup()


def vacancy_positions_keyboard(
    i18n: Localizer, positions: Sequence[tuple[Position, Vacancy]]
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for position, vacancy in positions:
        title = position.title.get(i18n.lang)
        if not vacancy.is_open:
            text = i18n("hr_tools.vac.position_closed", title=title)
        elif vacancy.open_places is not None:
            text = i18n(
                "hr_tools.vac.position_open_places", title=title, places=vacancy.open_places
            )
        else:
            text = i18n("hr_tools.vac.position_open", title=title)
        builder.button(
            text=text,
            callback_data=VacancyCb(action=VacancyAction.position, number=position.number),
        )
    builder.button(text=i18n("common.back"), callback_data=VacancyCb(action=VacancyAction.board))
    builder.adjust(1)
    return builder.as_markup()


def vacancy_position_keyboard(
    i18n: Localizer, position: Position, vacancy: Vacancy
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    number = position.number
    if vacancy.is_open:
        builder.button(
            text=i18n("hr_tools.vac.button.close"),
            callback_data=VacancyCb(action=VacancyAction.close, number=number),
        )
    else:
        builder.button(
            text=i18n("hr_tools.vac.button.open"),
            callback_data=VacancyCb(action=VacancyAction.open, number=number),
        )
    builder.button(
        text=i18n("hr_tools.vac.button.places"),
        callback_data=VacancyCb(action=VacancyAction.places, number=number),
    )
    builder.button(
        text=i18n("common.back"),
        callback_data=VacancyCb(action=VacancyAction.department, dept=position.department),
    )
    builder.adjust(1)
    return builder.as_markup()


def vacancy_places_keyboard(i18n: Localizer, position: Position) -> InlineKeyboardMarkup:
    """The «how many places» step: not said, Back (to the position), Cancel."""
    builder = InlineKeyboardBuilder()
    number = position.number
    builder.button(
        text=i18n("hr_tools.vac.button.places_unset"),
        callback_data=VacancyCb(action=VacancyAction.places_unset, number=number),
    )
    builder.button(
        text=i18n("common.back"),
        callback_data=VacancyCb(action=VacancyAction.position, number=number),
    )
    builder.button(
        text=i18n("common.cancel"),
        callback_data=VacancyCb(action=VacancyAction.cancel, number=number),
    )
    builder.adjust(1, 2)
    return builder.as_markup()
