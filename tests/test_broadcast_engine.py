"""The broadcast delivery engine against the fake Bot API over HTTP, on SQLite and PostgreSQL:
exactly one message per recipient through 429s and blocked bots, crash safety (a run
killed mid-way and resumed loses nobody and duplicates at most the requests in flight),
materialize's audience and idempotence, the runner and HR's progress message."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiogram import Bot
from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.catalogue.service import CatalogueService
from bot.config import Settings
from bot.db.engine import create_session_factory
from bot.db.models import (
    Broadcast,
    BroadcastDelivery,
    BroadcastStatus,
    DeliveryStatus,
    Subscription,
    User,
)
from bot.deps import JobContext
from bot.i18n import Translator
from bot.jobs import JobHolder, broadcast_job
from bot.sending.announcer import Announcer
from bot.sending.engine import DeliveryEngine, ProgressSnapshot, short_reason
from bot.sending.runner import BroadcastRunner, HRProgress, resume_all
from bot.services import broadcasts
from bot.services.broadcasts import BroadcastStateError
from tests.fakes.bot_api_server import Call, FakeBotAPI, JSONDict

Factory = async_sessionmaker[AsyncSession]
FIRST = 10_001  # chat ids of the seeded subscribers start here


@pytest.fixture
def factory(engine: AsyncEngine) -> Factory:
    return create_session_factory(engine)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI() as server:
        yield server


@pytest.fixture
async def bot(api: FakeBotAPI) -> AsyncIterator[Bot]:
    bot = api.create_bot()
    try:
        yield bot
    finally:
        await bot.session.close()


async def seed(
    factory: Factory,
    n: int,
    *,
    first: int = FIRST,
    departments: list[str] | None = None,
    kazakh: Iterable[int] = (),
) -> list[int]:
    """``n`` subscribers (chat ids from ``first``), Russian unless in ``kazakh``."""
    ids = list(range(first, first + n))
    kk = set(kazakh)
    now = datetime.now(UTC)
    async with factory() as session:
        await session.execute(
            insert(User),
            [
                {
                    "id": i,
                    "language": "kk" if i in kk else "ru",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in ids
            ],
        )
        await session.execute(
            insert(Subscription),
            [
                {"user_id": i, "departments": departments, "created_at": now, "updated_at": now}
                for i in ids
            ],
        )
        await session.commit()
    return ids


async def new_broadcast(factory: Factory, **kwargs: Any) -> int:
    params: dict[str, Any] = {"kind": "manual", "text_kk": "Жаңа бос орын", "text_ru": "Вакансия"}
    params.update(kwargs)
    async with factory() as session:
        broadcast = await broadcasts.create_broadcast(session, **params)
        return broadcast.id


async def started_broadcast(factory: Factory, **kwargs: Any) -> int:
    broadcast_id = await new_broadcast(factory, **kwargs)
    async with factory() as session:
        await broadcasts.materialize(session, broadcast_id)
    return broadcast_id


async def statuses(factory: Factory, broadcast_id: int) -> dict[int, str]:
    async with factory() as session:
        rows = await session.execute(
            select(BroadcastDelivery.chat_id, BroadcastDelivery.status).where(
                BroadcastDelivery.broadcast_id == broadcast_id
            )
        )
        return {int(chat): str(status) for chat, status in rows}


async def load(factory: Factory, broadcast_id: int) -> Broadcast:
    async with factory() as session:
        broadcast = await broadcasts.get_broadcast(session, broadcast_id)
        assert broadcast is not None
        return broadcast


async def subscribed(factory: Factory) -> set[int]:
    async with factory() as session:
        return set(await session.scalars(select(Subscription.user_id)))


def fast_engine(bot: Bot, factory: Factory, **kwargs: Any) -> DeliveryEngine:
    params: dict[str, Any] = {
        "allow_paid_broadcast": True,
        "rate": 1000.0,
        "max_in_flight": 4,
        "retry_base": 0.01,
        "per_chat_interval": 0.05,
    }
    params.update(kwargs)
    return DeliveryEngine(bot, factory, **params)


def error(code: int, description: str, retry_after: int | None = None) -> JSONDict:
    response: JSONDict = {"ok": False, "error_code": code, "description": description}
    if retry_after is not None:
        response["parameters"] = {"retry_after": retry_after}
    return response


# ---------------------------------------------------------------------- materialize


async def test_materialize_audience_language_and_idempotence(factory: Factory) -> None:
    await seed(factory, 3, first=100)  # all departments (JSON null)
    await seed(factory, 2, first=200, departments=["fire", "medical"], kazakh=[200])
    await seed(factory, 2, first=300, departments=["logistics"])
    async with factory() as session:  # SQL NULL departments also mean «all»
        await session.execute(
            update(Subscription).where(Subscription.user_id == 100).values(departments=None)
        )
        # A subscriber without a users row: Russian.
        session.add(Subscription(user_id=400, departments=["medical"]))
        await session.commit()

    everyone = await new_broadcast(factory)
    medical = await new_broadcast(factory, kind="vacancy", departments=["medical", "rescue"])
    async with factory() as session:
        assert await broadcasts.materialize(session, everyone) == 8
        assert await broadcasts.materialize(session, medical) == 6
        # Again: nobody twice.
        assert await broadcasts.materialize(session, medical) == 6
    assert set(await statuses(factory, medical)) == {100, 101, 102, 200, 201, 400}
    assert set((await statuses(factory, medical)).values()) == {DeliveryStatus.pending}
    async with factory() as session:
        languages = dict(
            (
                await session.execute(
                    select(BroadcastDelivery.chat_id, BroadcastDelivery.language).where(
                        BroadcastDelivery.broadcast_id == medical
                    )
                )
            ).all()
        )
    assert languages[200] == "kk" and languages[201] == "ru" and languages[400] == "ru"

    # A subscriber who arrives later is added by a second materialize, the others are not.
    await seed(factory, 1, first=500, departments=["rescue"])
    async with factory() as session:
        assert await broadcasts.materialize(session, medical) == 7
        count = await session.scalar(
            select(func.count()).where(BroadcastDelivery.broadcast_id == medical)
        )
    assert count == 7
    broadcast = await load(factory, medical)
    assert broadcast.status == BroadcastStatus.sending
    assert broadcast.total == 7 and broadcast.started_at is not None


async def test_materialize_is_fast_for_many_subscribers(factory: Factory) -> None:
    now = datetime.now(UTC)
    async with factory() as session:
        await session.execute(
            insert(Subscription),
            [
                {
                    "user_id": i,
                    "departments": ["fire"] if i % 2 else None,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(1, 20_001)
            ],
        )
        await session.commit()
    broadcast_id = await new_broadcast(factory, departments=["fire"])
    start = time.perf_counter()
    async with factory() as session:
        assert await broadcasts.materialize(session, broadcast_id) == 20_000
    assert time.perf_counter() - start < 5


async def test_cancel_and_states(factory: Factory) -> None:
    draft = await new_broadcast(factory)
    scheduled = await new_broadcast(factory, scheduled_at=datetime.now(UTC) + timedelta(hours=1))
    sending = await started_broadcast(factory)
    assert (await load(factory, draft)).status == BroadcastStatus.draft
    assert (await load(factory, scheduled)).status == BroadcastStatus.scheduled
    async with factory() as session:
        assert await broadcasts.cancel(session, draft)
        assert await broadcasts.cancel(session, scheduled)
        assert not await broadcasts.cancel(session, sending)
        assert not await broadcasts.cancel(session, 999_999)
        with pytest.raises(BroadcastStateError):
            await broadcasts.materialize(session, draft)
        with pytest.raises(BroadcastStateError):
            await broadcasts.materialize(session, 999_999)
        listed = await broadcasts.list_broadcasts(session, limit=2)
    assert [b.id for b in listed] == [sending, scheduled]
    with pytest.raises(ValueError):
        async with factory() as session:
            await broadcasts.create_broadcast(session, kind="spam", text_kk="a", text_ru="b")


def test_a_caption_is_checked_as_telegram_counts_it() -> None:
    fits = "<b>" + "&lt;" * 1000 + "</b>" + "ж" * 24  # 1024 visible characters
    assert broadcasts.visible_length(fits) == 1024
    assert broadcasts.visible_length("😀") == 2  # UTF-16, as Telegram counts
    content = broadcasts.message_content(fits, "Коротко", "photo-1")
    assert content == broadcasts.Content(fits, "Коротко", "photo-1")
    # Without a photo any length goes (the text limit is the composer's); with one, no.
    assert broadcasts.message_content("ж" * 2000, "x", None).photo_file_id is None
    with pytest.raises(broadcasts.CaptionTooLong) as error:
        broadcasts.message_content("x", fits + "😀", "photo-1")
    assert error.value.length == 1026


async def test_a_broadcast_with_a_too_long_caption_is_never_stored(factory: Factory) -> None:
    async with factory() as session:
        with pytest.raises(broadcasts.CaptionTooLong):
            await broadcasts.create_broadcast(
                session, kind="manual", text_kk="ж" * 1025, text_ru="x", photo_file_id="p"
            )
        assert await session.scalar(select(func.count()).select_from(Broadcast)) == 0


async def test_unsubscribe(factory: Factory) -> None:
    await seed(factory, 2)
    async with factory() as session:
        assert await broadcasts.unsubscribe(session, FIRST)
        assert not await broadcasts.unsubscribe(session, FIRST)
    assert await subscribed(factory) == {FIRST + 1}


# ---------------------------------------------------------------------- the engine


async def test_everyone_gets_exactly_one_message_through_429_and_403(
    factory: Factory, api: FakeBotAPI, bot: Bot
) -> None:
    n = 200
    ids = await seed(factory, n)
    blocked = set(ids[::20])  # 5 %
    api.block(*blocked)
    limited = {ids[101], ids[102]}  # 1 %: their first request gets a per-chat 429
    seen_429: set[int] = set()

    def responder(call: Call) -> JSONDict | None:
        chat = call.chat_id
        if chat in limited and chat not in seen_429:
            seen_429.add(chat)
            return error(429, "Too Many Requests: retry after 1", retry_after=1)
        return None

    api.record = False
    api.responder = responder
    broadcast_id = await started_broadcast(factory)
    snapshots: list[ProgressSnapshot] = []

    async def progress(snapshot: ProgressSnapshot) -> None:
        snapshots.append(snapshot)

    engine = fast_engine(bot, factory, progress=progress, progress_interval=0.2)
    report = await engine.run(broadcast_id)

    delivered = set(ids) - blocked
    assert all(api.chat_counts[chat] == 1 for chat in delivered)
    assert sum(api.chat_counts.values()) == len(delivered)
    assert all(api.chat_counts[chat] == 0 for chat in blocked)
    assert api.error_counts[429] == 2
    assert report.completed and report.sent == len(delivered)
    assert report.unsubscribed == len(blocked) and report.failed == 0 and report.left == 0
    assert report.processed == n and report.deferred == 2
    assert report.paused_seconds == 0 and report.flood_waits == 0  # only those chats waited
    rows = await statuses(factory, broadcast_id)
    assert {c for c, s in rows.items() if s == DeliveryStatus.unsubscribed} == blocked
    assert {c for c, s in rows.items() if s == DeliveryStatus.sent} == delivered
    assert await subscribed(factory) == delivered
    broadcast = await load(factory, broadcast_id)
    assert broadcast.status == BroadcastStatus.done and broadcast.finished_at is not None
    assert (broadcast.total, broadcast.sent_count, broadcast.failed_count) == (
        n,
        len(delivered),
        len(blocked),
    )
    assert snapshots and snapshots[-1].finished and snapshots[-1].left == 0
    assert snapshots[-1].sent == len(delivered)
    # Running a done broadcast again sends nothing.
    again = await engine.run(broadcast_id)
    assert again.completed and again.processed == 0
    assert sum(api.chat_counts.values()) == len(delivered)


async def test_language_button_photo_and_paid_flag(
    factory: Factory, api: FakeBotAPI, bot: Bot
) -> None:
    kk, ru = await seed(factory, 2, kazakh=[FIRST])
    broadcast_id = await started_broadcast(
        factory,
        text_kk="<b>Жаңа</b> бос орын",
        text_ru="<b>Новая</b> вакансия",
        position_number=22,
    )
    await fast_engine(bot, factory).run(broadcast_id)
    to_kk = api.last_call("sendMessage", chat_id=kk)
    to_ru = api.last_call("sendMessage", chat_id=ru)
    assert to_kk.params["text"] == "<b>Жаңа</b> бос орын"
    assert to_ru.params["text"] == "<b>Новая</b> вакансия"
    assert to_kk.params["parse_mode"] == "HTML"
    assert to_kk.params["allow_paid_broadcast"] is True
    translator = Translator()
    assert to_kk.button_texts == [translator("kk", "broadcast_engine.open_position")]
    assert to_ru.button_texts == [translator("ru", "broadcast_engine.open_position")]
    assert to_ru.callback_data == ["card:22:a"]  # the card arrives below the announcement

    photo = await started_broadcast(factory, photo_file_id="PHOTO-ID", text_ru="Фото")
    await DeliveryEngine(bot, factory, rate=30, max_in_flight=2).run(photo)
    call = api.last_call("sendPhoto", chat_id=ru)
    assert call.params["caption"] == "Фото" and call.reply_markup is None
    assert "allow_paid_broadcast" not in call.params


async def test_per_chat_429_defers_only_that_chat(
    factory: Factory, api: FakeBotAPI, bot: Bot
) -> None:
    ids = await seed(factory, 30)
    refused = ids[5]
    api.flood_chat(refused, 1.0)  # Telegram: this chat, retry after 1 s
    arrivals: list[tuple[float, int]] = []

    def responder(call: Call) -> JSONDict | None:
        arrivals.append((time.monotonic(), call.chat_id))  # requests Telegram accepted
        return None

    api.responder = responder
    broadcast_id = await started_broadcast(factory)
    report = await fast_engine(bot, factory, max_in_flight=4).run(broadcast_id)

    assert report.completed and report.sent == 30 and report.failed == 0
    assert report.deferred == 1 and report.flood_waits == 0 and report.paused_seconds == 0
    assert api.error_counts[429] == 1 and api.flood_refusals == {"chat": 1}
    # Everybody else went meanwhile; the refused chat after its wait, once.
    assert [chat for _, chat in arrivals][-1] == refused
    assert all(api.chat_counts[chat] == 1 for chat in ids)
    [refused_at] = [c for c in api.calls_of("sendMessage", chat_id=refused) if c.status == 429]
    assert refused_at.index < min(
        c.index for c in api.calls_of("sendMessage") if c.chat_id == ids[-1]
    )  # refused early, the last row still went before its retry
    delivered_at = next(at for at, chat in arrivals if chat == refused)
    first_at = min(at for at, _ in arrivals)
    assert delivered_at - first_at >= 0.95  # not before Telegram's retry_after
    async with factory() as session:
        row = await session.scalar(
            select(BroadcastDelivery).where(
                BroadcastDelivery.broadcast_id == broadcast_id,
                BroadcastDelivery.chat_id == refused,
            )
        )
    assert row is not None and row.status == DeliveryStatus.sent
    assert row.attempts == 1  # a 429 is not the recipient's failure


async def test_bot_wide_flood_wait_pauses_every_send(
    factory: Factory, api: FakeBotAPI, bot: Bot
) -> None:
    ids = await seed(factory, 40)
    served = 0

    def responder(call: Call) -> JSONDict | None:
        nonlocal served
        served += 1
        if served == 6:  # Telegram starts refusing every chat for a second
            api.flood_wait(1.0)
            return error(429, "Too Many Requests: retry after 1", retry_after=1)
        return None

    api.responder = responder
    broadcast_id = await started_broadcast(factory)
    snapshots: list[ProgressSnapshot] = []

    async def progress(snapshot: ProgressSnapshot) -> None:
        snapshots.append(snapshot)

    engine = fast_engine(bot, factory, progress=progress, progress_interval=0.1)
    report = await engine.run(broadcast_id)

    assert report.completed and report.sent == 40 and report.failed == 0
    assert report.flood_waits == 1 and report.paused_seconds >= 0.9
    assert any(s.paused for s in snapshots)  # HR's progress says «paused»
    # The engine stopped asking once the answers said «bot-wide»: 5 answers were accepted
    # before, so the 5th 429 in a row made half of the window; the rest were in flight.
    refusals = api.error_counts[429]
    assert 5 <= refusals <= 5 + engine.max_in_flight
    assert refusals < 40 - 5  # without the pause every remaining row would have been refused
    assert all(api.chat_counts[chat] == 1 for chat in ids)  # none lost, none twice
    assert set((await statuses(factory, broadcast_id)).values()) == {DeliveryStatus.sent}


async def test_graceful_stop_leaves_a_deferred_row_pending(
    factory: Factory, api: FakeBotAPI, bot: Bot
) -> None:
    ids = await seed(factory, 10)
    api.flood_chat(ids[0], 60.0)  # would keep the run waiting a minute
    api.record = False
    broadcast_id = await started_broadcast(factory)
    engine = fast_engine(bot, factory)
    task = asyncio.create_task(engine.run(broadcast_id))
    while sum(api.chat_counts.values()) < 9:
        await asyncio.sleep(0.005)
    engine.request_stop()
    report = await asyncio.wait_for(task, 10)  # does not wait for the deferred row
    assert not report.completed and report.sent == 9 and report.left == 1
    assert (await statuses(factory, broadcast_id))[ids[0]] == DeliveryStatus.pending
    api.clear_faults()
    report = await fast_engine(bot, factory).run(broadcast_id)
    assert report.completed and report.sent == 10
    assert all(api.chat_counts[chat] == 1 for chat in ids)


async def test_transient_errors_retried_then_failed(
    factory: Factory, api: FakeBotAPI, bot: Bot
) -> None:
    ids = await seed(factory, 6)
    flaky, broken, gone, bad = ids[0], ids[1], ids[2], ids[3]
    attempts: dict[int, int] = {}

    def responder(call: Call) -> JSONDict | None:
        chat = call.chat_id
        attempts[chat] = attempts.get(chat, 0) + 1
        if chat == flaky and attempts[chat] <= 2:
            return error(500, "Internal Server Error")
        if chat == broken:
            return error(502, f"Bad Gateway for {chat}")
        if chat == gone:
            return error(400, "Bad Request: chat not found")
        if chat == bad:
            return error(400, "Bad Request: can't parse entities")
        return None

    api.responder = responder
    broadcast_id = await started_broadcast(factory)
    report = await fast_engine(bot, factory, max_attempts=3).run(broadcast_id)
    assert attempts[flaky] == 3 and api.chat_counts[flaky] == 1
    assert attempts[broken] == 3 and attempts[bad] == 3 and attempts[gone] == 1
    assert (report.sent, report.failed, report.unsubscribed) == (3, 2, 1)
    assert report.completed
    async with factory() as session:
        rows = {
            r.chat_id: r
            for r in await session.scalars(
                select(BroadcastDelivery).where(BroadcastDelivery.broadcast_id == broadcast_id)
            )
        }
    assert rows[flaky].status == DeliveryStatus.sent and rows[flaky].attempts == 3
    assert rows[broken].status == DeliveryStatus.failed and rows[broken].attempts == 3
    assert rows[broken].last_error is not None
    assert str(broken) not in rows[broken].last_error  # no chat id in the reason
    assert rows[broken].last_error.startswith("TelegramServerError")
    assert rows[bad].status == DeliveryStatus.failed
    assert rows[gone].status == DeliveryStatus.unsubscribed
    assert gone not in await subscribed(factory)
    assert broken in await subscribed(factory)  # failing is not unsubscribing

    # HR's «retry the failed ones»: back to pending, sent by the next run.
    api.responder = None
    async with factory() as session:
        assert await broadcasts.requeue_failed(session, broadcast_id) == 2
    report = await fast_engine(bot, factory).run(broadcast_id)
    assert (report.sent, report.failed, report.unsubscribed) == (5, 0, 1)
    broadcast = await load(factory, broadcast_id)
    assert (broadcast.status, broadcast.sent_count, broadcast.failed_count) == ("done", 5, 1)


async def test_revoked_token_stops_the_run(factory: Factory, api: FakeBotAPI, bot: Bot) -> None:
    await seed(factory, 5)
    api.responder = lambda call: error(401, "Unauthorized")
    broadcast_id = await started_broadcast(factory)
    with pytest.raises(Exception, match="Unauthorized"):
        await fast_engine(bot, factory).run(broadcast_id)
    assert set((await statuses(factory, broadcast_id)).values()) == {DeliveryStatus.pending}
    assert (await load(factory, broadcast_id)).status == BroadcastStatus.sending


async def test_draft_cannot_run(factory: Factory, bot: Bot) -> None:
    draft = await new_broadcast(factory)
    with pytest.raises(BroadcastStateError):
        await fast_engine(bot, factory).run(draft)


def test_short_reason_masks_ids() -> None:
    reason = short_reason(RuntimeError("chat 123456789 is broken\nagain"))
    assert reason == "RuntimeError: chat N is broken again"


# ---------------------------------------------------------------------- crash safety


@pytest.mark.parametrize("max_in_flight", [1, 8])
async def test_killed_mid_way_and_resumed(
    factory: Factory, api: FakeBotAPI, bot: Bot, max_in_flight: int
) -> None:
    n = 120
    ids = await seed(factory, n)
    api.record = False
    api.block(ids[3])

    async def slow(call: Call) -> JSONDict | None:
        await asyncio.sleep(0.002)  # requests stay in flight for a moment
        return None

    api.responder = slow
    broadcast_id = await started_broadcast(factory)
    for kill_after in (25, 70):  # two kills, then a full resume
        engine = fast_engine(bot, factory, max_in_flight=max_in_flight)
        task = asyncio.create_task(engine.run(broadcast_id))
        while sum(api.chat_attempts.values()) < kill_after:
            await asyncio.sleep(0.001)
        task.cancel()  # like kill -9: no clean-up in the engine's favour
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.sleep(0.05)  # let the cancelled requests reach the server
    assert (await load(factory, broadcast_id)).status == BroadcastStatus.sending

    resumed = await resume_all(factory, fast_engine(bot, factory, max_in_flight=max_in_flight))
    assert resumed == [broadcast_id]
    rows = await statuses(factory, broadcast_id)
    assert sum(1 for s in rows.values() if s == DeliveryStatus.sent) == n - 1
    assert rows[ids[3]] == DeliveryStatus.unsubscribed
    lost = [c for c in ids if c != ids[3] and api.chat_counts[c] == 0]
    duplicates = sum(max(0, api.chat_counts[c] - 1) for c in ids)
    assert lost == []
    assert duplicates <= 2 * max_in_flight  # two kills: each at most max_in_flight
    broadcast = await load(factory, broadcast_id)
    assert broadcast.status == BroadcastStatus.done and broadcast.sent_count == n - 1


async def test_graceful_stop_keeps_rows_pending(
    factory: Factory, api: FakeBotAPI, bot: Bot
) -> None:
    await seed(factory, 60)
    api.record = False

    async def slow(call: Call) -> JSONDict | None:
        await asyncio.sleep(0.005)
        return None

    api.responder = slow
    broadcast_id = await started_broadcast(factory)
    engine = fast_engine(bot, factory, max_in_flight=2, rate=200)
    task = asyncio.create_task(engine.run(broadcast_id))
    while sum(api.chat_counts.values()) < 10:
        await asyncio.sleep(0.001)
    engine.request_stop()
    report = await task
    assert not report.completed and report.left > 0
    # Every message Telegram accepted is recorded: a graceful stop duplicates nobody.
    assert report.sent == sum(api.chat_counts.values())
    report = await fast_engine(bot, factory).run(broadcast_id)
    assert report.completed and report.sent == 60
    assert max(api.chat_counts.values()) == 1


# ---------------------------------------------------------------------- runner


async def test_runner_start_now_scheduled_and_resume(
    factory: Factory, api: FakeBotAPI, bot: Bot, settings: Settings, catalogue: CatalogueService
) -> None:
    await seed(factory, 10)
    runner = BroadcastRunner(factory, fast_engine(bot, factory))
    # A broadcast left sending (a crash before its run) is resumed at start.
    interrupted = await started_broadcast(factory)
    assert await runner.start() == [interrupted]
    first = await new_broadcast(factory)
    assert await runner.start_now(first) == 10
    await runner.wait_idle(timeout=10)
    assert runner.reports[interrupted].sent == 10 and runner.reports[first].sent == 10

    # A scheduled broadcast's job (only its id is stored) starts it through the announcer.
    context = JobContext(
        bot=bot,
        session_factory=factory,
        settings=settings,
        translator=Translator(),
        catalogue=catalogue,
    )
    JobHolder.announcer = Announcer(context, runner=runner)
    try:
        scheduled = await new_broadcast(factory, scheduled_at=datetime.now(UTC))
        cancelled = await new_broadcast(factory, scheduled_at=datetime.now(UTC))
        async with factory() as session:
            await broadcasts.cancel(session, cancelled)
        await broadcast_job(scheduled)
        await broadcast_job(cancelled)  # skipped, no error
        await runner.wait_idle(timeout=10)
        assert runner.reports[scheduled].completed
        assert cancelled not in runner.reports
        assert (await load(factory, cancelled)).status == BroadcastStatus.cancelled
        with pytest.raises(BroadcastStateError):
            await runner.start_now(cancelled)
    finally:
        JobHolder.announcer = None
        await runner.stop()
    assert all(count == 3 for count in api.chat_counts.values())
    await broadcast_job(scheduled)  # no announcer: logged, nothing happens


async def test_hr_progress_message(factory: Factory, api: FakeBotAPI, bot: Bot) -> None:
    await seed(factory, 40)
    hr = 9000
    async with factory() as session:
        session.add(User(id=hr, language="kk"))
        await session.commit()
    translator = Translator()
    progress = HRProgress(bot, factory, translator, min_interval=0.0)
    engine = fast_engine(bot, factory, rate=400, progress=progress, progress_interval=0.02)
    progress.bucket = engine.bucket
    broadcast_id = await started_broadcast(factory, progress_chat_id=hr)
    await engine.run(broadcast_id)
    first = api.calls_of("sendMessage", chat_id=hr)
    assert len(first) == 1
    assert first[0].text is not None and f"№{broadcast_id}" in first[0].text
    message_id = first[0].result["message_id"]
    assert (await load(factory, broadcast_id)).progress_message_id == message_id
    final = api.chat_messages(hr)[-1]
    assert final["message_id"] == message_id
    assert final["text"].startswith("✅")
    assert "40" in final["text"]
    # The edits went to the same message; subscribers got one message each.
    assert all(api.chat_counts[c] == 1 for c in range(FIRST, FIRST + 40))


async def test_runner_stop_then_resume_at_next_start(
    factory: Factory, api: FakeBotAPI, bot: Bot
) -> None:
    await seed(factory, 80)
    api.record = False

    async def slow(call: Call) -> JSONDict | None:
        await asyncio.sleep(0.005)
        return None

    api.responder = slow
    runner = BroadcastRunner(factory, fast_engine(bot, factory, max_in_flight=2, rate=200))
    await runner.start()
    first = await new_broadcast(factory)
    second = await new_broadcast(factory)
    await runner.start_now(first)
    await runner.start_now(second)
    assert runner.queued == [second] or runner.current == first
    while sum(api.chat_counts.values()) < 10:
        await asyncio.sleep(0.001)
    await runner.stop()  # shutdown: the rows in flight are recorded, the rest waits
    report = runner.reports[first]
    assert not report.completed and report.sent == sum(api.chat_counts.values())
    assert second not in runner.reports
    assert (await load(factory, first)).status == BroadcastStatus.sending
    assert (await load(factory, second)).status == BroadcastStatus.sending

    api.responder = None
    restarted = BroadcastRunner(factory, fast_engine(bot, factory))
    assert sorted(await restarted.start()) == [first, second]
    await restarted.wait_idle(timeout=10)
    await restarted.stop()
    assert restarted.reports[first].completed and restarted.reports[second].completed
    assert all(count == 2 for count in api.chat_counts.values())  # once per broadcast
