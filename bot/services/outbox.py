"""The outbox: messages to HR and to applicants, committed with the change that caused them.

Plain Python (no aiogram); ``bot.sending.delivery`` renders and sends the rows. A row's life:

* created with ``next_attempt_at`` = now (``enqueue``, in the caller's transaction);
* **claimed** by a delivery round: ``next_attempt_at`` moves a lease ahead, so no other
  round (another coroutine or, on PostgreSQL, another process: ``FOR UPDATE SKIP
  LOCKED``) picks it up while it is being sent;
* **delivered** (``delivered_at`` set) only after Telegram accepted it;
* or **failed**: ``attempts`` + 1, ``next_attempt_at`` = now + backoff (10 s · 2^(n-1),
  at most 1 h), ``last_error`` = the error's type only (never personal data). Failures are
  retried for as long as the row's data is kept (retention anonymizes an application after
  ``RETENTION_DAYS``; then its rows give up): a long HR-chat outage delays the summaries,
  it never loses them. Only when retrying is pointless (the applicant blocked the bot, their
  data was deleted) the row **gives up**: ``delivered_at`` stays NULL, ``attempts`` =
  :data:`GAVE_UP` and ``last_error`` starts with ``failed:``.
* at start-up (:func:`resume`) every waiting row is due at once: a row claimed by a
  process that died mid-request is retried now, not when its lease ends.

While messages to HR wait longer than the outage threshold (``HR_OUTAGE_ALERT_MINUTES``,
15 by default), :func:`outage_alerts` enqueues an ``admin_alert`` to every admin, at most
once an hour.

Kinds and payloads:

* ``hr_summary`` — ``application_id``; payload ``{}``. To ``settings.hr_chat_id``: first a
  placeholder without personal data, whose message id is stored on the application
  (``hr_chat_id``, ``hr_message_id``) at once; then the placeholder is edited into the
  summary with the decision buttons (an edit can be repeated, a send cannot: a send whose
  answer was lost to a timeout or a crash costs at most a second placeholder, never a
  second card with the applicant's data); then the CV as a reply to it, its message id
  stored too (``hr_cv_message_id``).
* ``hr_withdrawn`` — ``application_id``; payload ``{}``. Waits for the application's
  summary; then the card is updated (no buttons) and a notice is sent as a reply to it.
* ``hr_deleted`` — ``application_id``; payload ``{}``. After the applicant's data was
  erased: the CV message (``hr_cv_message_id``; its file name may carry the name) is
  deleted — where Telegram refuses (a group message older than 48 h, the bot no admin)
  the file is replaced by a note, or at least the caption is — and the card is replaced
  by the anonymized one (no buttons). Also queued by a summary that learns, after
  sending, that the data was erased meanwhile.
* ``hr_conversation_deleted`` — ``application_id``; payload ``{"chat_id", "thread_id": int |
  null, "messages": [message ids]}`` (ids only: the rows they came from are deleted at
  once). After an erasure or at the end of retention (``bot.services.conversation.forget``):
  the application's forum topic is deleted (where Telegram refuses, it is closed) and the
  copies of the candidate's messages the bot made in that chat are deleted (those Telegram
  no longer lets delete are left). Sent by ``bot.sending.topics``.
* ``admin_alert`` — no application; payload ``{"admin_id": <Telegram id>, "waiting":
  <rows for HR>, "minutes": <age of the oldest>, "error": <its last error type>}``. To the
  admin's private chat, in ``HR_LOCALE``.
* ``applicant_status`` — ``application_id``; payload ``{"status": "shortlisted" |
  "invited" | "rejected", "reason": <reject reason> | null, "decided_by": <HR user id>,
  "decided_by_name": <HR name>, "decided_at": <ISO time>}``. To the applicant, in their
  language (``application.language``).

After «Invite» (``bot.services.bookings``; ``application_id`` set, ``booking_id`` set where a
booking is named). To the candidate, in ``application.language``, unless said otherwise:

* ``booking_offer`` — payload ``{"stage_id", "reason": "invited" | "passed" |
  "slots_opened" | "slot_cancelled"}``: «choose a time for <stage>», the open slots of the
  application's current stage (``bookings.open_slots``, read at sending time) as buttons.
  Skip it when the application has left that stage or already holds an active booking.
* ``booking_no_slots`` — payload ``{"stage_id"}``: «no free time for <stage> now; you will
  get a choice as soon as HR open slots» (a ``booking_offer`` follows when they do).
* ``booking_confirmed`` — ``booking_id``; payload ``{"rescheduled": bool}``: the date and
  time (Asia/Almaty), the place (address, map point) or the online link, the stage's
  checklist, the reschedule deadline; with the ``.ics`` file (``bookings.calendar_file``).
* ``booking_reminder`` — ``booking_id``, ``not_before`` = when; payload ``{"reminder":
  "24h" | "2h", "ask_confirm": bool}``: «tomorrow / in 2 hours: <stage>, <time>, <place>»
  with ✅ confirm (when ``ask_confirm`` and not confirmed yet), 🔁 reschedule (while
  ``bookings.can_reschedule``) and ✖ cancel. Deleted when the booking ends; still, send
  it only if ``bookings.reminder_due`` says the booking is active.
* ``booking_cancelled`` — ``booking_id``; payload ``{"reason": "slot_cancelled" |
  "rejected"}``: «your <stage> at <time> is cancelled by HR» (a new ``booking_offer`` or
  ``booking_no_slots`` follows for ``slot_cancelled``).
* ``stage_result`` — payload ``{"stage_id", "result": "passed" | "failed" | "no_show",
  "next_stage_id": int | null, "decided_by", "decided_at"}``: the stage's result; passed
  with a next stage: «next: <stage>» (its ``booking_offer`` follows); passed the last one:
  «HR will tell you the decision»; failed / no_show: the end of this application.
* ``applicant_hired`` — payload ``{"start_date": ISO date, "decided_by", "decided_at"}``:
  «you are hired, your first day is <date>».

To ``settings.hr_chat_id``, in ``HR_LOCALE`` (HR kinds):

* ``hr_no_slots`` — payload ``{"stage_id"}``: «<candidate> waits for a slot of <stage>: none
  is free» (as a reply to the application's card).
* ``hr_stage_event`` — ``booking_id`` where one is named; payload ``{"event": "booked" |
  "rescheduled" | "confirmed" | "cancelled" | "result" | "hired" | "rejected", "stage_id",
  "by"}``: update
  the card in place (its current stage) and note the event as a reply (or in the topic).

Nobody waits in silence (``bot.services.nudges``; each row at most once: ``dedup_key``):

* ``hr_digest`` — no application; ``dedup_key`` ``hr-digest:<local date>``; payload
  ``{"application_ids": [...]}``: to ``settings.hr_chat_id`` in ``HR_LOCALE``, the
  applications with no decision after 48 h (those decided meanwhile are left out at
  sending time; none left: nothing is sent).
* ``review_notice`` — ``application_id``; ``dedup_key`` ``review:<application id>``;
  payload ``{}``: «your application is still under review» to the candidate, once, if the
  application still has no decision; never in the quiet hours (waits for their end).
* ``dropoff_reminder`` — no application; ``dedup_key`` ``dropoff:<Telegram id>`` (one per
  person, whichever flow; deleted by /delete_me); payload ``{"user_id", "position",
  "token", "step", "total"}``: in the person's chosen language, «you stopped at question
  <step> of <total>» with Continue and «Not interested», only while that questionnaire
  (``token``) is still where it was left; or, for an application form left, ``{"user_id",
  "flow": "form", "position", "intent", "step", "remaining"}``: «you did not finish your
  application for <position>: <remaining> steps left», only while that form (its dialog
  ``intent``) is still where it was left. At a daytime hour (``NUDGE_HOURS``), never in
  the quiet hours.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Application, OutboxMessage

log = logging.getLogger(__name__)

HR_SUMMARY = "hr_summary"
HR_WITHDRAWN = "hr_withdrawn"
HR_DELETED = "hr_deleted"
HR_CONVERSATION_DELETED = "hr_conversation_deleted"
APPLICANT_STATUS = "applicant_status"
ADMIN_ALERT = "admin_alert"
# After «Invite» (bot.services.bookings).
BOOKING_OFFER = "booking_offer"
BOOKING_NO_SLOTS = "booking_no_slots"
BOOKING_CONFIRMED = "booking_confirmed"
BOOKING_REMINDER = "booking_reminder"
BOOKING_CANCELLED = "booking_cancelled"
STAGE_RESULT = "stage_result"
APPLICANT_HIRED = "applicant_hired"
HR_NO_SLOTS = "hr_no_slots"
HR_STAGE_EVENT = "hr_stage_event"
BOOKING_KINDS: frozenset[str] = frozenset(
    {
        BOOKING_OFFER,
        BOOKING_NO_SLOTS,
        BOOKING_CONFIRMED,
        BOOKING_REMINDER,
        BOOKING_CANCELLED,
        STAGE_RESULT,
        APPLICANT_HIRED,
    }
)
# Nobody waits in silence (bot.services.nudges).
HR_DIGEST = "hr_digest"
REVIEW_NOTICE = "review_notice"
DROPOFF_REMINDER = "dropoff_reminder"
NUDGE_KINDS: frozenset[str] = frozenset({HR_DIGEST, REVIEW_NOTICE, DROPOFF_REMINDER})
HR_KINDS: frozenset[str] = frozenset(
    {
        HR_SUMMARY,
        HR_WITHDRAWN,
        HR_DELETED,
        HR_NO_SLOTS,
        HR_STAGE_EVENT,
        HR_CONVERSATION_DELETED,
        HR_DIGEST,
    }
)
KINDS: frozenset[str] = HR_KINDS | {APPLICANT_STATUS, ADMIN_ALERT} | BOOKING_KINDS | NUDGE_KINDS

# ``attempts`` of a row that gave up (no failure count ever gets there: at most one
# attempt an hour).
GAVE_UP = 1_000_000
ALERT_EVERY = timedelta(hours=1)
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
    not_before: datetime | None = None,
    booking_id: int | None = None,
) -> OutboxMessage:
    """Add a row to the caller's transaction (the caller commits).

    ``not_before``: the row is not claimed before then (a reminder), whatever
    ``next_attempt_at`` becomes through retries or :func:`resume`."""
    if kind not in KINDS:
        raise ValueError(f"unknown outbox kind: {kind}")
    now = now or datetime.now(UTC)
    row = OutboxMessage(
        kind=kind,
        application_id=application_id,
        payload=payload or {},
        next_attempt_at=max(now, not_before) if not_before is not None else now,
        not_before=not_before,
        booking_id=booking_id,
    )
    session.add(row)
    return row


async def enqueue_once(
    session: AsyncSession,
    kind: str,
    application_id: int | None,
    dedup_key: str,
    payload: dict[str, Any] | None = None,
    *,
    now: datetime | None = None,
    not_before: datetime | None = None,
    booking_id: int | None = None,
) -> bool:
    """Add a row unless a row with ``dedup_key`` exists (delivered or not): one statement
    (``INSERT … ON CONFLICT DO NOTHING``), so a retried or concurrent caller never queues it
    twice. Whether it was added; in the caller's transaction."""
    if kind not in KINDS:
        raise ValueError(f"unknown outbox kind: {kind}")
    now = now or datetime.now(UTC)
    insert = postgresql.insert if _is_postgres(session) else sqlite.insert
    statement = (
        insert(OutboxMessage)
        .values(
            kind=kind,
            application_id=application_id,
            payload=payload or {},
            attempts=0,
            next_attempt_at=max(now, not_before) if not_before is not None else now,
            not_before=not_before,
            booking_id=booking_id,
            dedup_key=dedup_key,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=[OutboxMessage.dedup_key])
    )
    result = await session.execute(statement)
    return bool(getattr(result, "rowcount", 0))


