"""«Apply» after the questionnaire → consent → the form (name, phone, CV, comment) →
review → submit; /my with withdrawal."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalogue.models import Position
from bot.catalogue.service import CatalogueService
from bot.config import Settings
from bot.db.models import Application
from bot.delivery import kick
from bot.handlers.common import show
from bot.handlers.privacy import consent_text, format_date
from bot.handlers.start import show_main_menu
from bot.i18n import SUPPORTED_LANGS, Localizer
from bot.keyboards.application import (
    after_submit_keyboard,
    consent_keyboard,
    my_keyboard,
    phone_keyboard,
    review_keyboard,
    step_keyboard,
    withdraw_keyboard,
)
from bot.keyboards.browse import position_card_keyboard
from bot.keyboards.callbacks import (
    ApplicationStartCb,
    ConsentCb,
    FormAction,
    FormCb,
    MyApplicationsCb,
    WithdrawCb,
)
from bot.rendering.messages import escape
from bot.screening.engine import Screener
from bot.screening.render import render_verdict
from bot.services import applications, privacy
from bot.services.applications import ApplicationForm, WithdrawOutcome
from bot.services.vacancies import VacancyBoard
from bot.services.validation import (
    CvFile,
    InputError,
    check_document,
    check_photo,
    normalize_comment,
    normalize_full_name,
    normalize_phone,
)

FORM_KEY = "application"
SCREENED_KEY = "screened"
STEPS = ("name", "phone", "cv", "comment")


class ApplicationStates(StatesGroup):
    consent = State()
    name = State()
    phone = State()
    cv = State()
    comment = State()
    review = State()


STATE_OF: dict[str, State] = {
    "consent": ApplicationStates.consent,
    "name": ApplicationStates.name,
    "phone": ApplicationStates.phone,
    "cv": ApplicationStates.cv,
    "comment": ApplicationStates.comment,
    "review": ApplicationStates.review,
}
STEP_OF: dict[str, str] = {state.state or "": step for step, state in STATE_OF.items()}
PREVIOUS: dict[str, str] = {
    "name": "consent",
    "phone": "name",
    "cv": "phone",
    "comment": "cv",
    "review": "comment",
}


@dataclass
class Draft:
    """The form being filled in, kept in the FSM data (persisted by the SQL storage)."""

    position: int
    token: str
    consent_id: int | None = None
    name: str | None = None
    phone: str | None = None
    cv: dict[str, str] | None = None
    comment: str | None = None
    # Came from the review screen: the step returns there when done.
    editing: bool = False

    @classmethod
    def new(cls, position: int) -> Draft:
        return cls(position=position, token=secrets.token_hex(4))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Draft:
        return cls(**data)

    def value_of(self, step: str) -> str | None:
        if step == "cv":
            return self.cv["file_name"] if self.cv else None
        value = getattr(self, step, None)
        return value if isinstance(value, str) else None


# --------------------------------------------------------------------------- helpers


def _user_id(event: Message | CallbackQuery) -> int:
    if isinstance(event, CallbackQuery):
        return event.from_user.id
    return event.from_user.id if event.from_user else event.chat.id


async def _send_new(
    event: Message | CallbackQuery,
    text: str,
    markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None,
) -> None:
    """Always a new message (reply keyboards cannot be edited in)."""
    if isinstance(event, Message):
        await event.answer(text, reply_markup=markup)
        return
    await event.answer()
    bot = event.bot
    assert bot is not None
    chat_id = event.message.chat.id if event.message else event.from_user.id
    await bot.send_message(chat_id, text, reply_markup=markup)


async def _load(state: FSMContext) -> tuple[Draft | None, dict[str, Any] | None]:
    data = await state.get_data()
    raw = data.get(FORM_KEY)
    screened = data.get(SCREENED_KEY)
    return (Draft.from_dict(raw) if raw else None), (screened or None)


async def _current_step(state: FSMContext) -> str | None:
    return STEP_OF.get(await state.get_state() or "")


async def _save(state: FSMContext, draft: Draft, step: str) -> None:
    await state.set_state(STATE_OF[step])
    await state.update_data({FORM_KEY: asdict(draft)})


async def _leave_form(state: FSMContext) -> None:
    """Drop the form but keep the questionnaire's answers (Apply works again)."""
    data = await state.get_data()
    await state.set_state(None)
    screened = data.get(SCREENED_KEY)
    await state.set_data({SCREENED_KEY: screened} if screened else {})


