"""Extract the vacancy catalogue ``data/positions.json`` from the qualification requirements.

The source, ``data/source/qualification_requirements.txt``, is a text dump of the bilingual
(Kazakh/Russian) PDF table of the Almaty City Rescue Service. Per position it has a Kazakh
heading ``N. <title>, (K бірлік)``, a Russian heading ``N. <title>, (K единиц[аы])`` and four
criterion rows (education, practical experience, competences, optional requirements), each
with the Kazakh text followed by the Russian text, line-wrapped, with stray blank lines and
fragments of the criterion labels interleaved. Department headings (a Kazakh and a Russian
line, in either order, or one ``kk / ru`` line) come before the first position of a department.

The extractor parses that layout, joins the wrapped lines into clean paragraphs, splits each
criterion into its Kazakh and Russian parts, applies the explicit typo corrections of
:data:`FIXES` (each listed in ``data/CORRECTIONS.md``), validates the result with
:class:`bot.catalogue.models.Catalogue` and writes it.

Usage (from the repository root)::

    .venv/bin/python scripts/extract_catalogue.py                # data/positions.json + schema
    .venv/bin/python scripts/extract_catalogue.py -o /tmp/p.json --schema /tmp/s.json
    .venv/bin/python scripts/extract_catalogue.py --corrections-table   # rows for CORRECTIONS.md

Keys that other tools fill in (``fields_of_study``, ``experience_domains``,
``driver_licence_categories`` and each position's ``criteria``) are carried over from the
existing catalogue (``--keep-from``, by default the output file) so that re-running the
extractor never drops them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # running as ``python scripts/extract_catalogue.py``
    sys.path.insert(0, str(ROOT))

from bot.catalogue.models import Catalogue  # noqa: E402

SOURCE_PATH = ROOT / "data" / "source" / "qualification_requirements.txt"
OUTPUT_PATH = ROOT / "data" / "positions.json"
SCHEMA_PATH = ROOT / "data" / "positions.schema.json"

Lang = Literal["kk", "ru"]
SECTION_NAMES: tuple[str, ...] = ("education", "experience", "competences", "optional")

# Letters of the Kazakh alphabet that Russian does not have.
KAZAKH_LETTERS = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")


class ExtractionError(Exception):
    """The source does not have the expected layout."""


# --- the layout of the dump ----------------------------------------------------------------

HEADING_START = re.compile(r"^(\d+)\.\s*(\S.*)$")
KK_HEADING = re.compile(r"^(\d+)\.\s*(.+?)\s*,?\s*\((\d+)\s*бірлік\)$")
RU_HEADING = re.compile(r"^(\d+)\.\s*(.+?)\s*,?\s*\((\d+)\s*единиц[аы]?\)$")
TABLE_HEADER = re.compile(r"^Өлшемдер\s*/\s*Критерии\s+Талаптар\s*/\s*Требования$")

# Each criterion label is printed in a narrow first column, so its words come out as separate
# fragments: at the start of lines, on their own or glued to the text, sometimes only after a
# few lines of the text. The first fragment opens the criterion; the others are removed
# wherever they start a line of that criterion (each once).
_END = r"(?=[\s/]|$)/?"
LABEL_FRAGMENTS: dict[str, tuple[re.Pattern[str], ...]] = {
    "education": (
        re.compile(r"Білімі\s*/?"),
        re.compile(r"Образование" + _END),
    ),
    "experience": (
        re.compile(r"Практикалық" + _END),
        re.compile(r"тәжірибесі\s*/?"),
        re.compile(r"Практический опыт" + _END),
    ),
    "competences": (
        re.compile(r"Құз[іы]реті?\s*/?"),
        re.compile(r"Компетенции" + _END),
    ),
    "optional": (
        re.compile(r"Қосымша,?\s+міндетті" + _END),
        re.compile(r"емес" + _END),
        re.compile(r"талаптар\s*/?"),
        re.compile(r"Дополнительные" + _END),
        re.compile(r"необязательные" + _END),
        re.compile(r"требования" + _END),
    ),
}

# A line that starts a list item keeps its own line in the joined text.
LIST_ITEM = re.compile(r"^(?:[•●▪◦*·‣-]|\d{1,2}[.)]|[а-яәғқңөұүһіa-z][)])\s")
# Where a Russian paragraph may start: the previous line ends a sentence (or a column).
SENTENCE_END = re.compile(r"[.;:!?/»\")]$")

# --- the catalogue's fixed parts -----------------------------------------------------------

EDUCATION_LEVELS: list[dict[str, Any]] = [
    {
        "id": "secondary_general",
        "name": {"kk": "Жалпы орта білім", "ru": "Среднее общее образование"},
    },
    {
        "id": "vocational",
        "name": {
            "kk": "Техникалық және кәсіптік, орта білімнен кейінгі білім (ТжКБ)",
            "ru": "Техническое и профессиональное, послесреднее образование (ТиПО)",
        },
    },
    {"id": "higher", "name": {"kk": "Жоғары білім", "ru": "Высшее образование"}},
    {
        "id": "postgraduate",
        "name": {"kk": "Жоғары оқу орнынан кейінгі білім", "ru": "Послевузовское образование"},
    },
]

# Department ids by the Russian heading (as corrected), in document order.
DEPARTMENT_IDS: dict[str, str] = {
    "Руководство": "management",
    "Отдел контроля качества": "quality_control",
    "Отдел мониторинга природных рисков": "natural_risk_monitoring",
    "Отдел по охране труда и технике безопасности": "occupational_safety",
    "Юридический отдел": "legal",
    "Служба управления персоналом": "human_resources",
    "Канцелярия": "chancellery",
    "Бухгалтерский отдел": "accounting",
    "Управление экономики и государственных закупок": "economics_procurement",
    "Отдел информационных технологий": "information_technology",
    "Аварийно-спасательная служба": "emergency_rescue",
    "Служба «Единый контакт-центр 109»": "contact_centre_109",
    "Автотранспортная служба": "motor_transport",
}


class SubDepartmentSpec(NamedTuple):
    department: str
    id: str
    kk: str
    ru: str
    numbers: range


# The two departments inside the directorate have no heading in the source: their names are
# taken from the position titles (26-28 «Экономика және жоспарлау бөлімінің …» / «… отдела
# экономики и планирования», 29-31 «Мемлекеттік сатып алу бөлімінің …» / «… отдела
# государственных закупок»). Position 25, the head of the directorate, is in neither.
SUBDEPARTMENTS: tuple[SubDepartmentSpec, ...] = (
    SubDepartmentSpec(
        "economics_procurement",
        "economics_planning",
        "Экономика және жоспарлау бөлімі",
        "Отдел экономики и планирования",
        range(26, 29),
    ),
    SubDepartmentSpec(
        "economics_procurement",
        "public_procurement",
        "Мемлекеттік сатып алу бөлімі",
        "Отдел государственных закупок",
        range(29, 32),
    ),
)

# --- typo corrections ----------------------------------------------------------------------


class Fix(NamedTuple):
    """An exact replacement ``old`` → ``new`` in the cleaned text, with the reason.

    ``positions`` limits it to those positions (empty: wherever it occurs; a department
    heading counts as the first position of its department); ``part`` limits it to
    ``"title"``, ``"department"`` or a section name. A fix that no longer applies where it is
    meant to is an error, so the table cannot go stale.
    """

    old: str
    new: str
    reason: str
    positions: tuple[int, ...] = ()
    part: str = ""


_QUOTE_SPACE = "missing space after the closing quote"

FIXES: tuple[Fix, ...] = (
    # Titles and department headings.
    Fix("государственнх", "государственных", "missing letter «ы»", (25,), "title"),
    Fix("Мемлекеттк", "Мемлекеттік", "missing letter «і»", (29, 30, 31), "title"),
    Fix("сдужбы", "службы", "«д» typed for «л»", (34,), "title"),
    Fix(
        "Спасатель инструктор",
        "Спасатель-инструктор",
        "missing hyphen of the compound title (kk «құтқарушы-нұсқаушы», cf. «кинолог-спасатель»)",
        (42,),
        "title",
    ),
    Fix("Единный", "Единый", "doubled «н»"),
    Fix(
        "контакт центр",
        "контакт-центр",
        "missing hyphen of the compound noun (spelt «контакт-центр» in the text of position 45)",
    ),
    Fix(
        "психолог - маманы",
        "психолог-маманы",
        "spaced hyphen in a compound (ru «Специалист-психолог»)",
        (47,),
        "title",
    ),
    Fix(
        "аусым",
        "ауысым",
        "spelling of «ауысым» (shift) as in position 37 and in the text of position 48",
        (48,),
        "title",
    ),
    Fix(
        "складом - автотранспортной",
        "складом автотранспортной",
        "stray hyphen (cf. the other titles «… автотранспортной службы»)",
        (57,),
        "title",
    ),
    # Education.
    Fix("инженерное дело ,", "инженерное дело,", "space before a comma", (1,), "education"),
    Fix(
        "менеджмент,қаржы",
        "менеджмент, қаржы",
        "missing space after a comma",
        (9, 10, 11),
        "education",
    ),
    Fix("білімі:экономика", "білімі: экономика", "missing space after a colon", (10,), "education"),
    Fix(
        "сәулет және құрылыс",
        "сәулет және құрылыс.",
        "missing full stop at the end",
        (9, 10, 11),
        "education",
    ),
    Fix(
        "архитектура и строительство",
        "архитектура и строительство.",
        "missing full stop at the end",
        (10,),
        "education",
    ),
    Fix(
        "военное дело (общественное дело)",
        "военное дело (общественная безопасность)",
        "slip in the name of the field «Национальная безопасность и военное дело (общественная"
        " безопасность)», spelt so in positions 1-8 and 12-13; kk «(қоғамдық қауіпсіздік)»",
        (9, 10, 11),
        "education",
    ),
    Fix("послевузовсое", "послевузовское", "missing letter «к»", (34,), "education"),
    Fix(
        "аварийно - спасательных",
        "аварийно-спасательных",
        "spaced hyphen (at a line break) in a compound",
        (36,),
        "education",
    ),
    Fix(
        "высшее техническое образование",
        "высшее техническое образование.",
        "missing full stop at the end",
        (40,),
        "education",
    ),
    Fix(
        "Орташа кәсіптік",
        "Орта кәсіптік",
        "«орташа» (average) for «орта» (secondary): the term is «орта кәсіптік білім»,"
        " ru «Среднее профессиональное»",
        (41,),
        "education",
    ),
    Fix(
        "сервисного обслуживания",
        "сервисного обслуживания.",
        "missing full stop at the end",
        (45,),
        "education",
    ),
    Fix('пайдалану"мамандығы', 'пайдалану" мамандығы', _QUOTE_SPACE, (53, 61), "education"),
    Fix('диспетчері"мамандығы', 'диспетчері" мамандығы', _QUOTE_SPACE, (55,), "education"),
    Fix(
        'пайдалану "мамандығы',
        'пайдалану" мамандығы',
        "space before instead of after the closing quote",
        (56,),
        "education",
    ),
    Fix('технологиялар"білім', 'технологиялар" білім', _QUOTE_SPACE, (56,), "education"),
    Fix(
        'технологиялары"ірілендірілген',
        'технологиялары" ірілендірілген',
        _QUOTE_SPACE,
        (59,),
        "education",
    ),
    Fix(
        '"дәнекерлеу дело"',
        '"дәнекерлеу ісі"',
        "untranslated Russian word «дело» in the Kazakh name of the speciality"
        " (ru «Сварочное дело»)",
        (60,),
        "education",
    ),
    Fix('" Эвакуатордың', "Эвакуатордың", "stray opening quote", (63,), "education"),
    # Practical experience.
    Fix("бiлiм", "білім", "Latin «i» typed for the Kazakh «і»", (4,), "experience"),
    Fix("жыл.Тиісті", "жыл. Тиісті", "missing space after a full stop", (35,), "experience"),
    Fix("1 -3", "1-3", "space inside a range", (40,), "experience"),
    Fix(
        "(квалификации) образование и стаж",
        "(квалификации) и стаж",
        "the word «образование» repeated (it already heads the phrase)",
        (51, 52),
        "experience",
    ),
    Fix("кемінде 5 жыл;", "кемінде 5 жыл.", "ends with «;» instead of a full stop", (59,)),
    Fix("не менее 5 лет;", "не менее 5 лет.", "ends with «;» instead of a full stop", (59,)),
    # Competences.
    Fix("№ 553 .", "№ 553.", "space before a full stop", (), "competences"),
)


@dataclass(frozen=True)
class Applied:
    """One fix applied to one text; a department heading counts as its first position's."""

    fix: Fix
    position: int
    part: str
    lang: Lang
    count: int


