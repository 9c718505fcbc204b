"""The post of every announcement, automatic or HR's, to ``CHANNEL_ID``: once, when its
sending starts — Kazakh and Russian in one post (once when the texts are the same; the
default language alone when both do not fit), with a link into the bot instead of the
subscribers' /unsubscribe footer."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.config import Settings
from bot.db.models import Broadcast
from bot.i18n import Translator
from bot.rendering.announcements import Texts, channel_text, without_footer
from bot.services.validation import CAPTION_LIMIT

log = logging.getLogger(__name__)


async def _bot_link(bot: Bot, start: str | None) -> str | None:
    try:
        me = await bot.me()
    except TelegramAPIError:
        return None
    if not me.username:
        return None
    return f"https://t.me/{me.username}" + (f"?start={start}" if start else "")


async def post_to_channel(
    bot: Bot, settings: Settings, translator: Translator, broadcast: Broadcast
) -> bool:
    """Post the broadcast to ``CHANNEL_ID`` once ; True when posted.

    Errors are logged (never the text) and swallowed: the channel never stops a broadcast.
    """
    chat_id = settings.channel_id
    if chat_id is None:
        return False
    lang = settings.default_locale
    texts = Texts(
        kk=without_footer(broadcast.text_kk, translator, "kk"),
        ru=without_footer(broadcast.text_ru, translator, "ru"),
    )
    photo = broadcast.photo_file_id
    text = channel_text(texts, lang, limit=CAPTION_LIMIT) if photo else channel_text(texts, lang)
    number = broadcast.position_number
    link = await _bot_link(bot, f"pos_{number}" if number is not None else None)
    markup = None
    if link is not None:
        key = (
            "broadcast.channel.open_position"
            if number is not None
            else "broadcast.channel.open_bot"
        )
        markup = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text=translator(lang, key), url=link)]]
        )
    try:
        if photo:
            await bot.send_photo(chat_id, photo, caption=text, reply_markup=markup)
        else:
            await bot.send_message(chat_id, text, reply_markup=markup)
    except TelegramAPIError as exc:
        log.warning(
            "Broadcast %d: posting to the channel failed: %s", broadcast.id, type(exc).__name__
        )
        return False
    return True
