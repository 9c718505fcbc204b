"""Complete erasure: the CV message leaves the HR chat with the card's data, a submit racing
/delete_me leaves nothing behind, erased values are gone from SQLite's files, and the nightly
purge rewrites PostgreSQL's tables."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    DeleteMessage,
    EditMessageCaption,
    EditMessageMedia,
    EditMessageText,
    SendDocument,
    SendMessage,
    TelegramMethod,
)
from aiogram.types import BufferedInputFile, InputMediaDocument
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.catalogue.service import CatalogueService
from bot.config import Settings
from bot.db.engine import apply_migrations, create_engine, create_session_factory
from bot.db.models import Application
from bot.deps import JobContext
from bot.i18n import Translator
from bot.jobs import PURGE_JOB_ID, register_jobs
from bot.screening.engine import Screener
from bot.sending.delivery import deliver_pending
from bot.services import applications, outbox, privacy
from bot.services.applications import ApplicationForm
from bot.services.validation import CvFile
from tests.conftest import BotUnderTest
from tests.harness import Person
from tests.test_application_flow import NAME, PDF, PHONE, USER, to_step
from tests.test_outbox import HR_CHAT, context, make_application
from tests.test_privacy import traces

NEEDLES = [NAME, PHONE, "aigerim_s", PDF.file_id]


async def submitted(app: BotUnderTest, user_id: int = USER) -> Person:
    """A person whose application (with a CV) reached the HR chat."""
    person = await to_step(app, "review", user_id=user_id)
    await person.press("📨")
    report = await deliver_pending(context(app))
    assert report.delivered == 1
    return person


async def erase(person: Person) -> None:
    await person.send("/delete_me")
    assert "удалены" in await person.press("Да, удалить")


async def stored(app: BotUnderTest) -> Application:
    async with app.session_factory() as session:
        [application] = (await session.execute(select(Application))).scalars()
        return application


def bad_request(method: TelegramMethod[Any], message: str) -> TelegramBadRequest:
    return TelegramBadRequest(method=method, message=f"Bad Request: {message}")


# --------------------------------------------------------------------------- the HR chat


async def test_delete_me_deletes_the_cv_and_anonymizes_the_card(app: BotUnderTest) -> None:
    person = await submitted(app)
    [card] = [r for r in app.session.of(EditMessageText) if r.chat_id == HR_CHAT]
    assert NAME in card.text
    assert len(app.session.of(SendDocument)) == 1
    application = await stored(app)
    assert application.hr_cv_message_id is not None  # where the CV landed
    assert application.hr_cv_message_id != application.hr_message_id

    await erase(person)
    app.session.clear()
    report = await deliver_pending(context(app))
    assert report.delivered == 1
    [deleted] = app.session.of(DeleteMessage)
    assert (deleted.chat_id, deleted.message_id) == (HR_CHAT, application.hr_cv_message_id)
    [edit] = app.session.of(EditMessageText)
    assert (edit.chat_id, edit.message_id) == (HR_CHAT, application.hr_message_id)
    assert edit.reply_markup is None and "удалены" in edit.text
    for needle in [NAME, "Сейтжанова", PHONE, "7011234567", "aigerim_s"]:
        assert needle not in edit.text
    # Nothing else went to the HR chat, and nothing is left to do.
    assert app.session.of(SendMessage) == [] and app.session.of(SendDocument) == []
    app.session.clear()
    assert (await deliver_pending(context(app))).delivered == 0
    assert app.session.requests == []


async def test_a_cv_telegram_will_not_delete_is_replaced_by_a_note(app: BotUnderTest) -> None:
    person = await submitted(app)
    application = await stored(app)
    await erase(person)
    app.session.clear()
    # Older than 48 h in a group where the bot is no admin.
    app.session.fail_next(
        DeleteMessage,
        lambda: bad_request(DeleteMessage(chat_id=0, message_id=0), "message can't be deleted"),
    )
    assert (await deliver_pending(context(app))).delivered == 1
    [replaced] = app.session.of(EditMessageMedia)
    assert (replaced.chat_id, replaced.message_id) == (HR_CHAT, application.hr_cv_message_id)
    media = replaced.media
    assert isinstance(media, InputMediaDocument) and isinstance(media.media, BufferedInputFile)
    assert media.caption is not None
    assert f"№{application.id}" in media.caption and "удалено" in media.caption
    assert media.media.filename == f"zayavka-{application.id}-rezyume-udaleno.txt"
    assert NAME not in media.caption and NAME.encode() not in media.media.data
    [edit] = app.session.of(EditMessageText)
    assert NAME not in edit.text and PHONE not in edit.text


async def test_when_the_file_cannot_be_replaced_the_caption_is(app: BotUnderTest) -> None:
    person = await submitted(app)
    application = await stored(app)
    await erase(person)
    app.session.clear()
    app.session.fail_next(
        DeleteMessage,
        lambda: bad_request(DeleteMessage(chat_id=0, message_id=0), "message can't be deleted"),
    )
    app.session.fail_next(
        EditMessageMedia,
        lambda: bad_request(DeleteMessage(chat_id=0, message_id=0), "message can't be edited"),
    )
    assert (await deliver_pending(context(app))).delivered == 1
    [caption] = app.session.of(EditMessageCaption)
    assert caption.message_id == application.hr_cv_message_id
    assert caption.caption is not None and "удалено" in caption.caption
    assert len(app.session.of(EditMessageText)) == 1


async def test_a_cv_deleted_already_counts_as_done(app: BotUnderTest) -> None:
    person = await submitted(app)
    await erase(person)
    app.session.clear()
    app.session.fail_next(
        DeleteMessage,
        lambda: bad_request(DeleteMessage(chat_id=0, message_id=0), "message to delete not found"),
    )
    assert (await deliver_pending(context(app))).delivered == 1
    assert app.session.of(EditMessageMedia) == [] and app.session.of(EditMessageCaption) == []
    assert len(app.session.of(EditMessageText)) == 1  # the card


async def test_retention_deletes_the_cv_too(app: BotUnderTest) -> None:
    await submitted(app)
    application = await stored(app)
    async with app.session_factory() as session:
        later = datetime.now(UTC) + timedelta(days=400)
        assert await privacy.anonymize_older_than(session, 365, later) == 1
    app.session.clear()
    await deliver_pending(context(app), now=later)
    [deleted] = app.session.of(DeleteMessage)
    assert deleted.message_id == application.hr_cv_message_id
    [edit] = app.session.of(EditMessageText)
    assert NAME not in edit.text


async def test_summary_erased_while_on_its_way_leaves_no_data_in_the_hr_chat(
    app: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/delete_me commits just after the card was sent (this round had loaded the row): the
    CV is not sent, and the card is anonymized by an ``hr_deleted`` row run afterwards."""
    application = await make_application(app, USER)
    record = app.session.make_request

    async def erase_after_the_card(bot: Any, method: Any, timeout: int | None = None) -> Any:
        result = await record(bot, method, timeout)
        if isinstance(method, SendMessage) and method.chat_id == HR_CHAT:
            monkeypatch.setattr(app.session, "make_request", record)
            async with app.session_factory() as session:
                await privacy.delete_me(session, USER)
        return result

    monkeypatch.setattr(app.session, "make_request", erase_after_the_card)
    report = await deliver_pending(context(app))
    assert report.gave_up == 1
    assert app.session.of(SendDocument) == []  # the CV stayed home
    await deliver_pending(context(app))  # the cleanup rows
    edits = app.session.of(EditMessageText)
    assert edits and all(NAME not in e.text and e.reply_markup is None for e in edits)
    async with app.session_factory() as session:
        rows = await outbox.rows(session)
        fresh = await session.get(Application, application.id, populate_existing=True)
    assert fresh is not None and fresh.hr_message_id == edits[-1].message_id
    assert {r.kind for r in rows} == {"hr_deleted"}
    assert all(r.delivered_at is not None for r in rows)