@dataclass
class FixLog:
    applied: list[Applied] = field(default_factory=list)

    def apply(self, text: str, lang: Lang, position: int, part: str) -> str:
        for fix in FIXES:
            if fix.part and fix.part != part:
                continue
            if fix.positions and position not in fix.positions:
                continue
            count = text.count(fix.old)
            if count:
                text = text.replace(fix.old, fix.new)
                self.applied.append(Applied(fix, position, part, lang, count))
        return text

    def check_complete(self) -> None:
        for fix in FIXES:
            hits = [a for a in self.applied if a.fix == fix]
            if not hits:
                raise ExtractionError(f"correction {fix.old!r} -> {fix.new!r} applies nowhere")
            missing = set(fix.positions) - {a.position for a in hits}
            if missing:
                raise ExtractionError(
                    f"correction {fix.old!r} -> {fix.new!r} does not apply to {sorted(missing)}"
                )


# --- parsing -------------------------------------------------------------------------------


class Line(NamedTuple):
    number: int  # 1-based line number in the source
    text: str  # whitespace collapsed


@dataclass
class Heading:
    number: int
    title: str
    headcount: int
    line: int


@dataclass
class RawPosition:
    kk: Heading
    ru: Heading
    sections: dict[str, list[Line]]
    # The department heading printed after this position, before the next one.
    next_department: list[Line]


