"""Tests of the fake Telegram Bot API server, driven by a real aiogram Bot over HTTP."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.filters import CommandStart
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    MediaUnion,
    Message,
)

from tests.fakes.bot_api_server import Call, FakeBotAPI, RecordedFile

TOKEN = "424242:fake-token-for-tests"
USER = 1001


def make_bot(api: FakeBotAPI) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api.base_url))
    return Bot(TOKEN, session=session)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(token=TOKEN, max_poll_timeout=0.3) as server:
        yield server


@pytest.fixture
async def bot(api: FakeBotAPI) -> AsyncIterator[Bot]:
    bot = make_bot(api)
    try:
        yield bot
    finally:
        await bot.session.close()


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=t, callback_data=d)] for t, d in pairs]
    )


async def test_get_me(api: FakeBotAPI, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.id == 424242
    assert me.is_bot
    assert me.username == "rescue_jobs_bot"
    assert [c.method for c in api.calls] == ["getMe"]
    assert api.base_url.startswith("http://127.0.0.1:")


async def test_custom_bot_identity() -> None:
    async with FakeBotAPI(token=TOKEN, username="other_bot", first_name="Other") as api:
        bot = api.create_bot()
        try:
            me = await bot.get_me()
        finally:
            await bot.session.close()
    assert (me.username, me.first_name) == ("other_bot", "Other")


async def test_wrong_token_is_unauthorized(api: FakeBotAPI) -> None:
    bot = Bot("1:wrong", session=AiohttpSession(api=TelegramAPIServer.from_base(api.base_url)))
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await bot.get_me()
    finally:
        await bot.session.close()
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{api.base_url}/bot1:wrong/getMe") as resp,
    ):
        assert resp.status == 401
        assert await resp.json() == {
            "ok": False,
            "error_code": 401,
            "description": "Unauthorized",
        }
    assert api.calls == []


async def test_json_and_get_bodies(api: FakeBotAPI) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"{api.base_url}/bot{TOKEN}/sendMessage", json={"chat_id": 5, "text": "hi"}
        ) as resp:
            body = await resp.json()
        async with http.get(f"{api.base_url}/bot{TOKEN}/sendMessage?chat_id=5&text=123") as resp:
            body2 = await resp.json()
    assert body["ok"] and body["result"]["text"] == "hi"
    assert body2["result"]["message_id"] == 2
    assert api.calls[1].params == {"chat_id": 5, "text": "123"}  # text stays a string


async def test_send_message_with_inline_keyboard(api: FakeBotAPI, bot: Bot) -> None:
    markup = keyboard(("Да", "yes"), ("Нет", "no"))
    first = await bot.send_message(USER, "Вы готовы?", reply_markup=markup)
    second = await bot.send_message(USER, "Ещё", disable_notification=True)
    other_chat = await bot.send_message(USER + 1, "Другой чат")

    assert isinstance(first, Message)
    assert (first.message_id, second.message_id, other_chat.message_id) == (1, 2, 1)
    assert first.chat.id == USER and first.chat.type == "private"
    assert first.text == "Вы готовы?"
    assert first.reply_markup is not None  # echoed back and parsed by aiogram
    assert first.reply_markup.model_dump() == markup.model_dump()

    call = api.calls_of("sendMessage")[0]
    assert call.params["chat_id"] == USER
    assert call.params["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "Да", "callback_data": "yes"}],
            [{"text": "Нет", "callback_data": "no"}],
        ]
    }
    assert call.button_texts == ["Да", "Нет"]
    assert call.callback_data == ["yes", "no"]
    assert api.calls_of("sendMessage")[1].params["disable_notification"] is True
    assert api.sent_texts(USER) == ["Вы готовы?", "Ещё"]
    assert [m["message_id"] for m in api.chat_messages(USER)] == [1, 2]


async def test_edit_and_delete_update_stored_messages(api: FakeBotAPI, bot: Bot) -> None:
    sent = await bot.send_message(USER, "v1", reply_markup=keyboard(("A", "a")))
    edited = await bot.edit_message_text(
        text="v2", chat_id=USER, message_id=sent.message_id, reply_markup=keyboard(("B", "b"))
    )
    assert isinstance(edited, Message)
    assert edited.text == "v2" and edited.edit_date is not None
    stored = api.message(USER, sent.message_id)
    assert stored is not None and stored["text"] == "v2"
    assert stored["reply_markup"]["inline_keyboard"][0][0]["text"] == "B"

    await bot.edit_message_reply_markup(chat_id=USER, message_id=sent.message_id)
    stored = api.message(USER, sent.message_id)
    assert stored is not None and "reply_markup" not in stored

    copied = await bot.copy_message(USER + 1, from_chat_id=USER, message_id=sent.message_id)
    assert copied.message_id == 1
    assert await bot.delete_message(USER, sent.message_id) is True
    assert api.chat_messages(USER) == []
    assert await bot.answer_callback_query("123", text="ok") is True
    assert await bot.set_my_commands([]) is True


async def test_send_document_records_file(api: FakeBotAPI, bot: Bot) -> None:
    content = "id;name\n1;Иван\n".encode()
    doc = BufferedInputFile(content, filename="candidates.csv")
    message = await bot.send_document(USER, doc, caption="Экспорт")

    call = api.last_call("sendDocument")
    uploaded = call.params["document"]
    assert isinstance(uploaded, RecordedFile)
    assert uploaded.filename == "candidates.csv"
    assert uploaded.size == len(content)
    assert uploaded.data == content
    assert call.files == [uploaded]
    assert call.params["caption"] == "Экспорт" and call.text == "Экспорт"

    assert message.document is not None
    assert message.document.file_name == "candidates.csv"
    assert message.caption == "Экспорт"
    # round trip through getFile + /file/bot{token}/{path}
    downloaded = await bot.download(message.document.file_id)
    assert downloaded is not None and downloaded.read() == content


async def test_send_media_group_resolves_attachments(api: FakeBotAPI, bot: Bot) -> None:
    media: list[MediaUnion] = [
        InputMediaDocument(media=BufferedInputFile(b"a" * 10, filename="a.txt"), caption="A"),
        InputMediaDocument(media=BufferedInputFile(b"b" * 20, filename="b.txt")),
    ]
    messages = await bot.send_media_group(USER, media=media)
    assert [m.document.file_name for m in messages if m.document] == ["a.txt", "b.txt"]
    items = api.last_call("sendMediaGroup").params["media"]
    assert [(i["media"].filename, i["media"].size) for i in items] == [("a.txt", 10), ("b.txt", 20)]


async def test_retry_after_injection(api: FakeBotAPI, bot: Bot) -> None:
    api.fail_next("sendMessage", 429, retry_after=3)
    with pytest.raises(TelegramRetryAfter) as exc_info:
        await bot.send_message(USER, "x")
    assert exc_info.value.retry_after == 3
    assert "Too Many Requests" in exc_info.value.message
    assert (await bot.send_message(USER, "y")).text == "y"  # only the next call failed
    assert [c.status for c in api.calls] == [429, 200]
    assert api.error_counts[429] == 1
    assert api.chat_attempts[USER] == 2 and api.chat_counts[USER] == 1


async def test_fail_next_times_and_chat_filter(api: FakeBotAPI, bot: Bot) -> None:
    api.fail_next("sendMessage", 400, "Bad Request: chat not found", times=2, chat_id=7)
    await bot.send_message(8, "unaffected")
    for _ in range(2):
        with pytest.raises(TelegramBadRequest, match="chat not found"):
            await bot.send_message(7, "x")
    await bot.send_message(7, "ok now")


async def test_forbidden(api: FakeBotAPI, bot: Bot) -> None:
    api.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    with pytest.raises(TelegramForbiddenError, match="blocked"):
        await bot.send_message(USER, "x")

    api.block(USER)
    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(USER, "x")
    api.unblock(USER)
    await bot.send_message(USER, "x")


async def test_per_chat_flood_refuses_only_that_chat(api: FakeBotAPI, bot: Bot) -> None:
    api.flood_chat(7, 0.2)
    assert api.chat_flooded(7) and not api.chat_flooded(8)
    with pytest.raises(TelegramRetryAfter) as exc_info:
        await bot.send_message(7, "x")
    assert exc_info.value.retry_after == 1  # whole seconds, rounded up
    await bot.send_message(8, "served meanwhile")
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(7, "still refused")
    await asyncio.sleep(0.25)
    await bot.send_message(7, "after the wait")
    assert api.chat_counts == {8: 1, 7: 1}
    assert api.error_counts[429] == 2
    assert api.floods == {"chat": 1} and api.flood_refusals == {"chat": 2}


async def test_bot_wide_flood_wait_refuses_every_chat(api: FakeBotAPI, bot: Bot) -> None:
    api.flood_wait(2.5)
    assert api.flood_waiting
    for chat in (7, 8, 9):
        with pytest.raises(TelegramRetryAfter) as exc_info:
            await bot.send_message(chat, "x")
        assert exc_info.value.retry_after == 3
    assert (await bot.get_me()).id == api.bot_id  # requests without a chat are served
    api.clear_faults()  # ends every flood
    assert not api.flood_waiting
    await bot.send_message(7, "x")
    assert api.floods == {"bot": 1} and api.flood_refusals == {"bot": 3}


async def test_random_floods(api: FakeBotAPI, bot: Bot) -> None:
    api.chat_flood_probability = 1.0  # every chat not refused already starts a flood
    api.chat_flood_seconds = 5
    for chat in (7, 7, 8):
        with pytest.raises(TelegramRetryAfter) as exc_info:
            await bot.send_message(chat, "x")
        assert exc_info.value.retry_after == 5
    assert api.floods == {"chat": 2} and api.chat_flooded(7) and api.chat_flooded(8)
    api.chat_flood_probability = 0.0
    api.clear_faults()
    api.flood_wait_probability = 1.0
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(9, "x")
    assert api.flood_waiting and api.floods["bot"] == 1
    with pytest.raises(TelegramRetryAfter):  # refused by the flood that runs, no new one
        await bot.send_message(10, "x")
    assert api.floods["bot"] == 1 and api.flood_refusals["bot"] == 2


async def test_responder(api: FakeBotAPI, bot: Bot) -> None:
    def responder(call: Call) -> dict[str, object] | None:
        if call.method != "sendMessage":
            return None
        if call.chat_id == 1:
            return {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 1",
                "parameters": {"retry_after": 1},
            }
        if call.chat_id == 2:
            return {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: bot was blocked by the user",
            }
        return None

    api.responder = responder
    with pytest.raises(TelegramRetryAfter) as exc_info:
        await bot.send_message(1, "x")
    assert exc_info.value.retry_after == 1
    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(2, "x")
    assert (await bot.send_message(3, "x")).message_id == 1

    async def slow(call: Call) -> dict[str, object] | None:
        await asyncio.sleep(0.01)
        return None

    api.responder = slow
    assert (await bot.send_message(3, "y")).message_id == 2


async def test_get_updates_long_polling(api: FakeBotAPI, bot: Bot) -> None:
    pushed = api.push_message(USER, "/start")
    assert pushed["update_id"] == 1
    updates = await bot.get_updates(timeout=5)
    assert [u.update_id for u in updates] == [1]
    message = updates[0].message
    assert message is not None and message.text == "/start"
    assert message.from_user is not None and message.from_user.language_code == "ru"
    # unconfirmed: delivered again
    assert [u.update_id for u in await bot.get_updates(timeout=0)] == [1]

    # offset confirms; nothing left → waits (capped at max_poll_timeout) and returns []
    started = time.monotonic()
    assert await bot.get_updates(offset=2, timeout=30) == []
    assert 0.2 <= time.monotonic() - started < 2
    assert api.pending_updates == 0

    # a pending long poll is woken by a push
    poll = asyncio.create_task(bot.get_updates(offset=2, timeout=30))
    await asyncio.sleep(0.05)
    api.push_update(api.callback_update(USER, "vacancy:1"))
    updates = await asyncio.wait_for(poll, 2)
    assert len(updates) == 1
    callback = updates[0].callback_query
    assert updates[0].update_id == 2
    assert callback is not None and callback.data == "vacancy:1"
    assert api.calls_of("getUpdates") == []  # polling is not recorded by default


async def test_wait_for_steps_through_calls(api: FakeBotAPI, bot: Bot) -> None:
    await bot.send_message(USER, "one")
    await bot.send_message(USER + 1, "other")
    await bot.send_message(USER, "two")
    assert (await api.wait_for("sendMessage", chat_id=USER)).text == "one"
    assert (await api.wait_for("sendMessage", chat_id=USER)).text == "two"
    assert (await api.wait_for("sendMessage")).text == "other"

    later = asyncio.create_task(api.wait_for("sendMessage", lambda c: c.text == "three"))
    await asyncio.sleep(0)
    await bot.send_message(USER, "three")
    assert (await asyncio.wait_for(later, 2)).index == 3

    cursor = api.cursor
    await bot.send_message(USER, "four")
    assert (await api.wait_for(after=cursor)).text == "four"
    with pytest.raises(TimeoutError, match="sendPhoto"):
        await api.wait_for("sendPhoto", timeout=0.05)


async def test_record_false_only_counts() -> None:
    async with FakeBotAPI(token=TOKEN, record=False) as api:
        bot = make_bot(api)
        try:
            api.fail_next("sendMessage", 403, chat_id=3)
            results = await asyncio.gather(
                *(bot.send_message(chat, "hi") for chat in range(1, 201)),
                return_exceptions=True,
            )
        finally:
            await bot.session.close()
    assert sum(isinstance(r, TelegramForbiddenError) for r in results) == 1
    assert api.calls == []
    assert api.method_counts["sendMessage"] == 200
    assert api.chat_attempts[3] == 1 and api.chat_counts[3] == 0
    assert api.chat_counts[200] == 1 and sum(api.chat_counts.values()) == 199


async def test_dispatcher_polling_end_to_end(api: FakeBotAPI, bot: Bot) -> None:
    started = time.monotonic()
    router = Router()

    @router.message(CommandStart())
    async def on_start(message: Message) -> None:
        await message.answer("Добро пожаловать!", reply_markup=keyboard(("Вакансии", "jobs")))

    @router.callback_query(F.data == "jobs")
    async def on_jobs(callback: CallbackQuery) -> None:
        assert isinstance(callback.message, Message)
        await callback.message.edit_text("Список вакансий")
        await callback.answer()

    dp = Dispatcher()
    dp.include_router(router)
    polling = asyncio.create_task(
        dp.start_polling(bot, handle_signals=False, close_bot_session=False)
    )
    try:
        api.push_message(USER, "/start", first_name="Алия")
        reply = await api.wait_for("sendMessage", chat_id=USER, timeout=3)
        assert reply.text == "Добро пожаловать!"
        assert reply.button_texts == ["Вакансии"]

        api.push_click(USER, "Вакансии")
        edit = await api.wait_for("editMessageText", chat_id=USER, timeout=3)
        assert edit.params["message_id"] == reply.result["message_id"]
        await api.wait_for("answerCallbackQuery", timeout=3)
        last = api.last_message(USER)
        assert last is not None and last["text"] == "Список вакансий"
    finally:
        await dp.stop_polling()
        await asyncio.wait_for(polling, 3)
    assert api.method_counts["getMe"] >= 1
    assert time.monotonic() - started < 5
