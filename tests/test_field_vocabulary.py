"""The field-of-study vocabulary is Kazakhstan's classifier, and every accepted field of every
position comes from the seed's own words."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bot.catalogue.loader import load_catalogue
from bot.screening.fields import FieldTree

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = load_catalogue()
CLASSIFIER = json.loads(
    (ROOT / "data" / "classifier" / "kz_training_directions.json").read_text(encoding="utf-8")
)


def test_vocabulary_is_the_classifier_with_official_codes_and_names() -> None:
    expected = []
    for area in CLASSIFIER["areas"]:
        expected.append((area["code"], None, area["name"]["ru"], area["name"]["kk"]))
        for direction in area["directions"]:
            expected.append(
                (direction["code"], area["code"], direction["name"]["ru"], direction["name"]["kk"])
            )
            for group in direction.get("groups", []):
                expected.append(
                    (group["code"], direction["code"], group["name"]["ru"], group["name"]["kk"])
                )
    actual = [(f.id, f.parent, f.name.ru, f.name.kk) for f in CATALOGUE.fields_of_study]
    assert actual == expected
    assert [a["code"] for a in CLASSIFIER["areas"]] == [f"6B{n:02d}" for n in range(1, 13)]
    assert CLASSIFIER["source"], "the classifier names its sources"


def test_positions_json_is_what_derive_fields_makes_of_the_seed() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "derive_fields.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_every_field_quote_is_the_seeds_words_and_gives_the_fields() -> None:
    tree = FieldTree.of(CATALOGUE)
    for position in CATALOGUE.positions:
        assert position.criteria is not None
        education = position.sections.education
        for i, path in enumerate(position.criteria.paths):
            where = f"position {position.number} path {i + 1}"
            if path.fields is None:
                assert not path.field_quotes, where
                continue
            covered: set[str] = set()
            for quote in path.field_quotes:
                assert quote.ru or quote.kk, where
                for part in (quote.ru or "").split(", "):
                    assert not part or part.casefold() in education.ru.casefold(), (where, part)
                for part in (quote.kk or "").split(", "):
                    assert not part or part.casefold() in education.kk.casefold(), (where, part)
                covered.update(quote.codes)
            # Every accepted code comes from a quote (directly, or as the broader one).
            for code in path.fields:
                assert code in covered, (where, code)
            assert path.fields or path.fields_related, where  # an empty list is HR's to judge
            for code in covered:
                assert code in tree.entries, (where, code)


def test_related_is_set_exactly_where_the_seed_leaves_the_list_open() -> None:
    related = {
        p.number
        for p in CATALOGUE.positions
        if p.criteria is not None and any(path.fields_related for path in p.criteria.paths)
    }
    assert related == {34, 39, 46, 50, 61}


def test_field_search_by_word_code_and_in_kazakh() -> None:
    tree = FieldTree.of(CATALOGUE)
    assert tree.search("пожарн")[0] == "B097"
    assert tree.search("өрт")[0] == "B097"
    assert "B049" in tree.search("құқық")
    assert tree.search("6B07")[:2] == ["6B07", "6B071"]
    assert tree.search("6в07")[:1] == ["6B07"]  # the Cyrillic в typed for B
    assert tree.search("b064") == ["B064"]
    assert tree.search("6B99") == []
    assert tree.search("zz") == []
    assert tree.search("x" * 51) == []


def test_single_child_directions_are_shown_as_their_group() -> None:
    tree = FieldTree.of(CATALOGUE)
    shown = tree.children_of("6B04")
    assert shown == ("6B041", "B049")  # 6B042 «Право» holds only B049 «Право»
    assert tree.shown_parent("B049") == "6B04"
