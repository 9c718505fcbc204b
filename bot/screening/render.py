"""Localized one-line texts for screening results, for the applicant or for HR.

Every text is a key of ``bot/locales/<lang>/screening.ftl`` (to the applicant: «у вас»)
or ``screening_hr.ftl`` (to HR, about the candidate: «у кандидата»); the two files have
the same keys. Names of education levels, fields of study and experience domains come from
the catalogue; an experience requirement is named in its position's own words.
Marks: ✅ met, ❌ not met, ⚠️ declared or left for HR to judge, ℹ️ information.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

from bot.catalogue.models import Catalogue, ExperienceRequirement, Path, Position, Text
from bot.i18n import Translator
from bot.screening.engine import (
    NAMESPACE,
    TOTAL,
    CriterionResult,
    Param,
    ScreeningResult,
    get_screener,
)
from bot.screening.fields import FieldTree

Audience = Literal["applicant", "hr"]
HR_NAMESPACE = "screening_hr"
MARKS: Mapping[str, str] = {
    "met": "✅",
    "not_met": "❌",
    "declared": "⚠️",
    "review": "⚠️",
    "info": "ℹ️",
}
VERDICT_MARKS: Mapping[str, str] = {"meets": "✅", "partial": "⚠️", "does_not_meet": "❌"}


def field_tree(catalogue: Catalogue) -> FieldTree:
    """The catalogue's field tree (held by its cached screener)."""
    return get_screener(catalogue).tree


def _namespace(audience: Audience) -> str:
    return HR_NAMESPACE if audience == "hr" else NAMESPACE


def _t(translator: Translator, lang: str, key: str, audience: Audience, **params: object) -> str:
    return translator(lang, f"{_namespace(audience)}.{key}", **params)


def _name(items: Iterable[tuple[str, Text]], wanted: str, lang: str) -> str:
    for item_id, name in items:
        if item_id == wanted:
            return name.get(lang)
    return wanted


def level_name(catalogue: Catalogue, level_id: str, lang: str) -> str:
    return _name(((x.id, x.name) for x in catalogue.education_levels), level_id, lang)


def field_name(catalogue: Catalogue, field_id: str, lang: str) -> str:
    # «6B042 Право»: the official code, then the name.
    for f in catalogue.fields_of_study:
        if f.id == field_id:
            return f"{f.id} {f.name.get(lang)}"
    return field_id


def domain_name(catalogue: Catalogue, domain_id: str, lang: str) -> str:
    return _name(((x.id, x.name) for x in catalogue.experience_domains), domain_id, lang)


def requirement_words(
    catalogue: Catalogue, requirement: ExperienceRequirement | None, domain: str, lang: str
) -> str:
    """The requirement in its position's words, else the domain's name."""
    if requirement is not None and requirement.wording is not None:
        return requirement.wording.get(lang)
    return domain_name(catalogue, domain, lang)


def format_number(value: float) -> str:
    """3.0 → "3", 2.5 → "2,5" (both languages use a decimal comma)."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:g}".replace(".", ",")


def format_years(value: float, lang: str, translator: Translator, *, genitive: bool) -> str:
    """A number of years with the word in the right grammatical form (genitive after «at least»):
    the form is the language's CLDR plural category (``screening.years.gen`` / ``.nom``)."""
    if not float(value).is_integer():
        return translator.cached(lang, f"{NAMESPACE}.years.fraction", n=format_number(value))
    key = "years.gen" if genitive else "years.nom"
    return translator.cached(lang, f"{NAMESPACE}.{key}", n=int(value))


def _ids(value: Param | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, tuple | list):
        return [str(v) for v in value]
    return [str(value)]


def _position(catalogue: Catalogue, number: Param | None) -> Position | None:
    for position in catalogue.positions:
        if position.number == number:
            return position
    return None


def _path(catalogue: Catalogue, number: Param | None, index: Param | None) -> Path | None:
    position = _position(catalogue, number)
    if position is None or position.criteria is None or not isinstance(index, int):
        return None
    paths = position.criteria.paths
    return paths[index] if 0 <= index < len(paths) else None


def _requirement(catalogue: Catalogue, params: Mapping[str, Param]) -> ExperienceRequirement | None:
    path = _path(catalogue, params.get("position"), params.get("path"))
    item = params.get("item")
    if path is None or not isinstance(item, int) or not 0 <= item < len(path.experience):
        return None
    return path.experience[item]


