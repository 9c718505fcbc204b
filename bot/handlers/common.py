"""Small helpers shared by the routers: show a screen in place or as new messages."""

from __future__ import annotations

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalogue.models import Position
from bot.deps import Deps
from bot.i18n import Localizer
from bot.keyboards.browse import position_card_keyboard
from bot.keyboards.callbacks import CardSource
from bot.rendering.catalogue import position_card, vacancy_note
from bot.services.vacancies import Vacancy


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


async def pressed_position(
    callback: CallbackQuery, number: int, session: AsyncSession, i18n: Localizer, deps: Deps
) -> tuple[Position, Vacancy] | None:
    """The position a button names, with its vacancy (open or closed); None, answered as a
    stale button, when the catalogue no longer has it."""
    position = deps.catalogue.position(number)
    if position is None:
        await stale_button(callback, i18n)
        return None
    return position, await deps.vacancies.get(session, position.number)


async def show_position(
    callback: CallbackQuery,
    position: Position,
    vacancy: Vacancy,
    i18n: Localizer,
    deps: Deps,
    source: CardSource | None = None,
) -> None:
    """A position's card, «Apply» only while it is open (a closed one says so); below the
    message pressed when that one stays (a verdict, an announcement)."""
    await show(
        callback,
        position_card(i18n, deps.catalogue, position, note=vacancy_note(i18n, vacancy)),
        position_card_keyboard(i18n, position, can_apply=vacancy.is_open, source=source),
        below=source in (CardSource.verdict, CardSource.announcement),
    )
