"""Factories: the same Bot and Dispatcher for production and for tests."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from functools import partial

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.types import BotCommand, BotCommandScopeDefault
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.announcer import Announcer, Starter
from bot.broadcast.runner import on_shutdown as stop_broadcasts
from bot.broadcast.runner import on_startup as start_broadcasts
from bot.callback_answers import CallbackAnswerOnce
from bot.catalogue.loader import load_catalogue
from bot.catalogue.service import CatalogueService
from bot.config import Settings
from bot.db.engine import apply_migrations, create_engine, create_session_factory
from bot.errors import register_error_handler
from bot.handlers import build_root_router
from bot.i18n import SUPPORTED_LANGS, Translator
from bot.isolation import create_events_isolation
from bot.middlewares import DbSessionMiddleware, LocaleMiddleware
from bot.scheduler import JobContext, create_scheduler, register_jobs
from bot.screening.engine import Screener
from bot.services.outbox import resume as resume_outbox
from bot.services.users import UserLanguages
from bot.services.vacancies import VacancyBoard
from bot.startup import (
    Stage,
    StartupError,
    bot_api_problem,
    catalogue_problem,
    database_problem,
    settle_sqlite_threads,
    unexpected_problem,
)
from bot.storage.sql_fsm import FsmWriteMiddleware, SQLStorage

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
    scheduler: AsyncIOScheduler | None = None,
    vacancies: VacancyBoard | None = None,
    broadcast_runner: Starter | None = None,
    announcer: Announcer | None = None,
    events_isolation: BaseEventIsolation | None = None,
) -> Dispatcher:
    languages = UserLanguages()
    board = vacancies or VacancyBoard()
    if announcer is not None:  # vacancy announcements when HR opens a position/adds places
        board.on_change.append(announcer.on_vacancy_change)
    # Several processes (REDIS_URL): no read cache, another process may have moved on.
    storage = storage or SQLStorage(session_factory, cache_size=0 if settings.redis_url else None)
    dp = Dispatcher(
        storage=storage,
        # One update of a person at a time (bot.isolation); REDIS_URL: across processes.
        events_isolation=events_isolation or create_events_isolation(settings),
        scheduler=scheduler,
        settings=settings,
        catalogue=catalogue,
        translator=translator,
        screener=Screener(catalogue.catalogue),
        # Open/closed positions, loaded from the database on first use.
        vacancies=board,
        languages=languages,
        # /broadcast's «send now»; None: the runner registered at start-up (bot.broadcast).
        broadcast_runner=broadcast_runner,
    )
    if isinstance(storage, SQLStorage):
        # After aiogram's own FSM middleware (inside its isolation lock): one saved write
        # per update, before anything of it is shown (bot.storage.sql_fsm).
        dp.update.outer_middleware(FsmWriteMiddleware(storage))
    dp.update.outer_middleware(DbSessionMiddleware(session_factory))
    dp.update.outer_middleware(LocaleMiddleware(translator, languages))
    # Every button press answered once, whichever router handles it (bot.callback_answers).
    dp.callback_query.middleware(CallbackAnswerOnce())
    # A failed update: logged without personal data, the person gets an apology (bot.errors).
    register_error_handler(dp)
    dp.include_router(build_root_router())
    dp.startup.register(set_commands)
    return dp


async def set_commands(bot: Bot, translator: Translator) -> None:
    """The command menu in each language; Russian (or the default) for everyone else."""
    for lang in (*SUPPORTED_LANGS, None):
        commands = [
            BotCommand(command=c, description=translator(lang, f"commands.{c}")) for c in COMMANDS
        ]
        await bot.set_my_commands(commands, scope=BotCommandScopeDefault(), language_code=lang)


async def run_polling(settings: Settings, on_started: Callable[[], None] | None = None) -> None:
    """Start up, then poll until stopped. A failure of the start-up (the catalogue, the
    database, the first contact with the Bot API, the command menu) raises
    :class:`~bot.startup.StartupError`, whose text names the setting; ``on_started`` is
    called once it is over. Later errors are the usual ones (logged by aiogram, or raised)."""
    try:
        async with AsyncExitStack() as stack:
            bot, dp, positions = await _start_up(settings, stack)
            started = False

            async def mark_started() -> None:  # after set_commands: the start-up is over
                nonlocal started
                started = True
                freeze_startup_objects()
                if on_started is not None:
                    on_started()

            dp.startup.register(mark_started)
            try:
                log.info("Starting polling with %d positions", positions)
                await dp.start_polling(bot)
            except Exception as exc:
                if started:
                    raise
                raise StartupError(bot_api_problem(exc, settings.telegram_api_base)) from exc
    except StartupError:
        await settle_sqlite_threads()  # before asyncio.run closes the loop
        raise


def freeze_startup_objects() -> None:
    """Move everything start-up made (the catalogue, the screener's tables, the routers,
    SQLAlchemy's and pydantic's caches) out of the collector's reach: a full collection
    otherwise walks them all and pauses the running bot for 150-200 ms (bench/questionnaire
    measured it as the p99 of an update)."""
    gc.collect()
    gc.freeze()


async def _start_up(settings: Settings, stack: AsyncExitStack) -> tuple[Bot, Dispatcher, int]:
    with Stage(unexpected_problem):  # what no stage below describes (a bug, say)
        return await _start_up_stages(settings, stack)


async def _start_up_stages(
    settings: Settings, stack: AsyncExitStack
) -> tuple[Bot, Dispatcher, int]:
    """Everything before polling, stage by stage; ``stack`` gets what to close at the end."""
    with Stage(catalogue_problem):
        catalogue = CatalogueService(load_catalogue())
    translator = Translator(default_lang=settings.default_locale)
    database = Stage(partial(database_problem, database_url=settings.database_url))
    with database:
        engine = create_engine(settings.database_url)
        stack.push_async_callback(engine.dispose)
        await apply_migrations(engine)
    session_factory = create_session_factory(engine)
    bot = create_bot(settings)
    stack.push_async_callback(bot.session.close)
    with Stage(partial(bot_api_problem, api_base=settings.telegram_api_base)):
        # A revoked token or an unreachable server: one line now, not retries while polling.
        await bot.get_me(request_timeout=GET_ME_TIMEOUT)
    scheduler = create_scheduler(settings.database_url)  # scheduled broadcasts persist
    dp = create_dispatcher(
        settings=settings,
        session_factory=session_factory,
        catalogue=catalogue,
        translator=translator,
        scheduler=scheduler,
        announcer=Announcer(
            bot=bot,
            session_factory=session_factory,
            settings=settings,
            translator=translator,
            catalogue=catalogue,
            scheduler=scheduler,
        ),
    )
    register_jobs(
        scheduler,
        JobContext(
            bot=bot,
            session_factory=session_factory,
            settings=settings,
            translator=translator,
            catalogue=catalogue,
        ),
    )
    with database:
        # The broadcast runner (bot.broadcast): registered before the scheduler starts, so a
        # scheduled broadcast due at start-up finds it; interrupted broadcasts resume.
        runner = await start_broadcasts(
            bot,
            session_factory,
            translator,
            hr_locale=settings.hr_locale,
            rate=settings.broadcast_rate,
            allow_paid_broadcast=settings.allow_paid_broadcast,
            max_in_flight=settings.broadcast_max_in_flight,
        )
        stack.push_async_callback(stop_broadcasts, runner)
        # Deliveries a previous process left in flight (or backing off) go out at once.
        await resume_outbox(session_factory, datetime.now(UTC))
        scheduler.start()  # the job store's table, in the same database
        stack.callback(scheduler.shutdown, wait=False)
    return bot, dp, len(catalogue.catalogue.positions)
