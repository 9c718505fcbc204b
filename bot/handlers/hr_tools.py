"""HR tools: /stats (the funnel), /export (applications as XLSX), /vacancies (open/close).

Everything here is HR only (``bot.filters``): the buttons and /stats, /export live on an
``hr_router`` (anyone else gets a refusal and nothing runs). /vacancies is also the public
catalogue command, so HR's board takes it only for HR (``IsHR``) and everyone else falls
through to browsing. /export and HR's /vacancies open dialogs (``bot.dialogs.export``,
``bot.dialogs.vacancies``), HR only as well.
"""

from __future__ import annotations

from contextlib import suppress

from aiogram import Bot, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram_dialog import DialogManager, StartMode
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalogue.service import CatalogueService
from bot.db.models import utcnow
from bot.deps import Deps
from bot.dialogs.export import ExportSG
from bot.dialogs.vacancies import VacancySG
from bot.filters import IsHR, hr_router
from bot.handlers.common import show
from bot.i18n import Localizer
from bot.keyboards.callbacks import StatsCb, StatsView
from bot.keyboards.hr_tools import stats_keyboard
from bot.rendering.stats import (
    backlog_text,
    chart_caption,
    departments_blocks,
    funnel_chart,
    funnel_text,
    sources_blocks,
)
from bot.services import outbox, stats
from bot.services.stats import Period

DEFAULT_PERIOD = Period.week

# --- /stats ---------------------------------------------------------------------------------


async def _send_funnel(
    bot: Bot, chat_id: int, session: AsyncSession, i18n: Localizer, period: Period
) -> None:
    report = await stats.funnel(session, period)
    backlog = await outbox.hr_backlog(session)
    photo = BufferedInputFile(funnel_chart(report), filename="funnel.png")
    await bot.send_photo(chat_id, photo, caption=chart_caption(i18n, period))
    await bot.send_message(
        chat_id,
        funnel_text(i18n, report) + backlog_text(i18n, backlog, utcnow()),
        reply_markup=stats_keyboard(i18n, StatsView.funnel, period),
    )


async def departments_text(
    session: AsyncSession, i18n: Localizer, catalogue: CatalogueService, period: Period
) -> list[str]:
    departments = catalogue.catalogue.departments
    rows = await stats.by_department(session, period, [d.id for d in departments])
    return departments_blocks(i18n, catalogue, period, rows)


async def stats_command(message: Message, bot: Bot, session: AsyncSession, i18n: Localizer) -> None:
    await _send_funnel(bot, message.chat.id, session, i18n, DEFAULT_PERIOD)


async def stats_button(
    callback: CallbackQuery,
    callback_data: StatsCb,
    bot: Bot,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    catalogue = deps.catalogue
    try:
        period = Period(callback_data.period)
    except ValueError:
        await callback.answer(i18n("hr_tools.stale"), show_alert=True)
        return
    if callback_data.view is StatsView.sources:
        await show(
            callback,
            sources_blocks(i18n, await stats.by_source(session, period)),
            stats_keyboard(i18n, StatsView.sources, period),
        )
        return
    if callback_data.view is StatsView.departments:
        await show(
            callback,
            await departments_text(session, i18n, catalogue, period),
            stats_keyboard(i18n, StatsView.departments, period),
        )
        return
    # A new chart and table below; the pressed table goes (the chart above it stays).
    await callback.answer()
    message = callback.message
    chat_id = message.chat.id if message is not None else callback.from_user.id
    if isinstance(message, Message):
        with suppress(TelegramBadRequest):  # too old to delete: it just stays
            await message.delete()
    await _send_funnel(bot, chat_id, session, i18n, period)


# --- /export, /vacancies: dialogs (bot/dialogs/export, bot/dialogs/vacancies) --------------

LEGACY_PLACES_STATE = "VacancyStates:places"  # the board's step before it was a dialog


async def open_export(message: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(ExportSG.menu, mode=StartMode.RESET_STACK)


async def open_board(message: Message, state: FSMContext, dialog_manager: DialogManager) -> None:
    if await state.get_state() == LEGACY_PLACES_STATE:  # stored before the deploy
        await state.set_state(None)
    await dialog_manager.start(VacancySG.board, mode=StartMode.RESET_STACK)


def create_router() -> Router:
    router = Router(name="hr_tools")
    # /vacancies is everyone's catalogue; only HR gets the board (others fall through).
    board_command = Router(name="hr_tools.vacancies_command")
    board_command.message.register(open_board, Command("vacancies"), IsHR())
    tools = hr_router("hr_tools.hr_only")
    tools.message.register(stats_command, Command("stats"))
    tools.message.register(open_export, Command("export"))
    tools.callback_query.register(stats_button, StatsCb.filter())
    router.include_routers(board_command, tools)
    return router
