"""The application form's windows; getters build what they show, the buttons call one
service each (``bot.services.applications``, ``bot.services.privacy``).

The form lives in the dialog's context (``dialog_data``), kept in the bot's FSM storage:
a restart loses nothing. Every window is saved before it is sent (:class:`SavedDialog`),
so the person never sees a step whose state is not committed.
"""

from __future__ import annotations

from typing import Any

from aiogram.enums import ContentType
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove
from aiogram_dialog import Dialog, DialogManager, ShowMode, Window
from aiogram_dialog.api.entities import NewMessage
from aiogram_dialog.api.internal import CONTEXT_KEY, RawKeyboard
from aiogram_dialog.api.protocols import DialogProtocol
from aiogram_dialog.utils import remove_intent_id
from aiogram_dialog.widgets.input import ManagedTextInput, MessageInput, TextInput
from aiogram_dialog.widgets.kbd import Button, Keyboard, Row
from aiogram_dialog.widgets.text import Format

from bot.catalogue.models import Position
from bot.db.models import Application
from bot.dialogs.widgets import L, deps_of, localizer, session_of
from bot.i18n import SUPPORTED_LANGS, Localizer
from bot.keyboards.application import after_submit_keyboard, phone_keyboard
from bot.rendering.applications import existing_text, review_text
from bot.rendering.messages import escape
from bot.rendering.privacy import consent_text
from bot.screening.render import render_verdict
from bot.services import applications, privacy
from bot.services.applications import ApplicationForm
from bot.services.validation import (
    CvFile,
    InputError,
    check_document,
    check_photo,
    normalize_comment,
    normalize_full_name,
    normalize_phone,
)

POSITION = "position"  # start data: the position number
SCREENED = "screened"  # start data: the questionnaire's answers for it
NOTE = "note"  # dialog data: a localized note (key, params) above the next window
NOTE_SHOWN = "application_note"  # middleware data: the note of the window being rendered
LIVE = "application_form"  # FSM data: the intent id of the form in progress
EDITING = "editing"  # dialog data: the step was opened from the review
STEPS = ("name", "phone", "cv", "comment")


class ApplicationSG(StatesGroup):
    consent = State()
    name = State()
    phone = State()
    cv = State()
    comment = State()
    review = State()


ORDER = ("consent", *STEPS, "review")  # the form's windows, one state each
STATE_OF: dict[str, State] = {step: getattr(ApplicationSG, step) for step in ORDER}
PREVIOUS = dict(zip(ORDER[1:], ORDER[:-1], strict=True))
OTHER_INPUT = {
    "name": "application.error.text_expected",
    "phone": "application.error.phone_format",
    "cv": "application.error.cv_expected",
    "comment": "application.error.text_expected",
}


def start_data(position: int, screened: dict[str, Any]) -> dict[str, Any]:
    return {POSITION: position, SCREENED: screened}


class SavedDialog(Dialog):
    """Saves the dialog's context and stack before each window is rendered (and so sent):
    aiogram-dialog saves them only after the handler, when the window is out already; the
    SQL storage's buffer is flushed before the update's first Bot API request, so the
    window's state is committed before the person sees it."""

    async def render(self, manager: DialogManager) -> NewMessage:
        # A note is shown once: taken out of the state before it is saved.
        manager.middleware_data[NOTE_SHOWN] = manager.dialog_data.pop(NOTE, None)
        await save_now(manager)
        return await super().render(manager)


async def save_now(manager: DialogManager) -> None:
    storage = manager.storage()  # type: ignore[attr-defined]
    await storage.save_context(manager.current_context())
    await storage.save_stack(manager.current_stack())


class OtherButtons(Keyboard):
    """Last in every window: a button of another step of this form (an older message's)
    gets an alert, and the current step stays on screen."""

    async def _render_keyboard(self, data: dict[str, Any], manager: DialogManager) -> RawKeyboard:
        return []

    async def process_callback(
        self, callback: CallbackQuery, dialog: DialogProtocol, manager: DialogManager
    ) -> bool:
        await callback.answer(localizer(manager)("dialogs.stale"), show_alert=True)
        manager.show_mode = ShowMode.NO_UPDATE
        return True


