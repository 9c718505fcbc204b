"""«Apply» on a position card → a short questionnaire → the per-criterion verdict."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalogue.models import Position
from bot.catalogue.service import CatalogueService
from bot.deps import Deps
from bot.handlers.common import pressed_position, show, show_position, stale_button
from bot.handlers.filters import KnownPosition
from bot.handlers.flags import NAVIGATES
from bot.handlers.start import show_main_menu
from bot.i18n import Localizer
from bot.keyboards.application import after_submit_keyboard
from bot.keyboards.browse import position_card_keyboard
from bot.keyboards.callbacks import ApplyCb, DropoffAction, DropoffCb, QuestionAction, QuestionCb
from bot.keyboards.questionnaire import choices_for, question_keyboard, result_keyboard
from bot.rendering.applications import existing_text
from bot.rendering.catalogue import position_card
from bot.rendering.messages import escape
from bot.screening.engine import EXPERIENCE_PREFIX, TOTAL
from bot.screening.questionnaire import (
    Questionnaire,
    experience_requirement,
    is_years_question,
    question_domain,
)
from bot.screening.render import (
    field_tree,
    fields_text,
    render_result,
    requirement_words,
    suggestion_reason,
)
from bot.screening.suggestions import suggest
from bot.services import applications, funnel
from bot.services.funnel import Step

MAX_SUGGESTIONS = 5
DATA_KEY = "questionnaire"


class QuestionnaireStates(StatesGroup):
    education_level = State()
    fields_of_study = State()
    years = State()  # every «how many years» question
    # Kept so that a questionnaire started before the upgrade goes on where it was.
    years_in_specialty = State()
    years_managerial = State()
    driver_licences = State()
    has_security_clearance = State()
    medically_fit = State()
    special_training = State()


def _state_of(question: str) -> State:
    if question.startswith(EXPERIENCE_PREFIX):
        return QuestionnaireStates.years
    return getattr(QuestionnaireStates, question)  # type: ignore[no-any-return]


async def _load(state: FSMContext) -> Questionnaire | None:
    data = (await state.get_data()).get(DATA_KEY)
    return Questionnaire.from_dict(data) if data else None


async def _running(message: Message, state: FSMContext, i18n: Localizer) -> Questionnaire | None:
    """The questionnaire a message answers; None (the main menu shown) when it is over."""
    q = await _load(state)
    if q is None or q.finished:
        await state.clear()
        await show_main_menu(message, i18n, note=i18n("common.stale"))
        return None
    return q


def _question_text(
    i18n: Localizer, q: Questionnaire, position: Position, catalogue: CatalogueService
) -> str:
    header = i18n.cached(
        "questionnaire.progress",
        step=q.step + 1,
        total=len(q.questions),
        title=escape(position.title.get(i18n.lang)),
    )
    params: dict[str, str] = {}
    key = f"questionnaire.ask.{q.current}"
    if is_years_question(q.current):
        domain = question_domain(q.current)
        requirement = experience_requirement(position, q.current)
        words = requirement_words(catalogue.catalogue, requirement, domain, i18n.lang)
        params["domain"] = escape(words)
        if q.current.startswith("experience:"):
            key = "questionnaire.ask.years_total" if domain == TOTAL else "questionnaire.ask.years"
    if q.current == "special_training":
        params["training"] = escape(_training_text(position, i18n.lang))
    text = f"{header}\n\n{i18n.cached(key, **params)}"  # the position's words only
    if q.current == "fields_of_study":
        text += "\n\n" + _field_picker_text(i18n, q, catalogue)
    return text


def _training_text(position: Position, lang: str) -> str:
    """Every training the position asks (of the position, or of one of its paths)."""
    criteria = position.criteria
    if criteria is None:
        return "—"
    texts = [criteria.special_training] if criteria.special_training is not None else []
    texts += [p.special_training for p in criteria.paths if p.special_training is not None]
    return "; ".join(dict.fromkeys(t.get(lang) for t in texts)) or "—"


def _field_picker_text(i18n: Localizer, q: Questionnaire, catalogue: CatalogueService) -> str:
    """Where the picker is (the areas, one area, or search results) and what is ticked."""
    tree = field_tree(catalogue.catalogue)
    if q.node is None and q.query is not None:
        where = i18n("questionnaire.fields_where_search", query=escape(q.query))
    elif q.node is not None:
        where = i18n.cached(
            "questionnaire.fields_where_node",
            name=escape(f"{q.node} {tree.label(q.node, i18n.lang)}"),
        )
    else:
        where = i18n("questionnaire.fields_where_areas")
    lines = [where]
    if q.picks:
        picked = fields_text(catalogue.catalogue, q.picks, i18n.lang, i18n.translator)
        lines.append(i18n("questionnaire.fields_picked", fields=escape(picked)))
    lines.append(i18n("questionnaire.fields_search_hint"))
    return "\n".join(lines)


async def _ask(
    event: Message | CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    q: Questionnaire,
    i18n: Localizer,
    deps: Deps,
    note: str = "",
) -> None:
    """Persist the questionnaire, then show its current question (or the result)."""
    catalogue = deps.catalogue
    position = catalogue.position(q.position)
    assert position is not None
    if q.finished:
        await _finish(event, state, session, q, position, i18n, deps)
        return
    await state.set_state(_state_of(q.current))
    await state.update_data({DATA_KEY: q.to_dict()})
    text = _question_text(i18n, q, position, catalogue)
    await show(
        event,
        f"{note}\n\n{text}" if note else text,
        question_keyboard(i18n, q, catalogue.catalogue),
    )


async def _finish(
    event: Message | CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    q: Questionnaire,
    position: Position,
    i18n: Localizer,
    deps: Deps,
) -> None:
    catalogue, screener, vacancies = deps.catalogue, deps.screener, deps.vacancies
    profile = q.profile()
    result = screener.screen(position, profile)
    user_id = event.from_user.id if event.from_user else None
    await funnel.record(
        session, Step.finished_questionnaire, user_id, position.number, position.department
    )
    if result.verdict != "does_not_meet":
        await funnel.record(
            session, Step.met_criteria, user_id, position.number, position.department
        )
    # Keep the finished answers: the application (a later step) is built on them.
    await state.set_state(None)
    await state.set_data({"screened": {"position": q.position, "answers": q.answers}})
    lines = render_result(result, i18n.lang, i18n.translator, catalogue.catalogue)
    text = i18n("questionnaire.result_title") + "\n\n" + "\n".join(escape(line) for line in lines)
    suggestions = []
    if result.verdict == "does_not_meet":
        everything = (p.number for p in catalogue.catalogue.positions)
        open_numbers = await vacancies.open_numbers(session, everything)
        suggestions = suggest(screener, profile, position, MAX_SUGGESTIONS, open_numbers)
        key = "questionnaire.suggestions" if suggestions else "questionnaire.no_suggestions"
        text += "\n\n" + i18n(key)
        for s in suggestions:
            why = suggestion_reason(s.result, i18n.lang, i18n.translator, catalogue.catalogue)
            title = s.position.title.get(i18n.lang)
            line = f"{title} — {why}" if why else title
            text += f"\n• {escape(line)}"
    await show(event, text, result_keyboard(i18n, position, suggestions))


async def start_questionnaire(
    callback: CallbackQuery,
    callback_data: ApplyCb,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    pressed = await pressed_position(callback, callback_data.number, session, i18n, deps)
    if pressed is None:
        return
    position, vacancy = pressed
    if not vacancy.is_open:  # HR closed it (/vacancies): no new questionnaires
        await show_position(callback, position, vacancy, i18n, deps)
        return
    if position.criteria is None:
        await show(
            callback, i18n("questionnaire.unavailable"), position_card_keyboard(i18n, position)
        )
        return
    # An application to it is open already: said now, not after the whole questionnaire.
    existing = await applications.open_application(session, callback.from_user.id, position.number)
    if existing is not None:
        text = existing_text(i18n, deps.catalogue, existing)
        await show(callback, text, after_submit_keyboard(i18n), below=True)
        return
    q = Questionnaire.start(position)
    await state.set_data({})
    await funnel.record(
        session,
        Step.started_questionnaire,
        callback.from_user.id,
        position.number,
        position.department,
    )
    await _ask(
        callback,
        state,
        session,
        q,
        i18n,
        deps,
        note=i18n("questionnaire.intro"),
    )


async def question_button(
    callback: CallbackQuery,
    callback_data: QuestionCb,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    """Every questionnaire button: checked against the current question once, then applied."""
    catalogue = deps.catalogue
    q = await _load(state)
    if q is None or q.finished:
        await stale_button(callback, i18n)
        return

    async def ask(note: str = "") -> None:
        await _ask(callback, state, session, q, i18n, deps, note=note)

    if not q.accepts(callback_data.token, callback_data.step):
        await ask(i18n("questionnaire.old_button"))
        return
    action, value = callback_data.action, callback_data.value
    if action is QuestionAction.cancel:
        await state.clear()
        await show_main_menu(callback, i18n, note=i18n("questionnaire.cancelled"))
        return
    if action is QuestionAction.back and not q.back():
        # Back from the first question: to the position card.
        position = catalogue.position(q.position)
        assert position is not None
        await state.clear()
        await show(
            callback,
            position_card(i18n, catalogue, position),
            position_card_keyboard(i18n, position),
        )
        return
    choices = choices_for(q, catalogue.catalogue)
    tree = field_tree(catalogue.catalogue)
    applied = {
        QuestionAction.back: lambda: True,
        QuestionAction.answer: lambda: q.choose(value, choices),
        QuestionAction.toggle: lambda: q.toggle_index(value, choices, tree),
        QuestionAction.up: lambda: q.up(tree),
        QuestionAction.page: lambda: q.turn_page(value, q.pages(len(choices))),
        QuestionAction.done: q.finish_multi_select,
    }[action]()
    await ask("" if applied else i18n("questionnaire.old_button"))


async def questionnaire_message(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    """A message in the questionnaire. Typed text: years where years are asked, a search in
    the field picker, otherwise a hint to use the buttons (the model decides which). A
    sticker, a photo or a command where a button is expected: explain and ask again."""
    q = await _running(message, state, i18n)
    if q is None:
        return
    text = message.text
    if not text or text.startswith("/"):
        typed = is_years_question(q.current)
        note = i18n("questionnaire.years_not_a_number" if typed else "questionnaire.use_buttons")
    else:
        refused = q.typed(text, field_tree(deps.catalogue.catalogue))
        note = i18n(f"questionnaire.{refused}", query=escape(text[:50])) if refused else ""
    await _ask(message, state, session, q, i18n, deps, note=note)


async def dropoff_button(
    callback: CallbackQuery,
    callback_data: DropoffCb,
    state: FSMContext,
    session: AsyncSession,
    i18n: Localizer,
    deps: Deps,
) -> None:
    """The drop-off reminder (``bot.services.nudges``): Continue asks the question they
    stopped at again; «Not interested» drops the questionnaire (no reminder ever again: one
    per person). Only for the questionnaire the reminder named, while it is still open."""
    q = await _load(state)
    in_questionnaire = (await state.get_state() or "").startswith("QuestionnaireStates:")
    if q is None or q.finished or q.token != callback_data.token or not in_questionnaire:
        await stale_button(callback, i18n)
        return
    if callback_data.action is DropoffAction.stop:
        await state.clear()
        await show_main_menu(callback, i18n, note=i18n("nudges.dropoff.stopped"))
        return
    await _ask(callback, state, session, q, i18n, deps)


def create_router() -> Router:
    router = Router(name="questionnaire")
    in_questionnaire = StateFilter(QuestionnaireStates)
    router.callback_query.register(
        start_questionnaire, ApplyCb.filter(), KnownPosition(), flags=NAVIGATES
    )
    router.callback_query.register(question_button, QuestionCb.filter())
    router.callback_query.register(dropoff_button, DropoffCb.filter())
    router.message.register(questionnaire_message, in_questionnaire)
    return router
