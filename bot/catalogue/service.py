"""Browsing and searching the vacancy catalogue. Plain Python: no aiogram here."""

from __future__ import annotations

from dataclasses import dataclass

from bot.catalogue.models import Catalogue, Department, Position
from bot.catalogue.search import TitleIndex


@dataclass(frozen=True, slots=True)
class DepartmentSummary:
    department: Department
    positions: int
    headcount: int


class CatalogueService:
    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._by_number = {p.number: p for p in catalogue.positions}
        self._departments = {d.id: d for d in catalogue.departments}
        self._titles = TitleIndex(catalogue.positions)

    @property
    def total_headcount(self) -> int:
        return sum(p.headcount for p in self.catalogue.positions)

    def departments(self, closed: frozenset[int] = frozenset()) -> list[DepartmentSummary]:
        """Departments with their open positions; one whose positions are all closed is left out."""
        summaries = []
        for department in self.catalogue.departments:
            positions = self.positions_in(department.id, closed)
            if not positions:
                continue
            summaries.append(
                DepartmentSummary(
                    department=department,
                    positions=len(positions),
                    headcount=sum(p.headcount for p in positions),
                )
            )
        return summaries

    def department(self, department_id: str) -> Department | None:
        return self._departments.get(department_id)

    def positions_in(
        self, department_id: str, closed: frozenset[int] = frozenset()
    ) -> list[Position]:
        """The department's positions, less the ``closed`` ones (HR's /vacancies)."""
        return [
            p
            for p in self.catalogue.positions
            if p.department == department_id and p.number not in closed
        ]

    def position(self, number: int) -> Position | None:
        return self._by_number.get(number)

    def subdepartment_name(self, position: Position, lang: str) -> str | None:
        if position.subdepartment is None:
            return None
        department = self._departments[position.department]
        for sub in department.subdepartments:
            if sub.id == position.subdepartment:
                return sub.name.get(lang)
        return None

    def search(
        self, query: str, limit: int = 20, closed: frozenset[int] = frozenset()
    ) -> list[Position]:
        """Positions whose kk or ru title has every typed word as a word or a word's
        beginning, whole words first (:mod:`bot.catalogue.search`); ``closed`` positions
        are never found."""
        return self._titles.search(query, limit=limit, closed=closed)
