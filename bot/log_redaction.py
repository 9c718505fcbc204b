"""Logs that never carry the bot token or a phone number (Law 94-V: no personal data in logs).

:class:`RedactingFormatter` masks them in the whole formatted record, the traceback included
(a database error's text, an URL with the token in it). SQL parameters never reach the
text in the first place: the engines are created with ``hide_parameters=True``.
"""

from __future__ import annotations

import logging
import re

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

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.secrets)


def configure_logging(secrets: tuple[str, ...] = (), level: int = logging.INFO) -> None:
    """Log to stderr through a :class:`RedactingFormatter` (replacing earlier handlers)."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
