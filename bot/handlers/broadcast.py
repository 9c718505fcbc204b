"""HR's /broadcast (compose an announcement to the subscribers) and /broadcasts (the list).

The composer is a persisted StatesGroup with Back and Cancel at every step:

    mode (one text / two versions) → text, or text_kk → text_ru → photo (optional)
    → audience (all subscribers / departments → multi-select) → preview
    → «Send now» (created and started at once) or «Schedule» → a typed date and time
      (Asia/Almaty) → created ``scheduled`` with the job ``broadcast:<id>``.

Texts keep HR's formatting (``Message.html_text``: entities as HTML, the rest escaped).
Everything here is HR only (``hr_router``). Sending is the delivery engine's
(``bot.broadcast``); the runner comes from the workflow data ``broadcast_runner`` (tests
inject a fake) or the one registered at start-up.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession

from bot.announcer import Starter, post_to_channel, schedule_broadcast, unschedule
from bot.broadcast import service
from bot.broadcast.runner import get_runner
from bot.broadcast.service import BroadcastStateError, CaptionTooLong, Content
from bot.catalogue.service import CatalogueService
from bot.config import Settings
from bot.db.models import Broadcast, BroadcastStatus
from bot.filters import hr_router
from bot.handlers.common import show
from bot.i18n import Localizer, Translator
from bot.keyboards.broadcast import (
    audience_keyboard,
    broadcasts_keyboard,
    confirm_cancel_keyboard,
    departments_keyboard,
    mode_keyboard,
    photo_keyboard,
    preview_keyboard,
    text_keyboard,
)
from bot.keyboards.callbacks import (
    BroadcastAction,
    BroadcastCb,
    BroadcastListAction,
    BroadcastListCb,
)
from bot.rendering.messages import TELEGRAM_TEXT_LIMIT, escape, split_blocks
from bot.services import subscriptions
from bot.services.announcements import TIMEZONE, telegram_length
from bot.services.schedule_parse import ScheduleError, parse_schedule

PHOTO_LIMIT: Final = 10 * 1024 * 1024  # Telegram sends photos up to 10 MB
LIST_LIMIT: Final = 10
TIME_FORMAT: Final = "%d.%m.%Y %H:%M"

# FSM data of the composer (set to None when it ends: the person's other data stays).
MODE, TEXT_KK, TEXT_RU, LEN_KK, LEN_RU, PHOTO, AUDIENCE, CHOSEN = (
    "bc_mode",
    "bc_text_kk",
    "bc_text_ru",
    "bc_len_kk",
    "bc_len_ru",
    "bc_photo",
    "bc_audience",
    "bc_chosen",
)
KEYS: Final = (MODE, TEXT_KK, TEXT_RU, LEN_KK, LEN_RU, PHOTO, AUDIENCE, CHOSEN)
ONE, TWO = "one", "two"
ALL, SOME = "all", "some"


class BroadcastStates(StatesGroup):
    mode = State()
    text = State()  # one text for both languages
    text_kk = State()
    text_ru = State()
    photo = State()
    audience = State()
    departments = State()
    preview = State()
    schedule = State()


STATES: Final = {s.state or "": s for s in BroadcastStates.__all_states__}
COMPOSER: Final = frozenset(STATES)
TEXT_STATES: Final = (BroadcastStates.text, BroadcastStates.text_kk, BroadcastStates.text_ru)
# Which buttons each step has: anything else is an old or forged button.
ALLOWED: Final = {
    BroadcastStates.mode.state: {BroadcastAction.one_text, BroadcastAction.two_texts},
    BroadcastStates.text.state: {BroadcastAction.keep, BroadcastAction.back},
    BroadcastStates.text_kk.state: {BroadcastAction.keep, BroadcastAction.back},
    BroadcastStates.text_ru.state: {BroadcastAction.keep, BroadcastAction.back},
    BroadcastStates.photo.state: {
        BroadcastAction.keep,
        BroadcastAction.no_photo,
        BroadcastAction.back,
    },
    BroadcastStates.audience.state: {
        BroadcastAction.audience_all,
        BroadcastAction.audience_choose,
        BroadcastAction.back,
    },
    BroadcastStates.departments.state: {
        BroadcastAction.toggle,
        BroadcastAction.done,
        BroadcastAction.back,
    },
    BroadcastStates.preview.state: {
        BroadcastAction.send_now,
        BroadcastAction.schedule,
        BroadcastAction.back,
    },
    BroadcastStates.schedule.state: {BroadcastAction.back},
}


def _local(moment: datetime) -> str:
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(TIMEZONE).strftime(TIME_FORMAT)


def _with_note(note: str, text: str) -> str:
    return f"{note}\n\n{text}" if note else text


def _department_names(i18n: Localizer, catalogue: CatalogueService, ids: list[str]) -> str:
    names = []
    for department_id in ids:
        department = catalogue.department(department_id)
        if department is not None:
            names.append(escape(department.name.get(i18n.lang)))
    return "; ".join(names)


def _chosen(data: dict[str, Any], catalogue: CatalogueService) -> list[str]:
    raw = data.get(CHOSEN)
    picked = {d for d in raw if isinstance(d, str)} if isinstance(raw, list) else set()
    return subscriptions.clean_departments(picked, [d.id for d in catalogue.catalogue.departments])


def _departments(data: dict[str, Any], catalogue: CatalogueService) -> list[str] | None:
    """The audience: None for every subscriber."""
    return _chosen(data, catalogue) if data.get(AUDIENCE) == SOME else None


async def _leave(state: FSMContext) -> None:
    await state.set_state(None)
    await state.update_data(dict.fromkeys(KEYS))


# --- the steps ------------------------------------------------------------------------------


def _content(data: dict[str, Any]) -> Content:
    """The draft as the broadcast will send it; CaptionTooLong when it cannot be sent."""
    photo = data.get(PHOTO)
    return service.message_content(
        str(data.get(TEXT_KK) or ""),
        str(data.get(TEXT_RU) or ""),
        photo if isinstance(photo, str) else None,
    )


async def _caption_refused(
    event: Message | CallbackQuery,
    state: FSMContext,
    data: dict[str, Any],
    i18n: Localizer,
    catalogue: CatalogueService,
    session: AsyncSession,
) -> bool:
    """True, with the photo step shown again and why, when the draft's text is too long to
    be its photo's caption (checked on every way a text and a photo come together)."""
    try:
        _content(data)
    except CaptionTooLong as error:
        note = i18n("broadcast.error.caption_too_long", length=error.length)
        await _step(event, state, BroadcastStates.photo, i18n, catalogue, session, note)
        return True
    return False


