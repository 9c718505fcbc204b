"""The field-of-study vocabulary as a tree: Kazakhstan's classifier of training directions.

Areas («6B07 Инженерные, обрабатывающие и строительные отрасли») hold directions
(«6B071 Инженерия и инженерное дело»), which may hold groups of educational programmes.
The questionnaire walks it from the areas down and searches it by a code («6B07», «b064»)
or by the start of a word of a name or keyword («пожарн», «құқық»). Pure Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.catalogue.models import Catalogue, FieldOfStudy

_WORD_RE = re.compile(r"\w+", re.UNICODE)
MIN_WORD = 3
MAX_QUERY = 50
MAX_RESULTS = 40


def _normalize(text: str) -> str:
    return text.casefold().replace("ё", "е")


def _code_key(text: str) -> str:
    # «6в07» typed on a Cyrillic keyboard means «6B07».
    return _normalize(text).replace("в", "b").replace(" ", "")


@dataclass(frozen=True, slots=True)
class FieldTree:
    entries: dict[str, FieldOfStudy]
    children: dict[str | None, tuple[str, ...]]
    # code → the words of its names and keywords in both languages (normalized).
    words: dict[str, tuple[str, ...]]
    order: dict[str, int]  # code → its place in the classifier
    # children_of and leaves_under, worked out once: the picker asks them for every button
    # of every screen it shows.
    shown: dict[str | None, tuple[str, ...]] = field(default_factory=dict)
    leaves: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, catalogue: Catalogue) -> FieldTree:
        entries = {f.id: f for f in catalogue.fields_of_study}
        children: dict[str | None, list[str]] = {}
        for f in catalogue.fields_of_study:
            children.setdefault(f.parent, []).append(f.id)
        words: dict[str, tuple[str, ...]] = {}
        for f in catalogue.fields_of_study:
            texts = [f.name.kk, f.name.ru, *f.keywords.kk, *f.keywords.ru]
            found: list[str] = []
            for text in texts:
                found.extend(_WORD_RE.findall(_normalize(text)))
            words[f.id] = tuple(dict.fromkeys(found))
        order = {code: i for i, code in enumerate(entries)}
        tree = cls(entries, {k: tuple(v) for k, v in children.items()}, words, order)
        for code in (None, *entries):
            tree.shown[code] = tree._children_of(code)
        for code in entries:
            tree.leaves[code] = tuple(tree._leaves_under(code))
        return tree

    def roots(self) -> tuple[str, ...]:
        return self.children.get(None, ())

    def children_of(self, code: str | None) -> tuple[str, ...]:
        """The entries shown under ``code``; an entry holding just one other (a direction
        with one group) is shown as that one, to save a tap."""
        return self.shown.get(code, ())

    def _children_of(self, code: str | None) -> tuple[str, ...]:
        out = []
        for child in self.children.get(code, ()):
            while len(self.children.get(child, ())) == 1:
                child = self.children[child][0]
            out.append(child)
        return tuple(out)

    def is_leaf(self, code: str) -> bool:
        return not self.children.get(code)

    def shown_parent(self, code: str) -> str | None:
        """The entry ``children_of`` shows ``code`` under (skipping single-child levels)."""
        parent = self.parent(code)
        while parent is not None and len(self.children.get(parent, ())) == 1:
            parent = self.parent(parent)
        return parent

    def parent(self, code: str) -> str | None:
        entry = self.entries.get(code)
        return entry.parent if entry is not None else None

    def ancestry(self, code: str) -> frozenset[str]:
        """The code itself and every entry above it."""
        chain: list[str] = []
        current: str | None = code
        while current is not None and current not in chain:
            chain.append(current)
            current = self.parent(current)
        return frozenset(chain)

    def area_of(self, code: str) -> str:
        current = code
        while (parent := self.parent(current)) is not None:
            current = parent
        return current

    def leaves_under(self, code: str) -> tuple[str, ...]:
        return self.leaves.get(code, (code,))  # not in the tree: a leaf of its own

    def _leaves_under(self, code: str) -> list[str]:
        if self.is_leaf(code):
            return [code]
        out: list[str] = []
        for child in self._children_of(code):
            out.extend(self._leaves_under(child))
        return out

    def label(self, code: str, lang: str) -> str:
        entry = self.entries.get(code)
        return entry.name.get(lang) if entry is not None else code

    def search(self, query: str) -> list[str]:
        """Entries matching a typed code or words, most specific first, at most 40.

        A code matches itself and every entry whose code starts with it (so «6B07» lists
        its area and directions); words match when every typed word of three letters or
        more starts a word of the entry's names or keywords.
        """
        text = query.strip()
        if not text or len(text) > MAX_QUERY:
            return []
        key = _code_key(text)
        by_code = [code for code in self.entries if _code_key(code).startswith(key)]
        if by_code and any(ch.isdigit() for ch in key):
            return by_code[:MAX_RESULTS]
        typed = [w for w in _WORD_RE.findall(_normalize(text)) if len(w) >= MIN_WORD]
        if not typed:
            return []
        found = [
            code
            for code, words in self.words.items()
            if all(any(w.startswith(t) for w in words) for t in typed)
        ]
        # Leaves first (what a diploma names), then the broader entries.
        found.sort(key=lambda code: (not self.is_leaf(code), self.order[code]))
        return found[:MAX_RESULTS]

    def group_by_area(self, codes: Iterable[str]) -> list[tuple[str, list[str]]]:
        """``codes`` grouped under their areas, in classifier order; an area itself listed
        stands for all of it (its list is then empty)."""
        groups: dict[str, list[str]] = {}
        for code in sorted(set(codes), key=lambda c: self.order.get(c, len(self.order))):
            area = self.area_of(code)
            bucket = groups.setdefault(area, [])
            if code != area:
                bucket.append(code)
        whole = {area for area in groups if area in set(codes)}
        return [(area, [] if area in whole else items) for area, items in groups.items()]
