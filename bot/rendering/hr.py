"""Texts about applications for HR (the summary in the HR chat) and for applicants
(their application's status). HTML; everything the applicant typed is escaped.

The summary re-renders the screening stored with the application
(``application.screening = {"answers": {...}, "criteria": [{"criterion", "status",
"reason", "params"}], "verdict": ...}``); when the lines are missing or unreadable it
screens the stored answers again with the catalogue's criteria.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup

from bot.catalogue.service import CatalogueService
from bot.db.models import Application, ApplicationStatus, HiringStage
from bot.i18n import Localizer, MissingTranslation, Translator
from bot.keyboards.hr import decision_keyboard, stage_keyboard
from bot.rendering.messages import TELEGRAM_TEXT_LIMIT, escape
from bot.scheduling.stages import stage_name
from bot.screening.engine import STATUSES, CriterionResult, NoCriteriaError, get_screener
from bot.screening.profile import PROFILE_KEYS, Profile, profile_data
from bot.screening.render import (
    VERDICT_MARKS,
    domain_name,
    field_name,
    format_years,
    level_name,
    render_criterion,
)
from bot.services import stages
from bot.services.bookings import PipelineView
from bot.services.hr import HistoryEntry, Outcome, is_deleted

log = logging.getLogger(__name__)

TIMEZONE = ZoneInfo("Asia/Almaty")
MAX_FIELD = 200  # characters of one typed value shown in the summary
STATUS_MARKS: Mapping[str, str] = {
    ApplicationStatus.new: "🆕",
    ApplicationStatus.shortlisted: "⭐",
    ApplicationStatus.invited: "📅",
    ApplicationStatus.rejected: "🚫",
    ApplicationStatus.withdrawn: "↩️",
}


def local_time(value: datetime) -> str:
    """«25.11.2026 19:05» in Almaty time (stored times are UTC; SQLite drops the zone)."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(TIMEZONE).strftime("%d.%m.%Y %H:%M")


def _clip(text: str, limit: int = MAX_FIELD) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _user_text(value: str | None) -> str:
    return escape(_clip(value.strip())) if value and value.strip() else ""


def position_title(catalogue: CatalogueService, application: Application, lang: str) -> str:
    position = catalogue.position(application.position_number)
    return position.title.get(lang) if position else f"№{application.position_number}"


def _department_name(catalogue: CatalogueService, application: Application, lang: str) -> str:
    department = catalogue.department(application.department)
    return department.name.get(lang) if department else application.department


# --------------------------------------------------------------------------- screening


def _criterion_from(data: object) -> CriterionResult:
    if not isinstance(data, Mapping):
        raise ValueError("a criterion must be an object")
    params: dict[str, Any] = {}
    raw = data.get("params") or {}
    if not isinstance(raw, Mapping):
        raise ValueError("params must be an object")
    for key, value in raw.items():
        params[str(key)] = tuple(str(v) for v in value) if isinstance(value, list) else value
    status = data.get("status")
    if status not in STATUSES:
        raise ValueError("unknown status")
    return CriterionResult(
        criterion=str(data["criterion"]),
        status=status,
        reason=str(data["reason"]),
        params=params,
    )


def _answers(application: Application) -> dict[str, Any]:
    screening = application.screening if isinstance(application.screening, dict) else {}
    answers = screening.get("answers")
    return dict(answers) if isinstance(answers, Mapping) else {}


def criteria_lines(
    application: Application, translator: Translator, lang: str, catalogue: CatalogueService
) -> list[str]:
    """Each criterion with its mark and localized reason (plain text, not yet escaped)."""
    screening = application.screening if isinstance(application.screening, dict) else {}
    stored = screening.get("criteria")
    if isinstance(stored, list) and stored:
        try:
            return [
                render_criterion(_criterion_from(c), lang, translator, catalogue.catalogue, "hr")
                for c in stored
            ]
        except (KeyError, ValueError, TypeError, MissingTranslation):
            log.warning("application %d: stored screening unreadable, re-screening", application.id)
    position = catalogue.position(application.position_number)
    if position is None:
        return []
    try:
        profile = Profile.model_validate(profile_data(_answers(application)))
        result = get_screener(catalogue.catalogue).screen(position, profile)
    except (ValueError, NoCriteriaError):
        return []
    return [
        render_criterion(r, lang, translator, catalogue.catalogue, "hr") for r in result.criteria
    ]


