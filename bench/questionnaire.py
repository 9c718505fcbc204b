"""Benchmark: screening speed, and the questionnaire through the real Dispatcher on every
storage, against a bare aiogram echo bot measured in the same run.

Prints one JSON line:

- ``screen_all_median_ms``: median time to screen one profile against all 62 positions
  (target < 1 ms);
- ``runs``: for 10 and 100 concurrent applicants (``c10``, ``c100``), each walking the whole
  questionnaire (8 updates), the same number of updates through

  * ``echo``: a bare aiogram echo bot (memory storage, no database): the baseline;
  * ``memory_sqlite`` / ``memory_postgres``: our handlers with aiogram's MemoryStorage (the
    services' database on SQLite / PostgreSQL): the ceiling of the handlers themselves;
  * ``sqlite`` / ``postgres``: our handlers with the SQL FSM storage (the production path);
  * ``redis``: our handlers with aiogram's RedisStorage (only when ``REDIS_URL`` is set),

  each with updates/s, ``vs_echo``, ``vs_memory`` (the persistent runs against the memory
  run on the same database), p50/p99 per update in ms, CPU µs per update (this process,
  the database driver's threads included) and commits per update, each the median over
  ``--rounds`` rounds (this machine's speed varies from run to run);
- the targets: persistent runs ≥ 0.9× their memory run and ≥ 0.5× echo, p99 < 50 ms at 10
  concurrent applicants.

Usage: python bench/questionnaire.py [--applicants 200] [--rounds 3] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiogram import Dispatcher, Router  # noqa: E402
from aiogram.fsm.storage.base import BaseStorage  # noqa: E402
from aiogram.fsm.storage.memory import MemoryStorage  # noqa: E402
from aiogram.types import Message  # noqa: E402
from pydantic import SecretStr  # noqa: E402
from sqlalchemy import event, text  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine  # noqa: E402

from bot.app import create_dispatcher  # noqa: E402
from bot.catalogue.loader import load_catalogue  # noqa: E402
from bot.catalogue.service import CatalogueService  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.db.engine import apply_migrations, create_engine, create_session_factory  # noqa: E402
from bot.i18n import Translator  # noqa: E402
from bot.screening.engine import Screener  # noqa: E402
from bot.screening.profile import Profile  # noqa: E402
from bot.startup import freeze_startup_objects  # noqa: E402
from bot.storage.sql_fsm import SQLStorage  # noqa: E402
from tests.harness import Person  # noqa: E402
from tests.recording_session import RecordingSession, make_bot  # noqa: E402

POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
STEPS_PER_APPLICANT = 8


def bench_screening(catalogue: CatalogueService, rounds: int = 3000) -> float:
    screener = Screener(catalogue.catalogue)
    profile = Profile(
        education_level="higher",
        fields_of_study=["B046", "B049"],
        years_in_specialty=4,
        years_managerial=2,
        experience={"motor_transport": 3, "rescue_operations": 1},
        driver_licences=["B", "C"],
        has_security_clearance=False,
        medically_fit=True,
        special_training=True,
    )
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        screener.screen_all(profile)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


@dataclass
class Run:
    updates: int
    seconds: float
    cpu_seconds: float
    latencies: list[float]
    commits: int

    @property
    def rate(self) -> float:
        return self.updates / self.seconds

    def figures(self) -> dict[str, float]:
        ordered = sorted(self.latencies)

        def pct(p: float) -> float:
            return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000

        return {
            "updates_per_s": round(self.rate, 1),
            "p50_ms": round(pct(0.5), 2),
            "p99_ms": round(pct(0.99), 2),
            "cpu_us_per_update": round(self.cpu_seconds / self.updates * 1e6),
            "commits_per_update": round(self.commits / self.updates, 3),
        }


async def timed(latencies: list[float], step: Callable[[], Awaitable[object]]) -> None:
    start = time.perf_counter()
    await step()
    latencies.append(time.perf_counter() - start)


async def walk_questionnaire(person: Person, latencies: list[float]) -> None:
    steps = [
        lambda: person.press_data("pos:22"),
        lambda: person.press("✍️"),
        lambda: person.press("Высшее образование"),
        lambda: person.press("6B04 "),
        lambda: person.press("6B041"),
        lambda: person.press("Финансы"),
        lambda: person.press("Готово"),
        lambda: person.send("6"),
    ]
    assert len(steps) == STEPS_PER_APPLICANT
    for step in steps:
        await timed(latencies, step)


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


@asynccontextmanager
async def database(kind: str) -> AsyncIterator[AsyncEngine]:
    """An empty, migrated database: a temporary SQLite file, or a PostgreSQL schema."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            engine = create_engine(f"sqlite+aiosqlite:///{tmp}/bench.sqlite3")
            await apply_migrations(engine)
            try:
                yield engine
            finally:
                await engine.dispose()
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(POSTGRES_URL)
    async with admin.begin() as conn:
        await conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine = create_async_engine(
        POSTGRES_URL,
        hide_parameters=True,
        connect_args={"server_settings": {"search_path": schema}},
    )
    try:
        await apply_migrations(engine)
        yield engine
    finally:
        await engine.dispose()
        async with admin.begin() as conn:
            await conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        await admin.dispose()


