"""Personal data (Law of the Republic of Kazakhstan «On personal data and their protection»
No. 94-V): consent, what is stored about a person, erasure on request, retention.

Plain Python (no aiogram). Erasure and retention empty the personal fields of applications
but keep what HR's anonymous counts need: position, department, status, verdict, dates.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.db.models import (
    ACTIVE_BOOKING_STATUSES,
    OPEN_STATUSES,
    Application,
    Booking,
    BroadcastDelivery,
    Consent,
    FsmRecord,
    FunnelEvent,
    OutboxMessage,
    Slot,
    StageResult,
    Subscription,
    User,
)
from bot.services import conversation, nudges, outbox, sources

log = logging.getLogger(__name__)

# The edition of the consent text (privacy.consent in bot/locales/*/privacy.ftl).
# Change it whenever that text changes: each Consent row records the edition agreed to.
CONSENT_VERSION = "2026-12-08"


# --------------------------------------------------------------------------- one person at a time

# PostgreSQL advisory lock keys of people: this base plus the Telegram id (below 2^52).
_PERSON_LOCK = 0x5045_5253_0000_0000


async def lock_person(session: AsyncSession, user_id: int) -> None:
    """Until the transaction ends, no other transaction that locks the same person runs:
    :func:`delete_me` and ``applications.submit`` take it first, so an application is
    either erased with the rest or refused for want of a consent, never left behind.

    PostgreSQL: a transaction-level advisory lock (no row needs to exist). SQLite: the
    database's one write lock, taken at once by a write that changes nothing (the driver
    opens the transaction at the first write): what is read next stays true until commit.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(_PERSON_LOCK + user_id)))
    else:
        await session.execute(text("UPDATE users SET id = id WHERE id = :id"), {"id": user_id})


# --------------------------------------------------------------------------- consent


async def give_consent(
    session: AsyncSession, user_id: int, language: str, *, now: datetime | None = None
) -> Consent:
    """Record the person's consent to the current edition of the text; commits."""
    consent = Consent(
        user_id=user_id,
        version=CONSENT_VERSION,
        language=language,
        given_at=now or datetime.now(UTC),
    )
    session.add(consent)
    await session.commit()
    log.info("Consent %s recorded (version %s)", consent.id, CONSENT_VERSION)
    return consent


async def valid_consent(session: AsyncSession, consent_id: int, user_id: int) -> Consent | None:
    """The consent if it is this person's and not withdrawn."""
    consent = await session.get(Consent, consent_id)
    if consent is None or consent.user_id != user_id or consent.withdrawn_at is not None:
        return None
    return consent


async def discard_unused_consent(session: AsyncSession, consent_id: int, user_id: int) -> None:
    """Forget a consent given for a form that was then cancelled (no application uses it)."""
    used = await session.scalar(
        select(func.count()).select_from(Application).where(Application.consent_id == consent_id)
    )
    if used:
        return
    await session.execute(
        delete(Consent).where(Consent.id == consent_id, Consent.user_id == user_id)
    )
    await session.commit()


async def consent_in_force(session: AsyncSession, consent_id: int, user_id: int) -> bool:
    """Whether the consent is still stored, the person's and not withdrawn (read from the
    database, not the session's cache: under :func:`lock_person`, the truth till commit)."""
    found = await session.scalar(
        select(Consent.id).where(
            Consent.id == consent_id, Consent.user_id == user_id, Consent.withdrawn_at.is_(None)
        )
    )
    return found is not None


async def latest_consent(session: AsyncSession, user_id: int) -> Consent | None:
    result = await session.execute(
        select(Consent)
        .where(Consent.user_id == user_id, Consent.withdrawn_at.is_(None))
        .order_by(Consent.given_at.desc(), Consent.id.desc())
        .limit(1)
    )
    return result.scalars().first()


# --------------------------------------------------------------------------- what is stored


@dataclass(frozen=True, slots=True)
class StoredSummary:
    """What the bot keeps about a person, for /privacy (counts, no contents)."""

    language: str | None
    applications: int
    open_applications: int
    has_cv: bool
    consent: Consent | None


async def stored_summary(session: AsyncSession, user_id: int) -> StoredSummary:
    user = await session.get(User, user_id)
    rows = (
        await session.execute(
            select(Application.status, Application.cv_file_id).where(Application.user_id == user_id)
        )
    ).all()
    open_values = {s.value for s in OPEN_STATUSES}
    return StoredSummary(
        language=user.language if user else None,
        applications=len(rows),
        open_applications=sum(1 for status, _ in rows if status in open_values),
        has_cv=any(cv is not None for _, cv in rows),
        consent=await latest_consent(session, user_id),
    )


# --------------------------------------------------------------------------- erasure

