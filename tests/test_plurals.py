"""Counts shown to a person take their CLDR plural form (ru: one/few/many, kk: one/other),
through the real Dispatcher: the catalogue totals, a department's totals, HR's vacancy board
and the /broadcasts list (issue 9: «62 должностей, 341 штатных единиц», «Рассылки
(последние 1)»)."""

from __future__ import annotations

import pytest

from bot.handlers import broadcast as broadcast_handlers
from bot.services import broadcasts
from bot.services.vacancies import VacancyBoard
from tests.conftest import BotUnderTest
from tests.harness import Person

HR_ID = 9000  # settings.admin_ids in tests/conftest.py

# department id → the Russian and Kazakh totals line («N positions, M posts»)
DEPARTMENT_TOTALS = {
    "management": (
        "5 должностей, 8 штатных единиц",
        "5 лауазым, 8 штат бірлігі",
    ),
    "occupational_safety": (
        "2 должности, 2 штатные единицы",
        "2 лауазым, 2 штат бірлігі",
    ),
}


async def _menu(app: BotUnderTest, lang: str, user_id: int = 1001) -> Person:
    person = app.person(user_id=user_id, language_code=lang)
    await person.send("/start")
    await person.press("Қазақша" if lang == "kk" else "Русский")
    return person


@pytest.mark.parametrize(
    ("lang", "totals"),
    [
        ("ru", "62 должности, 341 штатная единица"),
        ("kk", "62 лауазым, 341 штат бірлігі"),
    ],
)
async def test_catalogue_totals_agree_with_their_numbers(
    app: BotUnderTest, lang: str, totals: str
) -> None:
    person = await _menu(app, lang)
    assert totals in await person.press("📋")
    for department_id, (ru, kk) in DEPARTMENT_TOTALS.items():
        department = app.catalogue.department(department_id)
        assert department is not None
        await person.send("/vacancies")
        text = await person.press(department.name.get(lang))
        assert (ru if lang == "ru" else kk) in text, text


@pytest.mark.parametrize(
    ("lang", "totals"),
    [("ru", "1 должность, 1 штатная единица"), ("kk", "1 лауазым, 1 штат бірлігі")],
)
async def test_one_position_left_open_in_a_department(
    app: BotUnderTest, lang: str, totals: str
) -> None:
    positions = app.catalogue.positions_in("occupational_safety", frozenset())
    assert [p.headcount for p in positions] == [1, 1]
    async with app.session_factory() as session:
        await VacancyBoard().set_state(
            session, positions[0].number, updated_by=HR_ID, is_open=False
        )
    app.restart()  # a new Dispatcher reads the board afresh
    person = await _menu(app, lang)
    assert ("61 должность, 340 штатных единиц" if lang == "ru" else "61 лауазым") in (
        await person.press("📋")
    )
    department = app.catalogue.department("occupational_safety")
    assert department is not None
    assert totals in await person.press(department.name.get(lang))


@pytest.mark.parametrize(
    ("lang", "board"),
    [("ru", "Открыто 62 из 62 должностей"), ("kk", "62 лауазымның 62-і ашық")],
)
async def test_hr_vacancy_board_totals(app: BotUnderTest, lang: str, board: str) -> None:
    hr = app.person(HR_ID, lang)
    assert board in await hr.send("/vacancies")


async def _broadcasts(app: BotUnderTest, count: int) -> None:
    async with app.session_factory() as session:
        for i in range(count):
            await broadcasts.create_broadcast(
                session, kind="manual", text_kk=f"k{i}", text_ru=f"r{i}", created_by=HR_ID
            )
        await session.commit()


@pytest.mark.parametrize(
    ("count", "ru", "kk"),
    [
        (1, "<b>📣 Рассылки</b> (1 последняя)", "<b>📣 Таратулар</b> (соңғы 1 тарату)"),
        (2, "<b>📣 Рассылки</b> (2 последние)", "<b>📣 Таратулар</b> (соңғы 2 тарату)"),
        (5, "<b>📣 Рассылки</b> (5 последних)", "<b>📣 Таратулар</b> (соңғы 5 тарату)"),
        (21, "<b>📣 Рассылки</b> (21 последняя)", "<b>📣 Таратулар</b> (соңғы 21 тарату)"),
    ],
)
async def test_broadcast_list_title(
    app: BotUnderTest, monkeypatch: pytest.MonkeyPatch, count: int, ru: str, kk: str
) -> None:
    monkeypatch.setattr(broadcast_handlers, "LIST_LIMIT", 30)
    await _broadcasts(app, count)
    assert (await app.person(HR_ID, "ru").send("/broadcasts")).startswith(ru)
    assert (await app.person(HR_ID, "kk").send("/broadcasts")).startswith(kk)
