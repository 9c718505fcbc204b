"""Typed model of ``data/positions.json`` — the vacancy catalogue and its screening criteria.

The file is validated once at start-up; a bad file stops the bot with an error that names
the position (by its seed number) and the field.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Lang = Literal["kk", "ru"]
LANGS: tuple[Lang, ...] = ("kk", "ru")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A text in both languages of the service."""

    kk: str = Field(min_length=1)
    ru: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.kk if lang == "kk" else self.ru


class EducationLevel(_Strict):
    """An education level; the list order in the file is the rank (lowest first)."""

    id: str
    name: Text


class Keywords(_Strict):
    """Words people call a field by (a lawyer, a fireman), matched as word prefixes."""

    kk: list[str] = Field(default_factory=list)
    ru: list[str] = Field(default_factory=list)


class FieldOfStudy(_Strict):
    """An entry of Kazakhstan's classifier of training directions (ISCED-F 2013 based).

    ``id`` is the official code: an area («6B07»), a direction inside it («6B071») or a
    group of educational programmes inside a direction («B064»); ``parent`` is the code of
    the entry it belongs to. A position that accepts an entry accepts everything below it.
    """

    id: str
    name: Text
    parent: str | None = None
    keywords: Keywords = Field(default_factory=Keywords)


class ExperienceDomain(_Strict):
    """What experience is counted in: ``specialty``, ``managerial`` or a named domain.

    ``managerial`` is answered by the profile's ``years_managerial``, ``total`` (work
    experience of any kind, «стаж работы» without «по специальности») by ``years_total``,
    every domain by its entry of ``experience`` (see :mod:`bot.screening.profile`).
    """

    id: str
    name: Text


class SubDepartment(_Strict):
    id: str
    name: Text


class Department(_Strict):
    id: str
    name: Text
    subdepartments: list[SubDepartment] = Field(default_factory=list)


class Sections(_Strict):
    """The requirement sections of the seed, as clean text."""

    education: Text
    experience: Text
    competences: Text
    optional: Text | None = None


class ExperienceRequirement(_Strict):
    """Experience in one domain. ``wording`` is the position's own words for it (asked and
    shown as the seed puts it); ``optional`` («желательно») items never fail anyone."""

    domain: str
    min_years: float = Field(ge=0, le=50)
    preferred_years: float | None = Field(default=None, ge=0, le=50)
    wording: Text | None = None
    optional: bool = False

    @model_validator(mode="after")
    def _preferred_not_below_min(self) -> ExperienceRequirement:
        if self.preferred_years is not None and self.preferred_years < self.min_years:
            raise ValueError("preferred_years is below min_years")
        return self


class FieldQuote(_Strict):
    """Where a path's accepted fields come from: the seed's words and the codes they mean."""

    kk: str | None = None
    ru: str | None = None
    codes: list[str] = Field(default_factory=list)


class Path(_Strict):
    """One way to qualify: a minimum education level, accepted fields, experience, and
    the training this way asks for (position 2: compliance training on its second path)."""

    education_level: str
    # None means any field of study is accepted.
    fields: list[str] | None = None
    # The seed's «или другие смежные»: a field outside the list is for HR to judge.
    fields_related: bool = False
    field_quotes: list[FieldQuote] = Field(default_factory=list)
    experience: list[ExperienceRequirement] = Field(default_factory=list)
    special_training: Text | None = None


class Criteria(_Strict):
    """Structured screening criteria; ``paths`` are alternatives (any one fully met)."""

    paths: list[Path] = Field(min_length=1)
    # Any one of these categories is enough; empty means no licence is required, unless
    # ``driver_licence_unspecified``: a licence is required but the seed names no category.
    driver_licences: list[str] = Field(default_factory=list)
    driver_licence_unspecified: bool = False
    security_clearance: bool = False
    medical_fitness: bool = False
    special_training: Text | None = None
    # «желательно» items: shown, never fail anyone.
    optional: list[Text] = Field(default_factory=list)


class Position(_Strict):
    number: int = Field(ge=1)
    # The Russian heading's number where it differs from the Kazakh one (42 is headed 43).
    number_ru: int | None = None
    department: str
    subdepartment: str | None = None
    title: Text
    headcount: int = Field(ge=1)
    sections: Sections
    criteria: Criteria | None = None


class Catalogue(_Strict):
    version: int = 1
    education_levels: list[EducationLevel] = Field(min_length=1)
    fields_of_study: list[FieldOfStudy] = Field(default_factory=list)
    experience_domains: list[ExperienceDomain] = Field(default_factory=list)
    driver_licence_categories: list[str] = Field(default_factory=list)
    # Category → the categories its holder may also drive (Kazakhstan's rules).
    licence_implications: dict[str, list[str]] = Field(default_factory=dict)
    departments: list[Department] = Field(min_length=1)
    positions: list[Position] = Field(min_length=1)

    @model_validator(mode="after")
    def _references_resolve(self) -> Catalogue:
        errors: list[str] = []
        numbers: set[int] = set()
        departments = {d.id: {s.id for s in d.subdepartments} for d in self.departments}
        levels = {lvl.id for lvl in self.education_levels}
        fields = {f.id for f in self.fields_of_study}
        domains = {d.id for d in self.experience_domains}
        licences = set(self.driver_licence_categories)
        for entry in self.fields_of_study:
            if entry.parent is not None and entry.parent not in fields:
                errors.append(f"fields_of_study: {entry.id}: unknown parent {entry.parent!r}")
        for category, implied in self.licence_implications.items():
            for c in [category, *implied]:
                if c not in licences:
                    errors.append(f"licence_implications: unknown category {c!r}")
        for p in self.positions:
            where = f"position {p.number}"
            if p.number in numbers:
                errors.append(f"{where}: number: duplicate")
            numbers.add(p.number)
            if p.department not in departments:
                errors.append(f"{where}: department: unknown id {p.department!r}")
            elif p.subdepartment is not None and p.subdepartment not in departments[p.department]:
                errors.append(f"{where}: subdepartment: unknown id {p.subdepartment!r}")
            if p.criteria is None:
                continue
            for i, path in enumerate(p.criteria.paths):
                if path.education_level not in levels:
                    errors.append(
                        f"{where}: criteria.paths[{i}].education_level: "
                        f"unknown id {path.education_level!r}"
                    )
                for f in path.fields or []:
                    if f not in fields:
                        errors.append(f"{where}: criteria.paths[{i}].fields: unknown id {f!r}")
                for q in path.field_quotes:
                    for f in q.codes:
                        if f not in fields:
                            errors.append(
                                f"{where}: criteria.paths[{i}].field_quotes: unknown id {f!r}"
                            )
                for e in path.experience:
                    if e.domain not in domains:
                        errors.append(
                            f"{where}: criteria.paths[{i}].experience.domain: "
                            f"unknown id {e.domain!r}"
                        )
            for c in p.criteria.driver_licences:
                if c not in licences:
                    errors.append(f"{where}: criteria.driver_licences: unknown category {c!r}")
        if errors:
            raise ValueError("; ".join(errors))
        return self
