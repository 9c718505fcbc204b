"""Start-up failures as one line that names the setting (``python -m bot`` prints it, exit 2).

Each stage of the start-up (the catalogue, the database, the Bot API) runs inside
:class:`Stage`, which turns any exception into :class:`StartupError` with a cause written
for the person who runs the bot: which setting, what is wrong with it. The text never
carries a secret: not the token, not the database password (only host, port and
database name, or the SQLite file), not the whole TELEGRAM_API_BASE (only scheme, host
and port); :func:`error_line` masks them once more, as the logs do.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import gc
import logging
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

from sqlalchemy.engine import URL, make_url

from bot.catalogue.loader import CatalogueError
from bot.config import Settings
from bot.log_redaction import redact

PREFIX = "Cannot start: "


class StartupError(Exception):
    """The start-up failed; ``str(exc)`` is the cause, naming the setting, without secrets."""


class _Buffer(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class HeldLogs:
    """While the start-up runs, log records wait here instead of reaching stderr.

    :meth:`release` (the start-up succeeded) hands them to the root logger's handlers as
    they were, in order; :meth:`drop` (it failed) forgets them: the one line says why, and
    a failed start-up prints nothing else. Either restores the root logger's handlers.
    """

    def __init__(self) -> None:
        self._buffer = _Buffer()
        self._root = logging.getLogger()
        self._handlers: list[logging.Handler] | None = None

    def hold(self) -> None:
        self._handlers = list(self._root.handlers)
        for handler in self._handlers:
            self._root.removeHandler(handler)
        self._root.addHandler(self._buffer)

    @property
    def holding(self) -> bool:
        return self._handlers is not None

    def _restore(self) -> tuple[list[logging.Handler], list[logging.LogRecord]]:
        handlers, self._handlers = self._handlers or [], None
        records, self._buffer.records = self._buffer.records, []
        self._root.removeHandler(self._buffer)
        for handler in handlers:
            self._root.addHandler(handler)
        return handlers, records

    def release(self) -> None:
        if self._handlers is None:
            return
        handlers, records = self._restore()
        for record in records:
            for handler in handlers:
                if record.levelno >= handler.level:
                    handler.handle(record)

    def drop(self) -> None:
        if self._handlers is not None:
            self._restore()


class Stage:
    """``with Stage(describe):`` — any exception inside becomes ``StartupError(describe(exc))``.

    A :class:`StartupError` raised inside passes unchanged; so do ``KeyboardInterrupt`` and
    cancellation (they are not :class:`Exception`). Reusable.
    """

    def __init__(self, describe: Callable[[Exception], str]) -> None:
        self.describe = describe

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if isinstance(exc, Exception) and not isinstance(exc, StartupError):
            raise StartupError(self.describe(exc)) from exc


def secrets_of(settings: Settings) -> tuple[str, ...]:
    """What a start-up line and the logs must never show."""
    secrets = [settings.bot_token.get_secret_value()]
    secrets.append(settings.bot_token.get_secret_value().partition(":")[2])
    with contextlib.suppress(Exception):  # Settings validated it; else nothing to hide
        secrets.append(make_url(settings.database_url).password or "")
    secrets.append(urlsplit(settings.telegram_api_base).password or "")
    return tuple(s for s in secrets if s)


def error_line(cause: object, secrets: tuple[str, ...] = ()) -> str:
    """``Cannot start: <cause>`` on one line, secrets and phone numbers masked."""
    return redact(PREFIX + " ".join(str(cause).split()), secrets)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, what it wraps (SQLAlchemy's ``orig``) and its causes."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        todo.extend(
            [
                orig if isinstance(orig, BaseException) else None,
                current.__cause__,
                current.__context__,
            ]
        )


def unexpected_problem(exc: Exception) -> str:
    return f"{type(exc).__name__}: {_first_line(exc)}"


# ---------------------------------------------------------------- the catalogue


def catalogue_problem(exc: Exception) -> str:
    if isinstance(exc, CatalogueError):
        return f"the catalogue {exc}"
    return f"the catalogue (data/positions.json): {unexpected_problem(exc)}"


# ---------------------------------------------------------------- the database


def _network_cause(exc: BaseException) -> str | None:
    """Why a connection failed ("connection refused", "unknown host"...), if it did."""
    chain = list(_chain(exc))
    for item in chain:
        if isinstance(item, socket.gaierror):
            return "unknown host"
        if isinstance(item, ConnectionRefusedError) or (
            isinstance(item, OSError) and item.errno == errno.ECONNREFUSED
        ):
            return "connection refused"
        if isinstance(item, TimeoutError):
            return "timed out"
    for item in chain:
        if isinstance(item, OSError) and item.strerror:
            return item.strerror
    return None


def _where(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return f"SQLite file {url.database}" if url.database else "SQLite in memory"
    host = url.host or "local socket"
    port = f":{url.port}" if url.port else ""
    return f"PostgreSQL {host}{port}/{url.database}"  # no user, no password


def _sqlite_cause(exc: Exception, url: URL) -> str:
    path = Path(url.database or "")
    for item in _chain(exc):
        if isinstance(item, OSError) and item.filename is not None:  # creating the directory
            if item.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                return f"directory not writable: cannot create {item.filename}"
            return f"cannot create the directory {item.filename}: {item.strerror}"
    message = " ".join(_first_line(item) for item in _chain(exc)).lower()
    if "file is not a database" in message:
        return "file is not a database (corrupt, or not an SQLite file)"
    if "readonly database" in message:
        return "the file is read-only"
    if "database is locked" in message:
        return "the file is locked by another process"
    if "unable to open database file" in message and url.database:
        if path.is_dir():
            return "the path is a directory, not a file"
        directory = path.resolve().parent
        if not directory.is_dir():
            return f"directory does not exist: {directory}"
        if not _writable(directory):
            return f"directory not writable: {directory}"
        return "cannot open the file"
    return f"migrations failed: {unexpected_problem(exc)}"


def _writable(directory: Path) -> bool:
    try:
        with tempfile.TemporaryFile(dir=directory):
            return True
    except OSError:
        return False


# SQLSTATE classes of a failed connection: 08 connection, 28 authorization, 3D no such
# database, 53 too many connections, 57 the server is starting or shutting down.
_CONNECT_SQLSTATES = ("08", "28", "3D", "53", "57")


def _postgres_cause(exc: Exception) -> str:
    network = _network_cause(exc)
    if network is not None:
        return f"cannot connect ({network})"
    for item in _chain(exc):
        sqlstate = getattr(item, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate[:2] in _CONNECT_SQLSTATES:
            return f"cannot connect: {_first_line(item)}"  # e.g. database "x" does not exist
    for item in _chain(exc):
        if getattr(item, "sqlstate", None):  # the server's own message, without the SQL
            return f"migrations failed: {_first_line(item)}"
    return f"migrations failed: {unexpected_problem(exc)}"


def database_problem(exc: Exception, database_url: str) -> str:
    """``DATABASE_URL (<where>): <cause>``; never the user's password."""
    try:
        url = make_url(database_url)
    except Exception:  # Settings checks the URL; this is only a safety net
        return f"DATABASE_URL: {type(exc).__name__}"
    sqlite = url.get_backend_name() == "sqlite"
    cause = _sqlite_cause(exc, url) if sqlite else _postgres_cause(exc)
    return f"DATABASE_URL ({_where(url)}): {cause}"


