"""A database fault in the middle of an application: what is logged names nobody.

The update goes through the Dispatcher the way polling does (``_process_update``; the
error handler of :mod:`bot.errors` logs the failure), every logger at DEBUG, through the
formatter :func:`bot.log_redaction.configure_logging` installs; the person's name, phone
and Telegram id, and the token, appear nowhere in the text.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from aiogram.types import Update
from sqlalchemy import event

from bot.log_redaction import configure_logging
from tests.conftest import BotUnderTest
from tests.test_application_flow import NAME, PHONE, USER, fill_to, screened

_update_ids = itertools.count(10_000_000)
SURNAME, FIRST_NAME = NAME.split()[0], NAME.split()[1]


@pytest.fixture
def redacted_caplog(caplog: pytest.LogCaptureFixture, app: BotUnderTest) -> Iterator[Any]:
    """caplog with the project's formatter, every logger (SQLAlchemy's too) at DEBUG."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    configure_logging(secrets=(app.bot.token,), level=logging.DEBUG)
    formatter = root.handlers[0].formatter
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in saved[0]:
        root.addHandler(handler)
    root.setLevel(saved[1])
    caplog.handler.setFormatter(formatter)
    caplog.set_level(logging.DEBUG)
    for name in ("sqlalchemy", "aiogram", "aiosqlite", "asyncio", "bot"):
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog


def arm_write_fault(app: BotUnderTest) -> list[str]:
    """From now on every INSERT/UPDATE fails as a full disk would; returns what failed."""
    engine = app.session_factory.kw["bind"].sync_engine
    dbapi = engine.dialect.loaded_dbapi
    failed: list[str] = []

    def fail(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE")):
            failed.append(statement.split()[0])
            raise dbapi.OperationalError("database or disk is full")

    event.listen(engine, "before_cursor_execute", fail)
    return failed


@pytest.mark.parametrize("step", ["phone", "submit"])
async def test_database_fault_mid_application_leaks_nothing(
    app: BotUnderTest, redacted_caplog: pytest.LogCaptureFixture, step: str
) -> None:
    person = await screened(app, user_id=USER)
    await fill_to(person, "phone" if step == "phone" else "review")
    app.restart()  # a new process: the answers so far are read back from the database
    failed = arm_write_fault(app)
    if step == "phone":  # the phone typed: the FSM step that keeps it fails
        update = Update(update_id=next(_update_ids), message=person._message(text=PHONE))
    else:  # everything typed: the application's INSERT fails
        data = person.button("📨").callback_data
        update = Update(
            update_id=next(_update_ids),
            callback_query={
                "id": "fault",
                "from": person.user.model_dump(),
                "chat_instance": "test",
                "data": data,
                "message": {
                    "message_id": 999,
                    "date": 0,
                    "chat": person.chat.model_dump(),
                    "text": "…",
                },
            },
        )
    await app.dp._process_update(app.bot, update)  # as polling does: logs, never raises
    assert failed, "the fault was not hit"
    text = redacted_caplog.text
    # The failure is logged by the error handler (bot.errors), with its cause's type and
    # where it was raised; not with its text, which may quote the person.
    assert f"Update {update.update_id} ({update.event_type}) failed: OperationalError" in text
    assert "bot/" in text.partition(" failed: ")[2]
    for secret in (
        SURNAME,
        FIRST_NAME,
        PHONE,
        PHONE.removeprefix("+"),
        PHONE[-10:],
        str(USER),
        app.bot.token,
        app.bot.token.partition(":")[2],
    ):
        assert secret not in text, secret
