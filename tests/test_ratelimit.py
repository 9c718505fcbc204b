"""The token bucket (overall rate, burst, pause gate) and the per-chat limiter, on a virtual
clock: time moves only when every task waits, so the checks are exact and instant."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from bot.sending.ratelimit import FloodDetector, PerChatLimiter, TokenBucket


class VirtualTime:
    """A clock and a ``sleep`` for the limiters: sleeping tasks wake in time order, and the
    clock jumps to the next wake-up once all runnable tasks are blocked."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps = 0
        self._timers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        self.sleeps += 1
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._timers, (self.now + max(0.0, delay), next(self._seq), future))
        await future

    async def _settle(self) -> None:
        for _ in range(20):
            await asyncio.sleep(0)

    async def run(self, *coroutines: Awaitable[Any]) -> list[Any]:
        tasks = [asyncio.ensure_future(c) for c in coroutines]
        while True:
            await self._settle()
            if all(t.done() for t in tasks):
                return [t.result() for t in tasks]
            if not self._timers:
                raise RuntimeError("deadlock: tasks wait for nothing")
            at, _, future = heapq.heappop(self._timers)
            self.now = max(self.now, at)
            future.set_result(None)

    def at(self, when: float, action: Callable[[], None]) -> Awaitable[None]:
        async def later() -> None:
            await self.sleep(when - self.now)
            action()

        return later()


def max_in_window(times: list[float], window: float) -> int:
    times = sorted(times)
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= window - 1e-9:
            start += 1
        best = max(best, end - start + 1)
    return best


async def test_bucket_keeps_the_rate() -> None:
    clock = VirtualTime()
    bucket = TokenBucket(10, burst=1, clock=clock, sleep=clock.sleep)
    times: list[float] = []

    async def sender(n: int) -> None:
        for _ in range(n):
            await bucket.acquire()
            times.append(clock.now)

    await clock.run(*(sender(10) for _ in range(5)))  # 50 acquisitions from 5 tasks
    assert len(times) == 50
    assert times == sorted(times)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) == pytest.approx(0.1)
    assert times[-1] == pytest.approx(4.9)
    assert max_in_window(times, 1.0) <= 10
    # No busy loop: one sleep per acquisition at most.
    assert clock.sleeps <= 50


async def test_bucket_burst_then_rate() -> None:
    clock = VirtualTime()
    bucket = TokenBucket(100, burst=5, clock=clock, sleep=clock.sleep)
    times: list[float] = []

    async def one() -> None:
        await bucket.acquire()
        times.append(clock.now)

    await clock.run(*(one() for _ in range(25)))
    assert times[:5] == [0.0] * 5  # the burst goes at once
    assert times[5] == pytest.approx(0.01)
    assert times[-1] == pytest.approx(0.2)
    assert max_in_window(times, 0.1) <= 5 + 10


async def test_pause_stops_everyone_until_it_ends() -> None:
    clock = VirtualTime()
    bucket = TokenBucket(10, burst=1, clock=clock, sleep=clock.sleep)
    times: list[float] = []

    async def sender() -> None:
        for _ in range(5):
            await bucket.acquire()
            times.append(clock.now)

    # At 0.25 s Telegram says «retry after 2»: slots reserved before must wait too.
    await clock.run(sender(), sender(), clock.at(0.25, lambda: bucket.pause(2)))
    before = [t for t in times if t < 0.25]
    after = [t for t in times if t >= 0.25]
    assert before == pytest.approx([0.0, 0.1, 0.2])
    assert min(after) == pytest.approx(2.25)  # nobody inside the pause
    assert len(after) == 7
    gaps = [b - a for a, b in itertools.pairwise(after)]
    assert min(gaps) == pytest.approx(0.1)  # no burst after the pause
    assert bucket.pauses == 1 and bucket.paused_seconds == pytest.approx(2)


