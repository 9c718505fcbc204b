"""HR's /vacancies: closing and opening positions, places; what applicants then see."""

from __future__ import annotations

import pytest
from aiogram.methods import AnswerCallbackQuery
from aiogram.types import Sticker
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.catalogue.service import CatalogueService
from bot.db.engine import create_session_factory
from bot.db.models import VacancyState
from bot.services.vacancies import PlacesError, VacancyBoard, parse_places
from tests.conftest import BotUnderTest
from tests.harness import Person

HR_ID = 9000
RESCUER = 38  # «Спасатель аварийно-спасательной службы»
DRIVER = 62


PAGE_NEXT = ">"  # the pager of a department's positions (aiogram-dialog's ScrollingGroup)


async def open_position(app: BotUnderTest, number: int, hr: Person | None = None) -> str:
    """HR opens a position on the board, the way a person does: /vacancies, its
    department, then its line (on a later page if need be)."""
    hr = hr or app.person(user_id=HR_ID)
    position = app.catalogue.position(number)
    assert position is not None
    department = app.catalogue.department(position.department)
    assert department is not None
    await hr.send("/vacancies")
    await hr.press(f"{department.name.get('ru')} · ")
    title = position.title.get("ru")
    while not any(b.text.endswith(title) or f"{title} · " in b.text for b in hr.buttons()):
        pager = [b for b in hr.buttons() if b.text == PAGE_NEXT]
        assert pager, f"no {title!r} on the board"
        await hr.press_data(pager[0].callback_data or "")
    line = next(b for b in hr.buttons() if b.text.endswith(title) or f"{title} · " in b.text)
    return await hr.press_data(line.callback_data or "")


def alerts(app: BotUnderTest) -> list[str]:
    return [r.text or "" for r in app.session.of(AnswerCallbackQuery) if r.show_alert]


def intent_of(person: Person) -> str:
    """The dialog id its buttons carry (a forged button needs one that is real)."""
    data = next(b.callback_data for b in person.buttons() if "\x1d" in (b.callback_data or ""))
    assert data is not None
    return data.split("\x1d")[0]


def test_parse_places() -> None:
    assert parse_places("0") == 0
    assert parse_places(" 12 ") == 12
    assert parse_places("+7") == 7
    assert parse_places("999") == 999
    for text, code in [
        ("", "not_a_number"),
        ("много", "not_a_number"),
        ("3.5", "not_a_number"),
        ("٣", "not_a_number"),  # Arabic-Indic digit
        ("1000", "out_of_range"),
        ("-1", "out_of_range"),
        ("9" * 5000, "out_of_range"),
    ]:
        with pytest.raises(PlacesError) as error:
            parse_places(text)
        assert error.value.code == code, text


async def test_board_changes_and_what_they_report(engine: AsyncEngine) -> None:
    factory = create_session_factory(engine)
    board = VacancyBoard()
    async with factory() as session:
        assert await board.closed(session) == frozenset()
        assert (await board.get(session, RESCUER)).is_open

        change = await board.set_state(session, RESCUER, updated_by=HR_ID, is_open=False)
        assert change.closed and not change.opened and not change.places_raised
        assert await board.closed(session) == {RESCUER}

        change = await board.set_state(session, RESCUER, updated_by=HR_ID, is_open=True)
        assert change.opened and not change.closed and not change.places_raised

        change = await board.set_state(session, RESCUER, updated_by=HR_ID, open_places=3)
        assert change.places_raised and not change.opened  # «not said» → 3
        change = await board.set_state(session, RESCUER, updated_by=HR_ID, open_places=2)
        assert not change.places_raised and change.changed
        change = await board.set_state(session, RESCUER, updated_by=HR_ID, open_places=5)
        assert change.places_raised
        change = await board.set_state(session, RESCUER, updated_by=HR_ID, open_places=5)
        assert not change.changed and not change.places_raised
        change = await board.set_state(session, DRIVER, updated_by=7, open_places=0)
        assert not change.places_raised  # zero places is no news
        change = await board.set_state(session, DRIVER, updated_by=7, is_open=False)
        assert change.closed
        with pytest.raises(PlacesError):
            await board.set_state(session, DRIVER, updated_by=7, open_places=1000)

    # A new board (a restart) reads the same from the database.
    fresh = VacancyBoard()
    async with factory() as session:
        assert await fresh.closed(session) == {DRIVER}
        rescuer = await fresh.get(session, RESCUER)
        assert rescuer.is_open and rescuer.open_places == 5 and rescuer.updated_by == HR_ID
        assert rescuer.updated_at is not None
        row = await session.get(VacancyState, DRIVER)
        assert row is not None and not row.is_open and row.updated_by == 7
        assert await fresh.open_numbers(session, [RESCUER, DRIVER, 1]) == {RESCUER, 1}
        change = await fresh.set_state(session, DRIVER, updated_by=HR_ID, is_open=True)
        assert change.opened and change.before.open_places == 0


