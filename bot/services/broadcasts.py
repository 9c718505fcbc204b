"""Broadcasts in the database: plain Python, no aiogram (``bot.sending.engine`` sends).

A broadcast's life::

    draft ──(schedule)──> scheduled ──┐
      │                               ├──(materialize)──> sending ──(engine)──> done
      └───────────────────────────────┘
    draft / scheduled ──(cancel)──> cancelled

* :func:`message_content` is what one broadcast sends: a text, or a photo whose caption is
  the text (at most 1024 characters, checked here for every way of composing one).
* :func:`create_broadcast` writes the texts (both languages), the audience (``departments``;
  ``None`` = every subscriber) and an optional position for the «open the position» button.
* :func:`materialize` writes, in ONE transaction, one ``BroadcastDelivery`` row per current
  recipient (``INSERT ... SELECT ... ON CONFLICT DO NOTHING``: running it again adds nobody
  twice), sets ``total``, ``started_at`` and status ``sending``. From here on the rows are
  the durable to-do list: the engine marks a row ``sent`` only after Telegram accepted the
  message, so a restart continues with the ``pending`` rows.
* A row ends ``sent``, ``unsubscribed`` (the person blocked the bot / the chat is gone: the
  subscription is deleted in the same transaction) or ``failed`` (retries exhausted;
  ``last_error`` is a short reason without personal data).
* ``broadcasts.sent_count`` counts ``sent`` rows, ``failed_count`` counts rows that were
  not delivered (``failed`` + ``unsubscribed``); while sending they are updated about once
  a second, at the end recounted from the rows; :func:`counts` has the exact breakdown.
* One process sends a broadcast (``BroadcastRunner``): two bot processes resuming the
  same broadcast at once would each send the pending rows.

Recipients: subscribers whose ``departments`` is NULL (all departments) or shares a
department with the broadcast's ``departments`` (a broadcast without departments goes to
every subscriber); the language is ``users.language``, ``ru`` when unknown.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, bindparam, delete, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.db.models import (
    Broadcast,
    BroadcastDelivery,
    BroadcastStatus,
    BroadcastTally,
    DeliveryStatus,
    Subscription,
    User,
)
from bot.services.validation import CAPTION_LIMIT, TELEGRAM_TEXT_LIMIT, telegram_length

__all__ = [
    "DELIVERY_RETENTION_DAYS",
    "KINDS",
    "MAX_REASON",
    "PHOTO_LIMIT",
    "STARTABLE",
    "BroadcastStateError",
    "CaptionTooLong",
    "Content",
    "DeliveryCounts",
    "Failure",
    "ProgressTarget",
    "Recipient",
    "TextRefused",
    "apply_outcomes",
    "audience_count",
    "cancel",
    "checked_text",
    "compact_deliveries",
    "counts",
    "create_broadcast",
    "finish",
    "get_broadcast",
    "list_broadcasts",
    "materialize",
    "message_content",
    "pending_page",
    "photo_too_big",
    "progress_target",
    "requeue_failed",
    "sending_ids",
    "set_progress_message",
    "sync_counters",
    "unsubscribe",
    "visible_length",
]

KINDS: frozenset[str] = frozenset({"manual", "vacancy", "digest"})
STARTABLE: frozenset[str] = frozenset(
    {BroadcastStatus.draft, BroadcastStatus.scheduled, BroadcastStatus.sending}
)
MAX_REASON = 120  # last_error is a short reason: the error class and Telegram's description
_CHUNK = 500  # ids per UPDATE ... WHERE id IN (...): well under every driver's limit


class BroadcastStateError(Exception):
    """The broadcast does not exist or can no longer be sent (done or cancelled)."""


class CaptionTooLong(ValueError):
    """A text too long to be a photo's caption; ``length`` is the longer version's."""

    def __init__(self, length: int) -> None:
        super().__init__(f"caption of {length} characters (at most {CAPTION_LIMIT})")
        self.length = length


@dataclass(frozen=True, slots=True)
class Content:
    """What a broadcast sends (HTML texts): with a photo each text is its caption."""

    text_kk: str
    text_ru: str
    photo_file_id: str | None = None


PHOTO_LIMIT = 10 * 1024 * 1024  # Telegram sends photos up to 10 MB


class TextRefused(ValueError):
    """A typed text a broadcast cannot carry: ``code`` is ``empty`` or ``too_long``
    (``length`` characters, at most ``limit``)."""

    def __init__(self, code: str, length: int = 0, limit: int = TELEGRAM_TEXT_LIMIT) -> None:
        super().__init__(code)
        self.code, self.length, self.limit = code, length, limit


def checked_text(plain: str) -> str:
    """A text as typed (before its formatting becomes HTML) that a broadcast can carry;
    :class:`TextRefused` when it is blank or longer than one Telegram message."""
    if not plain.strip():
        raise TextRefused("empty")
    length = telegram_length(plain)
    if length > TELEGRAM_TEXT_LIMIT:
        raise TextRefused("too_long", length)
    return plain


def photo_too_big(size: int | None) -> bool:
    """A photo of ``size`` bytes (unknown: fine) that Telegram would not send."""
    return size is not None and size > PHOTO_LIMIT


_TAG = re.compile(r"<[^>]*>")


def visible_length(html_text: str) -> int:
    """The length Telegram counts for an HTML text: without the tags, entities as one."""
    return telegram_length(html.unescape(_TAG.sub("", html_text)))


def message_content(text_kk: str, text_ru: str, photo_file_id: str | None) -> Content:
    """The texts and the photo as one broadcast sends them; every way of combining a text
    with a photo (the composer's steps, its preview, :func:`create_broadcast`) goes here.

    Raises :class:`CaptionTooLong` when there is a photo and a text over the caption limit.
    """
    if photo_file_id:
        longest = max(visible_length(text_kk), visible_length(text_ru))
        if longest > CAPTION_LIMIT:
            raise CaptionTooLong(longest)
    return Content(text_kk=text_kk, text_ru=text_ru, photo_file_id=photo_file_id or None)


class Recipient(NamedTuple):
    """One pending delivery row, as the engine needs it (no ORM object per message)."""

    id: int
    chat_id: int
    language: str
    attempts: int


@dataclass(frozen=True, slots=True)
class Failure:
    """A row that gave up: ``reason`` is short and holds no personal data."""

    id: int
    attempts: int
    reason: str


@dataclass(frozen=True, slots=True)
class DeliveryCounts:
    total: int = 0
    pending: int = 0
    sent: int = 0
    failed: int = 0
    unsubscribed: int = 0

    @property
    def done(self) -> int:
        return self.sent + self.failed + self.unsubscribed


def _now() -> datetime:
    return datetime.now(UTC)


async def create_broadcast(
    session: AsyncSession,
    *,
    kind: str,
    text_kk: str,
    text_ru: str,
    photo_file_id: str | None = None,
    departments: list[str] | None = None,
    position_number: int | None = None,
    created_by: int | None = None,
    scheduled_at: datetime | None = None,
    progress_chat_id: int | None = None,
) -> Broadcast:
    """A new broadcast, committed: ``scheduled`` when ``scheduled_at`` is given, else ``draft``.

    ``departments`` ``None`` (or empty) means every subscriber. The texts are HTML as the
    bot sends them (escape user input before). Nothing is sent until :func:`materialize`
    and the engine run (``BroadcastRunner.start_now`` does both). A photo with a text over
    the caption limit raises :class:`CaptionTooLong` (:func:`message_content`).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown broadcast kind {kind!r}")
    content = message_content(text_kk, text_ru, photo_file_id)
    broadcast = Broadcast(
        kind=kind,
        status=BroadcastStatus.scheduled if scheduled_at is not None else BroadcastStatus.draft,
        created_by=created_by,
        text_kk=content.text_kk,
        text_ru=content.text_ru,
        photo_file_id=content.photo_file_id,
        departments=sorted(set(departments)) if departments else None,
        position_number=position_number,
        scheduled_at=scheduled_at,
        progress_chat_id=progress_chat_id,
        total=0,
        sent_count=0,
        failed_count=0,
    )
    session.add(broadcast)
    await session.commit()
    return broadcast


async def get_broadcast(session: AsyncSession, broadcast_id: int) -> Broadcast | None:
    return await session.get(Broadcast, broadcast_id, populate_existing=True)


async def list_broadcasts(session: AsyncSession, limit: int = 20) -> list[Broadcast]:
    """The newest broadcasts first."""
    rows = await session.scalars(
        select(Broadcast).order_by(Broadcast.id.desc()).limit(max(1, limit))
    )
    return list(rows)


def _audience_where(dialect: str, targeted: bool) -> str:
    """The recipients' condition on ``subscriptions AS s``, for SQLite or PostgreSQL.

    A subscription's ``departments`` is SQL NULL or JSON ``null`` for «all departments»
    (SQLAlchemy's JSON type stores Python ``None`` as JSON ``null``).
    """
    if dialect == "postgresql":
        all_departments = "(s.departments IS NULL OR json_typeof(s.departments) = 'null')"
        shares = (
            "(json_typeof(s.departments) = 'array' AND EXISTS ("
            "SELECT 1 FROM json_array_elements_text(s.departments) AS d(v) "
            "WHERE d.v IN (SELECT json_array_elements_text(CAST(:departments AS json)))))"
        )
    else:
        all_departments = "(s.departments IS NULL OR json_type(s.departments) = 'null')"
        shares = (
            "(json_type(s.departments) = 'array' AND EXISTS ("
            "SELECT 1 FROM json_each(s.departments) AS d "
            "WHERE d.value IN (SELECT value FROM json_each(:departments))))"
        )
    return f"({all_departments} OR {shares})" if targeted else "1 = 1"


def _audience_sql(dialect: str, targeted: bool) -> str:
    """``INSERT ... SELECT`` of the recipients, for SQLite or PostgreSQL."""
    where = _audience_where(dialect, targeted)
    # ``WHERE`` is always present: SQLite needs it before ON CONFLICT after a join.
    return (
        "INSERT INTO broadcast_deliveries (broadcast_id, chat_id, language, status, attempts) "
        "SELECT :broadcast_id, s.user_id, "
        "CASE WHEN u.language = 'kk' THEN 'kk' ELSE 'ru' END, 'pending', 0 "
        "FROM subscriptions AS s LEFT JOIN users AS u ON u.id = s.user_id "
        f"WHERE {where} "
        "ORDER BY s.user_id "
        "ON CONFLICT (broadcast_id, chat_id) DO NOTHING"
    )


async def audience_count(session: AsyncSession, departments: Sequence[str] | None) -> int:
    """How many subscribers a broadcast to ``departments`` (None or empty: everyone) would
    reach now: counted in SQL, with the very condition :func:`materialize` uses."""
    dialect = session.get_bind().dialect.name
    params: dict[str, Any] = {}
    if departments:
        params["departments"] = json.dumps(list(departments))
    where = _audience_where(dialect, bool(departments))
    query = f"SELECT count(*) FROM subscriptions AS s WHERE {where}"
    return int(await session.scalar(text(query), params) or 0)


async def materialize(session: AsyncSession, broadcast_id: int) -> int:
    """Write one delivery row per current recipient and start the broadcast; returns ``total``.

    One transaction (committed here): the broadcast moves to ``sending`` (``started_at`` set
    once) and gets ``total`` = its number of rows. Idempotent: calling it again (e.g. after
    a crash, or for a broadcast already ``sending``) adds only subscribers not there yet and
    never one twice. Raises :class:`BroadcastStateError` for a missing, ``done`` or
    ``cancelled`` broadcast.
    """
    now = _now()
    # Conditional update first: on PostgreSQL it locks the row against a concurrent cancel.
    started = await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status.in_(STARTABLE))
        .values(
            status=BroadcastStatus.sending,
            started_at=func.coalesce(Broadcast.started_at, now),
        )
        .returning(Broadcast.departments)
    )
    row = started.first()
    if row is None:
        await session.rollback()
        raise BroadcastStateError(f"broadcast {broadcast_id} cannot be sent")
    departments: list[str] | None = row[0]
    dialect = session.get_bind().dialect.name
    params: dict[str, Any] = {"broadcast_id": broadcast_id}
    if departments:
        params["departments"] = json.dumps(list(departments))
    await session.execute(text(_audience_sql(dialect, bool(departments))), params)
    total = await session.scalar(
        select(func.count())
        .select_from(BroadcastDelivery)
        .where(BroadcastDelivery.broadcast_id == broadcast_id)
    )
    await session.execute(
        update(Broadcast).where(Broadcast.id == broadcast_id).values(total=int(total or 0))
    )
    await session.commit()
    return int(total or 0)


