"""PostgreSQL advisory lock keys: one per purpose and schema (the worker's lease in
``bot.runtime.lease``, the migrations in ``bot.db.engine``), so two bots in one database
(or the tests' schemas) never share a lock."""

from __future__ import annotations

# The first half of the two-integer advisory keys: "bot" in ASCII; the second half is
# hashtext(<purpose>:<schema>) (see pg_locks: classid, objid, objsubid = 2).
LOCK_CLASS = 0x626F74
WORKER = "worker"
MIGRATIONS = "migrations"


def advisory_key_sql(purpose: str) -> str:
    """The SQL of the advisory key's two integers for ``purpose`` (``worker``...)."""
    if not purpose.isidentifier():
        raise ValueError(purpose)
    return f"{LOCK_CLASS}, hashtext('{purpose}:' || current_schema())"
