"""The screening engine's rules, on a small synthetic catalogue (see screening_fixtures)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from bot.catalogue.models import Catalogue, Position
from bot.i18n import Translator, load_locale
from bot.screening import (
    CriterionResult,
    NoCriteriaError,
    Profile,
    Screener,
    ScreeningResult,
    match,
    needed_questions,
    render_criterion,
    render_result,
    render_verdict,
    screen,
    validate_profile_ids,
)
from bot.screening.engine import REASON_KEYS
from bot.screening.profile import profile_data
from tests.screening_fixtures import synthetic_catalogue

ROOT = Path(__file__).resolve().parents[1]
CAT = synthetic_catalogue()
TR = Translator()


def pos(number: int, catalogue: Catalogue = CAT) -> Position:
    return next(p for p in catalogue.positions if p.number == number)


def run(number: int, **profile: Any) -> ScreeningResult:
    return screen(pos(number), Profile(**profile), CAT)


def by_criterion(result: ScreeningResult) -> dict[str, CriterionResult]:
    return {r.criterion: r for r in result.criteria}


LAWYER = {"education_level": "higher", "fields_of_study": ["law"], "years_in_specialty": 5}


# ----------------------------------------------------------------------------- profile


def test_profile_forbids_unknown_keys_and_checks_ranges() -> None:
    with pytest.raises(ValidationError):
        Profile.model_validate({"education": "higher"})
    with pytest.raises(ValidationError):
        Profile(years_in_specialty=61)
    with pytest.raises(ValidationError):
        Profile(years_managerial=-1)
    assert Profile().education_level is None


def test_validate_profile_ids() -> None:
    good = Profile(education_level="higher", fields_of_study=["law"], driver_licences=["B"])
    assert validate_profile_ids(good, CAT) == []
    bad = Profile(education_level="phd", fields_of_study=["law", "magic"], driver_licences=["Z"])
    errors = validate_profile_ids(bad, CAT)
    assert len(errors) == 3
    assert any("phd" in e for e in errors)
    assert any("magic" in e for e in errors)
    assert any("'Z'" in e for e in errors)


def test_profile_schema_file_is_generated_from_the_model() -> None:
    on_disk = json.loads((ROOT / "data" / "profile.schema.json").read_text(encoding="utf-8"))
    assert on_disk == Profile.model_json_schema()
    expected = json.dumps(Profile.model_json_schema(), ensure_ascii=False, indent=2) + "\n"
    assert (ROOT / "data" / "profile.schema.json").read_text(encoding="utf-8") == expected


# ----------------------------------------------------------------------------- education


def test_full_match_meets_with_optional_info() -> None:
    result = run(1, **LAWYER)
    assert result.verdict == "meets"
    crit = by_criterion(result)
    assert crit["education"].status == "met"
    assert crit["field_of_study"].status == "met"
    assert crit["field_of_study"].params["matched"] == ("law",)
    assert crit["experience:specialty"].status == "met"
    assert crit["experience:specialty"].reason == "screening.experience.met"
    assert crit["optional"].status == "info"
    assert result.position_number == 1 and result.chosen_path == 0


@pytest.mark.parametrize(
    ("level", "status"),
    [
        ("secondary", "not_met"),
        ("vocational", "not_met"),
        ("higher", "met"),
        ("postgraduate", "met"),
    ],
)
def test_education_level_or_higher(level: str, status: str) -> None:
    result = run(1, **{**LAWYER, "education_level": level})
    edu = by_criterion(result)["education"]
    assert edu.status == status
    assert edu.params == {"required": "higher", "actual": level}
    assert result.verdict == ("meets" if status == "met" else "does_not_meet")


def test_education_not_declared() -> None:
    result = run(1, **{**LAWYER, "education_level": None})
    edu = by_criterion(result)["education"]
    assert (edu.status, edu.reason) == ("not_met", "screening.education.not_declared")
    assert result.verdict == "does_not_meet"


def test_unknown_level_is_not_met() -> None:
    result = run(1, **{**LAWYER, "education_level": "phd"})
    assert by_criterion(result)["education"].status == "not_met"


# ----------------------------------------------------------------------------- fields


def test_field_any_of_accepted() -> None:
    result = run(1, **{**LAWYER, "fields_of_study": ["it", "economics"]})
    crit = by_criterion(result)["field_of_study"]
    assert crit.status == "met" and crit.params["matched"] == ("economics",)


def test_field_not_accepted() -> None:
    result = run(1, **{**LAWYER, "fields_of_study": ["it"]})
    crit = by_criterion(result)["field_of_study"]
    assert (crit.status, crit.reason) == ("not_met", "screening.field.not_met")
    assert crit.params == {"required": ("law", "economics"), "actual": ("it",)}
    assert result.verdict == "does_not_meet"


def test_field_not_declared() -> None:
    result = run(1, **{**LAWYER, "fields_of_study": None})
    crit = by_criterion(result)["field_of_study"]
    assert (crit.status, crit.reason) == ("not_met", "screening.field.not_declared")


def test_any_field_accepted_says_so() -> None:
    # The seed names a level but no field: an information line says any field will do.
    result = run(2, education_level="higher", years_managerial=5)
    assert result.verdict == "meets"
    line = by_criterion(result)["field_of_study"]
    assert (line.status, line.reason) == ("info", "screening.field.any")


# ----------------------------------------------------------------------------- experience


@pytest.mark.parametrize(
    ("years", "status", "reason"),
    [
        (0, "not_met", "screening.experience.not_met"),
        (2.9, "not_met", "screening.experience.not_met"),
        (3, "met", "screening.experience.met_below_preferred"),
        (4.5, "met", "screening.experience.met_below_preferred"),
        (5, "met", "screening.experience.met"),
        (30, "met", "screening.experience.met"),
    ],
)
def test_experience_min_and_preferred(years: float, status: str, reason: str) -> None:
    result = run(1, **{**LAWYER, "years_in_specialty": years})
    crit = by_criterion(result)["experience:specialty"]
    assert (crit.status, crit.reason) == (status, reason)
    assert crit.params["min_years"] == 3 and crit.params["preferred_years"] == 5
    assert crit.params["years"] == years
    assert result.verdict == ("meets" if status == "met" else "does_not_meet")


def test_experience_not_declared() -> None:
    result = run(1, **{**LAWYER, "years_in_specialty": None})
    crit = by_criterion(result)["experience:specialty"]
    assert (crit.status, crit.reason) == ("not_met", "screening.experience.not_declared")
    assert "years" not in crit.params


def test_managerial_domain_uses_years_managerial() -> None:
    assert run(2, education_level="higher", years_in_specialty=20).verdict == "does_not_meet"
    assert run(2, education_level="higher", years_managerial=4).verdict == "does_not_meet"
    result = run(2, education_level="higher", years_managerial=5, years_in_specialty=0)
    assert result.verdict == "meets"
    assert by_criterion(result)["experience:managerial"].params["years"] == 5


def test_named_domain_uses_years_in_specialty() -> None:
    result = run(3, education_level="higher", fields_of_study=["transport"], years_in_specialty=3)
    assert result.verdict == "meets"
    assert by_criterion(result)["experience:transport"].status == "met"


def test_two_experience_requirements() -> None:
    result = run(7, education_level="vocational", years_in_specialty=2, years_managerial=1)
    crit = by_criterion(result)
    assert crit["experience:specialty"].status == "met"
    assert crit["experience:managerial"].reason == "screening.experience.met_below_preferred"
    assert result.verdict == "meets"
    assert run(7, education_level="vocational", years_in_specialty=2).verdict == "does_not_meet"


def test_experience_without_stated_duration() -> None:
    # min_years 0: some experience is required, any positive number of years meets it.
    base = {"education_level": "higher", "fields_of_study": ["it"], "has_security_clearance": True}
    cases = [
        (None, "not_met", "screening.experience.some_not_declared", "does_not_meet"),
        (0, "not_met", "screening.experience.some_none", "does_not_meet"),
        (0.5, "met", "screening.experience.preferred_only", "partial"),
        (2, "met", "screening.experience.some", "partial"),
    ]
    for years, status, reason, verdict in cases:
        result = run(5, **base, years_in_specialty=years)
        crit = by_criterion(result)["experience:specialty"]
        assert (crit.status, crit.reason, result.verdict) == (status, reason, verdict), years


# ----------------------------------------------------------------------------- alternatives


def test_alternatives_first_fully_met_path() -> None:
    higher = {"education_level": "higher", "fields_of_study": ["transport"]}
    result = run(3, **higher, years_in_specialty=3)
    assert (result.verdict, result.chosen_path) == ("meets", 0)
    # Higher education also satisfies the vocational path's level: 5 years is enough there.
    result = run(3, **higher, years_in_specialty=6)
    assert (result.verdict, result.chosen_path) == ("meets", 0)
    vocational = {"education_level": "vocational", "fields_of_study": ["transport"]}
    result = run(3, **vocational, years_in_specialty=5)
    assert (result.verdict, result.chosen_path) == ("meets", 1)
    assert by_criterion(result)["education"].params["required"] == "vocational"


def test_alternatives_fewest_failures_reported() -> None:
    # Vocational with 2 years: path 0 fails education and experience, path 1 only experience.
    result = run(
        3, education_level="vocational", fields_of_study=["transport"], years_in_specialty=2
    )
    assert (result.verdict, result.chosen_path) == ("does_not_meet", 1)
    failed = [r.criterion for r in result.criteria if r.status == "not_met"]
    assert failed == ["experience:transport"]
    # Vocational with 4 years: path 0 fails education, path 1 experience: one failure each,
    # so the path of the applicant's own level is shown (they learn it exists), the other
    # is mentioned.
    result = run(
        3, education_level="vocational", fields_of_study=["transport"], years_in_specialty=4
    )
    assert (result.verdict, result.chosen_path, result.other_paths) == ("does_not_meet", 1, (0,))
    assert [r.criterion for r in result.criteria if r.status == "not_met"] == [
        "experience:transport"
    ]
    # Higher with 2 years: path 0 fails experience only, path 1 too -> the first one.
    result = run(3, education_level="higher", fields_of_study=["transport"], years_in_specialty=2)
    assert (result.verdict, result.chosen_path) == ("does_not_meet", 0)


def test_alternatives_wrong_field_fails_everywhere() -> None:
    result = run(3, education_level="higher", fields_of_study=["law"], years_in_specialty=10)
    assert result.verdict == "does_not_meet"
    assert by_criterion(result)["field_of_study"].status == "not_met"


# ----------------------------------------------------------------------------- declared items

RESCUER = {
    "education_level": "secondary",
    "driver_licences": ["B", "CE"],
    "medically_fit": True,
    "special_training": True,
}


def test_declared_items_give_partial() -> None:
    result = run(4, **RESCUER)
    assert result.verdict == "partial"
    crit = by_criterion(result)
    assert crit["driver_licence"].status == "declared"
    assert crit["driver_licence"].params == {"required": ("C", "CE"), "matched": ("CE",)}
    assert crit["medical_fitness"].status == "declared"
    assert crit["special_training"].status == "declared"
    assert crit["special_training"].params == {"position": 4}
    assert crit["education"].status == "met"


@pytest.mark.parametrize(
    ("change", "criterion", "reason"),
    [
        ({"driver_licences": ["B"]}, "driver_licence", "screening.licence.not_met"),
        ({"driver_licences": []}, "driver_licence", "screening.licence.none"),
        ({"driver_licences": None}, "driver_licence", "screening.licence.not_declared"),
        ({"medically_fit": False}, "medical_fitness", "screening.medical.not_met"),
        ({"medically_fit": None}, "medical_fitness", "screening.medical.not_declared"),
        ({"special_training": False}, "special_training", "screening.training.not_met"),
        ({"special_training": None}, "special_training", "screening.training.not_declared"),
    ],
)
def test_declared_false_or_missing_is_not_met(
    change: dict[str, Any], criterion: str, reason: str
) -> None:
    result = run(4, **{**RESCUER, **change})
    crit = by_criterion(result)[criterion]
    assert (crit.status, crit.reason) == ("not_met", reason)
    assert result.verdict == "does_not_meet"


@pytest.mark.parametrize(
    ("clearance", "status", "verdict"),
    [
        (True, "declared", "partial"),
        (False, "not_met", "does_not_meet"),
        (None, "not_met", "does_not_meet"),
    ],
)
def test_security_clearance(clearance: bool | None, status: str, verdict: str) -> None:
    result = run(
        5,
        education_level="higher",
        fields_of_study=["law"],
        years_in_specialty=3,
        has_security_clearance=clearance,
    )
    assert by_criterion(result)["security_clearance"].status == status
    assert result.verdict == verdict


def test_not_required_items_are_not_reported() -> None:
    result = run(
        1,
        **LAWYER,
        has_security_clearance=False,
        medically_fit=False,
        driver_licences=[],
        special_training=False,
    )
    assert result.verdict == "meets"
    assert {r.criterion for r in result.criteria} == {
        "education",
        "field_of_study",
        "experience:specialty",
        "optional",
    }


def test_declared_and_failed_together_is_does_not_meet() -> None:
    result = run(4, **{**RESCUER, "education_level": None})
    assert result.verdict == "does_not_meet"


def test_empty_profile_fails_everything_needed() -> None:
    result = run(4)
    assert result.verdict == "does_not_meet"
    assert all(r.status == "not_met" for r in result.criteria if r.status != "info")


def test_criteria_order() -> None:
    result = run(4, **RESCUER)
    assert [r.criterion for r in result.criteria] == [
        "education",
        "field_of_study",
        "driver_licence",
        "medical_fitness",
        "special_training",
    ]


def test_no_criteria_raises() -> None:
    with pytest.raises(NoCriteriaError):
        screen(pos(6), Profile(), CAT)


# ----------------------------------------------------------------------------- match


def test_match_in_catalogue_order() -> None:
    profile = Profile(
        education_level="postgraduate",
        fields_of_study=["law", "transport"],
        years_in_specialty=10,
        years_managerial=10,
        experience={"transport": 10},
        driver_licences=["C"],
        has_security_clearance=True,
        medically_fit=True,
        special_training=True,
    )
    assert [p.number for p in match(CAT, profile)] == [1, 2, 3, 4, 5, 7, 8, 9]
    assert [p.number for p in match(CAT, profile, exclude=(2, 4))] == [1, 3, 5, 7, 8, 9]
    assert [p.number for p in match(CAT, profile, open_numbers={7, 3, 6})] == [3, 7]
    assert match(CAT, profile, open_numbers=()) == []


def test_match_agrees_with_screen() -> None:
    screener = Screener(CAT)
    profiles = [
        Profile(),
        Profile(**LAWYER),
        Profile(**RESCUER),
        Profile(
            education_level="vocational",
            fields_of_study=["transport"],
            years_in_specialty=5,
            years_managerial=1,
        ),
    ]
    for profile in profiles:
        expected = [
            p.number
            for p in CAT.positions
            if p.criteria is not None
            and screener.screen_matched(p, profile).verdict != "does_not_meet"
        ]
        assert [p.number for p in match(CAT, profile)] == expected
        for result in screener.screen_all(profile):
            assert screener.verdict(pos(result.position_number), profile) == result.verdict


def test_match_nothing_for_empty_profile() -> None:
    assert match(CAT, Profile()) == []


# ----------------------------------------------------------------------------- questions


def test_needed_questions() -> None:
    assert needed_questions(pos(1)) == [
        "education_level",
        "fields_of_study",
        "experience:specialty",
    ]
    assert needed_questions(pos(2)) == ["education_level", "experience:managerial"]
    assert needed_questions(pos(3)) == [
        "education_level",
        "fields_of_study",
        "experience:transport",
    ]
    assert needed_questions(pos(4)) == [
        "education_level",
        "driver_licences",
        "medically_fit",
        "special_training",
    ]
    assert needed_questions(pos(5)) == [
        "education_level",
        "fields_of_study",
        "experience:specialty",
        "has_security_clearance",
    ]
    assert needed_questions(pos(6)) == []
    assert needed_questions(pos(7)) == [
        "education_level",
        "experience:specialty",
        "experience:managerial",
    ]


def test_needed_questions_cover_every_criterion() -> None:
    # Answering only the needed questions, generously, is enough for every position.
    generous: dict[str, Any] = {
        "education_level": "postgraduate",
        "fields_of_study": [f.id for f in CAT.fields_of_study],
        **{f"experience:{d.id}": 60 for d in CAT.experience_domains},
        "driver_licences": list(CAT.driver_licence_categories),
        "has_security_clearance": True,
        "medically_fit": True,
        "special_training": True,
    }
    for position in CAT.positions:
        if position.criteria is None:
            continue
        keys = needed_questions(position)
        answers = {k: generous[k] for k in keys}
        result = screen(position, Profile(**profile_data(answers)), CAT)
        assert result.verdict != "does_not_meet", position.number


# ----------------------------------------------------------------------------- rendering


def test_reason_keys_exist_in_both_languages() -> None:
    for lang in ("ru", "kk"):
        texts = load_locale(lang)
        for key in REASON_KEYS:
            assert key in texts, (lang, key)
        for verdict in ("meets", "partial", "does_not_meet"):
            assert f"screening.verdict.{verdict}" in texts


def test_render_education_ru_and_kk() -> None:
    result = run(1, **{**LAWYER, "education_level": "vocational"})
    edu = by_criterion(result)["education"]
    ru = render_criterion(edu, "ru", TR, CAT)
    assert ru == "❌ Образование: требуется не ниже «Высшее», у вас «ТиПО»"
    kk = render_criterion(edu, "kk", TR, CAT)
    assert kk == "❌ Білімі: кемінде «Жоғары» талап етіледі, сізде — «ТжКБ»"


def test_render_experience_plurals() -> None:
    def line(years: float, lang: str = "ru") -> str:
        exp = by_criterion(run(1, **{**LAWYER, "years_in_specialty": years}))[
            "experience:specialty"
        ]
        return render_criterion(exp, lang, TR, CAT)

    assert line(1) == "❌ Стаж (по специальности): требуется не менее 3 лет, у вас 1 год"
    assert line(2.5).endswith("у вас 2,5 года")
    assert line(3) == (
        "✅ Стаж (по специальности): требуется не менее 3 лет, желательно 5 лет; у вас 3 года"
    )
    assert line(21).endswith("у вас 21 год")
    assert line(11).endswith("у вас 11 лет")
    assert line(3, "kk") == (
        "✅ Жұмыс өтілі (мамандығы бойынша): кемінде 3 жыл талап етіледі, 5 жыл болғаны жөн; "
        "сізде — 3 жыл"
    )


def test_render_marks_and_names() -> None:
    result = run(4, **RESCUER)
    lines = [render_criterion(r, "ru", TR, CAT) for r in result.criteria]
    assert lines[0].startswith("✅ ")
    assert lines[1].startswith("ℹ️ ")
    assert all(line.startswith("⚠️ ") for line in lines[2:])
    assert "Подготовка спасателя" in lines[4]
    kk_lines = [render_criterion(r, "kk", TR, CAT) for r in result.criteria]
    assert "Құтқарушы даярлығы" in kk_lines[4]
    fields = by_criterion(run(1, **{**LAWYER, "fields_of_study": ["it"]}))["field_of_study"]
    assert render_criterion(fields, "ru", TR, CAT) == (
        "❌ Направление образования: у вас it ИТ; требуется одно из: "
        "area Область: law Право, economics Экономика"
    )
    optional = by_criterion(run(1, **LAWYER))["optional"]
    assert render_criterion(optional, "ru", TR, CAT) == (
        "ℹ️ Дополнительно (необязательно): Знание MS Office"
    )
    assert render_criterion(optional, "kk", TR, CAT).endswith("MS Office білу")


def test_render_every_reason_in_both_languages() -> None:
    profiles = [
        Profile(),
        Profile(**LAWYER),
        Profile(**RESCUER),
        Profile(
            education_level="higher",
            fields_of_study=["it"],
            years_in_specialty=1,
            years_managerial=0.5,
            driver_licences=["A"],
            has_security_clearance=False,
            medically_fit=False,
            special_training=False,
        ),
        Profile(driver_licences=[], years_in_specialty=3, has_security_clearance=True),
        Profile(years_in_specialty=0),
        # Open lists, a licence implied by another, «my field is not listed».
        Profile(education_level="vocational", fields_of_study=["law"], driver_licences=["CE"]),
        Profile(education_level="vocational", fields_of_study=[], driver_licences=["DE"]),
        Profile(education_level="secondary", driver_licences=["C1E"]),
        Profile(education_level="higher", fields_of_study=["cars"], driver_licences=["B"]),
    ]
    seen: set[str] = set()
    for profile in profiles:
        for position in CAT.positions:
            if position.criteria is None:
                continue
            result = screen(position, profile, CAT)
            for lang in ("ru", "kk"):
                lines = render_result(result, lang, TR, CAT)
                assert all(line and "{" not in line for line in lines)
            seen.update(r.reason for r in result.criteria)
    assert seen == set(REASON_KEYS)


def test_render_verdict_and_path_note() -> None:
    result = run(
        3, education_level="vocational", fields_of_study=["transport"], years_in_specialty=5
    )
    lines = render_result(result, "ru", TR, CAT)
    assert lines[0] == "✅ Вы соответствуете требованиям должности «Position 3»"
    assert lines[1] == (
        "ℹ️ Требования можно выполнить 2 способами; ниже — вариант 2, ближайший к вашим ответам"
    )
    assert lines[-1] == (
        "ℹ️ Другие варианты: 1) Высшее; направление из перечня; стаж (на транспорте) не менее 3 лет"
    )
    assert render_verdict(run(4, **RESCUER), "kk", TR, CAT).startswith("⚠️ ")
    assert render_verdict(run(4), "ru", TR, CAT).startswith("❌ ")


def test_field_lists_are_whole_and_grouped_by_area() -> None:
    many = CriterionResult(
        "field_of_study",
        "not_met",
        "screening.field.not_declared",
        {"required": ("law", "economics", "it", "transport")},
    )
    text = render_criterion(many, "ru", TR, CAT)
    assert "area Область: law Право, economics Экономика, it ИТ, transport Транспорт" in text
    assert "и ещё" not in text


# ----------------------------------------------------------------------------- new semantics


def test_a_licence_implying_a_listed_one_is_declared_with_the_reason() -> None:
    result = run(4, **{**RESCUER, "driver_licences": ["C1E"]})
    line = by_criterion(result)["driver_licence"]
    assert (line.status, line.reason) == ("declared", "screening.licence.implied")
    assert line.params["matched"] == ("C",)
    assert "C1E" in render_criterion(line, "ru", TR, CAT)
    assert result.verdict == "partial"


def test_a_field_under_an_accepted_one_is_accepted() -> None:
    result = run(3, education_level="higher", fields_of_study=["cars"], experience={"transport": 3})
    assert result.verdict == "meets"
    assert by_criterion(result)["field_of_study"].params["matched"] == ("cars",)


def test_related_fields_are_for_hr_never_not_met() -> None:
    common = {"education_level": "vocational", "experience": {"transport": 1}}
    for fields in (["law"], []):
        result = run(8, **common, fields_of_study=fields, driver_licences=["B"])
        line = by_criterion(result)["field_of_study"]
        assert line.status == "review", fields
        assert result.verdict == "partial"
    listed = run(8, **common, fields_of_study=["transport"], driver_licences=["B"])
    assert by_criterion(listed)["field_of_study"].status == "met"


def test_unnamed_licence_category_is_for_hr() -> None:
    common = {"education_level": "vocational", "fields_of_study": ["transport"]}
    held = run(8, **common, experience={"transport": 1}, driver_licences=["C"])
    assert by_criterion(held)["driver_licence"].reason == "screening.licence.any_declared"
    none = run(8, **common, experience={"transport": 1}, driver_licences=[])
    assert by_criterion(none)["driver_licence"].status == "not_met"


def test_desirable_experience_never_fails_and_is_not_asked() -> None:
    result = run(
        8,
        education_level="vocational",
        fields_of_study=["transport"],
        experience={"transport": 1},
        driver_licences=["B"],
    )
    optional = by_criterion(result)["experience:managerial"]
    assert optional.status == "info"
    assert "experience:managerial" not in needed_questions(pos(8))
    # The position's own words name the requirement.
    line = render_criterion(by_criterion(result)["experience:transport"], "ru", TR, CAT)
    assert "(за рулём)" in line


def test_years_in_specialty_counts_only_for_its_own_domain_in_match() -> None:
    profile = Profile(education_level="higher", fields_of_study=["transport"], years_in_specialty=9)
    assert 3 not in [p.number for p in match(CAT, profile)]  # transport years were not given
    assert screen(pos(3), profile, CAT).verdict == "meets"  # screening one position: they are
    with_domain = profile.model_copy(update={"experience": {"transport": 9}})
    assert 3 in [p.number for p in match(CAT, with_domain)]


def test_total_experience_falls_back_to_the_most_years_declared() -> None:
    screener = Screener(CAT)
    prepared = screener.prepare(Profile(years_in_specialty=4, years_managerial=6))
    assert prepared.years["total"] == 6


def test_no_field_named_is_for_hr_whatever_the_field() -> None:
    for fields in (["law"], []):
        result = run(9, education_level="higher", fields_of_study=fields)
        line = by_criterion(result)["field_of_study"]
        assert (line.status, line.reason) == ("review", "screening.field.unlisted")
        assert result.verdict == "partial"
    text = render_criterion(
        by_criterion(run(9, education_level="higher", fields_of_study=[]))["field_of_study"],
        "ru",
        TR,
        CAT,
    )
    assert "вашего направления нет в перечне" in text and "«в соответствующей области»" in text
