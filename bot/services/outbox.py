"""The outbox: messages to HR and to applicants, committed with the change that caused them.

Plain Python (no aiogram); ``bot.delivery`` renders and sends the rows. A row's life:

* created with ``next_attempt_at`` = now (``enqueue``, in the caller's transaction);
* **claimed** by a delivery round: ``next_attempt_at`` moves a lease ahead, so no other
  round (another coroutine or, on PostgreSQL, another process: ``FOR UPDATE SKIP
  LOCKED``) picks it up while it is being sent;
* **delivered** (``delivered_at`` set) only after Telegram accepted it;
* or **failed**: ``attempts`` + 1, ``next_attempt_at`` = now + backoff (10 s · 2^(n-1),
  at most 1 h), ``last_error`` = the error's type only (never personal data). After
  ``MAX_ATTEMPTS`` failures, or at once when retrying is pointless (the applicant blocked
  the bot, their data was deleted), the row **gives up**: ``delivered_at`` stays NULL,
  ``attempts`` = ``MAX_ATTEMPTS`` and ``last_error`` starts with ``failed:``.

Kinds and payloads:

* ``hr_summary`` — ``application_id``; payload ``{}``. To ``settings.hr_chat_id``: the
  summary with the decision buttons, then the CV as a reply to it. Where the summary
  landed is stored on the application (``hr_chat_id``, ``hr_message_id``) at once, so a
  retry after a failed CV sends only the CV; so is the CV's message (``hr_cv_message_id``).
* ``hr_withdrawn`` — ``application_id``; payload ``{}``. Waits for the application's
  summary; then the card is updated (no buttons) and a notice is sent as a reply to it.
* ``hr_deleted`` — ``application_id``; payload ``{}``. After the applicant's data was
  erased: the CV message (``hr_cv_message_id``; its file name may carry the name) is
  deleted — where Telegram refuses (a group message older than 48 h, the bot no admin)
  the file is replaced by a note, or at least the caption is — and the card is replaced
  by the anonymized one (no buttons). Also queued by a summary that learns, after
  sending, that the data was erased meanwhile.
* ``applicant_status`` — ``application_id``; payload ``{"status": "shortlisted" |
  "invited" | "rejected", "reason": <reject reason> | null, "decided_by": <HR user id>,
  "decided_by_name": <HR name>, "decided_at": <ISO time>}``. To the applicant, in their
  language (``application.language``).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Application, OutboxMessage

log = logging.getLogger(__name__)

HR_SUMMARY = "hr_summary"
HR_WITHDRAWN = "hr_withdrawn"
HR_DELETED = "hr_deleted"
APPLICANT_STATUS = "applicant_status"
HR_KINDS: frozenset[str] = frozenset({HR_SUMMARY, HR_WITHDRAWN, HR_DELETED})
KINDS: frozenset[str] = HR_KINDS | {APPLICANT_STATUS}

MAX_ATTEMPTS = 12
BASE_DELAY = timedelta(seconds=10)
MAX_DELAY = timedelta(hours=1)
# How long a claimed row is reserved for the round sending it (longer than any request).
LEASE = timedelta(minutes=5)
FAILED = "failed: "
MAX_ERROR = 500


def utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes (stored in UTC): make them aware."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failure: 10 s, 20 s, 40 s, … at most 1 h."""
    exponent = max(attempts - 1, 0)
    if exponent >= 20:
        return MAX_DELAY
    delay: timedelta = BASE_DELAY * (2**exponent)
    return min(delay, MAX_DELAY)


def enqueue(
    session: AsyncSession,
    kind: str,
    application_id: int | None,
    payload: dict[str, Any] | None = None,
    *,
    now: datetime | None = None,
) -> OutboxMessage:
    """Add a row to the caller's transaction (the caller commits)."""
    if kind not in KINDS:
        raise ValueError(f"unknown outbox kind: {kind}")
    row = OutboxMessage(
        kind=kind,
        application_id=application_id,
        payload=payload or {},
        next_attempt_at=now or datetime.now(UTC),
    )
    session.add(row)
    return row


def _is_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


async def claim(
    session_factory: async_sessionmaker[AsyncSession],
    now: datetime,
    limit: int,
    *,
    exclude_kinds: Collection[str] = (),
) -> list[int]:
    """Reserve up to ``limit`` due rows for this round, oldest first; their ids.

    On PostgreSQL the rows are locked (``FOR UPDATE SKIP LOCKED``) while the lease is
    written, so concurrent rounds never get the same row; each reservation is also a
    conditional UPDATE (still due, not delivered), so a row is never claimed twice.
    """
    async with session_factory() as session:
        query = (
            select(OutboxMessage.id)
            .where(
                OutboxMessage.delivered_at.is_(None),
                OutboxMessage.attempts < MAX_ATTEMPTS,
                OutboxMessage.next_attempt_at <= now,
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        if exclude_kinds:
            query = query.where(OutboxMessage.kind.not_in(list(exclude_kinds)))
        if _is_postgres(session):
            query = query.with_for_update(skip_locked=True)
        ids = list(await session.scalars(query))
        claimed = []
        for row_id in ids:
            result = await session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id == row_id,
                    OutboxMessage.delivered_at.is_(None),
                    OutboxMessage.next_attempt_at <= now,
                )
                .values(next_attempt_at=now + LEASE)
                .execution_options(synchronize_session=False)
            )
            if getattr(result, "rowcount", 0) == 1:
                claimed.append(row_id)
        await session.commit()
        return claimed


