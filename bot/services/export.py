"""HR's /export: applications as an XLSX workbook. Plain Python, no aiogram.

Texts (headers, statuses, verdicts) come from ``bot/locales/<lang>/hr_tools.ftl`` in HR's
language. Dates are shown in Almaty time. Rows of anonymized applications keep the
facts (position, status, dates) and show every personal field empty.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import Select, case, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalogue.service import CatalogueService
from bot.db.models import Application, ApplicationStatus
from bot.i18n import Translator
from bot.services.stats import Period, period_start
from bot.services.xlsx import SheetWriter

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


def _filtered(
    query: Select[_T],
    filters: ExportFilter,
    now: datetime | None,
    *,
    since: datetime | None = None,
) -> Select[_T]:
    if filters.department is not None:
        query = query.where(Application.department == filters.department)
    if filters.position is not None:
        query = query.where(Application.position_number == filters.position)
    if filters.status is not None:
        query = query.where(Application.status == filters.status)
    since = since or period_start(filters.period, now)
    if since is not None:
        query = query.where(Application.created_at >= since)
    return query


# The columns an export reads: plain rows, never ORM objects (100k of them took 560 MB).
_c = Application.__table__.c
EXPORT_COLUMNS = (
    _c.id,
    _c.created_at,
    _c.position_number,
    _c.department,
    _c.status,
    _c.verdict,
    _c.full_name,
    _c.phone,
    _c.username,
    _c.cv_file_id,
    _c.comment,
    _c.decided_by,
    _c.decided_at,
    _c.reject_reason,
    _c.anonymized_at,
)
CHUNK = 2000  # rows per page of the keyset pagination (and per hop to the writer thread)


class ApplicationRow(Protocol):
    """What a workbook row is made of: a plain result row (or an ``Application``)."""

    @property
    def id(self) -> int: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def position_number(self) -> int: ...
    @property
    def department(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def verdict(self) -> str: ...
    @property
    def full_name(self) -> str | None: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def username(self) -> str | None: ...
    @property
    def cv_file_id(self) -> str | None: ...
    @property
    def comment(self) -> str | None: ...
    @property
    def decided_by(self) -> int | None: ...
    @property
    def decided_at(self) -> datetime | None: ...
    @property
    def reject_reason(self) -> str | None: ...
    @property
    def anonymized_at(self) -> datetime | None: ...


async def pages(
    session: AsyncSession,
    filters: ExportFilter,
    *,
    now: datetime | None = None,
    chunk: int = CHUNK,
) -> AsyncIterator[Sequence[ApplicationRow]]:
    """The applications that pass every filter, oldest first, ``chunk`` plain rows at a time.

    Keyset pagination on ``(created_at, id)`` (the ``ix_applications_created_id`` index):
    each page is one short query, so the event loop serves other updates between pages.
    Run it in one transaction for one snapshot (the session's own, until it commits).
    """
    since = period_start(filters.period, now)
    after: tuple[datetime, int] | None = None
    while True:
        query: Select[Any] = _filtered(select(*EXPORT_COLUMNS), filters, now, since=since)
        if after is not None:
            query = query.where(tuple_(_c.created_at, _c.id) > tuple_(*after))
        query = query.order_by(_c.created_at, _c.id).limit(chunk)
        rows = (await session.execute(query)).all()
        if not rows:
            return
        yield rows
        if len(rows) < chunk:
            return
        last = rows[-1]
        after = (last.created_at, last.id)


async def applications(
    session: AsyncSession, filters: ExportFilter, *, now: datetime | None = None
) -> list[ApplicationRow]:
    """The applications that pass every filter, oldest first (all at once: for small sets)."""
    return [row async for page in pages(session, filters, now=now) for row in page]


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
    application: ApplicationRow, catalogue: CatalogueService, translator: Translator, lang: str
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


@dataclass(frozen=True, slots=True)
class Widths:
    """What the column widths are fitted to, known before the first row (a write-only
    sheet takes its columns before its rows): see :func:`widths`."""

    longest: Mapping[str, int]


def _label_width(translator: Translator, lang: str, prefix: str, values: Iterable[str]) -> int:
    """The widest label of ``values`` (keys ``<prefix><value>``; the prefix ends with a dot)."""
    return max((len(_label(translator, lang, f"{prefix}{v}", v)) for v in values), default=0)


async def widths(
    session: AsyncSession,
    filters: ExportFilter,
    catalogue: CatalogueService,
    translator: Translator,
    lang: str,
    *,
    now: datetime | None = None,
) -> Widths:
    """The longest shown value of each column among the filtered applications, from two
    aggregate queries (no row is loaded)."""
    anonymized = _c.anonymized_at.is_not(None)

    def personal(column: Any) -> Any:
        return func.max(func.length(case((anonymized, None), else_=column)))

    lengths: Any = (
        await session.execute(
            _filtered(
                select(
                    func.max(_c.id),
                    func.max(_c.position_number),
                    func.max(_c.decided_by),
                    personal(_c.full_name),
                    personal(_c.phone),
                    personal(_c.username),
                    personal(_c.comment),
                ),
                filters,
                now,
            )
        )
    ).one()
    kinds: Sequence[Any] = (
        await session.execute(
            _filtered(
                select(
                    _c.position_number, _c.department, _c.status, _c.verdict, _c.reject_reason
                ).group_by(
                    _c.position_number, _c.department, _c.status, _c.verdict, _c.reject_reason
                ),
                filters,
                now,
            )
        )
    ).all()
    titles = [catalogue.position(k.position_number) for k in kinds]
    departments = {k.department for k in kinds}
    longest: dict[str, int] = {
        "number": len(str(lengths[0] or "")),
        "created": len(DATE_FORMAT),
        "position_number": len(str(lengths[1] or "")),
        "position_title": max((len(p.title.get(lang)) for p in titles if p), default=0),
        "department": max(
            (
                len(d.name.get(lang)) if (d := catalogue.department(name)) else len(name)
                for name in departments
            ),
            default=0,
        ),
        "status": _label_width(translator, lang, "hr_tools.status.", {k.status for k in kinds}),
        "verdict": _label_width(translator, lang, "hr_tools.verdict.", {k.verdict for k in kinds}),
        "full_name": int(lengths[3] or 0),
        "phone": int(lengths[4] or 0),
        "username": int(lengths[5] or 0) + 1 if lengths[5] else 0,
        "cv": max(
            len(translator(lang, "hr_tools.export.yes")),
            len(translator(lang, "hr_tools.export.no")),
        ),
        "comment": int(lengths[6] or 0),
        "decided_by": len(str(lengths[2] or "")),
        "decided_at": len(DATE_FORMAT),
        "reject_reason": _label_width(
            translator,
            lang,
            "hr_tools.reject_reason.",
            {k.reject_reason for k in kinds if k.reject_reason},
        ),
    }
    return Widths(longest)


def _fitted(headers: Sequence[str], found: Widths | None) -> list[int]:
    out = []
    for column, header in zip(COLUMNS, headers, strict=True):
        width = max(len(header), found.longest.get(column, 0) if found else 0)
        out.append(min(max(width + 2, MIN_WIDTH), MAX_WIDTH))
    return out


class WorkbookWriter:
    """The XLSX file, written row by row (:class:`bot.services.xlsx.SheetWriter`: constant
    memory but for the compressed file itself, no cell objects). Not thread-safe: one
    thread at a time (``asyncio.to_thread`` of each call, in order, is fine).

    A frozen header row, an auto-filter over the data, column widths fitted to
    :func:`widths` (when given; otherwise to the headers).
    """

    def __init__(
        self,
        catalogue: CatalogueService,
        translator: Translator,
        lang: str,
        found: Widths | None = None,
    ) -> None:
        self.catalogue, self.translator, self.lang = catalogue, translator, lang
        headers = [translator(lang, f"hr_tools.export.column.{c}") for c in COLUMNS]
        self._buffer = io.BytesIO()
        self._sheet = SheetWriter(
            self._buffer,
            translator(lang, "hr_tools.export.sheet_title")[:31],
            headers,
            _fitted(headers, found),
            DATE_FORMAT,
        )

    @property
    def rows(self) -> int:
        return self._sheet.rows

    def add(self, rows: Iterable[ApplicationRow]) -> None:
        catalogue, translator, lang = self.catalogue, self.translator, self.lang
        out = []
        for application in rows:
            values = _row(application, catalogue, translator, lang)
            out.append([_clean(values[column]) for column in COLUMNS])
        self._sheet.add(out)

    def finish(self) -> bytes:
        self._sheet.close()
        return self._buffer.getvalue()


def build_workbook(
    rows: Iterable[ApplicationRow],
    catalogue: CatalogueService,
    translator: Translator,
    lang: str,
    found: Widths | None = None,
) -> bytes:
    """The whole XLSX file at once (see :class:`WorkbookWriter`); for small sets and tests."""
    rows = list(rows)
    if found is None:
        found = _widths_of(rows, catalogue, translator, lang)
    writer = WorkbookWriter(catalogue, translator, lang, found)
    writer.add(rows)
    return writer.finish()


def _widths_of(
    rows: Sequence[ApplicationRow], catalogue: CatalogueService, translator: Translator, lang: str
) -> Widths:
    longest: dict[str, int] = {}
    for application in rows:
        for column, value in _row(application, catalogue, translator, lang).items():
            shown = len(DATE_FORMAT) if isinstance(value, datetime) else len(str(value or ""))
            longest[column] = max(longest.get(column, 0), shown)
    return Widths(longest)


async def build_streamed(
    session: AsyncSession,
    filters: ExportFilter,
    catalogue: CatalogueService,
    translator: Translator,
    lang: str,
    *,
    now: datetime | None = None,
) -> tuple[bytes, int]:
    """The XLSX of every filtered application and how many rows it has, off the event loop.

    The rows are read page by page (:func:`pages`), each page handed to the writer in a
    worker thread (``asyncio.to_thread``), so neither the database read nor the writer ever
    holds the event loop for long and memory stays flat. One transaction for one snapshot.
    """
    found = await widths(session, filters, catalogue, translator, lang, now=now)
    writer = await asyncio.to_thread(WorkbookWriter, catalogue, translator, lang, found)
    async for page in pages(session, filters, now=now):
        await asyncio.to_thread(writer.add, page)
    data = await asyncio.to_thread(writer.finish)
    return data, writer.rows


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
