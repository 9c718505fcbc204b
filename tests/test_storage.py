"""The SQL FSM storage and the migrations, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import apply_migrations, create_session_factory
from bot.storage.sql_fsm import SQLStorage


class Form(StatesGroup):
    name = State()


KEY = StorageKey(bot_id=42, chat_id=1, user_id=1)


@pytest.fixture
async def storages(engine: AsyncEngine) -> AsyncIterator[Callable[..., SQLStorage]]:
    """New storages on the test's database, closed at the end (their writers hold a
    connection each, which the engine cannot take back otherwise)."""
    made: list[SQLStorage] = []

    def make(**options: Any) -> SQLStorage:
        made.append(SQLStorage(create_session_factory(engine), **options))
        return made[-1]

    yield make
    for storage in made:
        await storage.close()


async def test_state_and_data_round_trip_and_survive_a_new_storage(
    engine: AsyncEngine, storages: Callable[..., SQLStorage]
) -> None:
    storage = storages()
    assert await storage.get_state(KEY) is None
    assert await storage.get_data(KEY) == {}
    await storage.set_state(KEY, Form.name)
    await storage.update_data(KEY, {"answers": {"education_level": "higher"}, "step": 2})
    again = storages()
    assert await again.get_state(KEY) == "Form:name"
    assert await again.get_data(KEY) == {"answers": {"education_level": "higher"}, "step": 2}
    other = StorageKey(bot_id=42, chat_id=2, user_id=2)
    assert await again.get_state(other) is None
    await again.set_state(KEY, None)
    await again.set_data(KEY, {})
    fresh = storages()
    assert await fresh.get_state(KEY) is None
    assert await fresh.get_data(KEY) == {}


async def test_migrations_are_idempotent(engine: AsyncEngine) -> None:
    await apply_migrations(engine)  # second time: nothing to do, no error
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert {"users", "fsm_states", "alembic_version"} <= tables


async def test_models_match_migrations(engine: AsyncEngine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from bot.db.models import Base

    def diff(connection: object) -> list[object]:
        context = MigrationContext.configure(connection)  # type: ignore[arg-type]
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as conn:
        differences = await conn.run_sync(diff)
    assert differences == []


async def _committed(engine: AsyncEngine, key: str) -> tuple[str | None, dict[str, object]] | None:
    from sqlalchemy import select

    from bot.db.models import FsmRecord

    async with engine.connect() as conn:
        row = (
            await conn.execute(select(FsmRecord.state, FsmRecord.data).where(FsmRecord.key == key))
        ).one_or_none()
    return None if row is None else (row.state, dict(row.data))


def _commit_counter(engine: AsyncEngine) -> list[int]:
    from sqlalchemy import event

    commits = [0]
    event.listen(engine.sync_engine, "commit", lambda _c: commits.__setitem__(0, commits[0] + 1))
    return commits


async def test_an_update_writes_state_and_data_once_at_its_end(
    engine: AsyncEngine, storages: Callable[..., SQLStorage]
) -> None:
    storage = storages()
    commits = _commit_counter(engine)
    built = DefaultKeyBuilder(with_destiny=True).build(KEY)
    async with storage.buffered():
        await storage.set_state(KEY, Form.name)
        await storage.update_data(KEY, {"step": 1})
        await storage.update_data(KEY, {"step": 2})
        assert await storage.get_state(KEY) == "Form:name"  # the update reads its own writes
        assert await _committed(engine, built) is None  # nothing saved yet
        assert commits[0] == 0
    assert await _committed(engine, built) == ("Form:name", {"step": 2})
    assert commits[0] == 1
    async with storage.buffered():
        await storage.set_state(KEY, Form.name)  # unchanged: no write at all
        await storage.update_data(KEY, {"step": 2})
    assert commits[0] == 1


async def test_a_request_of_the_update_leaves_only_after_its_changes_are_saved(
    engine: AsyncEngine, storages: Callable[..., SQLStorage]
) -> None:
    """The client-session middleware saves the buffer before the request; a failed save
    means the request (the «saved» message, the next question) never leaves."""
    from aiogram import Dispatcher
    from aiogram.methods import SendMessage
    from aiogram.types import Chat, Message, Update, User

    from bot.storage.sql_fsm import UpdateWritesMiddleware
    from tests.recording_session import RecordingSession, make_bot

    storage = storages()
    dp = Dispatcher(storage=storage)
    dp.update.outer_middleware(UpdateWritesMiddleware(storage.writer))
    session = RecordingSession()
    bot = make_bot(session)
    seen_at_send: list[object] = []
    user = User(id=1, is_bot=False, first_name="A")
    built = DefaultKeyBuilder(with_destiny=True).build(
        StorageKey(bot_id=bot.id, chat_id=1, user_id=1)
    )

    @dp.message()
    async def handler(message: Message, state: object) -> None:
        from aiogram.fsm.context import FSMContext

        assert isinstance(state, FSMContext)
        await state.set_state(Form.name)
        await state.update_data(name="x")
        await message.answer("saved")
        seen_at_send.append(await _committed(engine, built))

    def update(n: int) -> Update:
        message = Message(
            message_id=n, date=0, chat=Chat(id=1, type="private"), from_user=user, text="hi"
        )
        return Update(update_id=n, message=message)

    await dp.feed_update(bot, update(1))
    assert seen_at_send == [("Form:name", {"name": "x"})]
    assert len(session.of(SendMessage)) == 1

    # The database refuses the write: the update fails and the answer never leaves.
    await storage.set_state(StorageKey(bot_id=bot.id, chat_id=1, user_id=1), None)
    await storage.set_data(StorageKey(bot_id=bot.id, chat_id=1, user_id=1), {})
    from sqlalchemy import event

    def refuse(_connection: object) -> None:
        raise RuntimeError("disk full")

    event.listen(engine.sync_engine, "commit", refuse)
    try:
        with pytest.raises(RuntimeError):
            await dp.feed_update(bot, update(2))
    finally:
        event.remove(engine.sync_engine, "commit", refuse)
    assert len(session.of(SendMessage)) == 1
    assert await storage.get_state(StorageKey(bot_id=bot.id, chat_id=1, user_id=1)) is None


async def test_concurrent_updates_share_commits(
    engine: AsyncEngine, storages: Callable[..., SQLStorage]
) -> None:
    storage = storages()
    commits = _commit_counter(engine)

    async def one_update(user: int) -> None:
        key = StorageKey(bot_id=42, chat_id=user, user_id=user)
        async with storage.buffered():
            await storage.set_state(key, Form.name)
            await storage.update_data(key, {"user": user})

    await asyncio.gather(*(one_update(user) for user in range(1, 51)))
    assert commits[0] < 50  # grouped: at least one commit carried several updates
    fresh = storages()
    for user in range(1, 51):
        key = StorageKey(bot_id=42, chat_id=user, user_id=user)
        assert await fresh.get_state(key) == "Form:name"
        assert await fresh.get_data(key) == {"user": user}


async def test_without_a_cache_another_process_sees_every_change(
    engine: AsyncEngine, storages: Callable[..., SQLStorage]
) -> None:
    """Several processes (REDIS_URL): each storage reads the database, never a stale copy."""
    first = storages(cache_size=0)
    second = storages(cache_size=0)
    await first.set_state(KEY, Form.name)
    assert await second.get_state(KEY) == "Form:name"
    await second.set_state(KEY, None)
    assert await first.get_state(KEY) is None


async def test_on_a_sqlite_file_the_writer_commits_on_its_own_thread(
    engine: AsyncEngine, storages: Callable[..., SQLStorage]
) -> None:
    """One hand-off per group commit instead of aiosqlite's round trip per statement; the
    engine's listeners still see every statement and commit (bot.db.write_buffer)."""
    import threading

    from sqlalchemy import event

    storage = storages()
    threads: list[str] = []
    statements: list[str] = []
    event.listen(
        engine.sync_engine, "commit", lambda _c: threads.append(threading.current_thread().name)
    )
    event.listen(
        engine.sync_engine,
        "before_cursor_execute",
        lambda _conn, _cursor, statement, *_: statements.append(statement.split()[0]),
    )
    async with storage.buffered():
        await storage.set_state(KEY, Form.name)
    expected = "sqlite-writer" if engine.dialect.name == "sqlite" else "MainThread"
    assert [name.rsplit("_", 1)[0] for name in threads] == [expected]
    assert "INSERT" in statements
    assert await _committed(engine, DefaultKeyBuilder(with_destiny=True).build(KEY)) == (
        "Form:name",
        {},
    )
    await storage.close()
    await storage.close()  # closed twice (the storage, then the dispatcher's shutdown)
