"""/subscribe, /unsubscribe and the main menu's 🔔: vacancy announcements for applicants.

Everyone may subscribe: to every department, or to the departments ticked in a
multi-select (a persisted state, with Back and Cancel). Announcements come in the person's
language: subscribing stores the language they use now when they never chose one.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalogue.service import CatalogueService
from bot.handlers.common import show
from bot.handlers.start import show_main_menu
from bot.i18n import Localizer
from bot.keyboards.callbacks import SubscriptionAction, SubscriptionCb
from bot.keyboards.subscriptions import (
    after_subscription_keyboard,
    departments_keyboard,
    subscription_keyboard,
)
from bot.rendering.messages import escape
from bot.services import subscriptions
from bot.services.subscriptions import SubscriptionInfo
from bot.services.users import UserLanguages

CHOSEN_KEY = "subscription_departments"


class SubscriptionStates(StatesGroup):
    departments = State()


def _names(i18n: Localizer, catalogue: CatalogueService, ids: tuple[str, ...]) -> str:
    names = []
    for department_id in ids:
        department = catalogue.department(department_id)
        if department is not None:
            names.append(escape(department.name.get(i18n.lang)))
    return "; ".join(names)


def _current(i18n: Localizer, catalogue: CatalogueService, info: SubscriptionInfo) -> str:
    if info.departments is None:
        return i18n("subscriptions.current_all")
    return i18n("subscriptions.current_some", names=_names(i18n, catalogue, info.departments))


async def _leave(state: FSMContext) -> None:
    if await state.get_state() == SubscriptionStates.departments.state:
        await state.set_state(None)
        await state.update_data({CHOSEN_KEY: None})


async def _screen(
    event: Message | CallbackQuery,
    user_id: int,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
    note: str = "",
) -> None:
    info = await subscriptions.get(session, user_id)
    if info is None:
        text = i18n("subscriptions.title")
    else:
        text = i18n("subscriptions.title_subscribed", current=_current(i18n, catalogue, info))
    await show(
        event,
        f"{note}\n\n{text}" if note else text,
        subscription_keyboard(i18n, subscribed=info is not None),
    )


async def _ask_departments(
    event: Message | CallbackQuery,
    state: FSMContext,
    i18n: Localizer,
    catalogue: CatalogueService,
    chosen: list[str],
    note: str = "",
) -> None:
    await state.set_state(SubscriptionStates.departments)
    await state.update_data({CHOSEN_KEY: chosen})
    text = i18n("subscriptions.choose_prompt")
    await show(
        event,
        f"{note}\n\n{text}" if note else text,
        departments_keyboard(i18n, catalogue.catalogue.departments, chosen),
    )


async def _chosen(state: FSMContext, catalogue: CatalogueService) -> list[str] | None:
    """The ticked departments, or None when the multi-select is not open (a stale button)."""
    if await state.get_state() != SubscriptionStates.departments.state:
        return None
    raw = (await state.get_data()).get(CHOSEN_KEY)
    if not isinstance(raw, list):
        return None
    known = [d.id for d in catalogue.catalogue.departments]
    return subscriptions.clean_departments((d for d in raw if isinstance(d, str)), known)


async def _saved(
    event: Message | CallbackQuery,
    user_id: int,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
    languages: UserLanguages,
    departments: list[str] | None,
) -> None:
    # Announcements go out in users.language: keep the language the person uses now.
    if await languages.get(session, user_id) is None:
        await languages.set(session, user_id, i18n.lang)
    info = await subscriptions.subscribe(session, user_id, departments)
    if info.departments is None:
        text = i18n("subscriptions.saved_all")
    else:
        text = i18n("subscriptions.saved_some", names=_names(i18n, catalogue, info.departments))
    await show(
        event, f"{text}\n\n{i18n('subscriptions.saved_note')}", after_subscription_keyboard(i18n)
    )


async def subscribe_command(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
) -> None:
    if message.from_user is None:
        return
    await _leave(state)
    await _screen(message, message.from_user.id, session, i18n, catalogue)


async def unsubscribe_command(
    message: Message, state: FSMContext, session: AsyncSession, i18n: Localizer
) -> None:
    if message.from_user is None:
        return
    await _leave(state)
    removed = await subscriptions.unsubscribe(session, message.from_user.id)
    await message.answer(
        i18n("subscriptions.unsubscribed" if removed else "subscriptions.not_subscribed")
    )


async def subscription_button(
    callback: CallbackQuery,
    callback_data: SubscriptionCb,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
    languages: UserLanguages,
) -> None:
    user_id = callback.from_user.id
    action = callback_data.action
    if action is SubscriptionAction.open:
        await _leave(state)
        await _screen(callback, user_id, session, i18n, catalogue)
    elif action is SubscriptionAction.all:
        await _leave(state)
        await _saved(callback, user_id, session, i18n, catalogue, languages, None)
    elif action is SubscriptionAction.choose:
        info = await subscriptions.get(session, user_id)
        chosen = list(info.departments) if info and info.departments else []
        await _ask_departments(callback, state, i18n, catalogue, chosen)
    elif action is SubscriptionAction.unsubscribe:
        await _leave(state)
        removed = await subscriptions.unsubscribe(session, user_id)
        await show(
            callback,
            i18n("subscriptions.unsubscribed" if removed else "subscriptions.not_subscribed"),
            after_subscription_keyboard(i18n),
        )
    else:
        await _multi_select(callback, callback_data, state, session, i18n, catalogue, languages)


async def _multi_select(
    callback: CallbackQuery,
    callback_data: SubscriptionCb,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
    languages: UserLanguages,
) -> None:
    user_id = callback.from_user.id
    action = callback_data.action
    if action is SubscriptionAction.cancel:
        await _leave(state)
        await show_main_menu(callback, i18n, note=i18n("subscriptions.cancelled"))
        return
    chosen = await _chosen(state, catalogue)
    if chosen is None:  # the multi-select was left (or never opened): an old button
        await _screen(callback, user_id, session, i18n, catalogue, note=i18n("subscriptions.stale"))
        return
    if action is SubscriptionAction.back:
        await _leave(state)
        await _screen(callback, user_id, session, i18n, catalogue)
    elif action is SubscriptionAction.toggle:
        if catalogue.department(callback_data.dept) is None:
            await _ask_departments(
                callback, state, i18n, catalogue, chosen, note=i18n("subscriptions.stale")
            )
            return
        if callback_data.dept in chosen:
            chosen.remove(callback_data.dept)
        else:
            chosen.append(callback_data.dept)
        known = [d.id for d in catalogue.catalogue.departments]
        await _ask_departments(
            callback, state, i18n, catalogue, subscriptions.clean_departments(chosen, known)
        )
    elif action is SubscriptionAction.done:
        if not chosen:
            await _ask_departments(
                callback, state, i18n, catalogue, chosen, note=i18n("subscriptions.choose_none")
            )
            return
        await _leave(state)
        await _saved(callback, user_id, session, i18n, catalogue, languages, chosen)


async def departments_typed(
    message: Message, state: FSMContext, i18n: Localizer, catalogue: CatalogueService
) -> None:
    """Text, a sticker or the like where the buttons are expected: explain, show them again."""
    chosen = await _chosen(state, catalogue) or []
    await _ask_departments(
        message, state, i18n, catalogue, chosen, note=i18n("subscriptions.use_buttons")
    )


def create_router() -> Router:
    router = Router(name="subscriptions")
    router.message.register(subscribe_command, Command("subscribe"))
    router.message.register(unsubscribe_command, Command("unsubscribe"))
    router.callback_query.register(subscription_button, SubscriptionCb.filter())
    router.message.register(
        departments_typed,
        StateFilter(SubscriptionStates.departments),
        ~(F.text.startswith("/")),
    )
    return router