def _answer_value(
    key: str, value: object, translator: Translator, lang: str, catalogue: CatalogueService
) -> str:
    cat = catalogue.catalogue
    if value is None:
        return translator(lang, "hr.answer.not_declared")
    if isinstance(value, bool):
        return translator(lang, "hr.answer.yes" if value else "hr.answer.no")
    if key == "education_level":
        return level_name(cat, str(value), lang)
    if key in {"years_in_specialty", "years_managerial", "years_total"} and isinstance(
        value, int | float
    ):
        return format_years(float(value), lang, translator, genitive=False)
    if key == "experience" and isinstance(value, Mapping):
        return "; ".join(
            f"{domain_name(cat, str(domain), lang)}: "
            + (
                format_years(float(years), lang, translator, genitive=False)
                if isinstance(years, int | float)
                else str(years)
            )
            for domain, years in value.items()
        ) or translator(lang, "hr.answer.none")
    if isinstance(value, list | tuple):
        if not value:
            return translator(lang, "hr.answer.none")
        if key == "fields_of_study":
            return ", ".join(field_name(cat, str(v), lang) for v in value)
        return ", ".join(str(v) for v in value)
    return str(value)


def answer_lines(
    application: Application, translator: Translator, lang: str, catalogue: CatalogueService
) -> list[str]:
    answers = profile_data(_answers(application))
    lines = []
    for key in PROFILE_KEYS:
        if key not in answers:
            continue
        label = translator(lang, f"hr.answer.{key}")
        value = _answer_value(key, answers[key], translator, lang, catalogue)
        lines.append(f"• {label}: {escape(_clip(value, 600))}")
    return lines


# --------------------------------------------------------------------------- summary


def decision_line(entry: HistoryEntry, translator: Translator, lang: str) -> str:
    name = escape(_clip(entry.decided_by_name, 64)) or str(entry.decided_by or "")
    when = local_time(entry.decided_at) if entry.decided_at else ""
    text = translator(lang, f"hr.decided.{entry.status}", name=name, time=when)
    if entry.status == ApplicationStatus.rejected and entry.reason:
        text += " — " + translator(lang, f"hr.reason.{entry.reason}")
    return f"{STATUS_MARKS.get(entry.status, '•')} {text}"


def _contact_block(application: Application, translator: Translator, lang: str) -> list[str]:
    t = translator
    lines = [
        t(lang, "hr.summary.name", name=_user_text(application.full_name) or "—"),
        t(lang, "hr.summary.phone", phone=_user_text(application.phone) or "—"),
    ]
    if application.user_id is not None:
        link = (
            f'<a href="tg://user?id={int(application.user_id)}">{t(lang, "hr.summary.profile")}</a>'
        )
        if application.username:
            link += " @" + _user_text(application.username)
        lines.append(t(lang, "hr.summary.telegram", link=link))
    if application.comment and application.comment.strip():
        lines.append(t(lang, "hr.summary.comment", comment=_user_text(application.comment)))
    return lines


