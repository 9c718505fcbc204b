"""Where people come from: the first source a person arrived with

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

* ``person_sources`` — one row per person (``user_id``): the source code of the deep link
  they first arrived with (``/start pos_38-src_<code>``, ``src_<code>``, ``ref_<code>``),
  its kind (``link`` or ``referral``), the position of the link (if any) and when. Later
  sources are ignored. Deleted with the person's data (/delete_me).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "person_sources",
        sa.Column("user_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("position_number", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_person_sources_source", "person_sources", ["source"])


def downgrade() -> None:
    op.drop_index("ix_person_sources_source", table_name="person_sources")
    op.drop_table("person_sources")
