"""HR's /stats: funnel counts (distinct people per step and period), departments, the chart."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

from aiogram.methods import AnswerCallbackQuery, DeleteMessage, SendMessage, SendPhoto
from aiogram.types import BufferedInputFile
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.db.engine import create_session_factory
from bot.db.models import FunnelDay, FunnelEvent, FunnelPerson, utcnow
from bot.keyboards.callbacks import StatsCb, StatsView
from bot.rendering.chart import Bar, bar_chart
from bot.services import stats
from bot.services.funnel import Step
from bot.services.stats import Period, build_steps
from tests.conftest import BotUnderTest

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
HR_ID = 9000  # in the test settings' admin_ids


def _event(
    step: Step,
    user_id: int | None,
    days_ago: float,
    department: str | None = None,
    now: datetime = NOW,
) -> FunnelEvent:
    return FunnelEvent(
        kind=step.value,
        user_id=user_id,
        position_number=None,
        department=department,
        created_at=now - timedelta(days=days_ago),
    )


async def _add(session: AsyncSession, *events: FunnelEvent) -> None:
    session.add_all(events)
    await session.commit()


async def _seed(session: AsyncSession, now: datetime = NOW) -> None:
    await _add(
        session,
        # Person 1: this week, several times the same steps (counted once).
        _event(Step.started, 1, 1, now=now),
        _event(Step.started, 1, 2, now=now),
        _event(Step.viewed_position, 1, 1, "emergency_rescue", now=now),
        _event(Step.viewed_position, 1, 1, "motor_transport", now=now),
        _event(Step.started_questionnaire, 1, 1, "emergency_rescue", now=now),
        _event(Step.applied, 1, 0.5, "emergency_rescue", now=now),
        # Person 2: ten days ago.
        _event(Step.started, 2, 10, now=now),
        _event(Step.viewed_position, 2, 10, "motor_transport", now=now),
        # Person 3: forty days ago.
        _event(Step.started, 3, 40, now=now),
        _event(Step.viewed_position, 3, 40, "legal", now=now),
        # An erased person (user_id NULL): still counted.
        _event(Step.started, None, 3, now=now),
    )


async def test_funnel_counts_distinct_people_per_period(engine: AsyncEngine) -> None:
    async with create_session_factory(engine)() as session:
        await _seed(session)
        week = await stats.funnel(session, Period.week, now=NOW)
        month = await stats.funnel(session, Period.month, now=NOW)
        everything = await stats.funnel(session, Period.all, now=NOW)

    assert [s.step for s in week.steps] == list(Step)
    assert week.count(Step.started) == 2  # person 1 (twice) and the erased one
    assert week.count(Step.viewed_position) == 1
    assert week.count(Step.started_questionnaire) == 1
    assert week.count(Step.applied) == 1
    assert week.count(Step.invited) == 0
    shares = {s.step: s.of_previous for s in week.steps}
    assert shares[Step.started] is None
    assert shares[Step.viewed_position] == 50.0
    assert shares[Step.finished_questionnaire] == 0.0
    assert shares[Step.met_criteria] is None  # after a zero

    assert month.count(Step.started) == 3
    assert month.count(Step.viewed_position) == 2
    assert everything.count(Step.started) == 4
    assert everything.count(Step.viewed_position) == 3


async def test_department_breakdown(engine: AsyncEngine) -> None:
    async with create_session_factory(engine)() as session:
        await _seed(session)
        rows = await stats.by_department(
            session,
            Period.all,
            ["emergency_rescue", "motor_transport", "legal", "accounting"],
            now=NOW,
        )
        week_rows = await stats.by_department(
            session, Period.week, ["motor_transport", "legal"], now=NOW
        )
        one = await stats.funnel(session, Period.all, department="motor_transport", now=NOW)

    by_id = {r.department: r for r in rows}
    assert [r.department for r in rows] == [
        "emergency_rescue",
        "motor_transport",
        "legal",
        "accounting",
    ]
    assert Step.started not in by_id["emergency_rescue"].counts  # no department on «started»
    assert by_id["emergency_rescue"].counts[Step.viewed_position] == 1
    assert by_id["emergency_rescue"].counts[Step.applied] == 1
    assert by_id["motor_transport"].counts[Step.viewed_position] == 2  # persons 1 and 2
    assert by_id["legal"].counts[Step.viewed_position] == 1
    assert by_id["accounting"].total == 0
    assert {r.department: r.counts[Step.viewed_position] for r in week_rows} == {
        "motor_transport": 1,
        "legal": 0,
    }
    assert one.steps[0].step is Step.viewed_position
    assert one.count(Step.viewed_position) == 2


def test_shares_and_chart() -> None:
    steps = build_steps({Step.started: 4, Step.viewed_position: 3, Step.applied: 1})
    assert [s.of_previous for s in steps[:3]] == [None, 75.0, 0.0]
    png = bar_chart([Bar(str(i), s.people, "75%") for i, s in enumerate(steps, 1)])
    assert png.startswith(b"\x89PNG")
    assert bar_chart([]).startswith(b"\x89PNG")  # nothing to draw is still a picture


def _photo_bytes(request: SendPhoto) -> bytes:
    photo = request.photo
    assert isinstance(photo, BufferedInputFile)
    return photo.data


async def test_stats_command_sends_table_and_chart(app: BotUnderTest) -> None:
    async with app.session_factory() as session:
        await _seed(session, now=utcnow())
    hr = app.person(user_id=HR_ID)
    text = await hr.send("/stats")
    photos = app.session.of(SendPhoto)
    assert len(photos) == 1
    assert _photo_bytes(photos[0]).startswith(b"\x89PNG")
    caption = photos[0].caption or ""
    assert "1 — Начали диалог" in caption and "8 — Приглашены" in caption
    assert "Воронка найма" in text and "за 7 дней" in text and "<pre>" in text
    assert "Начали диалог" in text and "Откликнулись" in text
    started_line = next(line for line in text.splitlines() if "Начали диалог" in line)
    assert started_line.split()[-1] == "2"
    viewed_line = next(line for line in text.splitlines() if "Открыли вакансию" in line)
    assert viewed_line.split()[-2:] == ["1", "50%"]
    assert hr.button("• 7 дней •")

    # Another period: the pressed table goes, a new chart and table come.
    text = await hr.press("30 дней")
    assert "за 30 дней" in text
    assert len(app.session.of(SendPhoto)) == 2
    assert app.session.of(DeleteMessage)
    started_line = next(line for line in text.splitlines() if "Начали диалог" in line)
    assert started_line.split()[-1] == "3"
    text = await hr.press("Всё время")
    assert "за всё время" in text
    assert next(ln for ln in text.splitlines() if "Начали диалог" in ln).split()[-1] == "4"

    # By department, for the period chosen.
    text = await hr.press("По отделам")
    assert "Воронка по отделам" in text and "за всё время" in text
    assert "Автотранспортная служба" in text and "открыли 2" in text
    assert "Бухгалтерский отдел" in text  # among those without events
    assert len(app.session.of(SendPhoto)) == 3  # no chart for this view
    text = await hr.press("7 дней")
    assert "за 7 дней" in text and "Юридический отдел" in text.split("Без событий")[1]
    await hr.press("Воронка")
    assert len(app.session.of(SendPhoto)) == 4


async def test_stats_in_kazakh(app: BotUnderTest) -> None:
    hr = app.person(user_id=HR_ID, language_code="kk")
    text = await hr.send("/stats")
    assert "Жұмысқа қабылдау воронкасы" in text and "Диалогты бастады" in text
    text = await hr.press("Бөлімдер бойынша")
    assert "Бұл кезеңде оқиға болған жоқ" in text


async def test_forged_period_gets_a_localized_answer(app: BotUnderTest) -> None:
    hr = app.person(user_id=HR_ID)
    await hr.send("/stats")
    before = len(app.session.requests)
    await hr.press_data(StatsCb(view=StatsView.funnel, period="365").pack())
    new = app.session.requests[before:]
    answers = [r for r in new if isinstance(r, AnswerCallbackQuery)]
    assert answers and "устарела" in (answers[-1].text or "")
    assert not [r for r in new if isinstance(r, SendPhoto)]


async def test_not_hr_is_refused(app: BotUnderTest) -> None:
    person = app.person(user_id=1001)
    answer = await person.send("/stats")
    assert "только сотрудникам отдела кадров" in answer
    assert not app.session.of(SendPhoto)
    before = len(app.session.requests)
    for period in ("7", "30", "all"):
        for view in StatsView:
            await person.press_data(StatsCb(view=view, period=period).pack())
    new = app.session.requests[before:]
    answers = [r for r in new if isinstance(r, AnswerCallbackQuery)]
    assert len(answers) == 3 * len(StatsView)
    assert all("только сотрудникам" in (a.text or "") and a.show_alert for a in answers)
    assert not [r for r in new if isinstance(r, SendPhoto | SendMessage | DeleteMessage)]


async def test_stats_show_messages_waiting_for_the_hr_chat(app: BotUnderTest) -> None:
    from bot.services import outbox

    hr = app.person(user_id=HR_ID)
    assert "в очереди" not in await hr.send("/stats")  # nothing waits: no line
    async with app.session_factory() as session:
        row = outbox.enqueue(session, outbox.HR_SUMMARY, None, now=utcnow())
        row.attempts, row.last_error = 3, "TelegramForbiddenError"
        row.created_at = utcnow() - timedelta(minutes=40)
        await session.commit()
    text = await hr.send("/stats")
    assert "Сообщений для чата отдела кадров в очереди: 1" in text
    assert "40 мин" in text and "с ошибками: 1" in text


async def _assert_matches_events(session: AsyncSession, now: datetime) -> None:
    departments = ["emergency_rescue", "motor_transport", "legal"]
    for period in Period:
        assert await stats.funnel(session, period, now=now) == await stats.funnel_from_events(
            session, period, now=now
        ), period
        rows = await stats.by_department(session, period, departments, now=now)
        for row in rows:
            reference = await stats.funnel_from_events(
                session, period, department=row.department, now=now
            )
            assert row.counts == {s.step: s.people for s in reference.steps}, (period, row)
            one = await stats.funnel(session, period, department=row.department, now=now)
            assert one == reference


async def test_pre_aggregates_follow_every_change_of_the_events(engine: AsyncEngine) -> None:
    """Inserts in any time order, erasures (user_id set to NULL), moved and deleted events:
    the triggers keep funnel_people/funnel_days so that /stats equals the raw-event count."""
    rng = random.Random(13)
    departments = [None, "emergency_rescue", "motor_transport", "legal"]
    async with create_session_factory(engine)() as session:
        for _round in range(6):
            await _add(
                session,
                *(
                    _event(
                        rng.choice(list(Step)),
                        rng.choice([None, *range(1, 15)]),
                        rng.uniform(0, 45),
                        rng.choice(departments),
                    )
                    for _ in range(40)
                ),
            )
            erased = rng.randrange(1, 15)
            await session.execute(
                update(FunnelEvent).where(FunnelEvent.user_id == erased).values(user_id=None)
            )
            ids = list((await session.scalars(select(FunnelEvent.id))).all())
            moved = rng.sample(ids, 5)
            await session.execute(
                update(FunnelEvent)
                .where(FunnelEvent.id.in_(moved))
                .values(created_at=NOW - timedelta(days=rng.uniform(0, 45)))
            )
            await session.execute(delete(FunnelEvent).where(FunnelEvent.id.in_(rng.sample(ids, 3))))
            await session.commit()
            for now in (NOW, NOW - timedelta(days=3, hours=7), NOW + timedelta(days=20)):
                await _assert_matches_events(session, now)
            # The nightly fold leaves one row per day and the same counts.
            if _round % 2:
                assert await stats.fold_days(session) > 0
                await _assert_matches_events(session, NOW)
        # Nothing is left over: the days sum up to the rows, none negative.
        assert await stats.fold_days(session) >= 0
        d = FunnelDay.__table__.c
        keys = (
            await session.execute(
                select(func.count(), func.min(d.people)).group_by(d.day, d.kind, d.department)
            )
        ).all()
        assert all(n == 1 and least > 0 for n, least in keys)
        days = (await session.execute(select(func.sum(FunnelDay.people)))).scalar()
        people = (await session.execute(select(func.count()).select_from(FunnelPerson))).scalar()
        assert days == people


async def test_erasure_keeps_the_counts_of_an_erased_person(engine: AsyncEngine) -> None:
    from bot.services.privacy import delete_me

    async with create_session_factory(engine)() as session:
        await _seed(session)
        await _add(session, _event(Step.started, 1, 30.5))  # person 1 also a month ago
        before = await stats.funnel(session, Period.all, now=NOW)
        await delete_me(session, 1)
        await _assert_matches_events(session, NOW)
        after = await stats.funnel(session, Period.all, now=NOW)
    # Person 1's three «started» events now count one each.
    assert after.count(Step.started) == before.count(Step.started) + 2


async def test_two_transactions_of_one_person_count_them_once(engine: AsyncEngine) -> None:
    """The same step of the same person in two transactions at once: the second waits for
    the first (PostgreSQL: an advisory lock in the trigger; SQLite: its write lock)."""
    factory = create_session_factory(engine)
    async with factory() as first, factory() as second:
        first.add(_event(Step.viewed_position, 7, 1, "legal"))
        await first.flush()  # the trigger ran: its row is not committed yet

        async def meanwhile() -> None:
            second.add(_event(Step.viewed_position, 7, 0.5, "legal"))
            await second.commit()

        racing = asyncio.create_task(meanwhile())
        await asyncio.sleep(0.3)
        assert not racing.done()
        await first.commit()
        await racing
    async with factory() as session:
        await _assert_matches_events(session, NOW)
        report = await stats.funnel(session, Period.week, now=NOW)
    assert report.count(Step.viewed_position) == 1
