"""Property tests: more experience (in any domain), a higher education level, more fields,
a broader accepted field or a licence that implies another never worsen a verdict.

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
from bot.screening.profile import profile_data
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

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _years() -> st.SearchStrategy[float | None]:
    return st.one_of(
        st.none(), st.integers(0, 40).map(float), st.floats(0, 40).map(lambda x: round(x, 1))
    )


@st.composite
def profiles(draw: st.DrawFn, catalogue: Catalogue) -> dict[str, Any]:
    levels = [level.id for level in catalogue.education_levels]
    fields = [f.id for f in catalogue.fields_of_study]
    licences = list(catalogue.driver_licence_categories)
    domains = [d.id for d in catalogue.experience_domains]
    flag = st.one_of(st.none(), st.booleans())
    experience = st.dictionaries(
        st.sampled_from(domains), st.integers(0, 40).map(float), max_size=3
    )
    return {
        "experience": draw(st.one_of(st.none(), experience)),
        "years_total": draw(_years()),
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
            pos.number
            for pos in catalogue.positions
            if pos.criteria is not None
            and screener.screen_matched(pos, p).verdict != "does_not_meet"
        ]
        assert [pos.number for pos in match(catalogue, p)] == expected
        for result in screener.screen_all(p):
            failed = any(c.status == "not_met" for c in result.criteria)
            declared = any(c.status in {"declared", "review"} for c in result.criteria)
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
            # The answers of exactly the questions asked, the years as screening reads them.
            years = screener.prepare(Profile(**profile)).years
            answers = {
                key: years[key.removeprefix("experience:")]
                if key.startswith("experience:")
                else profile[key]
                for key in needed_questions(position)
            }
            answers = {k: v for k, v in answers.items() if v is not None}
            full = screener.screen(position, Profile(**profile)).verdict
            trimmed = Profile(**profile_data(answers))
            assert screener.screen(position, trimmed).verdict == full

    check()


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_more_years_in_any_domain_never_worse(catalogue: Catalogue) -> None:
    domains = [d.id for d in catalogue.experience_domains]

    @SETTINGS
    @given(profile=profiles(catalogue), data=st.data(), extra=st.floats(0.1, 20))
    def check(profile: dict[str, Any], data: st.DataObject, extra: float) -> None:
        domain = data.draw(st.sampled_from(domains))
        experience = dict(profile["experience"] or {})
        # From the years screening reads now (an entry overrides the fallbacks).
        now = get_screener(catalogue).prepare(Profile(**profile)).years.get(domain) or 0.0
        experience[domain] = min(60.0, now + extra)
        _assert_not_worse(catalogue, profile, {**profile, "experience": experience})
        total = min(60.0, (profile["years_total"] or 0.0) + extra)
        _assert_not_worse(catalogue, profile, {**profile, "years_total": total})

    check()


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_more_fields_never_worse(catalogue: Catalogue) -> None:
    fields = [f.id for f in catalogue.fields_of_study]

    @SETTINGS
    @given(profile=profiles(catalogue), data=st.data())
    def check(profile: dict[str, Any], data: st.DataObject) -> None:
        extra = data.draw(st.sampled_from(fields))
        more = sorted({*(profile["fields_of_study"] or []), extra})
        if profile["fields_of_study"] is None:
            return  # «not declared» is not the same as «none of these»
        _assert_not_worse(catalogue, profile, {**profile, "fields_of_study": more})

    check()


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_a_licence_that_implies_the_held_one_never_worse(catalogue: Catalogue) -> None:
    implications = catalogue.licence_implications
    if not implications:
        pytest.skip("no licence implications")
    pairs = [(implied, holder) for holder, below in implications.items() for implied in below]

    @SETTINGS
    @given(profile=profiles(catalogue), pair=st.sampled_from(pairs))
    def check(profile: dict[str, Any], pair: tuple[str, str]) -> None:
        implied, holder = pair
        held = [c for c in profile["driver_licences"] or [] if c != implied]
        before = {**profile, "driver_licences": [*held, implied]}
        after = {**profile, "driver_licences": [*held, holder]}
        _assert_not_worse(catalogue, before, after)

    check()


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_accepting_the_broader_entry_never_worse(catalogue: Catalogue) -> None:
    # A position that accepts a field's parent instead of the field judges no one worse.
    parents = {f.id: f.parent for f in catalogue.fields_of_study if f.parent is not None}
    listed = [
        (n, i, code)
        for n, position in enumerate(catalogue.positions)
        if position.criteria is not None
        for i, path in enumerate(position.criteria.paths)
        for code in path.fields or []
        if code in parents
    ]
    if not listed:
        pytest.skip("no narrow field accepted anywhere")

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(profile=profiles(catalogue), where=st.sampled_from(listed))
    def check(profile: dict[str, Any], where: tuple[int, int, str]) -> None:
        n, i, code = where
        data = catalogue.model_dump(mode="json")
        path = data["positions"][n]["criteria"]["paths"][i]
        path["fields"] = [parents[code] if c == code else c for c in path["fields"]]
        broader = Catalogue.model_validate(data)
        p = Profile(**profile)
        narrow_verdict = Screener(catalogue).screen(catalogue.positions[n], p).verdict
        broad_verdict = Screener(broader).screen(broader.positions[n], p).verdict
        assert _rank(broad_verdict) >= _rank(narrow_verdict), (where, profile)

    check()
