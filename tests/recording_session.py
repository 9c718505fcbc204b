"""A recording fake Bot session: the real Bot and Dispatcher, no network.

Every API call is recorded; plausible results are made up (a Message for send/edit
methods, True for the rest), in the spirit of aiogram's own tests/mocked_bot.py.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncGenerator, Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import (
    CopyMessage,
    CreateForumTopic,
    EditMessageText,
    GetMe,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.types import Chat, ForumTopic, InlineKeyboardMarkup, Message, MessageId, User

BOT_USER = User(id=42, is_bot=True, first_name="Rescue jobs", username="rescue_jobs_bot")
# Set by tests.harness.Person while it feeds an update: the requests made meanwhile (in
# that task and the tasks it starts) are that update's own.
current_update: ContextVar[int | None] = ContextVar("current_update", default=None)


class RecordingSession(BaseSession):
    def __init__(self) -> None:
        super().__init__()
        self.requests: list[TelegramMethod[Any]] = []
        # Parallel to ``requests``: the update that made each one, and what it returned.
        self.origins: list[int | None] = []
        self.results: list[Any] = []
        self._message_ids = itertools.count(1000)
        self.failures: list[tuple[type[TelegramMethod[Any]], Callable[[], Exception]]] = []
        # Set by a test that simulates a dead process: nothing leaves any more.
        self.dead = False
        # Chats that cannot be reached (an outage): every request to them raises.
        self.unreachable: dict[int, Callable[[], Exception]] = {}
        # Methods whose next request reaches Telegram but whose answer is lost.
        self.lost_answers: list[type[TelegramMethod[Any]]] = []

    def lose_answer_next(self, method: type[TelegramMethod[Any]]) -> None:
        self.lost_answers.append(method)

    def fail_next(self, method: type[TelegramMethod[Any]], error: Callable[[], Exception]) -> None:
        self.failures.append((method, error))

    async def close(self) -> None:
        return None

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        if self.dead:
            raise ConnectionError("the process is dead")
        chat = getattr(method, "chat_id", None)
        if chat in self.unreachable:
            raise self.unreachable[chat]()
        for i, (kind, error) in enumerate(self.failures):
            if isinstance(method, kind):
                del self.failures[i]
                raise error()
        self.requests.append(method)
        self.origins.append(current_update.get())
        self.results.append(None)
        result = self._result(method)
        self.results[-1] = result
        for i, kind in enumerate(self.lost_answers):
            if isinstance(method, kind):  # delivered, but the answer never comes back
                del self.lost_answers[i]
                raise TelegramNetworkError(method=method, message="Request timeout error")
        return result

    def _result(self, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, GetMe):
            return BOT_USER
        if isinstance(method, CreateForumTopic):
            # A topic's thread id is the id of its first (service) message.
            return ForumTopic(
                message_thread_id=next(self._message_ids), name=method.name, icon_color=0x6FB9F0
            )
        if isinstance(method, CopyMessage):
            return MessageId(message_id=next(self._message_ids))
        if isinstance(method, SendMessage | SendDocument | SendPhoto | EditMessageText):
            chat_id = int(getattr(method, "chat_id", 0) or 0)
            text = getattr(method, "text", None)
            message_id = getattr(method, "message_id", None) or next(self._message_ids)
            markup = getattr(method, "reply_markup", None)
            return Message(
                message_id=message_id,
                date=datetime.now(UTC),
                chat=Chat(id=chat_id, type="private"),
                text=text,
                caption=getattr(method, "caption", None),
                message_thread_id=getattr(method, "message_thread_id", None),
                # Telegram echoes inline keyboards only (reply keyboards are not echoed).
                reply_markup=markup if isinstance(markup, InlineKeyboardMarkup) else None,
                from_user=BOT_USER,
            )
        return True

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        yield b""

    # --- assertions helpers ---------------------------------------------------------------
    def of(self, kind: type[TelegramMethod[Any]]) -> list[Any]:
        return [r for r in self.requests if isinstance(r, kind)]

    def texts(self) -> list[str]:
        """Texts of sent and edited messages, in order."""
        return [r.text for r in self.requests if isinstance(r, SendMessage | EditMessageText)]

    def last_text(self) -> str:
        texts = self.texts()
        assert texts, "the bot sent nothing"
        return texts[-1]

    def made_by(self, update_id: int) -> list[tuple[TelegramMethod[Any], Any]]:
        """The requests one update made, with their results, in order."""
        return [
            (r, result)
            for r, origin, result in zip(self.requests, self.origins, self.results, strict=True)
            if origin == update_id
        ]

    def clear(self) -> None:
        self.requests.clear()
        self.origins.clear()
        self.results.clear()


def make_bot(session: RecordingSession) -> Bot:
    return Bot(
        token="424242:TEST_TOKEN_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )
