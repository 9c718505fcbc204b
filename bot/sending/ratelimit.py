"""Politeness towards the Bot API, in plain asyncio (no aiogram):

* :class:`TokenBucket` — the overall rate (messages per second) with a small burst, as
  GCRA ("virtual scheduling"): every ``acquire`` *reserves* the next free slot in O(1)
  and sleeps exactly until it, so waiters are served in arrival order and nothing spins;
* a shared **pause gate** inside the bucket (:meth:`TokenBucket.pause`), for a *bot-wide*
  flood wait only: it stops every sender until the moment Telegram named; a sender woken
  for a slot reserved before the pause waits for its end and reserves again;
* :class:`PerChatLimiter` — at most one message per ``interval`` seconds to one chat, and
  :meth:`PerChatLimiter.defer` for a 429 about one chat: that chat waits, nobody else;
* :class:`FloodDetector` — tells a bot-wide flood wait from 429s about single chats.

Telegram's ``retry_after`` says when *that request* may be repeated, and its limits are per
chat (about one message a second), per group (20 a minute) and overall. A 429 alone does not
say which one was hit; the rule (:class:`FloodDetector`): a bot-wide flood is when **at
least half of the last 20 answers, and at least 4 of them, were 429s**. With 1 % of chats
refused that is practically never (the chance that 10 of 20 answers are 429s is ~1e-15);
when Telegram refuses everything, it is reached after about 10 answers.

The limiters take ``clock`` (monotonic seconds) and ``sleep`` so tests can drive them with a
fake clock.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable, Hashable

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

__all__ = ["Clock", "FloodDetector", "PerChatLimiter", "Sleep", "TokenBucket"]


class TokenBucket:
    """At most ``rate`` acquisitions per second on average, ``burst`` at once.

    GCRA: ``_tat`` is the theoretical arrival time of the next acquisition. An acquisition
    at ``now`` may go at ``max(now, tat - tolerance)``, after which ``tat`` moves one
    emission interval (``1 / rate``) ahead. Over any window of ``t`` seconds at most
    ``burst + rate * t`` acquisitions complete.
    """

    def __init__(
        self,
        rate: float,
        burst: float = 1.0,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        if burst < 1:
            raise ValueError("burst must be at least 1")
        self.rate = rate
        self.burst = burst
        self._interval = 1.0 / rate
        self._tolerance = (burst - 1.0) * self._interval
        self._clock = clock
        self._sleep = sleep
        self._tat = clock()
        self._paused_until = float("-inf")
        self.paused_seconds = 0.0  #: total pause time requested (overlaps counted once)
        self.pauses = 0  #: how many pauses extended the gate

    @property
    def paused_until(self) -> float:
        return self._paused_until

    def paused(self) -> bool:
        return self._clock() < self._paused_until

    def pause(self, seconds: float) -> bool:
        """Nobody acquires before ``now + seconds`` (a later pause extends, an earlier one
        inside the current pause changes nothing). After the pause, no burst: the first
        acquisition goes at the end of the pause, then one per interval. Returns True when
        the pause was extended."""
        now = self._clock()
        until = now + max(0.0, seconds)
        if until <= self._paused_until:
            return False
        self.paused_seconds += until - max(now, self._paused_until)
        self.pauses += 1
        self._paused_until = until
        self._tat = max(self._tat, until + self._tolerance)
        return True

    def reserve(self) -> float:
        """Reserve the next slot; returns the delay (seconds from now) until it."""
        now = self._clock()
        tat = max(self._tat, now)
        allowed_at = tat - self._tolerance
        self._tat = tat + self._interval
        return max(0.0, allowed_at - now)

    async def acquire(self) -> None:
        """Wait for a slot (and for the end of any pause)."""
        while True:
            delay = self.reserve()
            if delay > 0:
                await self._sleep(delay)
            now = self._clock()
            if now >= self._paused_until:
                return
            # Paused while waiting: the reserved slot fell inside the pause. Wait for its end
            # and reserve again (the pause moved ``_tat`` past its end).
            await self._sleep(self._paused_until - now)

    async def wait_unpaused(self) -> None:
        """Wait until the pause gate is open (without taking a slot)."""
        while True:
            now = self._clock()
            if now >= self._paused_until:
                return
            await self._sleep(self._paused_until - now)


class PerChatLimiter:
    """At most one message per ``interval`` seconds to one chat.

    Remembers only chats used within the last ``interval``: expired entries are dropped as
    new ones arrive (a queue of expiry times, O(1) amortized), so memory stays bounded by
    about ``rate * interval`` entries.
    """

    def __init__(
        self,
        interval: float = 1.0,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._next: dict[Hashable, float] = {}  # chat -> the earliest time of its next message
        self._expiry: deque[tuple[float, Hashable]] = deque()  # in reservation order

    def __len__(self) -> int:
        return len(self._next)

    def _prune(self, now: float) -> None:
        expiry, entries = self._expiry, self._next
        while expiry and expiry[0][0] <= now:
            at, chat = expiry.popleft()
            if entries.get(chat) == at:
                del entries[chat]

    def defer(self, chat: Hashable, seconds: float) -> None:
        """Telegram refused this chat for ``seconds`` (a per-chat 429): its next slot is not
        before then. Other chats are not affected."""
        now = self._clock()
        self._prune(now)
        at = max(now + max(0.0, seconds), self._next.get(chat, now))
        self._next[chat] = at
        self._expiry.append((at, chat))

    def reserve(self, chat: Hashable) -> float:
        """Reserve the chat's next slot; returns the delay until it."""
        if self.interval <= 0:
            return 0.0
        now = self._clock()
        self._prune(now)
        at = max(now, self._next.get(chat, now))
        following = at + self.interval
        self._next[chat] = following
        # Not sorted when a chat waits (``at`` > now), which only delays pruning: an entry
        # is dropped once every reservation before it has expired.
        self._expiry.append((following, chat))
        return at - now

    async def acquire(self, chat: Hashable) -> None:
        delay = self.reserve(chat)
        if delay > 0:
            await self._sleep(delay)


