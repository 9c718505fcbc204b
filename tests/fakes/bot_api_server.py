"""In-process fake of the Telegram Bot API for tests and benchmarks.

A real aiogram ``Bot`` talks to it over HTTP::

    async with FakeBotAPI() as api:
        bot = api.create_bot()          # Bot(api.token, session=AiohttpSession(api=...from_base))
        ...
        await bot.session.close()

What it does
------------
* ``POST``/``GET`` ``/bot{token}/{method}`` and ``/file/bot{token}/{path}``; a wrong token
  gets HTTP 401 ``{"ok": false, "error_code": 401, "description": "Unauthorized"}``.
* Bodies: urlencoded forms, multipart forms (uploads become :class:`RecordedFile`) and JSON.
  Form values are decoded: free-text fields (``text``, ``caption``, ids that are strings in
  the Bot API, file fields... see ``PLAIN_FIELDS``) stay ``str``; any other value that is valid
  JSON is decoded, so ``chat_id`` is an ``int``, ``reply_markup``/``entities``/``media`` are
  dicts/lists, ``disable_notification`` is a ``bool``.  ``"attach://<part>"`` references
  (aiogram's way of uploading) are replaced by the uploaded :class:`RecordedFile`, also inside
  JSON values such as ``media``; so ``call.params["document"].filename`` works.
* Every call is recorded as :class:`Call` in ``api.calls`` (in order of *completion*, i.e.
  once its response is known; ``getUpdates`` is recorded only with ``record_polling=True``).
  With ``record=False`` nothing is stored (no calls, no messages): only the counters
  ``method_counts``, ``chat_attempts``, ``chat_counts`` and ``error_counts`` are kept.
* Responses: ``getMe``, ``getUpdates`` (long polling), ``send*`` / ``forwardMessage`` /
  ``editMessage*`` return realistic ``Message`` objects (message ids increase per chat and
  are shared with incoming user messages built by the helpers), ``copyMessage`` returns a
  ``MessageId`` (as the real API does), ``getFile``/file download serve uploaded or
  :meth:`FakeBotAPI.add_file`-registered content, ``getChat``, ``getChatMember``,
  ``getWebhookInfo``, ``getMyCommands``; anything else returns ``{"ok": true, "result": true}``.
* Bot messages are kept per chat (``api.chat_messages(chat_id)``) with edits and deletions
  applied, so a test can inspect the current state of the conversation and "press" an inline
  button with :meth:`FakeBotAPI.push_click`.

Flood control, as Telegram does it (``retry_after`` says when *that request* may be repeated):

* **per chat** — :meth:`FakeBotAPI.flood_chat` refuses one chat for N seconds (every request
  to it gets 429 with the seconds left), others are served; ``chat_flood_probability``
  starts such a flood (``chat_flood_seconds`` long) on a random request to a chat that is
  not refused already (``flood_rng`` decides: seed it for a repeatable run);
* **bot-wide** — :meth:`FakeBotAPI.flood_wait` refuses every request with a ``chat_id`` for
  N seconds (Telegram's overall limit); ``flood_wait_probability`` starts one
  (``flood_wait_seconds`` long) on a random request.

``floods`` counts the floods started (``"chat"``, ``"bot"``) and ``flood_refusals`` the 429s
they answered.

Response precedence: injected faults (:meth:`FakeBotAPI.fail_next`) → a bot-wide flood
wait → a flood of the chat → blocked chats (:meth:`FakeBotAPI.block`) → ``api.responder``
(if it returns a dict) → built-in behaviour.
The HTTP status of an ``ok: false`` response is its ``error_code`` (that is what aiogram
maps to ``TelegramRetryAfter``, ``TelegramForbiddenError``...).

Waiting for calls (``wait_for``)
-------------------------------
Every recorded call can be *consumed* once by ``wait_for``.  ``await api.wait_for(method,
predicate)`` returns the **oldest recorded, not yet consumed** call that matches, or waits
for the next matching call.  So a test steps through a conversation deterministically::

    api.push_message(7, "/start")
    first = await api.wait_for("sendMessage", chat_id=7)
    api.push_click(7, "Vacancies")
    second = await api.wait_for("sendMessage", chat_id=7)   # never returns ``first`` again

Use ``after=api.cursor`` (index of the next call to be recorded) to ignore anything
already recorded, or ``api.consume_all()`` to mark everything so far as consumed.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import inspect
import itertools
import json
import math
import random
import socket
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Self
from urllib.parse import parse_qsl

from aiohttp import BodyPartReader, web

if TYPE_CHECKING:
    from aiogram import Bot

__all__ = [
    "DEFAULT_TOKEN",
    "PLAIN_FIELDS",
    "Call",
    "FakeBotAPI",
    "RecordedFile",
    "Responder",
]

JSONDict = dict[str, Any]
ChatKey = int | str

DEFAULT_TOKEN = "123456789:TEST-fake-token_for-tests"

#: Form fields that are never JSON-decoded (free text, string ids, file ids/URLs).
PLAIN_FIELDS: frozenset[str] = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "caption_parse_mode",
        "title",
        "description",
        "short_description",
        "name",
        "question",
        "explanation",
        "url",
        "data",
        "query",
        "callback_query_id",
        "inline_query_id",
        "inline_message_id",
        "shipping_query_id",
        "pre_checkout_query_id",
        "web_app_query_id",
        "business_connection_id",
        "custom_emoji_id",
        "message_effect_id",
        "result_id",
        "file_id",
        "emoji",
        "payload",
        "start_parameter",
        "provider_token",
        "currency",
        "language_code",
        "secret_token",
        "ip_address",
        "phone_number",
        "first_name",
        "last_name",
        "vcard",
        "address",
        "foursquare_id",
        "google_place_id",
        "sticker_set_name",
        "invite_link",
        "photo",
        "document",
        "video",
        "audio",
        "voice",
        "animation",
        "video_note",
        "sticker",
        "thumbnail",
        "certificate",
    }
)

_MEDIA_FIELDS = ("photo", "document", "video", "audio", "voice", "animation", "video_note")
_JSON_START = frozenset('{["-0123456789tfn')
_NO_MESSAGE_SENDS = frozenset({"sendChatAction", "sendMediaGroup", "sendInvoice"})


@dataclass(slots=True)
class RecordedFile:
    """A file uploaded in a multipart request (or registered with ``add_file``)."""

    field_name: str  #: multipart part name ("" for files registered with add_file)
    filename: str | None
    size: int
    content_type: str | None = None
    data: bytes = field(default=b"", repr=False)
    file_id: str = ""


@dataclass(slots=True)
class Call:
    """One Bot API request as seen by the fake server."""

    method: str
    params: JSONDict
    files: list[RecordedFile] = field(default_factory=list)
    index: int = -1  #: position in ``api.calls`` (-1 when not recorded)
    status: int = 200  #: HTTP status sent back
    response: JSONDict | None = None  #: full JSON response sent back
    consumed: bool = False  #: already returned by ``wait_for``

    @property
    def ok(self) -> bool:
        return bool(self.response and self.response.get("ok"))

    @property
    def result(self) -> Any:
        return self.response.get("result") if self.response else None

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")

    @property
    def text(self) -> str | None:
        """``text`` or, for media, ``caption``."""
        value = self.params.get("text", self.params.get("caption"))
        return None if value is None else str(value)

    @property
    def reply_markup(self) -> JSONDict | None:
        markup = self.params.get("reply_markup")
        return markup if isinstance(markup, dict) else None

    @property
    def inline_buttons(self) -> list[JSONDict]:
        """Inline keyboard buttons, row by row, flattened."""
        return _inline_buttons(self.reply_markup)

    @property
    def button_texts(self) -> list[str]:
        """Texts of inline *or* reply keyboard buttons, flattened."""
        return _button_texts(self.reply_markup)

    @property
    def callback_data(self) -> list[str]:
        return [str(b["callback_data"]) for b in self.inline_buttons if "callback_data" in b]


Responder = Callable[[Call], JSONDict | Awaitable[JSONDict | None] | None]
CallPredicate = Callable[[Call], bool]


@dataclass(slots=True)
class _Fault:
    method: str | None
    error_code: int
    description: str
    retry_after: int | None
    remaining: int
    chat_id: ChatKey | None


@dataclass(slots=True)
class _Waiter:
    match: CallPredicate
    future: asyncio.Future[Call]


def _inline_buttons(markup: JSONDict | None) -> list[JSONDict]:
    if not markup:
        return []
    rows = markup.get("inline_keyboard") or []
    return [button for row in rows for button in row if isinstance(button, dict)]


def _button_texts(markup: JSONDict | None) -> list[str]:
    if not markup:
        return []
    rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    texts: list[str] = []
    for row in rows:
        for button in row:
            texts.append(str(button["text"]) if isinstance(button, dict) else str(button))
    return texts


def _error(error_code: int, description: str, retry_after: int | None = None) -> JSONDict:
    response: JSONDict = {"ok": False, "error_code": error_code, "description": description}
    if retry_after is not None:
        response["parameters"] = {"retry_after": retry_after}
    return response


def _too_many(seconds_left: float) -> JSONDict:
    retry_after = max(1, math.ceil(seconds_left - 1e-6))
    return _error(429, _default_description(429, retry_after), retry_after)


def _default_description(error_code: int, retry_after: int | None) -> str:
    if error_code == 429:
        return f"Too Many Requests: retry after {retry_after if retry_after is not None else 1}"
    return {
        400: "Bad Request: chat not found",
        401: "Unauthorized",
        403: "Forbidden: bot was blocked by the user",
        404: "Not Found",
        409: "Conflict: terminated by other getUpdates request",
        500: "Internal Server Error",
    }.get(error_code, f"Error {error_code}")


def _decode_value(key: str, value: str) -> Any:
    if key in PLAIN_FIELDS or not value or value[0] not in _JSON_START:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


class FakeBotAPI:
    """Fake Telegram Bot API HTTP server (see the module docstring)."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        username: str = "rescue_jobs_bot",
        first_name: str = "Rescue Jobs",
        bot_id: int | None = None,
        record: bool = True,
        record_polling: bool = False,
        max_poll_timeout: float = 1.0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.token = token
        left = token.partition(":")[0]
        self.bot_id: int = bot_id if bot_id is not None else (int(left) if left.isdigit() else 1)
        self.username = username
        self.first_name = first_name
        self.record = record
        self.record_polling = record_polling
        self.max_poll_timeout = max_poll_timeout
        self.host = host
        self._port = port

        #: Optional hook: return a response dict to override the built-in behaviour.
        self.responder: Responder | None = None

        self.calls: list[Call] = []
        self.method_counts: Counter[str] = Counter()  #: every request, per method
        self.chat_attempts: Counter[ChatKey] = Counter()  #: every request with chat_id
        self.chat_counts: Counter[ChatKey] = Counter()  #: successful requests with chat_id
        self.error_counts: Counter[int] = Counter()  #: failed requests, per error_code
        self.blocked: set[ChatKey] = set()
        self.files: dict[str, RecordedFile] = {}
        self.chat_member_statuses: dict[tuple[ChatKey, int], str] = {}

        #: Flood control (see the module docstring): random floods per chat and bot-wide.
        self.chat_flood_probability = 0.0
        self.chat_flood_seconds = 1
        self.flood_wait_probability = 0.0
        self.flood_wait_seconds = 1
        self.flood_rng = random.Random(0)
        self.floods: Counter[str] = Counter()  #: floods started: "chat", "bot"
        self.flood_refusals: Counter[str] = Counter()  #: 429s they answered: "chat", "bot"
        self._chat_floods: dict[ChatKey, float] = {}  # chat -> refused until (monotonic)
        self._flood_until = float("-inf")

        self._faults: dict[str | None, deque[_Fault]] = {}
        self._waiters: list[_Waiter] = []
        self._scan_from = 0
        self._updates: deque[JSONDict] = deque()
        self._next_update_id = 1
        self._updates_event = asyncio.Event()
        self._closing = False
        self._message_ids: dict[int, int] = {}
        self._messages: dict[int, dict[int, JSONDict]] = {}
        self._named_chats: dict[str, int] = {}
        self._file_paths: dict[str, str] = {}
        self._file_seq = itertools.count(1)
        self._callback_seq = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._bound_port: int | None = None

    # ------------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        if self._bound_port is None:
            raise RuntimeError("FakeBotAPI is not started")
        return f"http://{self.host}:{self._bound_port}"

    @property
    def port(self) -> int:
        if self._bound_port is None:
            raise RuntimeError("FakeBotAPI is not started")
        return self._bound_port

    @property
    def bot_user(self) -> JSONDict:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
        }

    async def start(self) -> None:
        if self._runner is not None:
            return
        self._closing = False
        self._updates_event = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_route("*", "/file/bot{token}/{path:.+}", self._handle_file)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self._port))
        sock.listen(1024)
        sock.setblocking(False)
        site = web.SockSite(runner, sock)
        await site.start()
        self._runner = runner
        self._bound_port = int(sock.getsockname()[1])

    async def stop(self) -> None:
        self._closing = True
        self._updates_event.set()  # release long-polling requests at once
        for waiter in self._waiters:
            if not waiter.future.done():
                waiter.future.set_exception(RuntimeError("FakeBotAPI stopped"))
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    def create_bot(self, **bot_kwargs: Any) -> Bot:
        """A real aiogram ``Bot`` wired to this server (close ``bot.session`` yourself)."""
        from aiogram import Bot
        from aiogram.client.session.aiohttp import AiohttpSession
        from aiogram.client.telegram import TelegramAPIServer

        session = AiohttpSession(api=TelegramAPIServer.from_base(self.base_url))
        return Bot(self.token, session=session, **bot_kwargs)

    # ------------------------------------------------------------------ inspection

    @property
    def cursor(self) -> int:
        """Index the next recorded call will get (use as ``wait_for(..., after=api.cursor)``)."""
        return len(self.calls)

    def calls_of(self, method: str | None = None, *, chat_id: ChatKey | None = None) -> list[Call]:
        return [
            c
            for c in self.calls
            if (method is None or c.method == method)
            and (chat_id is None or c.params.get("chat_id") == chat_id)
        ]

    def last_call(self, method: str | None = None, *, chat_id: ChatKey | None = None) -> Call:
        for c in reversed(self.calls):
            if (method is None or c.method == method) and (
                chat_id is None or c.params.get("chat_id") == chat_id
            ):
                return c
        raise LookupError(f"no recorded {method or 'call'} (chat_id={chat_id})")

    def sent_texts(self, chat_id: ChatKey | None = None) -> list[str]:
        """Texts/captions of all recorded successful ``send*`` calls (optionally to one chat)."""
        return [
            c.text
            for c in self.calls
            if c.method.startswith("send")
            and c.text is not None
            and c.ok
            and (chat_id is None or c.params.get("chat_id") == chat_id)
        ]

    def consume_all(self) -> int:
        """Mark every recorded call as consumed; returns ``cursor``."""
        for c in self.calls[self._scan_from :]:
            c.consumed = True
        self._scan_from = len(self.calls)
        return self._scan_from

    def clear(self) -> None:
        """Forget recorded calls and counters (not faults, messages, files or updates)."""
        self.calls.clear()
        self._scan_from = 0
        self.method_counts.clear()
        self.chat_attempts.clear()
        self.chat_counts.clear()
        self.error_counts.clear()
        self.floods.clear()
        self.flood_refusals.clear()

    async def wait_for(
        self,
        method: str | None = None,
        predicate: CallPredicate | None = None,
        timeout: float = 5.0,
        *,
        chat_id: ChatKey | None = None,
        after: int | None = None,
    ) -> Call:
        """Return (and consume) the oldest unconsumed recorded call matching ``method``,
        ``chat_id``, ``predicate`` and ``index >= after``; wait for one if there is none.

        Raises ``TimeoutError`` (with the recent calls in the message) after ``timeout``.
        """
        if not self.record:
            raise RuntimeError("wait_for needs FakeBotAPI(record=True)")

        def match(c: Call) -> bool:
            if method is not None and c.method != method:
                return False
            if chat_id is not None and c.params.get("chat_id") != chat_id:
                return False
            if after is not None and c.index < after:
                return False
            if predicate is None:
                return True
            try:
                return bool(predicate(c))
            except Exception:
                return False

        calls = self.calls
        start = self._scan_from if after is None else max(self._scan_from, after)
        for i in range(start, len(calls)):
            c = calls[i]
            if not c.consumed and match(c):
                self._consume(c)
                return c
        future: asyncio.Future[Call] = asyncio.get_running_loop().create_future()
        waiter = _Waiter(match, future)
        self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            recent = ", ".join(f"{c.method}({c.params.get('chat_id')})" for c in calls[-10:])
            raise TimeoutError(
                f"no {method or 'call'} (chat_id={chat_id}, after={after}) "
                f"within {timeout}s; last calls: [{recent}]"
            ) from None
        finally:
            with contextlib.suppress(ValueError):
                self._waiters.remove(waiter)

    def chat_messages(self, chat_id: ChatKey) -> list[JSONDict]:
        """Current bot messages in a chat (edits applied, deleted ones removed), oldest first."""
        return list(self._messages.get(self._chat_key(chat_id), {}).values())

    def message(self, chat_id: ChatKey, message_id: int) -> JSONDict | None:
        return self._messages.get(self._chat_key(chat_id), {}).get(message_id)

    def last_message(self, chat_id: ChatKey) -> JSONDict | None:
        messages = self._messages.get(self._chat_key(chat_id))
        if not messages:
            return None
        return messages[next(reversed(messages))]

    # ------------------------------------------------------------------ fault injection

    def fail_next(
        self,
        method: str | None,
        error_code: int,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        *,
        chat_id: ChatKey | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (``None`` = any method; optionally only
        for ``chat_id``) fail with ``error_code``.  ``description`` defaults to a realistic
        text (429 → "Too Many Requests: retry after N", 403 → "Forbidden: bot was blocked by
        the user", 400 → "Bad Request: chat not found"); ``retry_after`` adds
        ``parameters.retry_after`` (what makes aiogram raise ``TelegramRetryAfter``)."""
        if error_code == 429 and retry_after is None:
            retry_after = 1
        fault = _Fault(
            method=method,
            error_code=error_code,
            description=description or _default_description(error_code, retry_after),
            retry_after=retry_after,
            remaining=times,
            chat_id=chat_id,
        )
        self._faults.setdefault(method, deque()).append(fault)

    def clear_faults(self) -> None:
        """Forget injected faults and end every flood (the flood probabilities stay)."""
        self._faults.clear()
        self._chat_floods.clear()
        self._flood_until = float("-inf")

    def flood_chat(self, chat_id: ChatKey, seconds: float) -> None:
        """Per-chat flood control: every request to ``chat_id`` gets 429 «retry after N»
        (N = the whole seconds left, at least 1) for ``seconds``; other chats are served."""
        self._chat_floods[chat_id] = time.monotonic() + seconds
        self.floods["chat"] += 1

    def flood_wait(self, seconds: float) -> None:
        """A bot-wide flood wait: every request with a ``chat_id`` gets 429 for ``seconds``."""
        self._flood_until = max(self._flood_until, time.monotonic() + seconds)
        self.floods["bot"] += 1

    def chat_flooded(self, chat_id: ChatKey) -> bool:
        until = self._chat_floods.get(chat_id)
        return until is not None and time.monotonic() < until

    @property
    def flood_waiting(self) -> bool:
        return time.monotonic() < self._flood_until

    def block(self, *chat_ids: ChatKey) -> None:
        """Every request with one of these ``chat_id`` gets 403 "bot was blocked by the user"."""
        self.blocked.update(chat_ids)

    def unblock(self, *chat_ids: ChatKey) -> None:
        self.blocked.difference_update(chat_ids)

    def set_chat_member_status(self, chat_id: ChatKey, user_id: int, status: str) -> None:
        """``getChatMember`` result status: "member" (default), "creator", "left", "kicked"."""
        self.chat_member_statuses[(chat_id, user_id)] = status

    # ------------------------------------------------------------------ updates

    @property
    def pending_updates(self) -> int:
        """Updates pushed but not yet confirmed by a ``getUpdates`` offset."""
        return len(self._updates)

    def push_update(self, update: JSONDict) -> JSONDict:
        """Queue an update for ``getUpdates`` (``update_id`` assigned if missing)."""
        update_id = update.get("update_id")
        if update_id is None:
            update = {"update_id": self._next_update_id, **update}
            update_id = self._next_update_id
        self._next_update_id = max(self._next_update_id, int(update_id) + 1)
        self._updates.append(update)
        self._updates_event.set()
        return update

    def user(
        self,
        user_id: int,
        *,
        first_name: str = "Test",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "ru",
    ) -> JSONDict:
        user: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name is not None:
            user["last_name"] = last_name
        if username is not None:
            user["username"] = username
        if language_code is not None:
            user["language_code"] = language_code
        return user

    def message_update(
        self,
        user_id: int,
        text: str | None = None,
        *,
        chat_id: int | None = None,
        language_code: str | None = "ru",
        first_name: str = "Test",
        last_name: str | None = None,
        username: str | None = None,
        extra: JSONDict | None = None,
    ) -> JSONDict:
        """A ``message`` update from ``user_id`` (in their private chat unless ``chat_id``).
        ``extra`` is merged into the message (e.g. ``{"contact": {...}}``).  Not queued:
        pass it to ``push_update`` or use ``push_message``."""
        chat = self._chat(chat_id if chat_id is not None else user_id)
        if chat["type"] == "private":
            chat = {**chat, "first_name": first_name}
            if username is not None:
                chat["username"] = username
        message: JSONDict = {
            "message_id": self._next_message_id(chat["id"]),
            "date": int(time.time()),
            "chat": chat,
            "from": self.user(
                user_id,
                first_name=first_name,
                last_name=last_name,
                username=username,
                language_code=language_code,
            ),
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split(maxsplit=1)[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if extra:
            message.update(extra)
        return {"message": message}

    def contact_update(
        self,
        user_id: int,
        phone_number: str,
        *,
        own: bool = True,
        chat_id: int | None = None,
        first_name: str = "Test",
        language_code: str | None = "ru",
    ) -> JSONDict:
        """A shared contact (reply-keyboard ``request_contact``); ``own`` sets its user_id."""
        contact: JSONDict = {"phone_number": phone_number, "first_name": first_name}
        if own:
            contact["user_id"] = user_id
        return self.message_update(
            user_id,
            chat_id=chat_id,
            first_name=first_name,
            language_code=language_code,
            extra={"contact": contact},
        )

    def document_update(
        self,
        user_id: int,
        content: bytes,
        *,
        file_name: str = "document.pdf",
        mime_type: str = "application/pdf",
        caption: str | None = None,
        chat_id: int | None = None,
        first_name: str = "Test",
        language_code: str | None = "ru",
    ) -> JSONDict:
        """A document sent by the user; the content is downloadable via getFile."""
        file_id = self.add_file(content, file_name=file_name, mime_type=mime_type)
        extra: JSONDict = {
            "document": {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_name": file_name,
                "mime_type": mime_type,
                "file_size": len(content),
            }
        }
        if caption is not None:
            extra["caption"] = caption
        return self.message_update(
            user_id,
            chat_id=chat_id,
            first_name=first_name,
            language_code=language_code,
            extra=extra,
        )

    def photo_update(
        self,
        user_id: int,
        content: bytes,
        *,
        caption: str | None = None,
        chat_id: int | None = None,
        first_name: str = "Test",
        language_code: str | None = "ru",
    ) -> JSONDict:
        """A photo sent by the user; the content is downloadable via getFile."""
        file_id = self.add_file(content, file_name="photo.jpg", mime_type="image/jpeg")
        extra: JSONDict = {
            "photo": [
                {
                    "file_id": file_id,
                    "file_unique_id": f"u{file_id}",
                    "width": 640,
                    "height": 480,
                    "file_size": len(content),
                }
            ]
        }
        if caption is not None:
            extra["caption"] = caption
        return self.message_update(
            user_id,
            chat_id=chat_id,
            first_name=first_name,
            language_code=language_code,
            extra=extra,
        )

    def callback_update(
        self,
        user_id: int,
        data: str,
        message_id: int | None = None,
        chat_id: int | None = None,
        *,
        first_name: str = "Test",
        language_code: str | None = "ru",
        username: str | None = None,
    ) -> JSONDict:
        """A ``callback_query`` update.  The attached message is the stored bot message
        ``message_id`` of the chat (default: the chat's last bot message), or a stub."""
        chat_key = chat_id if chat_id is not None else user_id
        stored: JSONDict | None
        if message_id is None:
            stored = self.last_message(chat_key)
            message_id = stored["message_id"] if stored else 1
        else:
            stored = self.message(chat_key, message_id)
        message: JSONDict = (
            copy.deepcopy(stored)
            if stored is not None
            else {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": self._chat(chat_key),
                "from": self.bot_user,
                "text": "",
            }
        )
        return {
            "callback_query": {
                "id": str(next(self._callback_seq)),
                "from": self.user(
                    user_id, first_name=first_name, username=username, language_code=language_code
                ),
                "chat_instance": f"ci-{chat_key}",
                "data": data,
                "message": message,
            }
        }

    def push_message(self, user_id: int, text: str | None = None, **kwargs: Any) -> JSONDict:
        """``push_update(message_update(user_id, text, **kwargs))``."""
        return self.push_update(self.message_update(user_id, text, **kwargs))

    def push_callback(self, user_id: int, data: str, **kwargs: Any) -> JSONDict:
        """``push_update(callback_update(user_id, data, **kwargs))``."""
        return self.push_update(self.callback_update(user_id, data, **kwargs))

    def push_click(
        self,
        user_id: int,
        button_text: str,
        *,
        chat_id: int | None = None,
        exact: bool = True,
        **kwargs: Any,
    ) -> JSONDict:
        """Press the inline button labelled ``button_text`` (substring if not ``exact``) in the
        newest bot message of the chat that has one; pushes the callback_query update."""
        chat_key = chat_id if chat_id is not None else user_id
        seen: list[str] = []
        for message in reversed(self.chat_messages(chat_key)):
            for button in _inline_buttons(message.get("reply_markup")):
                label = str(button.get("text", ""))
                seen.append(label)
                hit = label == button_text if exact else button_text in label
                if hit and "callback_data" in button:
                    return self.push_callback(
                        user_id,
                        str(button["callback_data"]),
                        message_id=message["message_id"],
                        chat_id=chat_id,
                        **kwargs,
                    )
        raise LookupError(f"no inline button {button_text!r} in chat {chat_key}; buttons: {seen}")

    # ------------------------------------------------------------------ files

    def add_file(
        self,
        content: bytes,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        file_id: str | None = None,
    ) -> str:
        """Register downloadable content; returns its file_id (for getFile + download)."""
        recorded = RecordedFile(
            field_name="",
            filename=file_name,
            size=len(content),
            content_type=mime_type,
            data=content,
        )
        return self._register_file(recorded, file_id)

    def file_content(self, file_id: str) -> bytes:
        return self.files[file_id].data

    def _register_file(self, recorded: RecordedFile, file_id: str | None = None) -> str:
        if not recorded.file_id:
            recorded.file_id = file_id or f"fake-file-{next(self._file_seq)}"
        self.files[recorded.file_id] = recorded
        return recorded.file_id

    # ------------------------------------------------------------------ HTTP handling

    async def _handle_method(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return self._json(_error(401, "Unauthorized"), 401)
        method = request.match_info["method"]
        params, files = await self._parse(request)
        call = Call(method, params, files)
        self.method_counts[method] += 1
        chat_id = params.get("chat_id")
        if isinstance(chat_id, list | dict):
            chat_id = None
        if chat_id is not None:
            self.chat_attempts[chat_id] += 1

        response = self._injected(method, chat_id)
        if response is None and chat_id is not None:
            response = self._flood(chat_id)
        if response is None and chat_id is not None and chat_id in self.blocked:
            response = _error(403, "Forbidden: bot was blocked by the user")
        if response is None and self.responder is not None:
            produced = self.responder(call)
            if inspect.isawaitable(produced):
                produced = await produced
            response = produced
        if response is None:
            try:
                result = await self._builtin(method, params)
            except _APIError as e:
                response = _error(e.error_code, e.description)
            else:
                response = {"ok": True, "result": result}

        ok = bool(response.get("ok"))
        status = 200 if ok else int(response.get("error_code") or 400)
        if ok:
            if chat_id is not None:
                self.chat_counts[chat_id] += 1
        else:
            self.error_counts[status] += 1
        call.status = status
        call.response = response
        if self.record and (method != "getUpdates" or self.record_polling):
            self._record(call)
        return self._json(response, status)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return self._json(_error(401, "Unauthorized"), 401)
        file_id = self._file_paths.get(request.match_info["path"])
        recorded = self.files.get(file_id) if file_id else None
        if recorded is None:
            return self._json(_error(404, "Not Found"), 404)
        return web.Response(
            body=recorded.data, content_type=recorded.content_type or "application/octet-stream"
        )

    @staticmethod
    def _json(payload: Any, status: int = 200) -> web.Response:
        return web.Response(
            body=json.dumps(payload, ensure_ascii=False).encode(),
            status=status,
            content_type="application/json",
        )

    async def _parse(self, request: web.Request) -> tuple[JSONDict, list[RecordedFile]]:
        params: JSONDict = {}
        for key, value in request.query.items():
            params[key] = _decode_value(key, value)
        files: list[RecordedFile] = []
        if not request.body_exists:
            return params, files
        content_type = request.content_type
        if content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                params.update(body)
        elif content_type == "multipart/form-data":
            by_part: dict[str, RecordedFile] = {}
            reader = await request.multipart()
            while True:
                part = await reader.next()
                if part is None:
                    break
                if not isinstance(part, BodyPartReader):
                    continue
                name = part.name or ""
                if part.filename is not None:
                    data = bytes(await part.read(decode=False))
                    recorded = RecordedFile(
                        field_name=name,
                        filename=part.filename,
                        size=len(data),
                        content_type=part.headers.get("Content-Type"),
                        data=data,
                    )
                    files.append(recorded)
                    by_part[name] = recorded
                else:
                    params[name] = _decode_value(name, await part.text())
            if by_part:
                used: set[str] = set()
                params = {k: _resolve_attach(v, by_part, used) for k, v in params.items()}
                for name, recorded in by_part.items():
                    if name not in used and name not in params:
                        params[name] = recorded
        else:
            text = await request.text()
            for key, value in parse_qsl(text, keep_blank_values=True):
                params[key] = _decode_value(key, value)
        return params, files

    def _injected(self, method: str, chat_id: Any) -> JSONDict | None:
        if not self._faults:
            return None
        for key in (method, None):
            queue = self._faults.get(key)
            if not queue:
                continue
            for fault in queue:
                if fault.chat_id is None or fault.chat_id == chat_id:
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        queue.remove(fault)
                        if not queue:
                            del self._faults[key]
                    return _error(fault.error_code, fault.description, fault.retry_after)
        return None

    def _flood(self, chat_id: ChatKey) -> JSONDict | None:
        """429 while a bot-wide flood wait or the chat's flood lasts (or starts now)."""
        now = time.monotonic()
        rng = self.flood_rng
        wait_p = self.flood_wait_probability
        if now >= self._flood_until and wait_p and rng.random() < wait_p:
            self._flood_until = now + self.flood_wait_seconds
            self.floods["bot"] += 1
        if now < self._flood_until:
            self.flood_refusals["bot"] += 1
            return _too_many(self._flood_until - now)
        floods = self._chat_floods
        until = floods.get(chat_id)
        if until is not None and now >= until:
            del floods[chat_id]
            until = None
        chat_p = self.chat_flood_probability
        if until is None and chat_p and rng.random() < chat_p:
            until = floods[chat_id] = now + self.chat_flood_seconds
            self.floods["chat"] += 1
        if until is None:
            return None
        self.flood_refusals["chat"] += 1
        return _too_many(until - now)

    def _record(self, call: Call) -> None:
        call.index = len(self.calls)
        self.calls.append(call)
        for waiter in self._waiters:
            if not waiter.future.done() and waiter.match(call):
                waiter.future.set_result(call)
                self._consume(call)
                break

    def _consume(self, call: Call) -> None:
        call.consumed = True
        calls = self.calls
        i = self._scan_from
        while i < len(calls) and calls[i].consumed:
            i += 1
        self._scan_from = i

    # ------------------------------------------------------------------ built-in methods

    async def _builtin(self, method: str, params: JSONDict) -> Any:
        if method == "getUpdates":
            return await self._get_updates(params)
        handler = self._handlers.get(method)
        if handler is not None:
            return handler(self, params)
        if method.startswith("send") and method not in _NO_MESSAGE_SENDS:
            return self._send(params)
        return True

    async def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        offset = params.get("offset")
        self._confirm(offset)
        timeout = params.get("timeout") or 0
        if not self._updates and not self._closing and timeout > 0:
            self._updates_event.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._updates_event.wait(), min(float(timeout), self.max_poll_timeout)
                )
            self._confirm(offset)
        limit = int(params.get("limit") or 100)
        return list(itertools.islice(self._updates, max(1, min(limit, 100))))

    def _confirm(self, offset: Any) -> None:
        if not isinstance(offset, int) or offset == 0:
            return
        updates = self._updates
        if offset > 0:
            while updates and updates[0]["update_id"] < offset:
                updates.popleft()
        else:
            while len(updates) > -offset:
                updates.popleft()

    def _get_me(self, params: JSONDict) -> JSONDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _chat_key(self, chat_id: Any) -> int:
        if isinstance(chat_id, int):
            return chat_id
        text = str(chat_id)
        if text.lstrip("-").isdigit():
            return int(text)
        return self._named_chats.setdefault(text, -1001000000000 - len(self._named_chats))

    def _chat(self, chat_id: Any) -> JSONDict:
        key = self._chat_key(chat_id)
        if key > 0:
            return {"id": key, "type": "private"}
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            return {"id": key, "type": "channel", "title": chat_id[1:], "username": chat_id[1:]}
        return {"id": key, "type": "supergroup", "title": f"Chat {key}"}

    def _next_message_id(self, chat_key: int) -> int:
        message_id = self._message_ids.get(chat_key, 0) + 1
        self._message_ids[chat_key] = message_id
        return message_id

    def _require_chat(self, params: JSONDict) -> Any:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise _APIError(400, "Bad Request: chat_id is empty")
        return chat_id

    def _new_message(self, chat_id: Any, params: JSONDict) -> JSONDict:
        chat = self._chat(chat_id)
        message: JSONDict = {
            "message_id": self._next_message_id(chat["id"]),
            "date": int(time.time()),
            "chat": chat,
            "from": self.bot_user,
        }
        for key in ("text", "entities", "caption", "caption_entities"):
            value = params.get(key)
            if value is not None:
                message[key] = str(value) if key in ("text", "caption") else value
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        return message

    def _store(self, message: JSONDict) -> JSONDict:
        if self.record:
            chat_key = message["chat"]["id"]
            self._messages.setdefault(chat_key, {})[message["message_id"]] = message
        return message

    def _media_object(self, kind: str, value: Any) -> JSONDict | list[JSONDict]:
        if isinstance(value, RecordedFile):
            file_id = self._register_file(value)
            size: int | None = value.size
            name = value.filename
            mime = value.content_type
        else:
            file_id = str(value)
            known = self.files.get(file_id)
            size = known.size if known else None
            name = known.filename if known else None
            mime = known.content_type if known else None
        obj: JSONDict = {"file_id": file_id, "file_unique_id": f"u{file_id}"}
        if size is not None:
            obj["file_size"] = size
        if kind == "photo":
            return [{**obj, "width": 640, "height": 480}]
        if kind in ("video", "animation"):
            obj.update(width=640, height=480, duration=1)
        elif kind in ("audio", "voice"):
            obj["duration"] = 1
        elif kind == "video_note":
            obj.update(length=240, duration=1)
        if kind in ("document", "video", "audio", "animation"):
            if name:
                obj["file_name"] = name
            if mime:
                obj["mime_type"] = mime
        return obj

    def _send(self, params: JSONDict) -> JSONDict:
        message = self._new_message(self._require_chat(params), params)
        for kind in _MEDIA_FIELDS:
            if kind in params:
                message[kind] = self._media_object(kind, params[kind])
        if "contact" not in message and "phone_number" in params:
            message["contact"] = {
                "phone_number": str(params["phone_number"]),
                "first_name": str(params.get("first_name", "")),
            }
        return self._store(message)

    def _send_media_group(self, params: JSONDict) -> list[JSONDict]:
        chat_id = self._require_chat(params)
        media = params.get("media")
        if not isinstance(media, list) or not media:
            raise _APIError(400, "Bad Request: media is empty")
        messages = []
        for item in media:
            item_params = {k: v for k, v in item.items() if k in ("caption", "caption_entities")}
            message = self._new_message(chat_id, item_params)
            kind = str(item.get("type", "document"))
            message[kind] = self._media_object(kind, item.get("media"))
            messages.append(self._store(message))
        return messages

    def _edit(self, params: JSONDict, fields: tuple[str, ...]) -> JSONDict | bool:
        if params.get("inline_message_id"):
            return True
        chat_id = self._require_chat(params)
        message_id = params.get("message_id")
        if not isinstance(message_id, int):
            raise _APIError(400, "Bad Request: message identifier is not specified")
        stored = self.message(chat_id, message_id)
        message = (
            dict(stored)
            if stored is not None
            else {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": self._chat(chat_id),
                "from": self.bot_user,
            }
        )
        for key in fields:
            value = params.get(key)
            if value is None:
                message.pop(key, None)
            else:
                message[key] = str(value) if key in ("text", "caption") else value
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        message["edit_date"] = int(time.time())
        return self._store(message)

    def _edit_text(self, params: JSONDict) -> JSONDict | bool:
        return self._edit(params, ("text", "entities"))

    def _edit_caption(self, params: JSONDict) -> JSONDict | bool:
        return self._edit(params, ("caption", "caption_entities"))

    def _edit_markup(self, params: JSONDict) -> JSONDict | bool:
        return self._edit(params, ())

    def _edit_media(self, params: JSONDict) -> JSONDict | bool:
        result = self._edit(params, ())
        media = params.get("media")
        if isinstance(result, dict) and isinstance(media, dict):
            for kind in _MEDIA_FIELDS:
                result.pop(kind, None)
            kind = str(media.get("type", "document"))
            result[kind] = self._media_object(kind, media.get("media"))
            for key in ("caption", "caption_entities"):
                result.pop(key, None)
                if media.get(key) is not None:
                    result[key] = media[key]
        return result

    def _delete_message(self, params: JSONDict) -> bool:
        chat_id = params.get("chat_id")
        message_ids = params.get("message_ids") or [params.get("message_id")]
        if chat_id is not None and self.record:
            stored = self._messages.get(self._chat_key(chat_id), {})
            for message_id in message_ids:
                stored.pop(message_id, None)
        return True

    def _copy_message(self, params: JSONDict) -> JSONDict:
        chat_id = self._require_chat(params)
        source = self.message(params.get("from_chat_id", ""), params.get("message_id") or 0)
        skip = ("message_id", "chat", "date", "reply_markup", "edit_date")
        base = {k: v for k, v in (source or {}).items() if k not in skip}
        message = self._new_message(chat_id, {**base, **params})
        for key, value in base.items():
            message.setdefault(key, value)
        if "caption" in params:
            message["caption"] = str(params["caption"])
        self._store(message)
        return {"message_id": message["message_id"]}

    def _forward_message(self, params: JSONDict) -> JSONDict:
        chat_id = self._require_chat(params)
        source = self.message(params.get("from_chat_id", ""), params.get("message_id") or 0)
        message = self._new_message(chat_id, source or {})
        if source is not None:
            for key, value in source.items():
                message.setdefault(key, value)
        return self._store(message)

    def _get_file(self, params: JSONDict) -> JSONDict:
        file_id = str(params.get("file_id", ""))
        recorded = self.files.get(file_id)
        if recorded is None:
            raise _APIError(400, "Bad Request: invalid file_id")
        suffix = ""
        if recorded.filename and "." in recorded.filename:
            suffix = "." + recorded.filename.rsplit(".", 1)[1]
        path = f"documents/{file_id}{suffix}"
        self._file_paths[path] = file_id
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": recorded.size,
            "file_path": path,
        }

    def _get_chat(self, params: JSONDict) -> JSONDict:
        chat_id = self._require_chat(params)
        return {
            **self._chat(chat_id),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _get_chat_member(self, params: JSONDict) -> JSONDict:
        chat_id = self._require_chat(params)
        user_id = int(params.get("user_id") or 0)
        status = self.chat_member_statuses.get((chat_id, user_id), "member")
        member: JSONDict = {"status": status, "user": self.user(user_id, language_code=None)}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "kicked":
            member["until_date"] = 0
        return member

    def _get_webhook_info(self, params: JSONDict) -> JSONDict:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}

    def _get_my_commands(self, params: JSONDict) -> list[JSONDict]:
        return []

    def _get_chat_menu_button(self, params: JSONDict) -> JSONDict:
        return {"type": "default"}

    _handlers: ClassVar[dict[str, Callable[[FakeBotAPI, JSONDict], Any]]] = {
        "getMe": _get_me,
        "sendMediaGroup": _send_media_group,
        "editMessageText": _edit_text,
        "editMessageCaption": _edit_caption,
        "editMessageReplyMarkup": _edit_markup,
        "editMessageMedia": _edit_media,
        "deleteMessage": _delete_message,
        "deleteMessages": _delete_message,
        "copyMessage": _copy_message,
        "forwardMessage": _forward_message,
        "getFile": _get_file,
        "getChat": _get_chat,
        "getChatMember": _get_chat_member,
        "getWebhookInfo": _get_webhook_info,
        "getMyCommands": _get_my_commands,
        "getChatMenuButton": _get_chat_menu_button,
    }


class _APIError(Exception):
    def __init__(self, error_code: int, description: str) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description


def _resolve_attach(value: Any, files: dict[str, RecordedFile], used: set[str]) -> Any:
    if isinstance(value, str):
        if value.startswith("attach://"):
            name = value[len("attach://") :]
            recorded = files.get(name)
            if recorded is not None:
                used.add(name)
                return recorded
        return value
    if isinstance(value, dict):
        return {k: _resolve_attach(v, files, used) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve_attach(v, files, used) for v in value]
    return value
