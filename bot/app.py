"""Factories: the same Bot and Dispatcher for production and for tests."""

from __future__ import annotations

import logging
from collections.abc import Callable

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.types import BotCommand, BotCommandScopeDefault
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callback_answers import CallbackAnswerOnce
from bot.catalogue.service import CatalogueService
from bot.config import Settings
from bot.db.write_buffer import WriteBuffer
from bot.deps import Deps, Jobs, Starter
from bot.dialogs import setup as setup_dialogs
from bot.errors import register_error_handler
from bot.handlers import build_root_router
from bot.handlers.navigation import EndFlowInProgress
from bot.i18n import SUPPORTED_LANGS, Translator
from bot.isolation import create_events_isolation
from bot.middlewares import DbSessionMiddleware, LocaleMiddleware
from bot.screening.engine import Screener
from bot.sending.announcer import Announcer
from bot.services.users import UserLanguages
from bot.services.vacancies import VacancyBoard
from bot.storage.sql_fsm import SQLStorage, UpdateWritesMiddleware

log = logging.getLogger(__name__)
# Seconds the first getMe may take (aiogram's default, 60 s, is long to wait for one line).
GET_ME_TIMEOUT = 20

COMMANDS = (
    "start",
    "vacancies",
    "subscribe",
    "unsubscribe",
    "my",
    "privacy",
    "delete_me",
    "language",
    "help",
)


def create_bot(settings: Settings) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
    return Bot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def create_dispatcher(
    *,
    settings: Settings,
    session_factory: async_sessionmaker[AsyncSession],
    catalogue: CatalogueService,
    translator: Translator,
    storage: BaseStorage | None = None,
    jobs: Jobs | None = None,
    vacancies: VacancyBoard | None = None,
    broadcast_runner: Starter | None = None,
    announcer: Announcer | None = None,
    events_isolation: BaseEventIsolation | None = None,
) -> Dispatcher:
    board = vacancies or VacancyBoard()
    if announcer is not None:  # vacancy announcements when HR opens a position/adds places
        board.on_change.append(announcer.on_vacancy_change)
    # Everything handlers and dialogs get from the process, built once (bot.deps).
    deps = Deps(
        settings=settings,
        catalogue=catalogue,
        translator=translator,
        screener=Screener(catalogue.catalogue),
        vacancies=board,
        languages=UserLanguages(),
        jobs=jobs,
        broadcasts=broadcast_runner,
    )
    # Several processes (REDIS_URL): no read cache, another process may have moved on.
    storage = storage or SQLStorage(session_factory, cache_size=0 if settings.redis_url else None)
    dp = Dispatcher(
        storage=storage,
        # One update of a person at a time (bot.isolation); REDIS_URL: across processes.
        events_isolation=events_isolation or create_events_isolation(settings),
        deps=deps,
    )
    if isinstance(storage, SQLStorage):
        writer = storage.writer  # closed with the storage
    else:
        # Conversations elsewhere (Redis): the funnel events still share commits.
        engine = session_factory.kw["bind"]
        writer = WriteBuffer(engine, on_saved=lambda _records: None)
        dp.shutdown.register(writer.close)
    # After aiogram's own FSM middleware (inside its isolation lock): one saved write per
    # update, before anything of it is shown (bot.storage.sql_fsm).
    dp.update.outer_middleware(UpdateWritesMiddleware(writer))
    dp.update.outer_middleware(DbSessionMiddleware(session_factory))
    dp.update.outer_middleware(LocaleMiddleware(translator, deps.languages))
    # Every button press answered once, whichever router handles it (bot.callback_answers).
    dp.callback_query.middleware(CallbackAnswerOnce())
    # bot.dialogs: aiogram-dialog on every event; its stale buttons' alert comes before
    # the generic error handler below.
    setup_dialogs(dp)
    # A handler that starts something new ends the flow in progress (bot.handlers.navigation);
    # after aiogram-dialog's middlewares, which give it the dialog manager.
    dp.message.middleware(EndFlowInProgress())
    dp.callback_query.middleware(EndFlowInProgress())
    # A failed update: logged without personal data, the person gets an apology (bot.errors).
    register_error_handler(dp)
    dp.include_router(build_root_router())
    dp.startup.register(set_commands)
    return dp


async def set_commands(bot: Bot, deps: Deps) -> None:
    """The command menu in each language; Russian (or the default) for everyone else."""
    translator = deps.translator
    for lang in (*SUPPORTED_LANGS, None):
        commands = [
            BotCommand(command=c, description=translator(lang, f"commands.{c}")) for c in COMMANDS
        ]
        await bot.set_my_commands(commands, scope=BotCommandScopeDefault(), language_code=lang)


async def run_polling(settings: Settings, on_started: Callable[[], None] | None = None) -> None:
    """The all-in-one process (``python -m bot``): start up, then poll (or take the webhook
    when ``WEBHOOK_URL`` is set) until stopped, with the scheduler, the outbox and
    broadcasts in this process (see :mod:`bot.runtime.roles`). A failure of the start-up
    (the catalogue, the database, the first contact with the Bot API, the command menu)
    raises :class:`~bot.startup.StartupError`, whose text names the setting; ``on_started``
    is called once it is over. Later errors are the usual ones (logged by aiogram, or raised)."""
    from bot.runtime.roles import run_updates

    await run_updates(settings, "all", on_started)
