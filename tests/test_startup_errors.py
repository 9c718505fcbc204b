"""Every bad configuration ends `python -m bot` with one line: ``Cannot start: <cause>``.

Each case runs the real process (exit status 2, no traceback, never the token, never the
database password). The processes of all cases start together, at the first test, and
each test waits for its own: the file takes a few seconds, not one per case. Nothing
goes beyond 127.0.0.1: the Bot API is a fake server (which answers 401 to any token but
its own: a revoked token) or a closed port.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.app import run_polling
from bot.catalogue.loader import CatalogueError, parse_catalogue
from bot.config import Settings
from bot.db.engine import apply_migrations, create_engine
from bot.startup import StartupError, catalogue_problem, database_problem, error_line
from tests.conftest import POSTGRES_URL, require_postgres
from tests.fakes.bot_api_server import FakeBotAPI

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456789:AAEhBOweik6ad6PsTt6-y5iJpmh0Yf1Tw0A"
SECRET_PART = TOKEN.partition(":")[2]
PASSWORD = "pa55-w0rd-never-shown"
CLOSED = "http://127.0.0.1:1"  # nothing listens on port 1
GARBAGE = b"this is not an SQLite database, only garbage bytes\x00\xff" * 64


@dataclass
class Case:
    env: dict[str, str]
    names: tuple[str, ...]  # what the line must say (the setting, the cause)
    project: str = "repo"  # "repo": this checkout; else a copy of bot/ and data/ (see below)
    drop_root: bool = False  # run without root's right to write anywhere (read-only dirs)
    hidden: tuple[str, ...] = field(default=())  # never in the output, besides the token


# Placeholders: {tmp} the case's own directory, {api} the fake Bot API server.
CASES: dict[str, Case] = {
    "postgres-unreachable": Case(
        {"DATABASE_URL": f"postgresql+asyncpg://bot:{PASSWORD}@127.0.0.1:1/bot"},
        ("DATABASE_URL", "cannot connect", "connection refused"),
        hidden=(PASSWORD,),
    ),
    "postgres-no-database-name": Case(
        {"DATABASE_URL": f"postgresql+asyncpg://postgres:{PASSWORD}@127.0.0.1:5432/"},
        ("DATABASE_URL", "no database name"),
        hidden=(PASSWORD,),
    ),
    "database-url-malformed": Case(
        {"DATABASE_URL": f"not a url {PASSWORD}"},
        ("DATABASE_URL is invalid", "not a database URL"),
        hidden=(PASSWORD,),
    ),
    "database-url-unsupported": Case(
        {"DATABASE_URL": f"mysql://bot:{PASSWORD}@127.0.0.1/bot"},
        ("DATABASE_URL is invalid", "unsupported database"),
        hidden=(PASSWORD,),
    ),
    "database-url-sync-driver": Case(
        {"DATABASE_URL": "sqlite:///{tmp}/bot.sqlite3"},
        ("DATABASE_URL is invalid", "sqlite+aiosqlite"),
    ),
    "sqlite-var-read-only": Case(
        {},  # the default DATABASE_URL: <project>/var/bot.sqlite3
        ("DATABASE_URL", "directory not writable", "var"),
        project="read-only-var",
        drop_root=True,
    ),
    "sqlite-corrupt-file": Case(
        {"DATABASE_URL": "sqlite+aiosqlite:///{tmp}/corrupt.sqlite3"},
        ("DATABASE_URL", "file is not a database"),
    ),
    "token-revoked": Case(
        {"TELEGRAM_API_BASE": "{api}"},
        ("BOT_TOKEN", "401", "revoked"),
    ),
    "api-unreachable": Case(
        {"TELEGRAM_API_BASE": CLOSED},
        ("TELEGRAM_API_BASE", "cannot reach", "127.0.0.1:1", "connection refused"),
    ),
    "api-base-not-a-url": Case(
        {"TELEGRAM_API_BASE": "not a url"}, ("TELEGRAM_API_BASE is invalid", "http")
    ),
    "api-base-ftp": Case({"TELEGRAM_API_BASE": "ftp://x"}, ("TELEGRAM_API_BASE is invalid",)),
    "api-base-no-host": Case({"TELEGRAM_API_BASE": "http://"}, ("TELEGRAM_API_BASE is invalid",)),
    "api-base-space": Case(
        {"TELEGRAM_API_BASE": "http://127.0.0.1 :1"}, ("TELEGRAM_API_BASE is invalid",)
    ),
    "catalogue-missing": Case({}, ("positions.json", "cannot read"), project="no-catalogue"),
}


def _copy_project(tmp: Path, kind: str) -> Path:
    """bot/ and data/positions.json in ``tmp/project``, spoilt as ``kind`` says."""
    project = tmp / "project"
    shutil.copytree(ROOT / "bot", project / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    (project / "data").mkdir()
    catalogue = project / "data" / "positions.json"
    if kind != "no-catalogue":
        shutil.copy(ROOT / "data" / "positions.json", catalogue)
    if kind == "read-only-var":
        (project / "var").mkdir(mode=0o555)
        (project / "var").chmod(0o555)
    return project


_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH, _PR_CAPBSET_DROP = 1, 2, 24


def _without_root_override() -> None:
    # In the child before exec: root keeps its uid but loses the right to ignore file
    # permissions, so a 0555 directory is read-only to it too.
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


class _ServerThread:
    """The fake Bot API on its own event loop (the tests themselves are synchronous)."""

    def __init__(self) -> None:
        # Its own token: the bot's TOKEN is unknown to it, so getMe gets 401.
        self.api = FakeBotAPI(token="987654321:AAF-the-one-token-this-server-knows")
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> FakeBotAPI:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.api.start(), self.loop).result(10)
        return self.api

    def __exit__(self, *_: object) -> None:
        asyncio.run_coroutine_threadsafe(self.api.stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


def _base_env() -> dict[str, str]:
    prefixes = ("BOT_", "DATABASE_", "TELEGRAM_", "ADMIN_", "HR_", "DEFAULT_", "CHANNEL_")
    return {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}


def _start(name: str, case: Case, tmp: Path, api: FakeBotAPI) -> subprocess.Popen[str]:
    tmp.mkdir()
    (tmp / "corrupt.sqlite3").write_bytes(GARBAGE)
    project = ROOT if case.project == "repo" else _copy_project(tmp, case.project)
    env = _base_env()
    env.update(
        BOT_TOKEN=TOKEN,
        PYTHONPATH=str(project),
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp / 'bot.sqlite3'}",
        TELEGRAM_API_BASE=CLOSED,  # never the real api.telegram.org
    )
    if case.project != "repo":
        del env["DATABASE_URL"]  # the default: a file under the copy's var/
    for key, value in case.env.items():
        env[key] = value.replace("{tmp}", str(tmp)).replace("{api}", api.base_url)
    preexec: Callable[[], None] | None = None
    if case.drop_root and os.geteuid() == 0:
        preexec = _without_root_override
    return subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=tmp,  # no .env there
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=preexec,
    )


@pytest.fixture(scope="module")
def processes(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, subprocess.Popen[str]]]:
    """Every case's process, all started at once (so they run in parallel)."""
    base = tmp_path_factory.mktemp("startup")
    with _ServerThread() as api:
        started = {name: _start(name, case, base / name, api) for name, case in CASES.items()}
        try:
            yield started
        finally:
            for process in started.values():
                if process.poll() is None:
                    process.kill()
                process.communicate()
    # The read-only directory must be writable again for pytest to remove it.
    for var in base.glob("*/project/var"):
        var.chmod(0o755)