# Cleared on erasure and at the end of the retention period.
PERSONAL_FIELDS: dict[str, object] = {
    "user_id": None,
    "full_name": None,
    "phone": None,
    "username": None,
    "cv_file_id": None,
    "cv_file_name": None,
    "cv_mime_type": None,
    "comment": None,
    "consent_id": None,
    "screening": {},
}


@dataclass(frozen=True, slots=True)
class ErasureReport:
    applications: int
    consents: int
    funnel_events: int
    outbox_messages: int
    # The conversation-state keys deleted: a caching FSM storage must forget them too.
    fsm_keys: tuple[str, ...]
    bookings: int = 0  # bookings deleted (their stage results with them)
    relayed_messages: int = 0  # messages of the conversation with HR forgotten


async def _forget_outbox(session: AsyncSession, application_ids: list[int]) -> int:
    """Pending messages about these applications are dropped; delivered ones keep only
    their delivery record (payload and error emptied)."""
    if not application_ids:
        return 0
    dropped = await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.application_id.in_(application_ids),
            OutboxMessage.delivered_at.is_(None),
        )
    )
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.application_id.in_(application_ids))
        .values(payload={}, last_error=None)
    )
    return int(getattr(dropped, "rowcount", 0) or 0)


async def _forget_bookings(session: AsyncSession, application_ids: list[int]) -> int:
    """The applications' bookings and stage results are deleted (the funnel events keep
    the counts; pending reminders go with the outbox rows of the applications); the places
    their active bookings held are freed. The number of bookings deleted."""
    if not application_ids:
        return 0
    held = (
        await session.execute(
            select(Booking.slot_id).where(
                Booking.application_id.in_(application_ids),
                Booking.status.in_([s.value for s in ACTIVE_BOOKING_STATUSES]),
            )
        )
    ).scalars()
    for slot_id in list(held):
        await session.execute(
            update(Slot).where(Slot.id == slot_id, Slot.booked > 0).values(booked=Slot.booked - 1)
        )
    await session.execute(
        delete(StageResult).where(StageResult.application_id.in_(application_ids))
    )
    deleted = await session.execute(
        delete(Booking).where(Booking.application_id.in_(application_ids))
    )
    await session.execute(
        update(Application)
        .where(Application.id.in_(application_ids))
        .values(awaiting_slot_since=None)
    )
    return int(getattr(deleted, "rowcount", 0) or 0)


async def _anonymize(session: AsyncSession, application_ids: list[int], now: datetime) -> None:
    if application_ids:
        await session.execute(
            update(Application)
            .where(Application.id.in_(application_ids))
            .values(**PERSONAL_FIELDS, anonymized_at=now, updated_at=now)
        )


def is_users_fsm_key(key: str, user_id: int) -> bool:
    """aiogram's DefaultKeyBuilder(with_destiny=True) keys: ``fsm:<chat>[:<thread>]:<user>:
    <destiny>`` (optionally with a bot id or business connection after the prefix). Any
    key naming the person as the chat or the user is theirs."""
    parts = key.split(":")
    return str(user_id) in parts[1:-1]


async def _forget_fsm(session: AsyncSession, user_id: int) -> list[str]:
    pattern = f"%:{user_id}:%"
    keys = (
        await session.execute(select(FsmRecord.key).where(FsmRecord.key.like(pattern)))
    ).scalars()
    theirs = [key for key in keys if is_users_fsm_key(key, user_id)]
    if theirs:
        await session.execute(delete(FsmRecord).where(FsmRecord.key.in_(theirs)))
    return theirs


