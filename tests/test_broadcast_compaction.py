"""Delivery rows at scale: the audience preview counted in SQL (the same condition as the
broadcast's own recipients), finished broadcasts compacted into counts after the retention
period, and the index /delete_me's delivery query uses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.db.engine import create_session_factory
from bot.db.models import (
    Broadcast,
    BroadcastDelivery,
    BroadcastStatus,
    BroadcastTally,
    DeliveryStatus,
    Subscription,
)
from bot.services import broadcasts, subscriptions
from tests.test_broadcast_engine import new_broadcast, seed, started_broadcast, statuses

Factory = async_sessionmaker[AsyncSession]
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def factory(engine: AsyncEngine) -> Factory:
    return create_session_factory(engine)


async def test_audience_preview_counts_what_materialize_writes(factory: Factory) -> None:
    await seed(factory, 3, first=100)  # all departments (JSON null)
    await seed(factory, 2, first=200, departments=["fire", "medical"])
    await seed(factory, 2, first=300, departments=["logistics"])
    async with factory() as session:
        await session.execute(
            update(Subscription).where(Subscription.user_id == 100).values(departments=None)
        )
        session.add(Subscription(user_id=400, departments=["medical"]))
        await session.commit()
    cases: list[list[str] | None] = [None, [], ["medical", "rescue"], ["logistics"], ["nobody"]]
    for departments in cases:
        async with factory() as session:
            preview = await broadcasts.audience_count(session, departments)
            assert await subscriptions.count_for(session, departments) == preview
        broadcast_id = await new_broadcast(factory, departments=departments)
        async with factory() as session:
            assert await broadcasts.materialize(session, broadcast_id) == preview, departments
    async with factory() as session:
        assert await broadcasts.audience_count(session, None) == 8
        assert await broadcasts.audience_count(session, ["medical"]) == 6


async def _finish(factory: Factory, broadcast_id: int, finished_at: datetime) -> None:
    """Mark the rows sent / failed / unsubscribed (every third) and the broadcast done."""
    async with factory() as session:
        ids = list(
            await session.scalars(
                select(BroadcastDelivery.id)
                .where(BroadcastDelivery.broadcast_id == broadcast_id)
                .order_by(BroadcastDelivery.id)
            )
        )
        await broadcasts.apply_outcomes(
            session,
            broadcast_id,
            sent=[(i, 1) for i in ids[::3]],
            unsubscribed=[(i, 0) for i in ids[1::3]],
            failed=[broadcasts.Failure(i, 5, "TelegramServerError") for i in ids[2::3]],
        )
        assert await broadcasts.finish(session, broadcast_id) is not None
        await session.execute(
            update(Broadcast).where(Broadcast.id == broadcast_id).values(finished_at=finished_at)
        )
        await session.commit()


async def test_finished_broadcasts_are_compacted_into_counts(factory: Factory) -> None:
    await seed(factory, 10, first=100)
    old = await started_broadcast(factory)
    recent = await started_broadcast(factory)
    sending = await started_broadcast(factory)
    await _finish(factory, old, NOW - timedelta(days=31))
    await _finish(factory, recent, NOW - timedelta(days=29))
    async with factory() as session:
        before = {b: await broadcasts.counts(session, b) for b in (old, recent, sending)}
        assert before[old].sent == 4 and before[old].unsubscribed == 3
        assert before[old].failed == 3

        assert await broadcasts.compact_deliveries(session, now=NOW) == 10
        assert await broadcasts.compact_deliveries(session, now=NOW) == 0  # nothing left to do
        after = {b: await broadcasts.counts(session, b) for b in (old, recent, sending)}
        tallies = dict(
            (
                await session.execute(
                    select(BroadcastTally.status, BroadcastTally.count).where(
                        BroadcastTally.broadcast_id == old
                    )
                )
            ).all()
        )
        # The figures HR sees stay, recounted from the tallies.
        assert await broadcasts.sync_counters(session, old) == before[old]
        broadcast = await session.get(Broadcast, old)
        assert broadcast is not None and broadcast.status == BroadcastStatus.done
        assert (broadcast.total, broadcast.sent_count, broadcast.failed_count) == (10, 4, 6)
        assert await broadcasts.requeue_failed(session, old) == 0  # no row left to retry
    assert after == before
    assert tallies == {"sent": 4, "unsubscribed": 3, "failed": 3}
    assert await statuses(factory, old) == {}
    assert len(await statuses(factory, recent)) == 10  # within the retention period
    assert set((await statuses(factory, sending)).values()) == {DeliveryStatus.pending}


async def test_delete_me_finds_the_deliveries_by_index(engine: AsyncEngine) -> None:
    query = "SELECT id FROM broadcast_deliveries WHERE chat_id = 42"
    async with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            plan = " ".join(
                str(r[-1]) for r in await conn.execute(text(f"EXPLAIN QUERY PLAN {query}"))
            )
            assert "ix_delivery_chat" in plan, plan
        else:
            await conn.execute(text("SET enable_seqscan = off"))
            plan = " ".join(str(r[0]) for r in await conn.execute(text(f"EXPLAIN {query}")))
            assert "ix_delivery_chat" in plan, plan
        count = await conn.scalar(select(func.count()).select_from(BroadcastDelivery))
    assert count == 0


async def test_the_nightly_job_compacts_and_analyzes(factory: Factory, engine: AsyncEngine) -> None:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    from bot.jobs import MAINTENANCE_JOB_ID, add_maintenance
    from bot.services import maintenance

    await seed(factory, 4, first=100)
    old = await started_broadcast(factory)
    await _finish(factory, old, datetime.now(UTC) - timedelta(days=40))
    assert await maintenance.nightly(factory) == 4
    async with engine.connect() as conn:
        if conn.dialect.name == "sqlite":  # ANALYZE wrote the planner's statistics
            analyzed = await conn.scalar(text("SELECT count(*) FROM sqlite_stat1"))
            assert analyzed
    scheduler = AsyncIOScheduler(timezone="Asia/Almaty")
    add_maintenance(scheduler, factory)
    add_maintenance(scheduler, factory)  # again: replaced, not doubled
    scheduler.start(paused=True)
    try:
        assert [j.id for j in scheduler.get_jobs()] == [MAINTENANCE_JOB_ID]
    finally:
        scheduler.shutdown(wait=False)
