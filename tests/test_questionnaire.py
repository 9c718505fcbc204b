"""The questionnaire end to end through the real Dispatcher, in both languages."""

from __future__ import annotations

import pytest
from aiogram.methods import AnswerCallbackQuery

from bot.screening.questionnaire import Questionnaire, YearsError, parse_years
from tests.conftest import BotUnderTest
from tests.harness import Person


async def _apply(app: BotUnderTest, number: int, lang: str = "ru", user_id: int = 1001) -> Person:
    person = app.person(user_id=user_id, language_code=lang)
    await person.send("/start")
    await person.press("Қазақша" if lang == "kk" else "Русский")
    await person.press_data(f"pos:{number}")
    await person.press("✍️")
    return person


async def test_driver_meets_with_licence_in_russian(app: BotUnderTest) -> None:
    person = await _apply(app, 62)
    text = app.session.last_text()
    assert "Вопрос 1 из 2" in text
    await person.press("Среднее общее")
    assert "Вопрос 2 из 2" in app.session.last_text()
    await person.press("C1")
    await person.press("CE")
    await person.press("CE")  # unticked again
    assert person.button("✅ C1")
    result = await person.press("Готово")
    assert "Результат проверки" in result
    assert "⚠️" in result  # the licence is declared: HR verifies it
    assert "✅" in result or "⚠️" in result
    assert "❌" not in result


async def test_driver_without_licence_does_not_meet_and_gets_suggestions(
    app: BotUnderTest,
) -> None:
    person = await _apply(app, 62, lang="kk")
    assert "2 сұрақтың 1-сі" in app.session.last_text()
    await person.press("Жоғары білім")
    result = await person.press("Жүргізуші куәлігім жоқ")
    assert "❌" in result
    assert "Тексеру нәтижесі" in result
    suggestions = [b for b in person.buttons() if (b.callback_data or "").startswith("card:")]
    # Suggestions (when any) never repeat the screened position; the card button does.
    assert suggestions[-1].callback_data == "card:62:v"
    assert len(suggestions) - 1 <= 5


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_rescuer(app: BotUnderTest, lang: str) -> None:
    person = await _apply(app, 38, lang=lang)
    labels = {
        "ru": ("Техническое и профессиональное", "Да", "Нет"),
        "kk": ("Техникалық және кәсіптік", "Иә", "Жоқ"),
    }[lang]
    await person.press(labels[0])
    await person.press(labels[1])  # medically fit
    result = await person.press(labels[1])  # special training
    assert "❌" not in result and "⚠️" in result

    person = await _apply(app, 38, lang=lang, user_id=2002)
    await person.press(labels[0])
    await person.press(labels[2])  # not fit
    result = await person.press(labels[1])
    assert "❌" in result


async def test_office_position_with_fields_and_years(app: BotUnderTest) -> None:
    person = await _apply(app, 22)
    assert "Вопрос 1 из 3" in app.session.last_text()
    await person.press("Высшее образование")
    await person.press("▶")
    assert "стр. 2/" in person.button("стр.").text
    await person.press("◀")
    await person.press("6B04 ")  # the area
    await person.press("6B041")  # its direction
    await person.press("Финансы")  # the group on the diploma
    await person.press("Готово")
    assert "Вопрос 3 из 3" in app.session.last_text()
    for bad in ["три", "-1", "100", "x" * 10_000]:
        answer = await person.send(bad)
        assert "Вопрос 3 из 3" in answer, bad
        assert "Не понял" in answer or "от 0 до 60" in answer, bad
    result = await person.send("5 лет")
    assert "Результат проверки" in result
    assert "❌" not in result

    # Too little experience fails, and other positions are suggested (accountant needs 3).
    person = await _apply(app, 22, user_id=3003)
    await person.press("Высшее образование")
    await person.send("финансы")  # typed: the search finds the group
    await person.press("Финансы")
    await person.press("Готово")
    result = await person.send("3,5")
    assert "❌" in result
    assert "card:24:v" in [b.callback_data for b in person.buttons()]  # below the verdict


