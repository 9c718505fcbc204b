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
