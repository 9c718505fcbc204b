"""Where people come from: the deep link's source, kept once per person. Plain Python.

A ``/start`` payload (Telegram's deep link parameter: at most 64 characters of
``A-Za-z0-9_-``) is one of

* ``pos_<n>`` — a position's card (as before);
* ``pos_<n>-src_<code>`` / ``pos_<n>-ref_<code>`` — the card, and the person came from the
  source ``<code>`` (a poster, a post: ``src``; a staff member's referral: ``ref``);
* ``src_<code>`` / ``ref_<code>`` — a source without a position: the plain /start.

A code is 1-32 of ``A-Za-z0-9_``. :func:`parse_payload` never raises: what does not fit is
``DeepLink.valid = False`` (the caller treats it as a link to nothing). The first source
of a person is kept (:func:`record_first`), later ones are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import PersonSource, SourceKind, utcnow
from bot.services import funnel

MAX_PAYLOAD = 64  # Telegram's limit of a deep link's start parameter
MAX_CODE = 32
POSITION_PREFIX = "pos_"
SEPARATOR = "-"
_CODE_RE = re.compile(r"[A-Za-z0-9_]{1,32}")
_SOURCE_PREFIXES = {"src_": SourceKind.link, "ref_": SourceKind.referral}
# ASCII digits only («²» is a digit to str.isdigit() but not to int()); at most 4 of them.
_POSITION_RE = re.compile(r"[0-9]{1,4}")


@dataclass(frozen=True, slots=True)
class DeepLink:
    valid: bool
    position: int | None = None
    source: str | None = None
    kind: SourceKind | None = None


INVALID = DeepLink(valid=False)


def is_code(code: str) -> bool:
    return _CODE_RE.fullmatch(code) is not None


def _source(part: str) -> tuple[str, SourceKind] | None:
    for prefix, kind in _SOURCE_PREFIXES.items():
        if part.startswith(prefix):
            code = part.removeprefix(prefix)
            return (code, kind) if is_code(code) else None
    return None


def parse_payload(payload: str | None) -> DeepLink:
    """The deep link of a ``/start <payload>``; ``valid=False`` for anything malformed."""
    if not payload or len(payload) > MAX_PAYLOAD:
        return INVALID
    head, sep, tail = payload.partition(SEPARATOR)
    if head.startswith(POSITION_PREFIX):
        number = head.removeprefix(POSITION_PREFIX)
        if _POSITION_RE.fullmatch(number) is None:
            return INVALID
        if not sep:
            return DeepLink(valid=True, position=int(number))
        found = _source(tail)
        if found is None:
            return INVALID
        return DeepLink(valid=True, position=int(number), source=found[0], kind=found[1])
    if sep:
        return INVALID
    found = _source(head)
    if found is None:
        return INVALID
    return DeepLink(valid=True, source=found[0], kind=found[1])


def position_payload(position: int, source: str, kind: SourceKind = SourceKind.link) -> str:
    """The payload of a poster's link (``pos_38-src_<code>``); ValueError when it could not
    be parsed back (a bad code, over 64 characters)."""
    prefix = "ref_" if kind is SourceKind.referral else "src_"
    payload = f"{POSITION_PREFIX}{position}{SEPARATOR}{prefix}{source}"
    link = parse_payload(payload)
    if not link.valid or link.source != source or link.position != position:
        raise ValueError("the source code must be 1-32 of A-Z, a-z, 0-9 and _")
    return payload


async def record_first(
    session: AsyncSession,
    user_id: int,
    link: DeepLink,
    *,
    now: datetime | None = None,
) -> bool:
    """Keep the person's source unless they have one already (one statement: two updates
    at once keep the first); in the caller's transaction. Whether this one was kept."""
    if not link.valid or link.source is None or link.kind is None:
        return False
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(PersonSource)
        .values(
            user_id=user_id,
            source=link.source,
            kind=link.kind.value,
            position_number=link.position,
            created_at=now or utcnow(),
        )
        .on_conflict_do_nothing(index_elements=[PersonSource.user_id])
    )
    result = await session.execute(statement)
    return bool(getattr(result, "rowcount", 0))


async def arrived(session: AsyncSession, user_id: int | None, payload: str | None) -> DeepLink:
    """A ``/start <payload>``: the link parsed, the person's first source kept and the
    funnel's «started» recorded, in one transaction (committed). The parsed link."""
    link = parse_payload(payload)
    if user_id is not None:
        await record_first(session, user_id, link)
    await funnel.record(session, funnel.Step.started, user_id, commit=False)
    await session.commit()
    return link


async def forget(session: AsyncSession, user_id: int) -> None:
    """/delete_me: the person's source goes (in the caller's transaction)."""
    await session.execute(delete(PersonSource).where(PersonSource.user_id == user_id))
