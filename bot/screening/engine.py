"""Screening: compare an applicant's :class:`~bot.screening.profile.Profile` with a position.

Semantics (one :class:`CriterionResult` per criterion, then one verdict):

* **Paths are alternatives.** A position's ``criteria.paths`` are alternative ways to
  qualify; the path part is met when any one path is fully met. The result reports the
  best path: the first fully met one, else the one with the fewest failures (the first
  of those on a tie). ``ScreeningResult.chosen_path`` is its index.
* **Education** (``education``): a path's level is met by that level or any higher one;
  the rank is the order of ``catalogue.education_levels`` (lowest first).
* **Field of study** (``field_of_study``): met if the path accepts any field
  (``fields`` is ``None``; then no line is reported) or the applicant has at least one
  of the accepted fields.
* **Experience** (``experience:<domain>``): the ``managerial`` domain is compared with
  ``years_managerial``, every other domain with ``years_in_specialty``. Fewer years than
  ``min_years`` → not met; at least ``min_years`` but fewer than ``preferred_years`` →
  met, with a note naming the preferred years. ``min_years`` 0 means the seed demands
  experience in the domain without stating a duration: any declared number of years
  above 0 meets it, 0 or not declared does not.
* **Driver licence** (``driver_licence``, any one of the listed categories), **security
  clearance** (``security_clearance``), **medical fitness** (``medical_fitness``) and
  **special training** (``special_training``): what the applicant declares (``True`` or a
  matching category) counts as met but is marked ``declared``: HR verifies it. A declared
  ``False``, or licences of other categories only, is ``not_met``; not declared at all
  (``None``) is ``not_met`` with the reason «not declared».
* **Optional** («желательно») items (``optional``) are shown as ``info`` and never fail
  anyone.
* **Missing answers**: a profile key the position needs that is not declared counts as not
  met.
* **Verdict**: any ``not_met`` → ``does_not_meet``; otherwise any ``declared`` →
  ``partial`` (every hard criterion is met, HR must verify something); otherwise
  ``meets``.

More years (in the specialty or managerial) or a higher education level never worsen a
verdict. :func:`match` lists, in catalogue order, the positions whose verdict is
``meets`` or ``partial``; positions without criteria are never matched.
:func:`needed_questions` names the profile keys a position's criteria use, in the order
the questionnaire asks them.

Pure Python (no aiogram): :class:`Screener` precomputes rank maps and sets once per
catalogue and memoizes the (immutable) result lines; the module-level :func:`screen` and
:func:`match` reuse a cached screener per catalogue object.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from bot.catalogue.models import Catalogue, Criteria, Position
from bot.screening.profile import Profile

Status = Literal["met", "not_met", "declared", "info"]
Verdict = Literal["meets", "partial", "does_not_meet"]
Param: TypeAlias = str | int | float | tuple[str, ...]

VERDICT_ORDER: Mapping[str, int] = {"does_not_meet": 0, "partial": 1, "meets": 2}
MANAGERIAL = "managerial"
NAMESPACE = "screening"

# The order in which the questionnaire asks the profile keys.
QUESTION_ORDER: tuple[str, ...] = (
    "education_level",
    "fields_of_study",
    "years_in_specialty",
    "years_managerial",
    "driver_licences",
    "has_security_clearance",
    "medically_fit",
    "special_training",
)


class NoCriteriaError(ValueError):
    """The position has no screening criteria (yet)."""


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """One line of a screening: which criterion, how it went and why.

    ``reason`` is a full locale key (``screening.…``); ``params`` hold ids and numbers
    for its placeholders (rendering turns ids into names).
    """

    criterion: str
    status: Status
    reason: str
    params: dict[str, Param] = field(default_factory=dict, hash=False, compare=True)


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    position_number: int
    verdict: Verdict
    criteria: tuple[CriterionResult, ...]
    chosen_path: int


def _key(name: str) -> str:
    return f"{NAMESPACE}.{name}"


# Reason keys (all in the ``screening`` namespace).
R_EDUCATION_MET = _key("education.met")
R_EDUCATION_NOT_MET = _key("education.not_met")
R_EDUCATION_NOT_DECLARED = _key("education.not_declared")
R_FIELD_MET = _key("field.met")
R_FIELD_NOT_MET = _key("field.not_met")
R_FIELD_NOT_DECLARED = _key("field.not_declared")
R_EXPERIENCE_MET = _key("experience.met")
R_EXPERIENCE_BELOW_PREFERRED = _key("experience.met_below_preferred")
R_EXPERIENCE_NOT_MET = _key("experience.not_met")
R_EXPERIENCE_NOT_DECLARED = _key("experience.not_declared")
R_EXPERIENCE_PREFERRED_ONLY = _key("experience.preferred_only")
R_EXPERIENCE_SOME = _key("experience.some")
R_EXPERIENCE_SOME_NONE = _key("experience.some_none")
R_EXPERIENCE_SOME_NOT_DECLARED = _key("experience.some_not_declared")
R_LICENCE_DECLARED = _key("licence.declared")
R_LICENCE_NOT_MET = _key("licence.not_met")
R_LICENCE_NONE = _key("licence.none")
R_LICENCE_NOT_DECLARED = _key("licence.not_declared")
R_CLEARANCE_DECLARED = _key("clearance.declared")
R_CLEARANCE_NOT_MET = _key("clearance.not_met")
R_CLEARANCE_NOT_DECLARED = _key("clearance.not_declared")
R_MEDICAL_DECLARED = _key("medical.declared")
R_MEDICAL_NOT_MET = _key("medical.not_met")
R_MEDICAL_NOT_DECLARED = _key("medical.not_declared")
R_TRAINING_DECLARED = _key("training.declared")
R_TRAINING_NOT_MET = _key("training.not_met")
R_TRAINING_NOT_DECLARED = _key("training.not_declared")
R_OPTIONAL = _key("optional.item")

REASON_KEYS: tuple[str, ...] = (
    R_EDUCATION_MET,
    R_EDUCATION_NOT_MET,
    R_EDUCATION_NOT_DECLARED,
    R_FIELD_MET,
    R_FIELD_NOT_MET,
    R_FIELD_NOT_DECLARED,
    R_EXPERIENCE_MET,
    R_EXPERIENCE_BELOW_PREFERRED,
    R_EXPERIENCE_NOT_MET,
    R_EXPERIENCE_NOT_DECLARED,
    R_EXPERIENCE_PREFERRED_ONLY,
    R_EXPERIENCE_SOME,
    R_EXPERIENCE_SOME_NONE,
    R_EXPERIENCE_SOME_NOT_DECLARED,
    R_LICENCE_DECLARED,
    R_LICENCE_NOT_MET,
    R_LICENCE_NONE,
    R_LICENCE_NOT_DECLARED,
    R_CLEARANCE_DECLARED,
    R_CLEARANCE_NOT_MET,
    R_CLEARANCE_NOT_DECLARED,
    R_MEDICAL_DECLARED,
    R_MEDICAL_NOT_MET,
    R_MEDICAL_NOT_DECLARED,
    R_TRAINING_DECLARED,
    R_TRAINING_NOT_MET,
    R_TRAINING_NOT_DECLARED,
    R_OPTIONAL,
)


# --------------------------------------------------------------------------- compiled form
#
# Results are memoized per compiled criterion and input value (a level id, a tuple of
# fields, a number of years, ...): screening builds no new CriterionResult for inputs
# seen before, which keeps a whole-catalogue screening far below a millisecond. The
# results are immutable by contract: do not mutate their ``params``.

_MEMO_LIMIT = 512


class _Memo(dict[object, CriterionResult]):
    """A small bounded cache (cleared when full; the inputs' variety is tiny anyway)."""

    __slots__ = ()

    def put(self, key: object, value: CriterionResult) -> CriterionResult:
        if len(self) >= _MEMO_LIMIT:
            self.clear()
        self[key] = value
        return value


@dataclass(frozen=True, slots=True)
class _Experience:
    domain: str
    managerial: bool
    min_years: float
    preferred_years: float | None
    memo: _Memo = field(default_factory=_Memo, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class _Path:
    level: str
    rank: int
    fields: tuple[str, ...] | None
    field_set: frozenset[str] | None
    experience: tuple[_Experience, ...]
    education_memo: _Memo = field(default_factory=_Memo, compare=False, hash=False)
    field_memo: _Memo = field(default_factory=_Memo, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class _Compiled:
    number: int
    paths: tuple[_Path, ...]
    licences: tuple[str, ...]
    licence_set: frozenset[str]
    # (criterion's results for True, False, None) of clearance, medical fitness, training.
    flags: tuple[tuple[CriterionResult, CriterionResult, CriterionResult, str], ...]
    optional: tuple[CriterionResult, ...]
    licence_memo: _Memo = field(default_factory=_Memo, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class PreparedProfile:
    """A profile turned into lookups once (:meth:`Screener.prepare`); reusable across
    positions of the same screener."""

    level: str | None
    rank: int | None
    fields: tuple[str, ...] | None
    field_set: frozenset[str] | None
    specialty: float | None
    managerial: float | None
    licences: tuple[str, ...] | None
    licence_set: frozenset[str] | None
    clearance: bool | None
    medical: bool | None
    training: bool | None


def _flag(
    criterion: str, keys: tuple[str, str, str], params: dict[str, Param], attribute: str
) -> tuple[CriterionResult, CriterionResult, CriterionResult, str]:
    declared, not_met, not_declared = keys
    return (
        CriterionResult(criterion, "declared", declared, params),
        CriterionResult(criterion, "not_met", not_met, params),
        CriterionResult(criterion, "not_met", not_declared, params),
        attribute,
    )


def _compile(
    position: Position,
    criteria: Criteria,
    ranks: Mapping[str, int],
    shared: dict[object, object] | None = None,
) -> _Compiled:
    """Compile a position's criteria; ``shared`` interns equal requirements (and their
    memos) across the positions of one catalogue."""
    pool: dict[object, object] = {} if shared is None else shared

    def memo(key: object) -> _Memo:
        found = pool.setdefault(("memo", key), _Memo())
        assert isinstance(found, _Memo)
        return found

    def experience(domain: str, min_years: float, preferred: float | None) -> _Experience:
        key = ("experience", domain, min_years, preferred)
        found = pool.get(key)
        if not isinstance(found, _Experience):
            found = _Experience(domain, domain == MANAGERIAL, min_years, preferred)
            pool[key] = found
        return found

    paths = tuple(
        _Path(
            level=p.education_level,
            rank=ranks[p.education_level],
            fields=None if p.fields is None else tuple(p.fields),
            field_set=None if p.fields is None else frozenset(p.fields),
            experience=tuple(
                experience(e.domain, e.min_years, e.preferred_years) for e in p.experience
            ),
            education_memo=memo(("education", p.education_level)),
            field_memo=memo(("fields", None if p.fields is None else tuple(p.fields))),
        )
        for p in criteria.paths
    )
    flags = []
    if criteria.security_clearance:
        keys = (R_CLEARANCE_DECLARED, R_CLEARANCE_NOT_MET, R_CLEARANCE_NOT_DECLARED)
        flags.append(_flag("security_clearance", keys, {}, "clearance"))
    if criteria.medical_fitness:
        keys = (R_MEDICAL_DECLARED, R_MEDICAL_NOT_MET, R_MEDICAL_NOT_DECLARED)
        flags.append(_flag("medical_fitness", keys, {}, "medical"))
    if criteria.special_training is not None:
        keys = (R_TRAINING_DECLARED, R_TRAINING_NOT_MET, R_TRAINING_NOT_DECLARED)
        flags.append(_flag("special_training", keys, {"position": position.number}, "training"))
    optional = tuple(
        CriterionResult("optional", "info", R_OPTIONAL, {"position": position.number, "index": i})
        for i in range(len(criteria.optional))
    )
    return _Compiled(
        number=position.number,
        paths=paths,
        licences=tuple(criteria.driver_licences),
        licence_set=frozenset(criteria.driver_licences),
        flags=tuple(flags),
        optional=optional,
        licence_memo=memo(("licences", tuple(criteria.driver_licences))),
    )


# --------------------------------------------------------------------------- checks


def _path_failures(path: _Path, p: PreparedProfile) -> int:
    failures = 0
    if p.rank is None or p.rank < path.rank:
        failures += 1
    accepted = path.field_set
    if accepted is not None and (p.field_set is None or accepted.isdisjoint(p.field_set)):
        failures += 1
    for e in path.experience:
        years = p.managerial if e.managerial else p.specialty
        # min_years 0: some experience is required, its duration is not stated.
        if years is None or years <= 0 or years < e.min_years:
            failures += 1
    return failures


def _best_path(c: _Compiled, p: PreparedProfile) -> tuple[int, int]:
    """(index, failures) of the first fully met path, else of the one with fewest failures."""
    best_index, best_failures = 0, -1
    for index, path in enumerate(c.paths):
        failures = _path_failures(path, p)
        if failures == 0:
            return index, 0
        if best_failures < 0 or failures < best_failures:
            best_index, best_failures = index, failures
    return best_index, best_failures


def _global_state(c: _Compiled, p: PreparedProfile) -> tuple[bool, bool]:
    """(any not met, any declared) over the non-path criteria."""
    failed = declared = False
    if c.licences:
        if p.licence_set is not None and not c.licence_set.isdisjoint(p.licence_set):
            declared = True
        else:
            failed = True
    for flag in c.flags:
        if getattr(p, flag[3]) is True:
            declared = True
        else:
            failed = True
    return failed, declared


def _education_result(path: _Path, p: PreparedProfile) -> CriterionResult:
    cached = path.education_memo.get(p.level)
    if cached is not None:
        return cached
    if p.level is None:
        result = CriterionResult(
            "education", "not_met", R_EDUCATION_NOT_DECLARED, {"required": path.level}
        )
    else:
        ok = p.rank is not None and p.rank >= path.rank
        result = CriterionResult(
            "education",
            "met" if ok else "not_met",
            R_EDUCATION_MET if ok else R_EDUCATION_NOT_MET,
            {"required": path.level, "actual": p.level},
        )
    return path.education_memo.put(p.level, result)


def _field_result(path: _Path, required: tuple[str, ...], p: PreparedProfile) -> CriterionResult:
    cached = path.field_memo.get(p.fields)
    if cached is not None:
        return cached
    if p.fields is None:
        result = CriterionResult(
            "field_of_study", "not_met", R_FIELD_NOT_DECLARED, {"required": required}
        )
    else:
        accepted = path.field_set or frozenset()
        matched = tuple(f for f in p.fields if f in accepted)
        if matched:
            result = CriterionResult(
                "field_of_study", "met", R_FIELD_MET, {"matched": matched, "required": required}
            )
        else:
            result = CriterionResult(
                "field_of_study",
                "not_met",
                R_FIELD_NOT_MET,
                {"required": required, "actual": p.fields},
            )
    return path.field_memo.put(p.fields, result)


def _path_results(path: _Path, p: PreparedProfile) -> list[CriterionResult]:
    out = [_education_result(path, p)]
    if path.fields is not None:
        out.append(_field_result(path, path.fields, p))
    for e in path.experience:
        years = p.managerial if e.managerial else p.specialty
        cached = e.memo.get(years)
        if cached is None:
            cached = e.memo.put(years, _experience_result(e, years))
        out.append(cached)
    return out


def _experience_result(e: _Experience, years: float | None) -> CriterionResult:
    criterion = f"experience:{e.domain}"
    params: dict[str, Param] = {"domain": e.domain, "min_years": e.min_years}
    if e.preferred_years is not None:
        params["preferred_years"] = e.preferred_years
    some = e.min_years <= 0  # experience required, no duration stated
    if years is None:
        reason = R_EXPERIENCE_SOME_NOT_DECLARED if some else R_EXPERIENCE_NOT_DECLARED
        return CriterionResult(criterion, "not_met", reason, params)
    params["years"] = years
    if some and years <= 0:
        return CriterionResult(criterion, "not_met", R_EXPERIENCE_SOME_NONE, params)
    if years < e.min_years:
        return CriterionResult(criterion, "not_met", R_EXPERIENCE_NOT_MET, params)
    if e.preferred_years is not None and years < e.preferred_years:
        reason = R_EXPERIENCE_PREFERRED_ONLY if some else R_EXPERIENCE_BELOW_PREFERRED
        return CriterionResult(criterion, "met", reason, params)
    reason = R_EXPERIENCE_SOME if some else R_EXPERIENCE_MET
    return CriterionResult(criterion, "met", reason, params)


def _licence_result(c: _Compiled, p: PreparedProfile) -> CriterionResult:
    cached = c.licence_memo.get(p.licences)
    if cached is not None:
        return cached
    if p.licences is None:
        result = CriterionResult(
            "driver_licence", "not_met", R_LICENCE_NOT_DECLARED, {"required": c.licences}
        )
    else:
        matched = tuple(x for x in p.licences if x in c.licence_set)
        if matched:
            result = CriterionResult(
                "driver_licence",
                "declared",
                R_LICENCE_DECLARED,
                {"required": c.licences, "matched": matched},
            )
        elif not p.licences:
            result = CriterionResult(
                "driver_licence", "not_met", R_LICENCE_NONE, {"required": c.licences}
            )
        else:
            result = CriterionResult(
                "driver_licence",
                "not_met",
                R_LICENCE_NOT_MET,
                {"required": c.licences, "actual": p.licences},
            )
    return c.licence_memo.put(p.licences, result)


def _global_results(
    c: _Compiled, p: PreparedProfile, out: list[CriterionResult]
) -> tuple[bool, bool]:
    """Append the non-path lines to ``out``; return (any not met, any declared)."""
    failed = declared = False
    if c.licences:
        result = _licence_result(c, p)
        out.append(result)
        if result.status == "declared":
            declared = True
        else:
            failed = True
    for yes, no, unknown, attribute in c.flags:
        value = getattr(p, attribute)
        if value is True:
            out.append(yes)
            declared = True
        else:
            out.append(no if value is False else unknown)
            failed = True
    out.extend(c.optional)
    return failed, declared


def _verdict(failed: bool, declared: bool) -> Verdict:
    if failed:
        return "does_not_meet"
    return "partial" if declared else "meets"


# --------------------------------------------------------------------------- public API


class Screener:
    """Screening against one catalogue, with its lookups computed once."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.ranks: dict[str, int] = {
            level.id: rank for rank, level in enumerate(catalogue.education_levels)
        }
        self.positions: dict[int, Position] = {p.number: p for p in catalogue.positions}
        shared: dict[object, object] = {}
        self._compiled: dict[int, _Compiled] = {
            p.number: _compile(p, p.criteria, self.ranks, shared)
            for p in catalogue.positions
            if p.criteria is not None
        }

    def prepare(self, profile: Profile) -> PreparedProfile:
        fields = None if profile.fields_of_study is None else tuple(profile.fields_of_study)
        licences = None if profile.driver_licences is None else tuple(profile.driver_licences)
        level = profile.education_level
        return PreparedProfile(
            level=level,
            rank=None if level is None else self.ranks.get(level),
            fields=fields,
            field_set=None if fields is None else frozenset(fields),
            specialty=profile.years_in_specialty,
            managerial=profile.years_managerial,
            licences=licences,
            licence_set=None if licences is None else frozenset(licences),
            clearance=profile.has_security_clearance,
            medical=profile.medically_fit,
            training=profile.special_training,
        )

    def _compiled_for(self, position: Position) -> _Compiled:
        compiled = self._compiled.get(position.number)
        if compiled is None or self.positions.get(position.number) is not position:
            if position.criteria is None:
                raise NoCriteriaError(f"position {position.number} has no screening criteria")
            compiled = _compile(position, position.criteria, self.ranks)
        return compiled

    def screen(self, position: Position, profile: Profile | PreparedProfile) -> ScreeningResult:
        compiled = self._compiled_for(position)
        p = profile if isinstance(profile, PreparedProfile) else self.prepare(profile)
        index, failures = _best_path(compiled, p)
        results = _path_results(compiled.paths[index], p)
        failed, declared = _global_results(compiled, p, results)
        return ScreeningResult(
            position_number=compiled.number,
            verdict=_verdict(failed or failures > 0, declared),
            criteria=tuple(results),
            chosen_path=index,
        )

    def verdict(self, position: Position, profile: Profile | PreparedProfile) -> Verdict:
        """The verdict of :meth:`screen` without building the per-criterion lines."""
        compiled = self._compiled_for(position)
        p = profile if isinstance(profile, PreparedProfile) else self.prepare(profile)
        return self._fast_verdict(compiled, p)

    @staticmethod
    def _fast_verdict(compiled: _Compiled, p: PreparedProfile) -> Verdict:
        _, failures = _best_path(compiled, p)
        failed, declared = _global_state(compiled, p)
        return _verdict(failed or failures > 0, declared)

    def screen_all(self, profile: Profile) -> list[ScreeningResult]:
        """Screen every position that has criteria, in catalogue order."""
        p = self.prepare(profile)
        return [
            self.screen(position, p)
            for position in self.catalogue.positions
            if position.number in self._compiled
        ]

    def match(
        self,
        profile: Profile,
        *,
        exclude: Iterable[int] = (),
        open_numbers: Collection[int] | None = None,
    ) -> list[Position]:
        p = self.prepare(profile)
        excluded = frozenset(exclude)
        allowed = None if open_numbers is None else frozenset(open_numbers)
        out: list[Position] = []
        for position in self.catalogue.positions:
            number = position.number
            if number in excluded or (allowed is not None and number not in allowed):
                continue
            compiled = self._compiled.get(number)
            if compiled is None:
                continue
            if self._fast_verdict(compiled, p) != "does_not_meet":
                out.append(position)
        return out


_screeners: dict[int, tuple[Catalogue, Screener]] = {}


def get_screener(catalogue: Catalogue) -> Screener:
    """A cached :class:`Screener` for this catalogue object."""
    cached = _screeners.get(id(catalogue))
    if cached is not None and cached[0] is catalogue:
        return cached[1]
    screener = Screener(catalogue)
    if len(_screeners) >= 8:
        _screeners.clear()
    _screeners[id(catalogue)] = (catalogue, screener)
    return screener


def screen(position: Position, profile: Profile, catalogue: Catalogue) -> ScreeningResult:
    """Screen one profile against one position (see the module docstring for the rules)."""
    return get_screener(catalogue).screen(position, profile)


def match(
    catalogue: Catalogue,
    profile: Profile,
    *,
    exclude: Iterable[int] = (),
    open_numbers: Collection[int] | None = None,
) -> list[Position]:
    """Positions whose verdict is ``meets`` or ``partial``, in catalogue order.

    ``exclude``: seed numbers to leave out; ``open_numbers``: if given, only these
    positions are considered. Positions without criteria are never matched.
    """
    return get_screener(catalogue).match(profile, exclude=exclude, open_numbers=open_numbers)


def needed_questions(position: Position) -> list[str]:
    """The profile keys the position's criteria use, in the questionnaire's asking order."""
    criteria = position.criteria
    if criteria is None:
        return []
    needed: set[str] = {"education_level"}
    for path in criteria.paths:
        if path.fields is not None:
            needed.add("fields_of_study")
        for e in path.experience:
            needed.add("years_managerial" if e.domain == MANAGERIAL else "years_in_specialty")
    if criteria.driver_licences:
        needed.add("driver_licences")
    if criteria.security_clearance:
        needed.add("has_security_clearance")
    if criteria.medical_fitness:
        needed.add("medically_fit")
    if criteria.special_training is not None:
        needed.add("special_training")
    return [key for key in QUESTION_ORDER if key in needed]