async def _step(
    event: Message | CallbackQuery,
    state: FSMContext,
    step: State,
    i18n: Localizer,
    catalogue: CatalogueService,
    session: AsyncSession,
    note: str = "",
) -> None:
    """Go to ``step`` and show it (with ``note`` above, e.g. what was wrong)."""
    await state.set_state(step)
    data = await state.get_data()
    if step == BroadcastStates.mode:
        await show(event, _with_note(note, i18n("broadcast.mode_prompt")), mode_keyboard(i18n))
    elif step in TEXT_STATES:
        key = {
            BroadcastStates.text.state: ("broadcast.text_prompt", TEXT_RU),
            BroadcastStates.text_kk.state: ("broadcast.text_kk_prompt", TEXT_KK),
            BroadcastStates.text_ru.state: ("broadcast.text_ru_prompt", TEXT_RU),
        }[step.state or ""]
        can_keep = isinstance(data.get(key[1]), str)
        await show(event, _with_note(note, i18n(key[0])), text_keyboard(i18n, can_keep))
    elif step == BroadcastStates.photo:
        has_photo = isinstance(data.get(PHOTO), str)
        text = i18n("broadcast.photo_prompt")
        if has_photo:
            text = f"{i18n('broadcast.has_photo')}\n{text}"
        await show(event, _with_note(note, text), photo_keyboard(i18n, has_photo))
    elif step == BroadcastStates.audience:
        await show(
            event, _with_note(note, i18n("broadcast.audience_prompt")), audience_keyboard(i18n)
        )
    elif step == BroadcastStates.departments:
        await show(
            event,
            _with_note(note, i18n("broadcast.departments_prompt")),
            departments_keyboard(i18n, catalogue.catalogue.departments, _chosen(data, catalogue)),
        )
    elif step == BroadcastStates.preview:
        if not await _caption_refused(event, state, data, i18n, catalogue, session):
            await _preview(event, data, i18n, catalogue, session, note)
    elif step == BroadcastStates.schedule:
        await show(
            event,
            _with_note(note, i18n("broadcast.schedule_prompt")),
            text_keyboard(i18n, can_keep=False),
        )