async def cancel(session: AsyncSession, broadcast_id: int) -> bool:
    """Cancel a ``draft`` or ``scheduled`` broadcast; False when it is sending/done/gone."""
    result = await session.execute(
        update(Broadcast)
        .where(
            Broadcast.id == broadcast_id,
            Broadcast.status.in_((BroadcastStatus.draft, BroadcastStatus.scheduled)),
        )
        .values(status=BroadcastStatus.cancelled, finished_at=_now())
        .returning(Broadcast.id)
    )
    cancelled = result.first() is not None
    await session.commit()
    return cancelled


async def unsubscribe(session: AsyncSession, user_id: int) -> bool:
    """Delete the person's subscription (committed); True when there was one.

    Pending deliveries of a running broadcast stay: they were written when the person was
    still subscribed (a blocked bot is handled by the engine anyway)."""
    result = await session.execute(
        delete(Subscription).where(Subscription.user_id == user_id).returning(Subscription.user_id)
    )
    removed = result.first() is not None
    await session.commit()
    return removed


async def sending_ids(session: AsyncSession) -> list[int]:
    """Broadcasts interrupted while sending (to resume at start-up), oldest first."""
    rows = await session.scalars(
        select(Broadcast.id)
        .where(Broadcast.status == BroadcastStatus.sending)
        .order_by(Broadcast.started_at, Broadcast.id)
    )
    return list(rows)


