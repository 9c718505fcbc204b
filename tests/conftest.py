"""Shared fixtures: databases (SQLite always, PostgreSQL when reachable) and the bot."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

# Imported here, at a shallow stack: otherwise hypothesis's plugin imports it lazily in the
# terminal summary, deep inside pluggy, where CPython 3.11.7's AST validator fails
# ("AST constructor recursion depth mismatch") while pytest rewrites its modules.
import hypothesis  # noqa: F401
import pytest
from aiogram import Dispatcher
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.app import create_dispatcher
from bot.catalogue.loader import load_catalogue
from bot.catalogue.service import CatalogueService
from bot.config import Settings
from bot.db.engine import apply_migrations, create_engine, create_session_factory
from bot.deps import Deps
from bot.i18n import Translator
from bot.jobs import JobHolder
from tests.harness import Person
from tests.recording_session import RecordingSession, make_bot

POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# CI sets REQUIRE_SERVICES=1: there a missing PostgreSQL (or Redis) is a failure, not a skip.
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def require_postgres() -> None:
    if _reachable("127.0.0.1", 5432):
        return
    if REQUIRE_SERVICES:
        pytest.fail("PostgreSQL at 127.0.0.1:5432 is required (REQUIRE_SERVICES=1)")
    pytest.skip("PostgreSQL is not running at 127.0.0.1:5432")


def require_redis() -> None:
    if _reachable("127.0.0.1", 6379):
        return
    if REQUIRE_SERVICES:
        pytest.fail("Redis at 127.0.0.1:6379 is required (REQUIRE_SERVICES=1)")
    pytest.skip("Redis is not running at 127.0.0.1:6379")


@pytest.fixture(autouse=True)
def _no_installed_announcer() -> Iterator[None]:
    """``register_jobs`` installs an announcer for the scheduled broadcasts' jobs
    (``bot.jobs.JobHolder``): never left over for the next test."""
    yield
    JobHolder.announcer = None


@pytest.fixture(scope="session")
def catalogue() -> CatalogueService:
    return CatalogueService(load_catalogue())


@pytest.fixture(scope="session")
def translator() -> Translator:
    return Translator()


async def _postgres_engine() -> tuple[AsyncEngine, str]:
    # Each test gets its own schema, so tests never see each other's rows.
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(POSTGRES_URL)
    async with admin.begin() as conn:
        await conn.execute(text(f"CREATE SCHEMA {schema}"))
    await admin.dispose()
    engine = create_async_engine(
        POSTGRES_URL,
        connect_args={"server_settings": {"search_path": schema}},
        hide_parameters=True,  # as bot.db.engine.create_engine: no names in error texts
    )
    return engine, schema


async def _drop_schema(schema: str) -> None:
    admin = create_async_engine(POSTGRES_URL)
    try:
        # Two suites sharing the server (a helper's worktree, CI) can deadlock on the
        # catalogue while both drop schemas; one of them simply tries again.
        for attempt in range(5):
            try:
                async with admin.begin() as conn:
                    await conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
                return
            except DBAPIError as error:
                if "deadlock" not in str(error).lower() or attempt == 4:
                    raise
                await asyncio.sleep(0.1 * (attempt + 1))
    finally:
        await admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    schema = None
    if request.param == "sqlite":
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}")
    else:
        require_postgres()
        engine, schema = await _postgres_engine()
    await apply_migrations(engine)
    yield engine
    await engine.dispose()
    if schema:
        await _drop_schema(schema)


@pytest.fixture
def settings() -> Settings:
    return Settings(
        bot_token=SecretStr("424242:TEST_TOKEN_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        admin_ids=[9000],
        hr_chat_id=-100500,
        _env_file=None,  # type: ignore[call-arg]
    )


class BotUnderTest:
    def __init__(
        self,
        engine: AsyncEngine,
        settings: Settings,
        catalogue: CatalogueService,
        translator: Translator,
    ) -> None:
        self.session_factory = create_session_factory(engine)
        self.settings = settings
        self.catalogue = catalogue
        self.translator = translator
        self.session = RecordingSession()
        self.bot = make_bot(self.session)
        self.dispatchers: list[Dispatcher] = []
        self.restart()

    def restart(self) -> None:
        """A new Dispatcher on the same database, as after a restart of the process."""
        if hasattr(self, "dp"):
            self.dispatchers.append(self.dp)
        self.dp = create_dispatcher(
            settings=self.settings,
            session_factory=self.session_factory,
            catalogue=self.catalogue,
            translator=self.translator,
        )

    @property
    def deps(self) -> Deps:
        deps = self.dp["deps"]
        assert isinstance(deps, Deps)
        return deps

    def use(self, **changes: Any) -> None:
        """Some of the dispatcher's deps replaced (a scheduler, a broadcast runner), as if
        the factory had been given them; until the next :meth:`restart`."""
        self.dp["deps"] = replace(self.deps, **changes)

    def person(self, user_id: int = 1001, language_code: str | None = "ru") -> Person:
        return Person(
            lambda: self.dp, self.bot, self.session, user_id=user_id, language_code=language_code
        )


@pytest.fixture
async def app(
    engine: AsyncEngine, settings: Settings, catalogue: CatalogueService, translator: Translator
) -> AsyncIterator[BotUnderTest]:
    app = BotUnderTest(engine, settings, catalogue, translator)
    yield app
    # Each storage's writer keeps a connection of its own (bot.db.write_buffer).
    for dp in [*app.dispatchers, app.dp]:
        await dp.storage.close()