async def _preview(
    event: Message | CallbackQuery,
    data: dict[str, Any],
    i18n: Localizer,
    catalogue: CatalogueService,
    session: AsyncSession,
    note: str,
) -> None:
    """Exactly what a Kazakh and a Russian subscriber get, then the summary and the buttons."""
    bot = event.bot
    assert bot is not None
    if isinstance(event, CallbackQuery):
        await event.answer()
        chat_id = event.message.chat.id if event.message else event.from_user.id
    else:
        chat_id = event.chat.id
    content = _content(data)  # the very texts and photo «Send now» / «Schedule» will store
    text_kk, text_ru, photo = content.text_kk, content.text_ru, content.photo_file_id
    versions = (
        [("broadcast.preview.both", text_ru)]
        if text_kk == text_ru
        else [("broadcast.preview.kk", text_kk), ("broadcast.preview.ru", text_ru)]
    )
    if note:
        await bot.send_message(chat_id, note)
    for header, text in versions:
        await bot.send_message(chat_id, i18n(header))
        if photo:
            await bot.send_photo(chat_id, photo, caption=text)
        else:
            await bot.send_message(chat_id, text)
    departments = _departments(data, catalogue)
    audience = (
        i18n("broadcast.audience.all")
        if departments is None
        else i18n(
            "broadcast.audience.departments",
            names=_department_names(i18n, catalogue, departments),
        )
    )
    count = await subscriptions.count_for(session, departments)
    await bot.send_message(
        chat_id,
        i18n("broadcast.preview.summary", audience=audience, count=count),
        reply_markup=preview_keyboard(i18n),
    )


def _previous(step: str | None, data: dict[str, Any]) -> State:
    two = data.get(MODE) == TWO
    last_text = BroadcastStates.text_ru if two else BroadcastStates.text
    return {
        BroadcastStates.text.state: BroadcastStates.mode,
        BroadcastStates.text_kk.state: BroadcastStates.mode,
        BroadcastStates.text_ru.state: BroadcastStates.text_kk,
        BroadcastStates.photo.state: last_text,
        BroadcastStates.audience.state: BroadcastStates.photo,
        BroadcastStates.departments.state: BroadcastStates.audience,
        BroadcastStates.preview.state: BroadcastStates.departments
        if data.get(AUDIENCE) == SOME
        else BroadcastStates.audience,
        BroadcastStates.schedule.state: BroadcastStates.preview,
    }.get(step or "", BroadcastStates.mode)


def _after_text(step: str | None) -> State:
    return (
        BroadcastStates.text_ru if step == BroadcastStates.text_kk.state else BroadcastStates.photo
    )


# --- entry points ---------------------------------------------------------------------------


async def broadcast_command(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
) -> None:
    await _leave(state)
    await _step(message, state, BroadcastStates.mode, i18n, catalogue, session)