def is_due(now: datetime) -> ColumnElement[bool]:
    """Rows whose ``not_before`` (if any) has come."""
    return or_(OutboxMessage.not_before.is_(None), OutboxMessage.not_before <= now)


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
                OutboxMessage.attempts < GAVE_UP,
                OutboxMessage.next_attempt_at <= now,
                is_due(now),
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
            OutboxMessage.attempts < GAVE_UP,
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
) -> tuple[int, datetime]:
    """Count a failed attempt; (attempts, next attempt time)."""
    row = await session.get(OutboxMessage, row_id, populate_existing=True)
    attempts = (row.attempts if row is not None else 0) + 1
    next_at = now + backoff(attempts)
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, OutboxMessage.attempts < GAVE_UP)
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
        .values(attempts=GAVE_UP, last_error=(FAILED + reason)[:MAX_ERROR])
        .execution_options(synchronize_session=False)
    )
    await session.commit()


async def set_hr_message(
    session: AsyncSession, application_id: int, chat_id: int, message_id: int | None
) -> None:
    """Where the summary landed, to update it in place later."""
    await session.execute(
        update(Application)
        .where(Application.id == application_id)
        .values(hr_chat_id=chat_id, hr_message_id=message_id)
        .execution_options(synchronize_session=False)
    )
    await session.commit()