@dataclass
class RawDocument:
    preamble: list[Line]
    positions: list[RawPosition]


def has_kazakh(text: str) -> bool:
    return KAZAKH_LETTERS.search(text) is not None


def read_lines(text: str) -> list[Line]:
    """The non-blank lines of the dump, whitespace collapsed (blank lines carry no meaning)."""
    return [
        Line(number, " ".join(raw.split()))
        for number, raw in enumerate(text.splitlines(), start=1)
        if raw.strip()
    ]


def join_lines(lines: Iterable[str]) -> str:
    """Join wrapped lines into one paragraph.

    A break after a hyphen joins without a space (``ақпараттық-`` + ``коммуникациялық``,
    ``3-`` + ``5 жыл``: in this document every line-final hyphen belongs to a compound or a
    range); a list item starts its own line.
    """
    text = ""
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if not text:
            text = line
        elif LIST_ITEM.match(line):
            text += "\n" + line
        elif text.endswith("-") and len(text) > 1 and text[-2].isalnum():
            text += line
        else:
            text += " " + line
    return text


def _take_heading(
    lines: Sequence[Line], start: int, pattern: re.Pattern[str], max_lines: int = 3
) -> tuple[Heading, int] | None:
    """The heading starting at ``lines[start]`` (wrapped over up to ``max_lines``) and the
    index after it, or None when no heading of that pattern starts there."""
    if not HEADING_START.match(lines[start].text):
        return None
    for end in range(start + 1, min(start + max_lines, len(lines)) + 1):
        joined = join_lines(line.text for line in lines[start:end])
        match = pattern.match(joined)
        if match:
            number, title, headcount = match.groups()
            return Heading(int(number), title, int(headcount), lines[start].number), end
    return None


