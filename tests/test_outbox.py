"""The outbox: every summary reaches HR exactly once through failures, retries, flood
control and concurrent delivery rounds; applicants' notices give up when blocked."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import EditMessageMedia, EditMessageText, SendDocument, SendMessage
from aiogram.types import InputMediaPhoto
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import create_async_engine

from bot.db.engine import create_session_factory
from bot.db.models import Application, ApplicationStatus, OutboxMessage
from bot.deps import JobContext
from bot.jobs import OUTBOX_JOB_ID, SchedulerJobs, register_jobs
from bot.sending.delivery import deliver_pending
from bot.services import hr, outbox
from bot.services.applications import ApplicationForm, submit, withdraw
from bot.services.validation import CvFile
from tests.conftest import POSTGRES_URL, BotUnderTest

HR_CHAT = -100500
DRIVER = 62  # needs a secondary education and a licence of B, C1, C, CE, D1 or D
PDF_CV = CvFile("CV-FILE-ID", "cv.pdf", "application/pdf")


def context(app: BotUnderTest) -> JobContext:
    return JobContext(
        bot=app.bot,
        session_factory=app.session_factory,
        settings=app.settings,
        translator=app.translator,
        catalogue=app.catalogue,
    )


async def make_application(
    app: BotUnderTest,
    user_id: int = 1001,
    *,
    language: str = "ru",
    position: int = DRIVER,
    full_name: str = "Айгерим Сапарова",
    phone: str = "+77011234567",
    cv: CvFile | None = PDF_CV,
    answers: dict[str, Any] | None = None,
    username: str | None = "aigerim",
) -> Application:
    """An application as the applicant's submit makes it (with its hr_summary row)."""
    found = app.catalogue.position(position)
    assert found is not None
    async with app.session_factory() as session:
        result = await submit(
            session,
            screener=app.deps.screener,
            position=found,
            user_id=user_id,
            username=username,
            language=language,
            consent_id=None,
            form=ApplicationForm(full_name=full_name, phone=phone, cv=cv),
            answers=answers or {"education_level": "vocational", "driver_licences": ["C1"]},
        )
        return result.application


def summaries(app: BotUnderTest, number: int) -> list[SendMessage | EditMessageText]:
    """The cards with the applicant's data that reached the HR chat (a placeholder edited
    into the summary; or a summary sent as is)."""
    return [
        r
        for r in app.session.requests
        if isinstance(r, SendMessage | EditMessageText)
        and r.chat_id == HR_CHAT
        and f"Заявка №{number}</b>" in r.text
    ]


def placeholders(app: BotUnderTest) -> list[SendMessage]:
    return [
        r for r in app.session.of(SendMessage) if r.chat_id == HR_CHAT and "загружается" in r.text
    ]


async def summary_rows(app: BotUnderTest) -> list[OutboxMessage]:
    return [r for r in await rows(app) if r.kind == outbox.HR_SUMMARY]


async def rows(app: BotUnderTest) -> list[OutboxMessage]:
    async with app.session_factory() as session:
        return await outbox.rows(session)


