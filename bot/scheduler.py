"""APScheduler 3: background jobs (outbox delivery, retention). Jobs get only ids/plain args;
what they need arrives through ``JobContext``, built once at start-up."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import Bot
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalogue.service import CatalogueService
from bot.config import Settings
from bot.i18n import Translator

TIMEZONE = "Asia/Almaty"


@dataclass(frozen=True)
class JobContext:
    bot: Bot
    session_factory: async_sessionmaker[AsyncSession]
    settings: Settings
    translator: Translator
    catalogue: CatalogueService


def create_scheduler() -> AsyncIOScheduler:
    return AsyncIOScheduler(timezone=TIMEZONE)


def register_jobs(scheduler: AsyncIOScheduler, context: JobContext) -> None:
    """Every recurring job, with an explicit id and replace_existing (no doubles on restart)."""
    # Jobs are added here by the features that own them.
    del scheduler, context
