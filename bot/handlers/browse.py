"""Vacancies → departments → positions → a position card; and the title search."""

from __future__ import annotations

from contextlib import suppress

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalogue.service import CatalogueService
from bot.deps import Deps
from bot.handlers.common import pressed_position, show, show_position, stale_button
from bot.handlers.filters import KnownDepartment, KnownPosition
from bot.handlers.flags import NAVIGATES_FLAG
from bot.handlers.start import show_main_menu
from bot.i18n import Localizer
from bot.keyboards.browse import (
    back_to_menu_keyboard,
    departments_keyboard,
    positions_keyboard,
)
from bot.keyboards.callbacks import (
    CardCb,
    CardSource,
    DepartmentCb,
    MenuAction,
    MenuCb,
    PositionCb,
)
from bot.rendering.messages import escape
from bot.services import funnel
from bot.services.vacancies import VacancyBoard

SEARCH_KEY = "search"  # FSM data: the last query, for Back from a card among its results
SEARCH_QUERY_LIMIT = 200  # characters of a query kept and searched


async def show_departments(
    event: Message | CallbackQuery,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
    vacancies: VacancyBoard,
) -> None:
    # Positions HR closed (/vacancies) are left out everywhere an applicant looks.
    summaries = catalogue.departments(await vacancies.closed(session))
    text = i18n(
        "browse.departments_title",
        positions=sum(s.positions for s in summaries),
        headcount=sum(s.headcount for s in summaries),
    )
    await show(event, text, departments_keyboard(i18n, summaries))


async def vacancies_screen(
    event: Message | CallbackQuery, session: AsyncSession, i18n: Localizer, deps: Deps
) -> None:
    """/vacancies and the menu's «Vacancies» button."""
    await show_departments(event, session, i18n, deps.catalogue, deps.vacancies)


async def department_button(
    callback: CallbackQuery,
    callback_data: DepartmentCb,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    catalogue, vacancies = deps.catalogue, deps.vacancies
    department = catalogue.department(callback_data.department)
    if department is None:
        await stale_button(callback, i18n)
        return
    positions = catalogue.positions_in(department.id, await vacancies.closed(session))
    text = i18n(
        "browse.positions_title",
        department=escape(department.name.get(i18n.lang)),
        positions=len(positions),
        headcount=sum(p.headcount for p in positions),
    )
    await show(
        callback,
        text,
        positions_keyboard(i18n, positions, back=MenuCb(action=MenuAction.vacancies)),
    )


async def position_button(
    callback: CallbackQuery,
    callback_data: PositionCb | CardCb,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    """A position's card, in place of a department's list or of search results (Back
    returns to them), below a verdict or an announcement (which stay on screen); the funnel
    counts the views of open ones (a closed one, from an old button, shows as closed,
    without «Apply»)."""
    source = callback_data.src if isinstance(callback_data, CardCb) else None
    pressed = await pressed_position(callback, callback_data.number, session, i18n, deps)
    if pressed is None:
        return
    position, vacancy = pressed
    if vacancy.is_open:
        await funnel.record(
            session,
            funnel.Step.viewed_position,
            callback.from_user.id,
            position.number,
            position.department,
        )
    await show_position(callback, position, vacancy, i18n, deps, source=source)


async def close_button(callback: CallbackQuery) -> None:
    """Back on a card below a verdict or an announcement: the card goes, so the message
    above it is the screen again (a message too old to delete loses its buttons)."""
    await callback.answer()
    message = callback.message
    if not isinstance(message, Message):
        return
    try:
        await message.delete()
    except TelegramBadRequest:
        with suppress(TelegramBadRequest):
            await message.edit_reply_markup(reply_markup=None)


async def search_button(callback: CallbackQuery, i18n: Localizer) -> None:
    await show(callback, i18n("browse.search_prompt"), back_to_menu_keyboard(i18n))


async def search_text(
    message: Message, state: FSMContext, session: AsyncSession, i18n: Localizer, deps: Deps
) -> None:
    query = (message.text or "")[:SEARCH_QUERY_LIMIT]
    await state.update_data({SEARCH_KEY: query})  # Back from a card shows these results again
    await show_search_results(message, query, session, i18n, deps)


async def search_results_button(
    callback: CallbackQuery, state: FSMContext, session: AsyncSession, i18n: Localizer, deps: Deps
) -> None:
    query = (await state.get_data()).get(SEARCH_KEY)
    if not isinstance(query, str):  # forgotten (/start): the menu
        await show_main_menu(callback, i18n)
        return
    await show_search_results(callback, query, session, i18n, deps)


async def show_search_results(
    event: Message | CallbackQuery,
    query: str,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    catalogue, vacancies = deps.catalogue, deps.vacancies
    found = catalogue.search(query, closed=await vacancies.closed(session))
    shown = escape(query[:50])
    if not found:
        await show_main_menu(event, i18n, note=i18n("browse.search_nothing", query=shown))
        return
    await show(
        event,
        i18n("browse.search_results", query=shown, count=len(found)),
        positions_keyboard(
            i18n, found, back=MenuCb(action=MenuAction.main), source=CardSource.search
        ),
    )


def create_router() -> Router:
    router = Router(name="browse")
    router.message.register(vacancies_screen, Command("vacancies"))
    router.callback_query.register(
        vacancies_screen, MenuCb.filter(F.action == MenuAction.vacancies)
    )
    # Known ids only: a forged one is a stale button, and ends nothing (fallback router).
    router.callback_query.register(department_button, DepartmentCb.filter(), KnownDepartment())
    router.callback_query.register(position_button, PositionCb.filter(), KnownPosition())
    router.callback_query.register(position_button, CardCb.filter(), KnownPosition())
    router.callback_query.register(
        search_results_button, MenuCb.filter(F.action == MenuAction.search_results)
    )
    router.callback_query.register(close_button, MenuCb.filter(F.action == MenuAction.close))
    router.callback_query.register(search_button, MenuCb.filter(F.action == MenuAction.search))
    router.message.register(
        search_text,
        StateFilter(None),
        F.chat.type == ChatType.PRIVATE,
        F.text,
        ~F.text.startswith("/"),
        # Typed text reaches it only when no flow took it: nothing to end (a dialog
        # without a typed step, as the export's filters, goes on after the results).
        flags={NAVIGATES_FLAG: False},
    )
    return router
