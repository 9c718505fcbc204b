"""JSON logs (``LOG_FORMAT=json``): one object a line, masked like the text logs.

Each line has ``time``, ``level``, ``logger`` and ``message``; inside an update also
``update_id`` and ``user``, an HMAC of the Telegram user id keyed by the bot's token (the
same in every replica, not reversible without the token). Never a name, a phone, a text or
the token: the message and the traceback pass :func:`bot.log_redaction.redact`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.log_redaction import RedactingFormatter, redact


@dataclass(frozen=True, slots=True)
class UpdateContext:
    update_id: int
    user: str | None


current_update: ContextVar[UpdateContext | None] = ContextVar("current_update", default=None)
_hash_key = b"rescue-recruitment-bot"


def set_hash_key(secret: str) -> None:
    """Key the user-id hash with a secret (the token): set once at start-up."""
    global _hash_key
    _hash_key = hashlib.sha256(b"user-hash:" + secret.encode()).digest()


def hashed_user(user_id: int | None) -> str | None:
    if user_id is None:
        return None
    return hmac.new(_hash_key, str(user_id).encode(), hashlib.sha256).hexdigest()[:16]


class JsonFormatter(RedactingFormatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage(), self.secrets),
        }
        context = current_update.get()
        if context is not None:
            entry["update_id"] = context.update_id
            if context.user is not None:
                entry["user"] = context.user
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)
