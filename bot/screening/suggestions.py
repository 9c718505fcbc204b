"""Other positions to suggest after a screening.

``years_in_specialty`` was answered for one position's domain (say, motor transport); it says
nothing about another domain (say, dogs). So the years carry over only to positions whose
experience is counted in the same domain; elsewhere they count as not declared.
"""

from __future__ import annotations

from collections.abc import Collection

from bot.catalogue.models import Position
from bot.screening.engine import MANAGERIAL, Screener
from bot.screening.profile import Profile


def specialty_domains(position: Position) -> frozenset[str]:
    if position.criteria is None:
        return frozenset()
    return frozenset(
        e.domain
        for path in position.criteria.paths
        for e in path.experience
        if e.domain != MANAGERIAL
    )


def suggest(
    screener: Screener,
    profile: Profile,
    screened: Position,
    limit: int = 5,
    open_numbers: Collection[int] | None = None,
) -> list[Position]:
    """Positions the profile fits; only among ``open_numbers`` (HR's /vacancies) if given."""
    domains = specialty_domains(screened)
    without_years = profile.model_copy(update={"years_in_specialty": None})
    same_domain: set[int] = set()
    if profile.years_in_specialty is not None:
        same_domain = {
            p.number
            for p in screener.match(profile, exclude=[screened.number], open_numbers=open_numbers)
            if specialty_domains(p) <= domains
        }
    anywhere = {
        p.number
        for p in screener.match(without_years, exclude=[screened.number], open_numbers=open_numbers)
    }
    found = [p for p in screener.catalogue.positions if p.number in same_domain | anywhere]
    return found[:limit]
