"""One update of a person at a time: aiogram's event isolation.

aiogram takes a lock per FSM storage key (bot, chat, user, thread) around everything from
its FSM middleware inward: our database session, the locale and the handler. Two quick
taps of one person (two ticks of a multi-select, «agree» twice) are therefore handled one
after the other, each seeing what the other wrote. Different people, and one person in
another chat (an HR officer in the HR group), still run concurrently.

In one process an in-memory lock suffices; with ``REDIS_URL`` set the lock lives in Redis,
so several processes serving the bot serialize a person's updates too.
"""

from __future__ import annotations

from aiogram.fsm.storage.base import BaseEventIsolation
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisEventIsolation

from bot.config import Settings


class ClosingRedisEventIsolation(RedisEventIsolation):
    """aiogram's Redis isolation, which also closes its connections at shutdown."""

    async def close(self) -> None:
        await self.redis.aclose()


def create_events_isolation(settings: Settings) -> BaseEventIsolation:
    if settings.redis_url:
        return ClosingRedisEventIsolation.from_url(settings.redis_url)
    return SimpleEventIsolation()
