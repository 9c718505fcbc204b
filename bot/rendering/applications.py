"""The applicant's texts about their applications: /my, «you have one already», the
review of the form before Submit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.catalogue.models import Position
from bot.catalogue.service import CatalogueService
from bot.db.models import Application
from bot.i18n import Localizer
from bot.rendering.messages import escape
from bot.rendering.privacy import format_date


def position_title(i18n: Localizer, catalogue: CatalogueService, number: int) -> str:
    position = catalogue.position(number)
    return position.title.get(i18n.lang) if position else f"#{number}"


def status_name(i18n: Localizer, status: str) -> str:
    return i18n(f"application.status.{status}")


def _about(i18n: Localizer, catalogue: CatalogueService, application: Application) -> Any:
    """An application's placeholders: number, position, date, status."""
    return {
        "id": application.id,
        "title": escape(position_title(i18n, catalogue, application.position_number)),
        "date": format_date(application.created_at),
        "status": status_name(i18n, application.status),
    }


def existing_text(i18n: Localizer, catalogue: CatalogueService, application: Application) -> str:
    """«You have application №… already» (also the dialog's, at «I agree» and Submit)."""
    return i18n("application.existing", **_about(i18n, catalogue, application))


def my_applications_text(
    i18n: Localizer, catalogue: CatalogueService, items: list[Application], note: str = ""
) -> str:
    if not items:
        text = i18n("application.my.empty")
    else:
        lines = [i18n("application.my.title"), ""]
        for application in items:
            lines.append(i18n("application.my.item", **_about(i18n, catalogue, application)))
        text = "\n".join(lines)
    return f"{note}\n\n{text}" if note else text


def review_text(
    i18n: Localizer,
    position: Position,
    verdict: str,
    form: Mapping[str, Any],
    cv_name: str | None,
) -> str:
    """The form before Submit: the position, the verdict, what was typed (or «not given»)."""
    none = i18n("application.review.none")
    lines = [
        i18n("application.review.title"),
        "",
        i18n("application.review.position", title=escape(position.title.get(i18n.lang))),
        i18n("application.review.verdict", verdict=escape(verdict)),
        i18n("application.review.name", name=escape(form.get("name") or none)),
        i18n("application.review.phone", phone=escape(form.get("phone") or none)),
        i18n("application.review.cv", cv=escape(cv_name or none)),
        i18n("application.review.comment", comment=escape(form.get("comment") or none)),
        "",
        i18n("application.review.hint"),
    ]
    return "\n".join(lines)
