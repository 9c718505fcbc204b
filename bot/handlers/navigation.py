"""Starting something new ends the flow in progress, so it never runs on unseen.

A handler that starts something (a command, a menu, browse or search button) carries the
``navigates`` flag (:func:`entry_points` sets it on a whole router). Before it runs,
:class:`EndFlowInProgress` ends what the person was doing: the questionnaire's question
is closed (a word typed next is a search again, not an answer to a question no longer on
screen), another dialog's stack is closed, and an application form in progress is put
aside: it stays saved, the person is told so (and its reply keyboard is removed), and
«Apply» on the verdict goes on where it stopped.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot, Router
from aiogram.dispatcher.flags import get_flag
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove, TelegramObject
from aiogram_dialog import DialogManager

from bot.dialogs.application.dialog import LIVE, ApplicationSG
from bot.handlers.flags import NAVIGATES_FLAG
from bot.handlers.questionnaire import DATA_KEY as QUESTIONNAIRE
from bot.i18n import Localizer


def entry_points(router: Router) -> Router:
    """Every handler of ``router`` (and its sub-routers) starts something new."""
    for observer in (router.message, router.callback_query):
        for handler in observer.handlers:
            handler.flags.setdefault(NAVIGATES_FLAG, True)  # unless it says otherwise
    for sub in router.sub_routers:
        entry_points(sub)
    return router


async def end_flow_in_progress(
    event: Message | CallbackQuery, state: FSMContext, manager: DialogManager | None
) -> bool:
    """End the questionnaire and any dialog but the application form, which is put aside
    (still saved). True when a form was put aside."""
    data = await state.get_data()
    if await state.get_state() is not None:
        await state.set_state(None)
    put_aside = LIVE in data
    if QUESTIONNAIRE in data or put_aside:
        await state.set_data({k: v for k, v in data.items() if k not in (QUESTIONNAIRE, LIVE)})
    if (
        manager is not None
        and manager.has_context()
        and manager.current_context().state.group is not ApplicationSG
    ):
        await manager.reset_stack(remove_keyboard=False)
    return put_aside


class EndFlowInProgress(BaseMiddleware):
    """Inner middleware (after the filters chose the handler): see the module's text."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        state = data.get("state")
        if (
            get_flag(data, NAVIGATES_FLAG)
            and isinstance(event, Message | CallbackQuery)
            and isinstance(state, FSMContext)
            and await end_flow_in_progress(event, state, data.get("dialog_manager"))
        ):
            await _say_form_put_aside(event, data["bot"], data["i18n"])
        return await handler(event, data)


async def _say_form_put_aside(event: Message | CallbackQuery, bot: Bot, i18n: Localizer) -> None:
    # A new message: it also takes the phone step's reply keyboard away.
    chat_id = event.chat.id if isinstance(event, Message) else event.from_user.id
    await bot.send_message(
        chat_id,
        i18n("application.put_aside"),
        reply_markup=ReplyKeyboardRemove(),
    )
