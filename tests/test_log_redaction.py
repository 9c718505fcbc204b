"""No token and no phone number in what is logged; no SQL parameters in database errors."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.db.engine import create_engine
from bot.log_redaction import MASK, RedactingFormatter, redact

TOKEN = "123456789:AAEhBOweik6ad6PsTt6-y5iJpmh0Yf1Tw0A"


@pytest.mark.parametrize(
    "phone", ["+77011234567", "87011234567", "+7 701 123 45 67", "8 (701) 123-45-67"]
)
def test_phones_are_masked(phone: str) -> None:
    assert redact(f"contact {phone} saved") == f"contact {MASK} saved"


def test_short_numbers_stay() -> None:
    assert redact("update 123456 handled in 15 ms, application №42") == (
        "update 123456 handled in 15 ms, application №42"
    )


def test_token_is_masked_in_message_and_traceback() -> None:
    formatter = RedactingFormatter("%(message)s", secrets=("s3cret-value",))
    try:
        raise ValueError(f"cannot reach https://api.telegram.org/bot{TOKEN}/getMe s3cret-value")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "bot", logging.ERROR, __file__, 1, "failed for %s", ("+77011234567",), sys.exc_info()
        )
    out = formatter.format(record)
    assert TOKEN not in out and "AAEhBOweik" not in out
    assert "s3cret-value" not in out and "+77011234567" not in out
    assert "ValueError" in out  # the traceback is still there, only masked


async def test_database_errors_carry_no_parameters(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (phone TEXT UNIQUE, name TEXT)"))
        await conn.execute(text("INSERT INTO t VALUES ('+77011234567', 'Иванов')"))
    with pytest.raises(IntegrityError) as caught:
        async with engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO t VALUES (:phone, :name)"),
                {"phone": "+77011234567", "name": "Иванов Иван"},
            )
    await engine.dispose()
    message = str(caught.value)
    assert "+77011234567" not in message and "Иванов" not in message
    assert "hidden due to hide_parameters" in message


def test_the_timestamp_stays_readable() -> None:
    formatter = RedactingFormatter("%(asctime)s %(levelname)s %(message)s")
    record = logging.LogRecord("bot", logging.INFO, __file__, 1, "call %s", ("+77011234567",), None)
    out = formatter.format(record)
    stamp = formatter.formatTime(record)
    assert out.startswith(stamp) and MASK not in stamp
    assert out.endswith(f"call {MASK}")
