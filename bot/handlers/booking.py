"""The candidate's booking buttons: a slot of an offer (book, or move a booking there), and
✅ confirm / 🔁 reschedule / ✖ cancel under a confirmation or a reminder.

Every button carries ids only; ``bot.services.bookings`` checks the application or booking
is the presser's (``by=`` their Telegram id), so a forged or stale button changes nothing
and gets an alert."""

from __future__ import annotations

from contextlib import suppress

from aiogram import Bot, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.deps import Deps
from bot.i18n import Localizer
from bot.keyboards.booking import slots_keyboard
from bot.keyboards.callbacks import BookingAction, BookingActionCb, BookSlotCb
from bot.rendering import booking as texts
from bot.services import bookings
from bot.services.bookings import ActionOutcome, BookOutcome

# A refused booking whose slot is gone or full: the alert, and the offer shown afresh.
REFRESHED = {
    BookOutcome.full: "booking.answer.full",
    BookOutcome.cancelled: "booking.answer.cancelled_slot",
    BookOutcome.too_late: "booking.answer.too_soon",
}


async def _edit(
    callback: CallbackQuery, text: str | None, markup: InlineKeyboardMarkup | None
) -> None:
    """Change the pressed message (its text too when given); an old one may be gone."""
    message = callback.message
    if not isinstance(message, Message):
        return
    with suppress(TelegramBadRequest):  # unchanged, or too old to edit
        if text is None:
            await message.edit_reply_markup(reply_markup=markup)
        else:
            await message.edit_text(text, reply_markup=markup)


async def slot_button(
    callback: CallbackQuery,
    callback_data: BookSlotCb,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    user = callback.from_user.id
    quiet = deps.settings.quiet_hours
    moving = callback_data.booking != 0
    if moving:
        result = await bookings.reschedule(
            session, callback_data.booking, callback_data.slot, by=user, quiet_hours=quiet
        )
    else:
        result = await bookings.book(
            session, callback_data.app, callback_data.slot, by=user, quiet_hours=quiet
        )
    outcome = result.outcome
    if outcome in (BookOutcome.booked, BookOutcome.rescheduled) and result.slot is not None:
        deps.kick_outbox()  # the confirmation and the .ics go out now
        key = "booking.answer.rescheduled" if moving else "booking.answer.booked"
        await callback.answer(i18n(key, **texts.when(result.slot)))
        stage = await bookings.stage_of(session, result.slot.stage_id)
        await _edit(callback, texts.chosen_text(i18n, stage, result.slot), None)
        return
    if outcome is BookOutcome.same:
        await callback.answer(i18n("booking.answer.same"))
        return
    if outcome is BookOutcome.already_booked:
        await callback.answer(i18n("booking.answer.already_booked"), show_alert=True)
        return
    if outcome is BookOutcome.too_late and moving:
        # Past the stage's cut-off: the booking stays, the message too.
        await callback.answer(i18n("booking.answer.too_late_reschedule"), show_alert=True)
        return
    if outcome in REFRESHED:
        await callback.answer(i18n(REFRESHED[outcome]), show_alert=True)
        if moving:
            choices = await bookings.reschedule_choices(session, callback_data.booking, by=user)
            slots = list(choices.slots)
        else:
            slots = await bookings.offer_for(session, callback_data.app, by=user)
        markup = slots_keyboard(i18n, callback_data.app, slots, booking_id=callback_data.booking)
        await _edit(callback, None, markup)
        return
    await callback.answer(i18n("booking.answer.stale"), show_alert=True)


async def action_button(
    callback: CallbackQuery,
    callback_data: BookingActionCb,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    user, booking_id = callback.from_user.id, callback_data.booking
    action = callback_data.action
    if action is BookingAction.reschedule:
        await _reschedule(callback, booking_id, user, session, i18n)
        return
    if action is BookingAction.confirm:
        result = await bookings.confirm(session, booking_id, by=user)
        answers = {
            ActionOutcome.done: "booking.answer.confirmed",
            ActionOutcome.same: "booking.answer.confirmed_same",
        }
    else:
        result = await bookings.cancel(session, booking_id, by=user)
        answers = {
            ActionOutcome.done: "booking.answer.cancelled",
            ActionOutcome.same: "booking.answer.cancelled_same",
        }
    if result.outcome in answers:
        await callback.answer(i18n(answers[result.outcome]))
    elif result.outcome is ActionOutcome.too_late:
        await callback.answer(i18n("booking.answer.too_late"), show_alert=True)
    else:
        await callback.answer(i18n("booking.answer.stale"), show_alert=True)
    if result.outcome is not ActionOutcome.done or result.booking is None:
        return
    deps.kick_outbox()  # HR hear of it now
    if action is BookingAction.confirm:
        await _edit(callback, None, None)  # answered: the reminder's buttons go
        return
    # Cancelled: the message says so and offers the stage's other times to book anew.
    details = await bookings.booking_details(session, booking_id)
    if details is None:
        return
    booking, slot, stage = details
    slots = await bookings.offer_for(session, booking.application_id, by=user)
    text = texts.cancelled_text(i18n, stage, slot, "by_you")
    if slots:
        text += "\n\n" + i18n("booking.offer.again")
    await _edit(callback, text, slots_keyboard(i18n, booking.application_id, slots))


async def _reschedule(
    callback: CallbackQuery, booking_id: int, user: int, session: AsyncSession, i18n: Localizer
) -> None:
    """The stage's other open slots as a new message (the reminder stays as it is)."""
    choices = await bookings.reschedule_choices(session, booking_id, by=user)
    if choices.outcome is ActionOutcome.too_late:
        await callback.answer(i18n("booking.answer.too_late_reschedule"), show_alert=True)
        return
    details = await bookings.booking_details(session, booking_id)
    if choices.outcome is not ActionOutcome.done or details is None:
        await callback.answer(i18n("booking.answer.stale"), show_alert=True)
        return
    booking, slot, stage = details
    if not choices.slots:
        await callback.answer(texts.reschedule_text(i18n, stage, slot, any_=False), show_alert=True)
        return
    await callback.answer()
    markup = slots_keyboard(i18n, booking.application_id, choices.slots, booking_id=booking.id)
    bot: Bot | None = callback.bot
    if bot is not None:
        await bot.send_message(
            user, texts.reschedule_text(i18n, stage, slot, any_=True), reply_markup=markup
        )


def create_router() -> Router:
    router = Router(name="booking")
    router.callback_query.register(slot_button, BookSlotCb.filter())
    router.callback_query.register(action_button, BookingActionCb.filter())
    return router
