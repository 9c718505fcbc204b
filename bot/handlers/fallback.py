"""Last resort: stale or forged buttons, unknown commands, stickers and the like."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import StateFilter
from aiogram.types import Message

from bot.handlers.common import stale_button
from bot.handlers.start import show_main_menu
from bot.i18n import Localizer


async def unknown_message(message: Message, i18n: Localizer) -> None:
    await show_main_menu(message, i18n, note=i18n("common.unknown_input"))


def create_router() -> Router:
    router = Router(name="fallback")
    router.callback_query.register(stale_button)  # an alert; the screen stays as it is
    # Only in private chats: group talk (the HR chat) is none of the bot's business.
    router.message.register(unknown_message, StateFilter(None), F.chat.type == ChatType.PRIVATE)
    return router