def fields_text(
    catalogue: Catalogue, codes: Iterable[str], lang: str, translator: Translator
) -> str:
    # Every code, grouped by its area: «6B04 Бизнес, управление и право: 6B042 Право; …»;
    # an area accepted whole reads «6B07 … (любое направление)».
    tree = field_tree(catalogue)
    parts = []
    for area, items in tree.group_by_area(codes):
        area_name = field_name(catalogue, area, lang)
        if not items:
            parts.append(translator(lang, f"{NAMESPACE}.list.whole_area", area=area_name))
        else:
            names = ", ".join(field_name(catalogue, code, lang) for code in items)
            parts.append(f"{area_name}: {names}")
    return "; ".join(parts) if parts else translator(lang, f"{NAMESPACE}.value.empty")


def _names(catalogue: Catalogue, codes: Iterable[str], lang: str, translator: Translator) -> str:
    names = [field_name(catalogue, code, lang) for code in codes]
    return ", ".join(names) if names else translator(lang, f"{NAMESPACE}.value.empty")


def _years(value: Param, lang: str, translator: Translator, *, genitive: bool) -> str:
    if isinstance(value, int | float):
        return format_years(float(value), lang, translator, genitive=genitive)
    return str(value)


def _criterion_params(
    result: CriterionResult, lang: str, translator: Translator, catalogue: Catalogue
) -> dict[str, str]:
    params = result.params
    out: dict[str, str] = {}
    kind = result.criterion.split(":", 1)[0]
    if kind == "education":
        for key in ("required", "actual"):
            if key in params:
                out[key] = level_name(catalogue, str(params[key]), lang)
    elif kind == "field_of_study":
        if "required" in params:
            required = _ids(params["required"])
            if result.reason.endswith(".any"):
                out["required"] = level_name(catalogue, str(params["required"]), lang)
            else:
                out["required"] = fields_text(catalogue, required, lang, translator)
        for key in ("actual", "matched"):
            if key in params:
                out[key] = _names(catalogue, _ids(params[key]), lang, translator)
        if "actual" in params and not _ids(params["actual"]):
            out["actual"] = translator(lang, f"{NAMESPACE}.value.not_listed")
    elif kind == "experience":
        domain = str(params.get("domain", ""))
        out["domain"] = requirement_words(catalogue, _requirement(catalogue, params), domain, lang)
        if "min_years" in params:
            out["min_years"] = _years(params["min_years"], lang, translator, genitive=True)
        for key in ("preferred_years", "years"):
            if key in params:
                out[key] = _years(params[key], lang, translator, genitive=False)
        if "years" not in params:
            out["years"] = translator(lang, f"{NAMESPACE}.value.not_asked")
        if "preferred_years" not in params:
            out["preferred_years"] = out.get("min_years", "")
    elif kind == "driver_licence":
        for key in ("required", "actual", "matched"):
            if key in params:
                out[key] = ", ".join(_ids(params[key])) or translator(
                    lang, f"{NAMESPACE}.value.empty"
                )
    elif kind == "special_training":
        training: Text | None = None
        if "path" in params:
            path = _path(catalogue, params.get("position"), params.get("path"))
            training = path.special_training if path is not None else None
        else:
            position = _position(catalogue, params.get("position"))
            if position is not None and position.criteria is not None:
                training = position.criteria.special_training
        out["training"] = training.get(lang) if training is not None else "—"
    elif kind == "optional":
        position = _position(catalogue, params.get("position"))
        index = params.get("index")
        items = [] if position is None or position.criteria is None else position.criteria.optional
        text = "—"
        if isinstance(index, int) and 0 <= index < len(items):
            text = items[index].get(lang)
        out["text"] = text
    return out


def _reason_key(result: CriterionResult, audience: Audience) -> str:
    if audience == "hr" and result.reason.startswith(f"{NAMESPACE}."):
        return HR_NAMESPACE + result.reason[len(NAMESPACE) :]
    return result.reason


def render_reason(
    result: CriterionResult,
    lang: str,
    translator: Translator,
    catalogue: Catalogue,
    audience: Audience = "applicant",
) -> str:
    """The localized reason without its mark."""
    lang = translator.lang_or_default(lang)
    params = _criterion_params(result, lang, translator, catalogue)
    return translator(lang, _reason_key(result, audience), **params)