def _title(i18n: Localizer, catalogue: CatalogueService, number: int) -> str:
    position = catalogue.position(number)
    return position.title.get(i18n.lang) if position else f"#{number}"


def _status(i18n: Localizer, status: str) -> str:
    return i18n(f"application.status.{status}")


async def _show_existing(
    event: Message | CallbackQuery,
    i18n: Localizer,
    catalogue: CatalogueService,
    application: Application,
) -> None:
    text = i18n(
        "application.existing",
        id=application.id,
        title=escape(_title(i18n, catalogue, application.position_number)),
        date=format_date(application.created_at),
        status=_status(i18n, application.status),
    )
    await _send_new(event, text, after_submit_keyboard(i18n))


async def _show_consent(
    event: Message | CallbackQuery,
    state: FSMContext,
    draft: Draft,
    position: Position,
    i18n: Localizer,
    settings: Settings,
    note: str = "",
) -> None:
    await _save(state, draft, "consent")
    text = consent_text(i18n, settings, position.title.get(i18n.lang))
    text += "\n\n" + i18n("privacy.question")
    await _send_new(
        event, f"{note}\n\n{text}" if note else text, consent_keyboard(i18n, position.number)
    )


async def _ask(
    event: Message | CallbackQuery,
    state: FSMContext,
    draft: Draft,
    step: str,
    i18n: Localizer,
    catalogue: CatalogueService,
    screener: Screener,
    settings: Settings,
    screened: dict[str, Any] | None,
    note: str = "",
) -> None:
    """Persist the draft at ``step`` and show that step."""
    position = catalogue.position(draft.position)
    if position is None or screened is None:
        await state.clear()
        await show_main_menu(event, i18n, note=i18n("common.stale"))
        return
    if step == "consent":
        await _show_consent(event, state, draft, position, i18n, settings, note)
        return
    if step == "review":
        await _save(state, draft, "review")
        text = _review_text(i18n, catalogue, screener, draft, position, screened)
        await show(event, f"{note}\n\n{text}" if note else text, review_keyboard(i18n, draft.token))
        return
    await _save(state, draft, step)
    header = i18n(
        "application.progress",
        step=STEPS.index(step) + 1,
        total=len(STEPS),
        title=escape(position.title.get(i18n.lang)),
    )
    text = f"{header}\n\n{i18n(f'application.ask.{step}')}"
    current = draft.value_of(step)
    if current:
        text += "\n\n" + i18n("application.current", value=escape(current))
    if note:
        text = f"{note}\n\n{text}"
    if step == "phone":
        await _send_new(event, text, phone_keyboard(i18n, current))
        return
    markup = step_keyboard(
        i18n,
        draft.token,
        step,
        keep=current is not None and step != "phone",
        skip=step in {"cv", "comment"},
    )
    await show(event, text, markup)


def _review_text(
    i18n: Localizer,
    catalogue: CatalogueService,
    screener: Screener,
    draft: Draft,
    position: Position,
    screened: dict[str, Any],
) -> str:
    result = screener.screen(
        position, applications.profile_from_answers(screened.get("answers", {}))
    )
    verdict = render_verdict(result, i18n.lang, i18n.translator, catalogue.catalogue)
    none = i18n("application.review.none")
    lines = [
        i18n("application.review.title"),
        "",
        i18n("application.review.position", title=escape(position.title.get(i18n.lang))),
        i18n("application.review.verdict", verdict=escape(verdict)),
        i18n("application.review.name", name=escape(draft.name or none)),
        i18n("application.review.phone", phone=escape(draft.phone or none)),
        i18n("application.review.cv", cv=escape(draft.cv["file_name"]) if draft.cv else none),
        i18n("application.review.comment", comment=escape(draft.comment or none)),
        "",
        i18n("application.review.hint"),
    ]
    return "\n".join(lines)


def _next_step(draft: Draft, done: str) -> str:
    if draft.editing:
        draft.editing = False
        return "review"
    if done == "consent":
        return "name"
    index = STEPS.index(done)
    return STEPS[index + 1] if index + 1 < len(STEPS) else "review"


# --------------------------------------------------------------------------- apply, consent