def test_catalogue_leaves_closed_positions_out(catalogue: CatalogueService) -> None:
    chancellery = {p.number for p in catalogue.positions_in("chancellery")}
    closed = frozenset(chancellery | {RESCUER})
    summaries = catalogue.departments(closed)
    assert "chancellery" not in {s.department.id for s in summaries}
    assert len(summaries) == len(catalogue.departments()) - 1
    rescue = next(s for s in summaries if s.department.id == "emergency_rescue")
    assert rescue.positions == len(catalogue.positions_in("emergency_rescue")) - 1
    assert RESCUER not in {p.number for p in catalogue.positions_in("emergency_rescue", closed)}
    assert RESCUER in {p.number for p in catalogue.search("спасатель")}
    assert RESCUER not in {p.number for p in catalogue.search("спасатель", closed=closed)}


async def _close_rescuer_as_hr(app: BotUnderTest) -> Person:
    hr = app.person(user_id=HR_ID)
    board = await hr.send("/vacancies")
    assert "Управление вакансиями" in board and "Открыто 62 из 62" in board
    await hr.press("Аварийно-спасательная служба")
    screen = await hr.press("✅ Спасатель аварийно-спасательной службы")
    assert "Набор: ✅ открыт" in screen
    screen = await hr.press("Закрыть набор")
    assert "Набор закрыт" in screen and "⛔ закрыт" in screen and "ID 9000" in screen
    assert hr.button("Открыть набор")
    await hr.press("Назад")
    assert hr.button("⛔ Спасатель аварийно-спасательной службы")
    board = await hr.press("Назад")
    assert "Открыто 61 из 62" in board
    return hr


def _numbers(person: Person) -> set[str]:
    """The buttons' payloads, a card's as ``pos:N`` wherever it was opened from."""
    payloads = {b.callback_data or "" for b in person.buttons()}
    return {"pos:" + p.split(":")[1] if p.startswith("card:") else p for p in payloads}


async def _assert_hidden(app: BotUnderTest, user_id: int) -> None:
    person = app.person(user_id=user_id)
    departments = await person.send("/vacancies")
    assert "61 должност" in departments and "Управление" not in departments
    await person.press("Аварийно-спасательная служба")
    assert f"pos:{RESCUER}" not in _numbers(person)
    assert "pos:39" in _numbers(person)
    await person.send("спасатель")
    assert f"pos:{RESCUER}" not in _numbers(person) and "pos:42" in _numbers(person)
    assert "больше не доступна" in await person.send(f"/start pos_{RESCUER}")
    # An old button still opens the card: closed, without «Apply».
    card = await person.press_data(f"pos:{RESCUER}")
    assert "набор на эту должность сейчас закрыт" in card.lower()
    assert not [b for b in person.buttons() if "✍️" in b.text]
    # An old «Apply» starts nothing.
    answer = await person.press_data(f"apply:{RESCUER}")
    assert "Вопрос 1" not in answer and "закрыт" in answer


async def _assert_shown(app: BotUnderTest, user_id: int) -> None:
    person = app.person(user_id=user_id)
    assert "62 должност" in await person.send("/vacancies")
    await person.press("Аварийно-спасательная служба")
    assert f"pos:{RESCUER}" in _numbers(person)
    await person.send("спасатель")
    assert f"pos:{RESCUER}" in _numbers(person)
    card = await person.send(f"/start pos_{RESCUER}")
    assert "Спасатель аварийно-спасательной службы" in card and "закрыт" not in card
    assert "Вопрос 1" in await person.press("✍️")


