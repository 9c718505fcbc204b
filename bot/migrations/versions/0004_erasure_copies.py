"""the CV message in the HR chat, to delete it on erasure

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("applications", sa.Column("hr_cv_message_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("applications", "hr_cv_message_id")  # SQLite 3.35+ drops columns
