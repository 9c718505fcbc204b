"""Keyboards of the questionnaire: choices, paged multi-selects, Back and Cancel."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.catalogue.models import Catalogue, Position
from bot.i18n import Localizer
from bot.keyboards.builder import KeyboardBuilder
from bot.keyboards.callbacks import (
    ApplicationStartCb,
    MenuAction,
    MenuCb,
    PositionCb,
    QuestionAction,
    QuestionCb,
)
from bot.screening.questionnaire import YES_NO_QUESTIONS, Questionnaire

FIELDS_PER_PAGE = 8


def field_pages(catalogue: Catalogue) -> int:
    return max(1, -(-len(catalogue.fields_of_study) // FIELDS_PER_PAGE))


def choices_for(q: Questionnaire, catalogue: Catalogue) -> list[str]:
    """The values a button of the current question may carry."""
    if q.current == "education_level":
        return [level.id for level in catalogue.education_levels]
    if q.current == "fields_of_study":
        return [f.id for f in catalogue.fields_of_study]
    if q.current == "driver_licences":
        return list(catalogue.driver_licence_categories)
    if q.current in YES_NO_QUESTIONS:
        return ["yes", "no"]
    return []


def question_keyboard(
    i18n: Localizer, q: Questionnaire, catalogue: Catalogue
) -> InlineKeyboardMarkup:
    builder = KeyboardBuilder()
    sizes: list[int] = []

    def cb(action: QuestionAction, value: str = "") -> QuestionCb:
        return QuestionCb(token=q.token, step=q.step, action=action, value=value)

    if q.current == "education_level":
        for level in catalogue.education_levels:
            builder.button(
                text=level.name.get(i18n.lang), callback_data=cb(QuestionAction.answer, level.id)
            )
        sizes += [1] * len(catalogue.education_levels)
    elif q.current in YES_NO_QUESTIONS:
        builder.button(
            text=i18n("questionnaire.yes"), callback_data=cb(QuestionAction.answer, "yes")
        )
        builder.button(text=i18n("questionnaire.no"), callback_data=cb(QuestionAction.answer, "no"))
        sizes.append(2)
    elif q.current == "fields_of_study":
        fields = catalogue.fields_of_study
        pages = field_pages(catalogue)
        first = q.page * FIELDS_PER_PAGE
        for index, f in enumerate(fields[first : first + FIELDS_PER_PAGE], start=first):
            mark = "✅ " if f.id in q.picks else ""
            builder.button(
                text=mark + f.name.get(i18n.lang),
                callback_data=cb(QuestionAction.toggle, str(index)),
            )
            sizes.append(1)
        nav = 0
        if q.page > 0:
            builder.button(text="◀", callback_data=cb(QuestionAction.page, str(q.page - 1)))
            nav += 1
        builder.button(
            text=i18n("questionnaire.page", page=q.page + 1, pages=pages),
            callback_data=cb(QuestionAction.page, str(q.page)),
        )
        nav += 1
        if q.page < pages - 1:
            builder.button(text="▶", callback_data=cb(QuestionAction.page, str(q.page + 1)))
            nav += 1
        sizes.append(nav)
        done_key = "questionnaire.done" if q.picks else "questionnaire.fields_none"
        builder.button(
            text=i18n(done_key, count=len(q.picks)), callback_data=cb(QuestionAction.done)
        )
        sizes.append(1)
    elif q.current == "driver_licences":
        categories = catalogue.driver_licence_categories
        for index, category in enumerate(categories):
            mark = "✅ " if category in q.picks else ""
            builder.button(
                text=mark + category, callback_data=cb(QuestionAction.toggle, str(index))
            )
        sizes += [5] * (len(categories) // 5) + (
            [len(categories) % 5] if len(categories) % 5 else []
        )
        done_key = "questionnaire.done" if q.picks else "questionnaire.licences_none"
        builder.button(
            text=i18n(done_key, count=len(q.picks)), callback_data=cb(QuestionAction.done)
        )
        sizes.append(1)
    builder.button(text=i18n("common.back"), callback_data=cb(QuestionAction.back))
    builder.button(text=i18n("common.cancel"), callback_data=cb(QuestionAction.cancel))
    sizes.append(2)
    builder.adjust(*sizes)
    return builder.as_markup()


def result_keyboard(
    i18n: Localizer, position: Position, suggestions: list[Position]
) -> InlineKeyboardMarkup:
    builder = KeyboardBuilder()
    # Applying is allowed whatever the verdict: HR decides.
    builder.button(
        text=i18n("application.apply"), callback_data=ApplicationStartCb(number=position.number)
    )
    for p in suggestions:
        builder.button(text=p.title.get(i18n.lang), callback_data=PositionCb(number=p.number))
    builder.button(
        text=i18n("questionnaire.to_card"), callback_data=PositionCb(number=position.number)
    )
    builder.button(text=i18n("common.to_menu"), callback_data=MenuCb(action=MenuAction.main))
    builder.adjust(1)
    return builder.as_markup()