async def test_overlapping_pauses_extend_not_add() -> None:
    clock = VirtualTime()
    bucket = TokenBucket(10, clock=clock, sleep=clock.sleep)
    bucket.pause(1)
    bucket.pause(0.5)  # inside the first: nothing changes
    assert bucket.paused_until == 1 and bucket.pauses == 1
    clock.now = 0.5
    bucket.pause(1)  # until 1.5: half a second more
    assert bucket.paused_until == 1.5 and bucket.paused_seconds == pytest.approx(1.5)
    assert bucket.paused()
    await clock.run(bucket.wait_unpaused())
    assert clock.now == 1.5 and not bucket.paused()


def test_bucket_rejects_bad_settings() -> None:
    with pytest.raises(ValueError):
        TokenBucket(0)
    with pytest.raises(ValueError):
        TokenBucket(10, burst=0.5)


async def test_per_chat_interval() -> None:
    clock = VirtualTime()
    limiter = PerChatLimiter(1.0, clock=clock, sleep=clock.sleep)
    sent: list[tuple[float, int]] = []

    async def send(chat: int) -> None:
        await limiter.acquire(chat)
        sent.append((clock.now, chat))

    await clock.run(*(send(chat) for chat in (1, 2, 1, 3, 1, 2)))
    by_chat: dict[int, list[float]] = {}
    for at, chat in sent:
        by_chat.setdefault(chat, []).append(at)
    assert by_chat[1] == [0.0, 1.0, 2.0]
    assert by_chat[2] == [0.0, 1.0]
    assert by_chat[3] == [0.0]  # other chats are not delayed


async def test_per_chat_memory_is_bounded() -> None:
    clock = VirtualTime()
    limiter = PerChatLimiter(1.0, clock=clock, sleep=clock.sleep)
    for i in range(10_000):
        clock.now = i * 0.001  # 1000 chats a second
        assert limiter.reserve(i) == 0
    assert len(limiter) <= 1001
    assert PerChatLimiter(0).reserve(1) == 0


def test_defer_delays_only_that_chat() -> None:
    clock = VirtualTime()
    limiter = PerChatLimiter(1.0, clock=clock, sleep=clock.sleep)
    assert limiter.reserve("a") == 0
    limiter.defer("a", 3)  # Telegram: retry after 3 s
    assert limiter.reserve("b") == 0  # other chats are not affected
    assert limiter.reserve("a") == pytest.approx(3)
    assert limiter.reserve("a") == pytest.approx(4)  # then one a second again
    limiter.defer("b", 0.5)  # shorter than the interval: the interval still holds
    assert limiter.reserve("b") == pytest.approx(1)


def test_flood_detector_tells_bot_wide_from_single_chats() -> None:
    clock = VirtualTime()
    detector = FloodDetector(clock=clock)
    # 1 % of chats refused (and even 1 in 5): never a bot-wide flood.
    for i in range(10_000):
        if i % 5 == 0:
            assert detector.refused(1) is None
        else:
            detector.accepted()
    assert detector.floods == 0
    # Telegram refuses everything: with 20 accepted answers before, the 10th 429 in a row
    # makes half of the window.
    for _ in range(20):
        detector.accepted()
    pauses = [detector.refused(3 if i == 4 else 1) for i in range(10)]
    assert pauses[:9] == [None] * 9
    assert pauses[9] == pytest.approx(3)  # until the latest moment any 429 named
    assert detector.floods == 1
    # The window starts afresh: the next 429s (requests sent before the pause) need 4 again.
    assert [detector.refused(1) for _ in range(4)] == [None, None, None, 1]


def test_flood_detector_needs_a_minimum() -> None:
    detector = FloodDetector(clock=VirtualTime())
    assert [detector.refused(1) for _ in range(3)] == [None, None, None]  # 3 chats at start
    assert detector.refused(2) == 2
    with pytest.raises(ValueError):
        FloodDetector(share=0)