async def delete_me(
    session: AsyncSession, user_id: int, *, now: datetime | None = None
) -> ErasureReport:
    """Erase every piece of the person's personal data, in one transaction; commits.

    Applications are anonymized (personal fields and answers emptied, ``user_id`` NULL);
    their bookings (places freed) and stage results are deleted; their topics and the
    copies in the HR chat are queued for deletion and their conversation rows deleted;
    consents, the user row, conversation state, the announcement subscription and
    broadcast deliveries to the person are deleted; funnel events lose the person's id;
    pending outbox messages about their applications are dropped.
    """
    now = now or datetime.now(UTC)
    # First: a submit under way finishes before (and its application is found below) or
    # waits and then finds its consent gone.
    await lock_person(session, user_id)
    application_ids = list(
        (
            await session.execute(select(Application.id).where(Application.user_id == user_id))
        ).scalars()
    )
    dropped = await _forget_outbox(session, application_ids)
    booked = await _forget_bookings(session, application_ids)
    # The topics and the copies in the HR chat are deleted through the outbox.
    relayed = await conversation.forget(session, application_ids, now)
    await _anonymize(session, application_ids, now)
    # HR's cards of these applications are replaced by anonymized ones (a no-op where no
    # card was delivered; covers a summary being sent right now, too).
    for application_id in application_ids:
        outbox.enqueue(session, outbox.HR_DELETED, application_id, now=now)
    # Applications of other people never point at this person's consents, but be sure.
    await session.execute(
        update(Application)
        .where(Application.consent_id.in_(select(Consent.id).where(Consent.user_id == user_id)))
        .values(consent_id=None)
    )
    consents = await session.execute(delete(Consent).where(Consent.user_id == user_id))
    events = await session.execute(
        update(FunnelEvent).where(FunnelEvent.user_id == user_id).values(user_id=None)
    )
    await session.execute(delete(User).where(User.id == user_id))
    # Vacancy announcements: the subscription, and the person as a broadcast recipient
    # (the broadcasts' totals stay).
    await session.execute(delete(Subscription).where(Subscription.user_id == user_id))
    await session.execute(delete(BroadcastDelivery).where(BroadcastDelivery.chat_id == user_id))
    await sources.forget(session, user_id)  # where they came from
    await nudges.forget(session, user_id)  # reminders queued for them, not about applications
    fsm = await _forget_fsm(session, user_id)
    await session.commit()
    report = ErasureReport(
        applications=len(application_ids),
        consents=int(getattr(consents, "rowcount", 0) or 0),
        funnel_events=int(getattr(events, "rowcount", 0) or 0),
        outbox_messages=dropped,
        fsm_keys=tuple(fsm),
        bookings=booked,
        relayed_messages=relayed,
    )
    log.info(
        "Personal data erased on request: %d applications, %d consents, %d funnel events, "
        "%d conversation states, %d pending messages",
        report.applications,
        report.consents,
        report.funnel_events,
        len(report.fsm_keys),
        report.outbox_messages,
    )
    return report


# --------------------------------------------------------------------------- retention


async def anonymize_older_than(session: AsyncSession, days: int, now: datetime) -> int:
    """Anonymize applications created more than ``days`` before ``now`` (their bookings,
    stage results and conversation with HR deleted); commits.

    Returns how many were anonymized (already anonymized ones are not counted again).
    """
    cutoff = now - timedelta(days=days)
    found = (
        await session.execute(
            select(Application.id, Application.hr_message_id).where(
                Application.created_at < cutoff, Application.anonymized_at.is_(None)
            )
        )
    ).all()
    application_ids = [application_id for application_id, _ in found]
    await _forget_outbox(session, application_ids)
    await _forget_bookings(session, application_ids)
    await conversation.forget(session, application_ids, now)
    await _anonymize(session, application_ids, now)
    for application_id, hr_message_id in found:
        if hr_message_id is not None:  # a card in the HR chat to anonymize
            outbox.enqueue(session, outbox.HR_DELETED, application_id, now=now)
    await session.commit()
    if application_ids:
        log.info("Retention: %d applications anonymized", len(application_ids))
    return len(application_ids)


# --------------------------------------------------------------------------- the files

# The tables that hold personal data (or ids of people) until an erasure or retention.
PERSONAL_TABLES = (
    "applications",
    "consents",
    "users",
    "fsm_states",
    "outbox",
    "funnel_events",
    "subscriptions",
    "broadcast_deliveries",
    "bookings",
    "stage_results",
    "application_topics",
    "relayed_messages",
)
# How long the purge waits for a table's lock before leaving the table to the next night.
PURGE_LOCK_TIMEOUT = "2s"


async def purge_erased(engine: AsyncEngine) -> list[str]:
    """Make erased values unrecoverable from the database's own files; the tables purged.

    PostgreSQL keeps the old version of every updated or deleted row in the table's file
    until a vacuum, and a plain VACUUM only marks that space free: ``VACUUM FULL`` writes
    each table of :data:`PERSONAL_TABLES` anew and drops the old file. It locks the table
    meanwhile (milliseconds for these tables), so it runs at night, and a table whose lock
    is not obtained within :data:`PURGE_LOCK_TIMEOUT` waits for the next night.

    SQLite overwrites erased values at once (``secure_delete``, see ``bot.db.engine``);
    older page versions may remain in the write-ahead log, which is checkpointed and
    truncated here. Nothing is listed.
    """
    async with engine.connect() as connection:
        if connection.dialect.name != "postgresql":
            busy = (await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")).first()
            if busy is not None and busy[0]:
                log.warning("Purge: the write-ahead log is in use, truncated next night")
            return []
        quote = connection.dialect.identifier_preparer.quote
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        purged = []
        await autocommit.exec_driver_sql(f"SET lock_timeout = '{PURGE_LOCK_TIMEOUT}'")
        try:
            for table in PERSONAL_TABLES:
                try:
                    await autocommit.exec_driver_sql(f"VACUUM FULL {quote(table)}")
                except DBAPIError as exc:
                    log.warning("Purge: %s skipped (%s)", table, type(exc.orig).__name__)
                    continue
                purged.append(table)
        finally:
            await autocommit.exec_driver_sql("RESET lock_timeout")
    log.info("Purge: %d tables rewritten", len(purged))
    return purged
