"""Delivering the outbox through the Bot API: the one module that joins the outbox
(``bot.services.outbox``) with aiogram's ``Bot``.

``deliver_pending`` runs every 10 s as the scheduler job ``outbox`` (``bot.jobs``), kicked
to run at once after a submitted application or an HR decision (``Deps.kick_outbox``)
instead of within 10 s. See ``bot.services.outbox`` for the kinds and the retry policy.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from weakref import WeakKeyDictionary

from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramRetryAfter,
)
from aiogram.types import (
    BufferedInputFile,
    InputMediaDocument,
    InputMediaPhoto,
    ReplyParameters,
)
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import (
    Application,
    ApplicationStatus,
    Booking,
    HiringStage,
    OutboxMessage,
    Slot,
)
from bot.deps import JobContext
from bot.i18n import Localizer
from bot.keyboards.booking import booking_keyboard, slots_keyboard
from bot.rendering import booking as texts
from bot.rendering.hr import (
    applicant_status_text,
    cv_caption,
    cv_deleted_caption,
    cv_deleted_file_name,
    hr_card,
    no_slots_text,
    outage_alert_text,
    position_title,
    stage_event_text,
    summary_text,
    withdrawn_notice,
)
from bot.scheduling.reminders import can_reschedule
from bot.sending import nudges as nudge_senders
from bot.sending import topics
from bot.services import bookings, hr, outbox
from bot.services.hr import is_deleted

log = logging.getLogger(__name__)

WAIT = timedelta(seconds=10)  # re-check of a row that waits for another one
DECISIONS = frozenset(
    {ApplicationStatus.shortlisted, ApplicationStatus.invited, ApplicationStatus.rejected}
)

_sqlite_locks: WeakKeyDictionary[async_sessionmaker[AsyncSession], asyncio.Lock] = (
    WeakKeyDictionary()
)
_warned_no_hr_chat = False


class GiveUp(Exception):
    """Retrying cannot help (the data was deleted, the payload is bad)."""


class Wait(Exception):
    """Not yet: another row must go first. Retried later without counting an attempt."""

    def __init__(self, until: datetime) -> None:
        super().__init__("waiting")
        self.until = until


@dataclass(slots=True)
class Report:
    delivered: int = 0
    failed: int = 0
    gave_up: int = 0
    postponed: int = 0
    alerts: int = 0


def _target_chat(context: JobContext, row: OutboxMessage, user_id: int | None) -> int | None:
    if row.kind in outbox.HR_KINDS:
        return context.settings.hr_chat_id
    if row.kind == outbox.ADMIN_ALERT:
        admin = (row.payload or {}).get("admin_id")
        return admin if isinstance(admin, int) else None
    return user_id


def _not_modified(error: TelegramBadRequest) -> bool:
    """The edit changes nothing: it was made already (a retry after a lost answer)."""
    return "not modified" in error.message


def _hr_target(context: JobContext, work: outbox.Work, now: datetime) -> tuple[Application, int]:
    """The application an HR message is about and the HR chat it goes to: given up when the
    applicant's data was erased, waiting while ``HR_CHAT_ID`` is unset."""
    app = work.application
    if app is None or is_deleted(app):
        raise GiveUp("deleted")
    chat_id = context.settings.hr_chat_id
    if chat_id is None:
        raise Wait(now + WAIT)
    return app, chat_id


