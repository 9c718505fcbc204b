"""bot.services.applications on SQLite and PostgreSQL: submit, list, withdraw."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.catalogue.service import CatalogueService
from bot.db.engine import create_session_factory
from bot.db.models import Application, FunnelEvent, OutboxMessage
from bot.screening.engine import Screener
from bot.services import applications, privacy
from bot.services.applications import ApplicationForm, WithdrawOutcome
from bot.services.validation import CvFile

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
DRIVER = {"education_level": "secondary_general", "driver_licences": ["C"]}


async def _submit(
    session: AsyncSession,
    catalogue: CatalogueService,
    *,
    user_id: int = 1001,
    number: int = 62,
    answers: dict[str, object] | None = None,
    now: datetime = NOW,
) -> applications.SubmitResult:
    position = catalogue.position(number)
    assert position is not None
    consent = await privacy.give_consent(session, user_id, "ru", now=now)
    return await applications.submit(
        session,
        screener=Screener(catalogue.catalogue),
        position=position,
        user_id=user_id,
        username="aigerim_s",
        language="ru",
        consent_id=consent.id,
        form=ApplicationForm(
            full_name="Сейтжанова Айгерим",
            phone="+77011234567",
            cv=CvFile("FILE-1", "cv.pdf", "application/pdf"),
            comment="после 18:00",
        ),
        answers=DRIVER if answers is None else answers,
        now=now,
    )


async def _count(session: AsyncSession, model: type[object]) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_submit_creates_application_outbox_and_funnel_event(
    engine: AsyncEngine, catalogue: CatalogueService
) -> None:
    async with create_session_factory(engine)() as session:
        result = await _submit(session, catalogue)
        assert result.created
        app = result.application
        assert app.status == "new" and app.verdict == "partial"  # the licence is declared
        position = catalogue.position(62)
        assert position is not None and app.department == position.department
        assert app.screening["answers"] == DRIVER
        statuses = {c["criterion"]: c["status"] for c in app.screening["criteria"]}
        assert statuses["driver_licence"] == "declared"
        assert (app.full_name, app.phone, app.username) == (
            "Сейтжанова Айгерим",
            "+77011234567",
            "aigerim_s",
        )
        assert (app.cv_file_id, app.cv_file_name, app.cv_mime_type) == (
            "FILE-1",
            "cv.pdf",
            "application/pdf",
        )
        assert app.consent_id is not None
    async with create_session_factory(engine)() as session:
        outbox = (await session.execute(select(OutboxMessage))).scalars().all()
        assert [(m.kind, m.application_id, m.delivered_at) for m in outbox] == [
            ("hr_summary", app.id, None)
        ]
        events = (
            (await session.execute(select(FunnelEvent).where(FunnelEvent.kind == "applied")))
            .scalars()
            .all()
        )
        assert [(e.user_id, e.position_number) for e in events] == [(1001, 62)]


async def test_verdict_comes_from_rescreening(
    engine: AsyncEngine, catalogue: CatalogueService
) -> None:
    async with create_session_factory(engine)() as session:
        result = await _submit(session, catalogue, answers={"education_level": "higher"})
        assert result.application.verdict == "does_not_meet"  # no licence declared
        # Unknown keys in stored answers are ignored, not an error.
        other = await _submit(
            session, catalogue, user_id=2002, answers={**DRIVER, "obsolete_question": 1}
        )
        assert other.application.verdict == "partial"


async def test_double_submit_returns_the_existing_application(
    engine: AsyncEngine, catalogue: CatalogueService
) -> None:
    async with create_session_factory(engine)() as session:
        first = await _submit(session, catalogue)
        second = await _submit(session, catalogue)
        assert first.created and not second.created
        assert second.application.id == first.application.id
        assert await _count(session, Application) == 1
        assert await _count(session, OutboxMessage) == 1
        # Another position is another application; so is the same one after withdrawal.
        assert (await _submit(session, catalogue, number=38)).created
        assert (
            await applications.withdraw(session, first.application.id, 1001)
            == WithdrawOutcome.withdrawn
        )
        again = await _submit(session, catalogue)
        assert again.created and again.application.id != first.application.id


async def test_list_get_own_and_open(engine: AsyncEngine, catalogue: CatalogueService) -> None:
    async with create_session_factory(engine)() as session:
        old = await _submit(session, catalogue, number=38, now=NOW - timedelta(days=2))
        new = await _submit(session, catalogue, number=62)
        await _submit(session, catalogue, user_id=2002)
        mine = await applications.list_for_user(session, 1001)
        assert [a.id for a in mine] == [new.application.id, old.application.id]
        assert await applications.get_own(session, new.application.id, 1001) is not None
        assert await applications.get_own(session, new.application.id, 2002) is None
        assert await applications.get_own(session, 999_999, 1001) is None
        found = await applications.open_application(session, 1001, 62)
        assert found is not None and found.id == new.application.id
        assert await applications.open_application(session, 1001, 1) is None


async def test_withdraw_only_own_open_applications(
    engine: AsyncEngine, catalogue: CatalogueService
) -> None:
    async with create_session_factory(engine)() as session:
        app = (await _submit(session, catalogue)).application
        assert await applications.withdraw(session, app.id, 2002) == WithdrawOutcome.not_found
        assert await applications.withdraw(session, 12345, 1001) == WithdrawOutcome.not_found
        assert (await session.get(Application, app.id)) is not None
        await session.refresh(app)
        assert app.status == "new"
        assert await applications.withdraw(session, app.id, 1001) == WithdrawOutcome.withdrawn
        assert await applications.withdraw(session, app.id, 1001) == WithdrawOutcome.not_open
    async with create_session_factory(engine)() as session:
        kinds = (await session.execute(select(OutboxMessage.kind))).scalars().all()
        assert sorted(kinds) == ["hr_summary", "hr_withdrawn"]
        stored = await session.get(Application, app.id)
        assert stored is not None and stored.status == "withdrawn"
