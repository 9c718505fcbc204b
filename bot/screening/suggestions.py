"""Other positions to suggest after a screening, each with why it is suggested.

The questionnaire asked the years of the screened position's own domains (say, motor
transport); they say nothing about another domain (say, dogs). So suggestions are screened
in ``match`` mode: years count only in their own domain, and a position that asks
experience the applicant was not asked about is not suggested.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from bot.catalogue.models import Position
from bot.screening.engine import Screener, ScreeningResult
from bot.screening.profile import Profile


@dataclass(frozen=True, slots=True)
class Suggestion:
    position: Position
    result: ScreeningResult


def suggest(
    screener: Screener,
    profile: Profile,
    screened: Position,
    limit: int = 5,
    open_numbers: Collection[int] | None = None,
) -> list[Suggestion]:
    """Positions the profile fits (only among ``open_numbers``, HR's /vacancies, if given):
    those it fully meets first, those of the screened position's own department first
    among them, then in catalogue order."""
    found = screener.match(profile, exclude=[screened.number], open_numbers=open_numbers)
    screened_all = [Suggestion(p, screener.screen_matched(p, profile)) for p in found]
    screened_all.sort(
        key=lambda s: (s.result.verdict != "meets", s.position.department != screened.department)
    )
    return screened_all[:limit]
