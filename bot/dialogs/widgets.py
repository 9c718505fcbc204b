"""Widgets shared by the dialogs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram_dialog.api.protocols import DialogManager
from aiogram_dialog.widgets.common import WhenCondition
from aiogram_dialog.widgets.text import Text

from bot.i18n import Localizer


def localizer(manager: DialogManager) -> Localizer:
    i18n = manager.middleware_data["i18n"]
    assert isinstance(i18n, Localizer)
    return i18n


class L(Text):
    """A text from ``bot/locales`` in the person's language; ``params`` say where its
    placeholders come from: the name of a window data field (``L("a.b", count="ticked")``:
    ``{count}`` is ``data["ticked"]``) or a function of the data (for a select's ``item``)."""

    def __init__(
        self,
        key: str,
        when: WhenCondition = None,
        **params: str | Callable[[dict[str, Any]], Any],
    ) -> None:
        super().__init__(when=when)
        self.key = key
        self.params = params

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        values = {
            name: source(data) if callable(source) else data[source]
            for name, source in self.params.items()
        }
        return localizer(manager)(self.key, **values)
