"""Personal data: the consent text's edition, /privacy, /delete_me (then no trace of the
person in any table), retention anonymization and its daily job."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import JSON, BigInteger, Integer, String, Text, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.catalogue.service import CatalogueService
from bot.db.engine import create_session_factory
from bot.db.models import (
    Application,
    Base,
    Broadcast,
    BroadcastDelivery,
    Consent,
    FsmRecord,
    FunnelEvent,
    OutboxMessage,
    Subscription,
    User,
)
from bot.deps import JobContext
from bot.i18n import default_translator
from bot.jobs import register_jobs
from bot.rendering.privacy import format_date
from bot.services import privacy
from bot.services.privacy import CONSENT_VERSION
from tests.conftest import BotUnderTest
from tests.test_application_flow import NAME, PDF, USER, screened, to_step
from tests.test_application_services import _submit

# The consent text each CONSENT_VERSION stands for. Changing privacy.consent in a locale
# without a new CONSENT_VERSION fails here: people agreed to the text of an edition.
CONSENT_TEXTS = {
    "2026-11-25": {"kk": "ae76e098e73127c1", "ru": "606b1d07dfa73f38"},
    # What /delete_me removes, where copies may remain, backups kept BACKUP_RETENTION_DAYS.
    "2026-12-02": {"kk": "75090d0e07e1c0b1", "ru": "6e2830c67b506ad3"},
    # Bookings of interviews and tests, and the messages with HR; what /delete_me removes
    # of them.
    "2026-12-08": {"kk": "910bc30ad5e7267f", "ru": "8c4ce7aa832f8631"},
}


def test_consent_text_is_tied_to_its_version() -> None:
    assert CONSENT_VERSION in CONSENT_TEXTS, "record the new edition's text hashes"
    for lang, digest in CONSENT_TEXTS[CONSENT_VERSION].items():
        # The template as written: each variable formatted as its own «{name}».
        names = ("purpose", "days", "backup_days", "version")
        text = default_translator()(lang, "privacy.consent", **{n: f"{{{n}}}" for n in names})
        assert hashlib.sha256(text.encode()).hexdigest()[:16] == digest, (
            f"{lang}: the consent text changed: bump CONSENT_VERSION and record the hashes"
        )


# --------------------------------------------------------------------------- table scan


def _is_text(column: Any) -> bool:
    return isinstance(column.type, String | Text)


def _is_int(column: Any) -> bool:
    return isinstance(column.type, Integer | BigInteger)


async def traces(
    engine: AsyncEngine, needles: list[str], telegram_id: int
) -> list[tuple[str, str, Any]]:
    """Every (table, column, value) of every table in the models holding a needle: the
    Telegram id as a number or inside a text, or any of the strings (JSON included)."""
    found: list[tuple[str, str, Any]] = []
    texts = [*needles, str(telegram_id)]
    async with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in (await connection.execute(select(table))).mappings():
                for column in table.columns:
                    value = row[column.name]
                    if value is None:
                        continue
                    if (_is_int(column) and value == telegram_id) or (
                        _is_text(column) and any(n in value for n in texts)
                    ):
                        found.append((table.name, column.name, value))
                    elif isinstance(column.type, JSON):
                        dumped = json.dumps(value, ensure_ascii=False)
                        if any(n in dumped for n in texts):
                            found.append((table.name, column.name, value))
    return found


def test_scan_covers_every_table_and_column_kind() -> None:
    kinds = {
        (table.name, column.name)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if _is_text(column) or _is_int(column) or isinstance(column.type, JSON)
    }
    for expected in [
        ("users", "id"),
        ("fsm_states", "key"),
        ("fsm_states", "data"),
        ("consents", "user_id"),
        ("applications", "full_name"),
        ("applications", "screening"),
        ("outbox", "payload"),
        ("funnel_events", "user_id"),
        ("person_sources", "user_id"),
    ]:
        assert expected in kinds


# --------------------------------------------------------------------------- /privacy


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_privacy_before_and_after_applying(app: BotUnderTest, lang: str) -> None:
    person = app.person(user_id=8008, language_code=lang)
    answer = await person.send("/privacy")
    if lang == "ru":
        for part in ["Служба спасения", "№ 94-V", "не давали", "Заявок: 0", "/delete_me"]:
            assert part in answer, part
    else:
        for part in ["құтқару қызметі", "№ 94-V", "келісім берген жоқсыз", "Өтінімдер: 0"]:
            assert part in answer, part
    assert person.button("🗑")

    person = await to_step(app, "review", lang, user_id=8009)
    await person.press("📨")
    answer = await person.send("/privacy")
    today = format_date(datetime.now(UTC))
    if lang == "ru":
        for part in [
            "Согласие дано",
            CONSENT_VERSION,
            "Язык общения: Русский",
            "Заявок: 1 (на рассмотрении: 1)",
            "ссылка на файл",
        ]:
            assert part in answer, part
    else:
        for part in ["Келісім", CONSENT_VERSION, "Қазақша", "Өтінімдер: 1 (қаралуда: 1)"]:
            assert part in answer, part
    assert today in answer
    # Only counts: none of the stored contents.
    assert NAME not in answer and "+7701" not in answer and PDF.file_name not in answer


# --------------------------------------------------------------------------- /delete_me


async def test_delete_me_leaves_no_trace_of_the_person(
    app: BotUnderTest, engine: AsyncEngine
) -> None:
    # Two applications (one withdrawn), a pending HR message, a form under way for a third
    # position, funnel events, a language: everything the bot keeps about a person.
    person = await to_step(app, "comment")
    await person.send("Звоните после 18:00")
    await person.press("📨")
    await person.send("/my")
    await person.press("Отозвать")
    await person.press("Да, отозвать")
    person = await to_step(app, "review")
    await person.press("📨")
    async with app.session_factory() as session:
        await session.execute(
            OutboxMessage.__table__.update()
            .where(OutboxMessage.kind == "hr_summary")
            .values(delivered_at=datetime.now(UTC), payload={"chat_id": USER, "name": NAME})
        )
        await session.commit()
    await person.press_data("pos:38")
    await person.press("✍️")
    # Someone else's data must stay.
    other = await screened(app, user_id=1234, username="someone_else")
    await other.press("📨")
    await other.press("Согласен")
    await other.send("Петров Пётр")
    await other.send("+7 702 000 00 00")
    await other.press("Пропустить")
    await other.press("Пропустить")
    await other.press("📨")

    # Vacancy announcements: a subscription and a broadcast delivered to the person.
    async with app.session_factory() as session:
        broadcast = Broadcast(kind="manual", text_kk="Хабар", text_ru="Объявление")
        session.add(broadcast)
        session.add(Subscription(user_id=USER, departments=None))
        await session.flush()
        for chat_id in (USER, 1234):
            session.add(
                BroadcastDelivery(broadcast_id=broadcast.id, chat_id=chat_id, language="ru")
            )
        await session.commit()

    needles = [NAME, "+77011234567", "aigerim_s", PDF.file_id, "Звоните после 18:00"]
    assert await traces(engine, needles, USER)  # the scan does find them before

    answer = await person.send("/delete_me")
    assert "Удалить все ваши персональные данные?" in answer
    await person.press("Нет")
    assert await traces(engine, needles, USER)  # «No» deletes nothing
    await person.send("/delete_me")
    answer = await person.press("Да, удалить")
    assert "персональные данные удалены" in answer

    assert await traces(engine, needles, USER) == []

    # Anonymous counts stay: positions, statuses, verdicts, dates.
    async with app.session_factory() as session:
        apps = list((await session.execute(select(Application))).scalars())
        theirs = [a for a in apps if a.user_id is None]
        assert sorted(a.status for a in theirs) == ["new", "withdrawn"]
        for a in theirs:
            assert a.anonymized_at is not None and a.screening == {}
            assert a.position_number == 62 and a.verdict == "partial" and a.created_at
            assert a.full_name is None and a.consent_id is None
        kept = [a for a in apps if a.user_id == 1234]
        assert len(kept) == 1 and kept[0].full_name == "Петров Пётр"  # the other person's
        consents = list((await session.execute(select(Consent))).scalars())
        assert [c.user_id for c in consents] == [1234]
        events = list((await session.execute(select(FunnelEvent))).scalars())
        assert any(e.user_id is None and e.kind == "applied" for e in events)
        assert any(e.user_id == 1234 for e in events)
        assert await session.get(User, 1234) is not None
        recipients = (await session.execute(select(BroadcastDelivery.chat_id))).scalars()
        assert list(recipients) == [1234]
        outbox = list((await session.execute(select(OutboxMessage))).scalars())
        assert all(m.payload == {} for m in outbox if m.application_id in {a.id for a in theirs})
        # HR's cards of the erased applications are to be anonymized by the delivery job.
        deleted = sorted(m.application_id or 0 for m in outbox if m.kind == "hr_deleted")
        assert deleted == sorted(a.id for a in theirs)
        # Their undelivered messages were dropped (the withdrawal notice), delivered kept.
        assert [m.kind for m in outbox if m.application_id in {a.id for a in theirs}].count(
            "hr_withdrawn"
        ) == 0

    # The person starts afresh: no language, no applications, no form.
    person = app.person(user_id=USER)
    assert "нет заявок" in await person.send("/my")
    answer = await person.send("/privacy")
    assert "Заявок: 0" in answer and "не выбран" in answer


async def test_delete_me_in_kazakh_and_stale_button(app: BotUnderTest) -> None:
    person = await screened(app, "kk", user_id=9191)
    await person.send("/delete_me")
    data = person.button("Иә, жою").callback_data
    answer = await person.press("Иә, жою")
    assert "дербес деректеріңіз жойылды" in answer
    assert data is not None
    answer = await person.press_data(data)  # again: nothing left, the same answer
    assert "жойылды" in answer


# --------------------------------------------------------------------------- services


async def test_delete_me_service_removes_fsm_rows_of_every_chat(
    engine: AsyncEngine, catalogue: CatalogueService
) -> None:
    keys = DefaultKeyBuilder(with_destiny=True)
    own = keys.build(StorageKey(bot_id=1, chat_id=555, user_id=555))
    group = keys.build(StorageKey(bot_id=1, chat_id=-100500, user_id=555))
    thread = keys.build(StorageKey(bot_id=1, chat_id=-100500, user_id=555, thread_id=7))
    others = [
        keys.build(StorageKey(bot_id=1, chat_id=5555, user_id=5555)),
        keys.build(StorageKey(bot_id=1, chat_id=-100500, user_id=1555)),
        keys.build(StorageKey(bot_id=1, chat_id=-555, user_id=777)),
    ]
    async with create_session_factory(engine)() as session:
        for key in [own, group, thread, *others]:
            session.add(FsmRecord(key=key, state="x", data={"a": 1}))
        await session.commit()
        report = await privacy.delete_me(session, 555)
        assert set(report.fsm_keys) == {own, group, thread}
        left = set((await session.execute(select(FsmRecord.key))).scalars())
        assert left == set(others)


async def test_consent_helpers(engine: AsyncEngine, catalogue: CatalogueService) -> None:
    async with create_session_factory(engine)() as session:
        first = await privacy.give_consent(session, 10, "kk")
        assert (first.version, first.language) == (CONSENT_VERSION, "kk")
        assert await privacy.valid_consent(session, first.id, 10) is not None
        assert await privacy.valid_consent(session, first.id, 11) is None  # not theirs
        latest = await privacy.latest_consent(session, 10)
        assert latest is not None and latest.id == first.id
        await privacy.discard_unused_consent(session, first.id, 11)  # not theirs: kept
        assert await session.get(Consent, first.id) is not None
        await privacy.discard_unused_consent(session, first.id, 10)
        assert await privacy.latest_consent(session, 10) is None
        # A consent an application refers to is never discarded.
        result = await _submit(session, catalogue, user_id=10)
        used = result.application.consent_id
        assert used is not None
        await privacy.discard_unused_consent(session, used, 10)
        assert await privacy.valid_consent(session, used, 10) is not None
        summary = await privacy.stored_summary(session, 10)
        assert (summary.applications, summary.open_applications, summary.has_cv) == (1, 1, True)


async def test_anonymize_older_than_with_a_fixed_now(
    engine: AsyncEngine, catalogue: CatalogueService
) -> None:
    now = datetime(2027, 12, 1, 3, 0, tzinfo=UTC)
    async with create_session_factory(engine)() as session:
        old = (await _submit(session, catalogue, now=now - timedelta(days=366))).application
        edge = (
            await _submit(session, catalogue, user_id=2, now=now - timedelta(days=365))
        ).application
        young = (
            await _submit(session, catalogue, user_id=3, now=now - timedelta(days=10))
        ).application
        # The old one's HR summary was delivered; another message is still pending.
        await session.execute(
            OutboxMessage.__table__.update()
            .where(OutboxMessage.application_id == old.id)
            .values(delivered_at=now - timedelta(days=365), payload={"name": "x"})
        )
        await session.execute(
            Application.__table__.update()
            .where(Application.id == old.id)
            .values(hr_chat_id=-100500, hr_message_id=77)
        )
        session.add(
            OutboxMessage(
                kind="applicant_status", application_id=old.id, payload={"status": "invited"}
            )
        )
        await session.commit()

        assert await privacy.anonymize_older_than(session, 365, now) == 1
        assert await privacy.anonymize_older_than(session, 365, now) == 0  # idempotent
    async with create_session_factory(engine)() as session:
        stored = await session.get(Application, old.id)
        assert stored is not None
        assert stored.anonymized_at is not None
        for field in ["user_id", "full_name", "phone", "username", "cv_file_id", "comment"]:
            assert getattr(stored, field) is None, field
        assert stored.screening == {}
        assert (stored.position_number, stored.status, stored.verdict) == (62, "new", "partial")
        for kept_id in (edge.id, young.id):
            kept = await session.get(Application, kept_id)
            assert kept is not None and kept.full_name is not None and kept.anonymized_at is None
        outbox = list(
            (
                await session.execute(
                    select(OutboxMessage).where(OutboxMessage.application_id == old.id)
                )
            ).scalars()
        )
        # The pending message was dropped; HR's card is to be anonymized.
        assert sorted((m.kind, m.payload) for m in outbox) == [
            ("hr_deleted", {}),
            ("hr_summary", {}),
        ]
    async with create_session_factory(engine)() as session:
        assert await privacy.anonymize_older_than(session, 5, now) == 2


async def test_retention_job_is_registered_daily_at_three(
    app: BotUnderTest, engine: AsyncEngine, catalogue: CatalogueService
) -> None:
    scheduler = AsyncIOScheduler(timezone="Asia/Almaty")
    context = JobContext(
        bot=app.bot,
        session_factory=app.session_factory,
        settings=app.settings.model_copy(update={"retention_days": 30}),
        translator=app.translator,
        catalogue=catalogue,
    )
    scheduler.start(paused=True)  # pending jobs are only deduplicated by a started one
    try:
        register_jobs(scheduler, context)
        register_jobs(scheduler, context)  # again: replace_existing, no doubles
        jobs = [job for job in scheduler.get_jobs() if job.id == "retention"]
    finally:
        scheduler.shutdown(wait=False)
    assert len(jobs) == 1
    job = jobs[0]
    assert isinstance(job.trigger, CronTrigger)
    fields = {f.name: str(f) for f in job.trigger.fields}
    assert (fields["hour"], fields["minute"]) == ("3", "0")
    assert str(job.trigger.timezone) == "Asia/Almaty"
    assert job.kwargs == {"days": 30}
    # The job itself, with only its plain argument.
    async with app.session_factory() as session:
        await _submit(session, catalogue, now=datetime.now(UTC) - timedelta(days=31))
    assert await job.func(*job.args, **job.kwargs) == 1
