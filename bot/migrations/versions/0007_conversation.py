"""HR ↔ candidate conversation: an application's forum topic in the HR chat and the
relayed messages

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08

* ``application_topics`` (one per application: the HR chat and the topic's thread id);
* ``relayed_messages`` (which message in the HR chat stands for which message in the
  candidate's chat, and which way it went; no texts), so HR's replies find the candidate
  and an erasure finds the copies in the HR chat. Both go with their application
  (``ON DELETE CASCADE``); erasure and retention delete them earlier.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _application() -> sa.Column[object]:
    return sa.Column(
        "application_id",
        sa.Integer(),
        sa.ForeignKey("applications.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "application_topics",
        sa.Column("id", sa.Integer(), primary_key=True),
        _application(),
        sa.Column("hr_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_thread_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("application_id"),
    )
    op.create_index("ix_topics_thread", "application_topics", ["hr_chat_id", "message_thread_id"])
    op.create_table(
        "relayed_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        _application(),
        sa.Column("direction", sa.String(16), nullable=False),
        sa.Column("hr_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("hr_message_id", sa.Integer(), nullable=False),
        sa.Column("candidate_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("candidate_message_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_relayed_hr_message", "relayed_messages", ["hr_chat_id", "hr_message_id"])
    op.create_index("ix_relayed_messages_application_id", "relayed_messages", ["application_id"])


def downgrade() -> None:
    op.drop_index("ix_relayed_messages_application_id", table_name="relayed_messages")
    op.drop_index("ix_relayed_hr_message", table_name="relayed_messages")
    op.drop_table("relayed_messages")
    op.drop_index("ix_topics_thread", table_name="application_topics")
    op.drop_table("application_topics")
