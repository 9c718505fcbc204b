"""HR's /slots (open slots for a stage), /agenda (a day's slots and who comes) and /stages
(the hiring chain's names, checklists, cut-off): each opens its dialog
(``bot.dialogs.slots``, ``bot.dialogs.agenda``, ``bot.dialogs.stages``), HR only, in the private
chat with the bot (in a group the agenda would show candidates' names to everyone there)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command
from aiogram.types import Message
from aiogram_dialog import DialogManager, StartMode

from bot.dialogs.agenda import AgendaSG
from bot.dialogs.slots import SlotsSG
from bot.dialogs.stages import StagesSG
from bot.filters import hr_router
from bot.i18n import Localizer

COMMANDS = ("slots", "agenda", "stages")


async def open_slots(message: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(SlotsSG.stage, mode=StartMode.RESET_STACK)


async def open_agenda(message: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(AgendaSG.day, mode=StartMode.RESET_STACK)


async def open_stages(message: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(StagesSG.scope, mode=StartMode.RESET_STACK)


async def private_only(message: Message, i18n: Localizer) -> None:
    await message.reply(i18n("slots.private_only"))


def create_router() -> Router:
    router = hr_router("slots")
    private = F.chat.type == ChatType.PRIVATE
    router.message.register(open_slots, Command("slots"), private)
    router.message.register(open_agenda, Command("agenda"), private)
    router.message.register(open_stages, Command("stages"), private)
    router.message.register(private_only, Command(*COMMANDS))
    return router