def render_criterion(
    result: CriterionResult,
    lang: str,
    translator: Translator,
    catalogue: Catalogue,
    audience: Audience = "applicant",
) -> str:
    """One localized line with its mark: the mark, a space, the localized reason."""
    text = render_reason(result, lang, translator, catalogue, audience)
    return f"{MARKS[result.status]} {text}"


def render_verdict(
    result: ScreeningResult,
    lang: str,
    translator: Translator,
    catalogue: Catalogue,
    audience: Audience = "applicant",
) -> str:
    """The verdict line with its mark and the position's title."""
    lang = translator.lang_or_default(lang)
    position = _position(catalogue, result.position_number)
    title = position.title.get(lang) if position is not None else str(result.position_number)
    text = _t(translator, lang, f"verdict.{result.verdict}", audience, title=title)
    return f"{VERDICT_MARKS[result.verdict]} {text}"


def describe_path(catalogue: Catalogue, path: Path, lang: str, translator: Translator) -> str:
    """A path in one line: level, fields in short, experience, training."""

    def t(key: str, **params: object) -> str:
        return translator(lang, f"{NAMESPACE}.path.{key}", **params)

    parts = [level_name(catalogue, path.education_level, lang)]
    if path.fields is not None:
        parts.append(t("fields_related" if path.fields_related else "fields"))
    for e in path.experience:
        words = requirement_words(catalogue, e, e.domain, lang)
        if e.domain == TOTAL:
            words = domain_name(catalogue, TOTAL, lang)
        if e.optional:
            parts.append(t("experience_optional", domain=words))
        elif e.min_years <= 0:
            parts.append(t("experience_some", domain=words))
        else:
            years = format_years(e.min_years, lang, translator, genitive=True)
            parts.append(t("experience", domain=words, min_years=years))
    if path.special_training is not None:
        parts.append(t("training", training=path.special_training.get(lang)))
    return "; ".join(parts)


def render_result(
    result: ScreeningResult,
    lang: str,
    translator: Translator,
    catalogue: Catalogue,
    audience: Audience = "applicant",
) -> list[str]:
    """The verdict, which alternative was assessed and the others in one line, every line."""
    lang = translator.lang_or_default(lang)
    lines = [render_verdict(result, lang, translator, catalogue, audience)]
    position = _position(catalogue, result.position_number)
    if position is not None and position.criteria is not None and len(position.criteria.paths) > 1:
        paths = position.criteria.paths
        note = _t(
            translator,
            lang,
            "path.chosen",
            audience,
            index=result.chosen_path + 1,
            count=len(paths),
        )
        lines.append(f"{MARKS['info']} {note}")
    lines.extend(
        render_criterion(r, lang, translator, catalogue, audience) for r in result.criteria
    )
    if position is not None and position.criteria is not None and result.other_paths:
        others = " | ".join(
            f"{i + 1}) {describe_path(catalogue, position.criteria.paths[i], lang, translator)}"
            for i in result.other_paths
        )
        lines.append(
            f"{MARKS['info']} {_t(translator, lang, 'path.others', audience, paths=others)}"
        )
    return lines


def suggestion_reason(
    result: ScreeningResult, lang: str, translator: Translator, catalogue: Catalogue
) -> str:
    """Why a position is suggested: what of the applicant's answers fits, and what HR check."""
    fits: list[str] = []
    checks: list[str] = []
    for r in result.criteria:
        kind = r.criterion.split(":", 1)[0]
        if r.status == "met" and kind in {"education", "field_of_study", "experience"}:
            label = translator(lang, f"{NAMESPACE}.why.{kind}")
            if label not in fits:
                fits.append(label)
        elif r.status in {"declared", "review"}:
            label = translator(lang, f"{NAMESPACE}.why.check.{kind}")
            if label not in checks:
                checks.append(label)
    text = translator(lang, f"{NAMESPACE}.why.fits", items=", ".join(fits)) if fits else ""
    if checks:
        more = translator(lang, f"{NAMESPACE}.why.checks", items=", ".join(checks))
        text = f"{text}; {more}" if text else more
    return text


__all__ = [
    "MARKS",
    "VERDICT_MARKS",
    "Audience",
    "describe_path",
    "domain_name",
    "field_name",
    "field_tree",
    "fields_text",
    "format_number",
    "format_years",
    "level_name",
    "render_criterion",
    "render_reason",
    "render_result",
    "render_verdict",
    "requirement_words",
    "suggestion_reason",
]