def parse_document(text: str) -> RawDocument:
    lines = read_lines(text)
    starts: list[tuple[int, Heading, Heading, int]] = []  # (start, kk, ru, body start)
    i = 0
    while i < len(lines):
        kk = _take_heading(lines, i, KK_HEADING)
        if kk is None:
            i += 1
            continue
        kk_heading, after_kk = kk
        ru = _take_heading(lines, after_kk, RU_HEADING) if after_kk < len(lines) else None
        if ru is None:
            raise ExtractionError(
                f"line {kk_heading.line}: Kazakh heading {kk_heading.number} "
                "is not followed by a Russian heading"
            )
        ru_heading, after_ru = ru
        starts.append((i, kk_heading, ru_heading, after_ru))
        i = after_ru
    if not starts:
        raise ExtractionError("no position headings found")

    positions: list[RawPosition] = []
    for index, (_, kk_heading, ru_heading, body_start) in enumerate(starts):
        body_end = starts[index + 1][0] if index + 1 < len(starts) else len(lines)
        body = list(lines[body_start:body_end])
        # A department heading never ends with a full stop; every criterion text does.
        department: list[Line] = []
        while body and not body[-1].text.endswith(".") and len(department) < 2:
            department.insert(0, body.pop())
        sections = _split_sections(body, kk_heading.number)
        positions.append(RawPosition(kk_heading, ru_heading, sections, department))
    return RawDocument(list(lines[: starts[0][0]]), positions)