def hr_card(
    application: Application,
    decisions: Sequence[HistoryEntry],
    *,
    translator: Translator,
    lang: str,
    catalogue: CatalogueService,
    pipeline: PipelineView | None = None,
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The card as posted in the HR chat and refreshed after a decision: its text and the
    buttons still sensible (in the pipeline: the current stage's results, or «hired»)."""
    text = summary_text(
        application,
        decisions,
        translator=translator,
        lang=lang,
        catalogue=catalogue,
        pipeline=pipeline,
    )
    i18n = Localizer(translator, lang)
    if pipeline is None:
        return text, decision_keyboard(i18n, application)
    if not pipeline.active or is_deleted(application):
        return text, None
    return text, stage_keyboard(i18n, application, pipeline.stage.id if pipeline.stage else None)


def _stage_title(stage: HiringStage | None, translator: Translator, lang: str) -> str:
    if stage is None:
        return "—"
    return escape(stage_name(stages.model_of(stage), lang, translator))


def pipeline_lines(
    application: Application, pipeline: PipelineView, translator: Translator, lang: str
) -> list[str]:
    """The stages' results so far, the current stage and its booking (or the outcome)."""
    t = translator
    lines = [
        t(
            lang,
            f"hr.stage.result.{result.result}",
            stage=_stage_title(stage, t, lang),
            time=local_time(result.decided_at),
        )
        for result, stage in pipeline.results
    ]
    if application.outcome == "hired" and application.start_date is not None:
        lines.append(t(lang, "hr.stage.hired", date=application.start_date.strftime("%d.%m.%Y")))
    if not pipeline.active:
        return lines
    if pipeline.stage is None:
        lines.append(t(lang, "hr.stage.all_passed"))
        return lines
    lines.append(t(lang, "hr.stage.current", stage=_stage_title(pipeline.stage, t, lang)))
    if pipeline.booking is not None and pipeline.slot is not None:
        key = "hr.stage.confirmed" if pipeline.booking.status == "confirmed" else "hr.stage.booked"
        moment = local_time(pipeline.slot.starts_at).split(" ")
        lines.append(t(lang, key, date=moment[0], time=moment[1]))
    elif application.awaiting_slot_since is not None:
        lines.append(t(lang, "hr.stage.awaiting"))
    else:
        lines.append(t(lang, "hr.stage.not_booked"))
    return lines


def summary_text(
    application: Application,
    decisions: Sequence[HistoryEntry],
    *,
    translator: Translator,
    lang: str,
    catalogue: CatalogueService,
    pipeline: PipelineView | None = None,
) -> str:
    """The HR chat's card of one application, always under Telegram's 4096 characters."""
    t = translator
    head = [
        t(lang, "hr.summary.title", number=application.id),
        t(
            lang,
            "hr.summary.position",
            title=escape(position_title(catalogue, application, lang)),
            number=application.position_number,
        ),
        t(
            lang,
            "hr.summary.department",
            department=escape(_department_name(catalogue, application, lang)),
        ),
        t(lang, "hr.summary.submitted", time=local_time(application.created_at)),
    ]
    if is_deleted(application):
        return "\n".join([*head, "", t(lang, "hr.summary.deleted")])
    verdict = application.verdict
    verdict_line = f"{VERDICT_MARKS.get(verdict, '•')} " + t(
        lang, f"hr.verdict.{verdict}" if verdict in VERDICT_MARKS else "hr.verdict.unknown"
    )
    criteria = [escape(line) for line in criteria_lines(application, t, lang, catalogue)]
    answers = answer_lines(application, t, lang, catalogue)
    contact = _contact_block(application, t, lang)
    tail = [decision_line(d, t, lang) for d in decisions]
    if application.status == ApplicationStatus.withdrawn:
        tail.append(f"{STATUS_MARKS['withdrawn']} " + t(lang, "hr.summary.withdrawn"))
    if pipeline is not None:
        tail += pipeline_lines(application, pipeline, t, lang)

    def build(criteria: list[str], answers: list[str]) -> str:
        blocks = ["\n".join(head), "\n".join([verdict_line, *criteria])]
        if answers:
            blocks.append("\n".join([t(lang, "hr.summary.answers"), *answers]))
        blocks.append("\n".join([t(lang, "hr.summary.candidate"), *contact]))
        if tail:
            blocks.append("\n".join(tail))
        return "\n\n".join(blocks)

    text = build(criteria, answers)
    if len(text) > TELEGRAM_TEXT_LIMIT:
        text = build(criteria, [])  # the criteria lines already say what was answered
    while len(text) > TELEGRAM_TEXT_LIMIT and criteria:
        criteria = criteria[:-1]
        text = build([*criteria, "…"], [])
    return text


def withdrawn_notice(application: Application, translator: Translator, lang: str) -> str:
    return translator(lang, "hr.withdrawn_notice", number=application.id)


def cv_caption(application: Application, translator: Translator, lang: str) -> str:
    return translator(lang, "hr.cv_caption", number=application.id)


def cv_deleted_caption(application: Application, translator: Translator, lang: str) -> str:
    """What replaces the CV in the HR chat when Telegram refuses to delete it."""
    return translator(lang, "hr.cv_deleted", number=application.id)


def cv_deleted_file_name(application: Application, translator: Translator, lang: str) -> str:
    return translator(lang, "hr.cv_deleted_file", number=application.id)


def applicant_status_text(
    application: Application,
    status: str,
    reason: str | None,
    translator: Translator,
    catalogue: CatalogueService,
    *,
    booking: bool = False,
) -> str:
    """The applicant's notice about a decision, in the application's language (an
    invitation into the booking pipeline: they will pick a time next)."""
    lang = translator.lang_or_default(application.language)
    title = escape(position_title(catalogue, application, lang))
    if status == ApplicationStatus.rejected:
        key = f"hr.applicant.rejected.{reason}" if reason else "hr.applicant.rejected.other"
        if not translator.has(key):
            key = "hr.applicant.rejected.other"
    elif status == ApplicationStatus.invited and booking:
        key = "hr.applicant.invited_booking"  # the offer of the first stage follows
    else:
        key = f"hr.applicant.{status}"
    return translator(lang, key, title=title, number=application.id)


def outcome_text(
    outcome: Outcome,
    application: Application | None,
    translator: Translator,
    lang: str,
    earlier: HistoryEntry | None = None,
) -> str:
    """The answer to an HR button that changed nothing: the application's current state
    and, when it was decided since the card was shown, by whom."""
    number = application.id if application is not None else 0
    if outcome in (Outcome.not_found, Outcome.deleted, Outcome.withdrawn):
        return translator(lang, f"hr.state.{outcome.value}", number=number)
    status = application.status if application is not None else ""
    status_name = translator(lang, f"hr.status.{status}") if status else ""
    if outcome is Outcome.conflict and earlier is not None:
        # A plain-text alert: the name goes as it is, clipped, never as HTML.
        name = _clip(earlier.decided_by_name, 64) or str(earlier.decided_by or "")
        return translator(lang, "hr.state.conflict", number=number, name=name, status=status_name)
    return translator(lang, "hr.state.current", number=number, status=status_name)


def decided_text(application: Application, translator: Translator, lang: str) -> str:
    """The short confirmation to the HR person who pressed a decision button."""
    status_name = translator(lang, f"hr.status.{application.status}")
    return translator(lang, "hr.state.done", number=application.id, status=status_name)


def outage_alert_text(
    translator: Translator, lang: str, payload: Mapping[str, Any], chat: int | str
) -> str:
    """The admins' alert that messages to the HR chat have waited too long (an outbox row's
    payload: how many, for how long, the last error's class)."""
    return translator(
        lang,
        "hr.outage_alert",
        waiting=int(payload.get("waiting", 0)),
        minutes=int(payload.get("minutes", 0)),
        error=str(payload.get("error") or "?"),
        chat=chat,
    )


def stage_event_text(
    application: Application,
    event: str,
    stage: HiringStage | None,
    when: datetime | None,
    translator: Translator,
    lang: str,
) -> str:
    """The note under the card about a pipeline event (``hr_stage_event``)."""
    moment = local_time(when).split(" ") if when is not None else ["—", "—"]
    key = f"hr.event.{event}"
    if not translator.has(key):
        key = "hr.event.result"
    return translator(
        lang,
        key,
        number=application.id,
        stage=_stage_title(stage, translator, lang),
        date=moment[0],
        time=moment[1],
    )


def no_slots_text(
    application: Application, stage: HiringStage | None, translator: Translator, lang: str
) -> str:
    return translator(
        lang, "hr.no_slots", number=application.id, stage=_stage_title(stage, translator, lang)
    )