async def set_hr_cv_message(
    session: AsyncSession, application_id: int, message_id: int | None
) -> None:
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
    return row.delivered_at is None and row.attempts >= GAVE_UP


def _waiting() -> list[ColumnElement[bool]]:
    return [OutboxMessage.delivered_at.is_(None), OutboxMessage.attempts < GAVE_UP]


async def resume(session_factory: async_sessionmaker[AsyncSession], now: datetime) -> int:
    """At start-up: every waiting row is due now (a lease of a dead process, a backoff);
    the number of rows made due. Rows whose ``not_before`` is still ahead (reminders)
    keep their time."""
    async with session_factory() as session:
        result = await session.execute(
            update(OutboxMessage)
            .where(*_waiting(), OutboxMessage.next_attempt_at > now, is_due(now))
            .values(next_attempt_at=now)
            .execution_options(synchronize_session=False)
        )
        await session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True, slots=True)
class Backlog:
    """Messages to HR not delivered yet."""

    waiting: int
    oldest_at: datetime | None  # when the oldest of them was created
    failing: int  # how many of them failed at least once
    last_error: str | None  # the oldest failing row's last error type

    def minutes(self, now: datetime) -> int:
        if self.oldest_at is None:
            return 0
        return max(int((now - utc(self.oldest_at)).total_seconds() // 60), 0)


async def hr_backlog(session: AsyncSession) -> Backlog:
    waiting = and_(*_waiting(), OutboxMessage.kind.in_(sorted(HR_KINDS)))
    count, oldest, failing = (
        await session.execute(
            select(
                func.count(),
                func.min(OutboxMessage.created_at),
                func.count(case((OutboxMessage.attempts > 0, 1))),
            ).where(waiting)
        )
    ).one()
    error = await session.scalar(
        select(OutboxMessage.last_error)
        .where(waiting, OutboxMessage.attempts > 0)
        .order_by(OutboxMessage.id)
        .limit(1)
    )
    return Backlog(int(count), oldest, int(failing), error)


async def outage_alerts(
    session: AsyncSession,
    now: datetime,
    admin_ids: Sequence[int],
    threshold: timedelta,
) -> int:
    """Enqueue an ``admin_alert`` to every admin when messages to HR have been failing
    for longer than ``threshold`` and no alert went out in the last hour; commits. The
    number of alerts enqueued."""
    if not admin_ids:
        return 0
    backlog = await hr_backlog(session)
    if not backlog.failing or backlog.oldest_at is None:
        return 0
    if now - utc(backlog.oldest_at) < threshold:
        return 0
    recent = await session.scalar(
        select(OutboxMessage.id)
        .where(OutboxMessage.kind == ADMIN_ALERT, OutboxMessage.created_at > now - ALERT_EVERY)
        .limit(1)
    )
    if recent is not None:
        return 0
    payload: dict[str, Any] = {
        "waiting": backlog.waiting,
        "minutes": backlog.minutes(now),
        "error": (backlog.last_error or "").split(":")[0],
    }
    for admin_id in admin_ids:
        row = enqueue(session, ADMIN_ALERT, None, {**payload, "admin_id": admin_id}, now=now)
        row.created_at = now
    await session.commit()
    log.warning(
        "%d messages to HR wait for %d min: admins alerted", backlog.waiting, payload["minutes"]
    )
    return len(admin_ids)


async def rows(session: AsyncSession, kinds: Sequence[str] | None = None) -> list[OutboxMessage]:
    """All rows (of some kinds), oldest first: for tests and diagnostics."""
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kinds is not None:
        query = query.where(OutboxMessage.kind.in_(list(kinds)))
    return list(await session.scalars(query))
