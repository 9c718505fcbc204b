"""Logs that never carry the bot token or a phone number (Law 94-V: no personal data in logs).

:class:`RedactingFormatter` masks them in the whole formatted record, the traceback included
(a database error's text, an URL with the token in it). SQL parameters never reach the
text in the first place: the engines are created with ``hide_parameters=True``.
"""

from __future__ import annotations

import logging
import re
from typing import Any

# +7 701 123 45 67, 87011234567, 8 (701) 123-45-67: Kazakhstan's numbers, and any run of
# 10–15 digits with the usual separators.
_PHONE_RE = re.compile(r"(?<!\w)\+?\d(?:[\s\-()]*\d){9,14}(?!\w)")
# A Bot API token: 123456789:AAE… (also inside https://api.telegram.org/bot<token>/…).
_TOKEN_RE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
MASK = "***"


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    text = _TOKEN_RE.sub(MASK, text)
    return _PHONE_RE.sub(MASK, text)


class RedactingFormatter(logging.Formatter):
    """A formatter whose output has the token, the given secrets and phones masked."""

    def __init__(self, fmt: str | None = None, secrets: tuple[str, ...] = ()) -> None:
        super().__init__(fmt)
        self.secrets = secrets

    # The message, the traceback and the stack are masked; the timestamp is not (a date and
    # hour, «2026-12-02 02», would look like a phone number).
    def formatMessage(self, record: logging.LogRecord) -> str:
        stamp = getattr(record, "asctime", None)
        if stamp is None:
            return redact(super().formatMessage(record), self.secrets)
        record.asctime = "\x00"
        try:
            masked = redact(super().formatMessage(record), self.secrets)
        finally:
            record.asctime = stamp
        return masked.replace("\x00", stamp, 1)

    def formatException(self, ei: Any) -> str:
        return redact(super().formatException(ei), self.secrets)

    def formatStack(self, stack_info: str) -> str:
        return redact(super().formatStack(stack_info), self.secrets)


def configure_logging(
    secrets: tuple[str, ...] = (), level: int = logging.INFO, *, json: bool = False
) -> None:
    """Log to stderr through a :class:`RedactingFormatter` (replacing earlier handlers);
    ``json``: one JSON object a line (:mod:`bot.observability.logs`)."""
    handler = logging.StreamHandler()
    if json:
        from bot.observability.logs import JsonFormatter

        handler.setFormatter(JsonFormatter(secrets=secrets))
    else:
        handler.setFormatter(
            RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
        )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
