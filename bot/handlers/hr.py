"""HR decision buttons under a summary in the HR chat: shortlist, invite, reject (with a
reason template). HR only (``hr_router``); decisions live in ``bot.services.hr``."""

from __future__ import annotations

import logging
from contextlib import suppress
from datetime import date, datetime

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Application, ApplicationStatus, StageResultKind
from bot.deps import Deps
from bot.filters import hr_router
from bot.i18n import Localizer
from bot.keyboards.callbacks import (
    HRAction,
    HRDecisionCb,
    HRDecisionLegacyCb,
    HRHireCb,
    HRRejectCb,
    HRRejectLegacyCb,
    HRStageAction,
    HRStageCb,
)
from bot.keyboards.hr import hire_dates_keyboard, reject_reasons_keyboard
from bot.rendering.booking import date_text, name_of
from bot.rendering.hr import decided_text, hr_card, outcome_text
from bot.scheduling import TIMEZONE
from bot.services import bookings, hr
from bot.services.bookings import PipelineOutcomeCode
from bot.services.hr import Decision, Outcome

log = logging.getLogger(__name__)

TARGETS = {
    HRAction.shortlist: ApplicationStatus.shortlisted,
    HRAction.invite: ApplicationStatus.invited,
}
RESULTS = {
    HRStageAction.passed: StageResultKind.passed,
    HRStageAction.failed: StageResultKind.failed,
    HRStageAction.no_show: StageResultKind.no_show,
}
# A refused result or hire: the answer (the card is refreshed for those that say so).
REFUSALS = {
    PipelineOutcomeCode.not_started: "hr.result.not_started",
    PipelineOutcomeCode.no_booking: "hr.result.no_booking",
    PipelineOutcomeCode.already: "hr.result.already",
    PipelineOutcomeCode.stale: "hr.result.stale",
    PipelineOutcomeCode.closed: "hr.result.closed",
    PipelineOutcomeCode.not_ready: "hr.result.not_ready",
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
    text, markup = await _card(session, application, deps)
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


async def _card(
    session: AsyncSession, application: Application, deps: Deps
) -> tuple[str, InlineKeyboardMarkup | None]:
    return hr_card(
        application,
        await hr.history(session, application.id),
        translator=deps.translator,
        lang=deps.settings.hr_locale,
        catalogue=deps.catalogue,
        pipeline=await bookings.pipeline_view(session, application),
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
    who, name = callback.from_user.id, callback.from_user.full_name
    if target is ApplicationStatus.invited:  # into the pipeline: the first stage's booking
        decision = await bookings.invite(
            session, application_id, hr_user_id=who, hr_name=name, expected=expected
        )
    elif target is ApplicationStatus.rejected:  # in the pipeline its bookings are cancelled
        decision = await bookings.reject_any(
            session,
            application_id,
            reason=reason or "other",
            expected=expected,
            hr_user_id=who,
            hr_name=name,
        )
    else:
        decision = await hr.decide(
            session, application_id, target, hr_user_id=who, hr_name=name, expected=expected
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
    _, buttons = await _card(session, application, deps)
    await _edit_markup(bot, callback, application, buttons)
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


async def stage_button(
    callback: CallbackQuery,
    callback_data: HRStageCb,
    bot: Bot,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    """✔ passed / ✖ failed / 🚫 no-show of the stage the card showed; 🎉 hired opens the
    start dates; Back from them restores the card."""
    action = callback_data.action
    if action in RESULTS:
        result = await bookings.record_result(
            session,
            callback_data.app,
            callback_data.stage,
            RESULTS[action],
            by=callback.from_user.id,
        )
        await _pipeline_answer(callback, result, bot, session, i18n, deps, callback_data.stage)
        return
    application = await hr.get_application(session, callback_data.app)
    if application is None:
        await _answer(callback, Decision(Outcome.not_found, None), i18n)
        return
    if action is HRStageAction.hire and bookings.in_pipeline(application):
        if application.current_stage_id is None:
            today = datetime.now(TIMEZONE).date()
            days = bookings.start_date_choices(today)
            hr_i18n = Localizer(deps.translator, deps.settings.hr_locale)
            markup = hire_dates_keyboard(hr_i18n, application, days)
            await _edit_markup(bot, callback, application, markup)
            await callback.answer(i18n("hr.hire.ask"))
            return
        await callback.answer(i18n("hr.result.not_ready"), show_alert=True)
    elif action is HRStageAction.hire:
        await callback.answer(i18n("hr.result.closed", number=application.id), show_alert=True)
    else:
        await callback.answer()
    await _refresh_card(bot, callback, session, application, deps)


async def hire_button(
    callback: CallbackQuery,
    callback_data: HRHireCb,
    bot: Bot,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    start = bookings.start_date_of(callback_data.day, datetime.now(TIMEZONE).date())
    if start is None:  # forged, or a day that has passed since the dates were shown
        await callback.answer(i18n("common.stale_button"), show_alert=True)
        return
    result = await bookings.hire(
        session, callback_data.app, start_date=start, by=callback.from_user.id
    )
    await _pipeline_answer(callback, result, bot, session, i18n, deps, None, start)


async def _pipeline_answer(
    callback: CallbackQuery,
    result: bookings.PipelineResult,
    bot: Bot,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
    stage_id: int | None,
    start: date | None = None,
) -> None:
    application = result.application
    if result.outcome is PipelineOutcomeCode.not_found or application is None:
        await _answer(callback, Decision(Outcome.not_found, None), i18n)
        return
    if result.outcome is PipelineOutcomeCode.done:
        deps.kick_outbox()  # the candidate's notice (and the next offer) go out now
    await _refresh_card(bot, callback, session, application, deps)
    if result.outcome is not PipelineOutcomeCode.done:
        key = REFUSALS.get(result.outcome) or "hr.result.closed"
        await callback.answer(i18n(key, number=application.id), show_alert=True)
        return
    if start is not None:
        await callback.answer(i18n("hr.hire.done", number=application.id, date=date_text(start)))
        return
    stage = await bookings.stage_of(session, stage_id) if stage_id else None
    recorded = await bookings.results(session, application.id)
    kind = recorded[-1].result if recorded else "passed"
    await callback.answer(
        i18n(f"hr.result.done.{kind}", number=application.id, stage=name_of(i18n, stage))
    )


def create_router() -> Router:
    router = hr_router("hr")
    router.callback_query.register(stage_button, HRStageCb.filter())
    router.callback_query.register(hire_button, HRHireCb.filter())
    router.callback_query.register(decision_button, HRDecisionCb.filter())
    router.callback_query.register(reject_button, HRRejectCb.filter())
    router.callback_query.register(legacy_button, HRDecisionLegacyCb.filter())
    router.callback_query.register(legacy_button, HRRejectLegacyCb.filter())
    return router
