"""The delivery engine: sends one materialized broadcast through an aiogram ``Bot``.

How a run goes (``DeliveryEngine.run``):

* a **feeder** pages through the broadcast's ``pending`` rows in id order (keyset pages of
  plain tuples, no ORM object per message) into a bounded queue (:class:`_Rows`);
* ``max_in_flight`` **workers** take one row each (a row deferred by a per-chat 429 whose
  wait is over first, then the feeder's): wait for the chat's slot
  (:class:`~bot.sending.ratelimit.PerChatLimiter`, one message per ``per_chat_interval``
  to a chat) and for a global slot (:class:`~bot.sending.ratelimit.TokenBucket`, the
  overall ``rate``), send, and hand the outcome to the **recorder**;
* the **recorder** commits outcomes in groups (group commit): it writes everything that
  arrived while the previous commit ran, in one transaction, as soon as that commit is
  done (waiting ``commit_linger``, 3 ms, when fewer than half the workers are waiting, so
  batches grow at high rates) — a mark is durable a few ms after Telegram's answer. A
  worker takes its next row only after its outcome is committed. The recorder keeps one
  connection for the run; the broadcast's counters are added about once a second (and
  recounted from the rows at the start of a run and at the end).

Cost per message (what makes 1000/s possible on one core): the send method is built and
serialized once per language and run (only ``chat_id`` changes), and Telegram's answer is
read as ``{message_id}`` instead of a full ``Message``; no ORM object per recipient.

Durability and the duplicate bound: a row is marked ``sent`` only after Telegram accepted
the message. Because a worker holds its slot from the request until the commit of its
outcome, «requests in flight» + «accepted but not yet recorded» ≤ ``max_in_flight`` at
every moment. Killed at any point (``kill -9``), the next run resends at most those:
**duplicates ≤ max_in_flight, and nobody is skipped** (every row not marked is still
``pending``). A graceful stop (:meth:`DeliveryEngine.request_stop`, the bot's shutdown)
duplicates nobody. A row deferred by a per-chat 429 is held by no worker and was never
accepted: it is still ``pending`` and counts in no bound. Order: rows go out in id order
(the order of ``materialize``, i.e. by chat id); a row being retried lets the others pass.
Against the real Telegram (~50-100 ms a request) ``max_in_flight`` 4 gives ~40-80
messages/s, enough for the free 30/s; for paid broadcasts at 1000/s use ~100 (and accept
up to 100 duplicates after a kill -9).

Errors:

* ``TelegramRetryAfter`` (429) — Telegram's ``retry_after`` says when *that request* may be
  repeated. Usually it is about one chat (about one message a second to a chat): only that
  row is **deferred** — put aside for ``retry_after`` seconds and tried again after it (the
  worker takes the next row meanwhile, so the others keep flowing at the configured rate;
  a 429 does not count as an attempt). Only when Telegram signals a **bot-wide flood wait**
  — at least half of the last 20 answers, and at least 4, were 429s
  (:class:`~bot.sending.ratelimit.FloodDetector`) — the shared pause gate stops EVERY
  worker until the latest moment those 429s named; the rows refused meanwhile are deferred
  as above, so they go right after the pause (none failed, none twice);
* ``TelegramForbiddenError`` (blocked, deactivated) or a bad request «chat not found» /
  «user not found» / «PEER_ID_INVALID» — the subscription is deleted and the row marked
  ``unsubscribed``; the broadcast goes on;
* ``TelegramUnauthorizedError`` (the token is revoked) — the run stops; rows stay pending;
* anything else (network, 5xx, other bad requests) — retried with exponential backoff
  (``retry_base`` · 2^(n-1), at most ``retry_max``) up to ``max_attempts`` attempts, then
  ``failed`` with a short reason (error class and Telegram's description with digits
  masked: never a name, a text or a chat id).

Rate caps: without ``allow_paid_broadcast`` the rate is capped at 30 messages/s
(Telegram's free broadcast limit); with it, ``allow_paid_broadcast`` is passed on every
send and the cap is 1000/s (the default rate becomes 1000/s too).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.methods import Response, SendMessage, SendPhoto
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from pydantic import BaseModel, ConfigDict
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from bot.db.models import Broadcast, BroadcastStatus
from bot.i18n import Translator, default_translator
from bot.keyboards.callbacks import CardCb, CardSource
from bot.sending.ratelimit import Clock, FloodDetector, PerChatLimiter, TokenBucket
from bot.services import broadcasts
from bot.services.broadcasts import BroadcastStateError, Failure, Recipient

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_PAID_RATE",
    "DEFAULT_RATE",
    "FREE_RATE_CAP",
    "PAID_RATE_CAP",
    "BroadcastReport",
    "DeliveryEngine",
    "ProgressCallback",
    "ProgressSnapshot",
]

DEFAULT_RATE = 25.0
DEFAULT_PAID_RATE = 1000.0
FREE_RATE_CAP = 30.0
PAID_RATE_CAP = 1000.0
_CHAT_GONE = ("chat not found", "user not found", "peer_id_invalid", "bot was blocked")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class ProgressSnapshot:
    """Where a run is; ``left`` rows are still pending, ``rate`` is messages/s lately."""

    broadcast_id: int
    total: int
    sent: int
    failed: int
    unsubscribed: int
    left: int
    rate: float
    eta_seconds: float | None
    elapsed: float
    paused: bool = False
    finished: bool = False


ProgressCallback = Callable[[ProgressSnapshot], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class BroadcastReport:
    """The result of one run. ``sent``/``failed``/``unsubscribed``/``left`` are totals of the
    whole broadcast (earlier, interrupted runs included); ``processed`` rows were resolved
    by this run in ``duration`` seconds, at ``rate`` rows/s; ``completed`` is True when the
    broadcast is ``done``."""

    broadcast_id: int
    total: int
    sent: int
    failed: int
    unsubscribed: int
    left: int
    processed: int
    duration: float
    rate: float
    paused_seconds: float
    completed: bool
    deferred: int = 0  #: rows put aside by a per-chat 429 in this run (each try counted)
    flood_waits: int = 0  #: bot-wide flood waits in this run (every send paused)


class _Fatal(Exception):
    """Sending cannot go on (the token was revoked); rows stay pending."""


@dataclass(slots=True)
class _Outcome:
    kind: str  # "sent" | "unsubscribed" | "failed"
    row: Recipient
    attempts: int
    reason: str = ""


@dataclass(frozen=True, slots=True)
class _Deferred:
    row: Recipient  # with its attempts so far
    seconds: float


@dataclass(slots=True)
class _Tally:
    total: int = 0
    sent: int = 0
    failed: int = 0
    unsubscribed: int = 0
    processed: int = 0

    @property
    def left(self) -> int:
        return max(0, self.total - self.sent - self.failed - self.unsubscribed)


def short_reason(error: BaseException) -> str:
    """The error class and Telegram's description, digits masked (no ids), ≤ 120 chars."""
    message = getattr(error, "message", None) or str(error)
    text = _DIGITS.sub("N", str(message)).replace("\n", " ")
    return f"{type(error).__name__}: {text}"[: broadcasts.MAX_REASON]


