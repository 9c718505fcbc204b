"""HR queries at scale: funnel pre-aggregates kept by triggers, indexes, delivery tallies

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

* ``funnel_people`` (when each person last did each step, overall and per department) and
  ``funnel_days`` (how many of those rows fall on each UTC day, as +/- rows that the
  nightly job folds into one per day) are kept in step with
  ``funnel_events`` by triggers, whoever writes the events (the bot, an erasure setting
  ``user_id`` to NULL, a test, a bulk load); existing events are folded in here once.
* Indexes: ``applications(created_at, id)`` (the export's keyset pages; replaces the index
  on ``created_at`` alone), ``funnel_events(created_at)``, ``broadcast_deliveries(chat_id)``
  (every /delete_me), ``funnel_people(last_at)``.
* ``broadcast_tallies``: per broadcast and status, the delivery rows compacted away.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The day of a moment, in UTC, per dialect (SQLite keeps naive UTC text).
_DAY = {"sqlite": "date({})", "postgresql": "CAST(timezone('UTC', {}) AS date)"}


def _add(r: str, day: str) -> list[str]:
    """SQLite: statements that count event ``r`` (NEW) in: its person's last time per scope.
    Day counts change by appended +1/-1 rows (no row is updated in place)."""
    person = f"COALESCE({r}.user_id, -{r}.id)"
    scopes = (
        f"(SELECT CAST('' AS VARCHAR(64)) AS d UNION ALL "
        f"SELECT {r}.department WHERE {r}.department IS NOT NULL)"
    )
    mine = f"p.person = {person} AND p.kind = {r}.kind"
    return [
        # The rows this event moves later leave their old day...
        "INSERT INTO funnel_days (day, kind, department, people) "
        f"SELECT {day.format('p.last_at')}, p.kind, p.department, -1 FROM funnel_people AS p "
        f"WHERE {mine} AND p.department IN {scopes} AND p.last_at < {r}.created_at",
        # ...and every scope not already counted at this time or later gets this day.
        "INSERT INTO funnel_days (day, kind, department, people) "
        f"SELECT {day.format(f'{r}.created_at')}, {r}.kind, s.d, 1 FROM {scopes} AS s "
        f"WHERE NOT EXISTS (SELECT 1 FROM funnel_people AS p WHERE {mine} "
        f"AND p.department = s.d AND p.last_at >= {r}.created_at)",
        "INSERT INTO funnel_people (person, kind, department, last_at) "
        f"SELECT {person}, {r}.kind, s.d, {r}.created_at FROM {scopes} AS s WHERE 1 = 1 "
        "ON CONFLICT (person, kind, department) DO UPDATE SET last_at = excluded.last_at "
        "WHERE funnel_people.last_at < excluded.last_at",
    ]


def _remove(r: str, day: str) -> list[str]:
    """SQLite: statements that count event ``r`` (OLD, already changed or gone) out: each
    scope's last time is recomputed from the person's remaining events."""
    person = f"COALESCE({r}.user_id, -{r}.id)"
    scopes = (
        f"(SELECT CAST('' AS VARCHAR(64)) AS d UNION ALL "
        f"SELECT {r}.department WHERE {r}.department IS NOT NULL)"
    )

    def latest(alias: str) -> str:
        return (
            f"(SELECT max(e.created_at) FROM funnel_events AS e WHERE e.user_id = {r}.user_id "
            f"AND e.kind = {r}.kind AND ({alias}.department = '' "
            f"OR e.department = {alias}.department))"
        )

    def mine(alias: str) -> str:
        return (
            f"{alias}.person = {person} AND {alias}.kind = {r}.kind "
            f"AND {alias}.department IN {scopes}"
        )

    return [
        "INSERT INTO funnel_days (day, kind, department, people) "
        f"SELECT {day.format('p.last_at')}, p.kind, p.department, -1 FROM funnel_people AS p "
        f"WHERE {mine('p')} AND ({latest('p')} IS NULL OR {latest('p')} < p.last_at)",
        "INSERT INTO funnel_days (day, kind, department, people) "
        f"SELECT {day.format(latest('p'))}, p.kind, p.department, 1 FROM funnel_people AS p "
        f"WHERE {mine('p')} AND {latest('p')} < p.last_at",
        f"UPDATE funnel_people SET last_at = {latest('funnel_people')} "
        f"WHERE {mine('funnel_people')} AND {latest('funnel_people')} < funnel_people.last_at",
        f"DELETE FROM funnel_people WHERE {mine('funnel_people')} "
        f"AND {latest('funnel_people')} IS NULL",
    ]


# PostgreSQL: the same, step by step, with the person's funnel_people row locked (FOR
# UPDATE, or waiting on its concurrent insert): two transactions with events of one person
# and step at once take turns instead of both counting the person's day. Day counts are
# appended +1/-1 rows, so transactions never wait on each other's day counters (a shared
# counter row would make them queue, and deadlock when two write two steps in turn).
_PG_FUNCTION = """
CREATE FUNCTION funnel_events_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  scope varchar(64);
  who bigint;
  old_at timestamptz;
  latest timestamptz;
  inserted boolean;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    who := COALESCE(OLD.user_id, -OLD.id);
    FOREACH scope IN ARRAY ARRAY[''::varchar, OLD.department] LOOP
      CONTINUE WHEN scope IS NULL;
      SELECT last_at INTO old_at FROM funnel_people
        WHERE person = who AND kind = OLD.kind AND department = scope FOR UPDATE;
      CONTINUE WHEN NOT FOUND;
      SELECT max(e.created_at) INTO latest FROM funnel_events AS e
        WHERE e.user_id = OLD.user_id AND e.kind = OLD.kind
          AND (scope = '' OR e.department = scope);
      CONTINUE WHEN latest IS NOT NULL AND latest >= old_at;
      INSERT INTO funnel_days (day, kind, department, people)
        VALUES ({day_old}, OLD.kind, scope, -1);
      IF latest IS NULL THEN
        DELETE FROM funnel_people WHERE person = who AND kind = OLD.kind AND department = scope;
      ELSE
        UPDATE funnel_people SET last_at = latest
          WHERE person = who AND kind = OLD.kind AND department = scope;
        INSERT INTO funnel_days (day, kind, department, people)
          VALUES ({day_latest}, OLD.kind, scope, 1);
      END IF;
    END LOOP;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    who := COALESCE(NEW.user_id, -NEW.id);
    FOREACH scope IN ARRAY ARRAY[''::varchar, NEW.department] LOOP
      CONTINUE WHEN scope IS NULL;
      inserted := false;
      LOOP
        SELECT last_at INTO old_at FROM funnel_people
          WHERE person = who AND kind = NEW.kind AND department = scope FOR UPDATE;
        EXIT WHEN FOUND;
        INSERT INTO funnel_people (person, kind, department, last_at)
          VALUES (who, NEW.kind, scope, NEW.created_at) ON CONFLICT DO NOTHING;
        IF FOUND THEN
          inserted := true;
          EXIT;
        END IF;
      END LOOP;
      IF inserted THEN
        INSERT INTO funnel_days (day, kind, department, people)
          VALUES ({day_new}, NEW.kind, scope, 1);
      ELSIF old_at < NEW.created_at THEN
        UPDATE funnel_people SET last_at = NEW.created_at
          WHERE person = who AND kind = NEW.kind AND department = scope;
        INSERT INTO funnel_days (day, kind, department, people)
          VALUES ({day_old}, NEW.kind, scope, -1), ({day_new}, NEW.kind, scope, 1);
      END IF;
    END LOOP;
  END IF;
  RETURN NULL;