async def composer_button(
    callback: CallbackQuery,
    callback_data: BroadcastCb,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
    settings: Settings,
    translator: Translator,
    bot: Bot,
    scheduler: AsyncIOScheduler | None = None,
    broadcast_runner: Starter | None = None,
) -> None:
    current = await state.get_state()
    action = callback_data.action
    if current not in COMPOSER:
        await callback.answer(i18n("broadcast.stale"), show_alert=True)
        return
    if action is BroadcastAction.cancel:
        await _leave(state)
        await show(callback, i18n("broadcast.cancelled"))
        return
    if action not in ALLOWED.get(current or "", set()):
        await callback.answer(i18n("broadcast.stale_step"), show_alert=True)
        return
    data = await state.get_data()

    async def go(step: State, note: str = "") -> None:
        await _step(callback, state, step, i18n, catalogue, session, note)

    if action is BroadcastAction.back:
        await go(_previous(current, data))
    elif action is BroadcastAction.one_text:
        await state.update_data({MODE: ONE})
        await go(BroadcastStates.text)
    elif action is BroadcastAction.two_texts:
        await state.update_data({MODE: TWO})
        await go(BroadcastStates.text_kk)
    elif action is BroadcastAction.keep:
        if current == BroadcastStates.photo.state:
            # The photo kept under a text given since (Back): it must still fit as a caption.
            if not await _caption_refused(callback, state, data, i18n, catalogue, session):
                await go(BroadcastStates.audience)
        else:
            key = TEXT_KK if current == BroadcastStates.text_kk.state else TEXT_RU
            if not isinstance(data.get(key), str):  # nothing to keep: ask for the text
                await go(STATES[current or ""], i18n("broadcast.error.empty"))
                return
            if current == BroadcastStates.text.state:  # one text: the same for both again
                await state.update_data({TEXT_KK: data[TEXT_RU], LEN_KK: data.get(LEN_RU)})
            await go(_after_text(current))
    elif action is BroadcastAction.no_photo:
        await state.update_data({PHOTO: None})
        await go(BroadcastStates.audience)
    elif action is BroadcastAction.audience_all:
        await state.update_data({AUDIENCE: ALL})
        await go(BroadcastStates.preview)
    elif action is BroadcastAction.audience_choose:
        await state.update_data({AUDIENCE: SOME})
        await go(BroadcastStates.departments)
    elif action is BroadcastAction.toggle:
        chosen = _chosen(data, catalogue)
        if catalogue.department(callback_data.dept) is None:
            await go(BroadcastStates.departments, i18n("broadcast.stale_step"))
            return
        if callback_data.dept in chosen:
            chosen.remove(callback_data.dept)
        else:
            chosen.append(callback_data.dept)
        await state.update_data({CHOSEN: chosen})
        await go(BroadcastStates.departments)
    elif action is BroadcastAction.done:
        if not _chosen(data, catalogue):
            await go(BroadcastStates.departments, i18n("broadcast.error.no_departments"))
            return
        await go(BroadcastStates.preview)
    elif action is BroadcastAction.send_now:
        runner = broadcast_runner if broadcast_runner is not None else get_runner()
        if runner is None:
            await callback.answer(i18n("broadcast.error.no_runner"), show_alert=True)
            return
        if await _caption_refused(callback, state, data, i18n, catalogue, session):
            return
        await _leave(state)  # first: a second press of «Send now» finds no draft
        broadcast = await _create(callback, data, session, catalogue, scheduled_at=None)
        try:
            await runner.start_now(broadcast.id)
        except BroadcastStateError:  # cancelled in between (cannot happen to a new one)
            await show(callback, i18n("broadcast.stale"))
            return
        await show(callback, i18n("broadcast.started", id=broadcast.id))
        await post_to_channel(bot, settings, translator, broadcast)
    elif action is BroadcastAction.schedule:
        if scheduler is None:
            await callback.answer(i18n("broadcast.error.no_scheduler"), show_alert=True)
            return
        if not await _caption_refused(callback, state, data, i18n, catalogue, session):
            await go(BroadcastStates.schedule)


async def _create(
    event: Message | CallbackQuery,
    data: dict[str, Any],
    session: AsyncSession,
    catalogue: CatalogueService,
    scheduled_at: datetime | None,
) -> Broadcast:
    user = event.from_user
    if isinstance(event, CallbackQuery):
        chat_id = event.message.chat.id if event.message else event.from_user.id
    else:
        chat_id = event.chat.id
    content = _content(data)
    return await service.create_broadcast(
        session,
        kind="manual",
        text_kk=content.text_kk,
        text_ru=content.text_ru,
        photo_file_id=content.photo_file_id,
        departments=_departments(data, catalogue),
        created_by=user.id if user else None,
        scheduled_at=None if scheduled_at is None else scheduled_at.astimezone(UTC),
        progress_chat_id=chat_id,
    )