def _chat_gone(error: TelegramBadRequest) -> bool:
    message = error.message.lower()
    return any(marker in message for marker in _CHAT_GONE)


class _Recorder:
    """Group commit of outcomes: one transaction for everything that arrived while the
    previous one ran (plus ``linger`` seconds when the batch is small, to make batches
    larger at high rates). It keeps one database connection for the whole run: on SQLite
    every statement is a hop to aiosqlite's thread, so fewer statements per message is
    most of the database cost. The broadcast's counters are added about once a second."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        broadcast_id: int,
        tally: _Tally,
        *,
        linger: float = 0.0,
        linger_below: int = 1,
        counters_every: float = 1.0,
        commit_retries: int = 5,
        clock: Clock = time.monotonic,
    ) -> None:
        self._session_factory = session_factory
        self._broadcast_id = broadcast_id
        self._tally = tally
        self._linger = linger
        self._linger_below = linger_below
        self._counters_every = counters_every
        self._commit_retries = commit_retries
        self._clock = clock
        self._batch: list[_Outcome] = []
        self._retried: list[Failure] = []
        self._waiters: list[asyncio.Future[None]] = []
        self._wake = asyncio.Event()
        self._closed = False
        self._conn: AsyncConnection | None = None
        self._unsynced = (0, 0)  # counters not yet added to the broadcast row
        self._synced_at = clock()
        self.commits = 0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name=f"broadcast-{self._broadcast_id}-rec")

    async def record(self, outcome: _Outcome) -> None:
        """Queue an outcome and wait until it is committed."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._batch.append(outcome)
        self._waiters.append(future)
        self._wake.set()
        await future

    def note_retry(self, row: Recipient, attempts: int, reason: str) -> None:
        """Save a failed attempt with the next commit (nobody waits for it)."""
        self._retried.append(Failure(row.id, attempts, reason))
        self._wake.set()

    async def close(self) -> None:
        """Commit what is left (counters included) and stop."""
        self._closed = True
        self._wake.set()
        try:
            if self._task is not None:
                await self._task
        finally:
            await self._disconnect()

    async def cancel(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self._disconnect()

    async def _disconnect(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with suppress(Exception):
                await conn.close()

    async def _loop(self) -> None:
        while True:
            await self._wake.wait()
            if self._linger > 0 and not self._closed and len(self._batch) < self._linger_below:
                await asyncio.sleep(self._linger)
            self._wake.clear()
            if self._batch or self._retried or (self._closed and any(self._unsynced)):
                batch, self._batch = self._batch, []
                retried, self._retried = self._retried, []
                waiters, self._waiters = self._waiters, []
                try:
                    await self._commit(batch, retried)
                except BaseException as error:
                    failure = error if isinstance(error, Exception) else RuntimeError("stopped")
                    for future in waiters:
                        if not future.done():
                            future.set_exception(failure)
                    raise
                for future in waiters:
                    if not future.done():
                        future.set_result(None)
            if self._closed and not (self._batch or self._retried or any(self._unsynced)):
                return

    async def _connection(self) -> AsyncConnection:
        if self._conn is None:
            async with self._session_factory() as session:
                bind = session.bind
            if not isinstance(bind, AsyncEngine):
                raise TypeError("the session factory must be bound to an AsyncEngine")
            self._conn = await bind.connect()
        return self._conn

    async def _commit(self, batch: list[_Outcome], retried: list[Failure]) -> None:
        sent = [(o.row.id, o.attempts) for o in batch if o.kind == "sent"]
        unsubscribed = [(o.row.id, o.row.chat_id) for o in batch if o.kind == "unsubscribed"]
        failed = [Failure(o.row.id, o.attempts, o.reason) for o in batch if o.kind == "failed"]
        unsynced = (
            self._unsynced[0] + len(sent),
            self._unsynced[1] + len(unsubscribed) + len(failed),
        )
        now = self._clock()
        sync = self._closed or now - self._synced_at >= self._counters_every
        for attempt in range(1, self._commit_retries + 1):
            try:
                conn = await self._connection()
                try:
                    await broadcasts.apply_outcomes(
                        conn,
                        self._broadcast_id,
                        sent=sent,
                        unsubscribed=unsubscribed,
                        failed=failed,
                        retried=retried,
                        counters=unsynced if sync else None,
                        now=datetime.now(UTC),
                    )
                except BaseException:
                    with suppress(Exception):
                        await conn.rollback()
                    raise
                break
            except Exception as error:
                await self._disconnect()
                if attempt == self._commit_retries:
                    raise
                log.warning(
                    "Broadcast %s: recording outcomes failed (%s), retrying",
                    self._broadcast_id,
                    type(error).__name__,
                )
                await asyncio.sleep(0.05 * 2**attempt)
        if sync:
            self._unsynced, self._synced_at = (0, 0), now
        else:
            self._unsynced = unsynced
        self.commits += 1
        tally = self._tally
        tally.sent += len(sent)
        tally.unsubscribed += len(unsubscribed)
        tally.failed += len(failed)
        tally.processed += len(batch)


class _Accepted(BaseModel):
    """What we read of Telegram's answer to a send: only that it was accepted. Parsing the
    whole ``Message`` (chat, sender, keyboard...) is most of aiogram's cost per request and
    a broadcast never uses it."""

    model_config = ConfigDict(extra="ignore")
    message_id: int


# A strong reference: pydantic caches parametrized generics weakly, and aiogram builds
# ``Response[method.__returning__]`` for every answer; without it the class is rebuilt
# (milliseconds) whenever the garbage collector dropped it.
_ACCEPTED_RESPONSE = Response[_Accepted]


class _Prepared:
    """A send method whose fields are serialized ONCE per run (the keyboard's JSON, the
    text...): ``model_dump`` — what aiogram's session serializes a method from — returns
    the prepared strings, with only ``chat_id`` changing per recipient."""

    _wire: dict[str, Any] | None = None

    def prepare(self, bot: Bot) -> None:
        files: dict[str, Any] = {}
        wire: dict[str, Any] = {}
        dumped = BaseModel.model_dump(cast(BaseModel, self), warnings=False)
        for key, value in dumped.items():
            if key == "chat_id":
                continue
            prepared = bot.session.prepare_value(value, bot=bot, files=files)
            if prepared is not None:
                wire[key] = prepared
        if not files:  # an upload would need its file part on every request
            self._wire = wire

    def model_dump(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        wire = self._wire
        if wire is None or args or set(kwargs) - {"warnings"}:
            return BaseModel.model_dump(cast(BaseModel, self), *args, **kwargs)
        return {**wire, "chat_id": cast(SendMessage, self).chat_id}


class _BroadcastText(_Prepared, SendMessage):
    __returning__ = _Accepted  # type: ignore[assignment]  # we never read the Message


class _BroadcastPhoto(_Prepared, SendPhoto):
    __returning__ = _Accepted  # type: ignore[assignment]  # we never read the Message


_Method = _BroadcastText | _BroadcastPhoto


class _Rows:
    """Where the workers take rows from: the feeder's rows in id order (at most
    ``capacity`` waiting, the feeder waits for room), and the rows deferred by a per-chat
    429 once their wait is over (those first). A deferred row is held by nobody: a timer
    puts it back. :meth:`get` returns None when the run is over — the feeder is done and no
    row is queued, held by a worker or deferred — or stopped."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._fresh: deque[Recipient] = deque()
        self._due: deque[Recipient] = deque()
        self._timers: dict[int, asyncio.TimerHandle] = {}  # row id -> its timer
        self._held = 0
        self._fed = False
        self._stopped = False
        self._getters: deque[asyncio.Future[None]] = deque()
        self._putters: deque[asyncio.Future[None]] = deque()

    @property
    def deferred(self) -> int:
        """Rows waiting out a per-chat 429 now."""
        return len(self._timers)

    def _over(self) -> bool:
        return self._stopped or (
            self._fed and not (self._held or self._timers or self._fresh or self._due)
        )

    @staticmethod
    def _wake(waiters: deque[asyncio.Future[None]], *, every: bool = False) -> None:
        while waiters:
            future = waiters.popleft()
            if not future.done():
                future.set_result(None)
                if not every:
                    return

    @staticmethod
    async def _wait(waiters: deque[asyncio.Future[None]]) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        waiters.append(future)
        await future

    async def put(self, row: Recipient) -> None:
        """A row from the feeder (waits while ``capacity`` rows are queued)."""
        while len(self._fresh) >= self._capacity and not self._stopped:
            await self._wait(self._putters)
        if not self._stopped:
            self._fresh.append(row)
            self._wake(self._getters)

    def close(self) -> None:
        """The feeder is done: no more fresh rows."""
        self._fed = True
        self._wake(self._getters, every=True)

    async def get(self) -> Recipient | None:
        """The next row to send (the caller holds it until :meth:`done` or :meth:`defer`),
        or None when the run is over."""
        while True:
            if self._stopped:
                return None
            if self._due:
                row = self._due.popleft()
            elif self._fresh:
                row = self._fresh.popleft()
                self._wake(self._putters)
            elif self._over():
                self._wake(self._getters, every=True)
                return None
            else:
                await self._wait(self._getters)
                continue
            self._held += 1
            return row

    def done(self) -> None:
        """The held row is resolved (its outcome committed, or left pending on a stop)."""
        self._held -= 1
        if self._over():
            self._wake(self._getters, every=True)

    def defer(self, row: Recipient, seconds: float) -> None:
        """Put the held row aside for ``seconds``; it comes back first after them."""
        self._held -= 1
        if self._stopped:
            return  # stays pending
        previous = self._timers.pop(row.id, None)
        if previous is not None:
            previous.cancel()
        loop = asyncio.get_running_loop()
        self._timers[row.id] = loop.call_later(max(0.0, seconds), self._back, row)

    def _back(self, row: Recipient) -> None:
        self._timers.pop(row.id, None)
        if not self._stopped:
            self._due.append(row)
            self._wake(self._getters)

    def stop(self) -> None:
        """Nothing new starts: rows not taken yet (deferred ones too) stay pending."""
        self._stopped = True
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        self._fresh.clear()
        self._due.clear()
        self._wake(self._getters, every=True)
        self._wake(self._putters, every=True)


@dataclass(slots=True, eq=False)  # hashable by identity
class _Run:
    broadcast_id: int
    messages: dict[str, _Method]
    tally: _Tally
    recorder: _Recorder
    started: float
    paused_before: float
    rows: _Rows = field(default_factory=lambda: _Rows(1000))
    samples: deque[tuple[float, int]] = field(default_factory=lambda: deque(maxlen=16))
    deferred: int = 0
    flood_waits: int = 0


class DeliveryEngine:
    """Sends broadcasts politely and durably (see the module docstring).

    One engine per bot: its token bucket and per-chat limiter are shared by every run, so
    runs (the runner does them one after another) together never exceed ``rate``.
    """

    def __init__(
        self,
        bot: Bot,
        session_factory: async_sessionmaker[AsyncSession],
        *,
        rate: float | None = None,
        max_in_flight: int = 4,
        per_chat_interval: float = 1.0,
        allow_paid_broadcast: bool = False,
        max_attempts: int = 5,
        progress: ProgressCallback | None = None,
        translator: Translator | None = None,
        burst: float | None = None,
        retry_base: float = 1.0,
        retry_max: float = 30.0,
        progress_interval: float = 2.0,
        page_size: int = 1000,
        commit_linger: float = 0.003,
        clock: Clock = time.monotonic,
    ) -> None:
        """``rate``: messages per second overall (default 25, or 1000 with
        ``allow_paid_broadcast``; capped at 30 / 1000). ``max_in_flight``: concurrent
        requests, also the bound of duplicates after a crash. ``burst``: how many may go at
        once after an idle moment (default: ``max_in_flight``, at most ``rate``/10+1)."""
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        cap = PAID_RATE_CAP if allow_paid_broadcast else FREE_RATE_CAP
        wanted = (
            rate
            if rate is not None
            else (DEFAULT_PAID_RATE if allow_paid_broadcast else DEFAULT_RATE)
        )
        if wanted > cap:
            log.warning("Broadcast rate %.0f/s capped at %.0f/s", wanted, cap)
        self.rate = min(wanted, cap)
        if burst is None:
            burst = max(1.0, min(float(max_in_flight), self.rate / 10 + 1))
        self.bot = bot
        self.session_factory = session_factory
        self.max_in_flight = max_in_flight
        self.allow_paid_broadcast = allow_paid_broadcast
        self.max_attempts = max_attempts
        self.progress = progress
        self.translator = translator or default_translator()
        self.retry_base = retry_base
        self.retry_max = retry_max
        self.progress_interval = progress_interval
        self.page_size = page_size
        self.commit_linger = commit_linger
        self._clock = clock
        self.bucket = TokenBucket(self.rate, burst, clock=clock)
        self.per_chat = PerChatLimiter(per_chat_interval, clock=clock)
        self.floods = FloodDetector(clock=clock)
        self._active: set[int] = set()
        self._runs: set[_Run] = set()
        self._stopping = False

    # ------------------------------------------------------------------ public

    @property
    def active(self) -> frozenset[int]:
        """Broadcasts being sent by this engine now."""
        return frozenset(self._active)

    def request_stop(self) -> None:
        """Stop gracefully: workers finish (and record) the row they hold, nothing new
        starts (rows deferred by a 429 stay pending); the broadcast stays ``sending`` and
        is resumed later."""
        self._stopping = True
        for run in self._runs:
            run.rows.stop()

    async def run(self, broadcast_id: int) -> BroadcastReport:
        """Send every pending row of a ``sending`` broadcast; returns the report.

        A ``done`` broadcast returns its report at once. Raises
        :class:`~bot.services.broadcasts.BroadcastStateError` for a missing, draft, scheduled
        or cancelled one (``materialize`` first) and when this engine already runs it.
        """
        if broadcast_id in self._active:
            raise BroadcastStateError(f"broadcast {broadcast_id} is already being sent")
        self._active.add(broadcast_id)
        self._stopping = False
        try:
            return await self._run(broadcast_id)
        finally:
            self._active.discard(broadcast_id)

    # ------------------------------------------------------------------ the run

    async def _run(self, broadcast_id: int) -> BroadcastReport:
        started = self._clock()
        async with self.session_factory() as session:
            broadcast = await broadcasts.get_broadcast(session, broadcast_id)
            if broadcast is None:
                raise BroadcastStateError(f"broadcast {broadcast_id} does not exist")
            status = broadcast.status
            if status == BroadcastStatus.sending:  # counters may lag after a crash
                before = await broadcasts.sync_counters(session, broadcast_id)
            else:
                before = await broadcasts.counts(session, broadcast_id)
            messages = self._messages(broadcast)
        tally = _Tally(
            total=before.total,
            sent=before.sent,
            failed=before.failed,
            unsubscribed=before.unsubscribed,
        )
        if status == BroadcastStatus.done:
            return self._report(broadcast_id, tally, started, 0.0, completed=True)
        if status != BroadcastStatus.sending:
            raise BroadcastStateError(f"broadcast {broadcast_id} is {status}, not sending")

        recorder = _Recorder(
            self.session_factory,
            broadcast_id,
            tally,
            linger=self.commit_linger,
            linger_below=max(1, self.max_in_flight // 2),
            clock=self._clock,
        )
        run = _Run(broadcast_id, messages, tally, recorder, started, self.bucket.paused_seconds)
        run.rows = _Rows(max(self.page_size, 2 * self.max_in_flight))
        if self._stopping:  # stopped before the run got here
            run.rows.stop()
        self._runs.add(run)
        try:
            return await self._send_all(run)
        finally:
            self._runs.discard(run)

    async def _send_all(self, run: _Run) -> BroadcastReport:
        broadcast_id, tally, recorder, started = (
            run.broadcast_id,
            run.tally,
            run.recorder,
            run.started,
        )
        log.info("Broadcast %s: %d to send", broadcast_id, tally.left)
        recorder.start()
        tasks = [
            asyncio.create_task(self._worker(run), name=f"broadcast-{broadcast_id}-w{i}")
            for i in range(self.max_in_flight)
        ]
        tasks.append(asyncio.create_task(self._feed(run), name=f"broadcast-{broadcast_id}-feed"))
        ticker = asyncio.create_task(self._tick(run), name=f"broadcast-{broadcast_id}-tick")
        try:
            finished, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            error = next((t.exception() for t in finished if t.exception() is not None), None)
            if error is not None:
                raise error
            await recorder.close()
        except BaseException as error:
            # Cancelled (shutdown, or a kill in tests) or a fatal error: stop at once. Rows
            # not recorded stay pending; the next run resends at most those in flight now.
            run.rows.stop()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await recorder.cancel()
            if not isinstance(error, asyncio.CancelledError):
                log.error("Broadcast %s stopped: %s", broadcast_id, short_reason(error))
            raise
        finally:
            ticker.cancel()
            await asyncio.gather(ticker, return_exceptions=True)

        completed = False
        if not self._stopping:
            async with self.session_factory() as session:
                final = await broadcasts.finish(session, broadcast_id)
            if final is not None:
                completed = True
                tally.total, tally.sent = final.total, final.sent
                tally.failed, tally.unsubscribed = final.failed, final.unsubscribed
        paused = self.bucket.paused_seconds - run.paused_before
        report = self._report(broadcast_id, tally, started, paused, completed=completed)
        report = dataclasses.replace(report, deferred=run.deferred, flood_waits=run.flood_waits)
        await self._notify(self._snapshot(run, finished=True))
        log.info(
            "Broadcast %s: %s, sent %d, failed %d, unsubscribed %d, %.1f/s",
            broadcast_id,
            "done" if completed else "paused",
            report.sent,
            report.failed,
            report.unsubscribed,
            report.rate,
        )
        return report

    async def _feed(self, run: _Run) -> None:
        after = 0
        try:
            while not self._stopping:
                async with self.session_factory() as session:
                    page = await broadcasts.pending_page(
                        session, run.broadcast_id, after_id=after, limit=self.page_size
                    )
                if not page:
                    break
                for row in page:
                    if self._stopping:
                        break
                    await run.rows.put(row)
                after = page[-1].id
        finally:
            run.rows.close()

    async def _worker(self, run: _Run) -> None:
        rows = run.rows
        while True:
            row = await rows.get()
            if row is None:
                return
            result = await self._deliver(run, row)
            if isinstance(result, _Deferred):
                rows.defer(result.row, result.seconds)
                continue
            if result is not None:
                await run.recorder.record(result)
            rows.done()

    async def _deliver(self, run: _Run, row: Recipient) -> _Outcome | _Deferred | None:
        """Send to one recipient until an outcome, or a per-chat 429 (the row is deferred);
        None when stopping before a retry (the row stays pending, nothing is in flight)."""
        message = run.messages["kk" if row.language == "kk" else "ru"]
        attempts = row.attempts
        tried = False
        while True:
            if tried and self._stopping:
                return None
            tried = True
            await self.per_chat.acquire(row.chat_id)
            await self.bucket.acquire()
            attempts += 1
            try:
                await self._send(row.chat_id, message)
            except TelegramRetryAfter as error:
                attempts -= 1  # Telegram's limit is not the recipient's failure
                return self._refused(run, row._replace(attempts=attempts), error)
            except TelegramForbiddenError as error:
                self.floods.accepted()
                return _Outcome("unsubscribed", row, attempts, short_reason(error))
            except TelegramUnauthorizedError as error:
                raise _Fatal(short_reason(error)) from None
            except TelegramBadRequest as error:
                self.floods.accepted()
                if _chat_gone(error):
                    return _Outcome("unsubscribed", row, attempts, short_reason(error))
                reason = short_reason(error)
            except TelegramNetworkError as error:
                reason = short_reason(error)
            except TelegramAPIError as error:
                self.floods.accepted()
                reason = short_reason(error)
            except (OSError, TimeoutError) as error:  # below aiogram's wrapping, just in case
                reason = short_reason(error)
            else:
                self.floods.accepted()
                return _Outcome("sent", row, attempts)
            if attempts >= self.max_attempts:
                return _Outcome("failed", row, attempts, reason)
            run.recorder.note_retry(row, attempts, reason)
            await asyncio.sleep(min(self.retry_max, self.retry_base * 2 ** (attempts - 1)))

    def _refused(self, run: _Run, row: Recipient, error: TelegramRetryAfter) -> _Deferred:
        """A 429: the chat waits ``retry_after``; every send waits too when the answers say
        the flood is bot-wide (:class:`~bot.sending.ratelimit.FloodDetector`)."""
        seconds = max(0.0, float(error.retry_after))
        self.per_chat.defer(row.chat_id, seconds)
        run.deferred += 1
        pause = self.floods.refused(seconds)
        if pause is not None and self.bucket.pause(pause):
            run.flood_waits += 1
            log.warning(
                "Broadcast %s: bot-wide flood wait, every send paused for %.0f s",
                run.broadcast_id,
                pause,
            )
        return _Deferred(row, seconds)

    async def _send(self, chat_id: int, message: _Method) -> None:
        # A shallow copy of the method built once per run: no validation per recipient.
        await self.bot(message.model_copy(update={"chat_id": chat_id}))

    def _messages(self, broadcast: Broadcast) -> dict[str, _Method]:
        paid = True if self.allow_paid_broadcast else None
        messages: dict[str, _Method] = {}
        for lang, text in (("kk", broadcast.text_kk), ("ru", broadcast.text_ru)):
            markup = None
            if broadcast.position_number is not None:
                label = self.translator(lang, "broadcast_engine.open_position")
                button = InlineKeyboardButton(
                    text=label,
                    # The announcement stays: the card arrives below it.
                    callback_data=CardCb(
                        number=broadcast.position_number, src=CardSource.announcement
                    ).pack(),
                )
                markup = InlineKeyboardMarkup(inline_keyboard=[[button]])
            if broadcast.photo_file_id:
                messages[lang] = _BroadcastPhoto(
                    chat_id=0,
                    photo=broadcast.photo_file_id,
                    caption=text,
                    parse_mode="HTML",
                    reply_markup=markup,
                    allow_paid_broadcast=paid,
                )
            else:
                messages[lang] = _BroadcastText(
                    chat_id=0,
                    text=text,
                    parse_mode="HTML",
                    reply_markup=markup,
                    allow_paid_broadcast=paid,
                )
        for message in messages.values():
            message.prepare(self.bot)
        return messages

    # ------------------------------------------------------------------ progress

    def _snapshot(self, run: _Run, *, finished: bool = False) -> ProgressSnapshot:
        now = self._clock()
        tally = run.tally
        samples = run.samples
        samples.append((now, tally.processed))
        first_t, first_n = samples[0]
        span = now - first_t
        rate = (tally.processed - first_n) / span if span > 0 else 0.0
        left = tally.left
        eta = left / rate if rate > 0 else None
        return ProgressSnapshot(
            broadcast_id=run.broadcast_id,
            total=tally.total,
            sent=tally.sent,
            failed=tally.failed,
            unsubscribed=tally.unsubscribed,
            left=left,
            rate=rate,
            eta_seconds=0.0 if finished and not left else eta,
            elapsed=now - run.started,
            paused=self.bucket.paused(),
            finished=finished,
        )

    async def _tick(self, run: _Run) -> None:
        run.samples.append((self._clock(), run.tally.processed))
        while True:
            await asyncio.sleep(self.progress_interval)
            await self._notify(self._snapshot(run))

    async def _notify(self, snapshot: ProgressSnapshot) -> None:
        if self.progress is None:
            return
        try:
            await self.progress(snapshot)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("Broadcast %s: progress callback failed", snapshot.broadcast_id)

    def _report(
        self, broadcast_id: int, tally: _Tally, started: float, paused: float, *, completed: bool
    ) -> BroadcastReport:
        duration = max(0.0, self._clock() - started)
        return BroadcastReport(
            broadcast_id=broadcast_id,
            total=tally.total,
            sent=tally.sent,
            failed=tally.failed,
            unsubscribed=tally.unsubscribed,
            left=tally.left,
            processed=tally.processed,
            duration=duration,
            rate=tally.processed / duration if duration > 0 else 0.0,
            paused_seconds=paused,
            completed=completed,
        )
