"""HR's broadcast texts: the audience, an item of /broadcasts, the progress message."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.catalogue.service import CatalogueService
from bot.db.models import Broadcast
from bot.i18n import Localizer, Translator
from bot.rendering.catalogue import department_names
from bot.rendering.hr import local_time

if TYPE_CHECKING:
    from bot.sending.engine import ProgressSnapshot


def audience_text(
    i18n: Localizer, catalogue: CatalogueService, departments: Sequence[str] | None
) -> str:
    """«Every subscriber» or «the subscribers of: …» (None: every subscriber)."""
    if departments is None:
        return i18n("broadcast.audience.all")
    return i18n(
        "broadcast.audience.departments", names=department_names(i18n, catalogue, departments)
    )


def broadcast_item(i18n: Localizer, catalogue: CatalogueService, broadcast: Broadcast) -> str:
    times = [i18n("broadcast.list.created", when=local_time(broadcast.created_at))]
    if broadcast.scheduled_at is not None:
        times.append(i18n("broadcast.list.scheduled_at", when=local_time(broadcast.scheduled_at)))
    if broadcast.started_at is not None:
        times.append(i18n("broadcast.list.started_at", when=local_time(broadcast.started_at)))
    if broadcast.finished_at is not None:
        times.append(i18n("broadcast.list.finished_at", when=local_time(broadcast.finished_at)))
    audience = audience_text(i18n, catalogue, broadcast.departments or None)
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


def progress_text(t: Translator, lang: str, snapshot: ProgressSnapshot) -> str:
    """HR's progress message of a broadcast; at the end, its report."""
    if snapshot.finished:
        key = "broadcast_engine.done" if not snapshot.left else "broadcast_engine.stopped"
        return t(
            lang,
            key,
            id=snapshot.broadcast_id,
            sent=snapshot.sent,
            total=snapshot.total,
            failed=snapshot.failed,
            unsubscribed=snapshot.unsubscribed,
            duration=duration_text(t, lang, snapshot.elapsed),
        )
    eta = (
        duration_text(t, lang, snapshot.eta_seconds)
        if snapshot.eta_seconds is not None
        else t(lang, "broadcast_engine.eta.unknown")
    )
    text = t(
        lang,
        "broadcast_engine.progress",
        id=snapshot.broadcast_id,
        sent=snapshot.sent,
        total=snapshot.total,
        failed=snapshot.failed,
        unsubscribed=snapshot.unsubscribed,
        left=snapshot.left,
        rate=f"{snapshot.rate:.0f}",
        eta=eta,
    )
    if snapshot.paused:
        text += "\n" + t(lang, "broadcast_engine.progress.paused")
    return text


def duration_text(translator: Translator, lang: str, seconds: float) -> str:
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return translator(lang, "broadcast_engine.duration.hours", hours=hours, minutes=minutes)
    if minutes:
        return translator(lang, "broadcast_engine.duration.minutes", minutes=minutes, seconds=secs)
    return translator(lang, "broadcast_engine.duration.seconds", seconds=secs)
