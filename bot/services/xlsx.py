"""A streaming XLSX writer for one sheet of plain values: rows go straight into the zip.

Why not openpyxl (which reads these files in the tests): its write-only mode still builds
a cell object and an XML element per value, about 145 µs a row of 15 columns here, so
100,000 rows take 15 s and more, and it keeps every distinct string in memory (the
shared-string table). This writes each row as text (inline strings, no shared table) into
a deflated zip member: memory stays flat whatever the number of rows, and a row costs a
tenth. What it writes is SpreadsheetML as Excel, LibreOffice and openpyxl read it: one
sheet, a bold header row frozen at the top, an auto-filter, fixed column widths, dates
with one number format. Strings are always text, never formulas.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import IO
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

Value = str | int | float | datetime | None

_EPOCH = datetime(1899, 12, 30)
_DAY_SECONDS = 86400.0

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Styles: 0 plain, 1 the header (bold, wrapped, centred vertically), 2 a date.
_HEADER_STYLE, _DATE_STYLE = 1, 2


def _styles(date_format: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<styleSheet xmlns="{_MAIN}">'
        f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{escape(date_format)}"/>'
        "</numFmts>"
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
        "</borders>"
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" '
        'applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" '
        'applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def _workbook(title: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f'<sheets><sheet name="{escape(title, {chr(34): "&quot;"})}" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
    )


def _text(value: str) -> str:
    return f'<is><t xml:space="preserve">{escape(value)}</t></is>'


class SheetWriter:
    """One sheet written row by row into an XLSX in ``target`` (a binary file or buffer).

    ``widths``: each column's width in characters; ``date_format``: the number format of
    every ``datetime`` value (naive, as Excel has no time zones). Strings must hold no
    characters XML forbids (control characters): clean them before.
    """

    def __init__(
        self,
        target: IO[bytes],
        title: str,
        headers: Sequence[str],
        widths: Sequence[float],
        date_format: str,
    ) -> None:
        self.columns = len(headers)
        self._letters = [get_column_letter(i) for i in range(1, self.columns + 1)]
        self._zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED)
        self._zip.writestr("[Content_Types].xml", _CONTENT_TYPES)
        self._zip.writestr("_rels/.rels", _ROOT_RELS)
        self._zip.writestr("xl/workbook.xml", _workbook(title))
        self._zip.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        self._zip.writestr("xl/styles.xml", _styles(date_format))
        raw = self._zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        self._sheet = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
            for i, w in enumerate(widths, start=1)
        )
        self._sheet.write(
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
            '<sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
            "</sheetView></sheetViews>"
            '<sheetFormatPr defaultRowHeight="15"/>'
            f"<cols>{cols}</cols><sheetData>"
        )
        self.rows = 0
        header = "".join(
            f'<c r="{letter}1" s="{_HEADER_STYLE}" t="inlineStr">{_text(h)}</c>'
            for letter, h in zip(self._letters, headers, strict=True)
        )
        self._sheet.write(f'<row r="1">{header}</row>')

    def add(self, rows: Iterable[Sequence[Value]]) -> None:
        """Append rows (``None`` leaves a cell empty)."""
        letters, out = self._letters, []
        number = self.rows + 1
        for row in rows:
            number += 1
            cells = []
            for letter, value in zip(letters, row, strict=True):
                if value is None:
                    continue
                if isinstance(value, str):
                    cells.append(f'<c r="{letter}{number}" t="inlineStr">{_text(value)}</c>')
                elif isinstance(value, datetime):
                    serial = (value - _EPOCH).total_seconds() / _DAY_SECONDS
                    cells.append(f'<c r="{letter}{number}" s="{_DATE_STYLE}"><v>{serial!r}</v></c>')
                else:
                    cells.append(f'<c r="{letter}{number}"><v>{value!r}</v></c>')
            out.append(f'<row r="{number}">{"".join(cells)}</row>')
        self._sheet.write("".join(out))
        self.rows = number - 1

    def close(self) -> None:
        """Finish the sheet (the auto-filter spans the header and every row) and the zip."""
        last = f"{self._letters[-1]}{self.rows + 1}"
        self._sheet.write(
            f'</sheetData><autoFilter ref="A1:{last}"/>'
            '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" '
            'footer="0.5"/></worksheet>'
        )
        self._sheet.close()
        self._zip.close()
