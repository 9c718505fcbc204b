"""Applicant commands in a group chat (the HR chat): a hint to write to the bot in private.

/my, /privacy, /delete_me and the like show or change one person's own data; answered in a
group they would show it to the whole group. HR's commands (/stats, /export, /vacancies,
/broadcast) are not affected.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command
from aiogram.types import Message

from bot.i18n import Localizer

APPLICANT_COMMANDS = (
    "start",
    "my",
    "privacy",
    "delete_me",
    "subscribe",
    "unsubscribe",
    "language",
    "help",
    "menu",
)


async def private_only(message: Message, i18n: Localizer) -> None:
    await message.reply(i18n("common.private_only"))


def create_router() -> Router:
    router = Router(name="group_guard")
    router.message.register(
        private_only, F.chat.type != ChatType.PRIVATE, Command(*APPLICANT_COMMANDS)
    )
    return router
