"""Texts of the catalogue screens (HTML)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.catalogue.models import Position
from bot.catalogue.service import CatalogueService
from bot.i18n import Localizer
from bot.rendering.messages import escape, split_blocks
from bot.services.vacancies import Vacancy

SECTION_ORDER = ("education", "experience", "competences", "optional")


def position_card(
    i18n: Localizer, catalogue: CatalogueService, position: Position, note: str = ""
) -> list[str]:
    """The card as one or more messages, each within Telegram's limit.

    ``note`` (say, «closed» or the open places: :func:`vacancy_note`) goes under the header.
    """
    lang = i18n.lang
    department = catalogue.department(position.department)
    department_name = department.name.get(lang) if department else ""
    sub = catalogue.subdepartment_name(position, lang)
    if sub:
        department_name = f"{department_name} › {sub}"
    header = i18n(
        "browse.card.header",
        title=escape(position.title.get(lang)),
        department=escape(department_name),
        headcount=position.headcount,
        number=position.number,
    )
    blocks = [header, note] if note else [header]
    for name in SECTION_ORDER:
        section = getattr(position.sections, name)
        if section is None:
            continue
        blocks.append(i18n(f"browse.card.section.{name}") + "\n" + escape(section.get(lang)))
    return split_blocks(blocks)


def vacancy_note(i18n: Localizer, vacancy: Vacancy) -> str:
    """What an applicant sees of HR's /vacancies on a card: closed, or the places open now."""
    if not vacancy.is_open:
        return i18n("hr_tools.public.closed")
    if vacancy.open_places is not None:
        return i18n("hr_tools.public.places", places=vacancy.open_places)
    return ""


def department_names(i18n: Localizer, catalogue: CatalogueService, ids: Iterable[str]) -> str:
    """The departments' names in the person's language, escaped, «; »-separated (ids no
    longer in the catalogue left out)."""
    found = (catalogue.department(i) for i in ids)
    return "; ".join(escape(d.name.get(i18n.lang)) for d in found if d is not None)
