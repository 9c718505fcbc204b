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