async def _send_summary(
    context: JobContext, session: AsyncSession, work: outbox.Work, now: datetime
) -> None:
    app, chat_id = _hr_target(context, work, now)
    bot, lang = context.bot, context.settings.hr_locale
    message_id = app.hr_message_id
    new_card = message_id is None or app.hr_chat_id != chat_id
    # HR_TOPICS: a new card goes into the application's forum topic (created first).
    thread = await topics.summary_thread(context, session, app, chat_id, create=new_card)
    if new_card:
        # A placeholder first (no personal data), its id committed at once: if the answer
        # to this send is lost, the retry sends another placeholder, never a second card.
        placeholder = context.translator(lang, "hr.placeholder", id=app.id)
        sent = await bot.send_message(chat_id, placeholder, message_thread_id=thread)
        message_id = sent.message_id
        await outbox.set_hr_message(session, app.id, chat_id, message_id)
    progress = dict(work.row.payload or {})
    if progress.get("card") != message_id:
        await _unless_erased_meanwhile(session, app.id, now)  # no data into a card erased
        text, markup = hr_card(
            app,
            await hr.history(session, app.id),
            translator=context.translator,
            lang=lang,
            catalogue=context.catalogue,
            pipeline=await bookings.pipeline_view(session, app),
        )
        try:
            await bot.edit_message_text(
                text=text, chat_id=chat_id, message_id=message_id, reply_markup=markup
            )
        except TelegramBadRequest as error:
            if not _not_modified(error):
                # The placeholder is gone (deleted in the chat): the next attempt sends anew.
                await outbox.set_hr_message(session, app.id, chat_id, None)
                raise
        progress["card"] = message_id  # the card is complete: a retry sends only the CV
        await outbox.save_payload(session, work.row.id, progress)
        await _unless_erased_meanwhile(session, app.id, now)
    if not app.cv_file_id:
        return
    cv_id = app.hr_cv_message_id
    if cv_id is None:
        # The CV's file name may carry the person's name: a placeholder file first, like the
        # card's, so a lost answer repeats only the placeholder.
        note = context.translator(lang, "hr.cv_placeholder", number=app.id)
        sent = await bot.send_document(
            chat_id,
            BufferedInputFile(note.encode(), filename=f"cv-{app.id}.txt"),
            caption=note,
            message_thread_id=thread,
            reply_parameters=ReplyParameters(
                message_id=message_id, allow_sending_without_reply=True
            ),
        )
        cv_id = sent.message_id
        await outbox.set_hr_cv_message(session, app.id, cv_id)  # deleted on erasure
        await _unless_erased_meanwhile(session, app.id, now)
    caption = cv_caption(app, context.translator, lang)
    document = InputMediaDocument(media=app.cv_file_id, caption=caption)
    media: list[InputMediaPhoto | InputMediaDocument] = [document]
    if (app.cv_mime_type or "").startswith("image/"):
        # A photo, unless the image was sent as a file (then its file_id is a document's).
        media.insert(0, InputMediaPhoto(media=app.cv_file_id, caption=caption))
    for index, item in enumerate(media):
        try:
            await bot.edit_message_media(media=item, chat_id=chat_id, message_id=cv_id)
            return
        except TelegramBadRequest as error:
            if _not_modified(error):
                return
            if index == len(media) - 1:
                # The placeholder is gone (deleted in the chat): the next attempt sends anew.
                await outbox.set_hr_cv_message(session, app.id, None)
                raise


async def _unless_erased_meanwhile(
    session: AsyncSession, application_id: int, now: datetime
) -> None:
    """/delete_me committed while the summary was on its way (it drops the pending row, but
    this round had loaded it already): its ``hr_deleted`` row may have run before these
    messages were recorded, so queue another one, which removes them, and stop."""
    if await outbox.is_erased(session, application_id):
        outbox.enqueue(session, outbox.HR_DELETED, application_id, now=now)
        await session.commit()
        raise GiveUp("deleted")


async def _send_withdrawn(
    context: JobContext, session: AsyncSession, work: outbox.Work, now: datetime
) -> None:
    app = work.application
    if app is None:
        raise GiveUp("deleted")
    chat_id = context.settings.hr_chat_id
    if chat_id is None:
        raise Wait(now + WAIT)
    if await outbox.pending_summary(session, app.id):
        raise Wait(now + WAIT)  # the summary first, then the notice under it
    bot, lang = context.bot, context.settings.hr_locale
    reply = None
    if app.hr_message_id is not None and app.hr_chat_id == chat_id:
        reply = ReplyParameters(message_id=app.hr_message_id, allow_sending_without_reply=True)
        text = summary_text(
            app,
            await hr.history(session, app.id),
            translator=context.translator,
            lang=lang,
            catalogue=context.catalogue,
        )
        # The card shows the withdrawal and loses its buttons; a BadRequest means it is
        # unchanged already (a retry) or no longer editable.
        with suppress(TelegramBadRequest):
            await bot.edit_message_text(
                text=text, chat_id=chat_id, message_id=app.hr_message_id, reply_markup=None
            )
    await bot.send_message(
        chat_id,
        withdrawn_notice(app, context.translator, lang),
        message_thread_id=await topics.conversation_thread(session, app.id, chat_id),
        reply_parameters=reply,
    )


