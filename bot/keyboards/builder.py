"""An inline keyboard builder without the deep copy.

aiogram's ``InlineKeyboardBuilder.as_markup()`` deep-copies every button (pydantic models):
with a dozen buttons that was the single biggest cost of an update. Our builders are
thrown away after ``as_markup()``, so nothing can alias the exported rows.
"""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton
from aiogram.utils.keyboard import InlineKeyboardBuilder


class KeyboardBuilder(InlineKeyboardBuilder):
    def export(self) -> list[list[InlineKeyboardButton]]:
        return [list(row) for row in self._markup]