async def pending_page(
    session: AsyncSession, broadcast_id: int, *, after_id: int = 0, limit: int = 1000
) -> list[Recipient]:
    """The next ``pending`` rows in id order (keyset pagination on ``ix_delivery_pending``)."""
    d = BroadcastDelivery.__table__.c
    result = await session.execute(
        select(d.id, d.chat_id, d.language, d.attempts)
        .where(
            d.broadcast_id == broadcast_id,
            d.status == DeliveryStatus.pending,
            d.id > after_id,
        )
        .order_by(d.id)
        .limit(limit)
    )
    return [Recipient(int(r[0]), int(r[1]), str(r[2]), int(r[3])) for r in result]


def _chunks(values: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


_table = cast(Table, BroadcastDelivery.__table__)
_MARK_SENT = (
    update(_table)
    .where(_table.c.id.in_(bindparam("ids", expanding=True)))
    .values(status=DeliveryStatus.sent, sent_at=bindparam("now"), attempts=bindparam("n"))
)
_MARK_UNSUBSCRIBED = (
    update(_table)
    .where(_table.c.id.in_(bindparam("ids", expanding=True)))
    .values(status=DeliveryStatus.unsubscribed, last_error=bindparam("reason"))
)
_DROP_SUBSCRIPTIONS = delete(Subscription).where(
    Subscription.user_id.in_(bindparam("chat_ids", expanding=True))
)
_MARK_FAILED = (
    update(_table)
    .where(_table.c.id == bindparam("row_id"))
    .values(status=DeliveryStatus.failed, attempts=bindparam("n"), last_error=bindparam("why"))
)
_COUNT_ATTEMPT = (
    update(_table)
    .where(_table.c.id == bindparam("row_id"))
    .values(attempts=bindparam("n"), last_error=bindparam("why"))
)


async def apply_outcomes(
    db: AsyncSession | AsyncConnection,
    broadcast_id: int,
    *,
    sent: Sequence[tuple[int, int]] = (),
    unsubscribed: Sequence[tuple[int, int]] = (),
    failed: Sequence[Failure] = (),
    retried: Sequence[Failure] = (),
    counters: tuple[int, int] | None = None,
    now: datetime | None = None,
) -> None:
    """Record a batch of outcomes in ONE transaction (committed here).

    ``db`` is a session or, for the engine's hot path, a connection it keeps for the whole
    run (fewer round trips). ``sent``: ``(row id, attempts)`` Telegram accepted;
    ``unsubscribed``: ``(row id, chat id)`` of people who blocked the bot or whose chat is
    gone (their subscription is deleted too); ``failed``: rows that gave up; ``retried``:
    rows that failed an attempt and will be tried again (``attempts`` is saved, so a
    restart does not start the count over). ``counters``: ``(sent, not delivered)`` to add
    to the broadcast's counters (the engine adds them about once a second; :func:`finish`
    and :func:`sync_counters` recount from the rows).
    """
    now = now or _now()
    if retried:  # before the final outcomes: a row may fail an attempt and then succeed
        await db.execute(
            _COUNT_ATTEMPT,
            [{"row_id": f.id, "n": f.attempts, "why": f.reason[:MAX_REASON]} for f in retried],
        )
    by_attempts: dict[int, list[int]] = {}
    for row_id, attempts in sent:
        by_attempts.setdefault(attempts, []).append(row_id)
    for attempts, ids in by_attempts.items():  # nearly always one group: the first attempt
        for chunk in _chunks(ids):
            await db.execute(_MARK_SENT, {"ids": list(chunk), "now": now, "n": attempts})
    if unsubscribed:
        for chunk in _chunks(unsubscribed):
            await db.execute(
                _MARK_UNSUBSCRIBED, {"ids": [r for r, _ in chunk], "reason": "unsubscribed"}
            )
            await db.execute(_DROP_SUBSCRIPTIONS, {"chat_ids": [c for _, c in chunk]})
    if failed:
        await db.execute(
            _MARK_FAILED,
            [{"row_id": f.id, "n": f.attempts, "why": f.reason[:MAX_REASON]} for f in failed],
        )
    if counters is not None and any(counters):
        await db.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast_id)
            .values(
                sent_count=Broadcast.sent_count + counters[0],
                failed_count=Broadcast.failed_count + counters[1],
            )
        )
    await db.commit()


