"""The broadcast composer's windows; what they show is loaded by the getters, what the
buttons and inputs do is one call of ``bot.services.broadcasts`` (or the runner, the
scheduler) each. The draft is the dialog's data: kept across Back and a restart."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Final

from aiogram import Bot, F
from aiogram.enums import ContentType
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, Window
from aiogram_dialog.api.protocols import CancelEventProcessing
from aiogram_dialog.widgets.input import ManagedTextInput, MessageInput, TextInput
from aiogram_dialog.widgets.kbd import Button, Column, ManagedMultiselect, Row
from aiogram_dialog.widgets.text import Format, Text

from bot.catalogue.service import CatalogueService
from bot.db.models import Broadcast
from bot.deps import Starter
from bot.dialogs.widgets import (
    L,
    department_items,
    departments_choice,
    deps_of,
    item_name,
    localizer,
    session_of,
)
from bot.filters import HROnly
from bot.rendering.broadcasts import audience_text
from bot.rendering.hr import local_time
from bot.sending.channel import post_to_channel
from bot.services import broadcasts, subscriptions
from bot.services.broadcasts import BroadcastStateError, CaptionTooLong, Content, TextRefused
from bot.services.schedule_parse import ScheduleError, parse_schedule

# The dialog's data: the draft and a note shown once above the next window.
MODE, TEXT_KK, TEXT_RU, PHOTO, AUDIENCE, NOTE = (
    "mode",
    "text_kk",
    "text_ru",
    "photo",
    "audience",
    "note",
)
PICKER = "departments"
ONE, TWO = "one", "two"
ALL, SOME = "all", "some"

TEXT_ERRORS: Final = {"empty": "broadcast.error.empty", "too_long": "broadcast.error.too_long"}
SCHEDULE_ERRORS: Final = {
    "unparsable": "broadcast.error.unparsable",
    "no_time": "broadcast.error.no_time",
    "past": "broadcast.error.past",
    "too_far": "broadcast.error.too_far",
}


class BroadcastSG(StatesGroup):
    mode = State()
    text = State()  # one text for both languages
    text_kk = State()
    text_ru = State()
    photo = State()
    audience = State()
    departments = State()
    preview = State()
    schedule = State()


# --- the draft ------------------------------------------------------------------------------


def _catalogue(manager: DialogManager) -> CatalogueService:
    return deps_of(manager).catalogue


def _picker(manager: DialogManager) -> ManagedMultiselect[str]:
    picker = manager.find(PICKER)
    assert isinstance(picker, ManagedMultiselect)
    return picker


def _note(manager: DialogManager, key: str, **params: Any) -> None:
    manager.dialog_data[NOTE] = [key, params]


def _text(manager: DialogManager, key: str) -> str | None:
    value = manager.dialog_data.get(key)
    return value if isinstance(value, str) else None


def _chosen(manager: DialogManager) -> list[str]:
    known = [d.id for d in _catalogue(manager).catalogue.departments]
    return subscriptions.clean_departments(_picker(manager).get_checked(), known)


def _departments(manager: DialogManager) -> list[str] | None:
    """The audience: None for every subscriber."""
    return _chosen(manager) if manager.dialog_data.get(AUDIENCE) == SOME else None


def _content(manager: DialogManager, photo: str | None = None) -> Content | None:
    """The draft as the broadcast will send it (with ``photo`` instead of the draft's when
    given); None, with the photo step to be shown again and why, when the text is too long
    to be its photo's caption (checked on every way a text and a photo come together)."""
    try:
        return broadcasts.message_content(
            _text(manager, TEXT_KK) or "",
            _text(manager, TEXT_RU) or "",
            photo or _text(manager, PHOTO),
        )
    except CaptionTooLong as error:
        _note(manager, "broadcast.error.caption_too_long", length=error.length)
        return None


async def _to_photo_step(manager: DialogManager) -> None:
    if manager.current_context().state == BroadcastSG.photo:
        return  # shown again with the note
    await manager.switch_to(BroadcastSG.photo)


async def _checked_content(manager: DialogManager) -> Content | None:
    """The draft's content; None, with the photo step shown again and why, when its text
    cannot be its photo's caption."""
    content = _content(manager)
    if content is None:
        await _to_photo_step(manager)
    return content


