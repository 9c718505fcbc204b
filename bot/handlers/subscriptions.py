"""/subscribe and the main menu's 🔔 (one handler) open the subscription dialog
(``bot.dialogs.subscriptions``); /unsubscribe works anywhere."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, StartMode
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dialogs.subscriptions import SubscriptionSG
from bot.i18n import Localizer
from bot.keyboards.callbacks import SubscriptionCb
from bot.services import subscriptions


async def open_subscriptions(event: Message | CallbackQuery, dialog_manager: DialogManager) -> None:
    if isinstance(event, CallbackQuery):
        await event.answer()
    await dialog_manager.start(SubscriptionSG.main, mode=StartMode.RESET_STACK)


async def unsubscribe_command(message: Message, session: AsyncSession, i18n: Localizer) -> None:
    if message.from_user is None:
        return
    removed = await subscriptions.unsubscribe(session, message.from_user.id)
    await message.answer(
        i18n("subscriptions.unsubscribed" if removed else "subscriptions.not_subscribed")
    )


def create_router() -> Router:
    router = Router(name="subscriptions")
    router.message.register(open_subscriptions, Command("subscribe"))
    router.callback_query.register(open_subscriptions, SubscriptionCb.filter())
    router.message.register(unsubscribe_command, Command("unsubscribe"))
    return router