async def settle_sqlite_threads(timeout: float = 2.0) -> None:
    """Wait for aiosqlite's worker threads to end while the event loop still runs.

    A connection that failed to open stops its thread with a future nobody awaits; were
    the loop closed first, the thread would print "Event loop is closed" with a traceback.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(
        thread.is_alive() and thread.name.endswith("(_connection_worker_thread)")
        for thread in threading.enumerate()
    ):
        await asyncio.sleep(0.01)


# ---------------------------------------------------------------- the Bot API


def _api_where(api_base: str) -> str:
    parts = urlsplit(api_base)
    host = parts.hostname or "?"
    if ":" in host:
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"  # no user:password, no path


def bot_api_problem(exc: Exception, api_base: str) -> str:
    """The first contact with the Bot API failed: a revoked token or an unreachable server."""
    from aiogram.exceptions import (
        ClientDecodeError,
        TelegramAPIError,
        TelegramNetworkError,
        TelegramNotFound,
        TelegramServerError,
        TelegramUnauthorizedError,
    )

    where = _api_where(api_base)
    if isinstance(exc, TelegramUnauthorizedError):
        return (
            "BOT_TOKEN was rejected by the Bot API (401 Unauthorized): the token is revoked "
            "or belongs to no bot; put the current token from @BotFather into .env"
        )
    if isinstance(exc, TelegramNotFound):
        return (
            f"TELEGRAM_API_BASE or BOT_TOKEN: {where} answered 404 Not Found "
            "(not a Bot API server, or a token it does not know)"
        )
    if isinstance(exc, TelegramNetworkError | OSError | TimeoutError):
        cause = _network_cause(exc)
        if cause is None:
            timeout = "timeout" in str(getattr(exc, "message", "")).lower()
            cause = "timed out" if timeout else "network error"
        return f"TELEGRAM_API_BASE: cannot reach the Bot API at {where} ({cause})"
    if isinstance(exc, ClientDecodeError):
        return f"TELEGRAM_API_BASE: {where} does not answer like a Bot API server"
    if isinstance(exc, TelegramServerError):
        return f"TELEGRAM_API_BASE: the Bot API at {where} has a server error: {exc.message}"
    if isinstance(exc, TelegramAPIError):
        method = getattr(exc.method, "__api_method__", type(exc.method).__name__)
        return f"the Bot API at {where} refused {method}: {exc.message}"
    return f"the Bot API at {where}: {unexpected_problem(exc)}"


def freeze_startup_objects() -> None:
    """Move everything start-up made (the catalogue, the screener's tables, the routers,
    SQLAlchemy's and pydantic's caches) out of the collector's reach: a full collection
    otherwise walks them all and pauses the running bot for 150-200 ms (bench/questionnaire
    measured it as the p99 of an update)."""
    gc.collect()
    gc.freeze()