def _split_sections(body: Sequence[Line], number: int) -> dict[str, list[Line]]:
    if not body or not TABLE_HEADER.match(body[0].text):
        raise ExtractionError(f"position {number}: the criteria table header is missing")
    sections: dict[str, list[Line]] = {}
    current = -1
    pending: list[re.Pattern[str]] = []
    for line in body[1:]:
        text = line.text
        following = current + 1
        if following < len(SECTION_NAMES):
            opener = LABEL_FRAGMENTS[SECTION_NAMES[following]][0].match(text)
            if opener:
                if pending:
                    raise ExtractionError(
                        f"line {line.number}: position {number}: a label of "
                        f"{SECTION_NAMES[current]} is missing"
                    )
                current = following
                pending = list(LABEL_FRAGMENTS[SECTION_NAMES[current]][1:])
                sections[SECTION_NAMES[current]] = []
                text = text[opener.end() :].lstrip()
        stripped = True
        while stripped and text:
            stripped = False
            for fragment in pending:
                match = fragment.match(text)
                if match:
                    text = text[match.end() :].lstrip()
                    pending.remove(fragment)
                    stripped = True
                    break
        if not text:
            continue
        if current < 0:
            raise ExtractionError(f"line {line.number}: position {number}: text before a label")
        sections[SECTION_NAMES[current]].append(Line(line.number, text))
    if pending:
        raise ExtractionError(f"position {number}: a label of {SECTION_NAMES[current]} is missing")
    missing = [name for name in SECTION_NAMES[:3] if name not in sections]
    if missing:
        raise ExtractionError(f"position {number}: no {', '.join(missing)} section")
    return sections


def _starts_paragraph(previous: str, line: str) -> bool:
    if line[0].isupper():
        return True
    return not line[0].islower() and SENTENCE_END.search(previous) is not None