async def _send_deleted(
    context: JobContext, session: AsyncSession, work: outbox.Work, now: datetime
) -> None:
    app = work.application
    if app is None or app.hr_chat_id is None:
        return  # nothing reached the HR chat
    # Where the messages are: also a former HR chat (HR_CHAT_ID changed since).
    chat_id, lang = app.hr_chat_id, context.settings.hr_locale
    try:
        if app.hr_cv_message_id is not None:
            await _erase_cv(context, app, chat_id, app.hr_cv_message_id)
        if app.hr_message_id is not None:
            text = summary_text(
                app, [], translator=context.translator, lang=lang, catalogue=context.catalogue
            )
            with suppress(TelegramBadRequest):  # unchanged already, or no longer editable
                await context.bot.edit_message_text(
                    text=text, chat_id=chat_id, message_id=app.hr_message_id, reply_markup=None
                )
    except (TelegramForbiddenError, TelegramMigrateToChat):
        if chat_id != context.settings.hr_chat_id:
            raise GiveUp("former HR chat unreachable") from None
        raise


async def _erase_cv(context: JobContext, app: Application, chat_id: int, message_id: int) -> None:
    """Delete the CV message. Telegram lets a bot delete a group's messages younger than
    48 h, older ones only as an admin with can_delete_messages: when it refuses, the file is
    replaced by a note (the caption says the data was erased), or at least the caption is."""
    bot, lang = context.bot, context.settings.hr_locale
    try:
        await bot.delete_message(chat_id, message_id)
        return
    except TelegramBadRequest as exc:
        if "not found" in exc.message.lower():
            return  # deleted already (by HR, or by an earlier attempt)
    caption = cv_deleted_caption(app, context.translator, lang)
    note = BufferedInputFile(
        caption.encode(), filename=cv_deleted_file_name(app, context.translator, lang)
    )
    try:
        await bot.edit_message_media(
            media=InputMediaDocument(media=note, caption=caption),
            chat_id=chat_id,
            message_id=message_id,
            reply_markup=None,
        )
        return
    except TelegramBadRequest:
        pass
    with suppress(TelegramBadRequest):  # unchanged already, or not editable at all
        await bot.edit_message_caption(chat_id=chat_id, message_id=message_id, caption=caption)


async def _earlier_pending(session: AsyncSession, row: OutboxMessage) -> datetime | None:
    """When the application's previous undelivered notice is due (to keep the order)."""
    due = await session.scalar(
        select(OutboxMessage.next_attempt_at)
        .where(
            OutboxMessage.application_id == row.application_id,
            OutboxMessage.kind == row.kind,
            OutboxMessage.id < row.id,
            OutboxMessage.delivered_at.is_(None),
            OutboxMessage.attempts < outbox.GAVE_UP,
        )
        .order_by(OutboxMessage.id)
        .limit(1)
    )
    return None if due is None else outbox.utc(due)


async def _send_applicant_status(
    context: JobContext, session: AsyncSession, work: outbox.Work, now: datetime
) -> None:
    app, payload = work.application, work.row.payload or {}
    if app is None or is_deleted(app) or app.user_id is None:
        raise GiveUp("deleted")
    if app.status == ApplicationStatus.withdrawn:
        raise GiveUp("withdrawn")
    status, reason = payload.get("status"), payload.get("reason")
    if status not in DECISIONS:
        raise GiveUp("bad payload")
    earlier = await _earlier_pending(session, work.row)
    if earlier is not None:
        raise Wait(max(earlier, now) + timedelta(seconds=1))
    text = applicant_status_text(
        app,
        str(status),
        reason if isinstance(reason, str) else None,
        context.translator,
        context.catalogue,
        booking=payload.get("booking") is True,
    )
    await context.bot.send_message(app.user_id, text)


async def _send_admin_alert(
    context: JobContext, session: AsyncSession, work: outbox.Work, now: datetime
) -> None:
    payload = work.row.payload or {}
    admin = payload.get("admin_id")
    if not isinstance(admin, int):
        raise GiveUp("bad payload")
    settings = context.settings
    text = outage_alert_text(
        context.translator, settings.hr_locale, payload, settings.hr_chat_id or 0
    )
    await context.bot.send_message(admin, text)