END $$
"""

_WATCHED = "user_id, kind, department, created_at"


def _create_triggers(dialect: str) -> None:
    day = _DAY[dialect]
    if dialect == "postgresql":
        op.execute(
            _PG_FUNCTION.format(
                day_old=day.format("old_at"),
                day_latest=day.format("latest"),
                day_new=day.format("NEW.created_at"),
            )
        )
        for name, when in (
            ("funnel_events_ai", "INSERT"),
            ("funnel_events_au", f"UPDATE OF {_WATCHED}"),
            ("funnel_events_ad", "DELETE"),
        ):
            op.execute(
                f"CREATE TRIGGER {name} AFTER {when} ON funnel_events "
                "FOR EACH ROW EXECUTE FUNCTION funnel_events_sync()"
            )
        return
    for name, when, statements in (
        ("funnel_events_ai", "INSERT", _add("NEW", day)),
        ("funnel_events_au", f"UPDATE OF {_WATCHED}", _remove("OLD", day) + _add("NEW", day)),
        ("funnel_events_ad", "DELETE", _remove("OLD", day)),
    ):
        body = "".join(f"  {s};\n" for s in statements)
        op.execute(
            f"CREATE TRIGGER {name} AFTER {when} ON funnel_events FOR EACH ROW\nBEGIN\n{body}END"
        )


def _drop_triggers(dialect: str) -> None:
    for name in ("funnel_events_ai", "funnel_events_au", "funnel_events_ad"):
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON funnel_events")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS funnel_events_sync()")


def _fold_existing(dialect: str) -> None:
    day = _DAY[dialect]
    op.execute(
        "INSERT INTO funnel_people (person, kind, department, last_at) "
        "SELECT COALESCE(user_id, -id), kind, '', max(created_at) FROM funnel_events "
        "GROUP BY COALESCE(user_id, -id), kind "
        "UNION ALL "
        "SELECT COALESCE(user_id, -id), kind, department, max(created_at) FROM funnel_events "
        "WHERE department IS NOT NULL GROUP BY COALESCE(user_id, -id), kind, department"
    )
    op.execute(
        "INSERT INTO funnel_days (day, kind, department, people) "
        f"SELECT {day.format('last_at')}, kind, department, count(*) FROM funnel_people "
        f"GROUP BY {day.format('last_at')}, kind, department"
    )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.drop_index("ix_applications_created_at", table_name="applications")
    op.create_index("ix_applications_created_id", "applications", ["created_at", "id"])
    op.create_index("ix_funnel_time", "funnel_events", ["created_at"])
    op.create_index("ix_delivery_chat", "broadcast_deliveries", ["chat_id"])
    op.create_table(
        "funnel_people",
        sa.Column("person", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("department", sa.String(64), primary_key=True),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_funnel_people_time", "funnel_people", ["last_at"])
    op.create_table(
        "funnel_days",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("department", sa.String(64), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
    )
    op.create_index("ix_funnel_days_day", "funnel_days", ["day", "department", "kind"])
    op.create_table(
        "broadcast_tallies",
        sa.Column(
            "broadcast_id",
            sa.Integer(),
            sa.ForeignKey("broadcasts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("status", sa.String(16), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
    )
    _fold_existing(dialect)
    _create_triggers(dialect)
    if dialect == "sqlite":
        op.execute("ANALYZE")
    else:
        # Only this schema's tables: a bare ANALYZE takes the whole database (other
        # schemas', the system catalogue) and deadlocks with another one running.
        names = sa.inspect(op.get_bind()).get_table_names()
        op.execute("ANALYZE " + ", ".join(f'"{name}"' for name in names))


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    _drop_triggers(dialect)
    op.drop_table("broadcast_tallies")
    op.drop_index("ix_funnel_days_day", table_name="funnel_days")
    op.drop_table("funnel_days")
    op.drop_index("ix_funnel_people_time", table_name="funnel_people")
    op.drop_table("funnel_people")
    op.drop_index("ix_delivery_chat", table_name="broadcast_deliveries")
    op.drop_index("ix_funnel_time", table_name="funnel_events")
    op.drop_index("ix_applications_created_id", table_name="applications")
    op.create_index("ix_applications_created_at", "applications", ["created_at"])
