"""People and their language preference."""

from __future__ import annotations

from collections import OrderedDict

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import User, utcnow
from bot.db.upsert import upsert

CACHE_SIZE = 50_000


class UserLanguages:
    """Each person's chosen language, read on every update: cached in front of the database.

    Like the FSM storage's cache, correct while one process serves the bot.
    """

    def __init__(self, cache_size: int = CACHE_SIZE) -> None:
        self._cache: OrderedDict[int, str | None] = OrderedDict()
        self._cache_size = cache_size

    def _remember(self, user_id: int, language: str | None) -> None:
        self._cache[user_id] = language
        self._cache.move_to_end(user_id)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    async def get(self, session: AsyncSession, user_id: int) -> str | None:
        if user_id in self._cache:
            self._cache.move_to_end(user_id)
            return self._cache[user_id]
        user = await session.get(User, user_id)
        language = user.language if user else None
        self._remember(user_id, language)
        return language

    async def set(self, session: AsyncSession, user_id: int, language: str) -> None:
        """Create the person or change their language; commits. Safe when two updates of a
        new person arrive at once: one statement, the second updates the first one's row."""
        now = utcnow()
        await upsert(
            session,
            User,
            {"id": user_id, "language": language, "created_at": now, "updated_at": now},
            conflict=[User.id],
            update={"language": language, "updated_at": now},
        )
        await session.commit()
        self._remember(user_id, language)

    def forget(self, user_id: int) -> None:
        """After the person's row was deleted (/delete_me)."""
        self._cache.pop(user_id, None)