# --- typed input ----------------------------------------------------------------------------


async def text_typed(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
) -> None:
    current = await state.get_state()
    step = STATES[current or ""]
    plain = message.text or ""
    if not plain.strip():
        await _step(message, state, step, i18n, catalogue, session, i18n("broadcast.error.empty"))
        return
    length = telegram_length(plain)
    if length > TELEGRAM_TEXT_LIMIT:
        note = i18n("broadcast.error.too_long", length=length, limit=TELEGRAM_TEXT_LIMIT)
        await _step(message, state, step, i18n, catalogue, session, note)
        return
    html = message.html_text  # HR's bold, links...: entities as HTML, the rest escaped
    if current == BroadcastStates.text.state:
        update = {TEXT_KK: html, TEXT_RU: html, LEN_KK: length, LEN_RU: length}
    elif current == BroadcastStates.text_kk.state:
        update = {TEXT_KK: html, LEN_KK: length}
    else:
        update = {TEXT_RU: html, LEN_RU: length}
    await state.update_data(update)
    await _step(message, state, _after_text(current), i18n, catalogue, session)


async def not_text(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
) -> None:
    step = STATES[await state.get_state() or ""]
    await _step(message, state, step, i18n, catalogue, session, i18n("broadcast.error.not_text"))


async def photo_sent(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
) -> None:
    assert message.photo
    largest = message.photo[-1]
    if largest.file_size is not None and largest.file_size > PHOTO_LIMIT:
        size = f"{largest.file_size / 1024 / 1024:.1f}"
        note = i18n("broadcast.error.photo_too_big", size=size)
        await _step(message, state, BroadcastStates.photo, i18n, catalogue, session, note)
        return
    data = await state.get_data()
    if await _caption_refused(
        message, state, {**data, PHOTO: largest.file_id}, i18n, catalogue, session
    ):
        return
    await state.update_data({PHOTO: largest.file_id})
    await _step(message, state, BroadcastStates.audience, i18n, catalogue, session)


async def not_photo(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
) -> None:
    note = i18n("broadcast.error.not_photo")
    await _step(message, state, BroadcastStates.photo, i18n, catalogue, session, note)


async def use_buttons(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
) -> None:
    """A message where the step has buttons (audience, departments, preview)."""
    step = STATES[await state.get_state() or ""]
    await _step(message, state, step, i18n, catalogue, session, i18n("broadcast.use_buttons"))


async def schedule_typed(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
    scheduler: AsyncIOScheduler | None = None,
) -> None:
    try:
        when = parse_schedule(message.text or "", datetime.now(UTC))
    except ScheduleError as error:
        note = i18n(f"broadcast.error.{error.code}")
        await _step(message, state, BroadcastStates.schedule, i18n, catalogue, session, note)
        return
    if scheduler is None:
        note = i18n("broadcast.error.no_scheduler")
        await _step(message, state, BroadcastStates.preview, i18n, catalogue, session, note)
        return
    data = await state.get_data()
    await _leave(state)
    broadcast = await _create(message, data, session, catalogue, scheduled_at=when)
    schedule_broadcast(scheduler, broadcast.id, when)
    await message.answer(i18n("broadcast.scheduled", id=broadcast.id, when=_local(when)))


async def schedule_not_text(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
) -> None:
    note = i18n("broadcast.error.unparsable")
    await _step(message, state, BroadcastStates.schedule, i18n, catalogue, session, note)


# --- /broadcasts ----------------------------------------------------------------------------


