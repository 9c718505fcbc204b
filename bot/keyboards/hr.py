"""Buttons under an HR summary, in the HR chat's language (``settings.hr_locale``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.db.models import Application, ApplicationStatus
from bot.i18n import Localizer
from bot.keyboards.callbacks import (
    HRAction,
    HRDecisionCb,
    HRHireCb,
    HRRejectCb,
    HRStageAction,
    HRStageCb,
    RejectReason,
)
from bot.services.hr import possible_decisions

_ACTIONS = {
    ApplicationStatus.shortlisted: HRAction.shortlist,
    ApplicationStatus.invited: HRAction.invite,
    ApplicationStatus.rejected: HRAction.reject,
}


def decision_keyboard(i18n: Localizer, application: Application) -> InlineKeyboardMarkup | None:
    """The decisions that still make sense; None when there are none."""
    targets = possible_decisions(application)
    if not targets:
        return None
    seen = ApplicationStatus(application.status)
    builder = InlineKeyboardBuilder()
    for target in targets:
        action = _ACTIONS[target]
        builder.button(
            text=i18n(f"hr.button.{action.name}"),
            callback_data=HRDecisionCb(app=application.id, action=action, seen=seen),
        )
    builder.adjust(2)
    return builder.as_markup()


def reject_reasons_keyboard(i18n: Localizer, application: Application) -> InlineKeyboardMarkup:
    """The reason templates; each rejects only from the status the card shows now."""
    seen = ApplicationStatus(application.status)
    builder = InlineKeyboardBuilder()
    for reason in RejectReason:
        builder.button(
            text=i18n(f"hr.reason.{reason.value}"),
            callback_data=HRRejectCb(app=application.id, reason=reason, seen=seen),
        )
    builder.button(
        text=i18n("common.back"),
        callback_data=HRDecisionCb(app=application.id, action=HRAction.back, seen=seen),
    )
    builder.adjust(1)
    return builder.as_markup()


def stage_keyboard(
    i18n: Localizer, application: Application, stage_id: int | None
) -> InlineKeyboardMarkup:
    """An application in the pipeline: the current stage's results (or, after the last
    stage, «hired») and reject."""
    builder = InlineKeyboardBuilder()
    if stage_id is not None:
        for action in (HRStageAction.passed, HRStageAction.failed, HRStageAction.no_show):
            builder.button(
                text=i18n(f"hr.button.{action.name}"),
                callback_data=HRStageCb(app=application.id, stage=stage_id, action=action),
            )
    else:
        builder.button(
            text=i18n("hr.button.hire"),
            callback_data=HRStageCb(app=application.id, stage=0, action=HRStageAction.hire),
        )
    builder.button(
        text=i18n("hr.button.reject"),
        callback_data=HRDecisionCb(
            app=application.id,
            action=HRAction.reject,
            seen=ApplicationStatus(application.status),
        ),
    )
    builder.adjust(3 if stage_id is not None else 2, 1)
    return builder.as_markup()


def hire_dates_keyboard(
    i18n: Localizer, application: Application, days: Sequence[date]
) -> InlineKeyboardMarkup:
    """«Hired from <day>» for each offered first working day, and Back."""
    builder = InlineKeyboardBuilder()
    for day in days:
        builder.button(
            text=i18n("hr.button.hire_from", date=day.strftime("%d.%m.%Y")),
            callback_data=HRHireCb(app=application.id, day=int(day.strftime("%Y%m%d"))),
        )
    builder.button(
        text=i18n("common.back"),
        callback_data=HRStageCb(app=application.id, stage=0, action=HRStageAction.back),
    )
    builder.adjust(2)
    return builder.as_markup()
