"""HR's /slots dialog through the real Dispatcher, in both languages: one slot, a repeated
series, slots for some positions of a department (stored so, offered to those only), the
refusals (past day, bad time, sticker, zero capacity, an overlap), no access for others, and
a restart in the middle."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from aiogram.methods import SendMessage
from aiogram.types import Chat, Location, Message, Sticker, Update, User
from aiogram_dialog.widgets.kbd.calendar_kbd import raw_from_date
from sqlalchemy import select

from bot.db.models import Application, Slot
from bot.i18n import Translator
from bot.rendering.messages import escape
from bot.rendering.slots import ERROR_KEYS, MONTH_KEYS, TYPED_KEYS, WEEKDAY_KEYS
from bot.scheduling import TIMEZONE
from bot.scheduling.slots import Place, to_utc
from bot.services import bookings, slots, stages
from bot.services.slots import SlotRequest
from tests.conftest import BotUnderTest
from tests.harness import Person
from tests.test_bookings import new_application
from tests.test_vacancies import alerts

HR_ID = 9000
ADDRESS = "ул. Толе би, 112, каб. 5"
STICKER = Sticker(
    file_id="STICKER",
    file_unique_id="s",
    type="regular",
    width=1,
    height=1,
    is_animated=False,
    is_video=False,
)
T = {
    "ru": {
        "stage": "Собеседование",
        "step1": "шаг 1",
        "step3": "шаг 3",
        "step6": "шаг 6",
        "skip": "Без точки",
        "everyone": "Все должности",
        "once": "Один раз",
        "weekdays": "Каждый будний",
        "create": "Создать",
        "one_slot": "Будет создан <b>1 слот</b>",
        "twenty": "Будет создано <b>20 слотов</b>",
        "created_one": "Создан 1 слот",
        "created_twenty": "Создано 20 слотов",
        "bad_time": "Не понял время",
        "not_text": "нужен текст",
        "capacity": "от 1 до 50",
        "past_day": "уже прошёл",
        "overlap": "пересекается",
        "denied": "только сотрудникам отдела кадров",
        "cancelled": "отменено",
        "every30": "каждые 30 мин",
        "department": "Аварийно",
        "positions_prompt": "для каких должностей?",
        "all_positions": "Все должности отдела",
        "done": "Готово",
        "no_positions": "хотя бы одну должность",
        "whole_department": "Аварийно-спасательная служба, все должности",
    },
    "kk": {
        "stage": "Әңгімелесу",
        "step1": "1-қадам",
        "step3": "3-қадам",
        "step6": "6-қадам",
        "skip": "нүктесіз",
        "everyone": "Барлық лауазымдар",
        "once": "Бір рет",
        "weekdays": "Әр жұмыс күні",
        "create": "Құру",
        "one_slot": "<b>1 слот</b> құрылады",
        "twenty": "<b>20 слот</b> құрылады",
        "created_one": "1 слот құрылды",
        "created_twenty": "20 слот құрылды",
        "bad_time": "Уақытты түсінбедім",
        "not_text": "мәтін керек",
        "capacity": "1-ден 50-ге",
        "past_day": "өтіп кетті",
        "overlap": "қабаттасады",
        "denied": "кадр бөлімінің",
        "cancelled": "тоқтатылды",
        "every30": "әр 30 мин",
        "department": "Авариялық-құтқару",
        "positions_prompt": "қай лауазымдар үшін?",
        "all_positions": "Бөлімнің барлық лауазымдары",
        "done": "Дайын",
        "no_positions": "Кемінде бір лауазымды",
        "whole_department": "Авариялық-құтқару қызметі, барлық лауазымдар",
    },
}


def today() -> date:
    return datetime.now(TIMEZONE).date()


async def press_day(person: Person, widget: str, day: date) -> str:
    """A day of the calendar on screen (its button's payload with that date)."""
    pattern = re.compile(rf"\x1d{widget}:\d+$")
    data = next(b.callback_data for b in person.buttons() if pattern.search(b.callback_data or ""))
    assert data is not None
    return await person.press_data(re.sub(r"\d+$", str(raw_from_date(day)), data))


async def stored(app: BotUnderTest) -> list[Slot]:
    async with app.session_factory() as session:
        return list(await session.scalars(select(Slot).order_by(Slot.starts_at)))


async def to_place(hr: Person, lang: str, day: date, at: str = "10:00") -> None:
    t = T[lang]
    assert t["step1"] in await hr.send("/slots")
    await hr.press(t["stage"])
    assert t["step3"] in await press_day(hr, "day", day)
    await hr.send(at)
    await hr.press("30")


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_hr_opens_one_slot(app: BotUnderTest, lang: str) -> None:
    t = T[lang]
    hr = app.person(user_id=HR_ID, language_code=lang)
    day = today() + timedelta(days=7)
    await to_place(hr, lang, day)
    await hr.send(ADDRESS)
    shown = await hr.send_message(location=Location(latitude=43.2519, longitude=76.9128))
    assert t["step6"] in shown
    await hr.send("3")
    await hr.press(t["everyone"])
    summary = await hr.press(t["once"])
    assert t["one_slot"] in summary and ADDRESS in summary and "10:00" in summary
    assert t["created_one"] in await hr.press(t["create"])
    (slot,) = await stored(app)
    starts = slot.starts_at.replace(tzinfo=UTC) if slot.starts_at.tzinfo is None else slot.starts_at
    assert starts == datetime.combine(day, time(10), tzinfo=TIMEZONE).astimezone(UTC)
    assert starts.astimezone(UTC).hour == 5  # Almaty is UTC+5
    assert (slot.duration_minutes, slot.capacity, slot.address) == (30, 3, ADDRESS)
    assert slot.latitude == pytest.approx(43.2519) and slot.departments is None


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_hr_opens_a_repeated_series_online(app: BotUnderTest, lang: str) -> None:
    t = T[lang]
    hr = app.person(user_id=HR_ID, language_code=lang)
    monday = today() + timedelta(days=7 - today().weekday())  # next week's Monday
    await to_place(hr, lang, monday)
    await hr.send("https://meet.example.kz/hr-room")  # a link: no map location asked
    await hr.press("5")
    assert t["positions_prompt"] in await hr.press(t["department"])
    await hr.press(t["all_positions"])  # the default: the whole department
    await hr.press(t["weekdays"])
    await press_day(hr, "until", monday + timedelta(days=4))
    await hr.send("12:00")
    summary = await hr.press(t["every30"])
    assert t["twenty"] in summary and "meet.example.kz" in summary
    assert t["whole_department"] in summary
    assert t["created_twenty"] in await hr.press(t["create"])
    found = await stored(app)
    assert len(found) == 20
    first = found[0].starts_at
    first = first.replace(tzinfo=UTC) if first.tzinfo is None else first
    assert first == to_utc(monday, time(10))
    assert all(s.online_url == "https://meet.example.kz/hr-room" for s in found)
    assert all(s.address is None and s.capacity == 5 for s in found)
    assert found[0].departments == ["emergency_rescue"] and found[0].positions is None


RESCUER, INSTRUCTOR, SPECIALIST = 38, 42, 39  # positions of emergency_rescue
PAGE_NEXT = ">"  # aiogram-dialog's ScrollingGroup pager


def title(app: BotUnderTest, number: int, lang: str) -> str:
    position = app.catalogue.position(number)
    assert position is not None
    return position.title.get(lang)


async def press_exact(hr: Person, text: str) -> str:
    data = next(b.callback_data for b in hr.buttons() if b.text == text)
    assert data is not None
    return await hr.press_data(data)


async def tick(hr: Person, name: str) -> str:
    """The position's button (its exact title, ticked or not), from the first page on."""
    if "1" in [b.text for b in hr.buttons()]:
        await press_exact(hr, "1")  # the pager's first page
    for _ in range(3):
        if any(b.text in (name, f"✓ {name}") for b in hr.buttons()):
            name = name if any(b.text == name for b in hr.buttons()) else f"✓ {name}"
            return await press_exact(hr, name)
        await press_exact(hr, PAGE_NEXT)
    raise AssertionError(f"no position {name!r}")


async def to_positions(hr: Person, lang: str, day: date) -> str:
    await to_place(hr, lang, day)
    await hr.send("https://meet.example.kz/hr-room")
    await hr.press("2")
    return await hr.press(T[lang]["department"])


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_a_slot_for_two_positions_of_a_department(app: BotUnderTest, lang: str) -> None:
    t = T[lang]
    hr = app.person(user_id=HR_ID, language_code=lang)
    day = today() + timedelta(days=7)
    shown = await to_positions(hr, lang, day)
    assert t["positions_prompt"] in shown
    assert PAGE_NEXT in [b.text for b in hr.buttons()]  # ten positions: two pages
    shown = await hr.press(t["done"])  # nothing ticked: the same step, told why
    assert t["no_positions"] in shown and t["positions_prompt"] in shown
    await tick(hr, title(app, RESCUER, lang))
    await tick(hr, title(app, INSTRUCTOR, lang))  # on the second page
    assert hr.button(f"{t['done']} (2)")
    await hr.press(f"{t['done']} (2)")
    summary = await hr.press(t["once"])
    for number in (RESCUER, INSTRUCTOR):
        assert escape(title(app, number, lang)) in summary
    assert escape(title(app, SPECIALIST, lang)) not in summary
    # Back from the summary to the positions: the ticks are kept.
    await hr.press("«")  # Back: «once or repeat?»
    await hr.press("«")  # Back: the positions
    assert t["positions_prompt"] in hr.last_text()
    assert hr.button(f"{t['done']} (2)")
    await hr.press(f"{t['done']} (2)")
    await hr.press(t["once"])
    assert t["created_one"] in await hr.press(t["create"])
    (slot,) = await stored(app)
    assert sorted(slot.positions or []) == [RESCUER, INSTRUCTOR] and slot.departments is None
    # Offered to an application for one of them, not to another position of the department.
    rescuer = await new_application(
        app.session_factory, 2001, position=RESCUER, department="emergency_rescue"
    )
    specialist = await new_application(
        app.session_factory, 2002, position=SPECIALIST, department="emergency_rescue"
    )
    async with app.session_factory() as session:
        offered = {}
        for application_id in (rescuer, specialist):
            application = await session.get(Application, application_id)
            assert application is not None and application.current_stage_id == slot.stage_id
            offered[application_id] = [
                s.id for s in await bookings.open_slots(session, application)
            ]
    assert offered == {rescuer: [slot.id], specialist: []}


async def test_another_department_drops_the_ticks_and_a_restart_keeps_them(
    app: BotUnderTest,
) -> None:
    hr = app.person(user_id=HR_ID)
    await to_positions(hr, "ru", today() + timedelta(days=8))
    await tick(hr, title(app, RESCUER, "ru"))
    await tick(hr, title(app, INSTRUCTOR, "ru"))
    app.restart()  # mid-pick: the ticks are in the SQL storage
    assert hr.button("Готово (2)")
    await tick(hr, title(app, SPECIALIST, "ru"))
    assert "Готово (3)" in hr.button("Готово (3)").text
    # A forged tick of another department's position counts for nothing.
    payloads = [b.callback_data or "" for b in hr.buttons()]
    tick_data = next(data for data in payloads if "serves_positions:" in data)
    await hr.press_data(re.sub(r":\d+$", ":62", tick_data), quiet=True)
    assert hr.button("Готово (3)")
    await hr.press("Назад")
    await hr.press("Аварийно")  # the same department: its ticks stay
    assert hr.button("Готово (3)")
    await hr.press("Назад")
    await hr.press("Автотранспорт")  # another one: nothing of the first is ticked
    assert hr.button("Готово (0)")
    await hr.press("Все должности отдела")
    summary = await hr.press("Один раз")
    assert "Автотранспортная служба, все должности" in summary
    await hr.press("Создать")
    (slot,) = await stored(app)
    assert slot.departments == ["motor_transport"] and slot.positions is None


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_bad_input_keeps_the_step(app: BotUnderTest, lang: str) -> None:
    t = T[lang]
    hr = app.person(user_id=HR_ID, language_code=lang)
    await hr.send("/slots")
    await hr.press(t["stage"])
    screen = hr.last_text()
    await press_day(hr, "day", today() - timedelta(days=1))
    assert t["past_day"] in alerts(app)[-1]
    assert hr.last_text() == screen
    day_button = next(
        b.callback_data or "" for b in hr.buttons() if "\x1dday:" in (b.callback_data or "")
    )
    for forged in ("abc", "9" * 40):  # a forged day: the stale alert, the same step
        await hr.press_data(re.sub(r"day:.*$", f"day:{forged}", day_button))
        assert hr.last_text() == screen
    await press_day(hr, "day", today() + timedelta(days=3))
    for typed in ("25:99", "утром", "10:75"):
        shown = await hr.send(typed)
        assert t["bad_time"] in shown and t["step3"] in shown
    shown = await hr.send_message(sticker=STICKER)
    assert t["not_text"] in shown and t["step3"] in shown
    await hr.send("11:00")
    await hr.press("45")
    shown = await hr.send("http://insecure.example.kz")
    assert "https://" in shown
    await hr.send(ADDRESS)
    await hr.press(t["skip"])
    for typed in ("0", "51", "-3", "много"):
        shown = await hr.send(typed)
        assert t["capacity"] in shown and t["step6"] in shown
    await hr.send("2")
    await hr.press(t["everyone"])
    # Meanwhile another slot at the same place and time was opened: the overlap is refused.
    async with app.session_factory() as session:
        interview = (await stages.ensure_default_chain(session))[0]
        await slots.create_slot(
            session,
            SlotRequest(interview.id, timedelta(minutes=30), Place(address=ADDRESS), 1),
            to_utc(today() + timedelta(days=3), time(11, 15)),
            by=HR_ID,
        )
    await hr.press(t["once"])
    shown = await hr.press(t["create"])
    assert t["overlap"] in shown and "11:15" in shown
    assert hr.button(t["create"])  # the same step
    assert len(await stored(app)) == 1
    assert t["cancelled"] in await hr.press("✖")


async def test_a_time_already_passed_today_is_refused(app: BotUnderTest) -> None:
    now = datetime.now(TIMEZONE)
    if now.hour == 0 and now.minute < 1:
        pytest.skip("right after midnight nothing of today is past")
    hr = app.person(user_id=HR_ID)
    await hr.send("/slots")
    await hr.press("Собеседование")
    await press_day(hr, "day", today())
    shown = await hr.send("00:00")
    assert "уже прошло" in shown and "шаг 3" in shown


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_others_get_no_access(app: BotUnderTest, lang: str) -> None:
    stranger = app.person(user_id=1001, language_code=lang)
    refused = await stranger.send("/slots")
    assert T[lang]["denied"] in refused
    assert "шаг 1" not in refused and "1-қадам" not in refused
    # HR's dialog buttons pressed by someone else (forged from HR's message): refused.
    hr = app.person(user_id=HR_ID, language_code=lang)
    await hr.send("/slots")
    forged = [b.callback_data or "" for b in hr.buttons()]
    before = len(alerts(app))
    for data in forged:
        await stranger.press_data(data)
    assert len(alerts(app)) == before + len(forged)
    assert T[lang]["denied"] in await stranger.send("/agenda")
    assert await stored(app) == []


async def test_a_restart_in_the_middle_keeps_the_draft(app: BotUnderTest) -> None:
    hr = app.person(user_id=HR_ID)
    day = today() + timedelta(days=10)
    await to_place(hr, "ru", day, at="09:30")
    app.restart()  # the dialog's data is in the SQL storage
    await hr.send(ADDRESS)
    await hr.press("Без точки")
    await hr.press("1")
    await hr.press("Все должности")
    app.restart()
    summary = await hr.press("Один раз")
    assert "09:30" in summary and ADDRESS in summary and "30 мин" in summary
    await hr.press("Назад")  # Back keeps the way
    await hr.press("Один раз")
    assert "Создан 1 слот" in await hr.press("Создать")
    (slot,) = await stored(app)
    assert slot.duration_minutes == 30
    starts = slot.starts_at.replace(tzinfo=UTC) if slot.starts_at.tzinfo is None else slot.starts_at
    assert starts == to_utc(day, time(9, 30))


def test_every_mapped_key_exists_in_both_languages(translator: Translator) -> None:
    keys = [*ERROR_KEYS.values(), *TYPED_KEYS.values(), *WEEKDAY_KEYS, *MONTH_KEYS]
    for lang in ("kk", "ru"):
        for key in keys:
            assert translator.has(key), (lang, key)
            assert translator(lang, key, when="01.01 10:00", other="10:15")


@pytest.mark.parametrize("command", ["slots", "agenda", "stages"])
async def test_in_the_hr_group_the_commands_point_to_the_private_chat(
    app: BotUnderTest, command: str
) -> None:
    admin = User(id=HR_ID, is_bot=False, first_name="HR", language_code="ru")
    message = Message(
        message_id=1,
        date=datetime.now(UTC),
        chat=Chat(id=-100500, type="supergroup"),
        from_user=admin,
        text=f"/{command}",
    )
    before = len(app.session.requests)
    await app.dp.feed_update(app.bot, Update(update_id=987_654, message=message))
    sent = app.session.requests[before:]
    assert len(sent) == 1 and isinstance(sent[0], SendMessage), sent
    assert sent[0].chat_id == -100500 and "в личном чате" in sent[0].text


async def test_the_last_day_of_a_series_is_not_before_its_first(app: BotUnderTest) -> None:
    hr = app.person(user_id=HR_ID)
    first = today() + timedelta(days=5)
    await to_place(hr, "ru", first)
    await hr.send("https://meet.example.kz/x")
    await hr.press("1")
    await hr.press("Все должности")
    await hr.press("Выбрать дни")
    shown = await hr.press("Готово")  # nothing ticked
    assert "хотя бы один день" in shown
    await hr.press("ср")
    await hr.press("Готово (1)")
    screen = hr.last_text()
    await press_day(hr, "until", first - timedelta(days=1))
    assert "раньше первого" in alerts(app)[-1] and hr.last_text() == screen
    await press_day(hr, "until", first + timedelta(days=13))
    assert "шаг 10" in hr.last_text()
    shown = await hr.send("09:00")  # before the start (10:00)
    assert "позже начала" in shown and "шаг 10" in shown
    await hr.send("11:00")
    summary = await hr.press("каждые 60 мин")
    assert "(ср)" in summary and "10:00–11:00" in summary
    assert "Будет создано <b>2 слота</b>" in summary  # two Wednesdays in 14 days
    await hr.press("Создать")
    assert len(await stored(app)) == 2
