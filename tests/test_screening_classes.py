"""Every class of wrong verdict found by reading the seed against the bot (issue 8), each with
an applicant it used to reject wrongly and one it must not accept, in both languages.

The profiles are what a person with that diploma and work history answers in the
questionnaire: the group of their diploma in Kazakhstan's classifier, years per question.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

from bot.catalogue.loader import load_catalogue
from bot.i18n import default_translator
from bot.screening import Profile, get_screener
from bot.screening.render import render_result
from bot.screening.suggestions import suggest

CATALOGUE = load_catalogue()
SCREENER = get_screener(CATALOGUE)
TR = default_translator()
POSITIONS = {p.number: p for p in CATALOGUE.positions}


class Row(NamedTuple):
    klass: str
    position: int
    profile: dict[str, Any]
    verdict: str
    # Words the applicant must read (ru, kk), in the line of the criterion concerned.
    ru: str = ""
    kk: str = ""


def higher(*fields: str, **more: Any) -> dict[str, Any]:
    return {"education_level": "higher", "fields_of_study": list(fields), **more}


def voc(*fields: str, **more: Any) -> dict[str, Any]:
    return {"education_level": "vocational", "fields_of_study": list(fields), **more}


ROWS = [
    # «технические науки и технологии» covers occupational safety (6B112).
    Row("occupational safety", 12, higher("B094", years_in_specialty=5), "meets"),
    Row("occupational safety", 13, higher("B094", years_in_specialty=3), "meets"),
    Row("occupational safety", 12, higher("B042", years_in_specialty=9), "does_not_meet"),
    # Position 56 names the programme «Транспорт, транспортная техника и технологии».
    Row("transport programme", 56, voc("B065"), "meets"),
    Row("transport programme", 56, voc("B095"), "meets"),
    Row("transport programme", 56, voc("B046"), "does_not_meet"),
    # «естественные науки»: mathematics is in the area 6B05.
    Row("mathematics is a natural science", 5, higher("B055", years_in_specialty=5), "meets"),
    Row("mathematics is a natural science", 32, higher("B055", years_in_specialty=5), "meets"),
    Row(
        "mathematics is a natural science", 5, higher("B049", years_in_specialty=9), "does_not_meet"
    ),
    # «или других смежных дисциплин / направлений / областей»: HR judge, never ❌.
    Row(
        "related fields",
        34,
        higher("B049", years_managerial=5, experience={"emergency_conditions": 1}),
        "partial",
        "отдел кадров оценит, смежное ли оно",
        "сабақтас екенін кадр қызметі бағалайды",
    ),
    Row("related fields", 50, voc("B046", experience={"telecommunications": 2}), "partial"),
    Row(
        "related fields",
        46,
        higher("B042", experience={"data_analysis": 1}, special_training=True),
        "partial",
    ),
    Row("related fields", 39, higher("B097", experience={"organisation_profile": 1}), "partial"),
    # A closed list stays closed.
    Row("related fields", 14, higher("B046", years_in_specialty=9), "does_not_meet"),
    # 37: «желательно не менее 3-5 лет» is desirable; the vocational path needs experience.
    Row(
        "desirable years",
        37,
        voc(experience={"rescue_operations": 1, "emergency_conditions": 1}),
        "meets",
        "желательно 3 года",
        "3 жыл болғаны жөн",
    ),
    Row(
        "desirable years",
        37,
        voc(experience={"rescue_operations": 0, "emergency_conditions": 1}),
        "does_not_meet",
    ),
    # 4: «стаж работы не менее 2 лет» is work experience of any kind.
    Row(
        "total experience",
        4,
        higher("B042", years_total=3, special_training=True),
        "partial",
        "общий, любая работа",
        "жалпы, кез келген жұмыс",
    ),
    Row(
        "total experience", 4, higher("B042", years_total=1, special_training=True), "does_not_meet"
    ),
    # 2: the second path: compliance training + 3 years in the organisation's profile.
    Row(
        "path with its own training",
        2,
        higher("B049", experience={"organisation_profile": 3}, special_training=True),
        "partial",
        "антикоррупционному комплаенсу",
        "комплаенс бойынша арнайы даярлық",
    ),
    Row(
        "path with its own training",
        2,
        higher("B049", experience={"organisation_profile": 3}, special_training=False),
        "does_not_meet",
    ),
    Row("path with its own training", 2, higher("B049", experience={"compliance": 3}), "meets"),
    # 35: the managerial question names the seed's examples.
    Row(
        "experience in the seed's words",
        35,
        higher("B042", experience={"rescue_operations": 3, "managerial": 1}, special_training=True),
        "partial",
        "старший спасатель, начальник группы",
        "аға құтқарушы, топ жетекшісі",
    ),
    # Licences: a DE holder holds D; D1 does not give D.
    Row(
        "licence implications",
        58,
        {
            "education_level": "secondary_general",
            "driver_licences": ["DE"],
            "experience": {"driving": 2},
        },
        "partial",
        "ваша категория DE даёт право и на D",
        "DE санатыңыз D санатына да құқық береді",
    ),
    Row(
        "licence implications",
        58,
        {
            "education_level": "secondary_general",
            "driver_licences": ["D1"],
            "experience": {"driving": 2},
        },
        "does_not_meet",
    ),
    # 62 names no category: any licence is for HR to check; none is not met.
    Row(
        "no category named",
        62,
        {"education_level": "secondary_general", "driver_licences": ["B"]},
        "partial",
        "категория в требованиях не названа",
        "талаптарда санаты аталмаған",
    ),
    Row(
        "no category named",
        62,
        {"education_level": "secondary_general", "driver_licences": []},
        "does_not_meet",
    ),
    # Two paths: a vocational applicant one year short reads the vocational path.
    Row(
        "nearest path",
        51,
        voc("B065", experience={"motor_transport": 4}),
        "does_not_meet",
        "требуется не менее 5 лет, у вас 4 года",
        "кемінде 5 жыл талап етіледі, сізде — 4 жыл",
    ),
]


@pytest.mark.parametrize("lang", ["ru", "kk"])
@pytest.mark.parametrize(
    "row", [pytest.param(r, id=f"{r.klass}-{r.position}-{r.verdict}") for r in ROWS]
)
def test_every_class_of_wrong_verdict_is_gone(row: Row, lang: str) -> None:
    result = SCREENER.screen(POSITIONS[row.position], Profile(**row.profile))
    assert result.verdict == row.verdict, [(c.criterion, c.status) for c in result.criteria]
    lines = render_result(result, lang, TR, CATALOGUE)
    assert all("{" not in line for line in lines)
    expected = row.ru if lang == "ru" else row.kk
    if expected:
        assert any(expected in line for line in lines), lines


def test_every_class_has_both_a_wrong_rejection_and_a_wrong_acceptance() -> None:
    classes = {r.klass for r in ROWS}
    for klass in classes - {"experience in the seed's words", "nearest path"}:
        verdicts = {r.verdict for r in ROWS if r.klass == klass}
        assert "does_not_meet" in verdicts and verdicts - {"does_not_meet"}, klass


def test_the_nearest_path_names_the_other_one() -> None:
    result = SCREENER.screen(
        POSITIONS[51], Profile(**voc("B065", experience={"motor_transport": 4}))
    )
    assert result.chosen_path == 1
    lines = render_result(result, "ru", TR, CATALOGUE)
    assert "Высшее образование" not in lines[2]  # the education line is the vocational one
    assert lines[-1].startswith("ℹ️ Другие варианты: 1) Высшее образование")


def test_a_field_rejection_lists_every_accepted_field_by_area() -> None:
    result = SCREENER.screen(POSITIONS[1], Profile(**higher("B083", years_managerial=5)))
    line = next(r for r in result.criteria if r.criterion == "field_of_study")
    text = render_result(result, "ru", TR, CATALOGUE)
    joined = "\n".join(text)
    path = POSITIONS[1].criteria.paths[0]  # type: ignore[union-attr]
    assert line.status == "not_met"
    assert all(code in joined for code in path.fields or [])
    assert "и ещё" not in joined


def test_a_lawyer_is_not_offered_the_motor_transport_service() -> None:
    lawyer = Profile(**higher("B049", years_in_specialty=6))
    offered = [s.position.number for s in suggest(SCREENER, lawyer, POSITIONS[14], limit=62)]
    assert 51 not in offered and 52 not in offered
    assert 15 in offered  # the same line of work, «по специальности»
    assert offered.index(15) < offered.index(6)  # the legal department's own posts first
