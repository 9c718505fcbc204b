"""HR ↔ candidate: a candidate's message outside any flow (or /my's «Question to HR») is
copied to HR; an HR member's reply to it, to the card or to the CV is copied back
(``bot.services.conversation`` decides where; this module only copies and answers).

The copies are made here, directly, not through the outbox: each one answers the incoming
update (the candidate's message, the HR reply), whose sender is told at once whether it
went through and can simply send it again when it did not. The service records every copy
(ids only) in the same transaction, so replies find their way back and an erasure finds
what to delete.
"""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, ReactionTypeEmoji, ReplyParameters
from sqlalchemy.ext.asyncio import AsyncSession

from bot.deps import Deps
from bot.filters import IsHR
from bot.handlers.application import my_applications
from bot.handlers.common import show
from bot.handlers.flags import NAVIGATES_FLAG
from bot.i18n import Localizer
from bot.keyboards.callbacks import AskHRCb, RelayPickCb
from bot.keyboards.conversation import ask_cancel_keyboard, pick_application_keyboard
from bot.rendering.applications import position_title
from bot.rendering.messages import escape
from bot.services import conversation
from bot.services.conversation import Content, HROutcome, Outcome, ToCandidate, ToHR

log = logging.getLogger(__name__)

ASKED_KEY = "ask_hr_application"  # /my's question step: the application asked about
DELIVERED_REACTION = "👌"  # Telegram's reactions have no ✓; the note says it otherwise


class ConversationStates(StatesGroup):
    question = State()  # /my's «Question to HR»: the next message is the question


def _content(message: Message) -> tuple[Content, int | None]:
    if message.document is not None:
        return Content.document, message.document.file_size
    if message.photo:
        return Content.photo, message.photo[-1].file_size
    if message.text is not None:
        return Content.text, None
    return Content.other, None


def _copier(bot: Bot, deps: Deps, from_chat: int, message_id: int) -> conversation.CopyToHR:
    async def copy(target: ToHR) -> list[int]:
        reply = (
            ReplyParameters(message_id=target.reply_to, allow_sending_without_reply=True)
            if target.reply_to is not None
            else None
        )
        header_text = deps.translator(
            deps.settings.hr_locale, "conversation.to_hr.header", id=target.application_id
        )
        thread = target.thread_id
        try:
            header = await bot.send_message(
                target.chat_id, header_text, message_thread_id=thread, reply_parameters=reply
            )
        except TelegramBadRequest as error:
            if thread is None or "thread" not in error.message.lower():
                raise
            # HR deleted the topic by hand: the chat itself, under the card.
            thread = None
            header = await bot.send_message(target.chat_id, header_text, reply_parameters=reply)
        copied = await bot.copy_message(
            chat_id=target.chat_id,
            from_chat_id=from_chat,
            message_id=message_id,
            message_thread_id=thread,
            reply_parameters=ReplyParameters(
                message_id=header.message_id, allow_sending_without_reply=True
            ),
        )
        return [header.message_id, copied.message_id]

    return copy


async def _relay(
    message_id: int,
    user_id: int,
    content: Content,
    size: int | None,
    application_id: int | None,
    bot: Bot,
    session: AsyncSession,
    deps: Deps,
) -> conversation.Result | None:
    """The service's answer; None when Telegram refused a copy."""
    try:
        return await conversation.relay_from_candidate(
            session,
            user_id,
            message_id,
            content,
            size,
            hr_chat_id=deps.settings.hr_chat_id,
            copy=_copier(bot, deps, user_id, message_id),
            application_id=application_id,
        )
    except TelegramAPIError as error:  # nothing was recorded: the service writes after
        log.warning("A candidate's message was not relayed: %s", type(error).__name__)
        return None


_ANSWERS = {
    Outcome.relayed: "conversation.sent",
    Outcome.refused_kind: "conversation.refused_kind",
    Outcome.too_big: "conversation.too_big",
    Outcome.not_live: "conversation.not_live",
    Outcome.no_application: "conversation.not_live",
}


async def candidate_message(
    message: Message, bot: Bot, session: AsyncSession, i18n: Localizer, deps: Deps
) -> None:
    """Outside any flow: to HR when the person has a live application; otherwise the
    message goes on to the search and the fallback (``SkipHandler``)."""
    user_id = message.from_user.id if message.from_user else message.chat.id
    content, size = _content(message)
    result = await _relay(message.message_id, user_id, content, size, None, bot, session, deps)
    if result is None:
        await message.answer(i18n("conversation.failed"))
    elif result.outcome is Outcome.no_application:
        raise SkipHandler
    elif result.outcome is Outcome.choose:
        markup = pick_application_keyboard(i18n, deps.catalogue, result.choices, message.message_id)
        await message.answer(i18n("conversation.choose"), reply_markup=markup)
    else:
        await message.answer(i18n(_ANSWERS[result.outcome]))


