"""The applicant's self-declared profile that screening compares with a position's criteria.

Every key is optional: ``None`` (or a missing key) means «not declared», which is not the
same as a declared ``False`` / ``0`` / empty list. A criterion whose key is not declared is
not met. Ids (education level, fields of study, experience domains, licence categories)
are the catalogue's vocabulary ids; :func:`validate_profile_ids` checks them against a
loaded catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from bot.catalogue.models import Catalogue

MAX_YEARS = 60.0
Years = Annotated[float, Field(ge=0, le=MAX_YEARS)]

PROFILE_KEYS: tuple[str, ...] = (
    "education_level",
    "fields_of_study",
    "experience",
    "years_total",
    "years_in_specialty",
    "years_managerial",
    "driver_licences",
    "has_security_clearance",
    "medically_fit",
    "special_training",
)


class Profile(BaseModel):
    """What the applicant declared about themselves (``None`` = not declared)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    education_level: str | None = Field(
        default=None, description="Id of the highest education level completed."
    )
    fields_of_study: list[str] | None = Field(
        default=None, description="Ids of the fields of study of the applicant's diplomas."
    )
    experience: dict[str, Years] | None = Field(
        default=None,
        description="Years of work per experience domain (the catalogue's experience_domains).",
    )
    years_total: Years | None = Field(
        default=None, description="Total work experience, of any kind."
    )
    years_in_specialty: Years | None = Field(
        default=None,
        description="Years of work in the screened position's own line of work "
        "(an `experience` entry for that domain takes precedence).",
    )
    years_managerial: Years | None = Field(
        default=None, description="Years of work in managerial positions."
    )
    driver_licences: list[str] | None = Field(
        default=None, description='Driving licence categories held, e.g. "B", "C", "CE".'
    )
    has_security_clearance: bool | None = Field(
        default=None, description="Holds a clearance for work with state secrets."
    )
    medically_fit: bool | None = Field(
        default=None, description="Has (or expects) a medical certificate of fitness."
    )
    special_training: bool | None = Field(
        default=None, description="Has the special training / certificate the position asks for."
    )


def validate_profile_ids(profile: Profile, catalogue: Catalogue) -> list[str]:
    """Errors for ids the catalogue does not know (empty list: all ids are known)."""
    errors: list[str] = []
    levels = {level.id for level in catalogue.education_levels}
    fields = {f.id for f in catalogue.fields_of_study}
    licences = set(catalogue.driver_licence_categories)
    domains = {d.id for d in catalogue.experience_domains}
    for domain in profile.experience or {}:
        if domain not in domains:
            errors.append(f"experience: unknown domain id {domain!r}")
    if profile.education_level is not None and profile.education_level not in levels:
        errors.append(f"education_level: unknown id {profile.education_level!r}")
    for field in profile.fields_of_study or []:
        if field not in fields:
            errors.append(f"fields_of_study: unknown id {field!r}")
    for category in profile.driver_licences or []:
        if category not in licences:
            errors.append(f"driver_licences: unknown category {category!r}")
    return errors


EXPERIENCE_PREFIX = "experience:"  # a years question's key: experience:<domain id>
TOTAL_DOMAIN = "total"  # work experience of any kind, the seed naming no sphere


def profile_data(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The questionnaire's answers in the profile's keys: «experience:<domain>» answers
    become ``experience`` entries («experience:total» is ``years_total``); keys the profile
    does not know are dropped."""
    data: dict[str, Any] = {}
    experience: dict[str, Any] = dict(answers.get("experience") or {})
    for key, value in answers.items():
        if key.startswith(EXPERIENCE_PREFIX):
            domain = key.removeprefix(EXPERIENCE_PREFIX)
            if domain == TOTAL_DOMAIN:
                data["years_total"] = value
            else:
                experience[domain] = value
        elif key in PROFILE_KEYS and key != "experience":
            data[key] = value
    if experience:
        data["experience"] = experience
    return data
