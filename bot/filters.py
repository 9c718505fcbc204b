"""Who may press HR buttons and run HR commands.

HR is a user listed in ``settings.admin_ids`` or a member of the HR chat
(``settings.hr_chat_id``, checked with ``getChatMember`` and cached for a few minutes).

Two ways to use it:

* ``hr_router("stats")`` — a Router whose every message and button handler is HR only:
  once a handler of the router matches (its command, its CallbackData), anyone else gets a
  localized refusal (``hr.access_denied``) and the handler is not called, so nothing
  changes. This is the way for HR commands and buttons; the access test finds such routers
  by themselves (``is_hr_router``) and checks each of their commands and buttons.
* ``IsHR()`` — the same check as a plain filter (silent: it only passes or fails), e.g. to
  show an HR-only button.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Filter
from aiogram.types import (
    CallbackQuery,
    ChatMemberAdministrator,
    ChatMemberMember,
    ChatMemberOwner,
    ChatMemberRestricted,
    Message,
    TelegramObject,
    User,
)

from bot.config import Settings
from bot.deps import Deps
from bot.i18n import Localizer
from bot.services.hr import is_admin

log = logging.getLogger(__name__)

MEMBERSHIP_TTL = 300.0  # seconds a getChatMember answer is trusted
ERROR_TTL = 30.0  # seconds a failed check (network) is remembered as "not a member"
CACHE_KEY = "hr_membership_cache"


class MembershipCache:
    """(chat id, user id) → (is a member, expiry); one per Dispatcher."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._entries: dict[tuple[int, int], tuple[bool, float]] = {}

    def get(self, chat_id: int, user_id: int) -> bool | None:
        entry = self._entries.get((chat_id, user_id))
        if entry is None or entry[1] <= self.clock():
            return None
        return entry[0]

    def put(self, chat_id: int, user_id: int, member: bool, ttl: float = MEMBERSHIP_TTL) -> None:
        self._entries[(chat_id, user_id)] = (member, self.clock() + ttl)

    def clear(self) -> None:
        self._entries.clear()


def membership_cache(data: dict[str, Any]) -> MembershipCache:
    """The Dispatcher's cache (created on first use), or a throwaway one outside a Dispatcher."""
    dispatcher = data.get("dispatcher")
    if dispatcher is None:
        return MembershipCache()
    cache = dispatcher.workflow_data.get(CACHE_KEY)
    if not isinstance(cache, MembershipCache):
        cache = MembershipCache()
        dispatcher.workflow_data[CACHE_KEY] = cache
    return cache


def _is_member(result: object) -> bool:
    if isinstance(result, ChatMemberOwner | ChatMemberAdministrator | ChatMemberMember):
        return True
    # Restricted members are still in the chat when is_member is set; left/kicked are not.
    return isinstance(result, ChatMemberRestricted) and result.is_member


async def is_hr(bot: Bot, settings: Settings, user_id: int, cache: MembershipCache) -> bool:
    if is_admin(settings, user_id):
        return True
    chat_id = settings.hr_chat_id
    if chat_id is None:
        return False
    cached = cache.get(chat_id, user_id)
    if cached is not None:
        return cached
    try:
        member = _is_member(await bot.get_chat_member(chat_id=chat_id, user_id=user_id))
    except TelegramAPIError as exc:
        # Not in the chat, the bot was removed from it, or Telegram is unreachable: refuse.
        log.warning("HR membership check failed: %s", type(exc).__name__)
        cache.put(chat_id, user_id, False, ERROR_TTL)
        return False
    cache.put(chat_id, user_id, member)
    return member


async def _check(event: TelegramObject, data: dict[str, Any]) -> bool:
    user: User | None = data.get("event_from_user")
    bot: Bot | None = data.get("bot")
    deps: Deps | None = data.get("deps")
    if user is None or bot is None or deps is None:
        return False
    return await is_hr(bot, deps.settings, user.id, membership_cache(data))


class IsHR(Filter):
    """Passes for HR (admins, members of the HR chat); fails silently for everyone else."""

    async def __call__(self, event: TelegramObject, **data: Any) -> bool:
        return await _check(event, data)


async def refuse(event: TelegramObject, i18n: Localizer) -> None:
    text = i18n("hr.access_denied")
    if isinstance(event, CallbackQuery):
        await event.answer(text, show_alert=True)
    elif isinstance(event, Message):
        await event.answer(text)


class HROnly(BaseMiddleware):
    """Inner middleware: a matched handler runs for HR only; others get a refusal."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if await _check(event, data):
            return await handler(event, data)
        i18n: Localizer = data["i18n"]
        await refuse(event, i18n)
        return None


def hr_router(name: str) -> Router:
    """A Router whose message and button handlers are HR only (see the module docstring)."""
    router = Router(name=name)
    gate = HROnly()
    router.message.middleware(gate)
    router.callback_query.middleware(gate)
    return router


def is_hr_router(router: Router) -> bool:
    return any(isinstance(m, HROnly) for m in router.callback_query.middleware) or any(
        isinstance(m, HROnly) for m in router.message.middleware
    )
