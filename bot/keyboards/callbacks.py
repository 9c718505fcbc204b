"""Every inline button's payload. Only ids travel in callback data."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class MenuAction(StrEnum):
    main = "main"
    vacancies = "vacancies"
    search = "search"
    language = "language"
    help = "help"


class LanguageCb(CallbackData, prefix="lang"):
    code: str


class MenuCb(CallbackData, prefix="menu"):
    action: MenuAction


class DepartmentCb(CallbackData, prefix="dept"):
    department: str


class PositionCb(CallbackData, prefix="pos"):
    number: int


class ApplyCb(CallbackData, prefix="apply"):
    number: int


class QuestionAction(StrEnum):
    answer = "a"
    toggle = "t"
    page = "p"
    done = "d"
    back = "b"
    cancel = "c"


class QuestionCb(CallbackData, prefix="q"):
    """A questionnaire button; ``token`` and ``step`` tie it to one questionnaire's question."""

    token: str
    step: int
    action: QuestionAction
    value: str = ""
