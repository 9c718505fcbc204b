"""A crash at every database commit of a whole application (issue 10): after a restart the
person continues at the step they last saw, with every answer the bot acknowledged.

The crash is simulated at the n-th commit of the run: that commit fails and from then on
the process is dead (no commit succeeds, no request leaves). Then a new Dispatcher and
storage start on the same database, as after a restart, and the person goes on from the
screen they see: they repeat the action that got no answer, or take the next one.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from aiogram.methods import EditMessageText, SendMessage
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.catalogue.service import CatalogueService
from bot.config import Settings
from bot.db.engine import apply_migrations, create_engine
from bot.db.models import Application, Consent, FsmRecord, OutboxMessage
from bot.i18n import Translator
from tests.conftest import BotUnderTest, _drop_schema, _postgres_engine, require_postgres
from tests.harness import Person
from tests.recording_session import RecordingSession
from tests.test_application_flow import NAME, PDF, PHONE

USER = 5_550_001

# The whole way, as a person takes it: (kind, argument).
SCRIPT: list[tuple[str, str]] = [
    ("send", "/start"),
    ("press", "Русский"),
    ("data", "pos:62"),
    ("press", "✍️"),
    ("press", "Среднее общее"),
    ("press", "C1"),
    ("press", "Готово"),
    ("press", "📨 Подать заявку"),
    ("press", "Согласен"),
    ("send", NAME),
    ("send", PHONE),
    ("document", ""),
    ("press", "Пропустить"),
    ("press", "📨 Отправить"),
]


class Crash(Exception):
    """The process died at this commit."""


class CommitCrasher:
    """Counts commits; from the ``at``-th on, every commit fails (the process is dead)."""

    def __init__(
        self, engine: AsyncEngine, at: int | None, session: RecordingSession | None = None
    ) -> None:
        self.count, self.at, self.crashed = 0, at, False
        self.engine, self.session = engine, session
        event.listen(engine.sync_engine, "commit", self)

    def __call__(self, _connection: Any) -> None:
        self.count += 1
        if self.at is not None and self.count >= self.at:
            self.crashed = True
            if self.session is not None:  # nothing leaves a dead process (no apology)
                self.session.dead = True
            raise Crash(f"crash at commit {self.count}")

    def remove(self) -> None:
        event.remove(self.engine.sync_engine, "commit", self)


def screen(person: Person) -> str:
    """What the person sees: the text and buttons of the bot's last message to them."""
    mine = [
        r
        for r in person.session.requests
        if isinstance(r, SendMessage | EditMessageText) and r.chat_id == person.chat.id
    ]
    last = mine[-1]
    markup = last.reply_markup.model_dump_json() if last.reply_markup is not None else ""
    # Flows carry a random token in their buttons, dialogs their intent id (stale buttons
    # are refused): not part of what the person sees.
    markup = re.sub(r'"callback_data":"[^"\\]*\\u001d', '"callback_data":"<intent>|', markup)
    return re.sub(r"\b[0-9a-f]{8}\b", "<token>", f"{last.text}\n{markup}")


async def act(person: Person, kind: str, argument: str) -> None:
    if kind == "send":
        await person.send(argument)
    elif kind == "press":
        await person.press(argument)
    elif kind == "data":
        await person.press_data(argument)
    else:
        await person.send_message(document=PDF)


# Per-flow random tokens, row ids, aiogram-dialog's intent ids and its bookkeeping of the
# last message sent (not the person's step; saved again at the end of the update).
VOLATILE = {
    "token",
    "application_form",
    "consent_id",
    "_intent_id",
    "_stack_id",
    "_id",
    "last_message_id",
    "last_reply_keyboard",
    "last_media_id",
    "last_media_unique_id",
    "last_income_media_group_id",
}


def _stable(value: Any) -> Any:
    """FSM data without the volatile values; a dialog stack by the number of its dialogs."""
    if isinstance(value, dict):
        return {
            k: len(v) if k == "intents" else _stable(v)
            for k, v in value.items()
            if k not in VOLATILE
        }
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