# --------------------------------------------------------------------------- the pipeline


def _candidate(work: outbox.Work) -> tuple[Application, int]:
    """The application of a candidate's row and their chat; gives up when it is gone."""
    app = work.application
    if app is None or is_deleted(app) or app.user_id is None:
        raise GiveUp("deleted")
    if app.status == ApplicationStatus.withdrawn:
        raise GiveUp("withdrawn")
    return app, app.user_id


def _candidate_i18n(context: JobContext, app: Application) -> Localizer:
    return Localizer(context.translator, context.translator.lang_or_default(app.language))


async def _wait_for_earlier(session: AsyncSession, row: OutboxMessage, now: datetime) -> None:
    """The application's earlier notices to the candidate go first (the invitation
    before its offer, a result before the next stage's offer)."""
    due = await session.scalar(
        select(OutboxMessage.next_attempt_at)
        .where(
            OutboxMessage.application_id == row.application_id,
            OutboxMessage.kind.in_(sorted(outbox.BOOKING_KINDS | {outbox.APPLICANT_STATUS})),
            OutboxMessage.id < row.id,
            OutboxMessage.delivered_at.is_(None),
            OutboxMessage.attempts < outbox.GAVE_UP,
            outbox.is_due(now),
        )
        .order_by(OutboxMessage.id)
        .limit(1)
    )
    if due is not None:
        raise Wait(max(outbox.utc(due), now) + timedelta(seconds=1))


async def _send_booking_offer(
    context: JobContext, session: AsyncSession, work: outbox.Work, now: datetime
) -> None:
    app, chat = _candidate(work)
    payload = work.row.payload or {}
    stage_id = payload.get("stage_id")
    # No longer relevant: the application left that stage, or has booked meanwhile.
    current = app.current_stage_id
    if not bookings.in_pipeline(app) or current is None or current != stage_id:
        return
    if await bookings.active_booking(session, app.id) is not None:
        return
    await _wait_for_earlier(session, work.row, now)
    i18n = _candidate_i18n(context, app)
    stage = await bookings.stage_of(session, current)
    slots = await bookings.open_slots(session, app, now=now)
    if not slots:
        # Taken since the offer was queued: the candidate waits for slots like anyone
        # without one (a no-slots notice now, the offer when HR open more).
        await bookings.queue_offer(session, app, reason=str(payload.get("reason")), now=now)
        await session.commit()
        return
    await context.bot.send_message(
        chat,
        texts.offer_text(i18n, stage, str(payload.get("reason"))),
        reply_markup=slots_keyboard(i18n, app.id, slots),
    )


async def _send_booking_no_slots(
    context: JobContext, session: AsyncSession, work: outbox.Work, now: datetime
) -> None:
    app, chat = _candidate(work)
    stage_id = (work.row.payload or {}).get("stage_id")
    current = app.current_stage_id
    if not bookings.in_pipeline(app) or current is None or current != stage_id:
        return
    await _wait_for_earlier(session, work.row, now)
    i18n = _candidate_i18n(context, app)
    stage = await bookings.stage_of(session, current)
    await context.bot.send_message(chat, texts.no_slots_text(i18n, stage))


async def _booking_parts(
    session: AsyncSession, row: OutboxMessage
) -> tuple[Booking, Slot, HiringStage]:
    if row.booking_id is None:
        raise GiveUp("bad payload")
    found = await bookings.booking_details(session, row.booking_id)
    if found is None:
        raise GiveUp("deleted")
    return found


