"""SQLAlchemy 2 typed models. Every schema change is an Alembic migration in bot/migrations."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class User(Base):
    """A person who talked to the bot: only the Telegram id and the chosen language."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    language: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class FsmRecord(Base):
    """aiogram FSM state and data of one storage key, so a restart loses no conversation."""

    __tablename__ = "fsm_states"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(255))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Consent(Base):
    """Consent to the processing of personal data (Law of the RK No. 94-V), per text version."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    version: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(2))
    given_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApplicationStatus(StrEnum):
    new = "new"
    shortlisted = "shortlisted"
    invited = "invited"
    rejected = "rejected"
    withdrawn = "withdrawn"


OPEN_STATUSES = (ApplicationStatus.new, ApplicationStatus.shortlisted, ApplicationStatus.invited)


class Application(Base):
    """An application to one position. Personal fields are emptied on deletion/retention."""

    __tablename__ = "applications"
    __table_args__ = (
        # The export's keyset pagination (oldest first) and its period filter.
        Index("ix_applications_created_id", "created_at", "id"),
        # One open application per person and position.
        Index(
            "uq_open_application",
            "user_id",
            "position_number",
            unique=True,
            sqlite_where=text("status IN ('new', 'shortlisted', 'invited')"),
            postgresql_where=text("status IN ('new', 'shortlisted', 'invited')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    position_number: Mapped[int] = mapped_column(Integer, index=True)
    department: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default=ApplicationStatus.new, index=True)
    verdict: Mapped[str] = mapped_column(String(16))
    # The answers and each criterion's status, as the applicant was screened.
    screening: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    language: Mapped[str] = mapped_column(String(2))
    consent_id: Mapped[int | None] = mapped_column(ForeignKey("consents.id", ondelete="SET NULL"))
    full_name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    username: Mapped[str | None] = mapped_column(String(64))
    cv_file_id: Mapped[str | None] = mapped_column(String(256))
    cv_file_name: Mapped[str | None] = mapped_column(String(256))
    cv_mime_type: Mapped[str | None] = mapped_column(String(128))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reject_reason: Mapped[str | None] = mapped_column(String(32))
    # Where the HR summary was delivered, to update it in place, and the CV sent as a
    # reply to it (deleted when the applicant's data is erased: its file name may carry
    # the name).
    hr_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    hr_message_id: Mapped[int | None] = mapped_column(Integer)
    hr_cv_message_id: Mapped[int | None] = mapped_column(Integer)
    anonymized_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The pipeline after «Invite» (bot.services.bookings): when it started; the stage the
    # candidate is at (a hiring_stages id; None once every stage is passed, or before the
    # pipeline; no foreign key: adding one would rebuild this table on SQLite); since when;
    # since when they wait for a slot (none was free when offered); how it ended.
    pipeline_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    current_stage_id: Mapped[int | None] = mapped_column(Integer, index=True)
    stage_entered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    awaiting_slot_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(16))  # PipelineOutcome
    outcome_by: Mapped[int | None] = mapped_column(BigInteger)
    outcome_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    start_date: Mapped[date | None] = mapped_column(Date)


class OutboxMessage(Base):
    """A message to deliver (to HR or an applicant), committed with the change that caused it.

    A scheduled job delivers pending rows and retries failures with backoff.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        # A row that may exist only once (a booking's reminder) carries a key.
        Index("uq_outbox_dedup", "dedup_key", unique=True),
        # SQLite: a deleted row's id is never given to a new row (migration 0004).
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Not to be sent before this moment (a reminder); None: as soon as possible. Apart from
    # ``next_attempt_at``, which failures, leases and the start-up's resume move.
    not_before: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The booking the row is about (no foreign key: its pending rows go with the booking's
    # application on erasure), and the key of a row that must exist at most once.
    booking_id: Mapped[int | None] = mapped_column(Integer, index=True)
    dedup_key: Mapped[str | None] = mapped_column(String(64))


class FunnelEvent(Base):
    """One step of the hiring funnel (started, viewed a position, applied, ...)."""

    __tablename__ = "funnel_events"
    __table_args__ = (
        Index("ix_funnel_kind_time", "kind", "created_at"),
        # Led by time: the raw events of a period (erased people's events, the checks).
        Index("ix_funnel_time", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    # Counted per person; set to NULL when the person asks for deletion (counts stay).
    user_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    position_number: Mapped[int | None] = mapped_column(Integer)
    department: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FunnelPerson(Base):
    """When a person last did a step (overall, and in each department): the rows /stats
    counts. Kept in step with ``funnel_events`` by database triggers (migration 0005).

    ``person`` is the user id, or minus the event id for an event of an erased person (such
    events count one each). ``department`` is ``""`` for the funnel over all departments.
    """

    __tablename__ = "funnel_people"
    __table_args__ = (Index("ix_funnel_people_time", "last_at"),)

    person: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    department: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FunnelDay(Base):
    """How many ``funnel_people`` rows last occurred on each (UTC) day: a period's distinct
    people are the sum over its whole days plus the rows of its first, partial day.

    The triggers append +1/-1 rows (never updating one in place: concurrent transactions
    neither queue nor deadlock on a shared counter); the nightly job folds each day's rows
    into one (``bot.services.stats.fold_days``)."""

    __tablename__ = "funnel_days"
    __table_args__ = (Index("ix_funnel_days_day", "day", "department", "kind"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(32))
    department: Mapped[str] = mapped_column(String(64))
    people: Mapped[int] = mapped_column(Integer, default=0)


class VacancyState(Base):
    """Whether a position is open now and how many places; no row means open."""

    __tablename__ = "vacancy_states"

    position_number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    open_places: Mapped[int | None] = mapped_column(Integer)
    updated_by: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Subscription(Base):
    """A person who wants vacancy announcements: all departments, or the chosen ones."""

    __tablename__ = "subscriptions"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    # None: every department; otherwise the chosen department ids.
    departments: Mapped[list[str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class BroadcastStatus(StrEnum):
    draft = "draft"
    scheduled = "scheduled"
    sending = "sending"
    done = "done"
    cancelled = "cancelled"


class Broadcast(Base):
    """One announcement to many subscribers (by HR, on a vacancy change, or the digest)."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # manual / vacancy / digest
    status: Mapped[str] = mapped_column(String(16), default=BroadcastStatus.draft, index=True)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    text_kk: Mapped[str] = mapped_column(Text)
    text_ru: Mapped[str] = mapped_column(Text)
    photo_file_id: Mapped[str | None] = mapped_column(String(256))
    # None: all subscribers; otherwise subscribers of these departments.
    departments: Mapped[list[str] | None] = mapped_column(JSON)
    position_number: Mapped[int | None] = mapped_column(Integer)
    scheduled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    total: Mapped[int] = mapped_column(Integer, default=0)
    sent_count: Mapped[int] = mapped_column(Integer, default=0)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    # HR's progress message, updated in place.
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DeliveryStatus(StrEnum):
    pending = "pending"
    sent = "sent"
    failed = "failed"
    unsubscribed = "unsubscribed"


class BroadcastDelivery(Base):
    """One recipient of one broadcast, written before sending; sent only once Telegram accepted."""

    __tablename__ = "broadcast_deliveries"
    __table_args__ = (
        UniqueConstraint("broadcast_id", "chat_id", name="uq_delivery_recipient"),
        Index("ix_delivery_pending", "broadcast_id", "status", "id"),
        # /delete_me removes the person's rows from every broadcast.
        Index("ix_delivery_chat", "chat_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(ForeignKey("broadcasts.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    language: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.pending)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class BroadcastTally(Base):
    """Delivery rows of a finished broadcast compacted into counts after the retention
    period (``bot.services.broadcasts.compact_deliveries``): rows per status."""

    __tablename__ = "broadcast_tallies"

    broadcast_id: Mapped[int] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


# --------------------------------------------------------------------------- after «Invite»


class HiringStage(Base):
    """One stage of the hiring chain (interview, fitness test, medical commission, …).

    A chain belongs to a scope: a position (``position_number``), a department
    (``department``) or, with both NULL, every application; an application follows its
    position's chain if there is one, else its department's, else the global one (seeded by
    migration 0006). ``seq`` orders a chain. Names and checklists NULL: the default texts of
    ``code`` (``bot/locales/<lang>/booking.ftl``). Archived stages keep their slots and
    results but are no longer part of the chain.
    """

    __tablename__ = "hiring_stages"
    __table_args__ = (Index("ix_stages_scope", "position_number", "department", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department: Mapped[str | None] = mapped_column(String(64))
    position_number: Mapped[int | None] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(32))  # bot.scheduling.stages.StageCode
    name_kk: Mapped[str | None] = mapped_column(String(100))
    name_ru: Mapped[str | None] = mapped_column(String(100))
    checklist_kk: Mapped[list[str] | None] = mapped_column(JSON)
    checklist_ru: Mapped[list[str] | None] = mapped_column(JSON)
    cutoff_hours: Mapped[int] = mapped_column(Integer, default=12)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Slot(Base):
    """A dated place (or online link) of a stage that ``capacity`` candidates may book.

    ``booked`` counts the active bookings; it only changes by conditional UPDATEs
    (``booked < capacity``), so concurrent bookings never exceed the capacity.
    ``positions``/``departments`` NULL: the slot serves every application of the stage.
    """

    __tablename__ = "slots"
    __table_args__ = (
        Index("ix_slots_stage_time", "stage_id", "starts_at"),
        Index("ix_slots_time", "starts_at"),
        CheckConstraint("capacity > 0", name="ck_slots_capacity"),
        CheckConstraint("booked >= 0 AND booked <= capacity", name="ck_slots_booked"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("hiring_stages.id"))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    address: Mapped[str | None] = mapped_column(String(300))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    online_url: Mapped[str | None] = mapped_column(String(500))
    capacity: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, default=0)
    positions: Mapped[list[int] | None] = mapped_column(JSON)
    departments: Mapped[list[str] | None] = mapped_column(JSON)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_by: Mapped[int | None] = mapped_column(BigInteger)


class BookingStatus(StrEnum):
    booked = "booked"
    confirmed = "confirmed"
    cancelled = "cancelled"
    rescheduled = "rescheduled"  # moved to another slot: the new booking is another row
    attended = "attended"
    no_show = "no_show"


ACTIVE_BOOKING_STATUSES = (BookingStatus.booked, BookingStatus.confirmed)


class Booking(Base):
    """A candidate's place in a slot. At most one active (booked or confirmed) booking per
    application and stage. A reschedule ends this row (``rescheduled``) and makes a new one
    with the same ``uid`` (the calendar event) and ``sequence`` + 1."""

    __tablename__ = "bookings"
    __table_args__ = (
        Index(
            "uq_active_booking",
            "application_id",
            "stage_id",
            unique=True,
            sqlite_where=text("status IN ('booked', 'confirmed')"),
            postgresql_where=text("status IN ('booked', 'confirmed')"),
        ),
        Index("ix_bookings_slot", "slot_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("slots.id"))
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    stage_id: Mapped[int] = mapped_column(ForeignKey("hiring_stages.id"))
    status: Mapped[str] = mapped_column(String(16), default=BookingStatus.booked)
    uid: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    rescheduled_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("bookings.id", ondelete="SET NULL")
    )
    booked_by: Mapped[int | None] = mapped_column(BigInteger)
    booked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    confirmed_by: Mapped[int | None] = mapped_column(BigInteger)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When and by whom it stopped being active (cancelled, rescheduled, attended, no-show).
    ended_by: Mapped[int | None] = mapped_column(BigInteger)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StageResultKind(StrEnum):
    passed = "passed"
    failed = "failed"
    no_show = "no_show"


class StageResult(Base):
    """HR's result of one stage for one application (once per stage)."""

    __tablename__ = "stage_results"
    __table_args__ = (UniqueConstraint("application_id", "stage_id", name="uq_stage_result"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    stage_id: Mapped[int] = mapped_column(ForeignKey("hiring_stages.id"))
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id", ondelete="SET NULL"))
    result: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PipelineOutcome(StrEnum):
    hired = "hired"
    rejected = "rejected"  # HR's decision (any time in the pipeline, or after the last stage)
    failed = "failed"  # a stage was failed
    no_show = "no_show"  # the candidate did not come to a stage


# --------------------------------------------------------------------------- sources


class SourceKind(StrEnum):
    link = "link"  # a poster's QR code, a post: ``src_<code>``
    referral = "referral"  # a staff member's personal link: ``ref_<code>``


class PersonSource(Base):
    """The first source a person arrived with (a deep link's code); later ones are ignored.
    Personal data: deleted by /delete_me (``bot.services.privacy``)."""

    __tablename__ = "person_sources"
    __table_args__ = (Index("ix_person_sources_source", "source"),)

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))  # SourceKind
    position_number: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --------------------------------------------------------------------------- HR ↔ candidate


class ApplicationTopic(Base):
    """The forum topic of an application in the HR chat (``HR_TOPICS``): the card, the CV,
    the decisions and the conversation with the candidate go there."""

    __tablename__ = "application_topics"
    __table_args__ = (Index("ix_topics_thread", "hr_chat_id", "message_thread_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    hr_chat_id: Mapped[int] = mapped_column(BigInteger)
    message_thread_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RelayDirection(StrEnum):
    to_hr = "to_hr"  # the candidate's message (or its header) copied into the HR chat
    to_candidate = "to_candidate"  # an HR member's reply copied to the candidate


class RelayedMessage(Base):
    """One message of the HR ↔ candidate conversation: which message in the HR chat stands
    for which message in the candidate's chat, so a reply finds its way back and an erasure
    finds the copies the bot made in the HR chat. No texts are stored."""

    __tablename__ = "relayed_messages"
    __table_args__ = (Index("ix_relayed_hr_message", "hr_chat_id", "hr_message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    direction: Mapped[str] = mapped_column(String(16))  # RelayDirection
    hr_chat_id: Mapped[int] = mapped_column(BigInteger)
    hr_message_id: Mapped[int] = mapped_column(Integer)
    candidate_chat_id: Mapped[int] = mapped_column(BigInteger)
    candidate_message_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