# --------------------------------------------------------------------------- the race


async def test_submit_refused_when_erasure_won_the_race(
    app: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the Dispatcher: /delete_me (from another process, say) commits between the
    handler's consent check and the submit's transaction."""
    person = await to_step(app, "review")
    lock = privacy.lock_person

    async def erasure_first(session: Any, user_id: int) -> None:
        monkeypatch.setattr(privacy, "lock_person", lock)
        async with app.session_factory() as other:
            await privacy.delete_me(other, user_id)
        await lock(session, user_id)

    monkeypatch.setattr(privacy, "lock_person", erasure_first)
    answer = await person.press("📨")
    assert "больше не действует" in answer
    assert await traces_of(app) == []
    async with app.session_factory() as session:
        assert list((await session.execute(select(Application))).scalars()) == []
        assert await outbox.rows(session) == []


async def traces_of(app: BotUnderTest) -> list[tuple[str, str, Any]]:
    bind = app.session_factory.kw["bind"]
    assert isinstance(bind, AsyncEngine)
    return await traces(bind, NEEDLES, USER)


ROUNDS = 24
RACE_ANSWERS = {"education_level": "vocational", "driver_licences": ["C1"]}


async def _turns(count: int) -> None:
    for _ in range(count):
        await asyncio.sleep(0)


async def _racing_submit(app: BotUnderTest, delay: int, user_id: int, consent_id: int) -> str:
    position = app.catalogue.position(62)
    assert position is not None
    await _turns(delay)
    async with app.session_factory() as session:
        try:
            await applications.submit(
                session,
                screener=Screener(app.catalogue.catalogue),
                position=position,
                user_id=user_id,
                username=f"racer_{user_id}",
                language="ru",
                consent_id=consent_id,
                form=ApplicationForm(
                    full_name=f"Гонкова Алия {user_id}",
                    phone=f"+7701{user_id}",
                    cv=CvFile(f"RACE-CV-{user_id}", "cv.pdf", "application/pdf"),
                ),
                answers=RACE_ANSWERS,
            )
        except applications.ConsentGone:
            return "erased first"
    return "submitted first"


async def _racing_delete_me(app: BotUnderTest, delay: int, user_id: int) -> None:
    await _turns(delay)
    async with app.session_factory() as session:
        await privacy.delete_me(session, user_id)


async def test_submit_racing_delete_me_leaves_nothing(
    app: BotUnderTest, engine: AsyncEngine
) -> None:
    """Submit and erasure in two sessions at once, their starts shifted by a few event-loop
    turns: whichever wins, no personal data stays and nothing is left to send to HR."""
    outcomes: list[str] = []
    for round_ in range(ROUNDS):
        user_id = 7_000_000 + round_
        async with app.session_factory() as session:
            consent = await privacy.give_consent(session, user_id, "ru")
        outcome, _ = await asyncio.gather(
            _racing_submit(app, round_ % 6, user_id, consent.id),
            _racing_delete_me(app, (round_ // 6) % 4 * 2, user_id),
        )
        outcomes.append(outcome)
        needles = [f"Алия {user_id}", f"+7701{user_id}", f"racer_{user_id}", f"CV-{user_id}"]
        found = await traces(engine, needles, user_id)
        assert found == [], (round_, outcome, found)
    # Both orders happened (the shifts make sure of it).
    assert set(outcomes) == {"erased first", "submitted first"}, outcomes
    async with app.session_factory() as session:
        pending = [
            r
            for r in await outbox.rows(session, [outbox.HR_SUMMARY])
            if r.delivered_at is None and not outbox.is_given_up(r)
        ]
        assert pending == []
        erased = list((await session.execute(select(Application))).scalars())
        assert all(a.anonymized_at is not None and a.full_name is None for a in erased)
    # A delivery round sends HR nothing (no card was delivered: nothing to anonymize).
    await deliver_pending(context(app))
    assert app.session.requests == []


# --------------------------------------------------------------------------- the files


async def test_erased_values_are_not_in_the_sqlite_files(
    tmp_path: Path, settings: Settings, catalogue: CatalogueService, translator: Translator
) -> None:
    path = tmp_path / "erasure.sqlite3"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await apply_migrations(engine)
    try:
        app = BotUnderTest(engine, settings, catalogue, translator)
        person = await submitted(app)

        def contents() -> bytes:
            wal = path.with_name(path.name + "-wal")
            return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")

        needles = [value.encode() for value in (NAME, PHONE, "aigerim_s", PDF.file_id)]
        assert all(needle in contents() for needle in needles)  # the scan finds them before
        await erase(person)
        async with engine.connect() as connection:
            result = await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            assert result.one()[0] == 0  # not busy: every page is back in the file
        data = contents()
        assert [n.decode() for n in needles if n in data] == []
        # And the nightly purge job does that checkpoint on SQLite.
        assert await privacy.purge_erased(engine) == []
    finally:
        await engine.dispose()


async def test_purge_job_is_registered_nightly_and_runs(
    app: BotUnderTest, engine: AsyncEngine, catalogue: CatalogueService
) -> None:
    scheduler = AsyncIOScheduler(timezone="Asia/Almaty")
    job_context = JobContext(
        bot=app.bot,
        session_factory=create_session_factory(engine),
        settings=app.settings,
        translator=app.translator,
        catalogue=catalogue,
    )
    scheduler.start(paused=True)
    try:
        register_jobs(scheduler, job_context)
        register_jobs(scheduler, job_context)  # again: replace_existing, no doubles
        jobs = [job for job in scheduler.get_jobs() if job.id == PURGE_JOB_ID]
    finally:
        scheduler.shutdown(wait=False)
    assert len(jobs) == 1
    [job] = jobs
    assert isinstance(job.trigger, CronTrigger)
    fields = {f.name: str(f) for f in job.trigger.fields}
    assert (fields["hour"], fields["minute"]) == ("3", "30")
    assert str(job.trigger.timezone) == "Asia/Almaty"

    person = await submitted(app)
    await erase(person)
    await deliver_pending(context(app))
    purged = await job.func(*job.args, **job.kwargs)
    if engine.dialect.name == "postgresql":
        assert purged == list(privacy.PERSONAL_TABLES)
        async with engine.connect() as connection:  # the lock timeout was reset
            assert (await connection.exec_driver_sql("SHOW lock_timeout")).scalar() == "0"
    else:
        assert purged == []
    assert await traces_of(app) == []
    # The bot goes on working on the rewritten tables.
    await submitted(app, USER + 1)


# --------------------------------------------------------------------------- the texts


@pytest.mark.parametrize(
    ("lang", "parts"),
    [
        ("ru", ["сообщение с резюме", "обезличенной", "переслали", "резервн", "14 дней"]),
        ("kk", ["түйіндеме хабарламасы жойылады", "басқа чаттарға", "сақтық көшірме", "14 күн"]),
    ],
)
async def test_texts_say_what_erasure_removes_and_where_copies_remain(
    engine: AsyncEngine,
    settings: Settings,
    catalogue: CatalogueService,
    translator: Translator,
    lang: str,
    parts: list[str],
) -> None:
    settings = settings.model_copy(update={"backup_retention_days": 14})
    app = BotUnderTest(engine, settings, catalogue, translator)
    person = app.person(user_id=8118, language_code=lang)
    consent = await person.send("/privacy")  # the consent text of the current edition
    confirm = await person.send("/delete_me")
    for text in (consent, confirm):
        for part in parts:
            assert part in text, (part, text)
