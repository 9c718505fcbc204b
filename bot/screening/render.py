"""Localized one-line texts for screening results.

Every text is a key of ``bot/locales/<lang>/screening.json``; the names of education
levels, fields of study and experience domains come from the catalogue (``Text.get``).
Marks: ✅ met, ❌ not met, ⚠️ declared (HR verifies), ℹ️ information.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.catalogue.models import Catalogue, Position, Text
from bot.i18n import Translator
from bot.screening.engine import NAMESPACE, CriterionResult, Param, ScreeningResult

MARKS: Mapping[str, str] = {"met": "✅", "not_met": "❌", "declared": "⚠️", "info": "ℹ️"}
VERDICT_MARKS: Mapping[str, str] = {"meets": "✅", "partial": "⚠️", "does_not_meet": "❌"}
# Long lists of accepted fields are cut after this many names ("… and N more").
MAX_LISTED = 8


def _t(translator: Translator, lang: str, key: str, **params: object) -> str:
    return translator(lang, f"{NAMESPACE}.{key}", **params)


def _name(items: Iterable[tuple[str, Text]], wanted: str, lang: str) -> str:
    for item_id, name in items:
        if item_id == wanted:
            return name.get(lang)
    return wanted


def level_name(catalogue: Catalogue, level_id: str, lang: str) -> str:
    return _name(((x.id, x.name) for x in catalogue.education_levels), level_id, lang)


def field_name(catalogue: Catalogue, field_id: str, lang: str) -> str:
    return _name(((x.id, x.name) for x in catalogue.fields_of_study), field_id, lang)


def domain_name(catalogue: Catalogue, domain_id: str, lang: str) -> str:
    return _name(((x.id, x.name) for x in catalogue.experience_domains), domain_id, lang)


def format_number(value: float) -> str:
    """3.0 → "3", 2.5 → "2,5" (both languages use a decimal comma)."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:g}".replace(".", ",")


def format_years(value: float, lang: str, translator: Translator, *, genitive: bool) -> str:
    """A number of years with the word in the right grammatical form (genitive after «at least»)."""
    text = format_number(value)
    if not float(value).is_integer():
        return _t(translator, lang, "years.fraction", n=text)
    n = int(value)
    one = n % 10 == 1 and n % 100 != 11
    few = 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14
    if genitive:
        key = "years.gen.one" if one else "years.gen.many"
    else:
        key = "years.nom.one" if one else "years.nom.few" if few else "years.nom.many"
    return _t(translator, lang, key, n=text)


def _join(names: list[str], lang: str, translator: Translator) -> str:
    if not names:
        return _t(translator, lang, "value.empty")
    if len(names) > MAX_LISTED:
        rest = _t(translator, lang, "list.more", count=len(names) - MAX_LISTED)
        return ", ".join(names[:MAX_LISTED]) + " " + rest
    return ", ".join(names)


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
        for key in ("required", "actual", "matched"):
            if key in params:
                names = [field_name(catalogue, f, lang) for f in _ids(params[key])]
                out[key] = _join(names, lang, translator)
    elif kind == "experience":
        out["domain"] = domain_name(catalogue, str(params.get("domain", "")), lang)
        if "min_years" in params:
            out["min_years"] = _years(params["min_years"], lang, translator, genitive=True)
        for key in ("preferred_years", "years"):
            if key in params:
                out[key] = _years(params[key], lang, translator, genitive=False)
    elif kind == "driver_licence":
        for key in ("required", "actual", "matched"):
            if key in params:
                out[key] = _join(_ids(params[key]), lang, translator)
    elif kind == "special_training":
        position = _position(catalogue, params.get("position"))
        training = (
            None
            if position is None or position.criteria is None
            else (position.criteria.special_training)
        )
        out["training"] = training.get(lang) if training is not None else "—"
    elif kind == "optional":
        position = _position(catalogue, params.get("position"))
        index = params.get("index")
        items = (
            [] if position is None or position.criteria is None else (position.criteria.optional)
        )
        text = "—"
        if isinstance(index, int) and 0 <= index < len(items):
            text = items[index].get(lang)
        out["text"] = text
    return out


def _years(value: Param, lang: str, translator: Translator, *, genitive: bool) -> str:
    if isinstance(value, int | float):
        return format_years(float(value), lang, translator, genitive=genitive)
    return str(value)


def render_criterion(
    result: CriterionResult, lang: str, translator: Translator, catalogue: Catalogue
) -> str:
    """One localized line with its mark: the mark, a space, the localized reason."""
    lang = translator.lang_or_default(lang)
    text = translator(lang, result.reason, **_criterion_params(result, lang, translator, catalogue))
    return f"{MARKS[result.status]} {text}"


def render_reason(
    result: CriterionResult, lang: str, translator: Translator, catalogue: Catalogue
) -> str:
    """The localized reason without its mark."""
    lang = translator.lang_or_default(lang)
    return translator(lang, result.reason, **_criterion_params(result, lang, translator, catalogue))


def render_verdict(
    result: ScreeningResult, lang: str, translator: Translator, catalogue: Catalogue
) -> str:
    """The verdict line with its mark and the position's title."""
    lang = translator.lang_or_default(lang)
    position = _position(catalogue, result.position_number)
    title = position.title.get(lang) if position is not None else str(result.position_number)
    text = _t(translator, lang, f"verdict.{result.verdict}", title=title)
    return f"{VERDICT_MARKS[result.verdict]} {text}"


def render_result(
    result: ScreeningResult, lang: str, translator: Translator, catalogue: Catalogue
) -> list[str]:
    """The verdict, which alternative was assessed (when there are several), every line."""
    lang = translator.lang_or_default(lang)
    lines = [render_verdict(result, lang, translator, catalogue)]
    position = _position(catalogue, result.position_number)
    if position is not None and position.criteria is not None and len(position.criteria.paths) > 1:
        count = len(position.criteria.paths)
        note = _t(translator, lang, "path.chosen", index=result.chosen_path + 1, count=count)
        lines.append(f"{MARKS['info']} {note}")
    lines.extend(render_criterion(r, lang, translator, catalogue) for r in result.criteria)
    return lines