async def test_back_keeps_answers_and_cancel_leaves(app: BotUnderTest) -> None:
    person = await _apply(app, 22)
    await person.press("Высшее образование")
    await person.send("B046")  # typed: a code
    await person.press("Финансы")
    await person.press("Готово")
    await person.press("«")
    assert "Вопрос 2 из 3" in app.session.last_text()
    assert "Выбрано: 6B04" in app.session.last_text()  # the earlier picks are kept
    assert "✅ 1" in person.button("6B04 ").text
    await person.press("6B04 ")
    await person.press("6B041")
    assert person.button("✅ B046")
    await person.press("«")
    await person.press("«")
    assert "Начальник бухгалтерского отдела" in app.session.last_text()  # the card again

    person = await _apply(app, 22, user_id=4004)
    answer = await person.press("Отмена")
    assert "Анкета отменена" in answer


async def test_sticker_and_text_where_buttons_expected(app: BotUnderTest) -> None:
    from aiogram.types import Sticker

    person = await _apply(app, 62)
    answer = await person.send("высшее")
    assert "ответьте кнопками" in answer and "Вопрос 1 из 2" in answer
    sticker = Sticker(
        file_id="x",
        file_unique_id="y",
        type="regular",
        width=1,
        height=1,
        is_animated=False,
        is_video=False,
    )
    await person.send_message(sticker=sticker)
    assert "Вопрос 1 из 2" in app.session.last_text()


async def test_old_and_foreign_buttons_change_nothing(app: BotUnderTest) -> None:
    person = await _apply(app, 22)
    first_question_level = person.button("Среднее общее").callback_data
    await person.press("Высшее образование")
    assert first_question_level is not None
    answer = await person.press_data(first_question_level)  # a button of question 1
    assert "другому вопросу" in answer and "Вопрос 2 из 3" in answer

    # A new questionnaire: buttons of the previous one do nothing.
    old_toggle = person.button("6B04 ").callback_data
    await person.press_data("pos:22")
    await person.press("✍️")
    assert old_toggle is not None
    answer = await person.press_data(old_toggle)
    assert "Вопрос 1 из 3" in answer

    # Another person pressing this person's button changes only their own (absent) state.
    stranger = app.person(user_id=5005)
    results = await stranger.send("бухгалтер")
    assert "больше не действует" in await stranger.press_data(old_toggle)
    assert stranger.only_answered() and stranger.screen().text == results  # screen stays
    assert app.session.of(AnswerCallbackQuery)[-1].show_alert
    assert "Вопрос 1 из 3" in await person.send("привет")


async def test_survives_a_restart(app: BotUnderTest) -> None:
    person = await _apply(app, 22)
    await person.press("Высшее образование")
    await person.press("6B04 ")
    await person.press("6B041")
    await person.press("Финансы")
    app.restart()  # a new Dispatcher and storage object: only the database remains
    await person.press("Готово")
    assert "Вопрос 3 из 3" in app.session.last_text()
    result = await person.send("6")
    assert "Результат проверки" in result and "❌" not in result


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("3", 3.0),
        ("3,5", 3.5),
        ("3.5", 3.5),
        ("5 лет", 5.0),
        ("2 года", 2.0),
        ("1 жыл", 1.0),
        ("0", 0.0),
        (" 10 ", 10.0),
    ],
)
def test_parse_years(text: str, years: float) -> None:
    assert parse_years(text) == years


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("три", "not_a_number"),
        ("-1", "out_of_range"),
        ("100", "out_of_range"),
        ("x" * 10_000, "not_a_number"),
        ("", "not_a_number"),
        ("3 5", "not_a_number"),
    ],
)
def test_parse_years_refuses(text: str, code: str) -> None:
    with pytest.raises(YearsError) as exc:
        parse_years(text)
    assert exc.value.code == code


async def test_office_position_in_kazakh(app: BotUnderTest) -> None:
    person = await _apply(app, 24, lang="kk")
    assert "3 сұрақтың 1-сі" in app.session.last_text()
    await person.press("Жоғары білім")
    await person.send("аудит")  # typed: the search finds the group in Kazakh
    await person.press("Аудит және салық салу")
    await person.press("Дайын")
    answer = await person.send("үш")
    assert "Жыл санын түсінбедім" in answer
    result = await person.send("4 жыл")
    assert "Тексеру нәтижесі" in result and "❌" not in result