async def pick_button(
    callback: CallbackQuery,
    callback_data: RelayPickCb,
    bot: Bot,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    """The application chosen for a message asked about: the message (checked already when
    it was sent; only the presser's own chat is read) is relayed now."""
    result = await _relay(
        callback_data.message_id,
        callback.from_user.id,
        Content.text,
        None,
        callback_data.application_id,
        bot,
        session,
        deps,
    )
    key = "conversation.failed" if result is None else _ANSWERS[result.outcome]
    await show(callback, i18n(key))


async def ask_button(
    callback: CallbackQuery,
    callback_data: AskHRCb,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    """/my's «Question to HR» (the next message is the question), and its Cancel."""
    if callback_data.cancel:
        await state.set_state(None)
        await my_applications(callback, session, i18n, deps)
        return
    application = await conversation.askable(
        session, callback.from_user.id, callback_data.application_id
    )
    if application is None:
        await callback.answer(i18n("conversation.not_live"), show_alert=True)
        return
    await state.set_state(ConversationStates.question)
    await state.update_data({ASKED_KEY: application.id})
    title = escape(position_title(i18n, deps.catalogue, application.position_number))
    await show(
        callback,
        i18n("conversation.ask.prompt", id=application.id, title=title),
        ask_cancel_keyboard(i18n),
    )


async def question_message(
    message: Message,
    bot: Bot,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    """The question of /my's step: relayed, or refused with the step kept."""
    user_id = message.from_user.id if message.from_user else message.chat.id
    asked = (await state.get_data()).get(ASKED_KEY)
    content, size = _content(message)
    application_id = asked if isinstance(asked, int) else 0
    result = await _relay(
        message.message_id, user_id, content, size, application_id, bot, session, deps
    )
    if result is None:
        await message.answer(i18n("conversation.failed"), reply_markup=ask_cancel_keyboard(i18n))
        return
    if result.outcome in (Outcome.refused_kind, Outcome.too_big):
        await message.answer(i18n(_ANSWERS[result.outcome]), reply_markup=ask_cancel_keyboard(i18n))
        return
    await state.set_state(None)
    await message.answer(i18n(_ANSWERS.get(result.outcome, "conversation.not_live")))


# --------------------------------------------------------------------------- HR's side


async def hr_reply(message: Message, bot: Bot, session: AsyncSession, deps: Deps) -> None:
    """An HR member's reply in the HR chat: back to the candidate when it answers the
    candidate's message, the card or the CV; anything else is HR's own talk (silence)."""
    replied = message.reply_to_message
    if replied is None:
        return
    hr_lang, translator = deps.settings.hr_locale, deps.translator

    async def copy(target: ToCandidate) -> int:
        # Personal data may be in it: the candidate cannot forward or save it.
        header = await bot.send_message(
            target.user_id,
            translator(target.language, "conversation.from_hr.header", id=target.application_id),
            protect_content=True,
        )
        copied = await bot.copy_message(
            chat_id=target.user_id,
            from_chat_id=message.chat.id,
            message_id=message.message_id,
            protect_content=True,
            reply_parameters=ReplyParameters(
                message_id=header.message_id, allow_sending_without_reply=True
            ),
        )
        return copied.message_id

    try:
        result = await conversation.relay_from_hr(
            session, message.chat.id, message.message_id, replied.message_id, copy=copy
        )
    except TelegramForbiddenError:  # nothing was recorded: the service writes after
        await message.reply(translator(hr_lang, "conversation.hr.unavailable"))
        return
    except TelegramAPIError as error:
        log.warning("An HR reply was not relayed: %s", type(error).__name__)
        await message.reply(translator(hr_lang, "conversation.hr.failed"))
        return
    if result.outcome is HROutcome.not_conversation:
        return
    if result.outcome is HROutcome.unavailable:
        await message.reply(translator(hr_lang, "conversation.hr.erased"))
        return
    try:
        await bot.set_message_reaction(
            message.chat.id, message.message_id, [ReactionTypeEmoji(emoji=DELIVERED_REACTION)]
        )
    except TelegramBadRequest:  # reactions are off in the chat: a short note instead
        await message.reply(translator(hr_lang, "conversation.hr.delivered"))


def create_router() -> Router:
    """Before the search and the fallback: a person with a live application talks to HR;
    everyone else's typed text is a search as before (``SkipHandler``)."""
    router = Router(name="conversation")
    private = F.chat.type == ChatType.PRIVATE
    not_command = F.func(lambda m: not (m.text or "").startswith("/"))
    keep_flow = {NAVIGATES_FLAG: False}  # nothing to end: no flow is in progress
    router.message.register(
        question_message, StateFilter(ConversationStates.question), private, not_command
    )
    router.message.register(
        candidate_message,
        StateFilter(None),
        private,
        not_command,
        ~F.contact,  # a form's «share contact» keyboard left over: bot.handlers.application
        flags=keep_flow,
    )
    router.message.register(
        hr_reply,
        F.chat.type.in_({ChatType.GROUP, ChatType.SUPERGROUP}),
        F.reply_to_message.from_user.is_bot,
        not_command,
        IsHR(),  # last: it may ask Telegram; a non-HR member's reply does nothing
    )
    router.callback_query.register(pick_button, RelayPickCb.filter())
    router.callback_query.register(ask_button, AskHRCb.filter())
    return router
