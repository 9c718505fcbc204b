"""The questionnaire's state and answers, as plain data (no aiogram).

The bot keeps a :class:`Questionnaire` in the FSM data (persisted by the SQL storage), so a
person who answered half of it goes on where they stopped after a restart of the bot.
Each questionnaire has a random ``token`` that its buttons carry: a button from an earlier
questionnaire, or for another question, never changes the current answers.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.catalogue.models import Position
from bot.screening.engine import MANAGERIAL, needed_questions
from bot.screening.profile import Profile

MAX_YEARS = 60.0
# «3», «3,5», «3.5», «5 лет», «5 жыл», «2 года»: a number, then at most one word (the unit).
_YEARS_RE = re.compile(r"^\s*(\d{1,3}(?:[.,]\d{1,2})?)\s*(?:[^\W\d_]{1,12}\.?)?\s*$")
MAX_ANSWER_LENGTH = 50
YES_NO_QUESTIONS = frozenset({"has_security_clearance", "medically_fit", "special_training"})
CHOICE_QUESTIONS = YES_NO_QUESTIONS | {"education_level"}
MULTI_SELECT_QUESTIONS = frozenset({"fields_of_study", "driver_licences"})


class YearsError(ValueError):
    """Why a typed number of years was refused: ``not_a_number`` or ``out_of_range``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_years(text: str) -> float:
    if len(text) > MAX_ANSWER_LENGTH:
        raise YearsError("not_a_number")
    if text.strip().startswith("-"):
        raise YearsError("out_of_range")
    match = _YEARS_RE.match(text)
    if match is None:
        raise YearsError("not_a_number")
    years = float(match.group(1).replace(",", "."))
    if years > MAX_YEARS:
        raise YearsError("out_of_range")
    return years


def experience_domain(position: Position, profile_key: str) -> str:
    """The domain to name in the years question: «how many years in motor transport?»."""
    if profile_key == "years_managerial":
        return MANAGERIAL
    assert position.criteria is not None
    for path in position.criteria.paths:
        for requirement in path.experience:
            if requirement.domain != MANAGERIAL:
                return requirement.domain
    return "specialty"


@dataclass
class Questionnaire:
    position: int
    questions: list[str]
    token: str = field(default_factory=lambda: secrets.token_hex(4))
    step: int = 0
    answers: dict[str, Any] = field(default_factory=dict)
    # The page of a multi-select shown now, and its picks before «Done».
    page: int = 0
    picks: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, position: Position) -> Questionnaire:
        return cls(position=position.number, questions=needed_questions(position))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Questionnaire:
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def current(self) -> str:
        return self.questions[self.step]

    @property
    def finished(self) -> bool:
        return self.step >= len(self.questions)

    def accepts(self, token: str, step: int) -> bool:
        return token == self.token and step == self.step and not self.finished

    def answer(self, value: Any) -> None:
        self.answers[self.current] = value
        self.step += 1
        self._enter_step()

    def back(self) -> bool:
        """One question back; False when already at the first one."""
        if self.step == 0:
            return False
        self.step -= 1
        self._enter_step()
        return True

    def _enter_step(self) -> None:
        # Start a multi-select from what was answered before (when going back to it).
        self.page = 0
        previous = self.answers.get(self.current) if not self.finished else None
        self.picks = list(previous) if isinstance(previous, list) else []

    def toggle(self, value: str) -> None:
        if value in self.picks:
            self.picks.remove(value)
        else:
            self.picks.append(value)

    # What the buttons do. Each returns False, changing nothing, when the button does not
    # fit the current question (a forged or outdated payload); ``choices`` are the values
    # the current question's buttons may carry.
    def choose(self, value: str, choices: list[str]) -> bool:
        if self.current not in CHOICE_QUESTIONS or value not in choices:
            return False
        self.answer(value == "yes" if self.current in YES_NO_QUESTIONS else value)
        return True

    def toggle_index(self, value: str, choices: list[str]) -> bool:
        index = int(value) if value.isdigit() else -1
        if self.current not in MULTI_SELECT_QUESTIONS or not 0 <= index < len(choices):
            return False
        self.toggle(choices[index])
        return True

    def turn_page(self, value: str, pages: int) -> bool:
        if self.current not in MULTI_SELECT_QUESTIONS:
            return False
        page = int(value) if value.isdigit() else 0
        self.page = min(max(page, 0), max(pages - 1, 0))
        return True

    def finish_multi_select(self) -> bool:
        if self.current not in MULTI_SELECT_QUESTIONS:
            return False
        self.answer(list(self.picks))
        return True

    def profile(self) -> Profile:
        return Profile.model_validate(self.answers)