class PhoneKeyboard:
    """The phone step's reply keyboard: share the contact, the earlier number, Back, Cancel
    (plain texts, recognised by :func:`on_phone_label`)."""

    async def render_markup(
        self, data: dict[str, Any], manager: DialogManager, keyboard: RawKeyboard
    ) -> Any:
        return phone_keyboard(localizer(manager), manager.dialog_data.get("phone"))


# --------------------------------------------------------------------------- in progress


def _fsm(manager: DialogManager) -> FSMContext:
    state = manager.middleware_data["state"]
    assert isinstance(state, FSMContext)
    return state


async def mark_live(manager: DialogManager) -> None:
    """The form is the conversation in progress (until /start or another flow clears the
    FSM, as any conversation ends there); kept in the FSM data, with the screened answers."""
    await _fsm(manager).update_data({LIVE: manager.current_context().id})


async def _on_start(_data: Any, manager: DialogManager) -> None:
    await mark_live(manager)


async def _on_close(_result: Any, manager: DialogManager) -> None:
    state = _fsm(manager)
    data = await state.get_data()
    if data.pop(LIVE, None) is not None:
        await state.set_data(data)


async def is_live(event: Message | CallbackQuery, **data: Any) -> bool:
    """The form's buttons and inputs only while it is the conversation in progress: after
    /start, another flow's question or a button of another screen (no intent id), the
    update goes to the routers after the dialogs."""
    if isinstance(event, CallbackQuery) and remove_intent_id(event.data or "")[0] is None:
        return False
    context = data.get(CONTEXT_KEY)
    if context is None or data.get("raw_state") is not None:
        return False
    state = data["state"]
    assert isinstance(state, FSMContext)
    return bool((await state.get_data()).get(LIVE) == context.id)


# --------------------------------------------------------------------------- drop-off reminder


def left_on_top(manager: DialogManager, intent: str) -> bool:
    """The form ``intent`` (named by its drop-off reminder, ``bot.services.nudges``) is the
    person's dialog on top, and no other conversation with an FSM state (the questionnaire,
    a question to HR) is under way."""
    if not manager.has_context() or manager.middleware_data.get("raw_state") is not None:
        return False
    context = manager.current_context()
    return context.id == intent and context.state.group is ApplicationSG


async def resume_left(manager: DialogManager) -> None:
    """The reminder's Continue (the form on top: :func:`left_on_top`). The form's stack and
    context are still in the SQL storage exactly as they were left, so showing that stack
    again renders the very step, with everything entered (the getter reads
    ``dialog_data``) and the consent it holds. Starting the dialog anew from a copy of the
    data would make a new intent: the old form's messages and widgets' state would point to
    a context no longer there. A new message: the reminder keeps its text, the form's old
    message loses its buttons (``bot.dialogs.manager``)."""
    await mark_live(manager)
    await manager.show(ShowMode.SEND)


async def drop_left(callback: CallbackQuery, manager: DialogManager) -> None:
    """The reminder's «Not interested»: the form is closed as by its Cancel (the unused
    consent discarded, the dialog off the stack: ``_on_close`` ends it as the conversation)
    and the main menu takes the reminder's place."""
    i18n = localizer(manager)
    had_reply_keyboard = manager.current_stack().last_reply_keyboard  # left at the phone
    await _forget_consent(manager)
    if had_reply_keyboard:
        stack = manager.current_stack()
        stack.last_reply_keyboard = False
        bot = callback.bot
        assert bot is not None
        await bot.send_message(
            callback.from_user.id,
            i18n("nudges.form.stopped"),
            reply_markup=ReplyKeyboardRemove(),
        )
        await _to_menu(callback, manager, "")
        return
    await _to_menu(callback, manager, "nudges.form.stopped")


