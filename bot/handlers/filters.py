"""Filters on buttons' ids: only what exists in the catalogue reaches a handler.

A forged or outdated id (a position number in range that no position has, a department
that is gone) fails the filter, so the update ends at the fallback router's stale-button
alert and nothing changes: no flow is ended for a button that opens nothing.
"""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import CallbackQuery

from bot.deps import Deps
from bot.keyboards.callbacks import ApplyCb, CardCb, DepartmentCb, PositionCb


class KnownPosition(Filter):
    async def __call__(
        self,
        callback: CallbackQuery,
        callback_data: PositionCb | CardCb | ApplyCb,
        deps: Deps,
    ) -> bool:
        return deps.catalogue.position(callback_data.number) is not None


class KnownDepartment(Filter):
    async def __call__(
        self, callback: CallbackQuery, callback_data: DepartmentCb, deps: Deps
    ) -> bool:
        return deps.catalogue.department(callback_data.department) is not None
