"""Texts of the nudges (``bot.services.nudges``): HR's 48 h digest, «still under review», the
drop-off reminder."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.catalogue.service import CatalogueService
from bot.db.models import Application
from bot.i18n import Localizer
from bot.rendering.messages import escape, split_blocks
from bot.services.outbox import utc

MAX_LISTED = 50  # the digest names this many, then says how many more


def card_link(chat_id: int | None, message_id: int | None) -> str | None:
    """A link to the application's card in a supergroup (``-100…`` ids) or None."""
    if chat_id is None or message_id is None or not str(chat_id).startswith("-100"):
        return None
    return f"https://t.me/c/{str(chat_id)[4:]}/{message_id}"


def hr_digest_blocks(
    i18n: Localizer,
    catalogue: CatalogueService,
    waiting: Sequence[Application],
    now: datetime,
) -> list[str]:
    """One line per application (its number, position, how long it waits; a link to its
    card when the chat is a supergroup); no personal data."""
    lines = [i18n("nudges.digest.title", count=len(waiting))]
    for application in waiting[:MAX_LISTED]:
        position = catalogue.position(application.position_number)
        title = position.title.get(i18n.lang) if position else str(application.position_number)
        days = max(int((now - utc(application.created_at)).total_seconds() // 86400), 0)
        line = i18n("nudges.digest.line", number=application.id, title=escape(title), days=days)
        link = card_link(application.hr_chat_id, application.hr_message_id)
        if link is not None:
            line += f' · <a href="{link}">{i18n("nudges.digest.card")}</a>'
        lines.append(line)
    if len(waiting) > MAX_LISTED:
        lines.append(i18n("nudges.digest.more", count=len(waiting) - MAX_LISTED))
    return split_blocks(["\n".join(lines)])


def review_notice_text(
    i18n: Localizer, catalogue: CatalogueService, application: Application
) -> str:
    position = catalogue.position(application.position_number)
    title = position.title.get(i18n.lang) if position else str(application.position_number)
    return i18n("nudges.review.text", number=application.id, title=escape(title))


def dropoff_text(i18n: Localizer, title: str, step: int, total: int) -> str:
    return i18n("nudges.dropoff.text", title=escape(title), step=step, total=total)


def form_dropoff_text(i18n: Localizer, title: str, remaining: int) -> str:
    """«You did not finish your application: N steps left» (none: only the review's Submit)."""
    if remaining == 0:
        return i18n("nudges.form.review", title=escape(title))
    return i18n("nudges.form.text", title=escape(title), remaining=remaining)
