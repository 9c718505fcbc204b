"""Production roles as separate OS processes: ``migrate``, two ``serve`` replicas taking
the webhook, two workers (one active, one standing by), on PostgreSQL and Redis with the
fake Bot API on 127.0.0.1 (issue 12)."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from bot.db.models import Application, Broadcast, BroadcastStatus, OutboxMessage, Subscription
from bot.services import broadcasts
from tests.conftest import require_postgres, require_redis
from tests.fakes.bot_api_server import FakeBotAPI
from tests.production import (
    HR_CHAT,
    Person,
    Process,
    environment,
    postgres_role,
    token,
    webhook_info,
)

pytestmark = pytest.mark.postgres

NAME = "Сейтжанова Айгерим Болатовна"
PHONE = "+77011234567"
SUBSCRIBERS = list(range(5_000_001, 5_000_031))


async def _until(predicate: Any, timeout: float = 90, what: str = "") -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


async def _active(workers: list[Process]) -> Process:
    """The one worker whose /readyz says it holds the lease (and only one)."""
    holders = []
    for worker in workers:
        if worker.process is None or worker.process.returncode is not None:
            continue
        _, body = await worker.get("/readyz")
        assert isinstance(body, dict)
        if body["checks"]["lease"]["ok"]:
            holders.append(worker)
    assert len(holders) <= 1, "two workers hold the lease"
    if not holders:
        raise LookupError
    return holders[0]


async def _holder(workers: list[Process], timeout: float = 60) -> Process:
    found: list[Process] = []

    async def one() -> bool:
        try:
            found.append(await _active(workers))
            return True
        except LookupError:
            return False

    await _until(one, timeout, "a worker holding the lease")
    return found[-1]


def _texts_to(api: FakeBotAPI, chat_id: int, part: str) -> int:
    return sum(
        1
        for call in api.calls_of("sendMessage", chat_id=chat_id)
        if call.ok and part in (call.text or "")
    )


async def test_replicas_and_workers(tmp_path: Path) -> None:
    require_postgres()
    require_redis()
    async with FakeBotAPI(token=token()) as api, postgres_role() as (url, engine):
        webhook_info(api)
        env = environment(api, url, BROADCAST_RATE="8")
        migrate = await Process("migrate", env, tmp_path).start()
        assert await migrate.wait() == 0, migrate.stderr.decode()
        # Two migrations at once: the lock makes them take turns; both succeed.
        again = [await Process("migrate", env, tmp_path).start() for _ in range(2)]
        assert [await m.wait() for m in again] == [0, 0]

        a, b = Process("serve", env, tmp_path), Process("serve", env, tmp_path)
        workers = [Process("worker", env, tmp_path), Process("worker", env, tmp_path)]
        processes = [a, b, *workers]
        try:
            for process in processes:
                await process.start()
            for process in processes:
                await process.until_up()
            active = await _holder(workers)
            standby = next(w for w in workers if w is not active)
            status, body = await standby.get("/readyz")
            assert status == 503 and isinstance(body, dict)
            assert body["checks"]["lease"]["detail"] == "standby"

            await _bad_requests(b)
            await _apply(api, a, b, engine)
            await _replica_killed(api, a, b, tmp_path, env)
            await _scheduled_broadcast(api, engine)
            await _worker_takeover(api, engine, workers, active, standby)

            status, metrics = await b.get("/metrics")
            assert status == 200 and isinstance(metrics, str)
            for name in (
                "bot_updates_total",
                "bot_update_seconds_bucket",
                "bot_webhook_requests_total",
                "bot_api_requests_total",
                "bot_applications",
                "bot_outbox_backlog",
                "bot_broadcast_deliveries",
            ):
                assert name in metrics, name
            assert 'bot_webhook_requests_total{result="unauthorized"} 2.0' in metrics
            assert 'bot_webhook_requests_total{result="too_large"} 1.0' in metrics
            assert 'bot_webhook_requests_total{result="duplicate"}' in metrics
            _, worker_metrics = await standby.get("/metrics")
            assert "bot_scheduler_runs_total" in str(worker_metrics)
            assert "bot_worker_lease_held 1.0" in str(worker_metrics)
        finally:
            for process in processes:
                if process.process is not None and process.process.returncode is None:
                    await process.stop()
        for process in processes:
            assert api.token not in process.stderr.decode(errors="replace")
            assert PHONE not in process.stderr.decode(errors="replace")
            assert "Traceback" not in process.stderr.decode(errors="replace"), process.role


async def _bad_requests(replica: Process) -> None:
    update = {"update_id": 1, "message": {"message_id": 1}}
    assert await replica.post_update(update, secret=None) == 401
    assert await replica.post_update(update, secret="wrong") == 401
    assert await replica.post_update({}, body=b"not json") == 400
    assert await replica.post_update({"hello": "world"}) == 400
    assert await replica.post_update({}, body=b" " * (1024 * 1024 + 10)) == 413


async def _apply(api: FakeBotAPI, a: Process, b: Process, engine: AsyncEngine) -> None:
    """The questionnaire and the application, each update to the other replica, some twice."""
    person = Person(api, 6_100_000_001)
    replicas = [a, b]
    turn = 0

    async def send(update: dict[str, Any], twice: bool = False) -> None:
        nonlocal turn
        first = replicas[turn % 2]
        turn += 1
        assert await first.post_update(update) == 200
        if twice:  # Telegram re-sends after a lost answer: handled once
            assert await replicas[turn % 2].post_update(update) == 200

    await send(person.message("/start"), twice=True)
    await send(person.click("Русский"))
    await send(person.callback("pos:62"), twice=True)
    await send(person.click("✍️"))
    await send(person.click("Среднее общее"), twice=True)
    await send(person.click("C1"))
    await send(person.click("Готово"))
    await send(person.click("📨 Подать заявку"), twice=True)
    await send(person.click("Согласен"))
    await send(person.message(NAME), twice=True)
    await send(person.message(PHONE))
    await send(person.click("Пропустить"))  # CV
    await send(person.click("Пропустить"), twice=True)  # comment
    await send(person.click("📨 Отправить"), twice=True)

    factory = async_sessionmaker(engine)

    async def one_application() -> bool:
        async with factory() as session:
            return bool(await session.scalar(select(func.count()).select_from(Application)))

    await _until(one_application, what="the application")
    async with factory() as session:
        apps = (await session.scalars(select(Application))).all()
        assert len(apps) == 1 and apps[0].full_name == NAME and apps[0].phone == PHONE

    async def delivered() -> bool:  # the worker delivered HR's card (nudged by NOTIFY)
        async with factory() as session:
            rows = (await session.scalars(select(OutboxMessage))).all()
            return bool(rows) and all(r.delivered_at is not None for r in rows)

    await _until(delivered, what="the HR card")
    cards = [c for c in api.calls_of("editMessageText", chat_id=HR_CHAT) if NAME in (c.text or "")]
    assert len(cards) == 1
    # One question each time, never two answers to one update.
    questions = [c.text or "" for c in api.calls_of("sendMessage", chat_id=person.user_id)]
    assert sum("Вопрос 1 из" in q for q in questions) <= 1


async def _replica_killed(
    api: FakeBotAPI, a: Process, b: Process, tmp_path: Path, env: dict[str, str]
) -> None:
    """kill -9 of a replica mid-conversation: the other carries on where it stood."""
    person = Person(api, 6_100_000_002)
    assert await a.post_update(person.message("/start")) == 200
    assert await b.post_update(person.click("Русский")) == 200
    assert await a.post_update(person.callback("pos:62")) == 200
    assert await a.post_update(person.click("✍️")) == 200
    await a.stop(signal.SIGKILL)
    assert await b.post_update(person.click("Среднее общее")) == 200
    after = api.cursor
    assert await b.post_update(person.click("C1")) == 200
    assert await b.post_update(person.click("Готово")) == 200
    result = await api.wait_for(
        predicate=lambda c: "Результат проверки" in (c.text or ""),
        after=after,
        chat_id=person.user_id,
        timeout=10,
    )
    assert result is not None
    await a.start()  # back for the rest of the test
    await a.until_up()


async def _subscribers(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            insert(Subscription), [{"user_id": uid, "departments": None} for uid in SUBSCRIBERS]
        )


async def _broadcast_done(engine: AsyncEngine, broadcast_id: int) -> bool:
    async with async_sessionmaker(engine)() as session:
        status = await session.scalar(select(Broadcast.status).where(Broadcast.id == broadcast_id))
    return status == BroadcastStatus.done


async def _scheduled_broadcast(api: FakeBotAPI, engine: AsyncEngine) -> None:
    """Scheduled as serve does (a ``scheduled`` row): sent once, by the worker."""
    await _subscribers(engine)
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        broadcast = await broadcasts.create_broadcast(
            session,
            kind="manual",
            text_kk="Жаңалық: scheduled-one",
            text_ru="Новость: scheduled-one",
            scheduled_at=datetime.now(UTC) + timedelta(seconds=1),
        )
    await _until(lambda: _broadcast_done(engine, broadcast.id), 30, "the scheduled broadcast")
    counts = Counter(
        c.chat_id for c in api.calls_of("sendMessage") if c.ok and "scheduled-one" in (c.text or "")
    )
    assert set(counts) == set(SUBSCRIBERS) and set(counts.values()) == {1}


async def _worker_takeover(
    api: FakeBotAPI,
    engine: AsyncEngine,
    workers: list[Process],
    active: Process,
    standby: Process,
) -> None:
    """kill -9 of the worker mid-broadcast: the standby takes the lease and finishes it;
    nobody is skipped, at most BROADCAST_MAX_IN_FLIGHT (1) message is sent twice."""
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        broadcast = await broadcasts.create_broadcast(
            session, kind="manual", text_kk="takeover-two", text_ru="takeover-two"
        )
        await broadcasts.materialize(session, broadcast.id)  # «send now» in serve does this

    def sent() -> int:
        return sum(
            1 for c in api.calls_of("sendMessage") if c.ok and "takeover-two" in (c.text or "")
        )

    async def some_sent() -> bool:
        return sent() >= 5

    await _until(some_sent, 30, "the broadcast to start")
    await active.stop(signal.SIGKILL)
    assert sent() < len(SUBSCRIBERS)
    assert await _holder(workers, 20) is standby
    await _until(lambda: _broadcast_done(engine, broadcast.id), 30, "the takeover")
    counts = Counter(
        c.chat_id for c in api.calls_of("sendMessage") if c.ok and "takeover-two" in (c.text or "")
    )
    assert set(counts) == set(SUBSCRIBERS)
    assert sum(counts.values()) - len(SUBSCRIBERS) <= 1
