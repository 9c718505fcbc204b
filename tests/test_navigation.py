"""Navigation rules (issue 9), through the real Dispatcher: starting anything ends the flow
in progress instead of leaving it running unseen, «Назад» returns where the person came
from, and the messages that stay (the verdict, the consent text) stay."""

from __future__ import annotations

import pytest
from aiogram.methods import DeleteMessage, EditMessageText, SendMessage
from aiogram.types import ReplyKeyboardMarkup, ReplyKeyboardRemove

from tests.conftest import BotUnderTest
from tests.harness import Person
from tests.test_application_flow import NAME, PHONE, fill_to, screened, to_step

LANGUAGE = {"ru": "Русский", "kk": "Қазақша"}


async def started(app: BotUnderTest, lang: str = "ru", user_id: int = 1001) -> Person:
    person = app.person(user_id=user_id, language_code=lang)
    await person.send("/start")
    await person.press(LANGUAGE[lang])
    return person


def sent_kinds(person: Person) -> list[str]:
    return [type(r).__name__ for r in person.replies if type(r).__name__ != "AnswerCallbackQuery"]


# --- starting something new ends the flow in progress --------------------------------------


@pytest.mark.parametrize(
    ("lang", "menu_button", "years_error"),
    [("ru", "Вакансии", "Не понял число лет"), ("kk", "Бос орындар", "жыл")],
)
async def test_a_menu_button_of_an_older_message_ends_the_questionnaire(
    app: BotUnderTest, lang: str, menu_button: str, years_error: str
) -> None:
    person = await started(app, lang)
    menu = person.screen()
    await person.press_data("pos:22")
    await person.press("✍️")
    await person.press("Высшее образование" if lang == "ru" else "Жоғары білім")
    await person.send("финансы")
    await person.press("Финансы" if lang == "ru" else "Қаржы")
    assert "3" in await person.press("Готово" if lang == "ru" else "Дайын")  # the years
    departments = await person.press(menu_button, on=menu)
    assert "62" in departments and "341" in departments
    # The question is no longer on screen, so a typed word is a search, not an answer.
    answer = await person.send("бухгалтер")
    assert years_error not in answer
    assert "бухгалтер" in answer and person.button("Бухгалтер")


async def test_another_screen_puts_the_form_aside_and_typed_text_is_a_search(
    app: BotUnderTest,
) -> None:
    person = await to_step(app, "name")
    card = await person.press_data("pos:38")
    assert "Спасатель" in card
    put_aside = next(r for r in person.replies if isinstance(r, SendMessage))
    assert "ответы сохранены" in put_aside.text
    assert isinstance(put_aside.reply_markup, ReplyKeyboardRemove)
    # The name step is no longer on screen: a word is a search, not a name.
    assert "Найдено" in await person.send("водитель")
    # «Apply» on the verdict (still on screen) goes on at the name step.
    verdict = next(m for m in person.messages().values() if "Результат проверки" in (m.text or ""))
    assert "шаг 1 из 4" in await person.press("📨 Подать заявку", on=verdict)
    assert "шаг 2 из 4" in await person.send(NAME)


async def test_start_at_the_phone_step_removes_its_reply_keyboard(app: BotUnderTest) -> None:
    person = await to_step(app, "phone")
    assert isinstance(app.session.of(SendMessage)[-1].reply_markup, ReplyKeyboardMarkup)
    await person.send("/start")
    markups = [r.reply_markup for r in person.replies if isinstance(r, SendMessage)]
    assert any(isinstance(m, ReplyKeyboardRemove) for m in markups)
    # Typed text is a search again, not a phone number; the form waits for «Apply».
    assert "Найдено" in await person.send("водитель")
    assert "шаг 2 из 4" not in person.last_text()


