"""The HR command line: ``screen`` and ``match``, JSON output, exit status 2 on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.cli import run_cli
from tests.screening_fixtures import synthetic_catalogue_data

ROOT = Path(__file__).resolve().parents[1]

LAWYER = {"education_level": "higher", "fields_of_study": ["law"], "years_in_specialty": 4}


@pytest.fixture
def catalogue_file(tmp_path: Path) -> Path:
    path = tmp_path / "positions.json"
    path.write_text(json.dumps(synthetic_catalogue_data(), ensure_ascii=False), encoding="utf-8")
    return path


def write(tmp_path: Path, name: str, content: Any) -> Path:
    path = tmp_path / name
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    code = run_cli(list(argv))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def test_screen_prints_json(
    tmp_path: Path, catalogue_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = write(tmp_path, "p.json", LAWYER)
    code, out, err = run(
        capsys,
        "screen",
        "--position",
        "1",
        "--profile",
        str(profile),
        "--catalogue",
        str(catalogue_file),
    )
    assert (code, err) == (0, "")
    assert out["position"] == 1
    assert out["title"] == "Position 1"
    assert out["verdict"] == "meets"
    by_criterion = {c["criterion"]: c for c in out["criteria"]}
    assert set(by_criterion) == {"education", "field_of_study", "experience:specialty", "optional"}
    exp = by_criterion["experience:specialty"]
    assert exp["status"] == "met"
    assert exp["reason_key"] == "screening.experience.met_below_preferred"
    assert exp["reason"] == (
        "Стаж (по специальности): требуется не менее 3 лет, желательно 5 лет; у вас 4 года"
    )
    for item in out["criteria"]:
        assert set(item) == {"criterion", "status", "reason_key", "reason"}


def test_screen_in_kazakh(
    tmp_path: Path, catalogue_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = write(tmp_path, "p.json", {**LAWYER, "education_level": "vocational"})
    code, out, _ = run(
        capsys,
        "screen",
        "--position",
        "1",
        "--profile",
        str(profile),
        "--catalogue",
        str(catalogue_file),
        "--lang",
        "kk",
    )
    assert code == 0
    assert out["verdict"] == "does_not_meet"
    education = out["criteria"][0]
    assert education["status"] == "not_met"
    assert education["reason"] == "Білімі: кемінде «Жоғары» талап етіледі, сізде — «ТжКБ»"


def test_screen_partial(
    tmp_path: Path, catalogue_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = write(
        tmp_path,
        "p.json",
        {
            "education_level": "secondary",
            "driver_licences": ["C"],
            "medically_fit": True,
            "special_training": True,
        },
    )
    code, out, _ = run(
        capsys,
        "screen",
        "--position",
        "4",
        "--profile",
        str(profile),
        "--catalogue",
        str(catalogue_file),
    )
    assert code == 0
    assert out["verdict"] == "partial"
    assert [c["status"] for c in out["criteria"]] == [
        "met",
        "info",  # the seed names no field
        "declared",
        "declared",
        "declared",
    ]


def test_match_prints_json(
    tmp_path: Path, catalogue_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = write(
        tmp_path,
        "p.json",
        {
            "education_level": "higher",
            "fields_of_study": ["law", "transport"],
            "years_in_specialty": 6,
            "years_managerial": 6,
            "has_security_clearance": True,
        },
    )
    code, out, err = run(
        capsys, "match", "--profile", str(profile), "--catalogue", str(catalogue_file)
    )
    assert (code, err) == (0, "")
    # Years «in the specialty» count only where a position asks them «по специальности»:
    # position 3 counts years in transport, which this profile does not give.
    assert [(m["number"], m["title"], m["verdict"]) for m in out["matches"]] == [
        (1, "Position 1", "meets"),
        (2, "Position 2", "meets"),
        (5, "Position 5", "partial"),
        (7, "Position 7", "meets"),
        (9, "Position 9", "partial"),  # no field named: HR judge the law diploma
    ]
    why = {m["number"]: m["why"] for m in out["matches"]}
    assert why[1] == "подходят: уровень образования, направление образования, стаж"
    assert why[5].endswith("отдел кадров проверит: допуск к гос. секретам")


def test_match_nothing(
    tmp_path: Path, catalogue_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = write(tmp_path, "p.json", {})
    code, out, _ = run(
        capsys, "match", "--profile", str(profile), "--catalogue", str(catalogue_file)
    )
    assert (code, out) == (0, {"matches": []})


@pytest.mark.parametrize(
    ("profile_content", "position", "message"),
    [
        (LAWYER, "99", "unknown position 99"),
        (LAWYER, "6", "position 6 has no screening criteria"),
        ("{not json", "1", "not valid JSON"),
        ('["a list"]', "1", "invalid profile"),
        ({"education": "higher"}, "1", "invalid profile"),
        ({"years_in_specialty": 99}, "1", "years_in_specialty"),
        ({"education_level": "phd"}, "1", "unknown id 'phd'"),
        ({"fields_of_study": ["magic"]}, "1", "unknown id 'magic'"),
        ({"driver_licences": ["Z"]}, "1", "unknown category 'Z'"),
    ],
)
def test_screen_bad_input(
    tmp_path: Path,
    catalogue_file: Path,
    capsys: pytest.CaptureFixture[str],
    profile_content: Any,
    position: str,
    message: str,
) -> None:
    profile = write(tmp_path, "p.json", profile_content)
    code, out, err = run(
        capsys,
        "screen",
        "--position",
        position,
        "--profile",
        str(profile),
        "--catalogue",
        str(catalogue_file),
    )
    assert code == 2
    assert out is None
    assert err.startswith("error: ") and message in err
    assert err.count("\n") == 1


def test_unreadable_profile(
    tmp_path: Path, catalogue_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys,
        "match",
        "--profile",
        str(tmp_path / "missing.json"),
        "--catalogue",
        str(catalogue_file),
    )
    assert code == 2 and "cannot read the profile" in err and err.count("\n") == 1
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00")
    code, _, err = run(
        capsys, "match", "--profile", str(binary), "--catalogue", str(catalogue_file)
    )
    assert code == 2 and "UTF-8" in err


def test_catalogue_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = write(tmp_path, "p.json", LAWYER)
    code, _, err = run(
        capsys, "match", "--profile", str(profile), "--catalogue", str(tmp_path / "nope.json")
    )
    assert code == 2 and "cannot read the catalogue" in err and err.count("\n") == 1
    broken = synthetic_catalogue_data()
    broken["positions"][0]["criteria"]["paths"][0]["education_level"] = "phd"
    bad = write(tmp_path, "bad.json", broken)
    code, _, err = run(
        capsys, "screen", "--position", "1", "--profile", str(profile), "--catalogue", str(bad)
    )
    assert code == 2 and "unknown id 'phd'" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["screen"],
        ["screen", "--profile", "p.json"],
        ["screen", "--position", "x", "--profile", "p.json"],
        ["match", "--profile", "p.json", "--lang", "en"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(argv) == 2
    assert "usage" in capsys.readouterr().err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["--help"]) == 0
    assert "screen" in capsys.readouterr().out


def test_python_m_bot_cli(tmp_path: Path, catalogue_file: Path) -> None:
    profile = write(tmp_path, "p.json", LAWYER)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.cli",
            "screen",
            "--position",
            "3",
            "--profile",
            str(profile),
            "--catalogue",
            str(catalogue_file),
            "--lang",
            "kk",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["position"] == 3 and out["verdict"] == "does_not_meet"
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.cli",
            "screen",
            "--position",
            "99",
            "--profile",
            str(profile),
            "--catalogue",
            str(catalogue_file),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.strip() == "error: unknown position 99"


def test_russian_heading_number_is_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = synthetic_catalogue_data()
    data["positions"][6]["number_ru"] = 10  # like seed position 42, headed 43 in Russian
    catalogue = write(tmp_path, "positions.json", data)
    profile = write(
        tmp_path,
        "p.json",
        {"education_level": "vocational", "years_in_specialty": 2, "years_managerial": 3},
    )
    code, out, _ = run(
        capsys,
        "screen",
        "--position",
        "10",
        "--profile",
        str(profile),
        "--catalogue",
        str(catalogue),
    )
    assert code == 0
    assert (out["position"], out["verdict"]) == (7, "meets")


# ----------------------------------------------------------------------------- criteria sheet


def test_criteria_markdown_for_one_position(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["criteria", "--position", "51"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("| № | Должность | Вариант |")
    assert all(line.startswith("| 51 |") for line in lines[2:])
    text = "\n".join(lines)
    # Both paths, the fields with their codes, the experience in the seed's words, the quote.
    assert "| 1/2 |" in text and "| 2/2 |" in text
    assert "B044 Менеджмент и управление" in text
    assert "на автомобильном транспорте: не менее 5 лет" in text
    assert "юридическое" in text  # the seed's word beside the reading


def test_criteria_xlsx_has_a_row_per_criterion_of_every_position(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from bot.catalogue.loader import load_catalogue

    output = tmp_path / "criteria.xlsx"
    assert run_cli(["criteria", "--format", "xlsx", "--output", str(output), "--lang", "kk"]) == 0
    sheet = load_workbook(output).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "№" and rows[0][1] == "Лауазым"
    numbers = {row[0] for row in rows[1:]}
    assert numbers == {p.number for p in load_catalogue().positions}
    # One row per criterion: position 62 has education, fields, licence, optional items.
    criteria_62 = [row[3] for row in rows[1:] if row[0] == 62]
    assert "Жүргізуші куәлігі" in criteria_62
    assert any("кадр қызметі" in (row[5] or "") for row in rows[1:] if row[0] == 62)


def test_criteria_unknown_position(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["criteria", "--position", "99"]) == 2
    assert capsys.readouterr().err.strip() == "error: unknown position 99"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"experience": {"astrology": 3}}, "experience: unknown domain id 'astrology'"),
        ({"fields_of_study": ["6B99"]}, "fields_of_study: unknown id '6B99'"),
        ({"experience": {"driving": 61}}, "experience.driving: Input should be less than or equal"),
        ({"years_total": -1}, "years_total: Input should be greater than or equal to 0"),
    ],
)
def test_bad_profile_keys_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: Any, message: str
) -> None:
    profile = write(tmp_path, "p.json", content)
    code = run_cli(["screen", "--position", "58", "--profile", str(profile)])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert message in err


def test_screen_with_experience_per_domain_and_total(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = write(
        tmp_path,
        "p.json",
        {
            "education_level": "higher",
            "fields_of_study": ["B042"],
            "years_total": 3,
            "special_training": True,
        },
    )
    code, out, _ = run(capsys, "screen", "--position", "4", "--profile", str(profile))
    assert code == 0 and out["verdict"] == "partial"
    experience = next(c for c in out["criteria"] if c["criterion"] == "experience:total")
    assert experience["status"] == "met"
    # An experience entry for the position's own domain beats years_in_specialty.
    profile = write(
        tmp_path,
        "q.json",
        {
            "education_level": "vocational",
            "fields_of_study": ["B065"],
            "years_in_specialty": 9,
            "experience": {"motor_transport": 2},
        },
    )
    code, out, _ = run(capsys, "screen", "--position", "51", "--profile", str(profile))
    assert code == 0 and out["verdict"] == "does_not_meet"