# --------------------------------------------------------------------------- helpers


def _step(manager: DialogManager) -> str:
    state = manager.current_context().state
    return next(step for step, s in STATE_OF.items() if s == state)


def _start(manager: DialogManager) -> dict[str, Any]:
    data = manager.start_data
    assert isinstance(data, dict)
    return data


def _position(manager: DialogManager) -> Position | None:
    return deps_of(manager).catalogue.position(int(_start(manager)[POSITION]))


def _user_id(manager: DialogManager) -> int:
    user = manager.middleware_data["event_from_user"]
    return int(user.id)


def _note(manager: DialogManager, key: str, **params: Any) -> None:
    manager.dialog_data[NOTE] = [key, params]


def _value_of(manager: DialogManager, step: str) -> str | None:
    if step == "cv":
        cv = manager.dialog_data.get("cv")
        return str(cv["file_name"]) if cv else None
    value = manager.dialog_data.get(step)
    return value if isinstance(value, str) else None


async def _go(manager: DialogManager, step: str, show_mode: ShowMode | None = None) -> None:
    if step == "phone" or _step(manager) == "phone":
        show_mode = ShowMode.SEND  # a reply keyboard cannot be edited in or out
    await manager.switch_to(STATE_OF[step], show_mode=show_mode)


async def _next(manager: DialogManager, done: str) -> None:
    if manager.dialog_data.pop(EDITING, False):
        await _go(manager, "review")
        return
    index = STEPS.index(done) if done in STEPS else -1
    await _go(manager, STEPS[index + 1] if index + 1 < len(STEPS) else "review")


async def _to_menu(event: Message | CallbackQuery, manager: DialogManager, note: str) -> None:
    """Close the form and show the main menu (the handlers' screen)."""
    from bot.handlers.start import show_main_menu

    i18n = localizer(manager)
    await manager.done(show_mode=ShowMode.NO_UPDATE)
    await show_main_menu(event, i18n, note=i18n(note) if note else "")


async def _show_existing(
    event: Message | CallbackQuery, manager: DialogManager, application: Application
) -> None:
    i18n = localizer(manager)
    text = existing_text(i18n, deps_of(manager).catalogue, application)
    if isinstance(event, CallbackQuery):
        await event.answer()
        bot = event.bot
        assert bot is not None
        await bot.send_message(event.from_user.id, text, reply_markup=after_submit_keyboard(i18n))
        return
    await event.answer(text, reply_markup=after_submit_keyboard(i18n))


async def _forget_consent(manager: DialogManager) -> None:
    consent_id = manager.dialog_data.pop("consent_id", None)
    if isinstance(consent_id, int):
        await privacy.discard_unused_consent(session_of(manager), consent_id, _user_id(manager))


# --------------------------------------------------------------------------- getters


def _review_text(manager: DialogManager, position: Position) -> str:
    i18n = localizer(manager)
    deps = deps_of(manager)
    catalogue, screener = deps.catalogue, deps.screener
    screened = _start(manager)[SCREENED]
    result = screener.screen(
        position, applications.profile_from_answers(screened.get("answers", {}))
    )
    verdict = render_verdict(result, i18n.lang, i18n.translator, catalogue.catalogue)
    return review_text(i18n, position, verdict, manager.dialog_data, _value_of(manager, "cv"))


async def getter(dialog_manager: DialogManager, **_kwargs: Any) -> dict[str, Any]:
    manager = dialog_manager
    i18n = localizer(manager)
    step = _step(manager)
    position = _position(manager)
    note = manager.middleware_data.get(NOTE_SHOWN)
    current = _value_of(manager, step) if step in STEPS else None
    if position is None:
        text = i18n("common.stale")
    elif step == "consent":
        text = consent_text(i18n, deps_of(manager).settings, position.title.get(i18n.lang))
        text += "\n\n" + i18n("privacy.question")
    elif step == "review":
        text = _review_text(manager, position)
    else:
        header = i18n(
            "application.progress",
            step=STEPS.index(step) + 1,
            total=len(STEPS),
            title=escape(position.title.get(i18n.lang)),
        )
        text = f"{header}\n\n{i18n(f'application.ask.{step}')}"
        if current:
            text += "\n\n" + i18n("application.current", value=escape(current))
    if note:
        key, params = note
        text = f"{i18n(key, **params)}\n\n{text}"
    return {"text": text, "current": current is not None}


