"""Buttons under an HR summary, in the HR chat's language (``settings.hr_locale``)."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.db.models import Application, ApplicationStatus
from bot.i18n import Localizer
from bot.keyboards.callbacks import HRAction, HRDecisionCb, HRRejectCb, RejectReason
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
    builder = InlineKeyboardBuilder()
    for target in targets:
        action = _ACTIONS[target]
        builder.button(
            text=i18n(f"hr.button.{action.name}"),
            callback_data=HRDecisionCb(app=application.id, action=action),
        )
    builder.adjust(2)
    return builder.as_markup()


def reject_reasons_keyboard(i18n: Localizer, application_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for reason in RejectReason:
        builder.button(
            text=i18n(f"hr.reason.{reason.value}"),
            callback_data=HRRejectCb(app=application_id, reason=reason),
        )
    builder.button(
        text=i18n("common.back"),
        callback_data=HRDecisionCb(app=application_id, action=HRAction.back),
    )
    builder.adjust(1)
    return builder.as_markup()
