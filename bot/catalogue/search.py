"""Title search: whole words and word prefixes, in Kazakh and Russian. No aiogram here.

Every typed word (three letters or more) must begin a word of the position's kk or ru
title; «водитель» finds «Водитель …» and «Бригадир-водитель …», never «Руководитель …».
A typed word that begins no title word of the catalogue at all is taken as an inflected
form: up to :data:`MAX_ENDING` final letters are dropped until what is left begins one
(«водителя» → «водител…», «құтқарушылар» → «құтқарушы…»), never below :data:`MIN_STEM`.

Results are ranked: titles where every typed word is a whole word first, then prefixes,
then inflected forms; among equals, titles that start with the word (the post itself,
not the service it belongs to) first, then shorter titles (a title typed in full comes
first); then the catalogue order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

from bot.catalogue.models import Position

_WORD_RE = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_LENGTH = 100
MIN_WORD = 3  # shorter typed words («по», «и») are ignored
MAX_ENDING = 3  # letters an inflected form may have beyond a title word's beginning
MIN_STEM = 4


class Match(IntEnum):
    """How a typed word met a title word; lower ranks first."""

    word = 0  # the same word
    prefix = 1  # the beginning of a word
    stem = 2  # the beginning of a word, once the typed word's ending is dropped


def normalize(text: str) -> str:
    """Case-folded (Kazakh letters included: Қ→қ, Ә→ә, І→і, …), ё read as е."""
    return text.casefold().replace("ё", "е")


def words_of(text: str) -> list[str]:
    """The normalized words of ``text``; hyphens and dashes separate words."""
    return _WORD_RE.findall(normalize(text))


@dataclass(frozen=True, slots=True)
class _Title:
    position: Position
    order: int  # the position's place in the catalogue
    words: tuple[tuple[str, ...], ...]  # per language, in title order


@dataclass(frozen=True, slots=True)
class _Term:
    """A typed word as it is looked for: the word itself, or its stem (``inflected``)."""

    text: str
    inflected: bool


def _best(term: _Term, words: Sequence[str]) -> tuple[Match, int] | None:
    """The best match of ``term`` in one title's words, and where it is (word index)."""
    best: tuple[Match, int] | None = None
    for index, word in enumerate(words):
        if not word.startswith(term.text):
            continue
        match = Match.prefix if word != term.text else Match.word
        if term.inflected:
            match = Match.stem
        if best is None or (match, index) < best:
            best = (match, index)
    return best


class TitleIndex:
    """The catalogue's titles, split into words once."""

    def __init__(self, positions: Iterable[Position]) -> None:
        self._titles = [
            _Title(
                position=p,
                order=order,
                words=(tuple(words_of(p.title.kk)), tuple(words_of(p.title.ru))),
            )
            for order, p in enumerate(positions)
        ]
        self._vocabulary = frozenset(
            word for title in self._titles for words in title.words for word in words
        )

    def _begins_a_word(self, text: str) -> bool:
        return any(word.startswith(text) for word in self._vocabulary)

    def _term(self, typed: str) -> _Term | None:
        """What to look for: the typed word, or its longest stem that begins a title word;
        None when neither does (then nothing is found)."""
        if self._begins_a_word(typed):
            return _Term(typed, inflected=False)
        for cut in range(1, MAX_ENDING + 1):
            stem = typed[:-cut]
            if len(stem) < MIN_STEM:
                break
            if self._begins_a_word(stem):
                return _Term(stem, inflected=True)
        return None

    def search(
        self, query: str, limit: int = 20, closed: frozenset[int] = frozenset()
    ) -> list[Position]:
        """Positions whose kk or ru title has every typed word, best matches first;
        ``closed`` positions are never found."""
        typed = [w for w in words_of(query[:MAX_QUERY_LENGTH]) if len(w) >= MIN_WORD]
        if not typed:
            return []
        terms = [self._term(word) for word in dict.fromkeys(typed)]  # each word once
        if any(term is None for term in terms):
            return []
        ranked: list[tuple[tuple[int, ...], Position]] = []
        for title in self._titles:
            if title.position.number in closed:
                continue
            key = self._rank(title, [t for t in terms if t is not None])
            if key is not None:
                ranked.append((key, title.position))
        ranked.sort(key=lambda item: item[0])
        return [position for _, position in ranked[:limit]]

    @staticmethod
    def _rank(title: _Title, terms: list[_Term]) -> tuple[int, ...] | None:
        """The title's rank for the terms (lower first), or None when one is missing;
        the better of its two languages."""
        keys = []
        for words in title.words:
            found = [_best(term, words) for term in terms]
            matches = [m for m in found if m is not None]
            if len(matches) < len(terms):
                continue
            worst = max(match for match, _ in matches)
            total = sum(match for match, _ in matches)
            first = min(index for _, index in matches)
            keys.append((int(worst), int(total), first, len(words), title.order))
        return min(keys) if keys else None
