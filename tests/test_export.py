"""HR's /export: an XLSX of the applications in the database, with each filter."""

from __future__ import annotations

import asyncio
import io
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiogram.methods import SendDocument
from aiogram.types import BufferedInputFile
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.catalogue.service import CatalogueService
from bot.db.engine import create_session_factory
from bot.db.models import Application, ApplicationStatus, utcnow
from bot.i18n import Translator
from bot.services import export
from bot.services.export import COLUMNS, ExportFilter
from bot.services.stats import Period
from tests.conftest import BotUnderTest
from tests.test_vacancies import alerts, intent_of

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
HR_ID = 9000


def _application(
    number: int,
    department: str,
    *,
    status: ApplicationStatus = ApplicationStatus.new,
    days_ago: float = 1,
    now: datetime = NOW,
    user_id: int = 1001,
    **fields: Any,
) -> Application:
    values: dict[str, Any] = {
        "user_id": user_id,
        "position_number": number,
        "department": department,
        "status": status.value,
        "verdict": "meets",
        "screening": {},
        "language": "ru",
        "full_name": "Сейтжанова Айгерим",
        "phone": "+77011234567",
        "username": "aigerim_s",
        "cv_file_id": "FILE-1",
        "comment": "после 18:00",
        "created_at": now - timedelta(days=days_ago),
    }
    values.update(fields)
    return Application(**values)


async def _seed(session: AsyncSession, now: datetime = NOW) -> list[Application]:
    rows = [
        # 0: a driver (motor transport), new, yesterday.
        _application(62, "motor_transport", now=now, user_id=1),
        # 1: a rescuer, rejected 10 days ago with a reason, decided by HR.
        _application(
            38,
            "emergency_rescue",
            status=ApplicationStatus.rejected,
            days_ago=10,
            now=now,
            user_id=2,
            verdict="does_not_meet",
            decided_by=HR_ID,
            decided_at=now - timedelta(days=9),
            reject_reason="not_qualified",
            cv_file_id=None,
            comment='=HYPERLINK("http://example.invalid")',  # never a formula
        ),
        # 2: a rescuer, invited, 40 days ago; anonymized since.
        _application(
            38,
            "emergency_rescue",
            status=ApplicationStatus.invited,
            days_ago=40,
            now=now,
            user_id=None,
            full_name=None,
            phone=None,
            username=None,
            cv_file_id=None,
            comment=None,
            anonymized_at=now - timedelta(days=1),
        ),
        # 3: another driver, shortlisted, 3 days ago; personal data left in place
        # although anonymized: the export must still show it empty.
        _application(
            62,
            "motor_transport",
            status=ApplicationStatus.shortlisted,
            days_ago=3,
            now=now,
            user_id=4,
            anonymized_at=now,
        ),
    ]
    session.add_all(rows)
    await session.commit()
    return rows


def _sheet(data: bytes) -> Worksheet:
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    return sheet


def _records(sheet: Worksheet) -> list[dict[str, Any]]:
    return [
        dict(zip(COLUMNS, (c.value for c in row), strict=True))
        for row in sheet.iter_rows(min_row=2)
    ]


async def test_filters_select_exactly_the_matching_applications(engine: AsyncEngine) -> None:
    async with create_session_factory(engine)() as session:
        rows = await _seed(session)
        ids = [r.id for r in rows]

        async def found(filters: ExportFilter) -> list[int]:
            apps = await export.applications(session, filters, now=NOW)
            assert await export.count(session, filters, now=NOW) == len(apps)
            return [a.id for a in apps]

        assert await found(ExportFilter()) == [ids[2], ids[1], ids[3], ids[0]]  # oldest first
        assert await found(ExportFilter(department="motor_transport")) == [ids[3], ids[0]]
        assert await found(ExportFilter(position=38)) == [ids[2], ids[1]]
        assert await found(ExportFilter(status="rejected")) == [ids[1]]
        assert await found(ExportFilter(period=Period.week)) == [ids[3], ids[0]]
        assert await found(ExportFilter(period=Period.month)) == [ids[1], ids[3], ids[0]]
        assert await found(
            ExportFilter(department="emergency_rescue", status="invited", period=Period.all)
        ) == [ids[2]]
        assert await found(ExportFilter(department="legal")) == []