def _item(i18n: Localizer, catalogue: CatalogueService, broadcast: Broadcast) -> str:
    times = [i18n("broadcast.list.created", when=_local(broadcast.created_at))]
    if broadcast.scheduled_at is not None:
        times.append(i18n("broadcast.list.scheduled_at", when=_local(broadcast.scheduled_at)))
    if broadcast.started_at is not None:
        times.append(i18n("broadcast.list.started_at", when=_local(broadcast.started_at)))
    if broadcast.finished_at is not None:
        times.append(i18n("broadcast.list.finished_at", when=_local(broadcast.finished_at)))
    departments = broadcast.departments
    audience = (
        i18n("broadcast.audience.all")
        if not departments
        else i18n(
            "broadcast.audience.departments",
            names=_department_names(i18n, catalogue, list(departments)),
        )
    )
    return i18n(
        "broadcast.list.item",
        id=broadcast.id,
        kind=i18n(f"broadcast.kind.{broadcast.kind}"),
        status=i18n(f"broadcast.status.{broadcast.status}"),
        audience=audience,
        total=broadcast.total,
        sent=broadcast.sent_count,
        failed=broadcast.failed_count,
        times=" · ".join(times),
    )


async def _list(
    event: Message | CallbackQuery,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
    note: str = "",
) -> None:
    broadcasts = await service.list_broadcasts(session, LIST_LIMIT)
    if not broadcasts:
        await show(event, _with_note(note, i18n("broadcast.list.empty")))
        return
    blocks = [i18n("broadcast.list.title", count=len(broadcasts))]
    if note:
        blocks.insert(0, note)
    blocks += [_item(i18n, catalogue, b) for b in broadcasts]
    blocks.append(i18n("broadcast.list.footer"))
    scheduled = [b.id for b in broadcasts if b.status == BroadcastStatus.scheduled]
    await show(event, split_blocks(blocks), broadcasts_keyboard(i18n, scheduled))


async def broadcasts_command(
    message: Message, session: AsyncSession, i18n: Localizer, catalogue: CatalogueService
) -> None:
    await _list(message, session, i18n, catalogue)


async def list_button(
    callback: CallbackQuery,
    callback_data: BroadcastListCb,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
    scheduler: AsyncIOScheduler | None = None,
) -> None:
    action, broadcast_id = callback_data.action, callback_data.broadcast
    if action is BroadcastListAction.list:
        await _list(callback, session, i18n, catalogue)
        return
    broadcast = await service.get_broadcast(session, broadcast_id)
    if broadcast is None or broadcast.status != BroadcastStatus.scheduled:
        note = i18n("broadcast.cancel_failed", id=broadcast_id)
        await _list(callback, session, i18n, catalogue, note)
        return
    if action is BroadcastListAction.cancel:
        await show(
            callback,
            i18n("broadcast.confirm_cancel", id=broadcast_id),
            confirm_cancel_keyboard(i18n, broadcast_id),
        )
        return
    if not await service.cancel(session, broadcast_id):
        await _list(
            callback, session, i18n, catalogue, i18n("broadcast.cancel_failed", id=broadcast_id)
        )
        return
    unschedule(scheduler, broadcast_id)
    await _list(callback, session, i18n, catalogue, i18n("broadcast.cancel_done", id=broadcast_id))


def create_router() -> Router:
    router = hr_router("broadcast")
    router.message.register(broadcast_command, Command("broadcast"))
    router.message.register(broadcasts_command, Command("broadcasts"))
    router.callback_query.register(composer_button, BroadcastCb.filter())
    router.callback_query.register(list_button, BroadcastListCb.filter())
    not_a_command = ~(F.text.startswith("/"))
    router.message.register(text_typed, StateFilter(*TEXT_STATES), F.text, not_a_command)
    router.message.register(not_text, StateFilter(*TEXT_STATES), not_a_command)
    router.message.register(photo_sent, StateFilter(BroadcastStates.photo), F.photo)
    router.message.register(not_photo, StateFilter(BroadcastStates.photo), not_a_command)
    router.message.register(
        schedule_typed, StateFilter(BroadcastStates.schedule), F.text, not_a_command
    )
    router.message.register(schedule_not_text, StateFilter(BroadcastStates.schedule), not_a_command)
    router.message.register(
        use_buttons,
        StateFilter(
            BroadcastStates.mode,
            BroadcastStates.audience,
            BroadcastStates.departments,
            BroadcastStates.preview,
        ),
        not_a_command,
    )
    return router
