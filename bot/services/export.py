"""HR's /export: applications as an XLSX workbook. Plain Python, no aiogram.

Texts (headers, statuses, verdicts) come from ``bot/locales/<lang>/hr_tools.ftl`` in HR's
language. Dates are shown in Almaty time. Rows of anonymized applications keep the
facts (position, status, dates) and show every personal field empty.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalogue.service import CatalogueService
from bot.db.models import Application, ApplicationStatus
from bot.i18n import Translator
from bot.services.stats import Period, period_start

TIMEZONE = ZoneInfo("Asia/Almaty")
DATE_FORMAT = "DD.MM.YYYY HH:MM"
COLUMNS: tuple[str, ...] = (
    "number",
    "created",
    "position_number",
    "position_title",
    "department",
    "status",
    "verdict",
    "full_name",
    "phone",
    "username",
    "cv",
    "comment",
    "decided_by",
    "decided_at",
    "reject_reason",
)
PERSONAL_COLUMNS = frozenset({"full_name", "phone", "username", "cv", "comment"})
MIN_WIDTH, MAX_WIDTH = 8, 60
_T = TypeVar("_T")
CellValue = str | int | datetime | None
STATUSES: tuple[str, ...] = tuple(s.value for s in ApplicationStatus)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True, slots=True)
class ExportFilter:
    department: str | None = None
    position: int | None = None
    status: str | None = None
    period: Period = Period.all


def _filtered(query: Select[_T], filters: ExportFilter, now: datetime | None) -> Select[_T]:
    if filters.department is not None:
        query = query.where(Application.department == filters.department)
    if filters.position is not None:
        query = query.where(Application.position_number == filters.position)
    if filters.status is not None:
        query = query.where(Application.status == filters.status)
    since = period_start(filters.period, now)
    if since is not None:
        query = query.where(Application.created_at >= since)
    return query


async def applications(
    session: AsyncSession, filters: ExportFilter, *, now: datetime | None = None
) -> list[Application]:
    """The applications that pass every filter, oldest first."""
    query = select(Application).order_by(Application.created_at, Application.id)
    return list((await session.scalars(_filtered(query, filters, now))).all())


async def count(
    session: AsyncSession, filters: ExportFilter, *, now: datetime | None = None
) -> int:
    """How many applications pass every filter."""
    query = select(func.count(Application.id))
    return int((await session.scalar(_filtered(query, filters, now))) or 0)


def local_time(moment: datetime | None) -> datetime | None:
    """Almaty wall-clock time without tzinfo (Excel has no time zones)."""
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite returns naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(TIMEZONE).replace(tzinfo=None)


def _label(translator: Translator, lang: str, key: str, fallback: str) -> str:
    return translator(lang, key) if translator.has(key) else fallback


def _row(
    application: Application, catalogue: CatalogueService, translator: Translator, lang: str
) -> dict[str, CellValue]:
    position = catalogue.position(application.position_number)
    department = catalogue.department(application.department)
    anonymized = application.anonymized_at is not None
    username = application.username
    row: dict[str, CellValue] = {
        "number": application.id,
        "created": local_time(application.created_at),
        "position_number": application.position_number,
        "position_title": position.title.get(lang) if position else "",
        "department": department.name.get(lang) if department else application.department,
        "status": _label(
            translator, lang, f"hr_tools.status.{application.status}", application.status
        ),
        "verdict": _label(
            translator, lang, f"hr_tools.verdict.{application.verdict}", application.verdict
        ),
        "full_name": application.full_name,
        "phone": application.phone,
        "username": f"@{username}" if username else None,
        "cv": translator(
            lang, "hr_tools.export.yes" if application.cv_file_id else "hr_tools.export.no"
        ),
        "comment": application.comment,
        "decided_by": application.decided_by,
        "decided_at": local_time(application.decided_at),
        "reject_reason": (
            _label(
                translator,
                lang,
                f"hr_tools.reject_reason.{application.reject_reason}",
                application.reject_reason,
            )
            if application.reject_reason
            else None
        ),
    }
    if anonymized:
        for column in PERSONAL_COLUMNS:
            row[column] = None
    return row


def _clean(value: CellValue) -> CellValue:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def build_workbook(
    rows: list[Application],
    catalogue: CatalogueService,
    translator: Translator,
    lang: str,
) -> bytes:
    """The XLSX file: a frozen header row, an auto-filter over the data, fitted widths."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = translator(lang, "hr_tools.export.sheet_title")[:31]
    headers = [translator(lang, f"hr_tools.export.column.{c}") for c in COLUMNS]
    widths = [len(h) for h in headers]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for application in rows:
        values = _row(application, catalogue, translator, lang)
        row_number = sheet.max_row + 1
        for index, column in enumerate(COLUMNS, start=1):
            value = _clean(values[column])
            cell = sheet.cell(row=row_number, column=index, value=value)
            if isinstance(value, str):
                # Text typed by an applicant is never a formula («=HYPERLINK(...)»).
                cell.data_type = "s"
                widths[index - 1] = max(widths[index - 1], len(value))
            elif isinstance(value, datetime):
                cell.number_format = DATE_FORMAT
                widths[index - 1] = max(widths[index - 1], len(DATE_FORMAT))
            elif value is not None:
                widths[index - 1] = max(widths[index - 1], len(str(value)))
    for index, width in enumerate(widths, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(COLUMNS))
    sheet.auto_filter.ref = f"A1:{last}{max(sheet.max_row, 1)}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_name(filters: ExportFilter, now: datetime | None = None) -> str:
    """A plain ASCII file name: applications_<date>[_<department>][_<number>][_<status>].xlsx."""
    stamp = local_time(now or datetime.now(UTC))
    assert stamp is not None
    parts = ["applications", stamp.strftime("%Y-%m-%d_%H%M")]
    if filters.department:
        parts.append(filters.department)
    if filters.position is not None:
        parts.append(f"pos{filters.position}")
    if filters.status:
        parts.append(filters.status)
    if filters.period is not Period.all:
        parts.append(f"{filters.period.value}d")
    return "_".join(parts) + ".xlsx"