async def test_close_hides_everywhere_and_reopen_brings_back(app: BotUnderTest) -> None:
    hr = await _close_rescuer_as_hr(app)
    await _assert_hidden(app, 1001)
    app.restart()  # the closed state lives in the database
    await _assert_hidden(app, 1002)

    await hr.send("/vacancies")
    await hr.press("Аварийно-спасательная служба")
    await hr.press("⛔ Спасатель аварийно-спасательной службы")
    screen = await hr.press("Открыть набор")
    assert "Набор открыт" in screen and "✅ открыт" in screen
    await _assert_shown(app, 1003)


async def _suggested(app: BotUnderTest, user_id: int) -> list[int]:
    """A driver without a licence fails the driver position and gets suggestions."""
    person = app.person(user_id=user_id)
    await person.send("/start")
    await person.press("Русский")
    await person.press_data(f"pos:{DRIVER}")
    await person.press("✍️")
    await person.press("Высшее образование")
    result = await person.press("Нет водительского удостоверения")
    assert "❌" in result
    numbers = [
        int((b.callback_data or "").split(":")[1])
        for b in person.buttons()
        if (b.callback_data or "").startswith(("pos:", "card:"))
    ]
    return [n for n in numbers if n != DRIVER]


async def test_closed_positions_are_not_suggested(app: BotUnderTest) -> None:
    before = await _suggested(app, 1001)
    assert before, "the scenario must suggest something"
    hr = app.person(user_id=HR_ID)
    await open_position(app, before[0], hr)
    await hr.press("Закрыть набор")
    after = await _suggested(app, 1002)
    assert before[0] not in after
    assert set(before[1:]) <= set(after)  # the others stay (one more may move up)


async def test_set_places_with_bad_then_good_input(app: BotUnderTest) -> None:
    hr = app.person(user_id=HR_ID)
    screen = await open_position(app, DRIVER, hr)
    assert "Свободных мест сейчас: не указано" in screen
    prompt = await hr.press("Указать число мест")
    assert "Сколько мест открыто сейчас" in prompt
    answer = await hr.send("много")
    assert "Нужно целое число" in answer and "Сколько мест" in answer
    answer = await hr.send("1000")
    assert "от 0 до 999" in answer and "Сколько мест" in answer
    await hr.send_message(
        sticker=Sticker(
            file_id="x",
            file_unique_id="y",
            type="regular",
            width=1,
            height=1,
            is_animated=False,
            is_video=False,
        )
    )
    assert "Напишите число мест сообщением" in hr.last_text()
    answer = await hr.send("5")
    assert "Сохранено: свободных мест — 5" in answer
    assert "Свободных мест сейчас: 5" in answer

    # Applicants see the places on the card; HR sees them in the list.
    person = app.person(user_id=1001)
    card = await person.send(f"/start pos_{DRIVER}")
    assert "Свободных мест сейчас: 5" in card
    await hr.press("Назад")
    assert hr.button("мест: 5")

    # «Not said» again; then Back and Cancel leave the step without a change.
    await open_position(app, DRIVER, hr)
    await hr.press("Указать число мест")
    answer = await hr.press("Не указывать")
    assert "число мест не указано" in answer and "Свободных мест сейчас: не указано" in answer
    await hr.press("Указать число мест")
    assert "Свободных мест сейчас: не указано" in await hr.press("Назад")
    typed = await hr.send("7")  # no longer the places step: a search
    assert "Сохранено" not in typed
    await open_position(app, DRIVER, hr)
    await hr.press("Указать число мест")
    assert "Число мест не изменено" in await hr.press("Отмена")
    card = await person.send(f"/start pos_{DRIVER}")
    assert "Свободных мест" not in card


