"""/privacy (the consent text and what is stored) and /delete_me (erase everything)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.deps import Deps
from bot.handlers.common import show
from bot.i18n import Localizer
from bot.keyboards.application import delete_confirm_keyboard, privacy_keyboard
from bot.keyboards.browse import main_menu_keyboard
from bot.keyboards.callbacks import DeleteMeCb
from bot.rendering.privacy import delete_confirm_text, privacy_text
from bot.services import privacy
from bot.storage.redis_fsm import forget_person as forget_redis_person
from bot.storage.sql_fsm import SQLStorage


async def privacy_command(
    message: Message, session: AsyncSession, i18n: Localizer, deps: Deps
) -> None:
    settings = deps.settings
    user_id = message.from_user.id if message.from_user else message.chat.id
    summary = await privacy.stored_summary(session, user_id)
    await show(message, privacy_text(i18n, settings, summary), privacy_keyboard(i18n))


async def delete_me_command(message: Message, i18n: Localizer, deps: Deps) -> None:
    await show(message, delete_confirm_text(i18n, deps.settings), delete_confirm_keyboard(i18n))


async def delete_me_button(
    callback: CallbackQuery,
    callback_data: DeleteMeCb,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    if not callback_data.confirm:
        await show(
            callback, delete_confirm_text(i18n, deps.settings), delete_confirm_keyboard(i18n)
        )
        return
    # Only the presser's own data: the button carries no id at all.
    user_id = callback.from_user.id
    await state.clear()
    report = await privacy.delete_me(session, user_id)
    # The storage and the language cache must not keep what the database no longer has.
    if isinstance(state.storage, SQLStorage):
        for key in report.fsm_keys:
            state.storage.forget(key)
    elif isinstance(state.storage, RedisStorage):  # REDIS_URL: conversations live in Redis
        await forget_redis_person(state.storage, user_id)
    deps.languages.forget(user_id)
    await show(callback, i18n("privacy.delete.done"), main_menu_keyboard(i18n))


def create_router() -> Router:
    router = Router(name="privacy")
    router.message.register(privacy_command, Command("privacy"))
    router.message.register(delete_me_command, Command("delete_me"))
    router.callback_query.register(delete_me_button, DeleteMeCb.filter())
    return router
