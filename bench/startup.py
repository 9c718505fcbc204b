"""Benchmark: start-up time and memory of the bot against a bare aiogram bot, same run.

Each is measured in a fresh interpreter (3 rounds, the median): the time from the
interpreter's start until the Dispatcher is ready to poll (imports, the catalogue and the
screener, migrations of an empty SQLite database, the dispatcher and its routers) and the
peak RSS then. Prints one JSON line.

Usage: python bench/startup.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE = """
import time, resource, asyncio
t0 = time.perf_counter()
from aiogram import Bot, Dispatcher, Router
dp = Dispatcher(); dp.include_router(Router())
bot = Bot("123456:" + "a" * 35)
print(time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

OURS = """
import time, resource, asyncio, sys
t0 = time.perf_counter()
sys.path.insert(0, {root!r})
from pydantic import SecretStr
from bot.app import create_bot, create_dispatcher
from bot.startup import freeze_startup_objects
from bot.catalogue.loader import load_catalogue
from bot.catalogue.service import CatalogueService
from bot.config import Settings
from bot.db.engine import apply_migrations, create_engine, create_session_factory
from bot.i18n import Translator

async def main():
    settings = Settings(bot_token=SecretStr("123456:" + "a" * 35), _env_file=None,
                        database_url="sqlite+aiosqlite:///{db}")
    catalogue = CatalogueService(load_catalogue())
    engine = create_engine(settings.database_url)
    await apply_migrations(engine)
    create_dispatcher(settings=settings, session_factory=create_session_factory(engine),
                      catalogue=catalogue, translator=Translator())
    create_bot(settings)
    freeze_startup_objects()
    elapsed = time.perf_counter() - t0
    await engine.dispose()
    return elapsed

elapsed = asyncio.run(main())
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def measure(code: str) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout.split()
    return float(out[0]), int(out[1]) / 1024  # seconds, MiB (ru_maxrss is in KiB on Linux)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    bare, ours = [], []
    for _ in range(args.rounds):
        bare.append(measure(BARE))
        with tempfile.TemporaryDirectory() as tmp:
            ours.append(measure(OURS.format(root=str(ROOT), db=f"{tmp}/bot.sqlite3")))
    bare_s = statistics.median(s for s, _ in bare)
    ours_s = statistics.median(s for s, _ in ours)
    bare_mb = statistics.median(m for _, m in bare)
    ours_mb = statistics.median(m for _, m in ours)
    print(
        json.dumps(
            {
                "benchmark": "startup",
                "rounds": args.rounds,
                "bare_aiogram_s": round(bare_s, 3),
                "bot_s": round(ours_s, 3),
                "time_ratio": round(ours_s / bare_s, 2),
                "bare_aiogram_rss_mb": round(bare_mb, 1),
                "bot_rss_mb": round(ours_mb, 1),
                "rss_ratio": round(ours_mb / bare_mb, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
