"""Screening engine: compares an applicant's profile with the positions' criteria.

Pure Python, no aiogram. See :mod:`bot.screening.engine` for the rules.
"""

from bot.screening.engine import (
    CriterionResult,
    NoCriteriaError,
    PreparedProfile,
    Screener,
    ScreeningResult,
    get_screener,
    match,
    needed_questions,
    screen,
)
from bot.screening.profile import PROFILE_KEYS, Profile, validate_profile_ids
from bot.screening.render import render_criterion, render_result, render_verdict

__all__ = [
    "PROFILE_KEYS",
    "CriterionResult",
    "NoCriteriaError",
    "PreparedProfile",
    "Profile",
    "Screener",
    "ScreeningResult",
    "get_screener",
    "match",
    "needed_questions",
    "render_criterion",
    "render_result",
    "render_verdict",
    "screen",
    "validate_profile_ids",
]
