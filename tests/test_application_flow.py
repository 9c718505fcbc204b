"""The application end to end through the real Dispatcher: Apply → consent → form → review →
submit, /my and withdrawal, Back and Cancel on every step, a restart in the middle."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import (
    Contact,
    Document,
    PhotoSize,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Sticker,
    User,
    Voice,
)
from sqlalchemy import select

from bot.db.models import Application, Base, Consent, FsmRecord, OutboxMessage
from bot.keyboards.callbacks import WithdrawCb
from bot.services.privacy import CONSENT_VERSION
from tests.conftest import BotUnderTest
from tests.harness import Person

USER = 6_123_456_789
NAME = "Сейтжанова Айгерим Болатовна"
PHONE = "+77011234567"
PDF = Document(
    file_id="CV-FILE-ID-PDF",
    file_unique_id="u-pdf",
    file_name="Резюме.pdf",
    mime_type="application/pdf",
    file_size=300_000,
)
LABELS = {
    "ru": {
        "level": "Среднее общее",
        "done": "Готово",
        "language": "Русский",
        "apply": "📨 Подать заявку",
        "agree": "Согласен",
        "no": "Нет",
        "step": "шаг {n} из 4",
        "skip": "Пропустить",
        "keep": "Оставить",
        "back": "« Назад",
        "cancel": "✖ Отмена",
        "submit": "📨 Отправить",
        "cancelled": "Заявка отменена",
    },
    "kk": {
        "level": "Жалпы орта",
        "done": "Дайын",
        "language": "Қазақша",
        "apply": "📨 Кадр бөліміне",
        "agree": "Келісемін",
        "no": "Жоқ",
        "step": "4 қадамның {n}-сі",
        "skip": "Өткізіп жіберу",
        "keep": "Өзгеріссіз",
        "back": "« Артқа",
        "cancel": "✖ Бас тарту",
        "submit": "📨 Өтінімді жіберу",
        "cancelled": "Өтінім тоқтатылды",
    },
}


def document(name: str, mime: str, size: int, file_id: str = "DOC") -> Document:
    return Document(
        file_id=file_id, file_unique_id="u", file_name=name, mime_type=mime, file_size=size
    )


STICKER = Sticker(
    file_id="STICKER",
    file_unique_id="s",
    type="regular",
    width=1,
    height=1,
    is_animated=False,
    is_video=False,
)


async def screened(
    app: BotUnderTest,
    lang: str = "ru",
    user_id: int = USER,
    username: str | None = "aigerim_s",
) -> Person:
    """A person who answered the driver's questionnaire (position 62) and sees the result."""
    person = app.person(user_id=user_id, language_code=lang)
    person.user = User(
        id=user_id,
        is_bot=False,
        first_name="Айгерим",
        username=username,
        language_code=lang,
    )
    await person.send("/start")
    if any(LABELS[lang]["language"] in b.text for b in person.buttons()):
        await person.press(LABELS[lang]["language"])  # the first time only
    await person.press_data("pos:62")
    await person.press("✍️")
    await person.press(LABELS[lang]["level"])
    await person.press("C1")
    await person.press(LABELS[lang]["done"])
    return person


FORM_STEPS = ("name", "phone", "cv", "comment", "review")


async def fill_to(
    person: Person, step: str, lang: str = "ru", apply_data: str | None = None
) -> None:
    """Apply (on the result screen, or its saved button), consent and fill the form in up
    to ``step``."""
    labels = LABELS[lang]
    if apply_data is None:
        await person.press(labels["apply"])
    else:
        await person.press_data(apply_data)
    await person.press(labels["agree"])
    for done in FORM_STEPS[: FORM_STEPS.index(step)]:
        if done == "name":
            await person.send(NAME)
        elif done == "phone":
            await person.send(PHONE)
        elif done == "cv":
            await person.send_message(document=PDF)
        else:
            await person.press(labels["skip"])


async def to_step(app: BotUnderTest, step: str, lang: str = "ru", user_id: int = USER) -> Person:
    """Screened, consented and filled in up to ``step`` (name, phone, cv, comment, review)."""
    person = await screened(app, lang, user_id)
    await fill_to(person, step, lang)
    return person


def last_reply_markup(app: BotUnderTest) -> Any:
    sent = app.session.of(SendMessage)
    return sent[-1].reply_markup if sent else None


