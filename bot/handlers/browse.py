"""Vacancies → departments → positions → a position card; and the title search."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, StateFilter
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalogue.service import CatalogueService
from bot.deps import Deps
from bot.handlers.common import pressed_position, show, show_position, stale_button
from bot.handlers.start import show_main_menu
from bot.i18n import Localizer
from bot.keyboards.browse import (
    back_to_menu_keyboard,
    departments_keyboard,
    positions_keyboard,
)
from bot.keyboards.callbacks import DepartmentCb, MenuAction, MenuCb, PositionCb
from bot.rendering.messages import escape
from bot.services import funnel
from bot.services.vacancies import VacancyBoard


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


async def vacancies_command(
    message: Message,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    await show_departments(message, session, i18n, deps.catalogue, deps.vacancies)


async def vacancies_button(
    callback: CallbackQuery,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    await show_departments(callback, session, i18n, deps.catalogue, deps.vacancies)


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
    callback_data: PositionCb,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    """A position's card; the funnel counts the views of open ones (a closed one, from an
    old button, shows as closed, without «Apply»)."""
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
    await show_position(callback, position, vacancy, i18n, deps)


async def search_button(callback: CallbackQuery, i18n: Localizer) -> None:
    await show(callback, i18n("browse.search_prompt"), back_to_menu_keyboard(i18n))


async def search_text(
    message: Message,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    catalogue, vacancies = deps.catalogue, deps.vacancies
    query = message.text or ""
    found = catalogue.search(query, closed=await vacancies.closed(session))
    if not found:
        await show_main_menu(
            message, i18n, note=i18n("browse.search_nothing", query=escape(query[:50]))
        )
        return
    await show(
        message,
        i18n("browse.search_results", query=escape(query[:50]), count=len(found)),
        positions_keyboard(i18n, found, back=MenuCb(action=MenuAction.main)),
    )


def create_router() -> Router:
    router = Router(name="browse")
    router.message.register(vacancies_command, Command("vacancies"))
    router.callback_query.register(
        vacancies_button, MenuCb.filter(F.action == MenuAction.vacancies)
    )
    router.callback_query.register(department_button, DepartmentCb.filter())
    router.callback_query.register(position_button, PositionCb.filter())
    router.callback_query.register(search_button, MenuCb.filter(F.action == MenuAction.search))
    router.message.register(
        search_text,
        StateFilter(None),
        F.chat.type == ChatType.PRIVATE,
        F.text,
        ~F.text.startswith("/"),
    )
    return router
