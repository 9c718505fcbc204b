"""Derive the field-of-study vocabulary and every position's accepted fields from the seed.

The vocabulary is Kazakhstan's classifier of training directions
(``data/classifier/kz_training_directions.json``: areas → directions → groups). Each path of
a position that names fields gets the codes of the phrases of ``data/field_mapping.json``
found in its education section (Russian and Kazakh, both counted), with the quotes kept
beside them (``field_quotes``); a path whose seed says «или другие смежные» (or the like)
is marked ``fields_related``. ``positions`` in the mapping says per path ``"auto"`` (derive),
``null`` (any field), ``[]`` (no list: HR judge every field), or ``{"ru": …, "kk": …}``:
derive from only that part of the section (it must be a quote of it).

Usage (from the repository root)::

    .venv/bin/python scripts/derive_fields.py            # rewrite data/positions.json
    .venv/bin/python scripts/derive_fields.py --check    # exit 1 if it would change
    .venv/bin/python scripts/derive_fields.py --report   # list items no phrase matched
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CLASSIFIER = ROOT / "data" / "classifier" / "kz_training_directions.json"
MAPPING = ROOT / "data" / "field_mapping.json"
CATALOGUE = ROOT / "data" / "positions.json"
LANGS = ("ru", "kk")


def vocabulary(classifier: dict[str, Any], mapping: dict[str, Any]) -> list[dict[str, Any]]:
    keywords = mapping.get("keywords", {})

    def entry(item: dict[str, Any], parent: str | None) -> dict[str, Any]:
        code = item["code"]
        words = keywords.get(code, {})
        return {
            "id": code,
            "name": {"kk": item["name"]["kk"], "ru": item["name"]["ru"]},
            "parent": parent,
            "keywords": {"kk": list(words.get("kk", [])), "ru": list(words.get("ru", []))},
        }

    out = []
    for area in classifier["areas"]:
        out.append(entry(area, None))
        for direction in area["directions"]:
            out.append(entry(direction, area["code"]))
            for group in direction.get("groups", []):
                out.append(entry(group, direction["code"]))
    return out


def _pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", re.IGNORECASE)


def _find(text: str, phrases: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """(entry index, phrase) found in ``text``, longest phrases first, spans not reused."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, int, str]] = []
    for index, phrase in sorted(phrases, key=lambda p: -len(p[1])):
        for m in _pattern(phrase).finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), index, text[m.start() : m.end()]))
    return [(index, words) for _, index, words in sorted(found)]


def _minimal(codes: set[str], parents: dict[str, str | None], order: list[str]) -> list[str]:
    def has_ancestor_in(code: str) -> bool:
        current = parents.get(code)
        while current is not None:
            if current in codes:
                return True
            current = parents.get(current)
        return False

    return [c for c in order if c in codes and not has_ancestor_in(c)]


def derive_path(
    education: dict[str, str],
    experience: dict[str, str],
    mapping: dict[str, Any],
    parents: dict[str, str | None],
    order: list[str],
) -> tuple[list[str], bool, list[dict[str, Any]]]:
    entries = mapping["phrases"]
    quotes: dict[int, dict[str, list[str]]] = {}
    for lang in LANGS:
        phrases = [(i, p) for i, e in enumerate(entries) for p in e[lang]]
        for index, words in _find(education[lang], phrases):
            quotes.setdefault(index, {"ru": [], "kk": []})[lang].append(words)
    codes: set[str] = set()
    field_quotes = []
    for index in sorted(quotes, key=lambda i: order.index(entries[i]["codes"][0])):
        entry_codes = list(entries[index]["codes"])
        codes.update(entry_codes)
        q = quotes[index]
        field_quotes.append(
            {
                "kk": ", ".join(q["kk"]) or None,
                "ru": ", ".join(q["ru"]) or None,
                "codes": entry_codes,
            }
        )
    # The open list may be said where the seed restates the education (61's experience).
    related = any(
        _pattern(phrase).search(education[lang]) or _pattern(phrase).search(experience[lang])
        for lang in LANGS
        for phrase in mapping["related"][lang]
    )
    return _minimal(codes, parents, order), related, field_quotes


def derive(catalogue: dict[str, Any], classifier: dict[str, Any], mapping: dict[str, Any]) -> None:
    fields = vocabulary(classifier, mapping)
    catalogue["fields_of_study"] = fields
    parents = {f["id"]: f["parent"] for f in fields}
    order = [f["id"] for f in fields]
    for position in catalogue["positions"]:
        criteria = position.get("criteria")
        if criteria is None:
            continue
        spec = mapping["positions"].get(str(position["number"]), {}).get("paths")
        for i, path in enumerate(criteria["paths"]):
            how = (
                spec[i]
                if spec is not None
                else ("auto" if path.get("fields") is not None else None)
            )
            education = dict(position["sections"]["education"])
            if isinstance(how, dict):  # only this part of the section speaks of this path
                for lang in LANGS:
                    if how[lang] not in education[lang]:
                        raise ValueError(
                            f"position {position['number']}: {how[lang]!r} not in seed"
                        )
                education = {lang: how[lang] for lang in LANGS}
            if how is None:
                path["fields"], path["fields_related"], path["field_quotes"] = None, False, []
                continue
            experience = position["sections"]["experience"]
            codes, related, quotes = derive_path(education, experience, mapping, parents, order)
            if how == []:
                codes, quotes = [], []
            path["fields"], path["fields_related"], path["field_quotes"] = codes, related, quotes


def report(catalogue: dict[str, Any], mapping: dict[str, Any]) -> list[str]:
    """List items of the education sections («…: a, b, c.») that no phrase matched."""
    out = []
    for position in catalogue["positions"]:
        for lang in LANGS:
            text = position["sections"]["education"][lang]
            if ":" not in text:
                continue
            items = re.split(r",\s*|\s+или\s+|\s+немесе\s+", text.split(":", 1)[1].strip(" ."))
            phrases = [(0, p) for e in mapping["phrases"] for p in e[lang]]
            for item in items:
                if item and not _find(item, phrases):
                    out.append(f"{position['number']} {lang}: {item!r}")
    return out


def render(catalogue: dict[str, Any]) -> str:
    return json.dumps(catalogue, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--report", action="store_true")
    args = parser.parse_args(argv)
    before = CATALOGUE.read_text(encoding="utf-8")
    catalogue = json.loads(before)
    mapping = json.loads(MAPPING.read_text(encoding="utf-8"))
    classifier = json.loads(CLASSIFIER.read_text(encoding="utf-8"))
    derive(catalogue, classifier, mapping)
    if args.report:
        print("\n".join(report(catalogue, mapping)))
        return 0
    after = render(catalogue)
    if args.check:
        if after != before:
            print("data/positions.json is not what derive_fields.py makes of it", file=sys.stderr)
            return 1
        return 0
    CATALOGUE.write_text(after, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
