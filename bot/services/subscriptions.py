"""Who wants vacancy announcements: every department, or the chosen ones. Plain Python.

A person has at most one :class:`~bot.db.models.Subscription` row: ``departments`` None
means every department, a list means those departments only. Unsubscribing deletes the
row. Announcements go out in the person's language (``users.language``), which the
delivery engine reads when it picks the recipients.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Subscription, utcnow
from bot.db.upsert import upsert
from bot.services.broadcasts import audience_count
from bot.services.users import UserLanguages


@dataclass(frozen=True, slots=True)
class SubscriptionInfo:
    user_id: int
    departments: tuple[str, ...] | None  # None: every department

    @property
    def everything(self) -> bool:
        return self.departments is None


def _info(row: Subscription) -> SubscriptionInfo:
    return SubscriptionInfo(
        user_id=row.user_id,
        departments=None if row.departments is None else tuple(row.departments),
    )


def clean_departments(chosen: Iterable[str], known: Sequence[str]) -> list[str]:
    """The chosen ids that exist, once each, in the catalogue's order."""
    picked = set(chosen)
    return [d for d in known if d in picked]


async def get(session: AsyncSession, user_id: int) -> SubscriptionInfo | None:
    row = await session.get(Subscription, user_id)
    return None if row is None else _info(row)


async def subscribe_in_language(
    session: AsyncSession,
    languages: UserLanguages,
    user_id: int,
    departments: Sequence[str] | None,
    lang: str,
) -> SubscriptionInfo:
    """Subscribe (see :func:`subscribe`). Announcements go out in ``users.language``: the
    language the person uses now is stored when they never chose one."""
    if await languages.get(session, user_id) is None:
        await languages.set(session, user_id, lang)
    return await subscribe(session, user_id, departments)


async def subscribe(
    session: AsyncSession, user_id: int, departments: Sequence[str] | None
) -> SubscriptionInfo:
    """Subscribe (or change the choice): ``None`` for every department; commits.

    An empty list is the same as every department: nobody subscribes to nothing.
    """
    value = list(departments) if departments else None
    now = utcnow()
    # One statement: a concurrent subscribe of the same person updates the row instead.
    await upsert(
        session,
        Subscription,
        {"user_id": user_id, "departments": value, "created_at": now, "updated_at": now},
        conflict=[Subscription.user_id],
        update={"departments": value, "updated_at": now},
    )
    await session.commit()
    return SubscriptionInfo(user_id=user_id, departments=None if value is None else tuple(value))


async def unsubscribe(session: AsyncSession, user_id: int) -> bool:
    """Remove the subscription; True when there was one. Commits."""
    result = await session.execute(delete(Subscription).where(Subscription.user_id == user_id))
    await session.commit()
    return bool(getattr(result, "rowcount", 0))


def wants(info: SubscriptionInfo, departments: Sequence[str] | None) -> bool:
    """Whether a subscriber gets an announcement meant for ``departments`` (None: for all)."""
    if departments is None or info.departments is None:
        return True
    return bool(set(info.departments) & set(departments))


async def count_for(session: AsyncSession, departments: Sequence[str] | None) -> int:
    """How many subscribers an announcement to ``departments`` (None: all) reaches:
    counted in SQL like the broadcast's own recipients."""
    return await audience_count(session, departments)