# --------------------------------------------------------------------------- consent


async def on_agree(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    session, user_id = session_of(manager), _user_id(manager)
    position = _position(manager)
    if position is None:
        await _to_menu(callback, manager, "common.stale")
        return
    existing = await applications.open_application(session, user_id, position.number)
    if existing is not None:
        await manager.done(show_mode=ShowMode.NO_UPDATE)
        await _show_existing(callback, manager, existing)
        return
    consent_id = manager.dialog_data.get("consent_id")
    consent = (
        await privacy.valid_consent(session, consent_id, user_id)
        if isinstance(consent_id, int)
        else None
    )
    if consent is None:
        consent = await privacy.give_consent(session, user_id, localizer(manager).lang)
    manager.dialog_data["consent_id"] = consent.id
    # The consent text stays where it is: the form arrives as a new message.
    await _go(manager, "name", ShowMode.SEND)


async def on_decline(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await _forget_consent(manager)
    await _to_menu(callback, manager, "application.declined")


# --------------------------------------------------------------------------- buttons


async def on_back(event: CallbackQuery | Message, _widget: Any, manager: DialogManager) -> None:
    step = _step(manager)
    if manager.dialog_data.pop(EDITING, False) and step != "review":
        await _go(manager, "review")
    else:
        await _go(manager, PREVIOUS.get(step, "consent"))


async def on_cancel(event: CallbackQuery | Message, _widget: Any, manager: DialogManager) -> None:
    await _forget_consent(manager)
    await _to_menu(event, manager, "application.cancelled")


async def on_keep(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await _next(manager, _step(manager))


async def on_skip(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    step = _step(manager)
    manager.dialog_data.pop(step, None)
    await _next(manager, step)


async def on_edit(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    step = button.widget_id.removeprefix("edit_") if button.widget_id else ""
    manager.dialog_data[EDITING] = True
    await _go(manager, step)


async def on_submit(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    session, user_id = session_of(manager), _user_id(manager)
    data = manager.dialog_data
    i18n = localizer(manager)
    position = _position(manager)
    if position is None:
        await _to_menu(callback, manager, "common.stale")
        return
    deps = deps_of(manager)
    if not await deps.vacancies.is_open(session, position.number):
        # Closed by HR while the form was being filled in: keep the form, say why.
        from bot.handlers.start import show_main_menu

        manager.show_mode = ShowMode.NO_UPDATE
        await show_main_menu(callback, i18n, note=i18n("hr_tools.public.closed"))
        return
    consent_id = data.get("consent_id")
    consent = (
        await privacy.valid_consent(session, consent_id, user_id)
        if isinstance(consent_id, int)
        else None
    )
    if consent is None or not data.get("name") or not data.get("phone"):
        # Not reachable through the buttons; a consent erased meanwhile, say.
        target = "consent" if consent is None else "name" if not data.get("name") else "phone"
        await _go(manager, target)
        return
    consent_id = consent.id  # read now: a rolled-back duplicate expires the object
    try:
        result = await applications.submit(
            session,
            screener=deps.screener,
            position=position,
            user_id=user_id,
            username=callback.from_user.username,
            language=i18n.lang,
            consent_id=consent_id,
            form=ApplicationForm(
                full_name=data["name"],
                phone=data["phone"],
                cv=CvFile.from_dict(data["cv"]) if data.get("cv") else None,
                comment=data.get("comment"),
            ),
            answers=_start(manager)[SCREENED].get("answers", {}),
        )
    except applications.ConsentGone:  # /delete_me got there first: the form is gone too
        await _fsm(manager).clear()  # nothing of the person written back
        await _to_menu(callback, manager, "common.stale")
        return
    state: FSMContext = manager.middleware_data["state"]
    await state.clear()  # the questionnaire's answers went with the application
    await manager.done(show_mode=ShowMode.NO_UPDATE)
    deps.kick_outbox()  # deliver the HR summary now rather than at the next tick
    # Not created but made with this very form's consent: the same Submit again (its
    # answer was lost to a crash): confirm it rather than report a second application.
    if not result.created and result.application.consent_id != consent_id:
        await _show_existing(callback, manager, result.application)
        return
    from bot.handlers.common import show

    await show(
        callback,
        i18n("application.submitted", id=result.application.id),
        after_submit_keyboard(i18n),
    )


# --------------------------------------------------------------------------- typed input


async def on_error(
    message: Message, _widget: ManagedTextInput[Any], manager: DialogManager, error: ValueError
) -> None:
    """A typed answer refused: the localized reason above the same step, nothing lost."""
    code = error.code if isinstance(error, InputError) else "text_expected"
    _note(manager, f"application.error.{code}", length=len(message.text or ""))
    manager.show_mode = ShowMode.SEND


async def on_text(
    message: Message, _widget: ManagedTextInput[Any], manager: DialogManager, value: str
) -> None:
    step = _step(manager)
    manager.dialog_data[step] = value
    manager.show_mode = ShowMode.SEND
    await _next(manager, step)


def _is_label(text: str, key: str, i18n: Localizer) -> bool:
    """A reply-keyboard button's text, in any language (the person may switch meanwhile)."""
    return any(text == i18n.translator(lang, key) for lang in SUPPORTED_LANGS)


def phone_label(message: Message, i18n: Localizer) -> bool:
    text = (message.text or "").strip()
    return _is_label(text, "common.back", i18n) or _is_label(text, "common.cancel", i18n)


async def _reply_keyboard_gone(message: Message, manager: DialogManager, text: str) -> None:
    """Leaving the phone step: the state first (saved at the send), then the reply keyboard
    removed with a word of what happened."""
    stack = manager.current_stack()  # aiogram-dialog need not remove it again
    stack.last_reply_keyboard = False
    stack.last_message_id = None
    await save_now(manager)
    await message.answer(text, reply_markup=ReplyKeyboardRemove())


async def on_phone_label(message: Message, _input: MessageInput, manager: DialogManager) -> None:
    i18n = localizer(manager)
    if _is_label((message.text or "").strip(), "common.cancel", i18n):
        await _forget_consent(manager)
        await _reply_keyboard_gone(message, manager, i18n("application.phone_left"))
        await _to_menu(message, manager, "application.cancelled")
        return
    target = "review" if manager.dialog_data.pop(EDITING, False) else "name"
    await manager.switch_to(STATE_OF[target], show_mode=ShowMode.SEND)
    await _reply_keyboard_gone(message, manager, i18n("application.phone_left"))


async def _phone_taken(message: Message, manager: DialogManager, phone: str) -> None:
    manager.dialog_data["phone"] = phone
    await _next(manager, "phone")
    text = localizer(manager)("application.phone_saved", phone=escape(phone))
    await _reply_keyboard_gone(message, manager, text)


async def on_contact(message: Message, _input: MessageInput, manager: DialogManager) -> None:
    contact = message.contact
    assert contact is not None
    sender = message.from_user.id if message.from_user else None
    try:
        if contact.user_id is None or contact.user_id != sender:
            raise InputError("foreign_contact")
        phone = normalize_phone(contact.phone_number)
    except InputError as error:
        _note(manager, f"application.error.{error.code}")
        manager.show_mode = ShowMode.SEND
        return
    await _phone_taken(message, manager, phone)


async def on_phone(
    message: Message, _widget: ManagedTextInput[Any], manager: DialogManager, value: str
) -> None:
    await _phone_taken(message, manager, value)


async def on_cv(message: Message, _input: MessageInput, manager: DialogManager) -> None:
    try:
        if message.document is not None:
            document = message.document
            cv = check_document(
                document.file_id, document.file_name, document.mime_type, document.file_size
            )
        else:
            assert message.photo
            largest = max(message.photo, key=lambda p: (p.width * p.height, p.file_size or 0))
            cv = check_photo(largest.file_id, largest.file_size)
    except InputError as error:
        _note(manager, f"application.error.{error.code}")
        manager.show_mode = ShowMode.SEND
        return
    manager.dialog_data["cv"] = cv.to_dict()
    manager.show_mode = ShowMode.SEND
    await _next(manager, "cv")


async def on_other_input(message: Message, _input: MessageInput, manager: DialogManager) -> None:
    """A sticker, a voice note, text at the review...: explain and show the step again."""
    _note(manager, OTHER_INPUT.get(_step(manager), "application.use_buttons"))
    manager.show_mode = ShowMode.SEND  # below the person's message


# --------------------------------------------------------------------------- windows


def _nav(step: str) -> Row:
    return Row(
        Button(L("common.back"), id=f"{step}_back", on_click=on_back),
        Button(L("common.cancel"), id=f"{step}_cancel", on_click=on_cancel),
    )


def _step_window(step: str, *inputs: Any, optional: bool = False) -> Window:
    widgets: list[Any] = [Format("{text}")]
    widgets.append(
        Button(L("application.keep"), id=f"{step}_keep", on_click=on_keep, when="current")
    )
    if optional:
        widgets.append(Button(L("application.skip"), id=f"{step}_skip", on_click=on_skip))
    widgets += [_nav(step), OtherButtons(), *inputs, MessageInput(on_other_input)]
    return Window(*widgets, getter=getter, state=STATE_OF[step])


def _edit_button(step: str) -> Button:
    """The review's «change …» of one step (:func:`on_edit` reads the step from the id)."""
    return Button(L(f"application.edit.{step}"), id=f"edit_{step}", on_click=on_edit)


def dialog() -> Dialog:
    form = SavedDialog(
        Window(
            Format("{text}"),
            Row(
                Button(L("application.consent.agree"), id="agree", on_click=on_agree),
                Button(L("application.consent.decline"), id="decline", on_click=on_decline),
            ),
            OtherButtons(),
            MessageInput(on_other_input),
            getter=getter,
            state=ApplicationSG.consent,
        ),
        _step_window(
            "name",
            TextInput(
                id="name_input",
                type_factory=normalize_full_name,
                on_success=on_text,
                on_error=on_error,
            ),
        ),
        Window(
            Format("{text}"),
            OtherButtons(),
            MessageInput(on_phone_label, content_types=ContentType.TEXT, filter=phone_label),
            MessageInput(on_contact, content_types=ContentType.CONTACT),
            TextInput(
                id="phone_input",
                type_factory=normalize_phone,
                on_success=on_phone,
                on_error=on_error,
            ),
            MessageInput(on_other_input),
            markup_factory=PhoneKeyboard(),
            getter=getter,
            state=ApplicationSG.phone,
        ),
        _step_window(
            "cv",
            MessageInput(on_cv, content_types=[ContentType.DOCUMENT, ContentType.PHOTO]),
            optional=True,
        ),
        _step_window(
            "comment",
            TextInput(
                id="comment_input",
                type_factory=normalize_comment,
                on_success=on_text,
                on_error=on_error,
            ),
            optional=True,
        ),
        Window(
            Format("{text}"),
            Row(_edit_button("name"), _edit_button("phone")),
            Row(_edit_button("cv"), _edit_button("comment")),
            Button(L("application.submit"), id="submit", on_click=on_submit),
            _nav("review"),
            OtherButtons(),
            MessageInput(on_other_input),
            getter=getter,
            state=ApplicationSG.review,
        ),
        on_start=_on_start,
        on_close=_on_close,
    )
    form.message.filter(is_live)
    form.callback_query.filter(is_live)
    return form
