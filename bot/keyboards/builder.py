"""An inline keyboard builder without the copies and the re-validation.

aiogram's ``InlineKeyboardBuilder`` deep-copies the rows on ``as_markup()`` and copies them
again on every ``add()`` (quadratic in the buttons), and validates each button through
pydantic: with a dozen buttons that was the biggest cost of an update after the database.
Our builders are thrown away after ``as_markup()``, so nothing can alias the exported rows,
and our buttons are plain text with packed callback data (typed by mypy), so they are built
unvalidated: as copies of one constructed button (``model_copy`` is ten times cheaper than
``model_construct``, which resolves the defaults of all a button's fields each time; the
result is equal, fields set included).
"""

from __future__ import annotations

from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton
from aiogram.utils.keyboard import InlineKeyboardBuilder

_BUTTON = InlineKeyboardButton.model_construct(text="")


class KeyboardBuilder(InlineKeyboardBuilder):
    def _button(self, **kwargs: Any) -> KeyboardBuilder:
        data = kwargs.get("callback_data")
        if isinstance(data, CallbackData):
            kwargs["callback_data"] = data.pack()  # also checks Telegram's 64 bytes
        button = _BUTTON.model_copy(
            update={name: value for name, value in kwargs.items() if value is not None}
        )
        markup = self._markup
        if sum(len(row) for row in markup) >= self.max_buttons:
            raise ValueError(f"Too much buttons detected Max allowed count - {self.max_buttons}")
        if markup and len(markup[-1]) < self.max_width:
            markup[-1].append(button)
        else:
            markup.append([button])
        return self

    def export(self) -> list[list[InlineKeyboardButton]]:
        return [list(row) for row in self._markup]