async def _send_booking_confirmed(
    context: JobContext, session: AsyncSession, work: outbox.Work, now: datetime
) -> None:
    """The text (with reschedule / cancel), the map point, the .ics: three sends, each
    recorded in the row's payload once done, so a retry repeats none of them."""
    app, chat = _candidate(work)
    booking, slot, stage = await _booking_parts(session, work.row)
    if booking.status not in bookings.ACTIVE:
        return  # moved or cancelled since: that change has its own notice
    await _wait_for_earlier(session, work.row, now)
    i18n = _candidate_i18n(context, app)
    progress = dict(work.row.payload or {})
    bot = context.bot
    if not progress.get("text_sent"):
        text = texts.confirmation_text(
            i18n, stage, slot, rescheduled=bool(progress.get("rescheduled"))
        )
        markup = booking_keyboard(
            i18n,
            booking.id,
            confirm=False,
            reschedule=can_reschedule(bookings.utc(slot.starts_at), now, stage.cutoff_hours),
        )
        await bot.send_message(chat, text, reply_markup=markup)
        progress["text_sent"] = True
        await outbox.save_payload(session, work.row.id, progress)
    if slot.latitude is not None and slot.longitude is not None and not progress.get("map_sent"):
        await bot.send_location(chat, latitude=slot.latitude, longitude=slot.longitude)
        progress["map_sent"] = True
        await outbox.save_payload(session, work.row.id, progress)
    data = await bookings.calendar_file(session, booking.id, i18n.lang, context.translator)
    if data is not None:
        name = i18n("booking.ics.file_name", number=booking.id)
        await bot.send_document(
            chat,
            BufferedInputFile(data, filename=name),
            caption=texts.ics_caption(i18n, stage, slot),
        )


async def _send_booking_reminder(
    context: JobContext, session: AsyncSession, work: outbox.Work, now: datetime
) -> None:
    app, chat = _candidate(work)
    if work.row.booking_id is None:
        raise GiveUp("bad payload")
    booking = await bookings.reminder_due(session, work.row.booking_id)
    if booking is None:
        return  # the booking ended: no reminder
    _, slot, stage = await _booking_parts(session, work.row)
    payload = work.row.payload or {}
    i18n = _candidate_i18n(context, app)
    ask = payload.get("ask_confirm") is True and booking.status == "booked"
    markup = booking_keyboard(
        i18n,
        booking.id,
        confirm=ask,
        reschedule=can_reschedule(bookings.utc(slot.starts_at), now, stage.cutoff_hours),
    )
    text = texts.reminder_text(i18n, stage, slot, str(payload.get("reminder")), ask_confirm=ask)
    await context.bot.send_message(chat, text, reply_markup=markup)


async def _send_booking_cancelled(
    context: JobContext, session: AsyncSession, work: outbox.Work, now: datetime
) -> None:
    app, chat = _candidate(work)
    _, slot, stage = await _booking_parts(session, work.row)
    await _wait_for_earlier(session, work.row, now)
    i18n = _candidate_i18n(context, app)
    reason = str((work.row.payload or {}).get("reason"))
    await context.bot.send_message(chat, texts.cancelled_text(i18n, stage, slot, reason))


async def _send_stage_result(
    context: JobContext, session: AsyncSession, work: outbox.Work, now: datetime
) -> None:
    app, chat = _candidate(work)
    payload = work.row.payload or {}
    await _wait_for_earlier(session, work.row, now)
    i18n = _candidate_i18n(context, app)
    stage_id, next_id = payload.get("stage_id"), payload.get("next_stage_id")
    stage = await bookings.stage_of(session, stage_id) if isinstance(stage_id, int) else None
    following = await bookings.stage_of(session, next_id) if isinstance(next_id, int) else None
    text = texts.result_text(i18n, stage, str(payload.get("result")), following, app.id)
    await context.bot.send_message(chat, text)


async def _send_applicant_hired(
    context: JobContext, session: AsyncSession, work: outbox.Work, now: datetime
) -> None:
    app, chat = _candidate(work)
    raw = (work.row.payload or {}).get("start_date")
    try:
        start = date.fromisoformat(str(raw))
    except ValueError:
        raise GiveUp("bad payload") from None
    await _wait_for_earlier(session, work.row, now)
    i18n = _candidate_i18n(context, app)
    title = position_title(context.catalogue, app, i18n.lang)
    await context.bot.send_message(chat, texts.hired_text(i18n, title, app.id, start))


async def _hr_reply_to(
    session: AsyncSession, app: Application, chat_id: int, now: datetime
) -> ReplyParameters | None:
    """The card to answer under; waits while the card itself is on its way."""
    if await outbox.pending_summary(session, app.id):
        raise Wait(now + WAIT)
    if app.hr_message_id is None or app.hr_chat_id != chat_id:
        return None
    return ReplyParameters(message_id=app.hr_message_id, allow_sending_without_reply=True)


