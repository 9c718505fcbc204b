"""aiogram's ``RedisStorage`` (``REDIS_URL``, several processes serving the bot): what the
SQL storage's erasure does to its table, done to Redis keys."""

from __future__ import annotations

from aiogram.fsm.storage.redis import RedisStorage

from bot.services.privacy import is_users_fsm_key


async def forget_person(storage: RedisStorage, user_id: int) -> int:
    """Delete every conversation state and data naming the person (as the chat or the
    user, in any chat: an HR officer's state in the HR group too); returns how many keys."""
    keys = []
    prefix = getattr(storage.key_builder, "prefix", "fsm")
    async for key in storage.redis.scan_iter(match=f"{prefix}:*{user_id}*"):
        name = key.decode() if isinstance(key, bytes) else str(key)
        if is_users_fsm_key(name, user_id):
            keys.append(name)
    if keys:
        await storage.redis.delete(*keys)
    return len(keys)
