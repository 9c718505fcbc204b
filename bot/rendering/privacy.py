"""/privacy's texts: the consent of the current edition, what is stored, /delete_me's question."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.i18n import Localizer
from bot.rendering.messages import escape
from bot.services.privacy import CONSENT_VERSION, StoredSummary

LOCAL_TZ = ZoneInfo("Asia/Almaty")


def format_date(moment: datetime) -> str:
    """dd.mm.yyyy in Almaty time (SQLite gives naive datetimes: they are UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_TZ).strftime("%d.%m.%Y")


def consent_text(i18n: Localizer, settings: Settings, title: str | None = None) -> str:
    """The consent text of the current edition (:data:`CONSENT_VERSION`)."""
    purpose = (
        i18n("privacy.purpose.position", title=escape(title))
        if title is not None
        else i18n("privacy.purpose.general")
    )
    return i18n(
        "privacy.consent",
        purpose=purpose,
        days=settings.retention_days,
        backup_days=settings.backup_retention_days,
        version=CONSENT_VERSION,
    )


def delete_confirm_text(i18n: Localizer, settings: Settings) -> str:
    return i18n("privacy.delete.confirm", backup_days=settings.backup_retention_days)


def privacy_text(i18n: Localizer, settings: Settings, summary: StoredSummary) -> str:
    """/privacy: the consent text, whether and when it was given, what is stored."""
    lines = [i18n("privacy.title"), "", consent_text(i18n, settings), ""]
    if summary.consent is not None:
        lines.append(
            i18n(
                "privacy.consent_given",
                date=format_date(summary.consent.given_at),
                version=escape(summary.consent.version),
            )
        )
    else:
        lines.append(i18n("privacy.consent_none"))
    lines += ["", i18n("privacy.stored.title")]
    if summary.language:
        language = i18n(f"common.language.{summary.language}")
        lines.append(i18n("privacy.stored.language", language=language))
    else:
        lines.append(i18n("privacy.stored.language_none"))
    lines.append(
        i18n(
            "privacy.stored.applications",
            count=summary.applications,
            open=summary.open_applications,
        )
    )
    if summary.applications:
        lines.append(i18n("privacy.stored.contents"))
        lines.append(i18n("privacy.stored.cv_yes" if summary.has_cv else "privacy.stored.cv_no"))
    lines += [i18n("privacy.stored.nothing"), "", i18n("privacy.delete_hint")]
    return "\n".join(lines)
