"""consents, applications, outbox, funnel events, vacancy states

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status IN ('new', 'shortlisted', 'invited')")


def upgrade() -> None:
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.BigInteger(), nullable=False, index=True),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.BigInteger(), nullable=True, index=True),
        sa.Column("position_number", sa.Integer(), nullable=False, index=True),
        sa.Column("department", sa.String(64), nullable=False, index=True),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("screening", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column(
            "consent_id",
            sa.Integer(),
            sa.ForeignKey("consents.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("full_name", sa.String(200), nullable=True),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("username", sa.String(64), nullable=True),
        sa.Column("cv_file_id", sa.String(256), nullable=True),
        sa.Column("cv_file_name", sa.String(256), nullable=True),
        sa.Column("cv_mime_type", sa.String(128), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reject_reason", sa.String(32), nullable=True),
        sa.Column("hr_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("hr_message_id", sa.Integer(), nullable=True),
        sa.Column("anonymized_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index(
        "uq_open_application",
        "applications",
        ["user_id", "position_number"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column(
            "application_id",
            sa.Integer(),
            sa.ForeignKey("applications.id", ondelete="CASCADE"),
            nullable=True,
            index=True,
        ),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True, index=True),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "funnel_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True, index=True),
        sa.Column("position_number", sa.Integer(), nullable=True),
        sa.Column("department", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_funnel_kind_time", "funnel_events", ["kind", "created_at"])
    op.create_table(
        "vacancy_states",
        sa.Column("position_number", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("open_places", sa.Integer(), nullable=True),
        sa.Column("updated_by", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("vacancy_states")
    op.drop_index("ix_funnel_kind_time", table_name="funnel_events")
    op.drop_table("funnel_events")
    op.drop_table("outbox")
    op.drop_index("uq_open_application", table_name="applications")
    op.drop_table("applications")
    op.drop_table("consents")