async def sync_counters(session: AsyncSession, broadcast_id: int) -> DeliveryCounts:
    """Recount ``total``/``sent_count``/``failed_count`` from the rows (committed)."""
    tally = await counts(session, broadcast_id)
    await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id)
        .values(
            total=tally.total,
            sent_count=tally.sent,
            failed_count=tally.failed + tally.unsubscribed,
        )
    )
    await session.commit()
    return tally


async def counts(session: AsyncSession, broadcast_id: int) -> DeliveryCounts:
    """Rows per status, counted from the delivery rows (the source of truth), plus those
    compacted into ``broadcast_tallies`` (:func:`compact_deliveries`)."""
    d = BroadcastDelivery.__table__.c
    t = BroadcastTally.__table__.c
    result = await session.execute(
        select(d.status, func.count()).where(d.broadcast_id == broadcast_id).group_by(d.status)
    )
    by_status = {str(status): int(n) for status, n in result}
    for status, n in await session.execute(
        select(t.status, t.count).where(t.broadcast_id == broadcast_id)
    ):
        by_status[str(status)] = by_status.get(str(status), 0) + int(n)
    return DeliveryCounts(
        total=sum(by_status.values()),
        pending=by_status.get(DeliveryStatus.pending, 0),
        sent=by_status.get(DeliveryStatus.sent, 0),
        failed=by_status.get(DeliveryStatus.failed, 0),
        unsubscribed=by_status.get(DeliveryStatus.unsubscribed, 0),
    )