async def apply_button(
    callback: CallbackQuery,
    callback_data: ApplicationStartCb,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
    screener: Screener,
    settings: Settings,
    vacancies: VacancyBoard,
) -> None:
    position = catalogue.position(callback_data.number)
    if position is None:
        await show_main_menu(callback, i18n, note=i18n("common.stale"))
        return
    if not await vacancies.is_open(session, position.number):
        await show_main_menu(callback, i18n, note=i18n("hr_tools.public.closed"))
        return
    existing = await applications.open_application(session, callback.from_user.id, position.number)
    if existing is not None:
        await _show_existing(callback, i18n, catalogue, existing)
        return
    draft, screened = await _load(state)
    step = await _current_step(state)
    if draft is not None and step is not None and draft.position == position.number:
        # The form for this position is under way: go on where the person stopped.
        await _ask(callback, state, draft, step, i18n, catalogue, screener, settings, screened)
        return
    if screened is None or screened.get("position") != position.number or not position.criteria:
        await _send_new(
            callback, i18n("application.no_screening"), position_card_keyboard(i18n, position)
        )
        return
    await _show_consent(callback, state, Draft.new(position.number), position, i18n, settings)


async def consent_button(
    callback: CallbackQuery,
    callback_data: ConsentCb,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
    screener: Screener,
    settings: Settings,
) -> None:
    user_id = callback.from_user.id
    position = catalogue.position(callback_data.number)
    draft, screened = await _load(state)
    step = await _current_step(state)
    if position is None or screened is None or screened.get("position") != position.number:
        await show_main_menu(callback, i18n, note=i18n("common.stale"))
        return
    if draft is not None and draft.position == position.number and step not in (None, "consent"):
        # A consent button pressed again while the form goes on.
        assert step is not None
        note = i18n("application.old_button")
        await _ask(
            callback, state, draft, step, i18n, catalogue, screener, settings, screened, note
        )
        return
    if draft is None or draft.position != position.number:
        draft = Draft.new(position.number)
    if not callback_data.agree:
        if draft.consent_id is not None:
            await privacy.discard_unused_consent(session, draft.consent_id, user_id)
        await _leave_form(state)
        await show_main_menu(callback, i18n, note=i18n("application.declined"))
        return
    existing = await applications.open_application(session, user_id, position.number)
    if existing is not None:
        await _leave_form(state)
        await _show_existing(callback, i18n, catalogue, existing)
        return
    consent = (
        await privacy.valid_consent(session, draft.consent_id, user_id)
        if draft.consent_id is not None
        else None
    )
    if consent is None:
        consent = await privacy.give_consent(session, user_id, i18n.lang)
    draft.consent_id = consent.id
    await _ask(callback, state, draft, "name", i18n, catalogue, screener, settings, screened)


# --------------------------------------------------------------------------- form buttons


async def form_button(
    callback: CallbackQuery,
    callback_data: FormCb,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
    screener: Screener,
    settings: Settings,
    vacancies: VacancyBoard,
    scheduler: AsyncIOScheduler | None = None,
) -> None:
    draft, screened = await _load(state)
    step = await _current_step(state)
    if draft is None or step is None or draft.token != callback_data.token:
        await show_main_menu(callback, i18n, note=i18n("common.stale"))
        return
    if callback_data.step != step:
        note = i18n("application.old_button")
        await _ask(
            callback, state, draft, step, i18n, catalogue, screener, settings, screened, note
        )
        return
    action = callback_data.action

    async def ask(target: str, note: str = "") -> None:
        assert draft is not None
        await _ask(
            callback, state, draft, target, i18n, catalogue, screener, settings, screened, note
        )

    if action == FormAction.cancel:
        await _cancel(callback, state, session, draft, i18n)
    elif action == FormAction.back:
        if draft.editing and step != "review":
            draft.editing = False
            await ask("review")
        else:
            await ask(PREVIOUS.get(step, "consent"))
    elif action == FormAction.skip and step in {"cv", "comment"}:
        if step == "cv":
            draft.cv = None
        else:
            draft.comment = None
        await ask(_next_step(draft, step))
    elif action == FormAction.keep and step in STEPS and draft.value_of(step):
        await ask(_next_step(draft, step))
    elif action == FormAction.edit and step == "review" and callback_data.value in STEPS:
        draft.editing = True
        await ask(callback_data.value)
    elif action == FormAction.submit and step == "review":
        await _submit(
            callback,
            state,
            session,
            draft,
            screened,
            i18n,
            catalogue,
            screener,
            settings,
            vacancies,
            scheduler,
        )
    else:
        await ask(step, i18n("application.old_button"))


