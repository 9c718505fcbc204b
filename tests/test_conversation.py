"""HR ↔ candidate through the real Dispatcher: the application's forum topic
(``HR_TOPICS``), the candidate's messages copied to HR, HR's replies copied back with
``protect_content``, /my's «Question to HR», bad input, erasure and retention."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiogram.exceptions import TelegramForbiddenError
from aiogram.methods import (
    CloseForumTopic,
    CopyMessage,
    CreateForumTopic,
    DeleteForumTopic,
    DeleteMessage,
    EditMessageText,
    SendDocument,
    SendMessage,
    SetMessageReaction,
)
from aiogram.types import Chat, Contact, Document, Message, PhotoSize, Sticker, Update, User
from sqlalchemy import func, select, update

from bot.db.models import Application, ApplicationTopic, RelayDirection, RelayedMessage
from bot.sending.delivery import deliver_pending
from bot.services import privacy
from bot.services.applications import withdraw
from tests.conftest import BotUnderTest
from tests.harness import Person
from tests.recording_session import BOT_USER
from tests.test_outbox import HR_CHAT, context, make_application

HR_ID = 9000  # settings.admin_ids
LANGS = pytest.mark.parametrize("lang", ["ru", "kk"])
SENT = {"ru": "Передано в отдел кадров", "kk": "Кадр бөліміне жіберілді"}
FROM_HR = {"ru": "Отдел кадров (заявка №{id})", "kk": "Кадр бөлімі (№{id} өтінім)"}
REFUSED = {"ru": "только текст, фото или документ до 20 МБ", "kk": "тек мәтін, фото немесе"}
TOO_BIG = {"ru": "Файл слишком большой", "kk": "Файл тым үлкен"}

_ids = itertools.count(20_000_000)


def sticker() -> Sticker:
    return Sticker(
        file_id="STICKER",
        file_unique_id="s",
        type="regular",
        width=1,
        height=1,
        is_animated=False,
        is_video=False,
    )


async def deliver(app: BotUnderTest) -> None:
    await deliver_pending(context(app))


async def card_of(app: BotUnderTest, application_id: int) -> Application:
    async with app.session_factory() as session:
        found = await session.get(Application, application_id)
        assert found is not None and found.hr_message_id is not None
        return found


async def relayed(app: BotUnderTest, application_id: int | None = None) -> list[RelayedMessage]:
    async with app.session_factory() as session:
        query = select(RelayedMessage).order_by(RelayedMessage.id)
        if application_id is not None:
            query = query.where(RelayedMessage.application_id == application_id)
        return list(await session.scalars(query))


async def topics(app: BotUnderTest) -> list[ApplicationTopic]:
    async with app.session_factory() as session:
        return list(await session.scalars(select(ApplicationTopic)))


async def hr_says(
    app: BotUnderTest,
    text: str,
    *,
    reply_to: int | None,
    thread: int | None = None,
    user_id: int = HR_ID,
    **fields: Any,
) -> int:
    """A message in the HR chat (a reply to ``reply_to``, a message of the bot); its id.
    Nothing fails when the bot answers nothing."""
    chat = Chat(id=HR_CHAT, type="supergroup", is_forum=thread is not None)
    replied = None
    if reply_to is not None:
        replied = Message(
            message_id=reply_to,
            date=datetime.now(UTC),
            chat=chat,
            from_user=BOT_USER,
            text="…",
            message_thread_id=thread,
        )
    message = Message(
        message_id=next(_ids),
        date=datetime.now(UTC),
        chat=chat,
        from_user=User(id=user_id, is_bot=False, first_name="Дана", language_code="ru"),
        text=text if not fields else None,
        reply_to_message=replied,
        message_thread_id=thread,
        is_topic_message=thread is not None or None,
        **fields,
    )
    await app.dp.feed_update(app.bot, Update(update_id=next(_ids), message=message))
    return message.message_id


def to_hr(app: BotUnderTest) -> list[Any]:
    return [
        r
        for r in app.session.requests
        if isinstance(r, SendMessage | CopyMessage) and r.chat_id == HR_CHAT
    ]


def to_person(app: BotUnderTest, user_id: int) -> list[Any]:
    return [
        r
        for r in app.session.requests
        if isinstance(r, SendMessage | CopyMessage) and r.chat_id == user_id
    ]


# --------------------------------------------------------------------------- with topics


@LANGS
async def test_topic_per_application_and_the_relay_both_ways(app: BotUnderTest, lang: str) -> None:
    app.settings.hr_topics = True
    application = await make_application(app, 1001, language=lang)
    await deliver(app)
    # The topic first, named by the application's number and position (no name).
    [topic] = app.session.of(CreateForumTopic)
    assert topic.chat_id == HR_CHAT
    assert topic.name == f"#{application.id} Водитель специальной техники автотранспортной службы"
    assert "Айгерим" not in topic.name
    [stored] = await topics(app)
    thread = stored.message_thread_id
    assert stored.application_id == application.id and stored.hr_chat_id == HR_CHAT
    # The card and the CV went into the topic.
    [placeholder] = [r for r in app.session.of(SendMessage) if r.chat_id == HR_CHAT]
    assert placeholder.message_thread_id == thread
    [cv] = app.session.of(SendDocument)
    assert cv.message_thread_id == thread
    # A second round (a retry) creates no second topic.
    await deliver_pending(context(app), now=datetime.now(UTC) + timedelta(hours=1))
    assert len(app.session.of(CreateForumTopic)) == 1

    person = app.person(1001, language_code=lang)
    app.session.clear()
    answer = await person.send("Когда собеседование?")
    assert SENT[lang] in answer
    header, copy = to_hr(app)
    assert isinstance(header, SendMessage) and header.message_thread_id == thread
    assert f"Сообщение от кандидата по заявке №{application.id}" in header.text  # HR_LOCALE
    assert isinstance(copy, CopyMessage) and copy.message_thread_id == thread
    assert copy.from_chat_id == 1001
    rows = await relayed(app, application.id)
    assert [r.direction for r in rows] == [RelayDirection.to_hr, RelayDirection.to_hr]
    copy_id = app.session.results[app.session.requests.index(copy)].message_id
    assert rows[1].hr_message_id == copy_id

    # HR reply to the copy, in the topic: back to the candidate, protected.
    app.session.clear()
    hr_message = await hr_says(app, "Завтра в 10:00", reply_to=copy_id, thread=thread)
    header, back = to_person(app, 1001)
    assert FROM_HR[lang].format(id=application.id) in header.text
    assert header.protect_content is True
    assert isinstance(back, CopyMessage)
    assert (back.from_chat_id, back.message_id) == (HR_CHAT, hr_message)
    assert back.protect_content is True
    [reaction] = app.session.of(SetMessageReaction)
    assert reaction.chat_id == HR_CHAT and reaction.message_id == hr_message
    rows = await relayed(app, application.id)
    assert rows[-1].direction == RelayDirection.to_candidate
    assert rows[-1].hr_message_id == hr_message

    # HR's own talk in the topic (a reply to nothing but the topic) stays among HR.
    app.session.clear()
    await hr_says(app, "Кто с ним говорил?", reply_to=thread, thread=thread)
    assert to_person(app, 1001) == []

    # Later notices about the application go into the topic too (a withdrawal).
    async with app.session_factory() as session:
        await withdraw(session, application.id, 1001)
    app.session.clear()
    await deliver(app)
    [notice] = [r for r in app.session.of(SendMessage) if r.chat_id == HR_CHAT]
    assert notice.message_thread_id == thread


async def test_not_a_forum_falls_back_to_the_chat(app: BotUnderTest) -> None:
    from aiogram.exceptions import TelegramBadRequest

    app.settings.hr_topics = True
    app.session.fail_next(
        CreateForumTopic,
        lambda: TelegramBadRequest(
            method=CreateForumTopic(chat_id=HR_CHAT, name="x"),
            message="Bad Request: the chat is not a forum",
        ),
    )
    application = await make_application(app, 1001)
    await deliver(app)
    assert await topics(app) == []
    [placeholder] = [r for r in app.session.of(SendMessage) if r.chat_id == HR_CHAT]
    assert placeholder.message_thread_id is None
    assert (await card_of(app, application.id)).hr_message_id is not None


async def test_a_topic_deleted_by_hand_falls_back_to_the_chat(app: BotUnderTest) -> None:
    from aiogram.exceptions import TelegramBadRequest

    app.settings.hr_topics = True
    await make_application(app, 1001)
    await deliver(app)
    person = app.person(1001)
    app.session.clear()
    app.session.fail_next(
        SendMessage,
        lambda: TelegramBadRequest(
            method=SendMessage(chat_id=HR_CHAT, text="x"),
            message="Bad Request: message thread not found",
        ),
    )
    assert SENT["ru"] in await person.send("Вопрос")
    header, copy = to_hr(app)
    assert header.message_thread_id is None and copy.message_thread_id is None


# --------------------------------------------------------------------------- without topics


@LANGS
async def test_reply_to_the_card_without_topics(app: BotUnderTest, lang: str) -> None:
    application = await make_application(app, 1001, language=lang)
    await deliver(app)
    card = await card_of(app, application.id)
    person = app.person(1001, language_code=lang)
    app.session.clear()
    photo = [PhotoSize(file_id="PHOTO", file_unique_id="p", width=10, height=10, file_size=1000)]
    assert SENT[lang] in await person.send_message(photo=photo, caption="мой диплом")
    header, copy = to_hr(app)
    assert header.message_thread_id is None
    assert header.reply_parameters.message_id == card.hr_message_id  # under the card
    assert copy.reply_parameters is not None

    # HR reply to the card itself goes to the candidate too.
    app.session.clear()
    hr_message = await hr_says(app, "Принесите оригинал", reply_to=card.hr_message_id)
    [_, back] = to_person(app, 1001)
    assert back.message_id == hr_message and back.protect_content is True


async def test_blocked_bot_and_erased_candidate_are_told_to_hr(app: BotUnderTest) -> None:
    application = await make_application(app, 1001)
    await deliver(app)
    card = await card_of(app, application.id)
    app.session.clear()
    app.session.fail_next(
        SendMessage,
        lambda: TelegramForbiddenError(
            method=SendMessage(chat_id=1001, text="x"), message="Forbidden: bot was blocked"
        ),
    )
    await hr_says(app, "Вы придёте?", reply_to=card.hr_message_id)
    [note] = [r for r in app.session.of(SendMessage) if r.chat_id == HR_CHAT]
    assert "Кандидат недоступен" in note.text
    assert await relayed(app) == []
    async with app.session_factory() as session:
        await privacy.delete_me(session, 1001)
    app.session.clear()
    await hr_says(app, "Вы придёте?", reply_to=card.hr_message_id)
    assert to_person(app, 1001) == []
    [note] = [r for r in app.session.of(SendMessage) if r.chat_id == HR_CHAT]
    assert "удалил свои данные" in note.text


async def test_non_hr_member_replying_does_nothing(app: BotUnderTest) -> None:
    application = await make_application(app, 1001)
    await deliver(app)
    card = await card_of(app, application.id)
    app.session.clear()
    # The fake API's getChatMember answer is no member: not HR.
    await hr_says(app, "Я тоже хочу", reply_to=card.hr_message_id, user_id=5555)
    assert to_person(app, 1001) == []
    assert [r for r in app.session.of(SendMessage) if r.chat_id == HR_CHAT] == []
    assert await relayed(app) == []


# --------------------------------------------------------------------------- the candidate


@LANGS
async def test_sticker_and_big_file_are_refused(app: BotUnderTest, lang: str) -> None:
    await make_application(app, 1001, language=lang)
    await deliver(app)
    person = app.person(1001, language_code=lang)
    app.session.clear()
    assert REFUSED[lang] in await person.send_message(sticker=sticker())
    big = Document(file_id="BIG", file_unique_id="b", file_name="a.pdf", file_size=50 * 2**20)
    assert TOO_BIG[lang] in await person.send_message(document=big)
    assert to_hr(app) == []
    assert await relayed(app) == []
    # A contact left over from a form's keyboard is the form's business, not HR's.
    contact = Contact(phone_number="+77011234567", first_name="A", user_id=1001)
    assert REFUSED[lang] not in await person.send_message(contact=contact)
    assert to_hr(app) == []


async def test_no_application_is_search_and_fallback_as_before(app: BotUnderTest) -> None:
    person = app.person(1001)
    answer = await person.send("водитель")
    assert "Найдено по запросу «водитель»" in answer  # the search, as before
    assert to_hr(app) == []
    answer = await person.send_message(sticker=sticker())
    assert "Отдел кадров" not in answer and to_hr(app) == []


async def test_several_applications_ask_which(app: BotUnderTest) -> None:
    first = await make_application(app, 1001)
    second = await make_application(app, 1001, position=38)
    await deliver(app)
    person = app.person(1001)
    app.session.clear()
    answer = await person.send("Вопрос")
    assert "О какой заявке" in answer and to_hr(app) == []
    assert person.button(f"№{first.id}") and person.button(f"№{second.id}")
    answer = await person.press(f"№{second.id}")
    assert SENT["ru"] in answer
    header, copy = to_hr(app)
    assert f"№{second.id}" in header.text
    assert copy.from_chat_id == 1001
    assert [r.application_id for r in await relayed(app)] == [second.id, second.id]
    # A forged button for an application that is not theirs relays nothing.
    other = await make_application(app, 2002)
    app.session.clear()
    answer = await person.press_data(f"cvpick:{other.id}:1")
    assert "написать уже нельзя" in answer and to_hr(app) == []


@LANGS
async def test_question_from_my(app: BotUnderTest, lang: str) -> None:
    application = await make_application(app, 1001, language=lang)
    await deliver(app)
    person = app.person(1001, language_code=lang)
    await person.send("/my")
    button = "Кадр бөліміне сұрақ" if lang == "kk" else "Вопрос в отдел кадров"
    prompt = await person.press(button)
    assert f"№{application.id}" in prompt
    app.session.clear()
    # Bad input: the same step.
    assert REFUSED[lang] in await person.send_message(sticker=sticker())
    assert to_hr(app) == []
    assert SENT[lang] in await person.send("Нужна ли медсправка?")
    header, copy = to_hr(app)
    assert f"№{application.id}" in header.text and isinstance(copy, CopyMessage)
    # The step is over: the next text is a message outside any flow (relayed again).
    app.session.clear()
    assert SENT[lang] in await person.send("И ещё вопрос")


async def test_question_step_survives_a_restart(app: BotUnderTest) -> None:
    # Two live applications: without the step, a message would ask «which application?».
    application = await make_application(app, 1001)
    await make_application(app, 1001, position=38)
    await deliver(app)
    person = app.person(1001)
    await person.send("/my")
    await person.press(f"Вопрос в отдел кадров (№{application.id})")
    app.restart()
    app.session.clear()
    assert SENT["ru"] in await person.send_message(
        document=Document(file_id="D", file_unique_id="d", file_name="a.pdf", file_size=1000)
    )
    header, copy = to_hr(app)
    assert f"№{application.id}" in header.text and isinstance(copy, CopyMessage)


async def test_question_cancel(app: BotUnderTest) -> None:
    await make_application(app, 1001)
    person = app.person(1001)
    await person.send("/my")
    await person.press("Вопрос в отдел кадров")
    answer = await person.press("Отмена")
    assert "Вопрос в отдел кадров" in person.button("Вопрос").text and answer


async def test_a_message_in_a_flow_is_not_relayed(app: BotUnderTest) -> None:
    await make_application(app, 1001)
    await deliver(app)
    person: Person = app.person(1001)
    await person.send("/start")
    await person.press("Русский")
    await person.press_data("pos:22")
    await person.press("✍️")  # the questionnaire of another position
    app.session.clear()
    answer = await person.send("высшее")
    assert "ответьте кнопками" in answer
    assert to_hr(app) == []


# --------------------------------------------------------------------------- erasure


@LANGS
async def test_delete_me_removes_topic_copies_and_rows(app: BotUnderTest, lang: str) -> None:
    app.settings.hr_topics = True
    application = await make_application(app, 1001, language=lang)
    await deliver(app)
    person = app.person(1001, language_code=lang)
    await person.send("Вопрос")
    [stored] = await topics(app)
    assert len(await relayed(app)) == 2
    await person.send("/delete_me")
    await person.press("Иә" if lang == "kk" else "Да, удалить")
    assert await topics(app) == [] and await relayed(app) == []
    app.session.clear()
    await deliver(app)
    [deleted] = app.session.of(DeleteForumTopic)
    assert (deleted.chat_id, deleted.message_thread_id) == (HR_CHAT, stored.message_thread_id)
    # The card was anonymized too (hr_deleted).
    assert any(
        isinstance(r, EditMessageText) and r.chat_id == HR_CHAT for r in app.session.requests
    )
    assert application.id


async def test_delete_me_closes_topic_when_not_allowed_and_deletes_copies(
    app: BotUnderTest,
) -> None:
    from aiogram.exceptions import TelegramBadRequest

    app.settings.hr_topics = True
    await make_application(app, 1001)
    await deliver(app)
    person = app.person(1001)
    await person.send("Вопрос")
    copies = sorted(r.hr_message_id for r in await relayed(app))
    await person.send("/delete_me")
    await person.press("Да, удалить")
    app.session.clear()
    app.session.fail_next(
        DeleteForumTopic,
        lambda: TelegramBadRequest(
            method=DeleteForumTopic(chat_id=HR_CHAT, message_thread_id=1),
            message="Bad Request: not enough rights to delete the topic",
        ),
    )
    app.session.fail_next(
        DeleteMessage,
        lambda: TelegramBadRequest(
            method=DeleteMessage(chat_id=HR_CHAT, message_id=1),
            message="Bad Request: message can't be deleted",
        ),
    )
    report = await deliver_pending(context(app))
    assert report.gave_up == 0 and report.failed == 0
    assert len(app.session.of(CloseForumTopic)) == 1
    # One copy refused (left: the request failed), the other deleted.
    deleted = [r.message_id for r in app.session.of(DeleteMessage) if r.chat_id == HR_CHAT]
    assert [m for m in deleted if m in copies] == [copies[-1]]


async def test_retention_removes_the_conversation(app: BotUnderTest) -> None:
    application = await make_application(app, 1001)
    await deliver(app)
    await app.person(1001).send("Вопрос")
    copies = {r.hr_message_id for r in await relayed(app)}
    assert len(copies) == 2
    now = datetime.now(UTC)
    async with app.session_factory() as session:
        await session.execute(
            update(Application)
            .where(Application.id == application.id)
            .values(created_at=now - timedelta(days=400))
        )
        await session.commit()
        assert await privacy.anonymize_older_than(session, 365, now) == 1
        assert await session.scalar(select(func.count()).select_from(RelayedMessage)) == 0
    app.session.clear()
    await deliver(app)
    deleted = {r.message_id for r in app.session.of(DeleteMessage) if r.chat_id == HR_CHAT}
    assert copies <= deleted