async def finish(session: AsyncSession, broadcast_id: int) -> DeliveryCounts | None:
    """Mark a ``sending`` broadcast ``done`` when no row is pending (committed).

    The counters are recomputed from the rows. Returns the counts, or None when rows are
    still pending or the broadcast is not sending."""
    tally = await counts(session, broadcast_id)
    if tally.pending:
        await session.rollback()
        return None
    result = await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == BroadcastStatus.sending)
        .values(
            status=BroadcastStatus.done,
            finished_at=_now(),
            total=tally.total,
            sent_count=tally.sent,
            failed_count=tally.failed + tally.unsubscribed,
        )
        .returning(Broadcast.id)
    )
    done = result.first() is not None
    await session.commit()
    return tally if done else None


async def requeue_failed(session: AsyncSession, broadcast_id: int) -> int:
    """Put the ``failed`` rows of a broadcast back to ``pending`` (attempts reset) and the
    broadcast back to ``sending``, for HR's «retry the failed ones»; returns how many.
    Run the engine afterwards (``BroadcastRunner.resume``)."""
    result = await session.execute(
        update(BroadcastDelivery)
        .where(
            BroadcastDelivery.broadcast_id == broadcast_id,
            BroadcastDelivery.status == DeliveryStatus.failed,
        )
        .values(status=DeliveryStatus.pending, attempts=0, last_error=None)
    )
    requeued = int(getattr(result, "rowcount", 0) or 0)
    if requeued:
        await session.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast_id)
            .values(
                status=BroadcastStatus.sending,
                finished_at=None,
                failed_count=Broadcast.failed_count - requeued,
            )
        )
    await session.commit()
    return requeued


