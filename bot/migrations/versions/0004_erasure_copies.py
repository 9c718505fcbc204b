"""the CV message in the HR chat, to delete it on erasure; outbox ids never reused

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


def _outbox_autoincrement(on: bool) -> None:
    # SQLite gives a deleted row's id to the next row unless the table is AUTOINCREMENT:
    # an erasure drops pending outbox rows while a delivery round may still hold one's id,
    # and that round's «delivered» must not land on the erasure's own new row. PostgreSQL's
    # sequences never reuse ids.
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "outbox", recreate="always", table_kwargs={"sqlite_autoincrement": on}
    ):
        pass


def upgrade() -> None:
    op.add_column("applications", sa.Column("hr_cv_message_id", sa.Integer(), nullable=True))
    _outbox_autoincrement(True)


def downgrade() -> None:
    _outbox_autoincrement(False)
    op.drop_column("applications", "hr_cv_message_id")  # SQLite 3.35+ drops columns