def later(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


def net() -> Exception:
    return TelegramNetworkError(method=SendMessage(chat_id=0, text=""), message="timeout")


def server() -> Exception:
    return TelegramServerError(method=SendMessage(chat_id=0, text=""), message="Bad Gateway")


def flood(seconds: int) -> Callable[[], Exception]:
    return lambda: TelegramRetryAfter(
        method=SendMessage(chat_id=0, text=""), message="Too Many Requests", retry_after=seconds
    )


def test_backoff_doubles_up_to_an_hour() -> None:
    assert outbox.backoff(1) == timedelta(seconds=10)
    assert outbox.backoff(2) == timedelta(seconds=20)
    assert outbox.backoff(5) == timedelta(seconds=160)
    assert outbox.backoff(12) == timedelta(hours=1)
    assert outbox.backoff(1000) == timedelta(hours=1)


async def test_summary_with_cv_reaches_hr_once(app: BotUnderTest) -> None:
    application = await make_application(app)
    report = await deliver_pending(context(app))
    assert report.delivered == 1
    [summary] = summaries(app, application.id)
    assert summary.reply_markup is not None
    # The CV: a placeholder file (no personal data) replying to the card, edited into it.
    [placeholder] = app.session.of(SendDocument)
    assert placeholder.chat_id == HR_CHAT
    assert placeholder.caption == f"Резюме к заявке №{application.id} — загружается…"
    [cv] = app.session.of(EditMessageMedia)
    assert cv.chat_id == HR_CHAT and cv.media.media == "CV-FILE-ID"
    assert cv.media.type == "document"
    assert cv.media.caption == f"Резюме к заявке №{application.id}"
    async with app.session_factory() as session:
        stored = await session.get(Application, application.id)
        assert stored is not None
        assert stored.hr_chat_id == HR_CHAT
        assert stored.hr_message_id is not None
        assert placeholder.reply_parameters is not None
        assert placeholder.reply_parameters.message_id == stored.hr_message_id
        assert cv.message_id == stored.hr_cv_message_id
    [row] = await rows(app)
    assert row.delivered_at is not None and row.attempts == 0
    # Nothing more to do: a second round sends nothing.
    app.session.clear()
    assert (await deliver_pending(context(app), now=later(3600))).delivered == 0
    assert app.session.requests == []


async def test_photo_cv_is_sent_as_photo_and_falls_back_to_document(app: BotUnderTest) -> None:
    await make_application(app, 1, cv=CvFile("PHOTO-ID", "photo.jpg", "image/jpeg"))
    await deliver_pending(context(app))
    assert [(r.media.type, r.media.media) for r in app.session.of(EditMessageMedia)] == [
        ("photo", "PHOTO-ID")
    ]
    # A .png sent as a file: Telegram refuses it as a photo, it goes as a document.
    app.session.clear()
    await make_application(app, 2, cv=CvFile("PNG-DOC-ID", "scan.png", "image/png"))
    app.session.fail_next(
        EditMessageMedia,
        lambda: TelegramBadRequest(
            method=EditMessageMedia(media=InputMediaPhoto(media="x")), message="wrong type"
        ),
    )
    await deliver_pending(context(app))
    assert [(r.media.type, r.media.media) for r in app.session.of(EditMessageMedia)] == [
        ("document", "PNG-DOC-ID")
    ]
    assert all(r.delivered_at is not None for r in await rows(app))


async def test_failures_then_recovery_deliver_every_summary_exactly_once(
    app: BotUnderTest,
) -> None:
    apps = [await make_application(app, 100 + i) for i in range(5)]
    ctx = context(app)
    # Round 1: the first two sends fail (network, server), the third hits flood control.
    app.session.fail_next(SendMessage, net)
    app.session.fail_next(SendMessage, server)
    app.session.fail_next(SendMessage, flood(30))
    report = await deliver_pending(ctx)
    assert report.failed == 2
    assert report.postponed == 3  # the flood-controlled row and the rest of the round
    assert report.delivered == 0
    by_id = {r.application_id: r for r in await rows(app)}
    assert by_id[apps[0].id].attempts == 1 and by_id[apps[1].id].attempts == 1
    assert by_id[apps[0].id].last_error == "TelegramNetworkError"
    assert by_id[apps[1].id].last_error == "TelegramServerError"
    # Flood control is honoured and not counted as a failed attempt.
    flooded = by_id[apps[2].id]
    assert flooded.attempts == 0
    assert outbox.utc(flooded.next_attempt_at) >= later(25)
    # Round 2, 15 s later: the failed ones are due again (10 s backoff), the others wait.
    report = await deliver_pending(ctx, now=later(15))
    assert report.delivered == 2
    # Round 3 after the flood wait; a CV fails once on the way (the summary is not resent).
    app.session.fail_next(EditMessageMedia, net)
    await deliver_pending(ctx, now=later(40))
    for _ in range(3):
        await deliver_pending(ctx, now=later(400))
    for application in apps:
        assert len(summaries(app, application.id)) == 1, application.id
    assert len(app.session.of(SendDocument)) == len(apps)  # one placeholder each
    assert len(app.session.of(EditMessageMedia)) == len(apps)
    assert all(r.delivered_at is not None for r in await rows(app))


async def test_concurrent_rounds_never_send_twice(app: BotUnderTest) -> None:
    apps = [await make_application(app, 200 + i) for i in range(12)]
    ctx = context(app)
    app.session.fail_next(SendMessage, net)
    await asyncio.gather(*(deliver_pending(ctx, limit=5) for _ in range(4)))
    await asyncio.gather(*(deliver_pending(ctx, now=later(30)) for _ in range(4)))
    for application in apps:
        assert len(summaries(app, application.id)) == 1
    assert len(app.session.of(SendDocument)) == len(apps)
    assert all(r.delivered_at is not None for r in await rows(app))


@pytest.mark.postgres
async def test_two_processes_on_postgres_never_send_twice(app: BotUnderTest) -> None:
    """Two delivery processes (two engines, two connection pools) on one PostgreSQL."""
    bind = app.session_factory.kw["bind"]
    if bind.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite serves a single process")
    async with bind.connect() as conn:
        schema = (await conn.execute(text("SELECT current_schema()"))).scalar_one()
    other_engine = create_async_engine(
        POSTGRES_URL, connect_args={"server_settings": {"search_path": schema}}
    )
    try:
        apps = [await make_application(app, 300 + i) for i in range(20)]
        first = context(app)
        second = JobContext(
            bot=app.bot,
            session_factory=create_session_factory(other_engine),
            settings=app.settings,
            translator=app.translator,
            catalogue=app.catalogue,
        )
        await asyncio.gather(
            *(deliver_pending(ctx, limit=7) for ctx in (first, second, first, second))
        )
        await asyncio.gather(deliver_pending(first), deliver_pending(second))
        for application in apps:
            assert len(summaries(app, application.id)) == 1
        assert len(app.session.of(SendDocument)) == len(apps)
    finally:
        await other_engine.dispose()


async def test_retries_for_as_long_as_the_data_is_kept(app: BotUnderTest) -> None:
    """Two days of failures (an attempt at most hourly) do not lose the summary; once the
    application is anonymized (retention, erasure) the row gives up."""
    application = await make_application(app, cv=None)
    ctx = context(app)
    now = datetime.now(UTC)
    for _ in range(48):
        app.session.fail_next(SendMessage, net)
        await deliver_pending(ctx, now=now)
        now += timedelta(hours=1)
    [row] = await summary_rows(app)
    assert row.delivered_at is None and not outbox.is_given_up(row)
    assert row.attempts == 48
    # Admins were told (at most hourly), in their private chats.
    alerts = [r for r in await rows(app) if r.kind == outbox.ADMIN_ALERT]
    assert len(alerts) == 47  # from the first round past 15 minutes on, once an hour
    assert {r.payload["admin_id"] for r in alerts} == {9000}
    assert outbox.utc(row.next_attempt_at) - (now - timedelta(hours=1)) <= outbox.MAX_DELAY
    await deliver_pending(ctx, now=now)
    assert len(summaries(app, application.id)) == 1
    [row] = await summary_rows(app)
    assert row.delivered_at is not None

    other = await make_application(app, 1002, cv=None)
    app.session.fail_next(SendMessage, net)
    await deliver_pending(ctx, now=now)
    async with app.session_factory() as session:
        await session.execute(
            update(Application)
            .where(Application.id == other.id)
            .values(user_id=None, full_name=None, phone=None, anonymized_at=now)
        )
        await session.commit()
    app.session.clear()
    await deliver_pending(ctx, now=now + timedelta(days=1))
    assert [r for r in app.session.requests if getattr(r, "chat_id", None) == HR_CHAT] == []
    [_, row] = await summary_rows(app)
    assert outbox.is_given_up(row)
    assert row.last_error == outbox.FAILED + "deleted"


async def test_hr_rows_wait_while_no_hr_chat_is_set(app: BotUnderTest) -> None:
    application = await make_application(app)
    app.settings.hr_chat_id = None
    report = await deliver_pending(context(app))
    assert report.delivered == 0 and app.session.requests == []
    [row] = await rows(app)
    assert row.attempts == 0 and row.delivered_at is None
    app.settings.hr_chat_id = HR_CHAT
    await deliver_pending(context(app))
    assert len(summaries(app, application.id)) == 1


async def _decide(app: BotUnderTest, application: Application, target: str) -> None:
    async with app.session_factory() as session:
        decision = await hr.decide(
            session,
            application.id,
            ApplicationStatus(target),
            hr_user_id=9000,
            hr_name="HR",
            reason="other" if target == "rejected" else None,
        )
        assert decision.outcome is hr.Outcome.done


async def test_applicant_who_blocked_the_bot_is_given_up_at_once(app: BotUnderTest) -> None:
    application = await make_application(app, 555)
    await deliver_pending(context(app))
    await _decide(app, application, "invited")
    app.session.fail_next(
        SendMessage,
        lambda: TelegramForbiddenError(
            method=SendMessage(chat_id=0, text=""), message="bot was blocked by the user"
        ),
    )
    report = await deliver_pending(context(app))
    assert report.gave_up == 1
    row = next(r for r in await rows(app) if r.kind == outbox.APPLICANT_STATUS)
    assert outbox.is_given_up(row)
    assert row.last_error == outbox.FAILED + "TelegramForbiddenError"
    assert "Айгерим" not in (row.last_error or "")


async def test_applicant_notices_keep_their_order(app: BotUnderTest) -> None:
    application = await make_application(app, 556, cv=None)
    ctx = context(app)
    await deliver_pending(ctx)
    await _decide(app, application, "shortlisted")
    await _decide(app, application, "invited")
    app.session.clear()
    app.session.fail_next(SendMessage, net)  # the «shortlisted» notice fails first
    await deliver_pending(ctx)
    assert app.session.of(SendMessage) == []  # «invited» waits for «shortlisted»
    await deliver_pending(ctx, now=later(12))
    await deliver_pending(ctx, now=later(30))
    texts = [r.text for r in app.session.of(SendMessage) if r.chat_id == 556]
    assert len(texts) == 2
    assert "предварительный отбор" in texts[0] and "собеседование" in texts[1]


async def test_withdrawal_notice_follows_the_summary(app: BotUnderTest) -> None:
    application = await make_application(app, 777)
    async with app.session_factory() as session:
        assert (await withdraw(session, application.id, 777)).value == "withdrawn"
    ctx = context(app)
    app.session.fail_next(SendMessage, net)  # the summary fails: the notice must wait
    await deliver_pending(ctx)
    assert app.session.of(SendMessage) == []
    await deliver_pending(ctx, now=later(15))
    await deliver_pending(ctx, now=later(30))
    sent = [r for r in app.session.of(SendMessage) if r.chat_id == HR_CHAT]
    assert len(sent) == 2
    placeholder, notice = sent
    assert placeholder.text == f"📝 Заявка №{application.id} — загружается…"
    summary = summaries(app, application.id)[0]  # the placeholder's edit
    assert "отозвал" in summary.text and summary.reply_markup is None  # no buttons left
    assert f"№{application.id}" in notice.text
    async with app.session_factory() as session:
        stored = await session.get(Application, application.id)
        assert stored is not None
        assert notice.reply_parameters is not None
        assert notice.reply_parameters.message_id == stored.hr_message_id


async def test_withdrawal_after_delivery_updates_the_card(app: BotUnderTest) -> None:
    application = await make_application(app, 778)
    ctx = context(app)
    await deliver_pending(ctx)
    async with app.session_factory() as session:
        await withdraw(session, application.id, 778)
    app.session.clear()
    await deliver_pending(ctx)
    [edit] = app.session.of(EditMessageText)
    assert edit.chat_id == HR_CHAT and edit.reply_markup is None
    assert "Кандидат отозвал заявку." in edit.text


async def test_deleted_application_is_not_sent(app: BotUnderTest) -> None:
    application = await make_application(app, 888)
    async with app.session_factory() as session:
        await session.execute(
            update(Application)
            .where(Application.id == application.id)
            .values(user_id=None, full_name=None, phone=None, anonymized_at=datetime.now(UTC))
        )
        await session.commit()
    report = await deliver_pending(context(app))
    assert report.gave_up == 1 and app.session.requests == []


async def test_enqueue_rejects_unknown_kinds(app: BotUnderTest) -> None:
    async with app.session_factory() as session:
        with pytest.raises(ValueError):
            outbox.enqueue(session, "hr_summery", None)
        row = outbox.enqueue(session, outbox.HR_SUMMARY, None)
        await session.commit()
        found = await session.scalar(select(OutboxMessage).where(OutboxMessage.id == row.id))
        assert found is not None and found.payload == {}


async def test_the_job_is_registered_once_and_kick_runs_it_now(app: BotUnderTest) -> None:
    scheduler = AsyncIOScheduler(timezone="Asia/Almaty")
    register_jobs(scheduler, context(app))
    register_jobs(scheduler, context(app))  # a second registration replaces the first
    scheduler.start(paused=True)
    try:
        jobs = [j for j in scheduler.get_jobs() if j.id == OUTBOX_JOB_ID]
        assert len(jobs) == 1
        job = jobs[0]
        assert job.max_instances == 1 and job.coalesce is True
        assert job.trigger.interval == timedelta(seconds=10)
        SchedulerJobs(scheduler).kick_outbox()
        job = scheduler.get_job(OUTBOX_JOB_ID)
        assert job is not None
        assert abs((job.next_run_time - datetime.now(UTC)).total_seconds()) < 2
    finally:
        scheduler.shutdown(wait=False)
    replace(app.deps, jobs=None).kick_outbox()  # no scheduler (tests, scripts): nothing happens


async def test_erased_applicant_card_is_replaced_by_the_anonymized_one(app: BotUnderTest) -> None:
    application = await make_application(app, 889)
    await deliver_pending(context(app))
    async with app.session_factory() as session:
        await session.execute(
            update(Application)
            .where(Application.id == application.id)
            .values(user_id=None, full_name=None, phone=None, anonymized_at=datetime.now(UTC))
        )
        outbox.enqueue(session, outbox.HR_DELETED, application.id)
        await session.commit()
    app.session.clear()
    await deliver_pending(context(app))
    [edit] = app.session.of(EditMessageText)
    assert edit.chat_id == HR_CHAT and edit.reply_markup is None
    assert "Айгерим" not in edit.text and "+7701" not in edit.text
    assert "удалены" in edit.text
    assert all(r.delivered_at is not None for r in await rows(app))


async def test_a_huge_comment_keeps_the_summary_within_telegram_limits(
    app: BotUnderTest,
) -> None:
    application = await make_application(app, 890)
    async with app.session_factory() as session:
        await session.execute(
            update(Application)
            .where(Application.id == application.id)
            .values(comment="<i>" + "очень длинно " * 800)
        )
        await session.commit()
    await deliver_pending(context(app))
    [summary] = summaries(app, application.id)
    assert len(summary.text) <= 4096
    assert "&lt;i&gt;" in summary.text


# --------------------------------------------------------------------------- uncertain sends


def cards_with_data(app: BotUnderTest, number: int) -> set[int]:
    """Distinct HR-chat messages that carry the applicant's data (a repeated edit of one
    message is one card)."""
    ids = set()
    for request in summaries(app, number):
        if isinstance(request, EditMessageText):
            assert request.message_id is not None
            ids.add(request.message_id)
        else:
            ids.add(-len(ids) - 1)  # a summary sent as a new message: a card of its own
    return ids


@pytest.mark.parametrize("lost", [SendMessage, EditMessageText])
async def test_a_lost_answer_never_makes_a_second_card(
    app: BotUnderTest, lost: type[SendMessage | EditMessageText]
) -> None:
    """Telegram got the request but its answer was lost (a timeout, a crash in flight): the
    retry may repeat the placeholder or the edit, never the card with the person's data."""
    application = await make_application(app, cv=None)
    ctx = context(app)
    app.session.lose_answer_next(lost)
    report = await deliver_pending(ctx)
    assert report.failed == 1
    await deliver_pending(ctx, now=later(15))
    assert len(cards_with_data(app, application.id)) == 1
    for request in placeholders(app):
        assert "Айгерим" not in request.text and "+7701" not in request.text
    [row] = await summary_rows(app)
    assert row.delivered_at is not None


async def test_after_a_restart_deliveries_in_flight_resume_at_once(app: BotUnderTest) -> None:
    """A process died while sending (its row holds a 5-minute lease): the next process
    sends it at start-up, not when the lease ends."""
    application = await make_application(app, cv=None)
    now = datetime.now(UTC)
    assert await outbox.claim(app.session_factory, now, 10) != []  # then the process dies
    assert (await deliver_pending(context(app), now=now)).delivered == 0  # leased
    assert await outbox.resume(app.session_factory, now) == 1  # the next start-up
    assert (await deliver_pending(context(app), now=now)).delivered == 1
    assert len(cards_with_data(app, application.id)) == 1


async def test_a_four_hour_hr_outage_loses_nothing_and_alerts_the_admins(
    app: BotUnderTest,
) -> None:
    apps = [await make_application(app, 2000 + i, cv=None) for i in range(3)]
    ctx = context(app)
    app.session.unreachable[HR_CHAT] = lambda: TelegramForbiddenError(
        method=SendMessage(chat_id=HR_CHAT, text=""), message="bot was kicked from the group"
    )
    start = datetime.now(UTC)
    for minute in range(0, 4 * 60, 5):  # the job runs every 10 s; every 5 minutes is enough
        await deliver_pending(ctx, now=start + timedelta(minutes=minute))
    alerts = [r for r in app.session.of(SendMessage) if r.chat_id == 9000]
    assert 3 <= len(alerts) <= 4  # the first after 15 minutes, then at most hourly
    assert "не доходят" in alerts[0].text and "TelegramForbiddenError" in alerts[0].text
    alert_rows = [r for r in await rows(app) if r.kind == outbox.ADMIN_ALERT]
    times = sorted(outbox.utc(r.created_at) for r in alert_rows)
    assert times[0] - start >= timedelta(minutes=15)
    assert all(b - a >= timedelta(hours=1) for a, b in itertools.pairwise(times))
    # HR see the backlog in /stats meanwhile.
    async with app.session_factory() as session:
        backlog = await outbox.hr_backlog(session)
    assert backlog.waiting == 3 and backlog.failing == 3
    assert backlog.last_error == "TelegramForbiddenError"

    del app.session.unreachable[HR_CHAT]  # the bot is back in the group
    end = start + timedelta(hours=4)
    await outbox.resume(app.session_factory, end)
    await deliver_pending(ctx, now=end)
    for application in apps:
        assert len(cards_with_data(app, application.id)) == 1
    assert all(r.delivered_at is not None for r in await summary_rows(app))
    async with app.session_factory() as session:
        assert (await outbox.hr_backlog(session)).waiting == 0


async def test_a_lost_answer_to_the_cv_never_sends_the_file_twice(app: BotUnderTest) -> None:
    """The CV's file name may carry the person's name: a lost answer to its placeholder
    repeats only the placeholder, a lost answer to the edit only the edit."""
    application = await make_application(app)
    ctx = context(app)
    app.session.lose_answer_next(SendDocument)
    await deliver_pending(ctx)
    app.session.lose_answer_next(EditMessageMedia)
    await deliver_pending(ctx, now=later(15))
    await deliver_pending(ctx, now=later(60))
    edits = app.session.of(EditMessageMedia)
    assert {e.message_id for e in edits} and len({e.message_id for e in edits}) == 1
    assert all(e.media.media == "CV-FILE-ID" for e in edits)
    for placeholder in app.session.of(SendDocument):
        assert placeholder.caption == f"Резюме к заявке №{application.id} — загружается…"
    assert len(cards_with_data(app, application.id)) == 1
    [row] = await summary_rows(app)
    assert row.delivered_at is not None