async def set_progress_message(
    session: AsyncSession, broadcast_id: int, chat_id: int, message_id: int
) -> None:
    """Remember HR's progress message (updated in place; committed)."""
    await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id)
        .values(progress_chat_id=chat_id, progress_message_id=message_id)
    )
    await session.commit()


@dataclass(frozen=True, slots=True)
class ProgressTarget:
    """Where HR's progress message of a broadcast goes, and in which language."""

    chat_id: int
    message_id: int | None
    language: str | None  # the person's chosen language when the chat is a private one


async def progress_target(session: AsyncSession, broadcast_id: int) -> ProgressTarget | None:
    broadcast = await session.get(Broadcast, broadcast_id, populate_existing=True)
    if broadcast is None or broadcast.progress_chat_id is None:
        return None
    chat_id = broadcast.progress_chat_id
    language = None
    if chat_id > 0:
        language = await session.scalar(select(User.language).where(User.id == chat_id))
    return ProgressTarget(chat_id, broadcast.progress_message_id, language)


# --------------------------------------------------------------------------- compaction

DELIVERY_RETENTION_DAYS = 30  # days a finished broadcast keeps one row per recipient


async def compact_deliveries(
    session: AsyncSession,
    *,
    days: int = DELIVERY_RETENTION_DAYS,
    now: datetime | None = None,
) -> int:
    """Delivery rows of broadcasts finished (``done`` or ``cancelled``) more than ``days``
    ago become counts per status in ``broadcast_tallies``; returns how many rows went.

    One transaction per broadcast (committed): the tallies are added and the rows deleted
    together, so :func:`counts` (and HR's figures) never change. After that the broadcast
    has no per-recipient detail: «retry the failed ones» finds none to retry.
    """
    cutoff = (now or _now()) - timedelta(days=days)
    d = BroadcastDelivery.__table__.c
    finished = list(
        await session.scalars(
            select(Broadcast.id)
            .where(
                Broadcast.status.in_((BroadcastStatus.done, BroadcastStatus.cancelled)),
                Broadcast.finished_at < cutoff,
                select(d.id).where(d.broadcast_id == Broadcast.id).exists(),
            )
            .order_by(Broadcast.id)
        )
    )
    await session.commit()
    removed = 0
    dialect = session.get_bind().dialect.name
    insert_ = postgresql.insert if dialect == "postgresql" else sqlite.insert
    t = cast(Table, BroadcastTally.__table__)
    for broadcast_id in finished:
        tally = insert_(t).from_select(
            ["broadcast_id", "status", "count"],
            select(d.broadcast_id, d.status, func.count())
            .where(d.broadcast_id == broadcast_id)
            .group_by(d.broadcast_id, d.status),
        )
        await session.execute(
            tally.on_conflict_do_update(
                index_elements=[t.c.broadcast_id, t.c.status],
                set_={"count": t.c.count + tally.excluded.count},
            )
        )
        result = await session.execute(delete(_table).where(d.broadcast_id == broadcast_id))
        removed += int(getattr(result, "rowcount", 0) or 0)
        await session.commit()
    return removed
