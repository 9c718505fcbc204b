"""Routing by prefix: a button's update skips, in one check, the routers it cannot concern.

aiogram tries the routers in order and, in each, every handler's filters: a button of the
last router was unpacked against a dozen ``CallbackData`` classes first. A router whose
callback handlers are all bound to ``CallbackData`` gets a router-level filter on their
prefixes (:func:`gate_callbacks`); a router with a catch-all handler, or with sub-routers,
is left as it is.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Filter
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.types import CallbackQuery


class CallbackPrefix(Filter):
    __slots__ = ("prefixes",)

    def __init__(self, prefixes: frozenset[str]) -> None:
        self.prefixes = prefixes

    async def __call__(self, callback: CallbackQuery) -> bool:
        return (callback.data or "").split(":", 1)[0] in self.prefixes


def callback_prefixes(router: Router) -> frozenset[str] | None:
    """The prefixes of the router's buttons, or None when it handles others too."""
    if router.sub_routers:
        return None
    prefixes: set[str] = set()
    for handler in router.callback_query.handlers:
        bound = [
            f.callback for f in handler.filters or () if isinstance(f.callback, CallbackQueryFilter)
        ]
        if not bound:
            return None  # a catch-all (or a magic filter): every button may concern it
        prefixes.update(f.callback_data.__prefix__ for f in bound)
    return frozenset(prefixes)


def gate_callbacks(router: Router) -> Router:
    prefixes = callback_prefixes(router)
    if prefixes is not None:
        router.callback_query.filter(CallbackPrefix(prefixes))
    return router