async def _cancel(
    event: Message | CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    draft: Draft,
    i18n: Localizer,
) -> None:
    if draft.consent_id is not None:
        await privacy.discard_unused_consent(session, draft.consent_id, _user_id(event))
    await _leave_form(state)
    await show_main_menu(event, i18n, note=i18n("application.cancelled"))


async def _submit(
    callback: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    draft: Draft,
    screened: dict[str, Any] | None,
    i18n: Localizer,
    catalogue: CatalogueService,
    screener: Screener,
    settings: Settings,
    vacancies: VacancyBoard,
    scheduler: AsyncIOScheduler | None,
) -> None:
    user_id = callback.from_user.id
    position = catalogue.position(draft.position)
    if position is None or screened is None or screened.get("position") != draft.position:
        await state.clear()
        await show_main_menu(callback, i18n, note=i18n("common.stale"))
        return
    if not await vacancies.is_open(session, position.number):
        # Closed by HR while the form was being filled in: keep the draft, say why.
        await show_main_menu(callback, i18n, note=i18n("hr_tools.public.closed"))
        return
    consent = (
        await privacy.valid_consent(session, draft.consent_id, user_id)
        if draft.consent_id is not None
        else None
    )
    if consent is None or draft.name is None or draft.phone is None:
        # Not reachable through the buttons; a consent erased meanwhile, say.
        target = "consent" if consent is None else "name" if draft.name is None else "phone"
        await _ask(callback, state, draft, target, i18n, catalogue, screener, settings, screened)
        return
    consent_id = consent.id  # read now: a rolled-back duplicate expires the object
    try:
        result = await applications.submit(
            session,
            screener=screener,
            position=position,
            user_id=user_id,
            username=callback.from_user.username,
            language=i18n.lang,
            consent_id=consent_id,
            form=ApplicationForm(
                full_name=draft.name,
                phone=draft.phone,
                cv=CvFile.from_dict(draft.cv) if draft.cv else None,
                comment=draft.comment,
            ),
            answers=screened.get("answers", {}),
        )
    except applications.ConsentGone:  # /delete_me got there first: the form is gone too
        await state.clear()
        await show_main_menu(callback, i18n, note=i18n("common.stale"))
        return
    await state.clear()
    kick(scheduler)  # deliver the HR summary now rather than at the next tick
    # Not created but made with this very form's consent: the same Submit again (its
    # answer was lost to a crash): confirm it rather than report a second application.
    if not result.created and result.application.consent_id != consent_id:
        await _show_existing(callback, i18n, catalogue, result.application)
        return
    await show(
        callback,
        i18n("application.submitted", id=result.application.id),
        after_submit_keyboard(i18n),
    )


# --------------------------------------------------------------------------- typed answers


@dataclass
class _Context:
    """What every typed-answer handler needs, loaded once."""

    draft: Draft
    screened: dict[str, Any] | None
    step: str


async def _context(message: Message, state: FSMContext, i18n: Localizer) -> _Context | None:
    draft, screened = await _load(state)
    step = await _current_step(state)
    if draft is None or step is None:
        await state.clear()
        await message.answer(i18n("common.stale"), reply_markup=ReplyKeyboardRemove())
        return None
    return _Context(draft, screened, step)


async def name_typed(
    message: Message,
    state: FSMContext,
    i18n: Localizer,
    catalogue: CatalogueService,
    screener: Screener,
    settings: Settings,
) -> None:
    ctx = await _context(message, state, i18n)
    if ctx is None:
        return
    try:
        ctx.draft.name = normalize_full_name(message.text or "")
    except InputError as error:
        note = i18n(f"application.error.{error.code}")
        await _ask(
            message,
            state,
            ctx.draft,
            "name",
            i18n,
            catalogue,
            screener,
            settings,
            ctx.screened,
            note,
        )
        return
    next_step = _next_step(ctx.draft, "name")
    await _ask(
        message, state, ctx.draft, next_step, i18n, catalogue, screener, settings, ctx.screened
    )


def _is_label(text: str, key: str, i18n: Localizer) -> bool:
    """A reply-keyboard button's text, in any language (the person may switch meanwhile)."""
    return any(text == i18n.translator(lang, key) for lang in SUPPORTED_LANGS)


