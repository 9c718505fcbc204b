"""HR tools: /stats (the funnel), /export (applications as XLSX), /vacancies (open/close).

Everything here is HR only (``bot.filters``): the buttons and /stats, /export live on an
``hr_router`` (anyone else gets a refusal and nothing runs). /vacancies is also the public
catalogue command, so HR's board takes it only for HR (``IsHR``) and everyone else falls
through to browsing. /export and HR's /vacancies open dialogs (``bot.dialogs.export``,
``bot.dialogs.vacancies``), HR only as well.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime

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
from bot.rendering.chart import Bar, bar_chart
from bot.rendering.messages import escape, split_blocks
from bot.services import outbox, stats
from bot.services.funnel import FUNNEL
from bot.services.stats import DEPARTMENT_STEPS, FunnelReport, Period

DEFAULT_PERIOD = Period.week

# --- /stats ---------------------------------------------------------------------------------


def _percent(share: float | None) -> str:
    if share is None:
        return ""
    if 0 < share < 1:
        return "<1%"
    return f"{round(share)}%"


def _period_name(i18n: Localizer, period: Period) -> str:
    return i18n(f"hr_tools.stats.period.{period.value}")


def funnel_text(i18n: Localizer, report: FunnelReport) -> str:
    labels = [i18n(f"hr_tools.stats.step.{s.step.value}") for s in report.steps]
    width = max(len(label) for label in labels)
    head = (
        f"{'#':>2} {i18n('hr_tools.stats.column.step'):<{width}} "
        f"{i18n('hr_tools.stats.column.people'):>6} {i18n('hr_tools.stats.column.share'):>8}"
    )
    lines = [head]
    for index, (row, label) in enumerate(zip(report.steps, labels, strict=True), start=1):
        line = f"{index:>2} {label:<{width}} {row.people:>6} {_percent(row.of_previous):>8}"
        lines.append(line.rstrip())
    table = escape("\n".join(lines))
    title = i18n("hr_tools.stats.title", period=_period_name(i18n, report.period))
    return f"{title}\n<pre>{table}</pre>\n{i18n('hr_tools.stats.note')}"


def funnel_chart(report: FunnelReport) -> bytes:
    return bar_chart(
        [
            Bar(label=str(index), value=row.people, note=_percent(row.of_previous))
            for index, row in enumerate(report.steps, start=1)
        ]
    )


def chart_caption(i18n: Localizer, period: Period) -> str:
    legend = "\n".join(
        f"{index} — {i18n(f'hr_tools.stats.step.{step.value}')}"
        for index, step in enumerate(FUNNEL, start=1)
    )
    return i18n("hr_tools.stats.chart_caption", period=_period_name(i18n, period), legend=legend)


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


def backlog_text(i18n: Localizer, backlog: outbox.Backlog, now: datetime) -> str:
    """Messages to the HR chat that wait (an outage shows here first); empty when none."""
    if not backlog.waiting:
        return ""
    return "\n\n" + i18n(
        "hr_tools.stats.backlog",
        waiting=backlog.waiting,
        minutes=backlog.minutes(now),
        failing=backlog.failing,
    )


async def departments_text(
    session: AsyncSession, i18n: Localizer, catalogue: CatalogueService, period: Period
) -> list[str]:
    departments = catalogue.catalogue.departments
    rows = await stats.by_department(session, period, [d.id for d in departments])
    names = {d.id: d.name.get(i18n.lang) for d in departments}
    blocks = [i18n("hr_tools.stats.departments_title", period=_period_name(i18n, period))]
    idle = []
    for row in rows:
        if row.total == 0:
            idle.append(escape(names[row.department]))
            continue
        figures = " → ".join(
            f"{i18n(f'hr_tools.stats.short.{step.value}')} {row.counts[step]}"
            for step in DEPARTMENT_STEPS
        )
        blocks.append(f"<b>{escape(names[row.department])}</b>\n{figures}")
    if len(idle) == len(rows):
        blocks.append(i18n("hr_tools.stats.empty"))
    elif idle:
        blocks.append(i18n("hr_tools.stats.no_activity", names="; ".join(idle)))
    return split_blocks(blocks)


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
