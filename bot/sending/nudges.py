"""Senders of the nudges' outbox rows (kinds in ``bot.services.outbox``), installed in
``bot.sending.delivery.SENDERS``. Each re-checks at sending time that the message still
says the truth (an application decided meanwhile, a questionnaire or a form resumed: given
up) and
that it may go now (the quiet hours, the daytime window: it waits)."""

from __future__ import annotations

from datetime import datetime

from aiogram.exceptions import TelegramForbiddenError
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import parse_quiet_hours
from bot.db.models import User
from bot.deps import JobContext
from bot.i18n import Localizer
from bot.keyboards.nudges import dropoff_keyboard, form_dropoff_keyboard
from bot.rendering.nudges import (
    dropoff_text,
    form_dropoff_text,
    hr_digest_blocks,
    review_notice_text,
)
from bot.scheduling.nudges import HR_DIGEST_AFTER, after_quiet_hours, next_daytime
from bot.scheduling.reminders import QuietHours
from bot.services import nudges, outbox


def _quiet(context: JobContext) -> QuietHours:
    return parse_quiet_hours(context.settings.quiet_hours)


def _give_up(reason: str) -> Exception:
    from bot.sending.delivery import GiveUp  # delivery imports this module

    return GiveUp(reason)


def _wait(until: datetime) -> Exception:
    from bot.sending.delivery import Wait

    return Wait(until)


async def send_hr_digest(
    context: JobContext, session: AsyncSession, work: outbox.Work, now: datetime
) -> None:
    chat_id = context.settings.hr_chat_id
    if chat_id is None:
        raise _wait(now)
    raw = (work.row.payload or {}).get("application_ids")
    ids = [i for i in raw if isinstance(i, int)] if isinstance(raw, list) else []
    # Those decided since the digest was queued are left out; none left: nothing is sent.
    waiting = await nudges.undecided_since(session, now - HR_DIGEST_AFTER, ids)
    if not waiting:
        return
    i18n = Localizer(context.translator, context.settings.hr_locale)
    for text in hr_digest_blocks(i18n, context.catalogue, waiting, now):
        await context.bot.send_message(chat_id, text)


async def send_review_notice(
    context: JobContext, session: AsyncSession, work: outbox.Work, now: datetime
) -> None:
    if work.row.application_id is None:
        raise _give_up("bad payload")
    application = await nudges.review_notice_due(session, work.row.application_id)
    if application is None or application.user_id is None:
        raise _give_up("decided")
    allowed = after_quiet_hours(now, _quiet(context))
    if allowed > now:
        raise _wait(allowed)
    i18n = Localizer(context.translator, application.language)
    try:
        await context.bot.send_message(
            application.user_id, review_notice_text(i18n, context.catalogue, application)
        )
    except TelegramForbiddenError:  # blocked the bot: retrying cannot help
        raise _give_up("blocked") from None


async def send_dropoff_reminder(
    context: JobContext, session: AsyncSession, work: outbox.Work, now: datetime
) -> None:
    """The questionnaire's or the application form's drop-off reminder (``flow``), sent only
    if it still waits where it was left when the reminder was queued."""
    payload = work.row.payload or {}
    form = payload.get("flow") == nudges.FORM_FLOW
    user_id, ref = payload.get("user_id"), payload.get("intent" if form else "token")
    if not isinstance(user_id, int) or not isinstance(ref, str):
        raise _give_up("bad payload")
    queued = work.row.created_at
    left: nudges.LeftForm | nudges.LeftQuestionnaire | None = (
        await nudges.form_still_left(session, user_id, ref, queued)
        if form
        else await nudges.still_left(session, user_id, ref, queued)
    )
    if left is None:
        raise _give_up("resumed or dropped")
    i18n = await _reminder_locale(context, session, now, user_id)
    title = _title(context, i18n, left.position)
    if isinstance(left, nudges.LeftForm):
        text = form_dropoff_text(i18n, title, left.remaining)
        markup = form_dropoff_keyboard(i18n, ref)
    else:
        text = dropoff_text(i18n, title, left.step, left.total)
        markup = dropoff_keyboard(i18n, ref)
    await _send_reminder(context, user_id, text, markup)


async def _reminder_locale(
    context: JobContext, session: AsyncSession, now: datetime, user_id: int
) -> Localizer:
    """Waits for a daytime hour; then the person's chosen language, else the default."""
    allowed = next_daytime(now, _quiet(context), context.settings.nudge_daytime)
    if allowed > now:
        raise _wait(allowed)
    user = await session.get(User, user_id)
    language = user.language if user is not None and user.language else None
    return Localizer(context.translator, language or context.settings.default_locale)


def _title(context: JobContext, i18n: Localizer, number: int) -> str:
    position = context.catalogue.position(number)
    return position.title.get(i18n.lang) if position else str(number)


async def _send_reminder(
    context: JobContext, user_id: int, text: str, markup: InlineKeyboardMarkup
) -> None:
    try:
        await context.bot.send_message(user_id, text, reply_markup=markup)
    except TelegramForbiddenError:
        raise _give_up("blocked") from None


SENDERS = {
    outbox.HR_DIGEST: send_hr_digest,
    outbox.REVIEW_NOTICE: send_review_notice,
    outbox.DROPOFF_REMINDER: send_dropoff_reminder,
}
