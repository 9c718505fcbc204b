"""HR tools: /stats (the funnel), /export (applications as XLSX), /vacancies (open/close).

Everything here is HR only (``bot.filters``): the buttons and /stats, /export live on an
``hr_router`` (anyone else gets a refusal and nothing runs). /vacancies is also the public
catalogue command, so HR's board takes it only for HR (``IsHR``) and everyone else falls
through to browsing.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalogue.models import Position
from bot.catalogue.service import CatalogueService
from bot.config import Settings
from bot.db.models import utcnow
from bot.filters import IsHR, hr_router
from bot.handlers.common import show
from bot.i18n import Localizer, Translator
from bot.keyboards.callbacks import (
    ExportCb,
    ExportStep,
    StatsCb,
    StatsView,
    VacancyAction,
    VacancyCb,
)
from bot.keyboards.hr_tools import (
    export_departments_keyboard,
    export_menu_keyboard,
    export_periods_keyboard,
    export_positions_keyboard,
    export_statuses_keyboard,
    export_summary_keyboard,
    stats_keyboard,
    vacancy_board_keyboard,
    vacancy_places_keyboard,
    vacancy_position_keyboard,
    vacancy_positions_keyboard,
)
from bot.rendering.chart import Bar, bar_chart
from bot.rendering.messages import escape, split_blocks
from bot.services import export, outbox, stats
from bot.services.export import STATUSES, ExportFilter, local_time
from bot.services.funnel import FUNNEL
from bot.services.stats import DEPARTMENT_STEPS, FunnelReport, Period
from bot.services.vacancies import (
    UNCHANGED,
    PlacesError,
    Unchanged,
    Vacancy,
    VacancyBoard,
    VacancyChange,
    parse_places,
)

DEFAULT_PERIOD = Period.week
PLACES_KEY = "vacancy_places_for"

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
    catalogue: CatalogueService,
) -> None:
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


# --- /export --------------------------------------------------------------------------------


def _export_filters(data: ExportCb, catalogue: CatalogueService) -> ExportFilter | None:
    """The filters a button carries, or None when they name nothing that exists."""
    if data.dept and catalogue.department(data.dept) is None:
        return None
    position: Position | None = None
    if data.pos:
        position = catalogue.position(data.pos)
        if position is None or position.department != data.dept:
            return None
    if data.status and data.status not in STATUSES:
        return None
    try:
        period = Period(data.period)
    except ValueError:
        return None
    return ExportFilter(
        department=data.dept or None,
        position=position.number if position else None,
        status=data.status or None,
        period=period,
    )


async def _export_menu(
    event: Message | CallbackQuery, session: AsyncSession, i18n: Localizer, note: str = ""
) -> None:
    total = await export.count(session, ExportFilter())
    text = i18n("hr_tools.export.menu", total=total)
    await show(event, f"{note}\n\n{text}" if note else text, export_menu_keyboard(i18n))


def _summary_text(
    i18n: Localizer, catalogue: CatalogueService, filters: ExportFilter, count: int
) -> str:
    department = catalogue.department(filters.department) if filters.department else None
    position = catalogue.position(filters.position) if filters.position else None
    return i18n(
        "hr_tools.export.summary",
        department=escape(department.name.get(i18n.lang))
        if department
        else i18n("hr_tools.export.any_department"),
        position=escape(f"{position.number}. {position.title.get(i18n.lang)}")
        if position
        else i18n("hr_tools.export.any_position"),
        status=i18n(f"hr_tools.status.{filters.status}")
        if filters.status
        else i18n("hr_tools.export.any_status"),
        period=_period_name(i18n, filters.period),
        count=count,
    )


async def export_command(message: Message, session: AsyncSession, i18n: Localizer) -> None:
    await _export_menu(message, session, i18n)


async def _send_export(
    callback: CallbackQuery,
    bot: Bot,
    filters: ExportFilter,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
    translator: Translator,
    settings: Settings,
) -> None:
    await callback.answer()
    # Streamed and built off the event loop: the bot keeps answering others meanwhile.
    data, count = await export.build_streamed(
        session, filters, catalogue, translator, settings.hr_locale
    )
    message = callback.message
    chat_id = message.chat.id if message is not None else callback.from_user.id
    await bot.send_document(
        chat_id,
        BufferedInputFile(data, filename=export.file_name(filters)),
        caption=i18n("hr_tools.export.caption", count=count),
    )


async def export_button(
    callback: CallbackQuery,
    callback_data: ExportCb,
    bot: Bot,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
    translator: Translator,
    settings: Settings,
) -> None:
    filters = _export_filters(callback_data, catalogue)
    step = callback_data.step
    if filters is None or (step is ExportStep.position and filters.department is None):
        await _export_menu(callback, session, i18n, note=i18n("hr_tools.stale"))
        return
    if step is ExportStep.menu:
        await _export_menu(callback, session, i18n)
    elif step is ExportStep.department:
        await show(
            callback,
            i18n("hr_tools.export.choose_department"),
            export_departments_keyboard(i18n, catalogue.catalogue.departments, filters),
        )
    elif step is ExportStep.position:
        department = catalogue.department(filters.department or "")
        assert department is not None
        await show(
            callback,
            i18n(
                "hr_tools.export.choose_position",
                department=escape(department.name.get(i18n.lang)),
            ),
            export_positions_keyboard(i18n, catalogue.positions_in(department.id), filters),
        )
    elif step is ExportStep.status:
        await show(
            callback,
            i18n("hr_tools.export.choose_status"),
            export_statuses_keyboard(i18n, filters),
        )
    elif step is ExportStep.period:
        await show(
            callback,
            i18n("hr_tools.export.choose_period"),
            export_periods_keyboard(i18n, filters),
        )
    elif step is ExportStep.summary:
        count = await export.count(session, filters)
        await show(
            callback,
            _summary_text(i18n, catalogue, filters, count),
            export_summary_keyboard(i18n, filters),
        )
    elif step is ExportStep.run:
        await _send_export(callback, bot, filters, session, i18n, catalogue, translator, settings)
    else:
        await show(callback, i18n("hr_tools.export.cancelled"))


# --- /vacancies -----------------------------------------------------------------------------


class VacancyStates(StatesGroup):
    places = State()


async def _leave_places_step(state: FSMContext) -> None:
    if await state.get_state() == VacancyStates.places.state:
        await state.set_state(None)
        await state.update_data({PLACES_KEY: None})


async def _board(
    event: Message | CallbackQuery,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
    vacancies: VacancyBoard,
    note: str = "",
) -> None:
    closed = await vacancies.closed(session)
    rows = []
    for department in catalogue.catalogue.departments:
        numbers = [p.number for p in catalogue.positions_in(department.id)]
        rows.append((department, sum(n not in closed for n in numbers), len(numbers)))
    total = len(catalogue.catalogue.positions)
    text = i18n(
        "hr_tools.vac.board_title",
        open=sum(open_count for _, open_count, _ in rows),
        total=total,
    )
    await show(event, f"{note}\n\n{text}" if note else text, vacancy_board_keyboard(i18n, rows))


def _position_text(
    i18n: Localizer, catalogue: CatalogueService, position: Position, vacancy: Vacancy
) -> str:
    department = catalogue.department(position.department)
    text = i18n(
        "hr_tools.vac.position_title",
        title=escape(position.title.get(i18n.lang)),
        department=escape(department.name.get(i18n.lang) if department else ""),
        headcount=position.headcount,
        state=i18n("hr_tools.vac.state_open" if vacancy.is_open else "hr_tools.vac.state_closed"),
        places=i18n("hr_tools.vac.places_unset")
        if vacancy.open_places is None
        else vacancy.open_places,
    )
    when = local_time(vacancy.updated_at)
    if when is not None and vacancy.updated_by is not None:
        text += "\n\n" + i18n(
            "hr_tools.vac.updated", when=_format_time(when), by=vacancy.updated_by
        )
    return text


def _format_time(moment: datetime) -> str:
    return moment.strftime("%d.%m.%Y %H:%M")


async def _position_screen(
    event: Message | CallbackQuery,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
    vacancies: VacancyBoard,
    position: Position,
    note: str = "",
) -> None:
    vacancy = await vacancies.get(session, position.number)
    text = _position_text(i18n, catalogue, position, vacancy)
    await show(
        event,
        f"{note}\n\n{text}" if note else text,
        vacancy_position_keyboard(i18n, position, vacancy),
    )


async def _ask_places(
    event: Message | CallbackQuery,
    state: FSMContext,
    i18n: Localizer,
    position: Position,
    note: str = "",
) -> None:
    await state.set_state(VacancyStates.places)
    await state.update_data({PLACES_KEY: position.number})
    text = i18n("hr_tools.vac.places_prompt", title=escape(position.title.get(i18n.lang)))
    await show(
        event, f"{note}\n\n{text}" if note else text, vacancy_places_keyboard(i18n, position)
    )


async def _change(
    session: AsyncSession,
    vacancies: VacancyBoard,
    number: int,
    who: int | None,
    *,
    is_open: bool | None = None,
    open_places: int | Unchanged | None = UNCHANGED,
) -> VacancyChange:
    """Every change HR makes on the board goes through here (and is recorded with ``who``).

    The returned change says whether a position opened or its places went up: the place
    to hook announcements in.
    """
    return await vacancies.set_state(
        session, number, updated_by=who, is_open=is_open, open_places=open_places
    )


async def vacancies_command(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
    vacancies: VacancyBoard,
) -> None:
    await _leave_places_step(state)
    await _board(message, session, i18n, catalogue, vacancies)


async def vacancy_button(
    callback: CallbackQuery,
    callback_data: VacancyCb,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
    vacancies: VacancyBoard,
) -> None:
    action = callback_data.action
    if action is not VacancyAction.places:
        await _leave_places_step(state)
    if action is VacancyAction.board:
        await _board(callback, session, i18n, catalogue, vacancies)
        return
    if action is VacancyAction.department:
        department = catalogue.department(callback_data.dept)
        if department is None:
            await _board(callback, session, i18n, catalogue, vacancies, note=i18n("hr_tools.stale"))
            return
        positions = [
            (p, await vacancies.get(session, p.number))
            for p in catalogue.positions_in(department.id)
        ]
        await show(
            callback,
            i18n(
                "hr_tools.vac.department_title", department=escape(department.name.get(i18n.lang))
            ),
            vacancy_positions_keyboard(i18n, positions),
        )
        return
    position = catalogue.position(callback_data.number)
    if position is None:
        await _board(callback, session, i18n, catalogue, vacancies, note=i18n("hr_tools.stale"))
        return
    note = ""
    who = callback.from_user.id
    if action is VacancyAction.places:
        await _ask_places(callback, state, i18n, position)
        return
    if action is VacancyAction.close:
        await _change(session, vacancies, position.number, who, is_open=False)
        note = i18n("hr_tools.vac.closed_note")
    elif action is VacancyAction.open:
        await _change(session, vacancies, position.number, who, is_open=True)
        note = i18n("hr_tools.vac.opened_note")
    elif action is VacancyAction.places_unset:
        await _change(session, vacancies, position.number, who, open_places=None)
        note = i18n("hr_tools.vac.places_unset_saved")
    elif action is VacancyAction.cancel:
        note = i18n("hr_tools.vac.places_cancelled")
    await _position_screen(callback, session, i18n, catalogue, vacancies, position, note=note)


async def _places_position(
    message: Message, state: FSMContext, catalogue: CatalogueService
) -> Position | None:
    number = (await state.get_data()).get(PLACES_KEY)
    return catalogue.position(number) if isinstance(number, int) else None


async def places_typed(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
    vacancies: VacancyBoard,
) -> None:
    position = await _places_position(message, state, catalogue)
    if position is None:
        await _leave_places_step(state)
        await _board(message, session, i18n, catalogue, vacancies, note=i18n("hr_tools.stale"))
        return
    try:
        places = parse_places(message.text or "")
    except PlacesError as error:
        await _ask_places(
            message, state, i18n, position, note=i18n(f"hr_tools.vac.places_{error.code}")
        )
        return
    who = message.from_user.id if message.from_user else None
    await _change(session, vacancies, position.number, who, open_places=places)
    await _leave_places_step(state)
    await _position_screen(
        message,
        session,
        i18n,
        catalogue,
        vacancies,
        position,
        note=i18n("hr_tools.vac.places_saved", places=places),
    )


async def places_unexpected(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
    vacancies: VacancyBoard,
) -> None:
    """A sticker, a photo or the like where the number is expected: explain, ask again."""
    position = await _places_position(message, state, catalogue)
    if position is None:
        await _leave_places_step(state)
        await _board(message, session, i18n, catalogue, vacancies, note=i18n("hr_tools.stale"))
        return
    await _ask_places(message, state, i18n, position, note=i18n("hr_tools.vac.places_use_text"))


def create_router() -> Router:
    router = Router(name="hr_tools")
    # /vacancies is everyone's catalogue; only HR gets the board (others fall through).
    board_command = Router(name="hr_tools.vacancies_command")
    board_command.message.register(vacancies_command, Command("vacancies"), IsHR())
    tools = hr_router("hr_tools.hr_only")
    tools.message.register(stats_command, Command("stats"))
    tools.message.register(export_command, Command("export"))
    tools.callback_query.register(stats_button, StatsCb.filter())
    tools.callback_query.register(export_button, ExportCb.filter())
    tools.callback_query.register(vacancy_button, VacancyCb.filter())
    tools.message.register(
        places_typed, StateFilter(VacancyStates.places), F.text, ~F.text.startswith("/")
    )
    tools.message.register(places_unexpected, StateFilter(VacancyStates.places))
    router.include_routers(board_command, tools)
    return router
