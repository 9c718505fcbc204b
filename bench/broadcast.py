"""Benchmark: a broadcast to many subscribers through the real DeliveryEngine and aiogram Bot.

Three processes, so the fake Telegram and the engine do not share one core:

* the **fake Bot API** (``tests/fakes/bot_api_server.FakeBotAPI`` with ``record=False``) on
  127.0.0.1; it answers 403 «bot was blocked» to every 20th subscriber (5 %, always the
  same people, as real blocked users) and models Telegram's flood control both ways:
  **per chat** — with probability ``--p429`` a request starts a flood of *that chat*
  (``--retry-after`` seconds of 429 for it, other chats served); **bot-wide** — with
  probability ``--p-flood`` a request starts a flood wait of ``--flood-seconds`` in which
  every chat is refused. Its counters come back over a pipe;
* the **engine** process: one ``DeliveryEngine`` (``allow_paid_broadcast``, ``--rate``,
  ``--in-flight`` requests at once) sending one broadcast from the database;
* this process: seeds ``--subscribers`` (SQLite by default, ``--database-url`` for
  PostgreSQL), materializes two broadcasts, and runs the engine twice against the same
  server: first the **baseline** (no 429 at all, stopped after ``--baseline-seconds``), then
  the measured broadcast with the 429s (with ``--crash``: killed with SIGKILL at a random
  moment and resumed by a new process); then it compares what the fake server received
  with the subscribers.

Prints ONE JSON line. The headline is ``ratio`` = ``wall_rate`` / ``configured_rate``, where
``wall_rate`` is requests per second over the whole run — pauses, waits for refused chats
and the tail included, nothing subtracted (target with 1 % per-chat 429s: ≥ 0.95);
``baseline_ratio`` is the same without any 429 in the same run (the machine's ceiling);
``delivered_rate`` counts accepted messages only. ``duplicates`` and ``lost`` are 0 without
a crash; with ``--crash`` lost stays 0 and duplicates ≤ the requests in flight. Details:
``responses_429``, ``chat_floods``/``flood_waits`` (started by the server),
``engine_flood_pauses`` (bot-wide pauses the engine made), ``deferred`` (rows put aside by
a per-chat 429), ``paused_seconds``, ``peak_rss_mb`` (ru_maxrss of the engine process),
``seconds``, CPU.

Usage: python bench/broadcast.py [--subscribers 100000] [--rate 1000] [--in-flight 32]
       [--p429 0.01] [--retry-after 1] [--p-flood 0] [--flood-seconds 5]
       [--baseline-seconds 15] [--crash] [--database-url URL] [--profile FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import resource
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIRST_CHAT = 1_000_001
TEXT_RU = "<b>Новая вакансия</b>: спасатель 2-го класса, 5 мест. Требования и заявка — по кнопке."
TEXT_KK = "<b>Жаңа бос орын</b>: 2-сыныпты құтқарушы, 5 орын. Талаптар мен өтінім — батырмада."


def open_database(database_url: str) -> Any:
    """The bot's engine factory; on PostgreSQL inside this run's own schema (named in the
    URL's fragment ``#schema``), so the benchmark never touches existing tables."""
    from sqlalchemy.ext.asyncio import create_async_engine

    from bot.db.engine import create_engine

    url, _, schema = database_url.partition("#")
    if not schema:
        return create_engine(url)
    return create_async_engine(
        url, pool_pre_ping=True, connect_args={"server_settings": {"search_path": schema}}
    )


def blocked(chat_id: int) -> bool:
    return (chat_id - FIRST_CHAT) % 20 == 0  # 5 %


# ---------------------------------------------------------------------- the fake Telegram


def serve(conn: Connection, seed: int) -> None:
    """The fake Bot API process: reports its port, then answers commands over the pipe."""
    asyncio.run(_serve(conn, seed))


async def _serve(conn: Connection, seed: int) -> None:
    from tests.fakes.bot_api_server import Call, FakeBotAPI, JSONDict

    def responder(call: Call) -> JSONDict | None:
        chat = call.chat_id
        if isinstance(chat, int) and blocked(chat):
            return {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: bot was blocked by the user",
            }
        return None

    api = FakeBotAPI(record=False)
    api.responder = responder
    api.flood_rng = random.Random(seed)
    await api.start()
    conn.send(api.base_url)
    loop = asyncio.get_running_loop()
    try:
        while True:
            command = await loop.run_in_executor(None, conn.recv)
            if command == "stats":
                conn.send(
                    {
                        "chat_counts": dict(api.chat_counts),
                        "chat_attempts": sum(api.chat_attempts.values()),
                        "errors": {str(k): v for k, v in api.error_counts.items()},
                        "floods": dict(api.floods),
                        "server_cpu_s": _cpu_seconds(),
                    }
                )
            elif command == "reset":
                api.clear()
                api.clear_faults()
            elif isinstance(command, tuple) and command[0] == "floods":
                _, p_chat, chat_seconds, p_bot, bot_seconds = command
                api.chat_flood_probability, api.chat_flood_seconds = p_chat, chat_seconds
                api.flood_wait_probability, api.flood_wait_seconds = p_bot, bot_seconds
            elif command == "stop":
                break
    finally:
        await api.stop()


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# ---------------------------------------------------------------------- the engine process


def send(
    conn: Connection,
    database_url: str,
    base_url: str,
    broadcast_id: int,
    rate: float,
    in_flight: int,
    profile: str | None,
    stop_after: float | None,
) -> None:
    """The engine process: send the broadcast's pending rows (with ``stop_after``: stop
    gracefully after so many seconds) and report."""
    asyncio.run(
        _send(conn, database_url, base_url, broadcast_id, rate, in_flight, profile, stop_after)
    )


async def _send(
    conn: Connection,
    database_url: str,
    base_url: str,
    broadcast_id: int,
    rate: float,
    in_flight: int,
    profile: str | None,
    stop_after: float | None,
) -> None:
    from aiogram import Bot
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer

    from bot.db.engine import create_session_factory
    from bot.sending.engine import DeliveryEngine
    from tests.fakes.bot_api_server import DEFAULT_TOKEN

    engine = open_database(database_url)
    factory = create_session_factory(engine)
    session = AiohttpSession(
        api=TelegramAPIServer.from_base(base_url), limit=max(100, 2 * in_flight)
    )
    bot = Bot(DEFAULT_TOKEN, session=session)
    delivery = DeliveryEngine(
        bot, factory, rate=rate, max_in_flight=in_flight, allow_paid_broadcast=True
    )
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    conn.send({"event": "started", "at": time.monotonic()})
    cpu_before = _cpu_seconds()

    async def ticks() -> None:  # what a killed process had paused, for the rate
        while True:
            await asyncio.sleep(0.2)
            conn.send({"event": "tick", "paused": delivery.bucket.paused_seconds})

    ticker = asyncio.create_task(ticks())
    if stop_after is not None:
        asyncio.get_running_loop().call_later(stop_after, delivery.request_stop)
    report = await delivery.run(broadcast_id)
    ticker.cancel()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    conn.send(
        {
            "event": "done",
            "duration": report.duration,
            "paused": report.paused_seconds,
            "sent": report.sent,
            "failed": report.failed,
            "unsubscribed": report.unsubscribed,
            "left": report.left,
            "processed": report.processed,
            "completed": report.completed,
            "deferred": report.deferred,
            "flood_waits": report.flood_waits,
            "cpu_s": _cpu_seconds() - cpu_before,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    )
    await bot.session.close()
    await engine.dispose()


# ---------------------------------------------------------------------- set-up


async def prepare(database_url: str, subscribers: int) -> tuple[int, int, float]:
    """Schema, subscribers (a third Kazakh), two materialized broadcasts (the baseline's and
    the measured one); returns their ids and the measured one's materialize time."""
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from bot.db.engine import apply_migrations, create_session_factory
    from bot.db.models import Subscription, User
    from bot.services import broadcasts

    engine = open_database(database_url)
    await apply_migrations(engine)
    factory = create_session_factory(engine)
    now = datetime.now(UTC)
    chunk = 10_000
    async with factory() as session:
        for start in range(0, subscribers, chunk):
            ids = range(FIRST_CHAT + start, FIRST_CHAT + min(subscribers, start + chunk))
            await session.execute(
                insert(User),
                [
                    {
                        "id": i,
                        "language": "kk" if i % 3 == 0 else "ru",
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in ids
                ],
            )
            await session.execute(
                insert(Subscription),
                [
                    {"user_id": i, "departments": None, "created_at": now, "updated_at": now}
                    for i in ids
                ],
            )
        await session.commit()
        baseline = await broadcasts.create_broadcast(
            session, kind="manual", text_kk=TEXT_KK, text_ru=TEXT_RU, position_number=22
        )
        baseline_id = baseline.id
        broadcast = await broadcasts.create_broadcast(
            session, kind="manual", text_kk=TEXT_KK, text_ru=TEXT_RU, position_number=22
        )
        broadcast_id = broadcast.id
    async with factory() as session:
        await broadcasts.materialize(session, baseline_id)
    started = time.perf_counter()
    async with factory() as session:
        total = await broadcasts.materialize(session, broadcast_id)
    materialize_s = time.perf_counter() - started
    assert total == subscribers, (total, subscribers)
    await engine.dispose()
    return baseline_id, broadcast_id, materialize_s


async def database_tally(database_url: str, broadcast_id: int) -> dict[str, int]:
    from bot.db.engine import create_session_factory
    from bot.services import broadcasts

    engine = open_database(database_url)
    async with create_session_factory(engine)() as session:
        tally = await broadcasts.counts(session, broadcast_id)
    await engine.dispose()
    return {
        "sent": tally.sent,
        "unsubscribed": tally.unsubscribed,
        "failed": tally.failed,
        "pending": tally.pending,
    }


async def postgres_schema(database_url: str, schema: str, *, drop: bool) -> None:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(database_url)
    async with engine.begin() as conn:
        if drop:
            await conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        else:
            await conn.execute(text(f"CREATE SCHEMA {schema}"))
    await engine.dispose()


# ---------------------------------------------------------------------- orchestration


def run_engine(
    ctx: Any,
    args: argparse.Namespace,
    base_url: str,
    broadcast_id: int,
    kill_after: float | None,
    profile: str | None,
    stop_after: float | None = None,
) -> dict[str, Any]:
    """One engine process; killed with SIGKILL ``kill_after`` s after it started sending."""
    parent, child = ctx.Pipe()
    process = ctx.Process(
        target=send,
        args=(
            child,
            args.database_url,
            base_url,
            broadcast_id,
            args.rate,
            args.in_flight,
            profile,
            stop_after,
        ),
    )
    process.start()
    started = parent.recv()
    assert started["event"] == "started"
    t0 = time.monotonic()
    deadline = t0 + kill_after if kill_after is not None else float("inf")
    paused = 0.0
    while True:
        if not parent.poll(max(0.0, min(1.0, deadline - time.monotonic()))):
            if time.monotonic() < deadline:
                continue
            os.kill(process.pid, signal.SIGKILL)
            process.join()
            return {"event": "killed", "duration": time.monotonic() - t0, "paused": paused}
        message: dict[str, Any] = parent.recv()
        if message["event"] == "tick":
            paused = float(message["paused"])
            continue
        process.join()
        return message  # finished (before the kill, if any)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=1000.0)
    parser.add_argument("--in-flight", type=int, default=32)
    parser.add_argument("--p429", type=float, default=0.01, help="per-chat floods per request")
    parser.add_argument("--retry-after", type=int, default=1, help="a chat's flood, seconds")
    parser.add_argument("--p-flood", type=float, default=0.0, help="bot-wide floods per request")
    parser.add_argument("--flood-seconds", type=int, default=5, help="a bot-wide flood wait")
    parser.add_argument("--baseline-seconds", type=float, default=15.0)
    parser.add_argument("--crash", action="store_true")
    parser.add_argument("--database-url")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", help="write the engine's cProfile stats to this file")
    args = parser.parse_args(argv)

    ctx = multiprocessing.get_context("spawn")
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        schema = None
        if args.database_url is None:
            args.database_url = f"sqlite+aiosqlite:///{tmp}/bench.sqlite3"
        elif not args.database_url.startswith("sqlite"):
            schema = f"bench_broadcast_{os.getpid()}"
            asyncio.run(postgres_schema(args.database_url, schema, drop=False))
            args.database_url = f"{args.database_url}#{schema}"
        baseline_id, broadcast_id, materialize_s = asyncio.run(
            prepare(args.database_url, args.subscribers)
        )

        server_conn, server_child = ctx.Pipe()
        server = ctx.Process(target=serve, args=(server_child, args.seed))
        server.start()
        base_url = server_conn.recv()
        runs: list[dict[str, Any]] = []
        try:
            # The baseline: the same engine and server, no 429 at all, for a while.
            baseline = run_engine(
                ctx, args, base_url, baseline_id, None, None, stop_after=args.baseline_seconds
            )
            server_conn.send("stats")
            baseline_stats = server_conn.recv()
            server_conn.send("reset")
            floods = ("floods", args.p429, args.retry_after, args.p_flood, args.flood_seconds)
            server_conn.send(floods)
            if args.crash:
                expected = args.subscribers / args.rate
                kill_after = expected * rng.uniform(0.2, 0.8)
                runs.append(run_engine(ctx, args, base_url, broadcast_id, kill_after, None))
            runs.append(run_engine(ctx, args, base_url, broadcast_id, None, args.profile))
            server_conn.send("stats")
            stats = server_conn.recv()
            server_conn.send("stop")
        finally:
            server.join(timeout=10)
            if server.is_alive():
                server.kill()
        tally = asyncio.run(database_tally(args.database_url, broadcast_id))
        if schema is not None:
            asyncio.run(postgres_schema(args.database_url.partition("#")[0], schema, drop=True))

    counts: dict[int, int] = stats["chat_counts"]
    subscribers = range(FIRST_CHAT, FIRST_CHAT + args.subscribers)
    reachable = [c for c in subscribers if not blocked(c)]
    lost = sum(1 for c in reachable if counts.get(c, 0) == 0)
    duplicates = sum(n - 1 for n in counts.values() if n > 1)
    requests = int(stats["chat_attempts"])
    delivered = sum(counts.values())
    duration = max(1e-9, sum(float(r["duration"]) for r in runs))
    paused = sum(float(r.get("paused", 0.0)) for r in runs)
    wall_rate = requests / duration
    ratio = wall_rate / args.rate
    baseline_rate = int(baseline_stats["chat_attempts"]) / max(1e-9, float(baseline["duration"]))
    final = runs[-1]
    print(
        json.dumps(
            {
                "benchmark": "broadcast",
                "database": args.database_url.split(":", 1)[0],
                "subscribers": args.subscribers,
                "configured_rate": args.rate,
                "wall_rate": round(wall_rate, 1),
                "ratio": round(ratio, 3),
                "ratio_target_met": ratio >= 0.95,
                "baseline_wall_rate": round(baseline_rate, 1),
                "baseline_ratio": round(baseline_rate / args.rate, 3),
                "delivered_rate": round(delivered / duration, 1),
                "duplicates": duplicates,
                "lost": lost,
                "in_flight": args.in_flight,
                "crash_target_met": lost == 0 and duplicates <= args.in_flight,
                "crash": args.crash,
                "killed_after_s": round(float(runs[0]["duration"]), 2) if args.crash else None,
                "p429_chat": args.p429,
                "p_flood": args.p_flood,
                "responses_429": int(stats["errors"].get("429", 0)),
                "chat_floods": int(stats["floods"].get("chat", 0)),
                "flood_waits": int(stats["floods"].get("bot", 0)),
                "engine_flood_pauses": sum(int(r.get("flood_waits", 0)) for r in runs),
                "deferred": sum(int(r.get("deferred", 0)) for r in runs),
                "paused_seconds": round(paused, 2),
                "seconds": round(duration, 2),
                "requests": requests,
                "responses_403": int(stats["errors"].get("403", 0)),
                "delivered": delivered,
                "database_rows": tally,
                "completed": bool(final.get("completed")),
                "peak_rss_mb": round(max(float(r.get("peak_rss_mb", 0.0)) for r in runs), 1),
                "materialize_s": round(materialize_s, 2),
                "engine_cpu_s": round(float(final.get("cpu_s", 0.0)), 1),
                "server_cpu_s": round(float(stats["server_cpu_s"]), 1),
            }
        )
    )


if __name__ == "__main__":
    main()
