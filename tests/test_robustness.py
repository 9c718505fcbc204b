"""Robust by default (issue 9, item 5): a failing handler gets the person an apology and a
log line without personal data; every button press is answered exactly once; a stale,
forged or unknown button is an alert that leaves the step on screen (item 2)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from aiogram import F
from aiogram.exceptions import TelegramBadRequest, TelegramNetworkError
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from aiogram.types import CallbackQuery, Update
from aiogram.utils.callback_answer import CallbackAnswer

from bot.errors import describe_failure
from bot.handlers.common import show
from bot.services import funnel
from tests.conftest import BotUnderTest
from tests.harness import Person

NAME = "Айгерим"  # the harness's first name
TYPED = "водитель +7 701 123 45 67"
SECRET = "Нурланова +77011234567"  # what a careless exception text might quote


class Boom(RuntimeError):
    pass


def boom(*_args: Any, **_kwargs: Any) -> Any:
    raise Boom(f"{SECRET} {TYPED}")


def answers_to(app: BotUnderTest, query_id: str) -> list[AnswerCallbackQuery]:
    return [a for a in app.session.of(AnswerCallbackQuery) if a.callback_query_id == query_id]


def last_query_id(app: BotUnderTest) -> str:
    """The id of the press just made (the harness numbers them as it goes)."""
    return app.session.of(AnswerCallbackQuery)[-1].callback_query_id


def assert_clean(caplog: pytest.LogCaptureFixture, person: Person) -> None:
    """Nothing personal in what the bot and aiogram logged (tracebacks included)."""
    text = "\n".join(
        caplog.handler.format(r) for r in caplog.records if r.name.startswith(("bot", "aiogram"))
    )
    assert "failed" in text
    for secret in (NAME, SECRET, TYPED, "+77011234567", "701 123 45 67", str(person.user.id)):
        assert secret not in text, secret


def debug(caplog: pytest.LogCaptureFixture) -> None:
    for name in ("bot", "aiogram"):
        caplog.set_level(logging.DEBUG, logger=name)


# --------------------------------------------------------------------------- the error handler


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_a_failing_button_handler_gets_an_alert_and_an_apology(
    app: BotUnderTest,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    lang: str,
) -> None:
    person = app.person(user_id=7007, language_code=lang)
    await person.send("/start")
    await person.press("Қазақша" if lang == "kk" else "Русский")
    await person.send("водитель")
    monkeypatch.setattr(funnel, "record", boom)  # opening a card records a funnel step
    debug(caplog)
    before = len(app.session.requests)
    await person.press("эвакуатор")  # the position card: its handler fails
    new = app.session.requests[before:]
    [answer] = [r for r in new if isinstance(r, AnswerCallbackQuery)]  # once: no spinner
    assert answer.show_alert
    assert answer.text == app.translator(lang, "common.error.alert")
    [apology] = [r for r in new if isinstance(r, SendMessage)]
    assert apology.chat_id == person.chat.id
    assert apology.text == app.translator(lang, "common.error.apology")
    assert "/start" in apology.text
    assert not [r for r in new if isinstance(r, EditMessageText)]
    assert "(callback_query) failed: Boom in bot/handlers/browse.py:" in caplog.text
    assert_clean(caplog, person)
    monkeypatch.undo()
    assert "эвакуатор" in (await person.press("эвакуатор")).lower()  # the same button works


async def test_a_failing_text_handler_gets_an_apology_and_logs_no_text(
    app: BotUnderTest, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    person = app.person(user_id=7008)
    monkeypatch.setattr(app.catalogue, "search", boom)
    debug(caplog)
    answer = await person.send(TYPED)  # the title search fails
    assert answer == app.translator("ru", "common.error.apology")
    assert "(message) failed: Boom in bot/handlers/browse.py:" in caplog.text
    assert_clean(caplog, person)


async def test_an_answered_press_is_not_answered_twice_when_the_handler_fails(
    app: BotUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    person = app.person(user_id=7009)
    await person.send("водитель")
    app.session.fail_next(
        EditMessageText, lambda: TelegramNetworkError(method=EditMessageText, message="timeout")
    )
    await person.press("эвакуатор")  # show() answers the press, then the edit fails
    assert len(answers_to(app, last_query_id(app))) == 1
    assert app.session.last_text() == app.translator("ru", "common.error.apology")
    assert "failed: TelegramNetworkError" in caplog.text


async def test_the_error_handler_never_raises(
    app: BotUnderTest, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    person = app.person(user_id=7010)
    sent = await person.send("водитель")
    monkeypatch.setattr(funnel, "record", boom)
    app.session.fail_next(
        AnswerCallbackQuery,
        lambda: TelegramBadRequest(method=AnswerCallbackQuery, message="query is too old"),
    )
    # No exception, and no apology either: the update sent nothing, the screen stays.
    assert await person.press("эвакуатор", quiet=True) == ""
    assert person.screen().text == sent
    assert "the apology was not delivered: TelegramBadRequest" in caplog.text
    assert_clean(caplog, person)


def test_the_failure_line_has_types_codes_and_places_only() -> None:
    class DriverError(Exception):
        sqlstate = "23505"

    class IntegrityError(Exception):
        pass

    def insert() -> None:
        try:
            raise DriverError(f"Key (phone)=({SECRET}) already exists")
        except DriverError as exc:
            raise IntegrityError(f"INSERT … {TYPED}") from exc

    try:
        insert()
    except IntegrityError as exc:
        line = describe_failure(Update(update_id=77), exc)
    assert line.startswith("Update 77 (unknown) failed: IntegrityError <- DriverError [23505] ")
    assert "raised at test_robustness.py:" in line and " insert" in line
    assert SECRET not in line and TYPED not in line and "phone" not in line


# --------------------------------------------------------------------------- answered once


async def test_every_press_is_answered_exactly_once(app: BotUnderTest) -> None:
    async def silent(callback: CallbackQuery) -> None:
        bot = callback.bot
        assert bot is not None
        await bot.send_message(callback.from_user.id, "silent")

    async def alert(callback: CallbackQuery) -> None:
        await callback.answer("alert", show_alert=True)

    async def shown(callback: CallbackQuery) -> None:
        await show(callback, "shown")  # answers, then edits

    async def configured(callback: CallbackQuery, callback_answer: CallbackAnswer) -> None:
        callback_answer.text = "configured"  # aiogram's way: the middleware answers with it

    async def disabled(callback: CallbackQuery) -> None:
        return None

    dp = app.dp
    dp.callback_query.register(silent, F.data == "t:silent")
    dp.callback_query.register(alert, F.data == "t:alert")
    dp.callback_query.register(shown, F.data == "t:shown")
    dp.callback_query.register(configured, F.data == "t:configured")
    dp.callback_query.register(
        disabled, F.data == "t:disabled", flags={"callback_answer": {"disabled": True}}
    )
    person = app.person(user_id=7011)
    await person.send("водитель")
    expected = {
        "t:silent": None,
        "t:alert": "alert",
        "t:shown": None,
        "t:configured": "configured",
    }
    for data, text in expected.items():
        before = len(app.session.requests)
        await person.press_data(data)
        answers = [r for r in app.session.requests[before:] if isinstance(r, AnswerCallbackQuery)]
        assert [a.text for a in answers] == [text], data
    before = len(app.session.requests)
    await person.press_data("t:disabled", quiet=True)  # the flag: the handler's business
    assert not [r for r in app.session.requests[before:] if isinstance(r, AnswerCallbackQuery)]


@pytest.mark.parametrize(
    "presses",
    [
        ["📋"],  # the departments (show())
        ["📋", "Аварийно-спасательная служба", "Спасатель аварийно"],
        ["🔎"],
        ["📋", "« Назад"],
    ],
)
async def test_real_buttons_are_answered_exactly_once(
    app: BotUnderTest, presses: list[str]
) -> None:
    person = app.person(user_id=7012)
    await person.send("/start")
    await person.press("Русский")
    for text in presses:
        await person.press(text)
        assert len(answers_to(app, last_query_id(app))) == 1, text


# --------------------------------------------------------------------------- stale buttons


@pytest.mark.parametrize("forged", ["garbage", "pos:999", "dept:nowhere", "apply:0", ""])
async def test_a_forged_button_mid_questionnaire_leaves_the_question(
    app: BotUnderTest, forged: str
) -> None:
    person = app.person(user_id=7013)
    await person.send("/start")
    await person.press("Русский")
    await person.press_data("pos:62")
    question = await person.press("✍️")
    assert "Вопрос 1 из 2" in question
    sent = len(app.session.texts())
    await person.press_data(forged)
    assert person.only_answered() and person.screen().text == question  # still on screen
    assert len(app.session.texts()) == sent  # nothing sent, nothing edited
    [answer] = answers_to(app, last_query_id(app))
    assert answer.show_alert and answer.text == app.translator("ru", "common.stale_button")
    assert "Вопрос 2 из 2" in await person.press("Среднее общее")  # the next answer counts
