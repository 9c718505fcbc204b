"""Drive the real Dispatcher as a person would: send texts, press buttons."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.methods import EditMessageText, SendMessage
from aiogram.types import (
    CallbackQuery,
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)

from tests.recording_session import BOT_USER, RecordingSession

_update_ids = itertools.count(1)


class Person:
    """One Telegram user talking to the bot in a private chat."""

    def __init__(
        self,
        dispatcher: Callable[[], Dispatcher],
        bot: Bot,
        session: RecordingSession,
        user_id: int = 1001,
        language_code: str | None = "ru",
        first_name: str = "Айгерим",
    ) -> None:
        self.dispatcher, self.bot, self.session = dispatcher, bot, session
        self.user = User(
            id=user_id, is_bot=False, first_name=first_name, language_code=language_code
        )
        self.chat = Chat(id=user_id, type="private")
        self._message_ids = itertools.count(1)

    def _message(self, **fields: Any) -> Message:
        return Message(
            message_id=next(self._message_ids),
            date=datetime.now(UTC),
            chat=self.chat,
            from_user=self.user,
            **fields,
        )

    async def feed(self, update: Update) -> Any:
        return await self.dispatcher().feed_update(self.bot, update)

    async def send(self, text: str) -> str:
        """Send a text; return what the bot answered last."""
        await self.feed(Update(update_id=next(_update_ids), message=self._message(text=text)))
        return self.last_text()

    async def send_message(self, **fields: Any) -> None:
        """Send any other kind of message (sticker, contact, document...)."""
        await self.feed(Update(update_id=next(_update_ids), message=self._message(**fields)))

    def _mine(self) -> list[SendMessage | EditMessageText]:
        """Messages sent or edited in this person's chat, oldest first."""
        return [
            r
            for r in self.session.requests
            if isinstance(r, SendMessage | EditMessageText) and r.chat_id == self.chat.id
        ]

    def last_text(self) -> str:
        mine = self._mine()
        assert mine, "the bot sent nothing to this person"
        return mine[-1].text

    def last_markup(self) -> InlineKeyboardMarkup:
        for request in reversed(self._mine()):
            if isinstance(request.reply_markup, InlineKeyboardMarkup):
                return request.reply_markup
        raise AssertionError("no inline keyboard was shown")

    def buttons(self) -> list[InlineKeyboardButton]:
        return [b for row in self.last_markup().inline_keyboard for b in row]

    def button(self, text_part: str) -> InlineKeyboardButton:
        matches = [b for b in self.buttons() if text_part in b.text]
        assert matches, f"no button with {text_part!r} in {[b.text for b in self.buttons()]}"
        return matches[0]

    async def press(self, text_part: str) -> str:
        data = self.button(text_part).callback_data
        assert data is not None
        return await self.press_data(data)

    async def press_data(self, data: str) -> str:
        message = Message(
            message_id=999,
            date=datetime.now(UTC),
            chat=self.chat,
            from_user=BOT_USER,
            text="…",
        )
        query = CallbackQuery(
            id=str(next(_update_ids)),
            from_user=self.user,
            chat_instance="test",
            data=data,
            message=message,
        )
        await self.feed(Update(update_id=next(_update_ids), callback_query=query))
        return self.last_text()
