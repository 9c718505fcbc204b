"""The questionnaire's state and answers, as plain data (no aiogram).

The bot keeps a :class:`Questionnaire` in the FSM data (persisted by the SQL storage), so a
person who answered half of it goes on where they stopped after a restart of the bot.
Each questionnaire has a random ``token`` that its buttons carry: a button from an earlier
questionnaire, or for another question, never changes the current answers.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from bot.catalogue.models import ExperienceRequirement, Position
from bot.screening.engine import EXPERIENCE_PREFIX, MANAGERIAL, needed_questions
from bot.screening.fields import MAX_QUERY, FieldTree
from bot.screening.profile import MAX_YEARS, Profile, profile_data

# «3», «3,5», «3.5», «5 лет», «5 жыл», «2 года»: a number, then at most one word (the unit).
_YEARS_RE = re.compile(r"^\s*(\d{1,3}(?:[.,]\d{1,2})?)\s*(?:[^\W\d_]{1,12}\.?)?\s*$")
MAX_ANSWER_LENGTH = 50
YES_NO_QUESTIONS = frozenset({"has_security_clearance", "medically_fit", "special_training"})
CHOICE_QUESTIONS = YES_NO_QUESTIONS | {"education_level"}
MULTI_SELECT_QUESTIONS = frozenset({"fields_of_study", "driver_licences"})
# Questionnaires started before years were asked per domain carry these keys.
LEGACY_YEARS_QUESTIONS = frozenset({"years_in_specialty", "years_managerial"})
FIELDS_PER_PAGE = 8


def is_years_question(key: str) -> bool:
    return key.startswith(EXPERIENCE_PREFIX) or key in LEGACY_YEARS_QUESTIONS


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


def question_domain(key: str) -> str:
    """The experience domain a years question asks about."""
    if key == "years_managerial":
        return MANAGERIAL
    if key == "years_in_specialty":
        return "specialty"
    return key.removeprefix(EXPERIENCE_PREFIX)


def experience_requirement(position: Position, key: str) -> ExperienceRequirement | None:
    """The first requirement of the position in the question's domain (its words are the
    question's), or for legacy keys the first non-managerial / managerial one."""
    if position.criteria is None:
        return None
    domain = question_domain(key)
    legacy = key == "years_in_specialty"
    for path in position.criteria.paths:
        for requirement in path.experience:
            if requirement.domain == domain or (legacy and requirement.domain != MANAGERIAL):
                return requirement
    return None


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
    # The field picker's place: the classifier entry opened (None: the areas), or the
    # words typed to search it (its results are shown instead).
    node: str | None = None
    query: str | None = None
    # The entries opened to get to ``node`` (so «up» retraces them, back to search results).
    trail: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, position: Position) -> Questionnaire:
        return cls(position=position.number, questions=needed_questions(position))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Questionnaire:
        """A saved questionnaire, whichever release saved it: a field added since takes its
        default, a field dropped since is ignored."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

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
        """One question back; False when already at the first one. Ticks not yet confirmed
        with «Done» are kept for when the person comes back to this question."""
        if self.step == 0:
            return False
        if not self.finished and self.current in MULTI_SELECT_QUESTIONS and self.picks:
            self.answers[self.current] = list(self.picks)
        self.step -= 1
        self._enter_step()
        return True

    def _enter_step(self) -> None:
        # Start a multi-select from what was answered before (when going back to it).
        self.page = 0
        self.node = self.query = None
        self.trail = []
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

    def field_entries(self, tree: FieldTree) -> list[str]:
        """The classifier entries the field picker shows now (search results or a level)."""
        if self.node is None and self.query is not None:
            return tree.search(self.query)
        return list(tree.children_of(self.node))

    def choices(self, tree: FieldTree, licences: list[str]) -> list[str]:
        """What the current multi-select's buttons point into (by index)."""
        if self.current == "fields_of_study":
            return self.field_entries(tree)
        if self.current == "driver_licences":
            return licences
        return []

    def toggle_index(self, value: str, choices: list[str], tree: FieldTree | None = None) -> bool:
        """Tick or untick the button's choice; in the field picker an entry that holds
        others opens instead."""
        index = int(value) if value.isdecimal() and len(value) <= 3 else -1
        if self.current not in MULTI_SELECT_QUESTIONS or not 0 <= index < len(choices):
            return False
        code = choices[index]
        if self.current == "fields_of_study" and tree is not None and not tree.is_leaf(code):
            self.node, self.page = code, 0
            self.trail.append(code)
            return True
        self.toggle(code)
        return True

    def up(self, tree: FieldTree) -> bool:
        """The field picker one level up (from search results: back to the list)."""
        if self.current != "fields_of_study" or (self.node is None and self.query is None):
            return False
        if self.node is None:
            self.query = None  # from the search results back to the areas
        elif self.trail:
            self.trail.pop()
            self.node = self.trail[-1] if self.trail else None
        else:  # a questionnaire saved before trails were kept
            self.node = tree.shown_parent(self.node)
        self.page = 0
        return True

    def search_fields(self, text: str, tree: FieldTree) -> bool:
        """Show the entries matching typed words or a code; False (nothing changes) when
        none matches."""
        query = " ".join(text.split())[:MAX_QUERY]
        if self.current != "fields_of_study" or not tree.search(query):
            return False
        self.query, self.node, self.trail, self.page = query, None, [], 0
        return True

    def typed(self, text: str, tree: FieldTree) -> str | None:
        """Apply typed text to the current question; the locale key (in ``questionnaire``)
        of why it was refused, or None when it was taken."""
        if is_years_question(self.current):
            try:
                years = parse_years(text)
            except YearsError as error:
                return f"years_{error.code}"
            self.answer(years)
            return None
        if self.current == "fields_of_study":
            return None if self.search_fields(text, tree) else "fields_not_found"
        return "use_buttons"

    def pages(self, count: int) -> int:
        return max(1, -(-count // FIELDS_PER_PAGE))

    def turn_page(self, value: str, pages: int) -> bool:
        if self.current not in MULTI_SELECT_QUESTIONS:
            return False
        page = int(value) if value.isdecimal() and len(value) <= 3 else 0
        self.page = min(max(page, 0), max(pages - 1, 0))
        return True

    def finish_multi_select(self) -> bool:
        if self.current not in MULTI_SELECT_QUESTIONS:
            return False
        self.answer(list(self.picks))
        return True

    def profile(self) -> Profile:
        return Profile.model_validate(profile_data(self.answers))