@dataclass(slots=True)
class Work:
    """One claimed row and its application (None when gone)."""

    row: OutboxMessage
    application: Application | None


async def load(session: AsyncSession, row_id: int) -> Work | None:
    row = await session.get(OutboxMessage, row_id, populate_existing=True)
    if row is None:
        return None
    application = None
    if row.application_id is not None:
        application = await session.get(Application, row.application_id, populate_existing=True)
    return Work(row, application)


async def pending_summary(session: AsyncSession, application_id: int) -> bool:
    """Whether the application's HR summary still waits to be delivered (and may be)."""
    found = await session.scalar(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.application_id == application_id,
            OutboxMessage.kind == HR_SUMMARY,
            OutboxMessage.delivered_at.is_(None),
            OutboxMessage.attempts < MAX_ATTEMPTS,
        )
        .limit(1)
    )
    return found is not None


async def mark_delivered(session: AsyncSession, row_id: int, now: datetime) -> None:
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id)
        .values(delivered_at=now, last_error=None)
        .execution_options(synchronize_session=False)
    )
    await session.commit()


async def save_payload(session: AsyncSession, row_id: int, payload: dict[str, Any]) -> None:
    """Record progress of a row sent in steps (e.g. the CV after the summary)."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id)
        .values(payload=dict(payload))
        .execution_options(synchronize_session=False)
    )
    await session.commit()


async def mark_failed(
    session: AsyncSession, row_id: int, now: datetime, error: str
) -> tuple[int, datetime | None]:
    """Count a failed attempt; (attempts, next attempt time or None when given up)."""
    row = await session.get(OutboxMessage, row_id, populate_existing=True)
    if row is None:
        return MAX_ATTEMPTS, None
    attempts = row.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        await give_up(session, row_id, error)
        return MAX_ATTEMPTS, None
    next_at = now + backoff(attempts)
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id)
        .values(attempts=attempts, next_attempt_at=next_at, last_error=error[:MAX_ERROR])
        .execution_options(synchronize_session=False)
    )
    await session.commit()
    return attempts, next_at


async def postpone(
    session: AsyncSession, row_id: int, until: datetime, note: str | None = None
) -> None:
    """Try again at ``until`` without counting an attempt (flood control, waiting)."""
    values: dict[str, Any] = {"next_attempt_at": until}
    if note is not None:
        values["last_error"] = note[:MAX_ERROR]
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    await session.commit()


async def give_up(session: AsyncSession, row_id: int, reason: str) -> None:
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id)
        .values(attempts=MAX_ATTEMPTS, last_error=(FAILED + reason)[:MAX_ERROR])
        .execution_options(synchronize_session=False)
    )
    await session.commit()


async def set_hr_message(
    session: AsyncSession, application_id: int, chat_id: int, message_id: int
) -> None:
    """Where the summary landed, to update it in place later."""
    await session.execute(
        update(Application)
        .where(Application.id == application_id)
        .values(hr_chat_id=chat_id, hr_message_id=message_id)
        .execution_options(synchronize_session=False)
    )
    await session.commit()


async def set_hr_cv_message(session: AsyncSession, application_id: int, message_id: int) -> None:
    """Where the CV landed (a reply to the summary), to delete it on erasure."""
    await session.execute(
        update(Application)
        .where(Application.id == application_id)
        .values(hr_cv_message_id=message_id)
        .execution_options(synchronize_session=False)
    )
    await session.commit()


async def is_erased(session: AsyncSession, application_id: int) -> bool:
    """Whether the application's personal data was erased (read afresh from the database)."""
    anonymized = await session.scalar(
        select(Application.anonymized_at).where(Application.id == application_id)
    )
    return anonymized is not None


def is_given_up(row: OutboxMessage) -> bool:
    return row.delivered_at is None and row.attempts >= MAX_ATTEMPTS


async def rows(session: AsyncSession, kinds: Sequence[str] | None = None) -> list[OutboxMessage]:
    """All rows (of some kinds), oldest first: for tests and diagnostics."""
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kinds is not None:
        query = query.where(OutboxMessage.kind.in_(list(kinds)))
    return list(await session.scalars(query))