async def _send_hr_no_slots(
    context: JobContext, session: AsyncSession, work: outbox.Work, now: datetime
) -> None:
    app, chat_id = _hr_target(context, work, now)
    reply = await _hr_reply_to(session, app, chat_id, now)
    stage_id = (work.row.payload or {}).get("stage_id")
    stage = await bookings.stage_of(session, stage_id) if isinstance(stage_id, int) else None
    lang = context.settings.hr_locale
    await context.bot.send_message(
        chat_id,
        no_slots_text(app, stage, context.translator, lang),
        message_thread_id=await topics.conversation_thread(session, app.id, chat_id),
        reply_parameters=reply,
    )


async def _send_hr_stage_event(
    context: JobContext, session: AsyncSession, work: outbox.Work, now: datetime
) -> None:
    """The card updated in place (its stage, booking and buttons as they are now), and a
    short note under it."""
    app, chat_id = _hr_target(context, work, now)
    reply = await _hr_reply_to(session, app, chat_id, now)
    bot, lang = context.bot, context.settings.hr_locale
    progress = dict(work.row.payload or {})
    if reply is not None and not progress.get("card_updated"):
        text, markup = hr_card(
            app,
            await hr.history(session, app.id),
            translator=context.translator,
            lang=lang,
            catalogue=context.catalogue,
            pipeline=await bookings.pipeline_view(session, app),
        )
        with suppress(TelegramBadRequest):  # unchanged already, or no longer editable
            await bot.edit_message_text(
                text=text, chat_id=chat_id, message_id=reply.message_id, reply_markup=markup
            )
        progress["card_updated"] = True
        await outbox.save_payload(session, work.row.id, progress)
    stage_id = progress.get("stage_id")
    stage = await bookings.stage_of(session, stage_id) if isinstance(stage_id, int) else None
    when = None
    if work.row.booking_id is not None:
        details = await bookings.booking_details(session, work.row.booking_id)
        when = details[1].starts_at if details is not None else None
    note = stage_event_text(app, str(progress.get("event")), stage, when, context.translator, lang)
    await bot.send_message(
        chat_id,
        note,
        message_thread_id=await topics.conversation_thread(session, app.id, chat_id),
        reply_parameters=reply,
    )


SENDERS = {
    outbox.HR_SUMMARY: _send_summary,
    outbox.HR_WITHDRAWN: _send_withdrawn,
    outbox.HR_DELETED: _send_deleted,
    outbox.APPLICANT_STATUS: _send_applicant_status,
    outbox.ADMIN_ALERT: _send_admin_alert,
    outbox.HR_CONVERSATION_DELETED: topics.send_conversation_deleted,
    outbox.BOOKING_OFFER: _send_booking_offer,
    outbox.BOOKING_NO_SLOTS: _send_booking_no_slots,
    outbox.BOOKING_CONFIRMED: _send_booking_confirmed,
    outbox.BOOKING_REMINDER: _send_booking_reminder,
    outbox.BOOKING_CANCELLED: _send_booking_cancelled,
    outbox.STAGE_RESULT: _send_stage_result,
    outbox.APPLICANT_HIRED: _send_applicant_hired,
    outbox.HR_NO_SLOTS: _send_hr_no_slots,
    outbox.HR_STAGE_EVENT: _send_hr_stage_event,
    **nudge_senders.SENDERS,  # HR's 48 h digest, «still under review», the drop-off reminder
}


