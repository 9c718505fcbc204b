"""Drive the real Dispatcher as a person would: send texts, press buttons."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessage,
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
    TelegramMethod,
)
from aiogram.types import (
    CallbackQuery,
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)

from tests.recording_session import BOT_USER, RecordingSession, current_update

_update_ids = itertools.count(1)


class NothingSent(AssertionError):
    """An update of the person made the bot send, edit or answer nothing at all."""


class Person:
    """One Telegram user talking to the bot in a private chat.

    ``send``/``press`` feed one update and return what *that* update showed: the text of
    the last message it sent or edited in this chat, else the text of its button answer
    (an alert); an update that sent nothing fails the test unless ``quiet=True``.
    ``replies`` holds that update's requests. Buttons are pressed on the message that
    carried them: ``press`` looks on the current screen (the newest message with an
    inline keyboard), ``on=`` names an older message.
    """

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
        self.replies: list[TelegramMethod[Any]] = []

    def _message(self, **fields: Any) -> Message:
        return Message(
            message_id=next(self._message_ids),
            date=datetime.now(UTC),
            chat=self.chat,
            from_user=self.user,
            **fields,
        )

    async def feed(self, update: Update, *, quiet: bool = False) -> Any:
        token = current_update.set(update.update_id)
        try:
            result = await self.dispatcher().feed_update(self.bot, update)
        finally:
            current_update.reset(token)
        self.replies = [r for r, _ in self.session.made_by(update.update_id)]
        if not quiet and not self.replies:
            raise NothingSent(f"update {update.update_id} made the bot send nothing")
        return result

    def _shown(self, *, quiet: bool) -> str:
        """What the last update showed this person (see the class docstring)."""
        for request in reversed(self.replies):
            if getattr(request, "chat_id", None) != self.chat.id:
                continue
            if isinstance(request, SendMessage | EditMessageText):
                return request.text
            caption = getattr(request, "caption", None)  # a document or a photo
            if isinstance(caption, str):
                return caption
        for request in reversed(self.replies):
            if isinstance(request, AnswerCallbackQuery) and request.text:
                return request.text
        if quiet:
            return ""
        raise NothingSent(f"the update showed this person nothing: {self.replies!r}")

    async def send(self, text: str, *, quiet: bool = False) -> str:
        """Send a text; return what the bot showed in answer to it."""
        update = Update(update_id=next(_update_ids), message=self._message(text=text))
        await self.feed(update, quiet=quiet)
        return self._shown(quiet=quiet)

    async def send_message(self, *, quiet: bool = False, **fields: Any) -> str:
        """Send any other kind of message (sticker, contact, document...)."""
        update = Update(update_id=next(_update_ids), message=self._message(**fields))
        await self.feed(update, quiet=quiet)
        return self._shown(quiet=quiet)

    # --- the chat as the person sees it --------------------------------------------------
    def messages(self) -> dict[int, Message]:
        """The bot's messages in this chat as they are now (edits applied, deletions
        removed), by message id, in the order they were sent."""
        shown: dict[int, Message] = {}
        for request, result in zip(self.session.requests, self.session.results, strict=True):
            if getattr(request, "chat_id", None) != self.chat.id:
                continue
            if isinstance(request, DeleteMessage):
                shown.pop(request.message_id, None)
            elif isinstance(request, EditMessageText | EditMessageCaption | EditMessageReplyMarkup):
                old = shown.get(request.message_id or 0)
                if old is None:  # a message sent before the session was cleared
                    if isinstance(result, Message):
                        shown[result.message_id] = result
                    continue
                update: dict[str, Any] = {"reply_markup": request.reply_markup}
                if isinstance(request, EditMessageText):
                    update["text"] = request.text
                elif isinstance(request, EditMessageCaption):
                    update["caption"] = request.caption
                shown[old.message_id] = old.model_copy(update=update)
            elif isinstance(result, Message):
                shown[result.message_id] = result
        return shown

    def _requests_here(self) -> list[SendMessage | EditMessageText]:
        return [
            r
            for r in self.session.requests
            if isinstance(r, SendMessage | EditMessageText) and r.chat_id == self.chat.id
        ]

    def last_text(self) -> str:
        """The text of the last message sent or edited in this chat (by any update)."""
        mine = self._requests_here()
        assert mine, "the bot sent nothing to this person"
        return mine[-1].text

    def screen(self) -> Message:
        """The message the person acts on: the newest one sent or edited that still
        carries an inline keyboard."""
        shown = self.messages()
        pairs = list(zip(self.session.requests, self.session.results, strict=True))
        for request, result in reversed(pairs):
            if getattr(request, "chat_id", None) != self.chat.id:
                continue
            message_id = getattr(request, "message_id", None)
            if message_id is None and isinstance(result, Message):  # a send
                message_id = result.message_id
            message = shown.get(message_id or 0)
            if message is not None and isinstance(message.reply_markup, InlineKeyboardMarkup):
                return message
        raise AssertionError("no inline keyboard is shown")

    def _screen_or_none(self) -> Message | None:
        try:
            return self.screen()
        except AssertionError:
            return None

    def last_markup(self) -> InlineKeyboardMarkup:
        markup = self.screen().reply_markup
        assert isinstance(markup, InlineKeyboardMarkup)
        return markup

    def buttons(self, on: Message | None = None) -> list[InlineKeyboardButton]:
        markup = (on or self.screen()).reply_markup
        assert isinstance(markup, InlineKeyboardMarkup), "that message has no buttons"
        return [b for row in markup.inline_keyboard for b in row]

    def button(self, text_part: str, on: Message | None = None) -> InlineKeyboardButton:
        buttons = self.buttons(on)
        matches = [b for b in buttons if text_part in b.text]
        assert matches, f"no button with {text_part!r} in {[b.text for b in buttons]}"
        return matches[0]

    def only_answered(self) -> bool:
        """The last update only answered the button (an alert or a toast): nothing was
        sent, edited or deleted, so the screen stays as it was."""
        return bool(self.replies) and all(isinstance(r, AnswerCallbackQuery) for r in self.replies)

    def alert(self) -> str | None:
        """The text the last update's button answer showed (None: no text)."""
        for request in self.replies:
            if isinstance(request, AnswerCallbackQuery):
                return request.text
        return None

    async def press(self, text_part: str, *, on: Message | None = None, quiet: bool = False) -> str:
        message = on or self.screen()
        data = self.button(text_part, message).callback_data
        assert data is not None
        return await self.press_data(data, on=message, quiet=quiet)

    async def press_data(self, data: str, *, on: Message | None = None, quiet: bool = False) -> str:
        """Press a button with this payload (a forged one, or one of an old message)."""
        message = (
            on
            or self._screen_or_none()
            or Message(
                message_id=999,
                date=datetime.now(UTC),
                chat=self.chat,
                from_user=BOT_USER,
                text="…",
            )
        )
        query = CallbackQuery(
            id=str(next(_update_ids)),
            from_user=self.user,
            chat_instance="test",
            data=data,
            message=message,
        )
        await self.feed(Update(update_id=next(_update_ids), callback_query=query), quiet=quiet)
        return self._shown(quiet=quiet)