async def test_stale_and_forged_buttons_of_hr(app: BotUnderTest) -> None:
    hr = app.person(user_id=HR_ID)
    board = await hr.send("/vacancies")
    intent = intent_of(hr)
    # A forged department: an alert, the board stays as it is.
    await hr.press_data(f"{intent}\x1ddepartment:nowhere")
    assert len(alerts(app)) == 1 and "устарела" in alerts(app)[0]
    assert hr.last_text() == board and "Открыто 62 из 62" in board
    # A position that does not exist, or of another department than the one on screen.
    await hr.press("Аварийно-спасательная служба")
    screen = hr.last_text()
    for data in (f"{intent}\x1dposition:999", f"{intent}\x1dposition:{DRIVER}"):
        await hr.press_data(data)
    assert len(alerts(app)) == 3 and hr.last_text() == screen
    # The buttons of a board replaced by a new /vacancies: an alert, nothing changes.
    close = (await open_position(app, RESCUER, hr), hr.button("Закрыть набор"))[1]
    await hr.send("/vacancies")
    await hr.press_data(close.callback_data or "")
    assert len(alerts(app)) == 4 and "Открыто 62 из 62" in hr.last_text()
    async with app.session_factory() as session:
        assert await session.get(VacancyState, RESCUER) is None


async def test_back_from_every_window_and_typed_text_elsewhere_is_a_search(
    app: BotUnderTest,
) -> None:
    hr = app.person(user_id=HR_ID)
    await open_position(app, DRIVER, hr)
    assert "Водитель специальной техники" in hr.last_text()
    assert "Автотранспортная служба" in await hr.press("Назад")
    assert hr.button(PAGE_NEXT)  # 13 positions: two pages
    assert "Управление вакансиями" in await hr.press("Назад")
    assert "Найдено" in await hr.send("водитель")  # no typed step on screen: a search
    # The applicants' view and the menu leave the board.
    await hr.send("/vacancies")
    assert "62 должност" in await hr.press("Как видят соискатели")
    await hr.send("/vacancies")
    assert "Управление" not in await hr.press("Меню")
    assert hr.button("Вакансии")  # the main menu


async def test_places_step_survives_a_restart(app: BotUnderTest) -> None:
    hr = app.person(user_id=HR_ID)
    await open_position(app, RESCUER, hr)
    await hr.press("Указать число мест")
    assert "Нужно целое число" in await hr.send("три")
    app.restart()  # the dialog's state is in the SQL storage
    answer = await hr.send("3")
    assert "Сохранено: свободных мест — 3" in answer
    assert "Спасатель аварийно-спасательной службы" in answer
    async with app.session_factory() as session:
        row = await session.get(VacancyState, RESCUER)
        assert row is not None and row.open_places == 3 and row.updated_by == HR_ID


async def test_commands_leave_the_places_step(app: BotUnderTest) -> None:
    hr = app.person(user_id=HR_ID)
    await open_position(app, RESCUER, hr)
    await hr.press("Указать число мест")
    assert "Выгрузка откликов" in await hr.send("/export")  # a command is never «a number»
    assert "Сохранено" not in await hr.send("5")
    async with app.session_factory() as session:
        assert await session.get(VacancyState, RESCUER) is None


async def test_not_hr_is_refused_and_nothing_changes(app: BotUnderTest) -> None:
    person = app.person(user_id=1001)
    public = await person.send("/vacancies")
    assert "Управление" not in public and "62 должност" in public  # the public catalogue
    assert "только сотрудникам" in await person.send("/stats")
    assert "только сотрудникам" in await person.send("/export")
    # HR's board buttons pressed by someone else (forged from HR's message): refused.
    hr = app.person(user_id=HR_ID)
    await open_position(app, RESCUER, hr)
    forged = [b.callback_data or "" for b in hr.buttons()]
    await hr.press("Указать число мест")
    forged += [b.callback_data or "" for b in hr.buttons()]
    before = len(alerts(app))
    for data in forged:
        await person.press_data(data)
    assert len(alerts(app)) == before + len(forged)
    assert "Сохранено" not in await person.send("5")  # no places step was opened
    async with app.session_factory() as session:
        assert await session.get(VacancyState, RESCUER) is None
    await _assert_shown(app, 1001)


async def test_someone_no_longer_hr_is_refused_in_the_middle(app: BotUnderTest) -> None:
    hr = app.person(user_id=HR_ID)
    await open_position(app, RESCUER, hr)
    app.settings.admin_ids = []  # no longer HR (and not in the HR chat)
    app.settings.hr_chat_id = None
    await hr.press("Закрыть набор")
    assert "только сотрудникам" in alerts(app)[-1]
    async with app.session_factory() as session:
        assert await session.get(VacancyState, RESCUER) is None