def reply_markups(app: BotUnderTest) -> list[Any]:
    return [m.reply_markup for m in app.session.of(SendMessage)]


async def rows(app: BotUnderTest, model: type[Base]) -> list[Any]:
    async with app.session_factory() as session:
        return list((await session.execute(select(model))).scalars())


async def snapshot(app: BotUnderTest) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (bar timestamps of updates)."""
    result: dict[str, list[tuple[Any, ...]]] = {}
    async with app.session_factory() as session:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name != "updated_at"]
            data = (await session.execute(select(*columns))).all()
            result[table.name] = sorted((tuple(map(repr, row)) for row in data), key=repr)
    return result


# --------------------------------------------------------------------------- the whole way


async def test_full_flow_in_russian(app: BotUnderTest) -> None:
    person = await screened(app)
    result_text = app.session.last_text()
    assert "Результат проверки" in result_text
    apply_data = person.button("📨 Подать заявку").callback_data
    assert apply_data is not None

    consent = await person.press("📨 Подать заявку")
    for part in [
        "Служба спасения города Алматы",
        "ГКП на ПХВ",
        "Водитель специальной техники",
        "ФИО" if "ФИО" in consent else "фамилия",
        "идентификатор и имя пользователя Telegram",
        "365 дней",
        "/delete_me",
        "/privacy",
        "№ 94-V",
        CONSENT_VERSION,
    ]:
        assert part in consent, part
    assert await rows(app, Consent) == []  # nothing before the consent

    asked = await person.press("Согласен")
    assert "шаг 1 из 4" in asked
    consents = await rows(app, Consent)
    assert [(c.user_id, c.version, c.language) for c in consents] == [(USER, CONSENT_VERSION, "ru")]

    # Name: bad, then good.
    answer = await person.send("Иван")
    assert "от 2 до 4 слов" in answer and "шаг 1 из 4" in answer
    answer = await person.send("Иван 2 Петров")
    assert "только буквы" in answer and "шаг 1 из 4" in answer
    answer = await person.send("Я" * 300)
    assert "Слишком длинно" in answer
    await person.send_message(sticker=STICKER)
    assert "текстом" in app.session.last_text()
    answer = await person.send(NAME)
    assert "шаг 2 из 4" in answer
    markup = last_reply_markup(app)
    assert isinstance(markup, ReplyKeyboardMarkup)
    assert markup.keyboard[0][0].request_contact is True

    # Phone: a bad typed number, a foreign contact, then one's own contact.
    answer = await person.send("12345")
    assert "Не похоже на номер" in answer and "шаг 2 из 4" in answer
    assert isinstance(last_reply_markup(app), ReplyKeyboardMarkup)
    answer = await person.send("+7 727 250 00 00")
    assert "только мобильные номера Казахстана" in answer
    foreign = Contact(phone_number="+77019998877", first_name="Мама", user_id=USER + 1)
    await person.send_message(contact=foreign)
    assert "контакт другого человека" in app.session.last_text()
    no_id = Contact(phone_number="+77019998877", first_name="Мама")
    await person.send_message(contact=no_id)
    assert "контакт другого человека" in app.session.last_text()
    own = Contact(phone_number="77011234567", first_name="Айгерим", user_id=USER)
    await person.send_message(contact=own)
    sent = app.session.of(SendMessage)
    assert "+77011234567 сохранён" in sent[-2].text
    assert isinstance(sent[-2].reply_markup, ReplyKeyboardRemove)
    assert "шаг 3 из 4" in sent[-1].text

    # CV: an .exe, a 50 MB PDF, a sticker, a voice note and text are refused; a PDF is taken.
    await person.send_message(document=document("setup.exe", "application/x-msdownload", 1000))
    assert "не подходит" in app.session.last_text()
    assert "шаг 3 из 4" in app.session.last_text()
    await person.send_message(document=document("cv.zip", "application/zip", 1000))
    assert "не подходит" in app.session.last_text()
    await person.send_message(document=document("big.pdf", "application/pdf", 50 * 1024 * 1024))
    assert "больше 10 МБ" in app.session.last_text()
    await person.send_message(sticker=STICKER)
    assert "нужен файл резюме" in app.session.last_text()
    await person.send_message(voice=Voice(file_id="V", file_unique_id="v", duration=3))
    assert "нужен файл резюме" in app.session.last_text()
    answer = await person.send("резюме нет")
    assert "нужен файл резюме" in answer and "шаг 3 из 4" in answer
    await person.send_message(document=PDF)
    assert "шаг 4 из 4" in app.session.last_text()

    # Comment: skipped. Then the review.
    review = await person.press("Пропустить")
    for part in [
        "Проверьте заявку",
        "Водитель специальной техники",
        "⚠️",  # the verdict: the licence is declared, HR verifies it
        NAME,
        PHONE,
        "Резюме.pdf",
        "Комментарий: нет",
    ]:
        assert part in review, part

    # Edit the phone from the review: back to the review afterwards.
    await person.press("✏️ Телефон")
    assert "шаг 2 из 4" in app.session.last_text()
    assert PHONE in app.session.last_text()  # the current number is shown
    markup = last_reply_markup(app)
    assert isinstance(markup, ReplyKeyboardMarkup)
    review = await person.send("8 (702) 765-43-21")
    assert "Проверьте заявку" in review and "+77027654321" in review
    assert PHONE not in review

    answer = await person.press("📨 Отправить")
    assert "Заявка №" in answer and "отправлена в отдел кадров" in answer

    applications = await rows(app, Application)
    assert len(applications) == 1
    application = applications[0]
    assert (application.user_id, application.position_number, application.status) == (
        USER,
        62,
        "new",
    )
    assert f"№{application.id}" in answer
    assert application.verdict == "partial"
    assert (application.full_name, application.phone, application.username) == (
        NAME,
        "+77027654321",
        "aigerim_s",
    )
    assert (application.cv_file_id, application.cv_file_name, application.cv_mime_type) == (
        "CV-FILE-ID-PDF",
        "Резюме.pdf",
        "application/pdf",
    )
    assert application.comment is None
    assert application.consent_id == consents[0].id
    assert application.language == "ru"
    assert application.screening["answers"] == {
        "education_level": "secondary_general",
        "driver_licences": ["C1"],
    }
    outbox = await rows(app, OutboxMessage)
    assert [(m.kind, m.application_id) for m in outbox] == [("hr_summary", application.id)]

    # The old result screen's Apply again: the existing application is shown.
    answer = await person.press_data(apply_data)
    assert f"уже есть заявка №{application.id}" in answer and "новая" in answer
    # So it is at «Apply» on the card, before the questionnaire (issue 9).
    await person.press_data("pos:62")
    answer = await person.press("✍️")
    assert f"уже есть заявка №{application.id}" in answer and "Вопрос" not in answer
    assert len(await rows(app, Application)) == 1
    assert len(await rows(app, Consent)) == 1


async def test_flow_in_kazakh_with_photo_and_comment(app: BotUnderTest) -> None:
    person = await screened(app, "kk", user_id=7007)
    consent = await person.press("📨 Кадр бөліміне")
    for part in ["Алматы қаласының құтқару қызметі", "ШЖҚ МКК", "№ 94-V", "365 күн", "/delete_me"]:
        assert part in consent, part
    assert "4 қадамның 1-сі" in await person.press("Келісемін")
    answer = await person.send("Ахмет")
    assert "2-ден 4-ке дейін сөз" in answer
    assert "4 қадамның 2-сі" in await person.send("Өмірбеков Ғалымжан")
    answer = await person.send("+7 916 123 45 67")
    assert "Қазақстанның ұялы нөмірлері" in answer
    await person.send("8 747 123 45 67")
    photos = [
        PhotoSize(file_id="SMALL", file_unique_id="a", width=90, height=90, file_size=2000),
        PhotoSize(file_id="LARGE", file_unique_id="b", width=1280, height=1280, file_size=200_000),
    ]
    await person.send_message(photo=photos)
    assert "4 қадамның 4-сі" in app.session.last_text()
    answer = await person.send("x" * 1001)
    assert "1000 таңбадан ұзын" in answer and "1001" in answer
    review = await person.send("<b>кешке</b> хабарласыңыз")
    assert "&lt;b&gt;кешке&lt;/b&gt; хабарласыңыз" in review
    assert "photo.jpg" in review and "+77471234567" in review
    answer = await person.press("📨 Өтінімді жіберу")
    assert "өтінім кадр бөліміне жіберілді" in answer
    (application,) = await rows(app, Application)
    assert (application.cv_file_id, application.cv_mime_type) == ("LARGE", "image/jpeg")
    assert application.comment == "<b>кешке</b> хабарласыңыз"
    assert application.language == "kk"


async def test_big_photo_refused_and_no_html_in_names(app: BotUnderTest) -> None:
    person = await to_step(app, "name")
    answer = await person.send("<b>Иван</b> Петров")
    assert "только буквы" in answer and "<b>Иван" not in answer
    await person.send(NAME)
    await person.send(PHONE)
    huge = PhotoSize(
        file_id="HUGE", file_unique_id="h", width=5000, height=5000, file_size=11 * 1024 * 1024
    )
    await person.send_message(photo=[huge])
    assert "больше 10 МБ" in app.session.last_text()
    assert "шаг 3 из 4" in app.session.last_text()


# --------------------------------------------------------------------------- consent «No»


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_consent_no_stores_nothing(app: BotUnderTest, lang: str) -> None:
    person = await screened(app, lang)
    apply_data = person.button(LABELS[lang]["apply"]).callback_data
    assert apply_data is not None
    before = await snapshot(app)
    await person.press(LABELS[lang]["apply"])
    answer = await person.press(LABELS[lang]["no"])
    assert ("ничего не сохранено" if lang == "ru" else "ештеңе сақталған жоқ") in answer
    assert await snapshot(app) == before
    # Changing one's mind later works from the same result screen.
    await person.press_data(apply_data)
    await person.press(LABELS[lang]["agree"])
    assert LABELS[lang]["step"].format(n=1) in app.session.last_text()


async def test_no_after_back_to_consent_forgets_the_consent(app: BotUnderTest) -> None:
    person = await to_step(app, "name")
    assert len(await rows(app, Consent)) == 1
    await person.press("« Назад")
    assert "Согласие на сбор" in app.session.last_text()
    await person.press("Нет")
    assert await rows(app, Consent) == []


# --------------------------------------------------------------------------- Back, Cancel


async def test_back_through_every_step_keeps_answers(app: BotUnderTest) -> None:
    person = await to_step(app, "comment")
    await person.press("« Назад")  # comment → cv
    text = app.session.last_text()
    assert "шаг 3 из 4" in text and "Резюме.pdf" in text
    await person.press("« Назад")  # cv → phone (a reply keyboard with the number)
    assert "шаг 2 из 4" in app.session.last_text()
    markup = last_reply_markup(app)
    assert isinstance(markup, ReplyKeyboardMarkup)
    assert PHONE in [b.text for row in markup.keyboard for b in row]
    await person.send("« Назад")  # phone → name (the reply keyboard is removed)
    assert any(isinstance(m, ReplyKeyboardRemove) for m in reply_markups(app)[-2:])
    text = app.session.last_text()
    assert "шаг 1 из 4" in text and NAME in text
    await person.press("« Назад")  # name → consent
    assert "Согласие на сбор" in app.session.last_text()
    await person.press("Согласен")  # the same consent is reused
    assert len(await rows(app, Consent)) == 1
    assert NAME in app.session.last_text()
    await person.press("Оставить")
    assert "шаг 2 из 4" in app.session.last_text() and PHONE in app.session.last_text()
    await person.send(PHONE)  # the keyboard's button with the kept number
    assert "шаг 3 из 4" in app.session.last_text()
    await person.press("Оставить")
    assert "шаг 4 из 4" in app.session.last_text()
    await person.send("Звоните после 18:00")
    await person.press("« Назад")  # review → comment
    assert "Звоните после 18:00" in app.session.last_text()
    review = await person.press("Оставить")
    assert all(part in review for part in [NAME, PHONE, "Резюме.pdf", "Звоните после 18:00"])


async def test_back_while_editing_returns_to_review(app: BotUnderTest) -> None:
    person = await to_step(app, "review")
    await person.press("✏️ ФИО")
    assert "шаг 1 из 4" in app.session.last_text()
    review = await person.press("« Назад")
    assert "Проверьте заявку" in review
    await person.press("✏️ Резюме")
    review = await person.press("Пропустить")  # the CV is removed
    assert "Резюме: нет" in review
    await person.press("✏️ Телефон")
    await person.send("« Назад")
    assert "Проверьте заявку" in app.session.last_text()


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_cancel_on_every_step(app: BotUnderTest, lang: str) -> None:
    labels = LABELS[lang]
    person = await screened(app, lang)
    apply_data = person.button(labels["apply"]).callback_data
    for step in FORM_STEPS:
        await fill_to(person, step, lang, apply_data)
        if step == "phone":
            answer = await person.send(labels["cancel"])
            assert any(isinstance(m, ReplyKeyboardRemove) for m in reply_markups(app)[-2:])
        else:
            answer = await person.press(labels["cancel"])
        assert labels["cancelled"] in answer, step
        assert await rows(app, Application) == []
        assert await rows(app, Consent) == []  # the consent of a cancelled form is forgotten
        # The form's answers are gone from the conversation state; the screening stays.
        (record,) = await rows(app, FsmRecord)
        assert record.state is None and set(record.data) == {"screened"}, step


# --------------------------------------------------------------------------- stale input


def alerts(app: BotUnderTest) -> list[str]:
    return [r.text or "" for r in app.session.of(AnswerCallbackQuery) if r.show_alert]


async def test_old_and_forged_form_buttons(app: BotUnderTest) -> None:
    person = await to_step(app, "cv")
    skip = person.button("Пропустить").callback_data
    assert skip is not None
    await person.press("Пропустить")  # now at the comment step
    screen = await person.send("коммент")  # now at the review
    assert "Проверьте заявку" in screen
    # The CV step's button: an alert, the review stays on screen.
    answer = await person.press_data(skip)
    assert len(alerts(app)) == 1 and "устарела" in alerts(app)[0] == answer
    assert person.only_answered() and person.screen().text == screen
    # A forged intent and a stranger pressing the button: an alert, nothing changes.
    forged = "000000" + skip[skip.index("\x1d") :]
    assert await person.press_data(forged) == alerts(app)[-1]
    assert len(alerts(app)) == 2 and person.only_answered()
    stranger = app.person(user_id=4242)
    their_screen = await stranger.send("/start")
    await stranger.press_data(skip)
    assert stranger.only_answered() and stranger.screen().text == their_screen
    assert len(alerts(app)) == 3
    assert len(await rows(app, Consent)) == 1
    # The form goes on.
    assert "отправлена" in await person.press("📨 Отправить")


async def test_apply_without_questionnaire_or_for_unknown_position(app: BotUnderTest) -> None:
    person = app.person(user_id=5005)
    await person.send("/start")
    await person.press("Русский")
    answer = await person.press_data("apst:38")
    assert "сначала пройдите" in answer
    assert person.button("✍️")
    # Forged (no such position) and an old consent button: an alert, the hint stays.
    assert "больше не действует" in await person.press_data("apst:9999")
    assert person.only_answered() and "сначала пройдите" in person.screen().text
    assert app.session.of(AnswerCallbackQuery)[-1].show_alert
    await person.press_data("apcn:38:1")
    assert person.only_answered() and "сначала пройдите" in person.screen().text
    assert app.session.of(AnswerCallbackQuery)[-1].show_alert
    assert await rows(app, Consent) == []


async def test_text_in_review_and_commands_in_the_form(app: BotUnderTest) -> None:
    person = await to_step(app, "review")
    answer = await person.send("готово")
    assert "кнопками" in answer and "Проверьте заявку" in answer
    submit = person.button("📨 Отправить").callback_data
    assert submit is not None
    answer = await person.send("/my")
    assert "нет заявок" in answer
    answer = await person.send("/privacy")
    assert "Заявок: 0" in answer
    # The form goes on after /my and /privacy.
    answer = await person.press_data(submit)
    assert "отправлена" in answer


async def test_contact_outside_a_form_and_empty_my(app: BotUnderTest) -> None:
    person = app.person(user_id=5006)
    await person.send_message(contact=Contact(phone_number=PHONE, first_name="A", user_id=5006))
    assert any(isinstance(m, ReplyKeyboardRemove) for m in reply_markups(app))
    assert await rows(app, Application) == []
    assert "нет заявок" in await person.send("/my")


# --------------------------------------------------------------------------- restart


async def test_restart_in_the_middle_keeps_the_answers(app: BotUnderTest) -> None:
    person = await to_step(app, "cv")
    app.restart()  # a new Dispatcher and storage: only the database remains
    await person.send_message(document=PDF)
    assert "шаг 4 из 4" in app.session.last_text()
    app.restart()
    review = await person.press("Пропустить")
    assert NAME in review and PHONE in review and "Резюме.pdf" in review
    app.restart()
    answer = await person.press("📨 Отправить")
    assert "отправлена" in answer
    assert len(await rows(app, Application)) == 1


# --------------------------------------------------------------------------- /my, withdraw


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_my_and_withdraw(app: BotUnderTest, lang: str) -> None:
    person = await to_step(app, "review", lang)
    await person.press(LABELS[lang]["submit"])
    (application,) = await rows(app, Application)
    answer = await person.send("/my")
    title = "Водитель специальной техники" if lang == "ru" else "Автокөліктік қызметтің"
    status = "новая" if lang == "ru" else "жаңа"
    assert f"№{application.id}" in answer and title in answer and status in answer

    # Someone else's forged withdrawal changes nothing.
    stranger = app.person(user_id=4343, language_code=lang)
    forged = WithdrawCb(application_id=application.id, confirm=True).pack()
    answer = await stranger.press_data(forged)
    assert ("Такой заявки среди ваших нет" if lang == "ru" else "мұндай өтінім жоқ") in answer
    answer = await stranger.press_data(WithdrawCb(application_id=application.id).pack())
    assert ("Такой заявки среди ваших нет" if lang == "ru" else "мұндай өтінім жоқ") in answer
    (same,) = await rows(app, Application)
    assert same.status == "new"
    assert [m.kind for m in await rows(app, OutboxMessage)] == ["hr_summary"]

    withdraw = "Отозвать" if lang == "ru" else "кері қайтару"
    answer = await person.press(withdraw)
    assert ("Отозвать заявку" if lang == "ru" else "кері қайтарасыз ба") in answer
    await person.press("Нет" if lang == "ru" else "Жоқ")  # back to the list
    assert f"№{application.id}" in app.session.last_text()
    await person.press(withdraw)
    answer = await person.press("Да, отозвать" if lang == "ru" else "Иә, кері қайтару")
    assert ("отозвана" if lang == "ru" else "кері қайтарылды") in answer
    (withdrawn,) = await rows(app, Application)
    assert withdrawn.status == "withdrawn"
    kinds = sorted((m.kind, m.application_id) for m in await rows(app, OutboxMessage))
    assert kinds == [("hr_summary", application.id), ("hr_withdrawn", application.id)]
    assert not [b for b in person.buttons() if withdraw in b.text]  # nothing open to withdraw

    # Pressing the old confirmation again: not open any more, nothing new for HR.
    answer = await person.press_data(WithdrawCb(application_id=application.id, confirm=True).pack())
    assert ("уже не рассматривается" if lang == "ru" else "енді қаралмайды") in answer
    assert len(await rows(app, OutboxMessage)) == 2

    # After withdrawal the person may apply again.
    await person.press_data("pos:62")
    await person.press("✍️")
    await person.press(LABELS[lang]["level"])
    await person.press("C1")
    await person.press(LABELS[lang]["done"])
    await person.press(LABELS[lang]["apply"])
    assert LABELS[lang]["agree"] in " ".join(b.text for b in person.buttons())


async def test_a_position_closed_meanwhile_cannot_be_applied_to(app: BotUnderTest) -> None:
    person = await to_step(app, "review")
    board = app.deps.vacancies
    async with app.session_factory() as session:
        await board.set_state(session, 62, updated_by=9000, is_open=False)
    answer = await person.press(LABELS["ru"]["submit"])
    assert "набор на эту должность сейчас закрыт" in answer.lower()
    assert await rows(app, Application) == []
    answer = await person.press_data("apply:62")
    assert "Эта вакансия больше не доступна" in answer or "закрыт" in answer


async def test_other_screens_and_start_leave_the_form_apply_resumes_it(app: BotUnderTest) -> None:
    person = await to_step(app, "phone")
    apply_data = "apst:62"
    # A button of another screen is that screen's, not a form step's.
    card = await person.press_data("pos:62")
    assert "Водитель специальной техники" in card and "шаг" not in card
    # After /start typed text is a search again, not a phone number.
    await person.send("/start")
    assert "Найдено" in await person.send("водитель")
    # «Apply» (the questionnaire answered again) goes on where the form stopped.
    await person.press_data("pos:62")
    await person.press("✍️")
    await person.press("Среднее общее")
    await person.press("C1")
    await person.press("Готово")
    await person.press_data(apply_data)
    assert "шаг 2 из 4" in app.session.last_text()
    assert isinstance(last_reply_markup(app), ReplyKeyboardMarkup)
    await person.send(PHONE)
    assert "шаг 3 из 4" in app.session.last_text()
