"""What HR type in the slot dialog, parsed: a wall-clock time, a capacity, a place.

Each parser returns the value or raises :class:`TypedError` with a code (the dialog shows
the matching localized text and stays on the step); the domain's own checks
(``bot.scheduling.slots.validate``) still run when the slots are created.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Final

from bot.scheduling.slots import MAX_ADDRESS, MAX_URL

MAX_CAPACITY_TYPED: Final = 50  # one slot of the dialog seats at most this many
_CLOCK: Final = re.compile(r"(\d{1,2})[:.](\d{2})")
_LINK: Final = re.compile(r"https://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?", re.IGNORECASE)


class TypedError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_clock(text: str) -> time:
    """«10:00», «9.30» → a time; anything else (25:00, 10:75, a word) is ``bad_time``."""
    found = _CLOCK.fullmatch(text.strip())
    if found is None:
        raise TypedError("bad_time")
    hour, minute = int(found[1]), int(found[2])
    if hour > 23 or minute > 59:
        raise TypedError("bad_time")
    return time(hour, minute)


def parse_capacity(text: str) -> int:
    """A number of places from 1 to :data:`MAX_CAPACITY_TYPED` (``bad_capacity`` else)."""
    value = text.strip()
    if not value.isdecimal() or len(value) > 4 or not 1 <= int(value) <= MAX_CAPACITY_TYPED:
        raise TypedError("bad_capacity")
    return int(value)


def is_link(text: str) -> bool:
    """Typed text meant as an online link rather than an address."""
    lowered = text.strip().lower()
    return lowered.startswith(("http://", "https://", "www."))


def parse_link(text: str) -> str:
    """An https:// link (``bad_link``: http, spaces, no host, too long)."""
    value = text.strip()
    if len(value) > MAX_URL or not _LINK.fullmatch(value):
        raise TypedError("bad_link")
    return value


def parse_address(text: str) -> str:
    """A street address: not empty, at most MAX_ADDRESS characters, spacing tidied."""
    value = " ".join(text.split())
    if not value:
        raise TypedError("empty_address")
    if len(value) > MAX_ADDRESS:
        raise TypedError("address_too_long")
    return value
