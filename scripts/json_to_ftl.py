"""Convert JSON locale files (``bot/locales/<lang>/<namespace>.json``) into Fluent ``.ftl`` files.

    python scripts/json_to_ftl.py                      # every JSON file under bot/locales
    python scripts/json_to_ftl.py bot/locales/ru/hr.json bot/locales/kk/hr.json
    python scripts/json_to_ftl.py --keep-json          # convert, leave the JSON files in place
    python scripts/json_to_ftl.py --check              # say what would change, write nothing

Each JSON file merges into the ``.ftl`` next to it (same namespace name):

* a key whose message is not there yet is appended, in the JSON file's order;
* a key whose message is a plain text (no select expression) is replaced when the JSON text
  differs — the JSON came from a branch that edited it;
* a message written by hand with variants (plural forms, ``$kind ->`` selects) or with
  attributes is never touched; the script prints a note when the JSON text differs from it;
* everything else in the ``.ftl`` (comments, other messages, their order) stays as it is.

Key → message id: ``bot.i18n.message_id`` (dots become hyphens). ``{name}`` becomes
``{ $name }``. Every converted message is formatted back and compared with the JSON text's
``str.format`` result before anything is written. Running it twice changes nothing. The JSON file
is deleted after a successful merge unless ``--keep-json`` is given (the ``.ftl`` files are the
one place for texts; tests/test_locales.py fails while a JSON locale file exists).
"""

from __future__ import annotations

import argparse
import json
import string
import sys
from pathlib import Path

from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax import FluentParser, FluentSerializer, ast

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.i18n import LOCALES_DIR, is_valid_message_id, message_id  # noqa: E402

# Characters that Fluent reads as syntax where a text line starts ("[", "*", "." open a variant
# or an attribute) or anywhere ("{" and "}" open and close a placeable).
_LINE_START_SPECIAL = "[*."


class ConversionError(Exception):
    pass


def _text_elements(text: str, at_line_start: bool) -> list[ast.PatternElement]:
    """Literal text, with what Fluent would read as syntax wrapped in string literals."""
    elements: list[ast.PatternElement] = []
    buffer = ""
    for char in text:
        special = char in "{}" or (at_line_start and char in _LINE_START_SPECIAL)
        if special:
            if buffer:
                elements.append(ast.TextElement(buffer))
                buffer = ""
            elements.append(ast.Placeable(ast.StringLiteral(char)))
        else:
            buffer += char
        at_line_start = char == "\n"
    if buffer:
        elements.append(ast.TextElement(buffer))
    return elements


def pattern_from_template(template: str, where: str) -> ast.Pattern:
    """A ``str.format`` template → a Fluent pattern (``{name}`` → ``{ $name }``)."""
    elements: list[ast.PatternElement] = []
    literal_ended_line = True
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as error:
        raise ConversionError(f"{where}: {error}") from None
    for literal, field, spec, conversion in parsed:
        if literal:
            elements.extend(_text_elements(literal, not elements or literal_ended_line))
            literal_ended_line = literal.endswith("\n")
        if field is None:
            continue
        if spec or conversion or not field.isidentifier():
            raise ConversionError(f"{where}: {{{field}}}: only plain {{name}} placeholders")
        elements.append(ast.Placeable(ast.VariableReference(ast.Identifier(field))))
        literal_ended_line = False
    if not elements:
        elements.append(ast.Placeable(ast.StringLiteral("")))
    # Fluent trims a pattern's leading and trailing blanks: keep them as literals.
    first, last = elements[0], elements[-1]
    if isinstance(first, ast.TextElement) and first.value != first.value.lstrip():
        stripped = first.value.lstrip()
        lead = first.value[: len(first.value) - len(stripped)]
        elements[0:1] = [ast.Placeable(ast.StringLiteral(_escape(lead)))] + (
            [ast.TextElement(stripped)] if stripped else []
        )
    last = elements[-1]
    if isinstance(last, ast.TextElement) and last.value != last.value.rstrip():
        stripped = last.value.rstrip()
        tail = last.value[len(stripped) :]
        elements[-1:] = ([ast.TextElement(stripped)] if stripped else []) + [
            ast.Placeable(ast.StringLiteral(_escape(tail)))
        ]
    return ast.Pattern(elements)


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\u000A")
        .replace("\t", "\\u0009")
    )