def split_languages(lines: Sequence[Line], where: str) -> tuple[str, str]:
    """Split a criterion into its Kazakh text and the Russian text that follows it.

    The Russian part starts after the last line with a Kazakh-only letter, moved on past
    lines that continue a sentence (a Kazakh line can lack such letters: «жыл).»): the
    Russian text starts with a capital letter, or after a full stop.
    """
    kazakh = [i for i, line in enumerate(lines) if has_kazakh(line.text)]
    if not kazakh:
        raise ExtractionError(f"{where}: no Kazakh text")
    split = kazakh[-1] + 1
    while split < len(lines) and not _starts_paragraph(lines[split - 1].text, lines[split].text):
        split += 1
    if split >= len(lines):
        raise ExtractionError(f"{where}: no Russian text (line {lines[-1].number})")
    kk = join_lines(line.text for line in lines[:split])
    ru = join_lines(line.text for line in lines[split:])
    # A slash closed the Kazakh cell in a few rows («т.б./», «тәжірибесі. /»): not text.
    kk = re.sub(r"\s*/$", "", kk)
    return kk, ru


def split_department_heading(lines: Sequence[Line], where: str) -> dict[str, str]:
    """A department heading: one ``kk / ru`` line or a Kazakh and a Russian line (any order)."""
    texts = [line.text for line in lines]
    if len(texts) == 1 and " / " in texts[0]:
        texts = [part.strip() for part in texts[0].split(" / ")]
    if len(texts) != 2 or has_kazakh(texts[0]) == has_kazakh(texts[1]):
        raise ExtractionError(f"{where}: not a Kazakh/Russian department heading: {texts}")
    kk, ru = texts if has_kazakh(texts[0]) else reversed(texts)
    return {"kk": kk, "ru": ru}


# --- building the catalogue ----------------------------------------------------------------


def capitalise(title: str) -> str:
    return title[:1].upper() + title[1:]


def build_catalogue(source_text: str, log: FixLog) -> dict[str, Any]:
    document = parse_document(source_text)

    # The first department heading is the last line of the document's preamble.
    department_headings: list[tuple[int, list[Line]]] = [
        (document.positions[0].kk.number, document.preamble[-1:])
    ]
    for raw, following in zip(document.positions, document.positions[1:], strict=False):
        if raw.next_department:
            department_headings.append((following.kk.number, raw.next_department))
    if document.positions[-1].next_department:
        raise ExtractionError("a department heading after the last position")

    departments: list[dict[str, Any]] = []
    department_of: dict[int, str] = {}
    for first, heading_lines in department_headings:
        heading = split_department_heading(heading_lines, f"before position {first}")
        name = {
            "kk": log.apply(heading["kk"], "kk", first, "department"),
            "ru": log.apply(heading["ru"], "ru", first, "department"),
        }
        department_id = DEPARTMENT_IDS.get(name["ru"])
        if department_id is None:
            raise ExtractionError(f"unknown department {name['ru']!r} before position {first}")
        subdepartments = [
            {"id": spec.id, "name": {"kk": spec.kk, "ru": spec.ru}}
            for spec in SUBDEPARTMENTS
            if spec.department == department_id
        ]
        departments.append({"id": department_id, "name": name, "subdepartments": subdepartments})
        department_of[first] = department_id
    if [d["id"] for d in departments] != list(DEPARTMENT_IDS.values()):
        raise ExtractionError("the departments are not the expected ones, in document order")

    positions: list[dict[str, Any]] = []
    department = ""
    for raw in document.positions:
        number = raw.kk.number
        department = department_of.get(number, department)
        if raw.kk.headcount != raw.ru.headcount:
            raise ExtractionError(f"position {number}: headcounts differ in kk and ru headings")
        title = {
            "kk": capitalise(log.apply(raw.kk.title, "kk", number, "title")),
            "ru": capitalise(log.apply(raw.ru.title, "ru", number, "title")),
        }
        sections: dict[str, dict[str, str] | None] = {}
        for section in SECTION_NAMES:
            lines = raw.sections.get(section)
            if not lines:
                sections[section] = None
                continue
            kk, ru = split_languages(lines, f"position {number}: {section}")
            sections[section] = {
                "kk": log.apply(kk, "kk", number, section),
                "ru": log.apply(ru, "ru", number, section),
            }
        position: dict[str, Any] = {"number": number}
        if raw.ru.number != number:
            position["number_ru"] = raw.ru.number
        position["department"] = department
        subdepartment = next(
            (s.id for s in SUBDEPARTMENTS if s.department == department and number in s.numbers),
            None,
        )
        if subdepartment is not None:
            position["subdepartment"] = subdepartment
        position["title"] = title
        position["headcount"] = raw.kk.headcount
        position["sections"] = sections
        positions.append(position)
    log.check_complete()

    return {
        "version": 1,
        "education_levels": EDUCATION_LEVELS,
        "fields_of_study": [],
        "experience_domains": [],
        "driver_licence_categories": [],
        "departments": departments,
        "positions": positions,
    }


