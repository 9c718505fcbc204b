"""HR decision buttons under a summary in the HR chat: shortlist, invite, reject (with a
reason template). HR only (``hr_router``); decisions live in ``bot.services.hr``."""

from __future__ import annotations

import logging
from contextlib import suppress

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Application, ApplicationStatus
from bot.deps import Deps
from bot.filters import hr_router
from bot.i18n import Localizer
from bot.keyboards.callbacks import (
    HRAction,
    HRDecisionCb,
    HRDecisionLegacyCb,
    HRRejectCb,
    HRRejectLegacyCb,
)
from bot.keyboards.hr import decision_keyboard, reject_reasons_keyboard
from bot.rendering.hr import decided_text, hr_card, outcome_text
from bot.services import hr
from bot.services.hr import Decision, Outcome

log = logging.getLogger(__name__)

TARGETS = {
    HRAction.shortlist: ApplicationStatus.shortlisted,
    HRAction.invite: ApplicationStatus.invited,
}


def _where(callback: CallbackQuery, application: Application) -> tuple[int, int] | None:
    """The summary message to update: where it was delivered, else the pressed one."""
    if application.hr_chat_id is not None and application.hr_message_id is not None:
        return application.hr_chat_id, application.hr_message_id
    if isinstance(callback.message, Message):
        return callback.message.chat.id, callback.message.message_id
    return None


async def _edit_markup(
    bot: Bot,
    callback: CallbackQuery,
    application: Application,
    markup: InlineKeyboardMarkup | None,
) -> None:
    where = _where(callback, application)
    if where is None:
        return
    with suppress(TelegramBadRequest):  # unchanged, or no longer editable
        await bot.edit_message_reply_markup(
            chat_id=where[0], message_id=where[1], reply_markup=markup
        )


async def _refresh_card(
    bot: Bot,
    callback: CallbackQuery,
    session: AsyncSession,
    application: Application,
    deps: Deps,
) -> None:
    """Re-render the summary in place: the decisions so far, the buttons still sensible."""
    where = _where(callback, application)
    if where is None:
        return
    text, markup = hr_card(
        application,
        await hr.history(session, application.id),
        translator=deps.translator,
        lang=deps.settings.hr_locale,
        catalogue=deps.catalogue,
    )
    try:
        await bot.edit_message_text(
            text=text, chat_id=where[0], message_id=where[1], reply_markup=markup
        )
    except TelegramBadRequest:
        pass  # unchanged, or no longer editable: the decision is recorded all the same
    except TelegramAPIError as exc:
        log.warning(
            "HR summary of application %d not updated: %s", application.id, type(exc).__name__
        )


async def _answer(
    callback: CallbackQuery,
    decision: Decision,
    i18n: Localizer,
) -> None:
    if decision.outcome is Outcome.done and decision.application is not None:
        await callback.answer(decided_text(decision.application, i18n.translator, i18n.lang))
        return
    await callback.answer(
        outcome_text(
            decision.outcome, decision.application, i18n.translator, i18n.lang, decision.earlier
        ),
        show_alert=True,
    )


async def _decide(
    callback: CallbackQuery,
    application_id: int,
    target: ApplicationStatus,
    expected: ApplicationStatus,
    reason: str | None,
    bot: Bot,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    decision = await hr.decide(
        session,
        application_id,
        target,
        hr_user_id=callback.from_user.id,
        hr_name=callback.from_user.full_name,
        reason=reason,
        expected=expected,
    )
    # Done, or decided meanwhile (by another officer): the card shows what holds now.
    if decision.outcome in (Outcome.done, Outcome.conflict) and decision.application is not None:
        await _refresh_card(bot, callback, session, decision.application, deps)
    if decision.outcome is Outcome.done:
        deps.kick_outbox()  # the applicant's notice goes out now, not at the next tick
    await _answer(callback, decision, i18n)


async def decision_button(
    callback: CallbackQuery,
    callback_data: HRDecisionCb,
    bot: Bot,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    action = callback_data.action
    if action in TARGETS:
        await _decide(
            callback,
            callback_data.app,
            TARGETS[action],
            callback_data.seen,
            None,
            bot,
            session,
            i18n,
            deps,
        )
        return
    hr_i18n = Localizer(deps.translator, deps.settings.hr_locale)
    if action is HRAction.reject:
        # Only opens the reason templates: nothing is decided yet.
        decision = await hr.check(
            session, callback_data.app, ApplicationStatus.rejected, callback_data.seen
        )
        if decision.outcome is not Outcome.done or decision.application is None:
            if decision.outcome is Outcome.conflict and decision.application is not None:
                await _refresh_card(bot, callback, session, decision.application, deps)
            await _answer(callback, decision, i18n)
            return
        markup = reject_reasons_keyboard(hr_i18n, decision.application)
        await _edit_markup(bot, callback, decision.application, markup)
        await callback.answer()
        return
    # Back from the reasons: the decisions that still make sense.
    application = await hr.get_application(session, callback_data.app)
    if application is None:
        await _answer(callback, Decision(Outcome.not_found, None), i18n)
        return
    await _edit_markup(bot, callback, application, decision_keyboard(hr_i18n, application))
    await callback.answer()


async def reject_button(
    callback: CallbackQuery,
    callback_data: HRRejectCb,
    bot: Bot,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    await _decide(
        callback,
        callback_data.app,
        ApplicationStatus.rejected,
        callback_data.seen,
        callback_data.reason.value,
        bot,
        session,
        i18n,
        deps,
    )


async def legacy_button(
    callback: CallbackQuery,
    callback_data: HRDecisionLegacyCb | HRRejectLegacyCb,
    bot: Bot,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    """A button of a card posted before the buttons carried the status the card showed:
    it decides nothing (who knows what its presser saw); the card gets today's buttons."""
    application = await hr.get_application(session, callback_data.app)
    if application is None:
        await _answer(callback, Decision(Outcome.not_found, None), i18n)
        return
    await _refresh_card(bot, callback, session, application, deps)
    await callback.answer(i18n("hr.state.refreshed", number=application.id), show_alert=True)


def create_router() -> Router:
    router = hr_router("hr")
    router.callback_query.register(decision_button, HRDecisionCb.filter())
    router.callback_query.register(reject_button, HRRejectCb.filter())
    router.callback_query.register(legacy_button, HRDecisionLegacyCb.filter())
    router.callback_query.register(legacy_button, HRRejectLegacyCb.filter())
    return router
