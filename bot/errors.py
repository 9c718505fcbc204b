"""The Dispatcher's error handler: a failed update is logged without personal data and the
person gets an apology in their language instead of silence or a spinning button.

The log line names the update (its id and kind), the exception's type (and its causes'),
a database error code when there is one, and where it was raised (file, line, function);
never the exception's text, which may quote what the person typed, their FSM data or a
row («Key (phone)=(…) already exists»), and never a user id. Handled here, the update is
not logged again by aiogram (whose line carries the exception's text).

The person: a pressed button is answered with an alert (unless something answered it
already, :mod:`bot.callback_answers`); a private chat also gets the apology with the
«/start» hint; a group (the HR chat) only the short one. Nothing here raises: a failure to
answer is logged (by type) and the rest is skipped.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.enums import ChatType
from aiogram.types import ErrorEvent, Message, Update, User
from aiogram.types.update import UpdateTypeLookupError

from bot.callback_answers import was_answered
from bot.i18n import Localizer, Translator, guess_language
from bot.observability import error_reports

log = logging.getLogger(__name__)

PACKAGE = Path(__file__).resolve().parent
HANDLER_LAYERS = ("handlers", "dialogs")  # where a failed update's handler lives
MAX_FRAMES = 3  # frames of the bot's own code shown below the handler


def register_error_handler(dp: Dispatcher) -> None:
    dp.errors.register(on_error)


async def on_error(event: ErrorEvent, **data: Any) -> bool:
    """Handles every failed update; returns True (handled) whatever happens here."""
    try:
        log.error("%s", describe_failure(event.update, event.exception))
    except Exception:  # a bug in the description: the bare facts
        log.error("Update %d failed: %s", event.update.update_id, type(event.exception).__name__)
    error_reports.report(event.exception)  # SENTRY_DSN: scrubbed, see the module
    try:
        await _apologize(event.update, data)
    except Exception as exc:
        log.warning(
            "Update %d: the apology was not delivered: %s",
            event.update.update_id,
            type(exc).__name__,
        )
    return True


def describe_failure(update: Update, exc: BaseException) -> str:
    """One line about a failed update; see the module's docstring for what is left out."""
    return f"Update {update.update_id} ({_kind(update)}) failed: {_causes(exc)} {_where(exc)}"


def _kind(update: Update) -> str:
    try:
        return update.event_type
    except UpdateTypeLookupError:  # a kind this aiogram does not know
        return "unknown"


def _causes(exc: BaseException) -> str:
    """``OperationalError [SQLITE_FULL] <- OperationalError``: types and codes only."""
    names: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(names) < 5:
        seen.add(id(current))
        name = type(current).__name__
        code = _error_code(current)
        names.append(f"{name} [{code}]" if code else name)
        current = current.__cause__ or current.__context__
    return " <- ".join(names)


def _error_code(exc: BaseException) -> str | None:
    """A driver's error code: PostgreSQL's SQLSTATE (asyncpg), SQLite's error name."""
    for attribute in ("sqlstate", "sqlite_errorname"):
        value = getattr(exc, attribute, None)
        if isinstance(value, str) and value.isascii() and len(value) <= 40:
            return value
    orig = getattr(exc, "orig", None)  # SQLAlchemy's DBAPIError wraps the driver's
    if isinstance(orig, BaseException) and orig is not exc:
        return _error_code(orig)
    return None


def _where(exc: BaseException) -> str:
    """``in <handler>, via <the bot's code below it>, raised at <the innermost frame>``:
    file, line and function of each (frames of the handlers' layer, else of the bot)."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "in ?"
    own = [i for i, f in enumerate(frames) if _is_own(f.filename)]
    handlers = [i for i in own if _layer(frames[i].filename) in HANDLER_LAYERS]
    parts: list[str] = []
    shown: set[int] = set()
    top = handlers[-1] if handlers else own[-1] if own else None
    if top is not None:
        parts.append(f"in {_frame(frames[top])}")
        shown.add(top)
        below = [i for i in own if i > top][-MAX_FRAMES:]
        if below:
            parts.append("via " + " > ".join(_frame(frames[i]) for i in below))
            shown.update(below)
    if len(frames) - 1 not in shown:
        parts.append(f"raised at {_frame(frames[-1])}")
    return ", ".join(parts)


def _frame(frame: traceback.FrameSummary) -> str:
    return f"{_short(frame.filename)}:{frame.lineno} {frame.name}"


def _layer(filename: str) -> str:
    """``handlers`` for bot/handlers/browse.py."""
    relative = Path(filename).resolve().relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else ""


def _is_own(filename: str) -> bool:
    return Path(filename).resolve().is_relative_to(PACKAGE)


def _short(filename: str) -> str:
    path = Path(filename).resolve()
    if path.is_relative_to(PACKAGE):
        return str(path.relative_to(PACKAGE.parent))
    parts = path.parts
    for marker in ("site-packages", "dist-packages"):
        if marker in parts:  # a library: aiogram/..., sqlalchemy/...
            last = len(parts) - 1 - parts[::-1].index(marker)
            return "/".join(parts[last + 1 :])
    return path.name


async def _apologize(update: Update, data: dict[str, Any]) -> None:
    bot: Bot = data["bot"]
    i18n = _localizer(data)
    if update.callback_query is not None:
        query = update.callback_query
        if not was_answered(bot, query):
            await bot.answer_callback_query(
                query.id, text=i18n("common.error.alert"), show_alert=True
            )
        message = query.message
        if message is None or message.chat.type == ChatType.PRIVATE:
            await bot.send_message(query.from_user.id, i18n("common.error.apology"))
        return
    message = update.message or update.edited_message
    if isinstance(message, Message):
        if message.chat.type == ChatType.PRIVATE:
            await bot.send_message(message.chat.id, i18n("common.error.apology"))
        else:
            await bot.send_message(message.chat.id, i18n("common.error.alert"))


def _localizer(data: dict[str, Any]) -> Localizer:
    """The person's language when the update got that far (bot.middlewares), else a guess
    from Telegram's language code."""
    i18n = data.get("i18n")
    if isinstance(i18n, Localizer):
        return i18n
    translator: Translator = data["deps"].translator
    user: User | None = data.get("event_from_user")
    code = user.language_code if user is not None else None
    return Localizer(translator, guess_language(code, translator.default_lang))