async def test_a_command_ends_an_hr_dialog_instead_of_hiding_it(app: BotUnderTest) -> None:
    hr = app.person(9000, "ru")
    assert "Новая рассылка" in await hr.send("/broadcast")
    await hr.press("Один текст")
    assert "/vacancies" in await hr.send("/help")
    # The composer's step is gone from the screen: the text is a search, not the broadcast.
    assert "Найдено" in await hr.send("водитель")
    assert "Добавьте фото" not in hr.last_text()


async def test_an_open_application_is_reported_at_apply(app: BotUnderTest) -> None:
    person = await to_step(app, "review")
    await person.press("📨 Отправить")
    await person.press_data("pos:62")
    answer = await person.press("✍️")
    assert "уже есть заявка" in answer and "Вопрос" not in answer
    assert sent_kinds(person) == ["SendMessage"]  # below the card, which stays


# --- «Назад» returns where the person came from; the messages that stay, stay ------------


async def test_back_from_a_card_found_by_search_returns_to_the_results(
    app: BotUnderTest,
) -> None:
    person = await started(app)
    results = await person.send("водитель")
    assert "эвакуатор" in await person.press("эвакуатор")
    assert await person.press("«") == results
    assert person.button("Водитель эвакуатора")
    # After /start the query is forgotten: Back on the old card leads to the menu.


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_a_suggestion_opens_below_the_verdict_which_keeps_its_apply(
    app: BotUnderTest, lang: str
) -> None:
    person = await started(app, lang)
    await person.press_data("pos:62")
    await person.press("✍️")
    await person.press("Высшее образование" if lang == "ru" else "Жоғары білім")
    no_licence = "Нет водительского" if lang == "ru" else "куәлігім жоқ"
    result = await person.press(no_licence)
    verdict = person.screen()
    assert verdict.text == result
    suggestion = next(b for b in person.buttons() if (b.callback_data or "").startswith("card:"))
    card = await person.press(suggestion.text)
    assert sent_kinds(person) == ["SendMessage"]  # a new message; the verdict is not edited
    assert suggestion.text in card
    assert person.messages()[verdict.message_id].text == result
    # «Назад» on the card: the card goes, the verdict is the screen again.
    await person.press("«", quiet=True)
    assert [type(r) for r in person.replies if not r.__class__.__name__.startswith("Answer")] == [
        DeleteMessage
    ]
    assert person.screen().message_id == verdict.message_id
    # The verdict's own card and menu buttons open below it too.
    await person.press("📄")
    await person.press("☰")
    assert not any(isinstance(r, EditMessageText) for r in person.replies)
    assert person.messages()[verdict.message_id].text == result
    consent = await person.press(
        "📨 Подать заявку" if lang == "ru" else "📨 Кадр бөліміне", on=verdict
    )
    assert "Согласие" in consent or "Келісім" in consent


async def test_the_consent_text_stays_when_the_person_agrees(app: BotUnderTest) -> None:
    person = await screened(app)
    await person.press("📨 Подать заявку")
    consent = person.screen()
    assert "Согласие на сбор" in (consent.text or "")
    assert "шаг 1 из 4" in await person.press("Согласен")
    kept = person.messages()[consent.message_id]
    assert kept.text == consent.text and kept.reply_markup is None  # its buttons are spent


async def test_unticked_licences_survive_back_in_the_questionnaire(app: BotUnderTest) -> None:
    person = await started(app)
    await person.press_data("pos:62")
    await person.press("✍️")
    await person.press("Среднее общее")
    await person.press("C1")  # ticked, not yet confirmed with «Готово»
    assert "Вопрос 1 из 2" in await person.press("«")
    assert "Вопрос 2 из 2" in await person.press("Среднее общее")
    assert person.button("✅ C1")
    await fill_to_result(person)


async def fill_to_result(person: Person) -> None:
    assert "Результат проверки" in await person.press("Готово")


async def test_the_form_goes_on_after_a_restart_at_the_phone_step(app: BotUnderTest) -> None:
    person = await screened(app)
    await fill_to(person, "phone")
    app.restart()
    assert "шаг 3 из 4" in await person.send(PHONE)