class FloodDetector:
    """Tells a bot-wide flood wait from 429s about single chats, from the answers alone.

    Every answer of Telegram is noted (:meth:`accepted` for anything but a 429,
    :meth:`refused` for a 429 with its ``retry_after``). :meth:`refused` returns the seconds
    to pause *everything* when, among the last ``window`` answers, at least ``share`` of them
    and at least ``minimum`` were 429s: then the refusals are not about single chats but
    about the bot. The pause lasts until the latest moment any of those 429s named; the
    window starts afresh after it (the answers of requests sent before the pause do not
    count twice). Otherwise it returns None: only that chat waits.
    """

    def __init__(
        self,
        window: int = 20,
        share: float = 0.5,
        minimum: int = 4,
        *,
        clock: Clock = time.monotonic,
    ) -> None:
        if window < 1 or minimum < 1 or not 0 < share <= 1:
            raise ValueError("window and minimum must be positive, share in (0, 1]")
        self.window = window
        self.share = share
        self.minimum = minimum
        self._clock = clock
        self._answers: deque[float | None] = deque(maxlen=window)  # None, or «refused until»
        self._refused = 0  # 429s in the window
        self.floods = 0  #: bot-wide floods detected

    def accepted(self) -> None:
        self._note(None)

    def refused(self, retry_after: float) -> float | None:
        """Note a 429; returns the seconds to pause every send for, or None (only the chat
        waits)."""
        now = self._clock()
        self._note(now + max(0.0, retry_after))
        if self._refused < self.minimum or self._refused < self.share * len(self._answers):
            return None
        until = max(at for at in self._answers if at is not None)
        self._answers.clear()
        self._refused = 0
        self.floods += 1
        return max(0.0, until - now)

    def _note(self, refused_until: float | None) -> None:
        answers = self._answers
        if len(answers) == answers.maxlen and answers[0] is not None:
            self._refused -= 1
        answers.append(refused_until)
        if refused_until is not None:
            self._refused += 1
