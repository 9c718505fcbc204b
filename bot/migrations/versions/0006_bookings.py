"""After «Invite»: hiring stages, slots, bookings, stage results, the pipeline's fields of an
application, the outbox's not-before time

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07

* ``hiring_stages`` (per position, department or global; ordered; kk/ru names and
  checklists, NULL for the default texts; the reschedule cut-off), seeded with the global
  default chain interview → fitness test → medical commission;
* ``slots`` (a stage's date, duration, place or link, capacity and booked count, whom it
  serves, who opened it, when cancelled), ``bookings`` (one active per application and
  stage: a partial unique index), ``stage_results`` (one per application and stage);
* ``applications``: pipeline start, current stage (no foreign key: on SQLite adding one
  rebuilds the table), since when at it, since when waiting for a slot, outcome (by whom,
  when), hired at, start date;
* ``outbox``: ``not_before`` (a reminder is not sent earlier; the start-up's resume and
  retries move only ``next_attempt_at``), ``booking_id``, and ``dedup_key`` (unique: a
  reminder is queued once). Plain ``ADD COLUMN``s: the table is not rebuilt.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT_CHAIN = ("interview", "fitness_test", "medical_commission")
_ACTIVE = "status IN ('booked', 'confirmed')"


def _moment(name: str, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    stages = op.create_table(
        "hiring_stages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("department", sa.String(64), nullable=True),
        sa.Column("position_number", sa.Integer(), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name_kk", sa.String(100), nullable=True),
        sa.Column("name_ru", sa.String(100), nullable=True),
        sa.Column("checklist_kk", sa.JSON(), nullable=True),
        sa.Column("checklist_ru", sa.JSON(), nullable=True),
        sa.Column("cutoff_hours", sa.Integer(), nullable=False),
        _moment("archived_at"),
        sa.Column("updated_by", sa.BigInteger(), nullable=True),
        _moment("created_at", nullable=False),
        _moment("updated_at", nullable=False),
    )
    op.create_index("ix_stages_scope", "hiring_stages", ["position_number", "department", "seq"])
    op.create_table(
        "slots",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("stage_id", sa.Integer(), sa.ForeignKey("hiring_stages.id"), nullable=False),
        _moment("starts_at", nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(300), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("online_url", sa.String(500), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("booked", sa.Integer(), nullable=False),
        sa.Column("positions", sa.JSON(), nullable=True),
        sa.Column("departments", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        _moment("created_at", nullable=False),
        _moment("cancelled_at"),
        sa.Column("cancelled_by", sa.BigInteger(), nullable=True),
        sa.CheckConstraint("capacity > 0", name="ck_slots_capacity"),
        sa.CheckConstraint("booked >= 0 AND booked <= capacity", name="ck_slots_booked"),
    )
    op.create_index("ix_slots_stage_time", "slots", ["stage_id", "starts_at"])
    op.create_index("ix_slots_time", "slots", ["starts_at"])
    op.create_table(
        "bookings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slot_id", sa.Integer(), sa.ForeignKey("slots.id"), nullable=False),
        sa.Column(
            "application_id",
            sa.Integer(),
            sa.ForeignKey("applications.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("stage_id", sa.Integer(), sa.ForeignKey("hiring_stages.id"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("uid", sa.String(64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column(
            "rescheduled_from_id",
            sa.Integer(),
            sa.ForeignKey("bookings.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("booked_by", sa.BigInteger(), nullable=True),
        _moment("booked_at", nullable=False),
        sa.Column("confirmed_by", sa.BigInteger(), nullable=True),
        _moment("confirmed_at"),
        sa.Column("ended_by", sa.BigInteger(), nullable=True),
        _moment("ended_at"),
    )
    op.create_index(
        "uq_active_booking",
        "bookings",
        ["application_id", "stage_id"],
        unique=True,
        sqlite_where=sa.text(_ACTIVE),
        postgresql_where=sa.text(_ACTIVE),
    )
    op.create_index("ix_bookings_slot", "bookings", ["slot_id", "status"])
    op.create_index("ix_bookings_application_id", "bookings", ["application_id"])
    op.create_table(
        "stage_results",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "application_id",
            sa.Integer(),
            sa.ForeignKey("applications.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("stage_id", sa.Integer(), sa.ForeignKey("hiring_stages.id"), nullable=False),
        sa.Column(
            "booking_id",
            sa.Integer(),
            sa.ForeignKey("bookings.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("result", sa.String(16), nullable=False),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        _moment("decided_at", nullable=False),
        sa.UniqueConstraint("application_id", "stage_id", name="uq_stage_result"),
    )
    for column in (
        _moment("pipeline_started_at"),
        sa.Column("current_stage_id", sa.Integer(), nullable=True),
        _moment("stage_entered_at"),
        _moment("awaiting_slot_since"),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("outcome_by", sa.BigInteger(), nullable=True),
        _moment("outcome_at"),
        _moment("hired_at"),
        sa.Column("start_date", sa.Date(), nullable=True),
    ):
        op.add_column("applications", column)
    op.create_index("ix_applications_current_stage_id", "applications", ["current_stage_id"])
    op.add_column("outbox", _moment("not_before"))
    op.add_column("outbox", sa.Column("booking_id", sa.Integer(), nullable=True))
    op.add_column("outbox", sa.Column("dedup_key", sa.String(64), nullable=True))
    op.create_index("ix_outbox_booking_id", "outbox", ["booking_id"])
    op.create_index("uq_outbox_dedup", "outbox", ["dedup_key"], unique=True)
    op.execute(
        stages.insert().values(
            [
                {
                    "seq": seq,
                    "code": code,
                    "cutoff_hours": 12,
                    "created_at": sa.func.current_timestamp(),
                    "updated_at": sa.func.current_timestamp(),
                }
                for seq, code in enumerate(DEFAULT_CHAIN, start=1)
            ]
        )
    )


def downgrade() -> None:
    op.drop_index("uq_outbox_dedup", table_name="outbox")
    op.drop_index("ix_outbox_booking_id", table_name="outbox")
    for name in ("dedup_key", "booking_id", "not_before"):
        op.drop_column("outbox", name)  # SQLite 3.35+ drops columns
    op.drop_index("ix_applications_current_stage_id", table_name="applications")
    for name in (
        "start_date",
        "hired_at",
        "outcome_at",
        "outcome_by",
        "outcome",
        "awaiting_slot_since",
        "stage_entered_at",
        "current_stage_id",
        "pipeline_started_at",
    ):
        op.drop_column("applications", name)
    op.drop_table("stage_results")
    op.drop_index("ix_bookings_application_id", table_name="bookings")
    op.drop_index("ix_bookings_slot", table_name="bookings")
    op.drop_index("uq_active_booking", table_name="bookings")
    op.drop_table("bookings")
    op.drop_index("ix_slots_time", table_name="slots")
    op.drop_index("ix_slots_stage_time", table_name="slots")
    op.drop_table("slots")
    op.drop_index("ix_stages_scope", table_name="hiring_stages")
    op.drop_table("hiring_stages")
