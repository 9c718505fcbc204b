"""Keyboards of the questionnaire: choices, paged multi-selects, Back and Cancel."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.catalogue.models import Catalogue, Position
from bot.i18n import Localizer
from bot.keyboards.builder import KeyboardBuilder
from bot.keyboards.callbacks import (
    ApplicationStartCb,
    CardCb,
    CardSource,
    MenuAction,
    MenuCb,
    QuestionAction,
    QuestionCb,
)
from bot.screening.questionnaire import FIELDS_PER_PAGE, YES_NO_QUESTIONS, Questionnaire
from bot.screening.render import field_tree
from bot.screening.suggestions import Suggestion


def choices_for(q: Questionnaire, catalogue: Catalogue) -> list[str]:
    """The values a button of the current question may carry (multi-selects: by index)."""
    if q.current == "education_level":
        return [level.id for level in catalogue.education_levels]
    if q.current in YES_NO_QUESTIONS:
        return ["yes", "no"]
    return q.choices(field_tree(catalogue), list(catalogue.driver_licence_categories))


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
        tree = field_tree(catalogue)
        entries = q.field_entries(tree)
        pages = q.pages(len(entries))
        first = q.page * FIELDS_PER_PAGE
        picked = set(q.picks)
        for index, code in enumerate(entries[first : first + FIELDS_PER_PAGE], start=first):
            label = f"{code} {tree.label(code, i18n.lang)}"
            if tree.is_leaf(code):
                text = ("✅ " if code in picked else "") + label
            else:
                inside = sum(1 for leaf in tree.leaves_under(code) if leaf in picked)
                key = "questionnaire.fields_open_picked" if inside else "questionnaire.fields_open"
                text = i18n.cached(key, name=label, count=inside)
            builder.button(text=text, callback_data=cb(QuestionAction.toggle, str(index)))
            sizes.append(1)
        if pages > 1:
            nav = 0
            if q.page > 0:
                builder.button(text="◀", callback_data=cb(QuestionAction.page, str(q.page - 1)))
                nav += 1
            builder.button(
                text=i18n.cached("questionnaire.page", page=q.page + 1, pages=pages),
                callback_data=cb(QuestionAction.page, str(q.page)),
            )
            nav += 1
            if q.page < pages - 1:
                builder.button(text="▶", callback_data=cb(QuestionAction.page, str(q.page + 1)))
                nav += 1
            sizes.append(nav)
        if q.node is not None or q.query is not None:
            back_to_results = q.query is not None and len(q.trail) <= 1
            up_key = (
                "questionnaire.fields_up_search" if back_to_results else "questionnaire.fields_up"
            )
            builder.button(text=i18n(up_key), callback_data=cb(QuestionAction.up))
            sizes.append(1)
        done_key = "questionnaire.done" if q.picks else "questionnaire.fields_none"
        builder.button(
            text=i18n.cached(done_key, count=len(q.picks)), callback_data=cb(QuestionAction.done)
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
            text=i18n.cached(done_key, count=len(q.picks)), callback_data=cb(QuestionAction.done)
        )
        sizes.append(1)
    builder.button(text=i18n("common.back"), callback_data=cb(QuestionAction.back))
    builder.button(text=i18n("common.cancel"), callback_data=cb(QuestionAction.cancel))
    sizes.append(2)
    builder.adjust(*sizes)
    return builder.as_markup()


def result_keyboard(
    i18n: Localizer, position: Position, suggestions: list[Suggestion]
) -> InlineKeyboardMarkup:
    builder = KeyboardBuilder()
    # Applying is allowed whatever the verdict: HR decides.
    builder.button(
        text=i18n("application.apply"), callback_data=ApplicationStartCb(number=position.number)
    )
    # The verdict stays on screen: what it opens arrives below it (CardSource.verdict).
    for s in suggestions:
        p = s.position
        builder.button(
            text=p.title.get(i18n.lang),
            callback_data=CardCb(number=p.number, src=CardSource.verdict),
        )
    builder.button(
        text=i18n("questionnaire.to_card"),
        callback_data=CardCb(number=position.number, src=CardSource.verdict),
    )
    builder.button(text=i18n("common.to_menu"), callback_data=MenuCb(action=MenuAction.main_below))
    builder.adjust(1)
    return builder.as_markup()