async def phone_sent(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
    screener: Screener,
    settings: Settings,
) -> None:
    ctx = await _context(message, state, i18n)
    if ctx is None:
        return
    draft = ctx.draft

    async def again(code: str) -> None:
        note = i18n(f"application.error.{code}")
        await _ask(
            message, state, draft, "phone", i18n, catalogue, screener, settings, ctx.screened, note
        )

    text = (message.text or "").strip()
    if message.contact is not None:
        sender = message.from_user.id if message.from_user else None
        if message.contact.user_id is None or message.contact.user_id != sender:
            await again("foreign_contact")
            return
        candidate = message.contact.phone_number
    elif text and _is_label(text, "common.cancel", i18n):
        await message.answer(i18n("application.phone_left"), reply_markup=ReplyKeyboardRemove())
        await _cancel(message, state, session, draft, i18n)
        return
    elif text and _is_label(text, "common.back", i18n):
        await message.answer(i18n("application.phone_left"), reply_markup=ReplyKeyboardRemove())
        target = "review" if draft.editing else "name"
        draft.editing = False
        await _ask(message, state, draft, target, i18n, catalogue, screener, settings, ctx.screened)
        return
    elif text:
        candidate = text
    else:
        await again("phone_format")
        return
    try:
        draft.phone = normalize_phone(candidate)
    except InputError as error:
        await again(error.code)
        return
    next_step = _next_step(draft, "phone")
    # Saved before «saved» is said (the storage flushes before the next request anyway;
    # this keeps the phone in the state the acknowledgement refers to).
    await _save(state, draft, next_step)
    await message.answer(
        i18n("application.phone_saved", phone=escape(draft.phone)),
        reply_markup=ReplyKeyboardRemove(),
    )
    await _ask(message, state, draft, next_step, i18n, catalogue, screener, settings, ctx.screened)


async def cv_sent(
    message: Message,
    state: FSMContext,
    i18n: Localizer,
    catalogue: CatalogueService,
    screener: Screener,
    settings: Settings,
) -> None:
    ctx = await _context(message, state, i18n)
    if ctx is None:
        return
    try:
        if message.document is not None:
            document = message.document
            cv = check_document(
                document.file_id, document.file_name, document.mime_type, document.file_size
            )
        elif message.photo:
            largest = max(message.photo, key=lambda p: (p.width * p.height, p.file_size or 0))
            cv = check_photo(largest.file_id, largest.file_size)
        else:
            raise InputError("cv_expected")
    except InputError as error:
        note = i18n(f"application.error.{error.code}")
        await _ask(
            message, state, ctx.draft, "cv", i18n, catalogue, screener, settings, ctx.screened, note
        )
        return
    ctx.draft.cv = cv.to_dict()
    next_step = _next_step(ctx.draft, "cv")
    await _ask(
        message, state, ctx.draft, next_step, i18n, catalogue, screener, settings, ctx.screened
    )


async def comment_typed(
    message: Message,
    state: FSMContext,
    i18n: Localizer,
    catalogue: CatalogueService,
    screener: Screener,
    settings: Settings,
) -> None:
    ctx = await _context(message, state, i18n)
    if ctx is None:
        return
    try:
        if message.text is None:
            raise InputError("text_expected")
        ctx.draft.comment = normalize_comment(message.text)
    except InputError as error:
        length = len(message.text or "")
        note = i18n(f"application.error.{error.code}", length=length)
        await _ask(
            message,
            state,
            ctx.draft,
            "comment",
            i18n,
            catalogue,
            screener,
            settings,
            ctx.screened,
            note,
        )
        return
    next_step = _next_step(ctx.draft, "comment")
    await _ask(
        message, state, ctx.draft, next_step, i18n, catalogue, screener, settings, ctx.screened
    )


async def unexpected_input(
    message: Message,
    state: FSMContext,
    i18n: Localizer,
    catalogue: CatalogueService,
    screener: Screener,
    settings: Settings,
) -> None:
    """Anything else in a form step: explain and show the step again."""
    ctx = await _context(message, state, i18n)
    if ctx is None:
        return
    key = {
        "name": "application.error.text_expected",
        "phone": "application.error.phone_format",
        "cv": "application.error.cv_expected",
        "comment": "application.error.text_expected",
    }.get(ctx.step, "application.use_buttons")
    await _ask(
        message,
        state,
        ctx.draft,
        ctx.step,
        i18n,
        catalogue,
        screener,
        settings,
        ctx.screened,
        i18n(key),
    )


