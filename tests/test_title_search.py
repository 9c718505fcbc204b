"""Title search over the real catalogue (all positions, both languages): whole words and word
beginnings, whole words first; no aiogram."""

from __future__ import annotations

import pytest

from bot.catalogue.models import Position
from bot.catalogue.search import MIN_WORD, normalize, words_of
from bot.catalogue.service import CatalogueService

LANGS = ("kk", "ru")


def numbers(found: list[Position]) -> list[int]:
    return [p.number for p in found]


def title_words(position: Position) -> list[str]:
    return [w for lang in LANGS for w in words_of(position.title.get(lang))]


def test_the_catalogue_has_all_positions(catalogue: CatalogueService) -> None:
    assert len(catalogue.catalogue.positions) == 62


def test_every_title_typed_in_full_finds_its_position_first(catalogue: CatalogueService) -> None:
    for position in catalogue.catalogue.positions:
        for lang in LANGS:
            found = catalogue.search(position.title.get(lang))
            assert found, (position.number, lang)
            assert found[0] is position, (position.number, lang, numbers(found))


def test_every_title_word_and_its_beginnings_find_the_position(
    catalogue: CatalogueService,
) -> None:
    positions = catalogue.catalogue.positions
    for position in positions:
        for word in title_words(position):
            if len(word) < MIN_WORD:
                continue
            for end in range(MIN_WORD, len(word) + 1):
                assert position in catalogue.search(word[:end], limit=len(positions)), (
                    position.number,
                    word[:end],
                )


def test_a_word_never_matches_inside_another(catalogue: CatalogueService) -> None:
    """Every result has a title word that begins with the typed one: «водитель» is never
    found inside «руководитель», whichever word of the catalogue is typed."""
    positions = catalogue.catalogue.positions
    vocabulary = {w for p in positions for w in title_words(p) if len(w) >= MIN_WORD}
    for word in vocabulary:
        found = catalogue.search(word, limit=len(positions))
        assert found, word
        for position in found:
            assert any(w.startswith(word) for w in title_words(position)), (word, position.number)


def test_whole_words_rank_before_beginnings(catalogue: CatalogueService) -> None:
    positions = catalogue.catalogue.positions
    vocabulary = {w for p in positions for w in title_words(p) if len(w) >= MIN_WORD}
    for word in vocabulary:
        found = catalogue.search(word, limit=len(positions))
        whole = [word in title_words(p) for p in found]
        assert whole == sorted(whole, reverse=True), (word, numbers(found))


def test_driver_is_not_a_manager(catalogue: CatalogueService) -> None:
    found = numbers(catalogue.search("водитель"))
    assert set(found) == {58, 62, 63}
    assert found[-1] == 58  # «Бригадир-водитель …» after the posts named «Водитель …»
    assert set(numbers(catalogue.search("руководитель"))) == {37, 48}
    assert set(numbers(catalogue.search("жүргізуші"))) == {58, 62, 63}  # «жүргізушісі»


def test_rescuer_posts_named_by_the_word_come_first(catalogue: CatalogueService) -> None:
    found = numbers(catalogue.search("спасатель"))
    named = {34, 35, 37, 38, 41, 42, 44}  # «спасатель» as a word (also in «кинолог-спасатель»)
    assert set(found[: len(named)]) == named
    assert {36, 39, 40} <= set(found[len(named) :])  # only «спасательной/-ого …»
    assert set(found[:3]) == {38, 42, 44}  # titles that start with it


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ВОДИТЕЛЬ", {58, 62, 63}),
        ("Водитель", {58, 62, 63}),
        ("ЖҮРГІЗУШІ", {58, 62, 63}),  # Ү, І upper case
        ("ҚҰТҚАРУШЫ", {34, 37, 38, 41, 42, 44}),  # Қ, Ұ
        ("ӘКІМШІЛІК", set()),
        ("ҚОЗҒАЛЫС", {54}),  # Ғ
        ("ЕҢБЕКТІ", {12, 13}),  # Ң, І
        ("ӨҢДЕУ", {46}),  # Ө
        ("Кәсіпорын", {1}),  # Ә
    ],
)
def test_case_and_kazakh_letters(
    catalogue: CatalogueService, query: str, expected: set[int]
) -> None:
    assert set(numbers(catalogue.search(query))) == expected


def test_yo_is_read_as_ye(catalogue: CatalogueService) -> None:
    assert normalize("ЁЛКА Ёж") == "елка еж"
    assert numbers(catalogue.search("водитёль")) == numbers(catalogue.search("водитель"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("водителя", {58, 62, 63}),
        ("водителей", {58, 62, 63}),
        ("спасателям", {34, 35, 37, 38, 41, 42, 44, 36, 39, 40}),
        ("құтқарушылар", {34, 37, 38, 41, 42, 44}),
        ("бухгалтерия", {22, 23, 24}),
        ("водителя эвакуатора", {63}),
    ],
)
def test_inflected_forms(catalogue: CatalogueService, query: str, expected: set[int]) -> None:
    assert set(numbers(catalogue.search(query))) == expected


def test_every_word_must_match_in_one_title(catalogue: CatalogueService) -> None:
    assert numbers(catalogue.search("инженер по связи")) == [50]  # «по»: too short, ignored
    assert set(numbers(catalogue.search("Заместитель начальника"))) == {23, 35, 36, 52}
    assert catalogue.search("водитель бухгалтер") == []
    assert catalogue.search("водитель qwerty") == []


@pytest.mark.parametrize("query", ["", "   ", "по", "qwertyuiop", "!!!", "я" * 4000, "ит"])
def test_nothing_found(catalogue: CatalogueService, query: str) -> None:
    assert catalogue.search(query) == []


def test_closed_positions_and_limit(catalogue: CatalogueService) -> None:
    assert numbers(catalogue.search("водитель", closed=frozenset({62}))) == [63, 58]
    assert len(catalogue.search("специалист")) == 20
    assert len(catalogue.search("специалист", limit=5)) == 5