async def test_workbook_layout_texts_and_personal_fields(
    engine: AsyncEngine, catalogue: CatalogueService, translator: Translator
) -> None:
    async with create_session_factory(engine)() as session:
        rows = await _seed(session)
        apps = await export.applications(session, ExportFilter(), now=NOW)
        data = export.build_workbook(apps, catalogue, translator, "ru")
    sheet = _sheet(data)
    assert sheet.title == "Отклики"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:O5"
    assert sheet.max_row == 1 + len(rows)
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["№ отклика", "Дата отклика", "№ должности", "Должность"]
    assert "ФИО" in headers and "Причина отказа" in headers and len(headers) == 15
    assert all((sheet.column_dimensions[c].width or 0) >= 8 for c in "ABCDEFGHIJKLMNO")

    by_id = {r["number"]: r for r in _records(sheet)}
    driver = by_id[rows[0].id]
    # 11:00 UTC (a day before NOW) is 17:00 in Almaty (UTC+5).
    assert driver["created"] == datetime(2026, 3, 14, 17, 0)
    assert driver["position_number"] == 62
    assert driver["department"] == "Автотранспортная служба"
    assert driver["status"] == "Новый" and driver["verdict"] == "Соответствует"
    assert driver["full_name"] == "Сейтжанова Айгерим"
    assert driver["phone"] == "+77011234567"
    assert driver["username"] == "@aigerim_s"
    assert driver["cv"] == "да"
    assert driver["decided_by"] is None and driver["reject_reason"] is None

    rejected = by_id[rows[1].id]
    assert rejected["status"] == "Отказ" and rejected["verdict"] == "Не соответствует"
    assert rejected["cv"] == "нет"
    assert rejected["decided_by"] == HR_ID
    assert rejected["decided_at"] == datetime(2026, 3, 6, 17, 0)
    assert rejected["reject_reason"] == "Не соответствует требованиям"
    assert rejected["comment"] == '=HYPERLINK("http://example.invalid")'
    cell = sheet.cell(row=list(by_id).index(rows[1].id) + 2, column=COLUMNS.index("comment") + 1)
    assert cell.data_type == "s"

    for anonymized in (by_id[rows[2].id], by_id[rows[3].id]):
        for column in ("full_name", "phone", "username", "cv", "comment"):
            assert anonymized[column] is None, column
        assert anonymized["status"] in {"Приглашён", "В шорт-листе"}
        assert anonymized["position_title"]


async def test_empty_export_and_kazakh_headers(
    engine: AsyncEngine, catalogue: CatalogueService, translator: Translator
) -> None:
    sheet = _sheet(export.build_workbook([], catalogue, translator, "kk"))
    assert sheet.max_row == 1
    assert sheet.auto_filter.ref == "A1:O1"
    assert sheet.cell(row=1, column=8).value == "Аты-жөні"
    assert export.file_name(ExportFilter(department="legal", status="new"), NOW) == (
        "applications_2026-03-15_1700_legal_new.xlsx"
    )


def _document(app: BotUnderTest) -> tuple[SendDocument, Worksheet]:
    documents = app.session.of(SendDocument)
    assert documents
    document = documents[-1]
    assert isinstance(document.document, BufferedInputFile)
    assert document.document.filename.endswith(".xlsx")
    return document, _sheet(document.document.data)


async def test_export_all_through_the_dispatcher(app: BotUnderTest) -> None:
    async with app.session_factory() as session:
        rows = await _seed(session, now=utcnow())
    hr = app.person(user_id=HR_ID)
    menu = await hr.send("/export")
    assert "Выгрузка откликов" in menu and "Всего откликов: 4" in menu
    await hr.press("Выгрузить всё")
    document, sheet = _document(app)
    assert "Откликов в файле: 4" in (document.caption or "")
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:O{1 + len(rows)}"
    assert sheet.max_row == 1 + len(rows)
    assert {r["number"] for r in _records(sheet)} == {r.id for r in rows}