KEPT_TOP_LEVEL = (
    "fields_of_study",
    "experience_domains",
    "driver_licence_categories",
    "licence_implications",
)


def keep_others_keys(catalogue: dict[str, Any], existing: dict[str, Any]) -> None:
    """Carry over what other tools wrote into an existing catalogue (lists and criteria)."""
    for key in KEPT_TOP_LEVEL:
        if existing.get(key):
            catalogue[key] = existing[key]
    criteria = {
        p.get("number"): p["criteria"]
        for p in existing.get("positions", [])
        if isinstance(p, dict) and p.get("criteria") is not None
    }
    for position in catalogue["positions"]:
        if position["number"] in criteria:
            position["criteria"] = criteria[position["number"]]


def dump_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def extract(
    source: Path = SOURCE_PATH, keep_from: Path | None = None
) -> tuple[dict[str, Any], FixLog]:
    """The catalogue built from ``source`` (validated) and the log of applied corrections."""
    log = FixLog()
    catalogue = build_catalogue(source.read_text(encoding="utf-8"), log)
    if keep_from is not None and keep_from.exists():
        keep_others_keys(catalogue, json.loads(keep_from.read_text(encoding="utf-8")))
    Catalogue.model_validate(catalogue)
    return catalogue, log


def schema_json() -> str:
    return dump_json(Catalogue.model_json_schema())


def corrections_table(log: FixLog) -> str:
    """Markdown rows for ``data/CORRECTIONS.md``: one per fix, part and language."""
    rows: dict[tuple[Fix, str, Lang], list[int]] = {}
    for applied in log.applied:
        rows.setdefault((applied.fix, applied.part, applied.lang), []).append(applied.position)
    out = [
        "| Position | Section | Language | Original | Corrected | Why |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for (fix, part, lang), where in rows.items():
        numbers = ", ".join(str(n) for n in where)
        section = "department heading" if part == "department" else part
        out.append(f"| {numbers} | {section} | {lang} | «{fix.old}» | «{fix.new}» | {fix.reason} |")
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--source", type=Path, default=SOURCE_PATH)
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT_PATH)
    parser.add_argument("--schema", type=Path, default=SCHEMA_PATH, help="JSON Schema output")
    parser.add_argument(
        "--keep-from",
        type=Path,
        default=None,
        help="carry criteria and filled lists over from this catalogue (default: --output)",
    )
    parser.add_argument(
        "--corrections-table", action="store_true", help="print the corrections as Markdown"
    )
    args = parser.parse_args(argv)
    keep_from = args.keep_from if args.keep_from is not None else args.output
    try:
        catalogue, log = extract(args.source, keep_from)
    except ExtractionError as exc:
        print(f"{args.source}: {exc}", file=sys.stderr)
        return 1
    if args.corrections_table:
        sys.stdout.write(corrections_table(log))
        return 0
    args.output.write_text(dump_json(catalogue), encoding="utf-8")
    args.schema.write_text(schema_json(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
