"""Deployment files and the pieces of production that need no process: the compose file,
.env.example, the Dockerfile, the worker lease, the migrations' lock and JSON logs."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from pathlib import Path

import yaml
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.db.engine import apply_migrations, create_engine, schema_behind
from bot.observability.logs import JsonFormatter, UpdateContext, current_update, hashed_user
from bot.runtime.lease import WorkerLease, lease_holder_exists

ROOT = Path(__file__).resolve().parents[1]


def test_compose_names_every_service_healthcheck_and_dependency() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "migrate", "bot", "worker"}
    for name in ("postgres", "redis", "bot", "worker"):
        assert services[name]["healthcheck"]["test"], name
    assert services["migrate"]["restart"] == "no"
    assert services["migrate"]["command"][-1] == "migrate"
    assert services["bot"]["command"][-1] == "serve"
    assert services["worker"]["command"][-1] == "worker"
    for name in ("bot", "worker"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgresql+asyncpg://")
        assert environment["REDIS_URL"].startswith("redis://redis:")
        assert services[name]["env_file"] == ".env"
        assert "pip" not in json.dumps(services[name]["command"])  # installed at build time
    assert {"pgdata", "redisdata"} <= set(compose["volumes"])
    assert "bot" not in json.dumps(services["bot"].get("deploy", {}))  # scalable: no name
    assert "container_name" not in services["bot"]


def test_env_example_lists_every_setting() -> None:
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    wanted = {name.upper() for name in Settings.model_fields}
    assert wanted <= listed, wanted - listed


def test_dockerfile_is_slim_non_root_with_healthcheck_and_font() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert text.startswith("#") and "FROM python:3.11-slim" in text
    assert re.search(r"^USER (?!root)\w+", text, re.M)
    assert "HEALTHCHECK" in text and "/healthz" in text
    assert "fonts-dejavu" in text  # Kazakh letters
    assert re.search(r"^RUN .*pip install", text, re.M)  # at build time
    assert "pip" not in text.split("CMD", 1)[1].split("\n", 1)[0]


async def test_worker_lease_is_held_by_one_and_passed_on(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    url = (
        engine.url.render_as_string(hide_password=False)
        if engine.dialect.name == "postgresql"
        else f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    )
    first, second = WorkerLease(engine, url), WorkerLease(engine, url)
    assert not await lease_holder_exists(engine, url)
    assert await first.try_acquire()
    assert await first.check()
    assert await lease_holder_exists(engine, url)
    assert not await second.try_acquire()
    waiting = asyncio.create_task(second.acquire(0.05))
    await asyncio.sleep(0.2)
    assert not waiting.done()
    await first.release()  # the holder dies: the standby takes over
    assert await asyncio.wait_for(waiting, 5)
    assert await second.check()
    await second.release()


async def test_migrations_under_the_lock_at_once(engine: AsyncEngine) -> None:
    # The fixture migrated already; two more at once neither fail nor change anything.
    await asyncio.gather(apply_migrations(engine), apply_migrations(engine))
    assert await schema_behind(engine) is None


async def test_a_schema_behind_is_named(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'new.sqlite3'}")
    try:
        behind = await schema_behind(engine)
        assert behind is not None and "no revision" in behind
    finally:
        await engine.dispose()


def test_json_logs_carry_the_update_and_a_hashed_user_never_a_phone() -> None:
    formatter = JsonFormatter(secrets=("SECRET-TOKEN",))
    token = current_update.set(UpdateContext(42, hashed_user(6123456789)))
    try:
        record = logging.LogRecord(
            "bot.x", logging.INFO, __file__, 1, "call +77011234567 with %s", ("SECRET-TOKEN",), None
        )
        line = json.loads(formatter.format(record))
    finally:
        current_update.reset(token)
    assert line["update_id"] == 42 and line["level"] == "INFO" and line["logger"] == "bot.x"
    assert line["user"] == hashed_user(6123456789) and "6123456789" not in json.dumps(line)
    assert "+77011234567" not in line["message"] and "SECRET-TOKEN" not in line["message"]


async def test_set_webhook_sends_secret_update_types_and_keeps_pending_updates() -> None:
    from pydantic import SecretStr

    from bot.runtime.roles import set_webhook
    from tests.fakes.bot_api_server import FakeBotAPI
    from tests.production import SECRET, WEBHOOK_URL, token

    async with FakeBotAPI(token=token()) as api:
        settings = Settings(
            bot_token=SecretStr(api.token),
            telegram_api_base=api.base_url,
            webhook_url=WEBHOOK_URL,
            webhook_secret=SecretStr(SECRET),
            webhook_max_connections=7,
            _env_file=None,  # type: ignore[call-arg]
        )
        await set_webhook(settings)
        call = api.last_call("setWebhook")
        assert call.params["url"] == WEBHOOK_URL and call.params["secret_token"] == SECRET
        assert call.params["max_connections"] == 7
        assert not call.params.get("drop_pending_updates")
        assert {"message", "callback_query"} <= set(call.params["allowed_updates"])
        assert "inline_query" not in call.params["allowed_updates"]  # no router uses it
        await set_webhook(settings.model_copy(update={"webhook_url": None}))
        assert not api.last_call("deleteWebhook").params.get("drop_pending_updates")
