"""Screening: compare an applicant's :class:`~bot.screening.profile.Profile` with a position.

Semantics (one :class:`CriterionResult` per criterion, then one verdict):

* **Paths are alternatives.** A position's ``criteria.paths`` are alternative ways to
  qualify; the path part is met when any one path is fully met. The result reports the
  path nearest to the applicant: fewest unmet criteria, then fewest left for HR to
  judge, then the one whose level is the applicant's own, then the first.
  ``ScreeningResult.chosen_path`` is its index, ``other_paths`` the rest.
* **Education** (``education``): a path's level is met by that level or any higher one;
  the rank is the order of ``catalogue.education_levels`` (lowest first).
* **Field of study** (``field_of_study``): the vocabulary is a tree (Kazakhstan's
  classifier: area → direction → group); accepting an entry accepts everything below it.
  Met when one of the applicant's fields is, or lies under, an accepted entry. When the
  seed leaves the list open («или другие смежные»: ``fields_related``) a field outside it
  is ``review``: HR judge whether it is related. A path that names no field
  (``fields`` is ``None``) reports an ``info`` line saying so.
* **Experience** (``experience:<domain>``): the years of the requirement's domain (see
  :meth:`Screener.prepare` for where they come from). Fewer than ``min_years`` → not met;
  at least ``min_years`` but fewer than ``preferred_years`` → met, with a note.
  ``min_years`` 0 means the seed demands experience without stating a duration: any
  number of years above 0 meets it, 0 or not declared does not. ``optional``
  («желательно») requirements are ``info`` and never fail anyone.
* **Driver licence** (``driver_licence``): any one of the listed categories, counting the
  categories a held one implies (``catalogue.licence_implications``: a DE holder holds D);
  where the seed names none (``driver_licence_unspecified``) any licence declared is for
  HR to check. **Security clearance**, **medical fitness** and **special training** (of
  the position, or of the chosen path): what the applicant declares counts as met but is
  ``declared``: HR verify it. A ``False``, no licence of a fitting category, or nothing
  declared (``None``) is ``not_met``.
* **Verdict**: any ``not_met`` → ``does_not_meet``; otherwise any ``declared`` or
  ``review`` → ``partial``; otherwise ``meets``.

More years, a higher level, more fields or a licence that implies another never worsen a
verdict (property-tested). :func:`match` lists the positions whose verdict is ``meets`` or
``partial``. :func:`needed_questions` names the questions a position's criteria need.

Pure Python (no aiogram): :class:`Screener` compiles each position once per catalogue.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from bot.catalogue.models import Catalogue, Criteria, Position
from bot.screening.fields import FieldTree
from bot.screening.profile import EXPERIENCE_PREFIX as EXPERIENCE_PREFIX
from bot.screening.profile import TOTAL_DOMAIN, Profile

Status = Literal["met", "not_met", "declared", "review", "info"]
STATUSES: tuple[str, ...] = ("met", "not_met", "declared", "review", "info")
Verdict = Literal["meets", "partial", "does_not_meet"]
Mode = Literal["screen", "match"]
Param: TypeAlias = str | int | float | tuple[str, ...]

VERDICT_ORDER: Mapping[str, int] = {"does_not_meet": 0, "partial": 1, "meets": 2}
MANAGERIAL = "managerial"
TOTAL = TOTAL_DOMAIN
SPECIALTY = "specialty"  # experience in the specialty, the seed's own words for it
NAMESPACE = "screening"

# Question keys: one per profile key, and one per experience domain (EXPERIENCE_PREFIX).
QUESTION_ORDER_HEAD: tuple[str, ...] = ("education_level", "fields_of_study")
QUESTION_ORDER_TAIL: tuple[str, ...] = (
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
    other_paths: tuple[int, ...] = ()


def _key(name: str) -> str:
    return f"{NAMESPACE}.{name}"


# Reason keys (all in the ``screening`` namespace; ``screening_hr`` words them for HR).
R_EDUCATION_MET = _key("education.met")
R_EDUCATION_NOT_MET = _key("education.not_met")
R_EDUCATION_NOT_DECLARED = _key("education.not_declared")
R_FIELD_MET = _key("field.met")
R_FIELD_NOT_MET = _key("field.not_met")
R_FIELD_NONE_LISTED = _key("field.none_listed")
R_FIELD_NOT_DECLARED = _key("field.not_declared")
R_FIELD_RELATED = _key("field.related")
R_FIELD_RELATED_NONE_LISTED = _key("field.related_none_listed")
R_FIELD_ANY = _key("field.any")
R_FIELD_UNLISTED = _key("field.unlisted")
R_EXPERIENCE_MET = _key("experience.met")
R_EXPERIENCE_BELOW_PREFERRED = _key("experience.met_below_preferred")
R_EXPERIENCE_NOT_MET = _key("experience.not_met")
R_EXPERIENCE_NOT_DECLARED = _key("experience.not_declared")
R_EXPERIENCE_PREFERRED_ONLY = _key("experience.preferred_only")
R_EXPERIENCE_SOME = _key("experience.some")
R_EXPERIENCE_SOME_NONE = _key("experience.some_none")
R_EXPERIENCE_SOME_NOT_DECLARED = _key("experience.some_not_declared")
R_EXPERIENCE_OPTIONAL = _key("experience.optional")
R_LICENCE_DECLARED = _key("licence.declared")
R_LICENCE_IMPLIED = _key("licence.implied")
R_LICENCE_NOT_MET = _key("licence.not_met")
R_LICENCE_NONE = _key("licence.none")
R_LICENCE_NOT_DECLARED = _key("licence.not_declared")
R_LICENCE_ANY_DECLARED = _key("licence.any_declared")
R_LICENCE_ANY_NONE = _key("licence.any_none")
R_LICENCE_ANY_NOT_DECLARED = _key("licence.any_not_declared")
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

REASON_KEYS: tuple[str, ...] = tuple(
    value for name, value in dict(globals()).items() if name.startswith("R_")
)


# --------------------------------------------------------------------------- compiled form


@dataclass(frozen=True, slots=True)
class _Experience:
    domain: str
    min_years: float
    preferred_years: float | None
    optional: bool
    ref: tuple[int, int, int]  # (position, path, item): where rendering finds the wording


class _Memo(dict[object, "CriterionResult"]):
    """Results already built for an input (results are immutable); bounded, cleared when full."""

    __slots__ = ()

    def put(self, key: object, value: CriterionResult) -> CriterionResult:
        if len(self) >= 256:
            self.clear()
        self[key] = value
        return value


@dataclass(frozen=True, slots=True)
class _Path:
    index: int
    level: str
    rank: int
    fields: tuple[str, ...] | None
    field_set: frozenset[str] | None
    related: bool
    experience: tuple[_Experience, ...]
    training: bool
    memo: _Memo = field(default_factory=_Memo, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class _Flag:
    criterion: str
    attribute: str
    keys: tuple[str, str, str]  # declared, not met, not declared
    params: dict[str, Param]


@dataclass(frozen=True, slots=True)
class _Compiled:
    number: int
    paths: tuple[_Path, ...]
    licences: tuple[str, ...]
    licence_set: frozenset[str]
    licence_any: bool
    flags: tuple[_Flag, ...]
    optional: tuple[CriterionResult, ...]


@dataclass(frozen=True, slots=True)
class PreparedProfile:
    """A profile turned into lookups once (:meth:`Screener.prepare`); reusable across
    positions of the same screener."""

    level: str | None
    rank: int | None
    fields: tuple[str, ...] | None
    # The declared fields and every entry above them in the classifier, in all and each.
    field_closure: frozenset[str]
    field_ancestry: tuple[tuple[str, frozenset[str]], ...]
    years: Mapping[str, float | None]
    licences: tuple[str, ...] | None
    # The declared categories and every category they imply.
    licence_closure: frozenset[str]
    clearance: bool | None
    medical: bool | None
    training: bool | None


def _compile(position: Position, criteria: Criteria, ranks: Mapping[str, int]) -> _Compiled:
    n = position.number
    paths = tuple(
        _Path(
            index=i,
            level=p.education_level,
            rank=ranks[p.education_level],
            fields=None if p.fields is None else tuple(p.fields),
            field_set=None if p.fields is None else frozenset(p.fields),
            related=p.fields_related,
            experience=tuple(
                _Experience(e.domain, e.min_years, e.preferred_years, e.optional, (n, i, j))
                for j, e in enumerate(p.experience)
            ),
            training=p.special_training is not None,
        )
        for i, p in enumerate(criteria.paths)
    )
    flags = []
    if criteria.security_clearance:
        keys = (R_CLEARANCE_DECLARED, R_CLEARANCE_NOT_MET, R_CLEARANCE_NOT_DECLARED)
        flags.append(_Flag("security_clearance", "clearance", keys, {}))
    if criteria.medical_fitness:
        keys = (R_MEDICAL_DECLARED, R_MEDICAL_NOT_MET, R_MEDICAL_NOT_DECLARED)
        flags.append(_Flag("medical_fitness", "medical", keys, {}))
    if criteria.special_training is not None:
        keys = (R_TRAINING_DECLARED, R_TRAINING_NOT_MET, R_TRAINING_NOT_DECLARED)
        flags.append(_Flag("special_training", "training", keys, {"position": n}))
    optional = tuple(
        CriterionResult("optional", "info", R_OPTIONAL, {"position": n, "index": i})
        for i in range(len(criteria.optional))
    )
    return _Compiled(
        number=n,
        paths=paths,
        licences=tuple(criteria.driver_licences),
        licence_set=frozenset(criteria.driver_licences),
        licence_any=criteria.driver_licence_unspecified,
        flags=tuple(flags),
        optional=optional,
    )


# --------------------------------------------------------------------------- checks


def _years_fail(e: _Experience, years: float | None) -> bool:
    # min_years 0: some experience is required, its duration is not stated.
    return not e.optional and (years is None or years <= 0 or years < e.min_years)


def _field_state(path: _Path, p: PreparedProfile) -> Literal["ok", "review", "fail"]:
    accepted = path.field_set
    if accepted is None:
        return "ok"
    if p.fields is None:
        return "fail"
    if not accepted.isdisjoint(p.field_closure):
        return "ok"
    return "review" if path.related else "fail"


def _path_score(path: _Path, p: PreparedProfile) -> tuple[int, int]:
    """(unmet criteria, criteria left for HR to judge) of one path."""
    failures = reviews = 0
    if p.rank is None or p.rank < path.rank:
        failures += 1
    state = _field_state(path, p)
    if state == "fail":
        failures += 1
    elif state == "review":
        reviews += 1
    for e in path.experience:
        if _years_fail(e, p.years.get(e.domain)):
            failures += 1
    if path.training:
        if p.training is True:
            reviews += 1
        else:
            failures += 1
    return failures, reviews


def _best_path(c: _Compiled, p: PreparedProfile) -> tuple[_Path, int, int]:
    """The path nearest to the applicant, with its (failures, reviews)."""
    best: tuple[int, int, int, int] | None = None
    chosen = c.paths[0]
    for path in c.paths:
        failures, reviews = _path_score(path, p)
        key = (failures, reviews, 0 if path.level == p.level else 1, path.index)
        if best is None or key < best:
            best, chosen = key, path
    assert best is not None
    return chosen, best[0], best[1]


def _licence_ok(c: _Compiled, p: PreparedProfile) -> bool:
    if c.licence_any:
        return bool(p.licences)
    return not c.licence_set.isdisjoint(p.licence_closure)


def _global_state(c: _Compiled, p: PreparedProfile) -> tuple[bool, bool]:
    """(any not met, any declared) over the non-path criteria."""
    failed = declared = False
    if c.licences or c.licence_any:
        if _licence_ok(c, p):
            declared = True
        else:
            failed = True
    for flag in c.flags:
        if getattr(p, flag.attribute) is True:
            declared = True
        else:
            failed = True
    return failed, declared


def _education_result(path: _Path, p: PreparedProfile) -> CriterionResult:
    if p.level is None:
        return CriterionResult(
            "education", "not_met", R_EDUCATION_NOT_DECLARED, {"required": path.level}
        )
    ok = p.rank is not None and p.rank >= path.rank
    return CriterionResult(
        "education",
        "met" if ok else "not_met",
        R_EDUCATION_MET if ok else R_EDUCATION_NOT_MET,
        {"required": path.level, "actual": p.level},
    )


def _field_result(path: _Path, p: PreparedProfile) -> CriterionResult:
    if path.fields is None:
        return CriterionResult("field_of_study", "info", R_FIELD_ANY, {"required": path.level})
    required = path.fields
    if p.fields is None:
        return CriterionResult(
            "field_of_study", "not_met", R_FIELD_NOT_DECLARED, {"required": required}
        )
    accepted = path.field_set or frozenset()
    matched = tuple(code for code, above in p.field_ancestry if not accepted.isdisjoint(above))
    if matched:
        return CriterionResult(
            "field_of_study", "met", R_FIELD_MET, {"matched": matched, "required": required}
        )
    if path.related and not required:  # «в соответствующей области»: no field named
        return CriterionResult("field_of_study", "review", R_FIELD_UNLISTED, {"actual": p.fields})
    if path.related:
        reason = R_FIELD_RELATED if p.fields else R_FIELD_RELATED_NONE_LISTED
        return CriterionResult(
            "field_of_study", "review", reason, {"required": required, "actual": p.fields}
        )
    reason = R_FIELD_NOT_MET if p.fields else R_FIELD_NONE_LISTED
    return CriterionResult(
        "field_of_study", "not_met", reason, {"required": required, "actual": p.fields}
    )


def _experience_result(e: _Experience, years: float | None) -> CriterionResult:
    criterion = f"{EXPERIENCE_PREFIX}{e.domain}"
    position, path, item = e.ref
    params: dict[str, Param] = {
        "domain": e.domain,
        "min_years": e.min_years,
        "position": position,
        "path": path,
        "item": item,
    }
    if e.preferred_years is not None:
        params["preferred_years"] = e.preferred_years
    if years is not None:
        params["years"] = years
    if e.optional:
        return CriterionResult(criterion, "info", R_EXPERIENCE_OPTIONAL, params)
    some = e.min_years <= 0  # experience required, no duration stated
    if years is None:
        reason = R_EXPERIENCE_SOME_NOT_DECLARED if some else R_EXPERIENCE_NOT_DECLARED
        return CriterionResult(criterion, "not_met", reason, params)
    if some and years <= 0:
        return CriterionResult(criterion, "not_met", R_EXPERIENCE_SOME_NONE, params)
    if years < e.min_years:
        return CriterionResult(criterion, "not_met", R_EXPERIENCE_NOT_MET, params)
    if e.preferred_years is not None and years < e.preferred_years:
        reason = R_EXPERIENCE_PREFERRED_ONLY if some else R_EXPERIENCE_BELOW_PREFERRED
        return CriterionResult(criterion, "met", reason, params)
    reason = R_EXPERIENCE_SOME if some else R_EXPERIENCE_MET
    return CriterionResult(criterion, "met", reason, params)


def _training_result(
    params: dict[str, Param], keys: tuple[str, str, str], value: bool | None
) -> CriterionResult:
    declared, not_met, not_declared = keys
    if value is True:
        return CriterionResult("special_training", "declared", declared, params)
    return CriterionResult(
        "special_training", "not_met", not_met if value is False else not_declared, params
    )


def _path_results(path: _Path, number: int, p: PreparedProfile) -> list[CriterionResult]:
    memo = path.memo
    key: object = ("education", p.level)
    education = memo.get(key) or memo.put(key, _education_result(path, p))
    key = ("fields", p.fields)
    fields = memo.get(key) or memo.put(key, _field_result(path, p))
    out = [education, fields]
    for e in path.experience:
        years = p.years.get(e.domain)
        key = (e.ref, years)
        out.append(memo.get(key) or memo.put(key, _experience_result(e, years)))
    if path.training:
        keys = (R_TRAINING_DECLARED, R_TRAINING_NOT_MET, R_TRAINING_NOT_DECLARED)
        out.append(_training_result({"position": number, "path": path.index}, keys, p.training))
    return out


def _licence_result(c: _Compiled, p: PreparedProfile) -> CriterionResult:
    if c.licence_any:
        if p.licences is None:
            return CriterionResult("driver_licence", "not_met", R_LICENCE_ANY_NOT_DECLARED, {})
        if not p.licences:
            return CriterionResult("driver_licence", "not_met", R_LICENCE_ANY_NONE, {})
        return CriterionResult(
            "driver_licence", "declared", R_LICENCE_ANY_DECLARED, {"actual": p.licences}
        )
    required = c.licences
    if p.licences is None:
        return CriterionResult(
            "driver_licence", "not_met", R_LICENCE_NOT_DECLARED, {"required": required}
        )
    direct = tuple(x for x in p.licences if x in c.licence_set)
    if direct:
        return CriterionResult(
            "driver_licence",
            "declared",
            R_LICENCE_DECLARED,
            {"required": required, "matched": direct},
        )
    if not c.licence_set.isdisjoint(p.licence_closure):
        implied = tuple(x for x in required if x in p.licence_closure)
        return CriterionResult(
            "driver_licence",
            "declared",
            R_LICENCE_IMPLIED,
            {"required": required, "actual": p.licences, "matched": implied},
        )
    if not p.licences:
        return CriterionResult("driver_licence", "not_met", R_LICENCE_NONE, {"required": required})
    return CriterionResult(
        "driver_licence",
        "not_met",
        R_LICENCE_NOT_MET,
        {"required": required, "actual": p.licences},
    )


def _global_results(
    c: _Compiled, p: PreparedProfile, out: list[CriterionResult]
) -> tuple[bool, bool]:
    """Append the non-path lines to ``out``; return (any not met, any declared)."""
    failed = declared = False
    if c.licences or c.licence_any:
        result = _licence_result(c, p)
        out.append(result)
        if result.status == "declared":
            declared = True
        else:
            failed = True
    for flag in c.flags:
        value = getattr(p, flag.attribute)
        yes_key, no_key, unknown_key = flag.keys
        if value is True:
            out.append(CriterionResult(flag.criterion, "declared", yes_key, flag.params))
            declared = True
        else:
            key = no_key if value is False else unknown_key
            out.append(CriterionResult(flag.criterion, "not_met", key, flag.params))
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
        self.domains: tuple[str, ...] = tuple(d.id for d in catalogue.experience_domains)
        self.tree = FieldTree.of(catalogue)
        self.ancestry: dict[str, frozenset[str]] = {
            code: self.tree.ancestry(code) for code in self.tree.entries
        }
        self.implications: dict[str, frozenset[str]] = {}
        for category in catalogue.driver_licence_categories:
            closure, todo = {category}, [category]
            while todo:
                for implied in catalogue.licence_implications.get(todo.pop(), []):
                    if implied not in closure:
                        closure.add(implied)
                        todo.append(implied)
            self.implications[category] = frozenset(closure)
        self._compiled: dict[int, _Compiled] = {
            p.number: _compile(p, p.criteria, self.ranks)
            for p in catalogue.positions
            if p.criteria is not None
        }

    def prepare(self, profile: Profile, mode: Mode = "screen") -> PreparedProfile:
        """Turn a profile into lookups.

        Years per domain: the profile's ``experience`` entry first; ``managerial`` falls back
        to ``years_managerial``; ``total`` to ``years_total``, else to the most years
        declared anywhere (work in a specialty is work). Every other domain falls back to
        ``years_in_specialty``: in ``screen`` mode (one position) that number means the
        years in the screened position's own line of work; in ``match`` mode (across
        positions) it counts only for positions that ask experience «по специальности».
        """
        fields = None if profile.fields_of_study is None else tuple(profile.fields_of_study)
        ancestry = tuple((f, self.ancestry.get(f, frozenset({f}))) for f in fields or ())
        closure: set[str] = set().union(*(above for _, above in ancestry))
        licences = None if profile.driver_licences is None else tuple(profile.driver_licences)
        licence_closure: set[str] = set()
        for c in licences or ():
            licence_closure |= self.implications.get(c, frozenset({c}))
        declared = dict(profile.experience or {})
        specialty = profile.years_in_specialty
        years: dict[str, float | None] = {}
        for domain in self.domains:
            value = declared.get(domain)
            if value is None:
                if domain == MANAGERIAL:
                    value = profile.years_managerial
                elif domain == TOTAL:
                    value = profile.years_total
                elif mode == "screen" or domain == SPECIALTY:
                    value = specialty
            years[domain] = value
        if years.get(TOTAL) is None:
            known = [
                v
                for v in (*declared.values(), specialty, profile.years_managerial)
                if v is not None
            ]
            years[TOTAL] = max(known) if known else None
        level = profile.education_level
        return PreparedProfile(
            level=level,
            rank=None if level is None else self.ranks.get(level),
            fields=fields,
            field_closure=frozenset(closure),
            field_ancestry=ancestry,
            years=years,
            licences=licences,
            licence_closure=frozenset(licence_closure),
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
        path, failures, reviews = _best_path(compiled, p)
        results = _path_results(path, compiled.number, p)
        failed, declared = _global_results(compiled, p, results)
        return ScreeningResult(
            position_number=compiled.number,
            verdict=_verdict(failed or failures > 0, declared or reviews > 0),
            criteria=tuple(results),
            chosen_path=path.index,
            other_paths=tuple(x.index for x in compiled.paths if x.index != path.index),
        )

    def verdict(self, position: Position, profile: Profile | PreparedProfile) -> Verdict:
        """The verdict of :meth:`screen` without building the per-criterion lines."""
        compiled = self._compiled_for(position)
        p = profile if isinstance(profile, PreparedProfile) else self.prepare(profile)
        return self._fast_verdict(compiled, p)

    @staticmethod
    def _fast_verdict(compiled: _Compiled, p: PreparedProfile) -> Verdict:
        _, failures, reviews = _best_path(compiled, p)
        failed, declared = _global_state(compiled, p)
        return _verdict(failed or failures > 0, declared or reviews > 0)

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
        """Positions the profile fits, years counted only in their own domain."""
        p = self.prepare(profile, mode="match")
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

    def screen_matched(self, position: Position, profile: Profile) -> ScreeningResult:
        """:meth:`screen` with years counted as :meth:`match` counts them."""
        return self.screen(position, self.prepare(profile, mode="match"))


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


def experience_question(domain: str) -> str:
    return f"{EXPERIENCE_PREFIX}{domain}"


def needed_questions(position: Position) -> list[str]:
    """The questions the position's criteria need, in asking order: education, fields,
    one years question per experience domain (in the seed's order; desirable ones are
    not asked), licences, then the yes/no questions."""
    criteria = position.criteria
    if criteria is None:
        return []
    head = ["education_level"]
    if any(path.fields is not None for path in criteria.paths):
        head.append("fields_of_study")
    years: list[str] = []
    for path in criteria.paths:
        for e in path.experience:
            key = experience_question(e.domain)
            if not e.optional and key not in years:
                years.append(key)
    tail: set[str] = set()
    if criteria.driver_licences or criteria.driver_licence_unspecified:
        tail.add("driver_licences")
    if criteria.security_clearance:
        tail.add("has_security_clearance")
    if criteria.medical_fitness:
        tail.add("medically_fit")
    if criteria.special_training is not None or any(
        path.special_training is not None for path in criteria.paths
    ):
        tail.add("special_training")
    return [*head, *years, *(key for key in QUESTION_ORDER_TAIL if key in tail)]