async def test_export_with_filters_through_the_dispatcher(app: BotUnderTest) -> None:
    async with app.session_factory() as session:
        rows = await _seed(session, now=utcnow())
    hr = app.person(user_id=HR_ID)
    await hr.send("/export")
    assert "шаг 1 из 4" in await hr.press("Выбрать фильтры")
    assert "шаг 2 из 4" in await hr.press("Аварийно-спасательная служба")
    # Back and forth keeps the way.
    assert "шаг 1 из 4" in await hr.press("Назад")
    await hr.press("Аварийно-спасательная служба")
    assert "шаг 3 из 4" in await hr.press("Все должности")
    assert "шаг 4 из 4" in await hr.press("Отказ")
    summary = await hr.press("Всё время")
    assert "Аварийно-спасательная служба" in summary and "Отказ" in summary
    assert "Подходящих откликов: 1" in summary
    await hr.press("📥 Выгрузить")
    _, sheet = _document(app)
    assert [r["number"] for r in _records(sheet)] == [rows[1].id]

    # One position, any status, the last 7 days.
    await hr.send("/export")
    await hr.press("Выбрать фильтры")
    await hr.press("Автотранспортная служба")
    positions = [b.text for b in hr.buttons()]
    assert not any(t.startswith("62.") for t in positions)  # 13 positions: 10 a page
    await hr.press_data(next(b.callback_data or "" for b in hr.buttons() if b.text == ">"))
    assert any(t.startswith("62.") for t in [b.text for b in hr.buttons()])
    await hr.press("62.")
    await hr.press("Любой статус")
    summary = await hr.press("7 дней")
    assert "Подходящих откликов: 2" in summary
    await hr.press("📥 Выгрузить")
    _, sheet = _document(app)
    assert sorted(r["number"] for r in _records(sheet)) == sorted([rows[0].id, rows[3].id])

    # Any department, a status only; Cancel ends it.
    await hr.send("/export")
    await hr.press("Выбрать фильтры")
    await hr.press("Все отделы")
    await hr.press("Приглашён")
    summary = await hr.press("Всё время")
    assert "Все отделы" in summary and "Подходящих откликов: 1" in summary
    sent = len(app.session.of(SendDocument))
    assert "Выгрузка отменена" in await hr.press("Отмена")
    assert len(app.session.of(SendDocument)) == sent


async def test_forged_export_buttons(app: BotUnderTest) -> None:
    hr = app.person(user_id=HR_ID)
    await hr.send("/export")
    intent = intent_of(hr)
    forged = {  # a step on screen, and a forged choice of it
        "Выбрать фильтры": f"{intent}\x1ddepartment:no_such_department",
        "Юридический отдел": f"{intent}\x1dposition:62",  # not a legal position
        "Все должности": f"{intent}\x1dstatus:hired",
        "Любой статус": f"{intent}\x1dperiod:365",
    }
    for step, data in forged.items():
        screen = await hr.press(step)
        await hr.press_data(data)
        assert "устарела" in alerts(app)[-1]
        assert hr.last_text() == screen  # the same step stays
    assert len(alerts(app)) == len(forged)
    summary = await hr.press("Всё время")
    assert "Юридический отдел" in summary and "Все должности" in summary
    assert "Любой статус" in summary and "за всё время" in summary
    assert not app.session.of(SendDocument)


async def test_back_keeps_the_filters_and_a_restart_loses_nothing(app: BotUnderTest) -> None:
    async with app.session_factory() as session:
        rows = await _seed(session, now=utcnow())
    hr = app.person(user_id=HR_ID)
    await hr.send("/export")
    await hr.press("Выбрать фильтры")
    await hr.press("Аварийно-спасательная служба")
    await hr.press("Все должности")
    assert "шаг 3 из 4" in hr.last_text()
    assert "шаг 2 из 4" in await hr.press("Назад")  # a department chosen: its positions
    await hr.press("Все должности")
    await hr.press("Отказ")
    app.restart()  # the dialog's state is in the SQL storage
    assert "шаг 3 из 4" in await hr.press("Назад")
    assert "шаг 4 из 4" in await hr.press("Отказ")
    summary = await hr.press("30 дней")
    assert "Аварийно-спасательная служба" in summary and "Подходящих откликов: 1" in summary
    await hr.press("📥 Выгрузить")
    _, sheet = _document(app)
    assert [r["number"] for r in _records(sheet)] == [rows[1].id]
    # Any department: Back from the status goes to the departments.
    await hr.send("/export")
    await hr.press("Выбрать фильтры")
    await hr.press("Все отделы")
    assert "шаг 1 из 4" in await hr.press("Назад")
    assert "Всего откликов: 4" in await hr.press("Назад")
    assert "Выгрузка отменена" in await hr.press("Отмена")


