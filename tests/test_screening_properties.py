"""Property tests: more experience or a higher education level never worsens a verdict.

Verdicts are ordered does_not_meet < partial < meets. Checked on the synthetic catalogue
and on the real one (positions.json + criteria.json) once its positions have criteria.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.catalogue.models import Catalogue
from bot.screening import Profile, Screener, get_screener, match, needed_questions
from bot.screening.engine import VERDICT_ORDER
from tests.screening_fixtures import real_catalogue_with_criteria, synthetic_catalogue

SYNTHETIC = synthetic_catalogue()
REAL, REAL_WHY = real_catalogue_with_criteria()

CATALOGUES = [
    pytest.param(SYNTHETIC, id="synthetic"),
    pytest.param(
        REAL,
        id="real",
        marks=pytest.mark.skipif(REAL is None, reason=f"real catalogue: {REAL_WHY}"),
    ),
]

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _years() -> st.SearchStrategy[float | None]:
    return st.one_of(
        st.none(), st.integers(0, 40).map(float), st.floats(0, 40).map(lambda x: round(x, 1))
    )


@st.composite
def profiles(draw: st.DrawFn, catalogue: Catalogue) -> dict[str, Any]:
    levels = [level.id for level in catalogue.education_levels]
    fields = [f.id for f in catalogue.fields_of_study]
    licences = list(catalogue.driver_licence_categories)
    flag = st.one_of(st.none(), st.booleans())
    return {
        "education_level": draw(st.one_of(st.none(), st.sampled_from(levels))),
        "fields_of_study": draw(
            st.one_of(st.none(), st.lists(st.sampled_from(fields), max_size=3, unique=True))
        ),
        "years_in_specialty": draw(_years()),
        "years_managerial": draw(_years()),
        "driver_licences": draw(
            st.one_of(st.none(), st.lists(st.sampled_from(licences), max_size=3, unique=True))
        ),
        "has_security_clearance": draw(flag),
        "medically_fit": draw(flag),
        "special_training": draw(flag),
    }


def _rank(verdict: str) -> int:
    return VERDICT_ORDER[verdict]


def _verdicts(screener: Screener, profile: dict[str, Any]) -> dict[int, str]:
    return {r.position_number: r.verdict for r in screener.screen_all(Profile(**profile))}


def _assert_not_worse(catalogue: Catalogue, before: dict[str, Any], after: dict[str, Any]) -> None:
    screener = get_screener(catalogue)
    old, new = _verdicts(screener, before), _verdicts(screener, after)
    for number, verdict in old.items():
        assert _rank(new[number]) >= _rank(verdict), (number, before, after, verdict, new[number])


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_more_years_in_specialty_never_worse(catalogue: Catalogue) -> None:
    @SETTINGS
    @given(profile=profiles(catalogue), extra=st.floats(0.1, 20))
    def check(profile: dict[str, Any], extra: float) -> None:
        base = profile["years_in_specialty"] or 0.0
        more = {**profile, "years_in_specialty": min(60.0, base + extra)}
        _assert_not_worse(catalogue, profile, more)

    check()


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_more_managerial_years_never_worse(catalogue: Catalogue) -> None:
    @SETTINGS
    @given(profile=profiles(catalogue), extra=st.floats(0.1, 20))
    def check(profile: dict[str, Any], extra: float) -> None:
        base = profile["years_managerial"] or 0.0
        more = {**profile, "years_managerial": min(60.0, base + extra)}
        _assert_not_worse(catalogue, profile, more)

    check()


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_higher_education_never_worse(catalogue: Catalogue) -> None:
    levels = [level.id for level in catalogue.education_levels]

    @SETTINGS
    @given(profile=profiles(catalogue), data=st.data())
    def check(profile: dict[str, Any], data: st.DataObject) -> None:
        current = profile["education_level"]
        lowest = 0 if current is None else levels.index(current)
        higher = data.draw(st.sampled_from(levels[lowest:]))
        _assert_not_worse(catalogue, profile, {**profile, "education_level": higher})

    check()


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_declaring_a_missing_years_answer_never_worse(catalogue: Catalogue) -> None:
    # Not declared counts as not met, so declaring any number of years never hurts.
    @SETTINGS
    @given(profile=profiles(catalogue), years=st.floats(0, 60))
    def check(profile: dict[str, Any], years: float) -> None:
        for key in ("years_in_specialty", "years_managerial"):
            if profile[key] is None:
                _assert_not_worse(catalogue, profile, {**profile, key: years})

    check()


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_match_is_the_meets_or_partial_set(catalogue: Catalogue) -> None:
    screener = Screener(catalogue)

    @SETTINGS
    @given(profile=profiles(catalogue))
    def check(profile: dict[str, Any]) -> None:
        p = Profile(**profile)
        expected = [
            r.position_number for r in screener.screen_all(p) if r.verdict != "does_not_meet"
        ]
        assert [pos.number for pos in match(catalogue, p)] == expected
        for result in screener.screen_all(p):
            failed = any(c.status == "not_met" for c in result.criteria)
            declared = any(c.status == "declared" for c in result.criteria)
            expected_verdict = "does_not_meet" if failed else "partial" if declared else "meets"
            assert result.verdict == expected_verdict

    check()


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_only_needed_questions_matter(catalogue: Catalogue) -> None:
    # Dropping an answer the position does not ask for never changes its verdict.
    screener = Screener(catalogue)

    @SETTINGS
    @given(profile=profiles(catalogue))
    def check(profile: dict[str, Any]) -> None:
        for position in catalogue.positions:
            if position.criteria is None:
                continue
            needed = set(needed_questions(position))
            trimmed = {k: v for k, v in profile.items() if k in needed}
            full = screener.screen(position, Profile(**profile)).verdict
            assert screener.screen(position, Profile(**trimmed)).verdict == full

    check()