async def _to_preview(manager: DialogManager) -> None:
    """Exactly what a Kazakh and a Russian subscriber get, as new messages, then the
    summary window with the buttons below them."""
    content = await _checked_content(manager)
    if content is None:
        return
    i18n = localizer(manager)
    bot: Bot = manager.middleware_data["bot"]
    chat_id: int = manager.middleware_data["event_chat"].id
    versions = (
        [("broadcast.preview.both", content.text_ru)]
        if content.text_kk == content.text_ru
        else [("broadcast.preview.kk", content.text_kk), ("broadcast.preview.ru", content.text_ru)]
    )
    if isinstance(manager.event, CallbackQuery):
        await manager.event.answer()
    for header, text in versions:
        await bot.send_message(chat_id, i18n(header))
        if content.photo_file_id:
            await bot.send_photo(chat_id, content.photo_file_id, caption=text)
        else:
            await bot.send_message(chat_id, text)
    manager.show_mode = ShowMode.SEND  # below the preview
    await manager.switch_to(BroadcastSG.preview)


async def _create(
    manager: DialogManager, content: Content, scheduled_at: datetime | None
) -> Broadcast:
    user = manager.middleware_data["event_from_user"]
    return await broadcasts.create_broadcast(
        session_of(manager),
        kind="manual",
        text_kk=content.text_kk,
        text_ru=content.text_ru,
        photo_file_id=content.photo_file_id,
        departments=_departments(manager),
        created_by=user.id,
        scheduled_at=None if scheduled_at is None else scheduled_at.astimezone(UTC),
        progress_chat_id=manager.middleware_data["event_chat"].id,
    )


async def _submit(manager: DialogManager, scheduled_at: datetime | None) -> Broadcast | None:
    """The draft becomes a broadcast and the composer closes (a second press finds no
    draft); None: the photo step again (:func:`_checked_content`)."""
    content = await _checked_content(manager)
    if content is None:
        return None
    broadcast = await _create(manager, content, scheduled_at)
    await _close(manager)
    return broadcast


async def _say(callback: CallbackQuery, text: str) -> None:
    """The pressed message says what happened (the dialog is closed)."""
    from bot.handlers.common import show  # the handlers' helper (they import the dialogs)

    await show(callback, text)


async def _close(manager: DialogManager) -> None:
    """The draft is gone: a second press of its buttons is a stale one."""
    manager.show_mode = ShowMode.NO_UPDATE  # the handler says what happened instead
    await manager.done()


# --- getters --------------------------------------------------------------------------------


async def common_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    """The note (once), and what may be kept from before (after Back)."""
    raw = dialog_manager.dialog_data.pop(NOTE, None)
    note = ""
    if isinstance(raw, list) and len(raw) == 2 and isinstance(raw[0], str):
        params = raw[1] if isinstance(raw[1], dict) else {}
        note = localizer(dialog_manager)(raw[0], **params) + "\n"
    state = dialog_manager.current_context().state
    keep = TEXT_KK if state == BroadcastSG.text_kk else TEXT_RU
    return {
        "note": note,
        "can_keep": _text(dialog_manager, keep) is not None,
        "has_photo": _text(dialog_manager, PHOTO) is not None,
    }


async def departments_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    lang = localizer(dialog_manager).lang
    return {
        "departments": department_items(_catalogue(dialog_manager), lang),
        "ticked": len(_chosen(dialog_manager)),
    }


async def preview_getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    i18n = localizer(dialog_manager)
    departments = _departments(dialog_manager)
    audience = audience_text(i18n, _catalogue(dialog_manager), departments)
    count = await subscriptions.count_for(session_of(dialog_manager), departments)
    return {"audience": audience, "count": count}


# --- buttons --------------------------------------------------------------------------------


def _previous(manager: DialogManager) -> State:
    data = manager.dialog_data
    state = manager.current_context().state
    if state == BroadcastSG.text_ru:
        return BroadcastSG.text_kk
    if state == BroadcastSG.photo:
        return BroadcastSG.text_ru if data.get(MODE) == TWO else BroadcastSG.text
    if state == BroadcastSG.audience:
        return BroadcastSG.photo
    if state == BroadcastSG.departments:
        return BroadcastSG.audience
    if state == BroadcastSG.preview:
        return BroadcastSG.departments if data.get(AUDIENCE) == SOME else BroadcastSG.audience
    return BroadcastSG.mode