async def _deliver_one(
    context: JobContext,
    row_id: int,
    now: datetime,
    blocked: dict[int, datetime],
    report: Report,
) -> None:
    async with context.session_factory() as session:
        work = await outbox.load(session, row_id)
        if work is None or work.row.delivered_at is not None:
            return
        row = work.row
        kind = row.kind
        chat_id = _target_chat(context, row, work.application.user_id if work.application else None)
        if chat_id is not None and chat_id in blocked:
            # Flood control for this chat: the rest of the round waits with it.
            await outbox.postpone(session, row_id, blocked[chat_id])
            report.postponed += 1
            return
        sender = SENDERS.get(kind)
        try:
            if sender is None:
                raise GiveUp("unknown kind")
            await sender(context, session, work, now)
        except GiveUp as exc:
            await session.rollback()
            await outbox.give_up(session, row_id, str(exc))
            report.gave_up += 1
            log.info("outbox row %d (%s) given up: %s", row_id, kind, exc)
            return
        except Wait as exc:
            await session.rollback()
            await outbox.postpone(session, row_id, exc.until)
            report.postponed += 1
            return
        except TelegramRetryAfter as exc:
            await session.rollback()
            until = now + timedelta(seconds=max(int(exc.retry_after), 1))
            if chat_id is not None:
                blocked[chat_id] = until
            await outbox.postpone(
                session, row_id, until, f"TelegramRetryAfter: {int(exc.retry_after)} s"
            )
            report.postponed += 1
            log.warning("outbox row %d (%s): flood control, %s s", row_id, kind, exc.retry_after)
            return
        except TelegramForbiddenError as exc:
            await session.rollback()
            if kind not in outbox.HR_KINDS:  # blocked the bot
                await outbox.give_up(session, row_id, type(exc).__name__)
                report.gave_up += 1
                log.info("outbox row %d (%s): the recipient blocked the bot", row_id, kind)
                return
            await _failed(session, row_id, kind, now, exc, report)
            log.warning("outbox row %d (%s): the bot may not write to the HR chat", row_id, kind)
            return
        except TelegramMigrateToChat as exc:
            await session.rollback()
            await _failed(session, row_id, kind, now, exc, report)
            log.error("The HR chat became a supergroup: set HR_CHAT_ID=%d", exc.migrate_to_chat_id)
            return
        except TelegramAPIError as exc:
            await session.rollback()
            await _failed(session, row_id, kind, now, exc, report)
            return
        except Exception as exc:  # a bug: never stop the other rows, never log data
            await session.rollback()
            await _failed(session, row_id, kind, now, exc, report)
            log.error("outbox row %d (%s): unexpected %s", row_id, kind, type(exc).__name__)
            return
        await outbox.mark_delivered(session, row_id, now)
        report.delivered += 1


async def _failed(
    session: AsyncSession,
    row_id: int,
    kind: str,
    now: datetime,
    exc: BaseException,
    report: Report,
) -> None:
    attempts, _ = await outbox.mark_failed(session, row_id, now, type(exc).__name__)
    report.failed += 1
    log.warning(
        "outbox row %d (%s) failed (%s), attempt %d", row_id, kind, type(exc).__name__, attempts
    )


def _lock_for(session_factory: async_sessionmaker[AsyncSession]) -> asyncio.Lock | None:
    """SQLite has one writer: rounds of one process take turns (PostgreSQL locks rows)."""
    bind = session_factory.kw.get("bind")
    if bind is None or bind.dialect.name != "sqlite":
        return None
    lock = _sqlite_locks.get(session_factory)
    if lock is None:
        lock = _sqlite_locks[session_factory] = asyncio.Lock()
    return lock


async def deliver_pending(
    context: JobContext, now: datetime | None = None, limit: int = 50
) -> Report:
    """Send the due outbox rows, oldest first; count what happened."""
    lock = _lock_for(context.session_factory)
    if lock is None:
        return await _round(context, now, limit)
    async with lock:
        return await _round(context, now, limit)


async def _round(context: JobContext, now: datetime | None, limit: int) -> Report:
    global _warned_no_hr_chat
    now = now or datetime.now(UTC)
    exclude: frozenset[str] = frozenset()
    if context.settings.hr_chat_id is None:
        exclude = outbox.HR_KINDS  # they wait until HR_CHAT_ID is set
        if not _warned_no_hr_chat:
            _warned_no_hr_chat = True
            log.warning("HR_CHAT_ID is not set: messages to HR wait in the outbox")
    report = Report()
    blocked: dict[int, datetime] = {}
    for row_id in await outbox.claim(context.session_factory, now, limit, exclude_kinds=exclude):
        await _deliver_one(context, row_id, now, blocked, report)
    if report.failed or report.postponed:  # an outage may be going on: tell the admins
        threshold = timedelta(minutes=context.settings.hr_outage_alert_minutes)
        async with context.session_factory() as session:
            report.alerts = await outbox.outage_alerts(
                session, now, context.settings.admin_ids, threshold
            )
    return report
