"""The Fluent catalogues: both languages have the same messages, the same variables and the
plural forms of their language; every key the code uses exists with the variables it passes;
every key built at run time is enumerated here; no Cyrillic text in Python."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import get_args

import babel
import pytest
from fluent.syntax import FluentParser
from fluent.syntax import ast as ftl
from fluent.syntax.visitor import Visitor

from bot.i18n import LOCALES_DIR, SUPPORTED_LANGS, Translator, split_key

BOT_DIR = Path(__file__).resolve().parents[1] / "bot"
CLDR_CATEGORIES = {"zero", "one", "two", "few", "many", "other"}


@cache
def catalogue(lang: str) -> dict[str, dict[str, ftl.Message]]:
    """namespace → message id → message, parsed with fluent.syntax."""
    files: dict[str, dict[str, ftl.Message]] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.ftl")):
        resource = FluentParser().parse(path.read_text(encoding="utf-8"))
        junk = [e for e in resource.body if isinstance(e, ftl.Junk)]
        assert not junk, f"{path}: {junk[0].annotations[0].message}: {junk[0].content[:80]!r}"
        messages: dict[str, ftl.Message] = {}
        for entry in resource.body:
            if isinstance(entry, ftl.Message):
                assert entry.id.name not in messages, f"{path}: {entry.id.name} twice"
                messages[entry.id.name] = entry
        files[path.stem] = messages
    return files


def plural_categories(lang: str) -> set[str]:
    return set(babel.Locale.parse(lang).plural_form.tags) | {"other"}


class _Walk(Visitor):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.variables: set[str] = set()
        self.selects: list[ftl.SelectExpression] = []

    def visit_VariableReference(self, node: ftl.VariableReference) -> None:
        self.variables.add(node.id.name)
        self.generic_visit(node)

    def visit_SelectExpression(self, node: ftl.SelectExpression) -> None:
        self.selects.append(node)
        self.generic_visit(node)


def walk(message: ftl.Message) -> _Walk:
    visitor = _Walk()
    visitor.visit(message)
    return visitor


def _selector_variable(select: ftl.SelectExpression) -> str | None:
    selector = select.selector
    if isinstance(selector, ftl.FunctionReference) and selector.id.name == "NUMBER":
        selector = selector.arguments.positional[0]
    return selector.id.name if isinstance(selector, ftl.VariableReference) else None


def plural_selects(message: ftl.Message) -> dict[str, set[str]]:
    """Variable → the CLDR categories its plural selects offer (a select is a plural one when a
    variant key is a CLDR category name; numeric keys such as ``[0]`` are extra, not counted)."""
    found: dict[str, set[str]] = {}
    for select in walk(message).selects:
        names = {v.key.name for v in select.variants if isinstance(v.key, ftl.Identifier)}
        if not names & CLDR_CATEGORIES:
            continue
        variable = _selector_variable(select)
        assert variable is not None, f"{message.id.name}: a plural select needs a variable"
        assert names <= CLDR_CATEGORIES, f"{message.id.name}: {names - CLDR_CATEGORIES}"
        found.setdefault(variable, set()).update(names)
        default = next(v for v in select.variants if v.default)
        assert isinstance(default.key, ftl.Identifier) and default.key.name in {"other", "many"}, (
            f"{message.id.name}: the default variant should be [other] (or [many] in Russian)"
        )
    return found


def all_messages(lang: str) -> Iterator[tuple[str, str, ftl.Message]]:
    for namespace, messages in catalogue(lang).items():
        for fluent_id, message in messages.items():
            yield namespace, fluent_id, message


# ----------------------------------------------------------------------------- parity


def test_no_json_locale_files_left() -> None:
    leftovers = sorted(str(p.relative_to(LOCALES_DIR)) for p in LOCALES_DIR.glob("*/*.json"))
    assert not leftovers, f"convert them: python scripts/json_to_ftl.py ({leftovers})"


def test_same_files_in_each_language() -> None:
    names = {lang: sorted(catalogue(lang)) for lang in SUPPORTED_LANGS}
    assert names["kk"] == names["ru"]
    assert len(names["ru"]) > 5


def test_every_language_has_every_message() -> None:
    kk, ru = catalogue("kk"), catalogue("ru")
    for namespace in ru:
        assert set(kk[namespace]) == set(ru[namespace]), (
            namespace,
            set(kk[namespace]) ^ set(ru[namespace]),
        )
    assert sum(len(m) for m in ru.values()) > 20


def test_variables_match() -> None:
    kk = catalogue("kk")
    for namespace, fluent_id, message in all_messages("ru"):
        ru_vars = walk(message).variables
        kk_vars = walk(kk[namespace][fluent_id]).variables
        assert ru_vars == kk_vars, f"{namespace}.{fluent_id}: kk {kk_vars}, ru {ru_vars}"


def test_messages_have_a_value_and_no_terms_across_files() -> None:
    for lang in SUPPORTED_LANGS:
        for namespace, fluent_id, message in all_messages(lang):
            assert message.value is not None, f"{lang}/{namespace}.ftl: {fluent_id} has no value"


def test_plural_forms_are_the_languages_cldr_categories() -> None:
    """Where a message chooses words by a count, each language offers all its CLDR categories
    (ru: one, few, many, other; kk: one, other), and both languages pluralise the same count."""
    kk = catalogue("kk")
    plural_messages = 0
    for namespace, fluent_id, message in all_messages("ru"):
        ru_plurals = plural_selects(message)
        kk_plurals = plural_selects(kk[namespace][fluent_id])
        where = f"{namespace}.{fluent_id}"
        assert set(ru_plurals) == set(kk_plurals), f"{where}: kk {kk_plurals}, ru {ru_plurals}"
        for variable in ru_plurals:
            assert ru_plurals[variable] == plural_categories("ru"), (where, variable)
            assert kk_plurals[variable] == plural_categories("kk"), (where, variable)
        plural_messages += bool(ru_plurals)
    assert plural_categories("ru") == {"one", "few", "many", "other"}
    assert plural_categories("kk") == {"one", "other"}
    assert plural_messages >= 9


@pytest.mark.parametrize("lang", SUPPORTED_LANGS)
def test_plural_messages_format_for_every_count(lang: str) -> None:
    """Each plural message formats without errors for counts of every category."""
    translator = Translator()
    for namespace, fluent_id, message in all_messages(lang):
        plurals = plural_selects(message)
        if not plurals:
            continue
        variables = walk(message).variables
        key = f"{namespace}.{fluent_id.replace('-', '.')}"
        for n in (0, 1, 2, 5, 11, 21, 22, 25, 101, 341, 1234):
            params: dict[str, object] = {v: "x" for v in variables}
            params.update(dict.fromkeys(plurals, n))
            text = translator(lang, key, **params)
            assert str(n) in text, (key, n, text)


def test_cached_texts_are_the_same_texts_and_the_memo_stays_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import bot.i18n

    translator = Translator()
    for lang in SUPPORTED_LANGS:
        for n in (1, 2, 5, 21):
            for key in ("screening.years.gen", "questionnaire.done"):
                params = {"n": n} if key.startswith("screening") else {"count": n}
                assert translator.cached(lang, key, **params) == translator(lang, key, **params)
                assert translator.cached(lang, key, **params) == translator(lang, key, **params)
    monkeypatch.setattr(bot.i18n, "MEMO_SIZE", 3)
    for n in range(10):
        translator.cached("ru", "screening.years.gen", n=n)
    assert len(translator._memo) <= 3
    assert translator.cached("ru", "screening.years.gen", n=5) == "5 лет"


# ------------------------------------------------------------------------- the callers

# A module constant that names a key's namespace: f"{NAMESPACE}.why.fits" is screening.why.fits.
PREFIXES = {"{NAMESPACE}": "screening", "{NS}": "criteria_sheet"}
# Helpers that prefix the key they are given: (module, function) → the prefixes.
HELPERS: dict[tuple[str, str], tuple[str, ...]] = {
    ("screening/render.py", "_t"): ("screening.", "screening_hr."),
    ("screening/render.py", "t"): ("screening.path.",),
    ("screening/criteria_sheet.py", "_t"): ("criteria_sheet.",),
}
# The helpers' own bodies (the key is their parameter, checked at their callers).
HELPER_BODIES = {
    ("screening/render.py", "{_namespace(audience)}.*"),
    ("screening/render.py", "screening.path.*"),
    ("screening/criteria_sheet.py", "criteria_sheet.*"),
}
# Calls whose string argument looks like a key but is a name (a router's).
NOT_KEY_CALLEES = {"hr_router", "Router", "ForeignKey"}  # ForeignKey("slots.id"): a column
_KEY = re.compile(r"[a-z_]+(\.[a-z0-9_*]+)+")


def _source(arg: ast.expr) -> str:
    """A key argument as text, each f-string placeholder as * (module prefixes resolved)."""
    if isinstance(arg, ast.Constant):
        return str(arg.value)
    assert isinstance(arg, ast.JoinedStr)
    parts = []
    for value in arg.values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value))
        else:
            assert isinstance(value, ast.FormattedValue)
            text = "{" + ast.unparse(value.value) + "}"
            parts.append(PREFIXES.get(text, text if not parts and "(" in text else "*"))
    return "".join(parts)


def _callee(call: ast.Call) -> str:
    func = call.func
    return (
        func.id
        if isinstance(func, ast.Name)
        else func.attr
        if isinstance(func, ast.Attribute)
        else ""
    )


def _key_uses() -> Iterator[tuple[str, str, ast.Call, bool]]:
    """(where, key or pattern with *, the call, built at run time) for every key in bot/."""
    namespaces = set(catalogue("ru"))
    for path in sorted(BOT_DIR.rglob("*.py")):
        module = str(path.relative_to(BOT_DIR))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            if _callee(node) in NOT_KEY_CALLEES:
                continue
            prefixes = HELPERS.get((module, _callee(node)), ("",))
            for arg in node.args:
                if not isinstance(arg, ast.JoinedStr) and not (
                    isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                ):
                    continue
                text = _source(arg)
                if (module, text) in HELPER_BODIES:
                    continue
                for prefix in prefixes:
                    key = prefix + text
                    if _KEY.fullmatch(key) and key.split(".")[0] in namespaces:
                        dynamic = isinstance(arg, ast.JoinedStr) and "*" in key
                        yield f"{module}:{node.lineno}", key, node, dynamic


def _message(key: str, lang: str = "ru") -> ftl.Message | None:
    namespace, fluent_id = split_key(key)
    return catalogue(lang).get(namespace, {}).get(fluent_id)


def test_every_literal_key_exists_with_the_variables_it_is_given() -> None:
    problems = []
    count = 0
    for where, key, call, dynamic in _key_uses():
        if dynamic:
            continue
        count += 1
        message = _message(key)
        if message is None:
            problems.append(f"{where}: {key} missing")
            continue
        if any(k.arg is None for k in call.keywords):  # **params: not checkable here
            continue
        passed = {k.arg for k in call.keywords if k.arg}
        needed = walk(message).variables
        if needed - passed:
            problems.append(f"{where}: {key} needs {sorted(needed - passed)}")
    assert not problems, problems
    assert count > 200


def _codes(*callees: str) -> set[str]:
    """The string literals passed first to these callables anywhere in bot/ (error codes)."""
    found = set()
    for path in BOT_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _callee(node) in callees and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
    assert found, callees
    return found


# Every key built at run time, as the code writes it (each {…} as *), with the values it can
# take. A new f-string key fails test_every_runtime_key_is_enumerated until it is listed here.
def _runtime_keys() -> dict[str, set[str]]:
    from bot.app import COMMANDS
    from bot.db.models import ApplicationStatus, BroadcastStatus, StageResultKind
    from bot.dialogs.application.dialog import STEPS
    from bot.keyboards.callbacks import BookingAction, RejectReason
    from bot.keyboards.hr import _ACTIONS
    from bot.screening.criteria_sheet import HEADER_KEYS
    from bot.screening.engine import Verdict
    from bot.screening.profile import PROFILE_KEYS
    from bot.services.broadcasts import KINDS
    from bot.services.export import COLUMNS
    from bot.services.funnel import Step
    from bot.services.hr import Outcome
    from bot.services.stats import SOURCE_STEPS, Period

    statuses = {s.value for s in ApplicationStatus}
    periods = {p.value for p in Period}
    verdicts = set(get_args(Verdict))
    # Criteria an applicant declares or HR reviews (education and experience are judged).
    checked = _codes("CriterionResult", "_Flag") - {"education", "optional"}
    return {
        "commands.*": set(COMMANDS),
        "application.status.*": statuses,
        "application.error.*": _codes("InputError", "again"),
        "application.ask.*": set(STEPS),
        "application.edit.*": set(STEPS),
        "broadcast.error.*": _codes("ScheduleError"),
        "broadcast.kind.*": set(KINDS),
        "broadcast.status.*": {s.value for s in BroadcastStatus},
        "hr_tools.stats.period.*": periods,
        "hr_tools.stats.button.*": periods,
        "hr_tools.stats.step.*": {s.value for s in Step},
        "hr_tools.stats.short.*": {s.value for s in Step} - {Step.started.value},
        "sources.stats.step.*": {s.value for s in SOURCE_STEPS},
        "hr_tools.status.*": statuses,
        "hr_tools.verdict.*": verdicts,
        "hr_tools.reject_reason.*": {r.value for r in RejectReason},
        "hr_tools.export.column.*": set(COLUMNS),
        "hr_tools.vac.places_*": _codes("PlacesError"),
        "questionnaire.*": {f"years_{c}" for c in _codes("YearsError")}
        | {"fields_not_found", "use_buttons"},
        "common.language.*": set(SUPPORTED_LANGS),
        "hr.button.*": {a.name for a in _ACTIONS.values()} | {"passed", "failed", "no_show"},
        "hr.result.done.*": {k.value for k in StageResultKind},
        "hr.stage.result.*": {k.value for k in StageResultKind},
        "booking.button.*": {a.name for a in BookingAction},
        "booking.weekday.*": {str(d) for d in range(7)},
        "hr.reason.*": {r.value for r in RejectReason},
        "hr.answer.*": set(PROFILE_KEYS),
        "hr.decided.*": {"shortlisted", "invited", "rejected"},
        "hr.state.*": {Outcome.not_found.value, Outcome.deleted.value, Outcome.withdrawn.value},
        "hr.status.*": statuses,
        "browse.card.section.*": {"education", "experience", "competences", "optional"},
        "criteria_sheet.column.*": set(HEADER_KEYS),
        "screening.verdict.*": verdicts,
        "screening_hr.verdict.*": verdicts,
        "screening.*": {"years.gen", "years.nom"},
        "screening.why.*": {"education", "field_of_study", "experience"},
        "screening.why.check.*": checked,
    }


def test_every_runtime_key_is_enumerated() -> None:
    listed = _runtime_keys()
    unlisted = sorted(
        f"{where}: {key}" for where, key, _, dynamic in _key_uses() if dynamic and key not in listed
    )
    assert not unlisted, f"list these in _runtime_keys with their values: {unlisted}"


def test_every_enumerated_runtime_key_exists_in_both_languages() -> None:
    missing = []
    for pattern, values in _runtime_keys().items():
        assert values, pattern
        for value in values:
            key = pattern.replace("*", value)
            for lang in SUPPORTED_LANGS:
                if _message(key, lang) is None:
                    missing.append(f"{lang}: {key}")
    assert not missing, sorted(missing)


def test_every_screening_reason_exists_for_both_audiences() -> None:
    from bot.screening.engine import REASON_KEYS

    for reason in REASON_KEYS:
        for namespace in ("screening", "screening_hr"):
            key = namespace + reason[len("screening") :]
            for lang in SUPPORTED_LANGS:
                assert _message(key, lang) is not None, (lang, key)


# ------------------------------------------------------------------------------ Python


def test_no_user_visible_cyrillic_in_python() -> None:
    cyrillic_literal = re.compile(r"[\"'][^\"'\n]*[А-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі]{3,}")
    offenders = []
    for path in BOT_DIR.rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if cyrillic_literal.search(code):
                offenders.append(f"{path.relative_to(BOT_DIR)}:{number}")
    assert not offenders, offenders
