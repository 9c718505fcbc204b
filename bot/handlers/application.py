"""«Apply» after the questionnaire opens the application form (``bot.dialogs.application``);
/my with withdrawal."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, ReplyKeyboardRemove
from aiogram_dialog import DialogManager, ShowMode, StartMode
from sqlalchemy.ext.asyncio import AsyncSession

from bot.deps import Deps
from bot.dialogs.application import (
    ApplicationSG,
    drop_left,
    left_on_top,
    mark_live,
    resume_left,
    start_data,
)
from bot.handlers.common import show, stale_button
from bot.handlers.start import show_main_menu
from bot.i18n import Localizer
from bot.keyboards.application import after_submit_keyboard, my_keyboard, withdraw_keyboard
from bot.keyboards.browse import position_card_keyboard
from bot.keyboards.callbacks import (
    ApplicationStartCb,
    DropoffAction,
    FormDropoffCb,
    MyApplicationsCb,
    WithdrawCb,
)
from bot.rendering.applications import existing_text, my_applications_text, position_title
from bot.rendering.messages import escape
from bot.services import applications
from bot.services.applications import WithdrawOutcome

SCREENED_KEY = "screened"  # where bot.handlers.questionnaire keeps the verdict's answers


def _user_id(event: Message | CallbackQuery) -> int:
    if isinstance(event, CallbackQuery):
        return event.from_user.id
    return event.from_user.id if event.from_user else event.chat.id


async def _send_new(callback: CallbackQuery, text: str, markup: Any) -> None:
    """A new message: the verdict stays where it is."""
    await callback.answer()
    bot = callback.bot
    assert bot is not None
    await bot.send_message(callback.from_user.id, text, reply_markup=markup)


async def apply_button(
    callback: CallbackQuery,
    callback_data: ApplicationStartCb,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
    dialog_manager: DialogManager,
) -> None:
    """The open application is reported here, before the form; the form under way for this
    position goes on where the person stopped; else the form starts at the consent."""
    catalogue, vacancies = deps.catalogue, deps.vacancies
    position = catalogue.position(callback_data.number)
    if position is None:
        await show_main_menu(callback, i18n, note=i18n("common.stale"))
        return
    if not await vacancies.is_open(session, position.number):
        await show_main_menu(callback, i18n, note=i18n("hr_tools.public.closed"))
        return
    existing = await applications.open_application(session, callback.from_user.id, position.number)
    if existing is not None:
        text = existing_text(i18n, catalogue, existing)
        await _send_new(callback, text, after_submit_keyboard(i18n))
        return
    if dialog_manager.has_context():
        context = dialog_manager.current_context()
        started = context.start_data
        if (
            context.state.group is ApplicationSG
            and isinstance(started, dict)
            and started.get("position") == position.number
        ):
            await callback.answer()
            await mark_live(dialog_manager)
            await dialog_manager.show(ShowMode.SEND)
            return
    screened = (await state.get_data()).get(SCREENED_KEY)
    if (
        not isinstance(screened, dict)
        or screened.get("position") != position.number
        or not position.criteria
    ):
        await _send_new(
            callback, i18n("application.no_screening"), position_card_keyboard(i18n, position)
        )
        return
    await callback.answer()
    await dialog_manager.start(
        ApplicationSG.consent,
        data=start_data(position.number, screened),
        mode=StartMode.RESET_STACK,
        show_mode=ShowMode.SEND,
    )


async def form_dropoff_button(
    callback: CallbackQuery,
    callback_data: FormDropoffCb,
    i18n: Localizer,
    dialog_manager: DialogManager,
) -> None:
    """The drop-off reminder of a form left (``bot.services.nudges``): Continue brings the
    form back at its step, «Not interested» closes it (no reminder ever again: one per
    person). Only while that very form is the person's dialog on top."""
    if not left_on_top(dialog_manager, callback_data.intent):
        await stale_button(callback, i18n)
        return
    if callback_data.action is DropoffAction.stop:
        await drop_left(callback, dialog_manager)
        return
    await callback.answer()
    await resume_left(dialog_manager)


async def contact_outside_form(message: Message, i18n: Localizer) -> None:
    """The «share contact» keyboard outlived its form (after /start, say): close it."""
    await message.answer(
        i18n("application.contact_outside_form"), reply_markup=ReplyKeyboardRemove()
    )
    await show_main_menu(message, i18n)


# --------------------------------------------------------------------------- /my, withdraw


async def _my_screen(
    session: AsyncSession, i18n: Localizer, deps: Deps, user_id: int, note: str = ""
) -> tuple[str, InlineKeyboardMarkup]:
    """The person's applications (``note`` above them), a «Withdraw» for each open one."""
    items = await applications.list_for_user(session, user_id)
    open_items = [a for a in items if applications.is_open(a)]
    return my_applications_text(i18n, deps.catalogue, items, note), my_keyboard(i18n, open_items)


async def my_applications(
    event: Message | CallbackQuery, session: AsyncSession, i18n: Localizer, deps: Deps
) -> None:
    """/my and its button."""
    await show(event, *await _my_screen(session, i18n, deps, _user_id(event)))


async def withdraw_button(
    callback: CallbackQuery,
    callback_data: WithdrawCb,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    user_id = callback.from_user.id
    application_id = callback_data.application_id
    if not callback_data.confirm:
        application = await applications.get_own(session, application_id, user_id)
        if application is None:
            note = i18n("application.withdraw.not_found")
        elif not applications.is_open(application):
            note = i18n("application.withdraw.not_open", id=application_id)
        else:
            title = escape(position_title(i18n, deps.catalogue, application.position_number))
            await show(
                callback,
                i18n("application.withdraw.confirm", id=application_id, title=title),
                withdraw_keyboard(i18n, application_id),
            )
            return
        await show(callback, *await _my_screen(session, i18n, deps, user_id, note))
        return
    outcome = await applications.withdraw(session, application_id, user_id)
    if outcome is WithdrawOutcome.withdrawn:
        deps.kick_outbox()
    key = {
        WithdrawOutcome.withdrawn: "application.withdraw.done",
        WithdrawOutcome.not_open: "application.withdraw.not_open",
        WithdrawOutcome.not_found: "application.withdraw.not_found",
    }[outcome]
    note = i18n(key, id=application_id)
    await show(callback, *await _my_screen(session, i18n, deps, user_id, note))


# --------------------------------------------------------------------------- router


def create_commands_router() -> Router:
    """/my and withdrawal: tried before any conversation's own handlers."""
    router = Router(name="my_applications")
    router.message.register(my_applications, Command("my"))
    router.callback_query.register(my_applications, MyApplicationsCb.filter())
    router.callback_query.register(withdraw_button, WithdrawCb.filter())
    return router


def create_router() -> Router:
    """«Apply» and a contact sent when no form asks for one (the form's own inputs are the
    dialog's, ``bot.dialogs.application``)."""
    router = Router(name="application")
    router.callback_query.register(apply_button, ApplicationStartCb.filter())
    router.callback_query.register(form_dropoff_button, FormDropoffCb.filter())
    router.message.register(contact_outside_form, StateFilter(None), F.contact)
    return router
