"""Per-update dependencies: one DB session, and the person's language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import Localizer, Translator, guess_language
from bot.services.users import UserLanguages

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class DbSessionMiddleware(BaseMiddleware):
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self.session_factory = session_factory

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self.session_factory() as session:
            data["session"] = session
            return await handler(event, data)


class LocaleMiddleware(BaseMiddleware):
    """Puts ``i18n`` (a Localizer) and ``language_chosen`` into the handler data."""

    def __init__(self, translator: Translator, languages: UserLanguages) -> None:
        self.translator = translator
        self.languages = languages

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        session: AsyncSession = data["session"]
        stored = await self.languages.get(session, user.id) if user else None
        lang = stored or guess_language(
            user.language_code if user else None, self.translator.default_lang
        )
        data["i18n"] = Localizer(self.translator, lang)
        data["language_chosen"] = stored is not None
        return await handler(event, data)
