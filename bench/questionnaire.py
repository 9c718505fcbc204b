"""Benchmark: screening speed, and questionnaire throughput through the real Dispatcher.

Prints one JSON line:
- ``screen_all_median_ms``: median time to screen one profile against all 62 positions
  (target < 1 ms);
- ``updates_per_s`` / ``p99_ms``: applicants walking the whole questionnaire through the real
  Dispatcher with the SQL FSM storage on SQLite;
- ``echo_updates_per_s`` / ``echo_p99_ms``: a bare aiogram echo bot (memory storage) fed the
  same number of updates in the same run, as the baseline; ``ratio`` = ours / echo
  (target >= 0.5).

Usage: python bench/questionnaire.py [--applicants 200] [--concurrency 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiogram import Dispatcher, Router  # noqa: E402
from aiogram.types import Message  # noqa: E402
from pydantic import SecretStr  # noqa: E402

from bot.app import create_dispatcher  # noqa: E402
from bot.catalogue.loader import load_catalogue  # noqa: E402
from bot.catalogue.service import CatalogueService  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.db.engine import apply_migrations, create_engine, create_session_factory  # noqa: E402
from bot.i18n import Translator  # noqa: E402
from bot.screening.engine import Screener  # noqa: E402
from bot.screening.profile import Profile  # noqa: E402
from tests.harness import Person  # noqa: E402
from tests.recording_session import RecordingSession, make_bot  # noqa: E402


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
    for step in steps:
        await timed(latencies, step)


async def run_ours(
    catalogue: CatalogueService, applicants: int, concurrency: int
) -> tuple[int, float, list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite+aiosqlite:///{tmp}/bench.sqlite3")
        await apply_migrations(engine)
        settings = Settings(
            bot_token=SecretStr("424242:BENCH_TOKEN_aaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            _env_file=None,  # type: ignore[call-arg]
        )
        dp = create_dispatcher(
            settings=settings,
            session_factory=create_session_factory(engine),
            catalogue=catalogue,
            translator=Translator(),
        )
        session = RecordingSession()
        bot = make_bot(session)
        people = [Person(lambda: dp, bot, session, user_id=10_000 + i) for i in range(applicants)]
        # Each person chooses a language first (not timed: it is not part of the questionnaire).
        for person in people:
            await person.send("/start")
            await person.press("Русский")
        latencies: list[float] = []
        start = time.perf_counter()
        for i in range(0, applicants, concurrency):
            batch = people[i : i + concurrency]
            await asyncio.gather(*(walk_questionnaire(p, latencies) for p in batch))
            session.clear()
        elapsed = time.perf_counter() - start
        await engine.dispose()
        return len(latencies), elapsed, latencies


async def run_echo(updates: int, concurrency: int) -> tuple[int, float, list[float]]:
    router = Router()

    @router.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    dp = Dispatcher()
    dp.include_router(router)
    session = RecordingSession()
    bot = make_bot(session)
    people = [Person(lambda: dp, bot, session, user_id=20_000 + i) for i in range(concurrency)]
    latencies: list[float] = []

    async def talk(person: Person, count: int) -> None:
        for _ in range(count):
            await timed(latencies, lambda: person.send("hello"))

    start = time.perf_counter()
    per_person = max(1, updates // concurrency)
    await asyncio.gather(*(talk(p, per_person) for p in people))
    elapsed = time.perf_counter() - start
    return len(latencies), elapsed, latencies


def p99(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=10)
    args = parser.parse_args()
    catalogue = CatalogueService(load_catalogue())
    screen_ms = bench_screening(catalogue)
    ours_n, ours_s, ours_lat = await run_ours(catalogue, args.applicants, args.concurrency)
    echo_n, echo_s, echo_lat = await run_echo(ours_n, args.concurrency)
    ours_rate, echo_rate = ours_n / ours_s, echo_n / echo_s
    print(
        json.dumps(
            {
                "benchmark": "questionnaire",
                "positions": len(catalogue.catalogue.positions),
                "screen_all_median_ms": round(screen_ms, 4),
                "screen_target_met": screen_ms < 1.0,
                "applicants": args.applicants,
                "updates": ours_n,
                "updates_per_s": round(ours_rate, 1),
                "p99_ms": round(p99(ours_lat), 2),
                "echo_updates_per_s": round(echo_rate, 1),
                "echo_p99_ms": round(p99(echo_lat), 2),
                "ratio": round(ours_rate / echo_rate, 3),
                "ratio_target_met": ours_rate / echo_rate >= 0.5,
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
