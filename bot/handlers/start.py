"""/start, deep links, language choice, /help and the main menu."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.deps import Deps
from bot.handlers.common import show
from bot.i18n import Localizer
from bot.keyboards.browse import (
    language_keyboard,
    main_menu_keyboard,
    position_card_keyboard,
)
from bot.keyboards.callbacks import LanguageCb, MenuAction, MenuCb
from bot.rendering.catalogue import position_card, vacancy_note
from bot.services import funnel, sources


async def show_main_menu(
    event: Message | CallbackQuery, i18n: Localizer, note: str = "", *, below: bool = False
) -> None:
    text = i18n("menu.title")
    await show(event, f"{note}\n\n{text}" if note else text, main_menu_keyboard(i18n), below=below)


async def start_with_link(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
    language_chosen: bool,
) -> None:
    """``/start <payload>``: a position's card, a source (``bot.services.sources``), both;
    a source alone is the plain /start, a malformed payload the menu with a note."""
    catalogue, vacancies = deps.catalogue, deps.vacancies
    await state.clear()
    user_id = message.from_user.id if message.from_user else None
    link = await sources.arrived(session, user_id, command.args)
    if link.valid and link.position is None:
        await _welcome(message, i18n, language_chosen)
        return
    position = catalogue.position(link.position) if link.position is not None else None
    vacancy = await vacancies.get(session, position.number) if position else None
    if position is None or vacancy is None:
        await show_main_menu(message, i18n, note=i18n("browse.link_not_found"))
        return
    if not vacancy.is_open:  # HR closed it (/vacancies)
        await show_main_menu(message, i18n, note=i18n("hr_tools.public.link_closed"))
        return
    await funnel.record(
        session, funnel.Step.viewed_position, user_id, position.number, position.department
    )
    await show(
        message,
        position_card(i18n, catalogue, position, note=vacancy_note(i18n, vacancy)),
        position_card_keyboard(i18n, position),
    )


async def _welcome(message: Message, i18n: Localizer, language_chosen: bool) -> None:
    if not language_chosen:
        await message.answer(
            i18n("common.choose_language"), reply_markup=language_keyboard(i18n, i18n.lang)
        )
        return
    await show_main_menu(message, i18n, note=i18n("menu.welcome"))


async def start(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    language_chosen: bool,
) -> None:
    await state.clear()
    await funnel.record(
        session, funnel.Step.started, message.from_user.id if message.from_user else None
    )
    await _welcome(message, i18n, language_chosen)


async def language_screen(event: Message | CallbackQuery, i18n: Localizer) -> None:
    """/language and the menu's language button."""
    await show(event, i18n("common.choose_language"), language_keyboard(i18n, i18n.lang))


async def language_chosen_button(
    callback: CallbackQuery,
    callback_data: LanguageCb,
    session: AsyncSession,
    deps: Deps,
) -> None:
    await deps.languages.set(session, callback.from_user.id, callback_data.code)
    i18n = Localizer(deps.translator, callback_data.code)
    await show_main_menu(callback, i18n, note=i18n("common.language_saved"))


async def help_screen(event: Message | CallbackQuery, i18n: Localizer) -> None:
    """/help and the menu's help button."""
    await show(event, i18n("menu.help_text"), main_menu_keyboard(i18n))


# The flow in progress is ended before these run (bot.handlers.navigation); what the
# person screened is kept, so «Apply» on a verdict still on screen goes on working.
async def menu_screen(
    event: Message | CallbackQuery, i18n: Localizer, callback_data: MenuCb | None = None
) -> None:
    """/menu and the menu buttons; from a message that stays (the verdict, an
    announcement: ``main_below``) the menu arrives below it."""
    below = callback_data is not None and callback_data.action is MenuAction.main_below
    await show_main_menu(event, i18n, below=below)


def create_router() -> Router:
    router = Router(name="start")
    router.message.register(start_with_link, CommandStart(deep_link=True))
    router.message.register(start, CommandStart())
    # A command and its button share one handler.
    router.message.register(language_screen, Command("language"))
    router.callback_query.register(language_screen, MenuCb.filter(F.action == MenuAction.language))
    router.callback_query.register(
        language_chosen_button, LanguageCb.filter(F.code.in_({"kk", "ru"}))
    )
    router.message.register(help_screen, Command("help"))
    router.callback_query.register(help_screen, MenuCb.filter(F.action == MenuAction.help))
    router.message.register(menu_screen, Command("menu"))
    router.callback_query.register(
        menu_screen, MenuCb.filter(F.action.in_({MenuAction.main, MenuAction.main_below}))
    )
    return router