def _is_hand_written(message: ast.Message) -> bool:
    """Variants or attributes: written in Fluent, not a converted JSON text."""
    if message.attributes or message.value is None:
        return True
    return any(
        isinstance(element, ast.Placeable)
        and not isinstance(element.expression, ast.VariableReference | ast.StringLiteral)
        for element in message.value.elements
    )


def _serialize(entry: ast.Message) -> str:
    return FluentSerializer().serialize_entry(entry)


def _check_round_trip(
    serialized: str, fluent_id: str, template: str, lang: str, where: str
) -> None:
    fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    params = {f: f"\x00{f}\x00" for f in fields}
    bundle = FluentBundle([lang], use_isolating=False)
    bundle.add_resource(FluentResource(serialized))
    text, errors = bundle.format_pattern(bundle.get_message(fluent_id).value, params)
    expected = template.format(**params)
    if errors or text != expected:
        raise ConversionError(f"{where}: round trip gave {text!r}, expected {expected!r}")


def convert_file(json_path: Path, *, write: bool) -> list[str]:
    """Merge one JSON file into its ``.ftl``; returns what changed (and notes)."""
    lang = json_path.parent.name
    ftl_path = json_path.with_suffix(".ftl")
    data = json.loads(json_path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ConversionError(f"{json_path}: a JSON object of texts expected")
    source = ftl_path.read_text(encoding="utf-8") if ftl_path.exists() else ""
    resource = FluentParser(with_spans=True).parse(source)
    junk = [entry for entry in resource.body if isinstance(entry, ast.Junk)]
    if junk:
        raise ConversionError(f"{ftl_path}: not valid Fluent: {junk[0].content[:80]!r}")
    existing = {e.id.name: e for e in resource.body if isinstance(e, ast.Message)}

    seen: dict[str, str] = {}
    replacements: list[tuple[int, int, str]] = []
    appended: list[str] = []
    changes: list[str] = []
    for key, template in data.items():
        where = f"{json_path}: {key}"
        if not isinstance(template, str):
            raise ConversionError(f"{where}: a text must be a string")
        if "-" in key:
            raise ConversionError(f"{where}: a key must not contain '-' (ids use it for '.')")
        fluent_id = message_id(key)
        if not is_valid_message_id(fluent_id):
            raise ConversionError(f"{where}: {fluent_id!r} is not a valid Fluent id")
        if fluent_id in seen:
            raise ConversionError(f"{where}: same message id as {seen[fluent_id]!r}")
        seen[fluent_id] = key
        message = ast.Message(ast.Identifier(fluent_id), pattern_from_template(template, where))
        serialized = _serialize(message)
        _check_round_trip(serialized, fluent_id, template, lang, where)
        current = existing.get(fluent_id)
        if current is None:
            appended.append(serialized)
            changes.append(f"{ftl_path.name}: + {fluent_id}")
            continue
        if _serialize(_without_comment(current)) == serialized:
            continue
        if _is_hand_written(current):
            changes.append(
                f"{ftl_path.name}: ! {fluent_id} written by hand, JSON text differs: kept"
            )
            continue
        assert current.span is not None
        message.comment = current.comment  # the span starts at the message's comment
        replacements.append((current.span.start, current.span.end, _serialize(message)))
        changes.append(f"{ftl_path.name}: ~ {fluent_id}")

    text = source
    for start, end, new in sorted(replacements, reverse=True):
        text = text[:start] + new.rstrip("\n") + text[end:]
    if appended:
        if text and not text.endswith("\n"):
            text += "\n"
        text += "".join(appended)
    if write and text != source:
        ftl_path.write_text(text, encoding="utf-8")
    return changes


def _without_comment(message: ast.Message) -> ast.Message:
    return ast.Message(message.id, message.value, message.attributes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="JSON files (default: all)")
    parser.add_argument("--keep-json", action="store_true", help="do not delete the JSON files")
    parser.add_argument("--check", action="store_true", help="report only, write nothing")
    args = parser.parse_args(argv)
    files: list[Path] = args.files or sorted(LOCALES_DIR.glob("*/*.json"))
    try:
        for json_path in files:
            for change in convert_file(json_path, write=not args.check):
                print(change)
            if not args.check and not args.keep_json:
                json_path.unlink()
                print(f"{json_path}: converted, deleted")
    except ConversionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