async def test_typed_text_during_the_export_is_a_search(app: BotUnderTest) -> None:
    hr = app.person(user_id=HR_ID)
    await hr.send("/export")
    await hr.press("Выбрать фильтры")
    legal = hr.button("Юридический отдел").callback_data or ""
    assert "Найдено" in await hr.send("водитель")  # no typed step: text is a search
    assert "шаг 2 из 4" in await hr.press_data(legal)  # the export goes on where it was


async def test_not_hr_is_refused(app: BotUnderTest) -> None:
    async with app.session_factory() as session:
        await _seed(session, now=utcnow())
    person = app.person(user_id=1001)
    assert "только сотрудникам отдела кадров" in await person.send("/export")
    # HR's export buttons pressed by someone else (forged from HR's message): refused.
    hr = app.person(user_id=HR_ID)
    await hr.send("/export")
    forged = [b.callback_data or "" for b in hr.buttons()]
    await hr.press("Выбрать фильтры")
    forged += [b.callback_data or "" for b in hr.buttons()]
    before = len(alerts(app))
    for data in forged:
        await person.press_data(data)
    assert len(alerts(app)) == before + len(forged)
    assert not app.session.of(SendDocument)
    # Someone who is no longer HR in the middle of it: the refusal, no file.
    app.settings.admin_ids = []
    app.settings.hr_chat_id = None
    await hr.press("Все отделы")
    assert "только сотрудникам" in alerts(app)[-1]
    assert not app.session.of(SendDocument)


async def test_the_bot_answers_others_while_an_export_is_built(
    app: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workbook is built in a worker thread, page by page: while a page is being written
    (held here until someone else was answered), another person's /start is answered."""
    now = utcnow()
    async with app.session_factory() as session:
        session.add_all(
            _application(
                62, "motor_transport", now=now, user_id=10_000 + i, days_ago=(300 - i) / 1000
            )
            for i in range(300)
        )
        await session.commit()
    monkeypatch.setattr(export, "CHUNK", 100)
    writing = threading.Event()
    answered = threading.Event()
    original = export.WorkbookWriter.add

    def held_add(self: export.WorkbookWriter, rows: Any) -> None:
        writing.set()
        # On the event loop this would block /start below: the wait would time out first.
        assert answered.wait(timeout=10), "nobody was answered while the export was built"
        original(self, rows)

    monkeypatch.setattr(export.WorkbookWriter, "add", held_add)
    hr = app.person(user_id=HR_ID)
    await hr.send("/export")
    running = asyncio.create_task(hr.press("Выгрузить всё"))
    while not writing.is_set():
        await asyncio.sleep(0.01)
    other = app.person(user_id=1002)
    await asyncio.wait_for(other.send("/start"), timeout=5)
    assert other.last_text()
    assert not running.done() and not app.session.of(SendDocument)
    answered.set()
    await running
    document, sheet = _document(app)
    assert "Откликов в файле: 300" in (document.caption or "")
    assert sheet.max_row == 301 and sheet.auto_filter.ref == "A1:O301"
    numbers = [r["number"] for r in _records(sheet)]
    assert numbers == sorted(numbers) and len(set(numbers)) == 300  # oldest first, no page twice


def test_the_streamed_sheet_keeps_any_text_as_text(
    catalogue: CatalogueService, translator: Translator
) -> None:
    odd = [
        '  <b>Tom & "Jerry"</b> ',
        "#N/A",
        "=1+1",
        "строка\nвторая",
        "control\x01char",
        "1e5",
    ]
    rows = [_application(62, "motor_transport", comment=text, full_name=text) for text in odd]
    for number, row in enumerate(rows, start=1):
        row.id = number
    sheet = _sheet(export.build_workbook(rows, catalogue, translator, "ru"))
    records = _records(sheet)
    expected = [t.replace("\x01", "") for t in odd]
    assert [r["comment"] for r in records] == expected
    assert [r["full_name"] for r in records] == expected
    column = COLUMNS.index("comment") + 1
    assert all(sheet.cell(row=i, column=column).data_type == "s" for i in range(2, 8))
    assert sheet.auto_filter.ref == "A1:O7"
