"""The machine's reading of every position's criteria, one row per criterion, with the seed's
words beside it: the sheet HR sign off (``python -m bot criteria``). Pure Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.catalogue.models import Catalogue, Path, Position
from bot.i18n import Translator
from bot.screening.engine import TOTAL, get_screener
from bot.screening.render import (
    describe_path,
    domain_name,
    fields_text,
    format_years,
    level_name,
    requirement_words,
)

NS = "criteria_sheet"


@dataclass(frozen=True, slots=True)
class SheetRow:
    number: int
    title: str
    path: str  # «1/2», or «—» for what holds on every path
    criterion: str
    reading: str
    hr_check: str  # why HR must check it, or empty
    seed: str  # the seed's words


def _t(translator: Translator, lang: str, key: str, **params: object) -> str:
    return translator(lang, f"{NS}.{key}", **params)


def _implying(catalogue: Catalogue, wanted: Iterable[str]) -> list[str]:
    """Categories whose holder also holds one of ``wanted`` (DE for D)."""
    screener = get_screener(catalogue)
    targets = set(wanted)
    return [
        c
        for c, closure in screener.implications.items()
        if c not in targets and not closure.isdisjoint(targets)
    ]


def _path_rows(
    catalogue: Catalogue,
    position: Position,
    path: Path,
    label: str,
    lang: str,
    translator: Translator,
) -> list[tuple[str, str, str, str, str]]:
    t = translator
    sections = position.sections
    rows: list[tuple[str, str, str, str, str]] = []
    rows.append(
        (
            label,
            _t(t, lang, "criterion.education"),
            _t(t, lang, "reading.level", level=level_name(catalogue, path.education_level, lang)),
            "",
            sections.education.get(lang),
        )
    )
    if path.fields is None:
        reading = _t(t, lang, "reading.fields_any")
        quote = sections.education.get(lang)
    else:
        reading = fields_text(catalogue, path.fields, lang, t)
        quotes = [q.ru if lang == "ru" else q.kk for q in path.field_quotes]
        quote = " | ".join(q for q in quotes if q) or sections.education.get(lang)
    check = _t(t, lang, "check.related") if path.fields_related else ""
    rows.append((label, _t(t, lang, "criterion.fields"), reading, check, quote))
    for e in path.experience:
        words = (
            domain_name(catalogue, TOTAL, lang)
            if e.domain == TOTAL
            else requirement_words(catalogue, e, e.domain, lang)
        )
        if e.optional:
            reading = _t(t, lang, "reading.experience_optional", domain=words)
        elif e.min_years <= 0:
            reading = _t(t, lang, "reading.experience_some", domain=words)
        else:
            years = format_years(e.min_years, lang, t, genitive=True)
            reading = _t(t, lang, "reading.experience", domain=words, years=years)
        if e.preferred_years is not None and not e.optional:
            preferred = format_years(e.preferred_years, lang, t, genitive=False)
            reading += " " + _t(t, lang, "reading.preferred", years=preferred)
        rows.append(
            (label, _t(t, lang, "criterion.experience"), reading, "", sections.experience.get(lang))
        )
    if path.special_training is not None:
        rows.append(
            (
                label,
                _t(t, lang, "criterion.training"),
                path.special_training.get(lang),
                _t(t, lang, "check.declared"),
                sections.experience.get(lang),
            )
        )
    return rows


def sheet_rows(
    catalogue: Catalogue, lang: str, translator: Translator, number: int | None = None
) -> list[SheetRow]:
    """Every criterion of every position (or of position ``number``), in catalogue order."""
    out: list[SheetRow] = []
    t = translator
    for position in catalogue.positions:
        if (number is not None and position.number != number) or position.criteria is None:
            continue
        criteria = position.criteria
        title = position.title.get(lang)
        sections = position.sections
        rows: list[tuple[str, str, str, str, str]] = []
        count = len(criteria.paths)
        for i, path in enumerate(criteria.paths):
            label = f"{i + 1}/{count}"
            if count > 1:
                rows.append(
                    (
                        label,
                        _t(t, lang, "criterion.path"),
                        describe_path(catalogue, path, lang, t),
                        "",
                        sections.experience.get(lang),
                    )
                )
            rows.extend(_path_rows(catalogue, position, path, label, lang, t))
        # What holds on every path, declared by the applicant and checked by HR.
        both = f"{sections.education.get(lang)} | {sections.experience.get(lang)}"
        declared = _t(t, lang, "check.declared")
        position_wide: list[tuple[str, str, str, str]] = []
        if criteria.driver_licences:
            implied = _implying(catalogue, criteria.driver_licences)
            reading = _t(
                t,
                lang,
                "reading.licences",
                categories=", ".join(criteria.driver_licences),
                implied=", ".join(implied) or "—",
            )
            position_wide.append(("criterion.licence", reading, declared, both))
        elif criteria.driver_licence_unspecified:
            reading = _t(t, lang, "reading.licence_unspecified")
            check = _t(t, lang, "check.licence_unspecified")
            position_wide.append(
                ("criterion.licence", reading, check, sections.education.get(lang))
            )
        if criteria.security_clearance:
            reading = _t(t, lang, "reading.clearance")
            position_wide.append(("criterion.clearance", reading, declared, both))
        if criteria.medical_fitness:
            reading = _t(t, lang, "reading.medical")
            position_wide.append(("criterion.medical", reading, declared, both))
        if criteria.special_training is not None:
            reading = criteria.special_training.get(lang)
            position_wide.append(("criterion.training", reading, declared, both))
        for key, reading, check, seed in position_wide:
            rows.append(("—", _t(t, lang, key), reading, check, seed))
        for item in criteria.optional:
            optional_text = sections.optional.get(lang) if sections.optional else item.get(lang)
            rows.append(
                (
                    "—",
                    _t(t, lang, "criterion.optional"),
                    item.get(lang),
                    "",
                    optional_text,
                )
            )
        out.extend(SheetRow(position.number, title, *row) for row in rows)
    return out


HEADER_KEYS = ("number", "title", "path", "criterion", "reading", "hr_check", "seed")


def header(lang: str, translator: Translator) -> list[str]:
    return [_t(translator, lang, f"column.{key}") for key in HEADER_KEYS]


def _md_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def to_markdown(rows: list[SheetRow], lang: str, translator: Translator) -> str:
    head = header(lang, translator)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [str(r.number), r.title, r.path, r.criterion, r.reading, r.hr_check, r.seed]
        lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def to_xlsx(rows: list[SheetRow], lang: str, translator: Translator) -> bytes:
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _t(translator, lang, "sheet_title")[:31]
    sheet.append(header(lang, translator))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r in rows:
        sheet.append([r.number, r.title, r.path, r.criterion, r.reading, r.hr_check, r.seed])
    widths = (6, 40, 7, 22, 60, 30, 80)
    for column, width in zip("ABCDEFG", widths, strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