async def fsm_record(engine: AsyncEngine) -> tuple[str | None, Any]:
    """The person's state and data: the FSM's and the dialogs' (contexts, stack) records."""
    async with engine.connect() as connection:
        rows = (
            await connection.execute(
                select(FsmRecord.key, FsmRecord.state, FsmRecord.data).where(
                    FsmRecord.key.like(f"%:{USER}:{USER}:%")
                )
            )
        ).all()
    state: str | None = None
    records: dict[str, Any] = {}
    for row in rows:
        destiny = row.key.split(f":{USER}:{USER}:", 1)[1]
        if destiny == "default":
            state = row.state
        if not row.data or (destiny.startswith("aiogd:stack:") and not row.data["intents"]):
            continue  # no data, or an empty stack of dialogs: nothing open
        name = "context" if destiny.startswith("aiogd:context:") else destiny
        records.setdefault(name, []).append(_stable(row.data))
    return state, records


async def count(engine: AsyncEngine, model: Any) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(model))).scalar_one())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def fresh_engine(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[Callable[[], Any]]:
    """A factory of empty, migrated databases of one kind (one per crash point)."""
    made: list[tuple[AsyncEngine, str | None]] = []
    if request.param == "postgres":
        require_postgres()

    async def make() -> AsyncEngine:
        schema = None
        if request.param == "sqlite":
            engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / f'db{len(made)}.sqlite3'}")
        else:
            engine, schema = await _postgres_engine()
        await apply_migrations(engine)
        made.append((engine, schema))
        return engine

    yield make
    for engine, schema in made:
        await engine.dispose()
        if schema:
            await _drop_schema(schema)


async def test_a_crash_at_any_commit_loses_no_acknowledged_step(
    fresh_engine: Callable[[], Any],
    settings: Settings,
    catalogue: CatalogueService,
    translator: Translator,
) -> None:
    # The reference run: what the person sees after each step, and the state behind it.
    engine = await fresh_engine()
    counter = CommitCrasher(engine, at=None)
    app = BotUnderTest(engine, settings, catalogue, translator)
    person = app.person(user_id=USER)
    seen: list[str] = []
    saved: list[tuple[str | None, Any]] = []
    for kind, argument in SCRIPT:
        await act(person, kind, argument)
        seen.append(screen(person))
        saved.append(await fsm_record(engine))
    total = counter.count
    final_screen = seen[-1]
    assert "отправлена" in final_screen
    assert total > len(SCRIPT)

    for at in range(1, total + 1):
        engine = await fresh_engine()
        app = BotUnderTest(engine, settings, catalogue, translator)
        crasher = CommitCrasher(engine, at=at, session=app.session)
        person = app.person(user_id=USER)
        step = 0
        while step < len(SCRIPT) and not crasher.crashed:
            try:
                await act(person, *SCRIPT[step])
            except Exception:
                assert crasher.crashed, f"commit {at}: an error without a crash"
                break
            if crasher.crashed:  # the error handler took it (bot.errors)
                break
            step += 1
        assert crasher.crashed, f"commit {at} never came"
        # The restart: the database is all that remains.
        crasher.remove()
        app.session.dead = False
        app.restart()
        now_seen = screen(person) if step > 0 or person.session.requests else ""
        # The person sees the screen of the last step that completed, or of the step that
        # crashed when its answer had left already; the state behind it must match.
        candidates = [i for i in (step - 1, step) if 0 <= i < len(SCRIPT) and seen[i] == now_seen]
        if step == 0 and not candidates:
            resume = 0
        else:
            assert candidates, f"commit {at}: the person sees a screen of no step:\n{now_seen}"
            shown = candidates[-1]
            state = await fsm_record(engine)
            assert state == saved[shown], (
                f"commit {at}: the screen of step {shown} ({SCRIPT[shown]}) is shown "
                f"but the saved state is {json.dumps(state, ensure_ascii=False)[:300]}"
            )
            resume = shown + 1
        for kind, argument in SCRIPT[resume:]:
            await act(person, kind, argument)
        assert "отправлена" in screen(person), f"commit {at}: {screen(person)[:200]}"
        applications = await count(engine, Application)
        assert applications == 1, f"commit {at}: {applications} applications"
        async with engine.connect() as connection:
            query = select(Application.full_name, Application.phone)
            app_row = (await connection.execute(query)).one()
        assert (app_row.full_name, app_row.phone) == (NAME, PHONE)
        assert await count(engine, OutboxMessage) == 1, f"commit {at}: HR summary rows"
        assert await count(engine, Consent) >= 1
