"""Small helpers shared by the routers: show a screen in place or as new messages."""

from __future__ import annotations

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.i18n import Localizer


async def show(
    event: Message | CallbackQuery,
    parts: str | list[str],
    markup: InlineKeyboardMarkup | None = None,
    *,
    below: bool = False,
) -> None:
    """Edit the pressed button's message when the screen fits in one; else (or when it
    must stay on screen: ``below``) send new ones.

    The keyboard goes with the last part.
    """
    texts = [parts] if isinstance(parts, str) else parts
    if isinstance(event, CallbackQuery):
        await event.answer()
        message = event.message
        if len(texts) == 1 and isinstance(message, Message) and not below:
            try:
                await message.edit_text(texts[0], reply_markup=markup)
                return
            except TelegramBadRequest:
                pass  # too old to edit, or unchanged: send it anew below
        chat_id = event.from_user.id if message is None else message.chat.id
        bot = event.bot
        assert bot is not None
        for i, text in enumerate(texts):
            last = i == len(texts) - 1
            await bot.send_message(chat_id, text, reply_markup=markup if last else None)
        return
    for i, text in enumerate(texts):
        last = i == len(texts) - 1
        await event.answer(text, reply_markup=markup if last else None)


async def stale_button(callback: CallbackQuery, i18n: Localizer) -> None:
    """A stale, forged or unknown button: an alert, and whatever is on screen stays there
    (the step in progress goes on; nothing is sent or edited)."""
    await callback.answer(i18n("common.stale_button"), show_alert=True)