def _person(dp: Dispatcher, user_id: int) -> Person:
    """An applicant with a recording session of their own: finding the button to press
    among their own requests, not everyone's, keeps the harness out of the figures (on a
    shared session its search grew with every request of the batch: ~1 ms per update)."""
    session = RecordingSession()
    return Person(lambda: dp, make_bot(session), session, user_id=user_id)


async def run_ours(
    catalogue: CatalogueService,
    engine: AsyncEngine,
    storage: BaseStorage | None,
    applicants: int,
    concurrency: int,
) -> Run:
    settings = Settings(
        bot_token=SecretStr("424242:BENCH_TOKEN_aaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        _env_file=None,  # type: ignore[call-arg]
    )
    session_factory = create_session_factory(engine)
    dp = create_dispatcher(
        settings=settings,
        session_factory=session_factory,
        catalogue=catalogue,
        translator=Translator(),
        storage=storage,
    )
    base = 10_000 + uuid.uuid4().int % 1_000_000 * 1000
    people = [_person(dp, base + i) for i in range(applicants)]
    # Each person chooses a language first (not timed: it is not part of the questionnaire).
    for person in people:
        await person.send("/start")
        await person.press("Русский")
    freeze_startup_objects()  # as production does once start-up is over
    commits = [0]

    def count(_connection: Any) -> None:
        commits[0] += 1

    event.listen(engine.sync_engine, "commit", count)
    latencies: list[float] = []
    cpu, start = time.process_time(), time.perf_counter()
    for i in range(0, applicants, concurrency):
        batch = people[i : i + concurrency]
        await asyncio.gather(*(walk_questionnaire(p, latencies) for p in batch))
        for person in batch:
            person.session.clear()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    event.remove(engine.sync_engine, "commit", count)
    await dp.storage.close()
    await dp.emit_shutdown()  # the funnel writer of a non-SQL storage
    return Run(len(latencies), elapsed, cpu, latencies, commits[0])


async def run_echo(updates: int, concurrency: int) -> Run:
    router = Router()

    @router.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    dp = Dispatcher()
    dp.include_router(router)
    people = [_person(dp, 20_000 + i) for i in range(concurrency)]
    latencies: list[float] = []

    async def talk(person: Person, count: int) -> None:
        for _ in range(count):
            await timed(latencies, lambda: person.send("hello"))

    cpu, start = time.process_time(), time.perf_counter()
    per_person = max(1, updates // concurrency)
    await asyncio.gather(*(talk(p, per_person) for p in people))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    return Run(len(latencies), elapsed, cpu, latencies, 0)


async def redis_storage() -> BaseStorage | None:
    url = os.environ.get("REDIS_URL")
    if not url:
        return None
    from aiogram.fsm.storage.redis import DefaultKeyBuilder, RedisStorage

    prefix = f"bench{uuid.uuid4().hex[:8]}"
    # with_destiny: aiogram-dialog keeps its stacks beside the FSM record (as production does).
    return RedisStorage.from_url(
        url, key_builder=DefaultKeyBuilder(prefix=prefix, with_bot_id=True, with_destiny=True)
    )


async def one_concurrency(
    catalogue: CatalogueService, applicants: int, concurrency: int, backends: list[str]
) -> dict[str, Any]:
    runs: dict[str, Run] = {}
    for kind in backends:
        async with database(kind) as engine:
            runs[f"memory_{kind}"] = await run_ours(
                catalogue, engine, MemoryStorage(), applicants, concurrency
            )
        async with database(kind) as engine:
            runs[kind] = await run_ours(
                catalogue,
                engine,
                SQLStorage(create_session_factory(engine)),
                applicants,
                concurrency,
            )
    redis = await redis_storage()
    if redis is not None:
        async with database("sqlite") as engine:
            runs["redis"] = await run_ours(catalogue, engine, redis, applicants, concurrency)
    updates = applicants * STEPS_PER_APPLICANT
    echo = await run_echo(updates, concurrency)
    out: dict[str, Any] = {"echo": echo.figures()}
    for name, run in runs.items():
        figures: dict[str, Any] = run.figures()
        figures["vs_echo"] = round(run.rate / echo.rate, 3)
        memory = runs.get(f"memory_{name}", runs.get("memory_sqlite"))
        if not name.startswith("memory") and memory is not None:
            figures["vs_memory"] = round(run.rate / memory.rate, 3)
        out[name] = figures
    return out


def median_of(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Each run's figures: the median over the rounds, figure by figure."""
    return {
        name: {key: round(statistics.median(r[name][key] for r in rounds), 3) for key in figures}
        for name, figures in rounds[0].items()
    }


def targets(results: dict[str, dict[str, Any]]) -> dict[str, bool]:
    persistent = [
        (c, name, figures)
        for c, runs in results.items()
        for name, figures in runs.items()
        if name in {"sqlite", "postgres", "redis"}
    ]
    return {
        "persistent_vs_memory_ge_0_9": all(f["vs_memory"] >= 0.9 for _, _, f in persistent),
        "persistent_vs_echo_ge_0_5": all(f["vs_echo"] >= 0.5 for _, _, f in persistent),
        "p99_lt_50ms_at_10": all(f["p99_ms"] < 50 for c, _, f in persistent if c == "c10"),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--applicants", type=int, default=200)
    parser.add_argument("--no-postgres", action="store_true")
    # This machine's CPU speed varies by 10-30 % from one run to the next: each figure is
    # the median of a few rounds, each round measuring every run (echo included).
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    catalogue = CatalogueService(load_catalogue())
    screen_ms = bench_screening(catalogue)
    backends = ["sqlite"]
    if not args.no_postgres and _reachable("127.0.0.1", 5432):
        backends.append("postgres")
    results = {
        f"c{c}": median_of(
            [
                await one_concurrency(catalogue, args.applicants, c, backends)
                for _ in range(args.rounds)
            ]
        )
        for c in (10, 100)
    }
    print(
        json.dumps(
            {
                "benchmark": "questionnaire",
                "positions": len(catalogue.catalogue.positions),
                "screen_all_median_ms": round(screen_ms, 4),
                "screen_target_met": screen_ms < 1.0,
                "applicants": args.applicants,
                "updates_per_run": args.applicants * STEPS_PER_APPLICANT,
                "rounds": args.rounds,
                "runs": results,
                "targets": targets(results),
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