async def on_back(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    if manager.current_context().state == BroadcastSG.schedule:
        await _to_preview(manager)  # the preview again: what will be sent
        return
    await manager.switch_to(_previous(manager))


async def on_cancel(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await _close(manager)
    await _say(callback, localizer(manager)("broadcast.cancelled"))


async def on_one_text(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    manager.dialog_data[MODE] = ONE
    await manager.switch_to(BroadcastSG.text)


async def on_two_texts(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    manager.dialog_data[MODE] = TWO
    await manager.switch_to(BroadcastSG.text_kk)


def _after_text(manager: DialogManager) -> State:
    state = manager.current_context().state
    return BroadcastSG.text_ru if state == BroadcastSG.text_kk else BroadcastSG.photo


async def on_keep_text(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    state = manager.current_context().state
    kept = _text(manager, TEXT_KK if state == BroadcastSG.text_kk else TEXT_RU)
    if kept is None:  # nothing to keep: ask for the text
        _note(manager, "broadcast.error.empty")
        return
    if state == BroadcastSG.text:  # one text: the same for both again
        manager.dialog_data[TEXT_KK] = kept
    await manager.switch_to(_after_text(manager))


async def on_keep_photo(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    # The photo kept under a text given since (Back): it must still fit as a caption.
    if _content(manager) is not None:
        await manager.switch_to(BroadcastSG.audience)


async def on_no_photo(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    manager.dialog_data[PHOTO] = None
    await manager.switch_to(BroadcastSG.audience)


async def on_audience_all(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    manager.dialog_data[AUDIENCE] = ALL
    await _to_preview(manager)


async def on_audience_choose(
    callback: CallbackQuery, _button: Button, manager: DialogManager
) -> None:
    manager.dialog_data[AUDIENCE] = SOME
    await manager.switch_to(BroadcastSG.departments)


async def on_tick(
    callback: CallbackQuery, _select: Any, manager: DialogManager, department: str
) -> None:
    if _catalogue(manager).department(department) is None:  # forged: nothing ticked
        _note(manager, "broadcast.stale_step")
        raise CancelEventProcessing


async def on_done(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    if not _chosen(manager):
        _note(manager, "broadcast.error.no_departments")
        return
    await _to_preview(manager)


async def on_send_now(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    i18n = localizer(manager)
    data, deps = manager.middleware_data, deps_of(manager)
    runner: Starter | None = deps.broadcasts
    if runner is None:
        await callback.answer(i18n("broadcast.error.no_runner"), show_alert=True)
        return
    broadcast = await _submit(manager, scheduled_at=None)  # closed before it starts
    if broadcast is None:
        return
    try:
        await runner.start_now(broadcast.id)
    except BroadcastStateError:  # cancelled in between (cannot happen to a new one)
        await _say(callback, i18n("broadcast.stale"))
        return
    await _say(callback, i18n("broadcast.started", id=broadcast.id))
    await post_to_channel(data["bot"], deps.settings, deps.translator, broadcast)


async def on_schedule(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    if deps_of(manager).jobs is None:
        i18n = localizer(manager)
        await callback.answer(i18n("broadcast.error.no_scheduler"), show_alert=True)
        return
    if await _checked_content(manager) is not None:
        await manager.switch_to(BroadcastSG.schedule)


# --- typed input ----------------------------------------------------------------------------


async def on_text(
    message: Message, _input: ManagedTextInput[str], manager: DialogManager, _plain: str
) -> None:
    html = message.html_text  # HR's bold, links...: entities as HTML, the rest escaped
    state = manager.current_context().state
    if state == BroadcastSG.text:
        manager.dialog_data.update({TEXT_KK: html, TEXT_RU: html})
    else:
        manager.dialog_data[TEXT_KK if state == BroadcastSG.text_kk else TEXT_RU] = html
    await manager.switch_to(_after_text(manager))


async def on_text_refused(
    message: Message, _input: ManagedTextInput[str], manager: DialogManager, error: ValueError
) -> None:
    if isinstance(error, TextRefused):
        _note(manager, TEXT_ERRORS[error.code], length=error.length, limit=error.limit)


async def on_not_text(message: Message, _input: MessageInput, manager: DialogManager) -> None:
    _note(manager, "broadcast.error.not_text")


async def on_photo(message: Message, _input: MessageInput, manager: DialogManager) -> None:
    assert message.photo
    largest = message.photo[-1]
    if broadcasts.photo_too_big(largest.file_size):
        size = f"{(largest.file_size or 0) / 1024 / 1024:.1f}"
        _note(manager, "broadcast.error.photo_too_big", size=size)
        return
    if _content(manager, photo=largest.file_id) is None:
        return  # the photo step again, with why
    manager.dialog_data[PHOTO] = largest.file_id
    await manager.switch_to(BroadcastSG.audience)


async def on_not_photo(message: Message, _input: MessageInput, manager: DialogManager) -> None:
    _note(manager, "broadcast.error.not_photo")


async def on_use_buttons(message: Message, _input: MessageInput, manager: DialogManager) -> None:
    """A message where the step has buttons (mode, audience, departments, preview)."""
    _note(manager, "broadcast.use_buttons")


def _when(typed: str) -> datetime:
    return parse_schedule(typed, datetime.now(UTC))


async def on_when(
    message: Message, _input: ManagedTextInput[datetime], manager: DialogManager, when: datetime
) -> None:
    i18n = localizer(manager)
    jobs = deps_of(manager).jobs
    if jobs is None:
        _note(manager, "broadcast.error.no_scheduler")
        await _to_preview(manager)
        return
    broadcast = await _submit(manager, scheduled_at=when)
    if broadcast is None:
        return
    jobs.schedule_broadcast(broadcast.id, when)
    await message.answer(i18n("broadcast.scheduled", id=broadcast.id, when=local_time(when)))


async def on_when_refused(
    message: Message, _input: ManagedTextInput[datetime], manager: DialogManager, error: ValueError
) -> None:
    code = error.code if isinstance(error, ScheduleError) else "unparsable"
    _note(manager, SCHEDULE_ERRORS.get(code, "broadcast.error.unparsable"))


async def on_when_not_text(message: Message, _input: MessageInput, manager: DialogManager) -> None:
    _note(manager, "broadcast.error.unparsable")


# --- the windows ----------------------------------------------------------------------------


def _back_cancel() -> Row:
    return Row(
        Button(L("common.back"), id="back", on_click=on_back),
        Button(L("common.cancel"), id="cancel", on_click=on_cancel),
    )


def _step(
    state: State,
    texts: Sequence[Text],
    *buttons: Any,
    inputs: Sequence[Any] = (),
    getter: Any = None,
) -> Window:
    """A step of the composer: the note, its texts and buttons, Back and Cancel, then what
    it takes (``inputs``; none: it has buttons only, a message is told to use them)."""
    return Window(
        Format("{note}"),
        *texts,
        *buttons,
        _back_cancel(),
        *(inputs or [MessageInput(on_use_buttons)]),
        getter=getter,
        state=state,
    )


def _text_window(state: State, widget_id: str, prompt: str) -> Window:
    keep = Button(
        L("broadcast.button.keep_text"), id="keep_text", on_click=on_keep_text, when="can_keep"
    )
    typed = TextInput(
        id=widget_id,
        type_factory=broadcasts.checked_text,
        on_success=on_text,
        on_error=on_text_refused,
    )
    return _step(state, [L(prompt)], keep, inputs=[typed, MessageInput(on_not_text)])


def dialog() -> Dialog:
    composer = Dialog(
        Window(
            Format("{note}"),
            L("broadcast.mode_prompt"),
            Column(
                Button(L("broadcast.button.one_text"), id="one", on_click=on_one_text),
                Button(L("broadcast.button.two_texts"), id="two", on_click=on_two_texts),
                Button(L("common.cancel"), id="cancel", on_click=on_cancel),
            ),
            MessageInput(on_use_buttons),
            state=BroadcastSG.mode,
        ),
        _text_window(BroadcastSG.text, "text", "broadcast.text_prompt"),
        _text_window(BroadcastSG.text_kk, "text_kk", "broadcast.text_kk_prompt"),
        _text_window(BroadcastSG.text_ru, "text_ru", "broadcast.text_ru_prompt"),
        _step(
            BroadcastSG.photo,
            [L("broadcast.has_photo", when="has_photo"), L("broadcast.photo_prompt")],
            Button(
                L("broadcast.button.keep_photo"),
                id="keep_photo",
                on_click=on_keep_photo,
                when="has_photo",
            ),
            Button(L("broadcast.button.no_photo"), id="no_photo", on_click=on_no_photo),
            inputs=[
                MessageInput(on_photo, content_types=ContentType.PHOTO),
                MessageInput(on_not_photo),
            ],
        ),
        _step(
            BroadcastSG.audience,
            [L("broadcast.audience_prompt")],
            Button(L("broadcast.button.audience_all"), id="all", on_click=on_audience_all),
            Button(L("broadcast.button.audience_choose"), id="some", on_click=on_audience_choose),
        ),
        _step(
            BroadcastSG.departments,
            departments_choice(
                PICKER,
                L("broadcast.departments_prompt"),
                L("broadcast.ticked", name=item_name),
                L("broadcast.button.done", count="ticked"),
                on_done,
                on_tick=on_tick,
            ),
            getter=departments_getter,
        ),
        _step(
            BroadcastSG.preview,
            [L("broadcast.preview.summary", audience="audience", count="count")],
            Row(
                Button(L("broadcast.button.send_now"), id="send_now", on_click=on_send_now),
                Button(L("broadcast.button.schedule"), id="schedule", on_click=on_schedule),
            ),
            getter=preview_getter,
        ),
        _step(
            BroadcastSG.schedule,
            [L("broadcast.schedule_prompt")],
            inputs=[
                TextInput(
                    id="when", type_factory=_when, on_success=on_when, on_error=on_when_refused
                ),
                MessageInput(on_when_not_text),
            ],
        ),
        getter=common_getter,
    )
    # Commands go on to their handlers (/broadcast starts anew, /broadcasts lists); every
    # button and input of the composer is HR's only, as its command is.
    composer.message.filter(~F.text.startswith("/"))
    gate = HROnly()
    composer.message.middleware(gate)
    composer.callback_query.middleware(gate)
    return composer