async def contact_outside_form(message: Message, i18n: Localizer) -> None:
    """The «share contact» keyboard outlived its form (after /start, say): close it."""
    await message.answer(
        i18n("application.contact_outside_form"), reply_markup=ReplyKeyboardRemove()
    )
    await show_main_menu(message, i18n)


# --------------------------------------------------------------------------- /my, withdraw


def _my_text(
    i18n: Localizer, catalogue: CatalogueService, items: list[Application], note: str = ""
) -> str:
    if not items:
        text = i18n("application.my.empty")
    else:
        lines = [i18n("application.my.title"), ""]
        for application in items:
            lines.append(
                i18n(
                    "application.my.item",
                    id=application.id,
                    title=escape(_title(i18n, catalogue, application.position_number)),
                    date=format_date(application.created_at),
                    status=_status(i18n, application.status),
                )
            )
        text = "\n".join(lines)
    return f"{note}\n\n{text}" if note else text


async def _show_my(
    event: Message | CallbackQuery,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
    note: str = "",
) -> None:
    items = await applications.list_for_user(session, _user_id(event))
    open_items = [a for a in items if applications.is_open(a)]
    await show(event, _my_text(i18n, catalogue, items, note), my_keyboard(i18n, open_items))


async def my_command(
    message: Message, session: AsyncSession, i18n: Localizer, catalogue: CatalogueService
) -> None:
    await _show_my(message, session, i18n, catalogue)


async def my_button(
    callback: CallbackQuery, session: AsyncSession, i18n: Localizer, catalogue: CatalogueService
) -> None:
    await _show_my(callback, session, i18n, catalogue)


async def withdraw_button(
    callback: CallbackQuery,
    callback_data: WithdrawCb,
    session: AsyncSession,
    i18n: Localizer,
    catalogue: CatalogueService,
    scheduler: AsyncIOScheduler | None = None,
) -> None:
    user_id = callback.from_user.id
    application_id = callback_data.application_id
    if not callback_data.confirm:
        application = await applications.get_own(session, application_id, user_id)
        if application is None:
            note = i18n("application.withdraw.not_found")
        elif not applications.is_open(application):
            note = i18n("application.withdraw.not_open", id=application_id)
        else:
            title = escape(_title(i18n, catalogue, application.position_number))
            await show(
                callback,
                i18n("application.withdraw.confirm", id=application_id, title=title),
                withdraw_keyboard(i18n, application_id),
            )
            return
        await _show_my(callback, session, i18n, catalogue, note)
        return
    outcome = await applications.withdraw(session, application_id, user_id)
    if outcome is WithdrawOutcome.withdrawn:
        kick(scheduler)
    key = {
        WithdrawOutcome.withdrawn: "application.withdraw.done",
        WithdrawOutcome.not_open: "application.withdraw.not_open",
        WithdrawOutcome.not_found: "application.withdraw.not_found",
    }[outcome]
    await _show_my(callback, session, i18n, catalogue, i18n(key, id=application_id))


# --------------------------------------------------------------------------- router


def create_commands_router() -> Router:
    """/my and withdrawal: tried before any conversation's own handlers."""
    router = Router(name="my_applications")
    router.message.register(my_command, Command("my"))
    router.callback_query.register(my_button, MyApplicationsCb.filter())
    router.callback_query.register(withdraw_button, WithdrawCb.filter())
    return router


def create_router() -> Router:
    """The application form; its catch-all for form steps must come after other routers'
    commands (/vacancies...)."""
    router = Router(name="application")
    in_form = StateFilter(ApplicationStates)
    router.callback_query.register(apply_button, ApplicationStartCb.filter())
    router.callback_query.register(consent_button, ConsentCb.filter())
    router.callback_query.register(form_button, FormCb.filter())
    router.message.register(name_typed, StateFilter(ApplicationStates.name), F.text)
    router.message.register(phone_sent, StateFilter(ApplicationStates.phone), F.text | F.contact)
    router.message.register(cv_sent, StateFilter(ApplicationStates.cv), F.document | F.photo)
    router.message.register(comment_typed, StateFilter(ApplicationStates.comment), F.text)
    router.message.register(unexpected_input, in_form)
    router.message.register(contact_outside_form, StateFilter(None), F.contact)
    return router
