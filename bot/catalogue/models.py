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


class FieldOfStudy(_Strict):
    id: str
    name: Text


class ExperienceDomain(_Strict):
    """What experience is counted in: ``specialty``, ``managerial`` or a named domain.

    ``managerial`` is answered by the profile's ``years_managerial``; every other domain by
    ``years_in_specialty`` (the questionnaire names the domain in its question).
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
    domain: str
    min_years: float = Field(ge=0, le=50)
    preferred_years: float | None = Field(default=None, ge=0, le=50)

    @model_validator(mode="after")
    def _preferred_not_below_min(self) -> ExperienceRequirement:
        if self.preferred_years is not None and self.preferred_years < self.min_years:
            raise ValueError("preferred_years is below min_years")
        return self


class Path(_Strict):
    """One way to qualify: a minimum education level, accepted fields, experience."""

    education_level: str
    # None means any field of study is accepted.
    fields: list[str] | None = None
    experience: list[ExperienceRequirement] = Field(default_factory=list)


class Criteria(_Strict):
    """Structured screening criteria; ``paths`` are alternatives (any one fully met)."""

    paths: list[Path] = Field(min_length=1)
    # Any one of these categories is enough; empty means no licence is required.
    driver_licences: list[str] = Field(default_factory=list)
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