def test_buttons_that_do_not_fit_the_question_change_nothing() -> None:
    from bot.screening.questionnaire import Questionnaire

    q = Questionnaire(position=22, questions=["education_level", "fields_of_study"])
    assert not q.toggle_index("0", ["finance"])  # not a multi-select question
    assert not q.finish_multi_select()
    assert not q.choose("doctorate", ["higher"])
    assert q.step == 0 and q.answers == {}
    assert q.choose("higher", ["higher"])
    assert not q.choose("higher", ["higher"])  # a choice where a multi-select is asked
    assert not q.toggle_index("7", ["finance"])
    assert q.toggle_index("0", ["finance"]) and q.picks == ["finance"]
    assert q.turn_page("99", pages=5) and q.page == 4
    assert q.finish_multi_select() and q.finished
    assert q.answers == {"education_level": "higher", "fields_of_study": ["finance"]}


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_field_picker_two_levels_search_and_nothing_found(
    app: BotUnderTest, lang: str
) -> None:
    person = await _apply(app, 12, lang=lang)
    await person.press("Высшее образование" if lang == "ru" else "Жоғары білім")
    # Nothing found: said, and the same step with its list.
    for bad in ["6B99", "zzzz", "x" * 5000]:
        answer = await person.send(bad)
        assert ("ничего не нашлось" if lang == "ru" else "ештеңе табылмады") in answer, bad
        assert ("Вопрос 2 из 3" if lang == "ru" else "3 сұрақтың 2-сі") in answer
        assert person.button("6B01 ")
    # A code lists the area and its directions; one opens, a group is ticked.
    await person.send("6B11")
    await person.press("6B112")
    await person.press("B094")
    assert person.button("✅ B094")
    await person.press("⬆")  # back to the search results
    assert person.button("6B11 ")
    await person.press("⬆")  # back to the areas
    await person.press("▶")  # 6B11 is on the second page
    assert "✅ 1" in person.button("6B11 ").text
    await person.press("Готово" if lang == "ru" else "Дайын")
    result = await person.send("6")
    # Occupational safety is a technical science here: it meets the head of the department.
    assert ("Результат проверки" if lang == "ru" else "Тексеру нәтижесі") in result
    assert "❌" not in result and "B094" in result


async def test_years_are_asked_in_the_positions_words(app: BotUnderTest) -> None:
    person = await _apply(app, 37)
    await person.press("Техническое и профессиональное")
    await person.press("Моего направления нет в списке")  # the vocational path names none
    question = app.session.last_text()
    assert "в сфере безопасности, спасательных или пожарных служб" in question
    await person.send("1")
    assert "в экстренных ситуациях, на объектах с повышенной опасностью" in (
        app.session.last_text()
    )
    result = await person.send("1")
    # 3-5 years are only desirable: one year meets, with the wish shown.
    assert "❌" not in result and "желательно 3 года" in result
    assert "Другие варианты: 1) Высшее образование" in result


def test_back_keeps_ticks_not_yet_confirmed() -> None:
    from bot.screening.questionnaire import Questionnaire

    q = Questionnaire(position=22, questions=["education_level", "fields_of_study"])
    assert q.choose("higher", ["higher"])
    assert q.toggle_index("0", ["B046"])
    assert q.back() and q.current == "education_level"
    assert q.choose("higher", ["higher"])
    assert q.picks == ["B046"]  # still ticked, not yet confirmed


def test_a_questionnaire_saved_by_another_release_loads() -> None:
    """A deploy in the middle of someone's questionnaire: fields added since take their
    defaults, fields dropped since are ignored."""
    saved_by_older = {"position": 62, "questions": ["education_level"], "token": "ab", "step": 0}
    q = Questionnaire.from_dict(saved_by_older)
    assert q.current == "education_level" and q.picks == [] and q.trail == []
    saved_by_newer = {**q.to_dict(), "added_later": 1}
    assert Questionnaire.from_dict(saved_by_newer) == q
