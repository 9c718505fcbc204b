"""Cross-checks of ``data/positions.json`` against the source copy of the requirements.

The catalogue is produced by ``scripts/extract_catalogue.py`` from
``data/source/qualification_requirements.txt``; these tests check the result against the
source independently of the extractor's parser (only its table of typo corrections is reused,
to undo the documented corrections before looking a title up in the source).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from bot.catalogue.models import Catalogue

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "source" / "qualification_requirements.txt"
CATALOGUE = ROOT / "data" / "positions.json"
SCHEMA = ROOT / "data" / "positions.schema.json"
CORRECTIONS = ROOT / "data" / "CORRECTIONS.md"
SCRIPT = ROOT / "scripts" / "extract_catalogue.py"

# The source copy must stay the seed as received; a new seed means re-checking everything.
SOURCE_SHA256 = "30db0dbaeddba7a9c8f35a276020eedbc2ec6b8ebeb64381d40442e0b1bd70fb"

KAZAKH_LETTERS = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")


def numbers(first: int, last: int) -> list[int]:
    """Position numbers from first to last; there is no 43 (42 is headed 43 in Russian)."""
    return [n for n in range(first, last + 1) if n != 43]


EXPECTED_DEPARTMENTS: dict[str, list[int]] = {
    "management": numbers(1, 5),
    "quality_control": numbers(6, 8),
    "natural_risk_monitoring": numbers(9, 11),
    "occupational_safety": numbers(12, 13),
    "legal": numbers(14, 16),
    "human_resources": numbers(17, 19),
    "chancellery": numbers(20, 21),
    "accounting": numbers(22, 24),
    "economics_procurement": numbers(25, 31),
    "information_technology": numbers(32, 33),
    "emergency_rescue": numbers(34, 44),
    "contact_centre_109": numbers(45, 50),
    "motor_transport": numbers(51, 63),
}
EXPECTED_SUBDEPARTMENTS = {
    "economics_planning": [26, 27, 28],
    "public_procurement": [29, 30, 31],
}

# Criterion labels (or their fragments) that must not be left in a text.
LABELS = [
    r"Білімі\s*/",
    r"Образование\s*/",
    r"Практикалық\s+тәжірибесі",
    r"тәжірибесі\s*/",
    r"Құз[іы]реті?\s*/",
    r"Компетенции",
    r"Қосымша,?\s+міндетті",
    r"талаптар\s*/",
    r"Дополнительные",
    r"необязательные",
    r"требования\s+пакетом",
    r"Өлшемдер",
    r"Критерии",
    r"Талаптар\s*/",
    r"Требования",
]
# Russian label words never belong in a Kazakh text.
RUSSIAN_LABELS_IN_KAZAKH = ["Образование", "Практический опыт", "Компетенции", "требования"]


@cache
def source_text() -> str:
    return SOURCE.read_text(encoding="utf-8")


@cache
def catalogue_raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    return data


@cache
def catalogue() -> Catalogue:
    return Catalogue.model_validate_json(CATALOGUE.read_text(encoding="utf-8"))


@cache
def extractor() -> ModuleType:
    spec = importlib.util.spec_from_file_location("extract_catalogue", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@cache
def applied_fixes() -> list[Any]:
    module = extractor()
    _, log = module.extract(SOURCE)
    return list(log.applied)


def undo_fixes(text: str, position: int, part: str, lang: str) -> str:
    """The text as the source has it: the corrections applied there, undone in reverse."""
    for applied in reversed(applied_fixes()):
        if (applied.position, applied.part, applied.lang) == (position, part, lang):
            text = text.replace(applied.fix.new, applied.fix.old)
    return text


def flexible(text: str) -> str:
    """A pattern for ``text`` as the dump may wrap it: any whitespace (blank lines included)
    where it has a space, and a possible line break after a hyphen."""
    parts = [re.escape(word) for word in text.split()]
    return r"\s+".join(parts).replace(r"\-", r"-\s*")


def source_headings() -> list[tuple[int, str]]:
    """Every heading start in the source, in order: (number, first line)."""
    return [
        (int(m.group(1)), m.group(0).strip())
        for m in re.finditer(r"(?m)^[ \t]*(\d+)\.[ \t]*[^\d\s].*$", source_text())
    ]


def test_source_copy_is_unchanged() -> None:
    assert hashlib.sha256(SOURCE.read_bytes()).hexdigest() == SOURCE_SHA256


def test_catalogue_validates_with_the_model() -> None:
    catalogue()


def test_positions_numbers_and_headcount() -> None:
    positions = catalogue().positions
    assert len(positions) == 62
    assert [p.number for p in positions] == [n for n in range(1, 64) if n != 43]
    assert sum(p.headcount for p in positions) == 341
    assert {p.number: p.number_ru for p in positions if p.number_ru is not None} == {42: 43}


def test_departments_and_their_positions() -> None:
    cat = catalogue()
    assert [d.id for d in cat.departments] == list(EXPECTED_DEPARTMENTS)
    assert len(cat.departments) == 13
    for department, numbers in EXPECTED_DEPARTMENTS.items():
        assert [p.number for p in cat.positions if p.department == department] == numbers
    (directorate,) = [d for d in cat.departments if d.subdepartments]
    assert directorate.id == "economics_procurement"
    assert [s.id for s in directorate.subdepartments] == list(EXPECTED_SUBDEPARTMENTS)
    for subdepartment, numbers in EXPECTED_SUBDEPARTMENTS.items():
        assert [p.number for p in cat.positions if p.subdepartment == subdepartment] == numbers
    assert sum(1 for p in cat.positions if p.subdepartment is not None) == 6


def test_department_headings_are_in_the_source() -> None:
    first_of = {d: numbers[0] for d, numbers in EXPECTED_DEPARTMENTS.items()}
    lines = {" ".join(line.split()) for line in source_text().splitlines()}
    lines |= {part.strip() for line in lines for part in line.split(" / ")}
    for department in catalogue().departments:
        for lang in ("kk", "ru"):
            name = department.name.get(lang)
            original = undo_fixes(name, first_of[department.id], "department", lang)
            assert original in lines, f"{department.id}: {lang} heading {original!r}"


def test_subdepartment_names_come_from_the_titles() -> None:
    # The source has no headings for them: each name is the one the titles use.
    stems = {
        "economics_planning": ("Экономика және жоспарлау бөлім", "отдела экономики и планирования"),
        "public_procurement": ("Мемлекеттік сатып алу бөлім", "отдела государственных закупок"),
    }
    cat = catalogue()
    for subdepartment, (kk_stem, ru_stem) in stems.items():
        for p in cat.positions:
            if p.subdepartment == subdepartment:
                assert p.title.kk.startswith(kk_stem)
                assert ru_stem in p.title.ru


@pytest.mark.parametrize("lang, unit", [("kk", r"бірлік"), ("ru", r"единиц[аы]?")])
def test_every_title_and_headcount_is_in_the_source(lang: str, unit: str) -> None:
    text = source_text()
    for p in catalogue().positions:
        number = p.number_ru if lang == "ru" and p.number_ru is not None else p.number
        title = undo_fixes(p.title.get(lang), p.number, "title", lang)
        suffix = rf"\s*,?\s*\(\s*{p.headcount}\s*{unit}\)"
        pattern = rf"(?m)^[ \t]*{number}\.\s*{flexible(title)}{suffix}"
        assert re.search(pattern, text), f"position {p.number}: {lang} heading {title!r}"


def test_every_heading_in_the_source_is_in_the_catalogue() -> None:
    headings = source_headings()
    positions = catalogue().positions
    # Kazakh and Russian headings alternate, one pair per position, nothing more.
    assert len(headings) == 2 * len(positions)
    kk_numbers = [number for number, _ in headings[0::2]]
    ru_numbers = [number for number, _ in headings[1::2]]
    assert kk_numbers == [p.number for p in positions]
    assert ru_numbers == [p.number_ru or p.number for p in positions]
    for _, line in headings[0::2]:
        assert KAZAKH_LETTERS.search(line), line
    kk_counts = [int(n) for n in re.findall(r"\((\d+)\s*бірлік\)", source_text())]
    ru_counts = [int(n) for n in re.findall(r"\((\d+)\s*единиц[аы]?\)", source_text())]
    assert kk_counts == ru_counts == [p.headcount for p in positions]


def test_titles_are_clean() -> None:
    for p in catalogue().positions:
        for lang in ("kk", "ru"):
            title = p.title.get(lang)
            assert title == " ".join(title.split()), title
            assert title[0].isupper() or title[0] == "«", title
            assert not re.search(r"[,\s]$|\(\d+|бірлік|единиц", title), title


def test_sections_are_non_empty_and_in_the_right_language() -> None:
    for p in catalogue().positions:
        sections = p.sections
        texts = {
            "education": sections.education,
            "experience": sections.experience,
            "competences": sections.competences,
            "optional": sections.optional,
        }
        for name, text in texts.items():
            if text is None:
                assert name == "optional"
                continue
            where = f"position {p.number}: {name}"
            assert text.kk.strip() and text.ru.strip(), where
            if len(text.kk) > 40:
                assert KAZAKH_LETTERS.search(text.kk), f"{where}: kk is not Kazakh"
            assert not KAZAKH_LETTERS.search(text.ru), f"{where}: ru has Kazakh letters"
            for lang in ("kk", "ru"):
                value = text.get(lang)
                assert value == value.strip(), where
                assert "  " not in value and not re.search(r" [,.;:]", value), where
                assert value.endswith("."), f"{where}: {lang} does not end with a full stop"


def test_no_criterion_label_is_left_in_a_section() -> None:
    for p in catalogue().positions:
        for name in ("education", "experience", "competences", "optional"):
            text = getattr(p.sections, name)
            if text is None:
                continue
            where = f"position {p.number}: {name}"
            for lang in ("kk", "ru"):
                for label in LABELS:
                    assert not re.search(label, text.get(lang)), f"{where}: {lang}: {label}"
            for label in RUSSIAN_LABELS_IN_KAZAKH:
                assert label not in text.kk, f"{where}: kk: {label}"
            # «Практический опыт в …» starts a sentence of 46; elsewhere it is the label.
            assert not re.search(r"Практический опыт(?!\s+в\s)", text.ru), where


def test_the_extractor_reproduces_the_files(tmp_path: Path) -> None:
    outputs = []
    for run in ("a", "b"):
        output, schema = tmp_path / f"{run}.json", tmp_path / f"{run}.schema.json"
        subprocess.run(
            [
                sys.executable,
                str(SCRIPT),
                "--output",
                str(output),
                "--schema",
                str(schema),
                "--keep-from",
                str(CATALOGUE),
            ],
            check=True,
            cwd=ROOT,
        )
        outputs.append((output.read_bytes(), schema.read_bytes()))
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == CATALOGUE.read_bytes()
    assert outputs[0][1] == SCHEMA.read_bytes()


def test_schema_is_the_models() -> None:
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == Catalogue.model_json_schema()


def test_extractor_owned_keys_only() -> None:
    raw = catalogue_raw()
    assert raw["version"] == 1
    assert [level["id"] for level in raw["education_levels"]] == [
        "secondary_general",
        "vocational",
        "higher",
        "postgraduate",
    ]
    for position in raw["positions"]:
        assert ("number_ru" in position) == (position["number"] == 42)
        assert ("subdepartment" in position) == (26 <= position["number"] <= 31)


def test_every_correction_is_documented() -> None:
    corrections = CORRECTIONS.read_text(encoding="utf-8")
    assert "Flags for HR" in corrections
    for fix in extractor().FIXES:
        assert f"«{fix.old}»" in corrections and f"«{fix.new}»" in corrections, fix


def test_the_copied_experience_of_62_is_kept_as_in_the_source() -> None:
    # Flagged for HR: the experience of «Водитель специальной техники» is the tow-truck
    # driver's. The catalogue keeps the source as it is until HR answers.
    by_number = {p.number: p for p in catalogue().positions}
    assert by_number[62].sections.experience == by_number[63].sections.experience
    assert "эвакуатор" in by_number[62].sections.experience.ru