@pytest.mark.parametrize("name", list(CASES))
def test_bad_configuration_is_one_line(
    name: str, processes: dict[str, subprocess.Popen[str]]
) -> None:
    case = CASES[name]
    stdout, stderr = processes[name].communicate(timeout=180)  # all run at once: slow
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert processes[name].returncode == 2, stderr
    assert len(lines) == 1, stderr
    line = lines[0]
    assert line.startswith("Cannot start: "), line
    for part in case.names:
        assert part in line, line
    assert "Traceback" not in stderr
    for secret in (TOKEN, SECRET_PART, *case.hidden):
        assert secret not in stderr and secret not in stdout
    assert stdout == ""


# ------------------------------------------------------------ in this process (no import cost)


def _settings(tmp_path: Path, api_base: str) -> Settings:
    return Settings(
        bot_token=SecretStr(TOKEN),
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        telegram_api_base=api_base,
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.mark.postgres
async def test_unknown_postgres_database_is_named() -> None:
    require_postgres()
    base = POSTGRES_URL.rsplit("/", 1)[0].replace("postgres@", f"postgres:{PASSWORD}@")
    url = f"{base}/no_such_database"
    engine = create_engine(url)
    with pytest.raises(Exception) as caught:
        await apply_migrations(engine)
    await engine.dispose()
    line = error_line(database_problem(caught.value, url))  # type: ignore[arg-type]
    assert line.startswith("Cannot start: DATABASE_URL (PostgreSQL 127.0.0.1:5432/no_such")
    assert 'cannot connect: database "no_such_database" does not exist' in line
    assert PASSWORD not in line


def test_catalogue_that_is_not_json_is_named() -> None:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue('{"positions": [', "data/positions.json")
    line = error_line(catalogue_problem(caught.value))
    assert line.startswith("Cannot start: the catalogue data/positions.json: not valid JSON")


async def test_command_menu_refused_is_a_startup_error(tmp_path: Path) -> None:
    """getMe passes, the first setMyCommands fails: still the start-up, still one line."""
    async with FakeBotAPI(token=TOKEN) as api:
        api.fail_next("setMyCommands", 400, "Bad Request: BOT_COMMAND_INVALID")
        with pytest.raises(StartupError) as caught:
            await asyncio.wait_for(run_polling(_settings(tmp_path, api.base_url)), 60)
    line = error_line(caught.value, (TOKEN,))
    assert line == (
        f"Cannot start: the Bot API at http://127.0.0.1:{api.port} refused setMyCommands: "
        "Bad Request: BOT_COMMAND_INVALID"
    )


async def test_after_the_start_up_errors_are_not_startup_errors(tmp_path: Path) -> None:
    """Polling started: a failure then is an ordinary exception, not a one-line exit."""
    started: list[bool] = []
    async with FakeBotAPI(token=TOKEN) as api:

        def boom() -> None:
            started.append(True)
            raise RuntimeError("after the start-up")

        with pytest.raises(RuntimeError, match="after the start-up"):
            await asyncio.wait_for(
                run_polling(_settings(tmp_path, api.base_url), on_started=boom), 60
            )
    assert started == [True]
