"""Nobody waits in silence: what the scheduled nudges queue (``bot.jobs`` runs them; the
outbox delivers them, see the kinds in ``bot.services.outbox``). Plain Python.

* :func:`queue_hr_digest` — applications with no decision after 48 h, listed to HR once a
  (local) day; nothing when there are none;
* :func:`queue_review_notices` — «still under review» to each candidate whose application
  waited 3 days without a decision, once per application;
* :func:`queue_dropoff_reminders` — one reminder to a person who started the questionnaire
  or the application form and left it (its conversation state, in the SQL storage,
  untouched for 20 h), once per person whichever flow, at a daytime hour.

Every row carries a ``dedup_key`` (``outbox.enqueue_once``): a job that runs again, after a
restart or on two processes at once, never queues one twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Application, ApplicationStatus, FsmRecord, OutboxMessage
from bot.scheduling import TIMEZONE
from bot.scheduling.nudges import (
    DEFAULT_DAYTIME,
    DROPOFF_AFTER,
    DROPOFF_WINDOW,
    HR_DIGEST_AFTER,
    REVIEW_NOTICE_AFTER,
    REVIEW_NOTICE_WINDOW,
    after_quiet_hours,
    next_daytime,
)
from bot.scheduling.reminders import QuietHours
from bot.services import outbox

# The questionnaire's states (bot.handlers.questionnaire.QuestionnaireStates) and where its
# progress is kept in the conversation data.
QUESTIONNAIRE_STATE_PREFIX = "QuestionnaireStates:"
QUESTIONNAIRE_DATA_KEY = "questionnaire"
DEFAULT_DESTINY = "default"
# The application form (bot.dialogs.application): an aiogram-dialog whose stack and context
# are records of their own in the same storage (``fsm:<chat>:<user>:aiogd:stack:`` lists the
# open dialogs' intent ids, the last on top; ``…:aiogd:context:<intent id>`` holds the
# window's state, the start data and what was entered). The form is the conversation in
# progress while the default record's data names its intent id under FORM_LIVE_KEY (and no
# FSM state is set): /start or another flow clears that, and the form is not «left» then.
FORM_STATE_PREFIX = "ApplicationSG:"
FORM_LIVE_KEY = "application_form"
FORM_STEPS = ("name", "phone", "cv", "comment")  # numbered «step n of 4» on screen
FORM_EDITING_KEY = "editing"  # dialog data: a step opened from the review
STACK_DESTINY = "aiogd:stack:"
FORM_FLOW = "form"  # the reminder's payload ``flow`` (none: the questionnaire)
CONTEXT_DESTINY = "aiogd:context:"
# At most this many rows a run (the next run takes the rest).
BATCH = 500


def _undecided() -> list[Any]:
    return [
        Application.status == ApplicationStatus.new,
        Application.decided_at.is_(None),
        Application.anonymized_at.is_(None),
    ]


async def undecided_since(
    session: AsyncSession, before: datetime, ids: list[int] | None = None
) -> list[Application]:
    """Applications with no decision created before ``before``, oldest first (optionally
    only those of ``ids``)."""
    query = select(Application).where(*_undecided(), Application.created_at <= before)
    if ids is not None:
        query = query.where(Application.id.in_(ids))
    return list(await session.scalars(query.order_by(Application.id).limit(BATCH)))


def digest_key(now: datetime) -> str:
    return f"hr-digest:{now.astimezone(TIMEZONE).date().isoformat()}"


async def queue_hr_digest(session: AsyncSession, now: datetime) -> bool:
    """The day's digest of applications undecided after 48 h (none: nothing); commits.
    Whether a row was queued (False also when today's was queued already)."""
    waiting = await undecided_since(session, now - HR_DIGEST_AFTER)
    if not waiting:
        return False
    payload = {"application_ids": [a.id for a in waiting]}
    added = await outbox.enqueue_once(
        session, outbox.HR_DIGEST, None, digest_key(now), payload, now=now
    )
    await session.commit()
    return added


async def queue_review_notices(session: AsyncSession, now: datetime, quiet: QuietHours) -> int:
    """«Still under review» for every application undecided for 3 days (and not for much
    longer); never before the quiet hours end. Commits; how many were queued."""
    query = (
        select(Application.id)
        .where(
            *_undecided(),
            Application.user_id.is_not(None),
            Application.created_at <= now - REVIEW_NOTICE_AFTER,
            Application.created_at > now - REVIEW_NOTICE_WINDOW,
        )
        .order_by(Application.id)
        .limit(BATCH)
    )
    when = after_quiet_hours(now, quiet)
    added = 0
    for application_id in list(await session.scalars(query)):
        added += await outbox.enqueue_once(
            session,
            outbox.REVIEW_NOTICE,
            application_id,
            f"review:{application_id}",
            now=now,
            not_before=when,
        )
    await session.commit()
    return added


async def review_notice_due(session: AsyncSession, application_id: int) -> Application | None:
    """The application, if the notice still says the truth (no decision yet)."""
    return await session.scalar(
        select(Application).where(
            Application.id == application_id, *_undecided(), Application.user_id.is_not(None)
        )
    )


@dataclass(frozen=True, slots=True)
class LeftQuestionnaire:
    user_id: int
    position: int
    token: str
    step: int  # the question they stopped at, from 1
    total: int


def private_user(key: str) -> int | None:
    """The person of a private chat's default FSM key (``fsm:<chat>:<user>:default``)."""
    parts = key.split(":")
    if len(parts) != 4 or parts[3] != DEFAULT_DESTINY or parts[1] != parts[2]:
        return None
    return int(parts[2]) if parts[2].isascii() and parts[2].isdecimal() else None


def left_questionnaire(
    state: str | None, data: dict[str, Any], user_id: int
) -> LeftQuestionnaire | None:
    if not state or not state.startswith(QUESTIONNAIRE_STATE_PREFIX):
        return None
    raw = data.get(QUESTIONNAIRE_DATA_KEY)
    if not isinstance(raw, dict):
        return None
    questions, step = raw.get("questions"), raw.get("step")
    position, token = raw.get("position"), raw.get("token")
    if not (isinstance(questions, list) and isinstance(step, int) and isinstance(token, str)):
        return None
    if not isinstance(position, int) or not 0 <= step < len(questions):
        return None
    return LeftQuestionnaire(user_id, position, token, step + 1, len(questions))


async def queue_dropoff_reminders(
    session: AsyncSession,
    now: datetime,
    quiet: QuietHours,
    daytime: tuple[time, time] = DEFAULT_DAYTIME,
) -> int:
    """One reminder for each person whose questionnaire or application form was left 20 h
    ago (and not more than a week ago), at the next daytime hour; once per person.
    Commits; how many."""
    query = (
        select(FsmRecord.key, FsmRecord.state, FsmRecord.data)
        .where(
            FsmRecord.state.like(f"{QUESTIONNAIRE_STATE_PREFIX}%"),
            FsmRecord.updated_at <= now - DROPOFF_AFTER,
            FsmRecord.updated_at > now - DROPOFF_WINDOW,
        )
        .order_by(FsmRecord.key)
        .limit(BATCH)
    )
    when = next_daytime(now, quiet, daytime)
    added = 0
    for key, state, data in (await session.execute(query)).all():
        user_id = private_user(key)
        left = None if user_id is None else left_questionnaire(state, dict(data or {}), user_id)
        if left is None:
            continue
        payload = {
            "user_id": left.user_id,
            "position": left.position,
            "token": left.token,
            "step": left.step,
            "total": left.total,
        }
        added += await outbox.enqueue_once(
            session,
            outbox.DROPOFF_REMINDER,
            None,
            dropoff_key(left.user_id),
            payload,
            now=now,
            not_before=when,
        )
    # The same key: one drop-off reminder per person, whichever flow they left.
    for form in await _left_forms(session, now):
        payload = {
            "user_id": form.user_id,
            "flow": FORM_FLOW,
            "position": form.position,
            "intent": form.intent,
            "step": form.step,
            "remaining": form.remaining,
        }
        added += await outbox.enqueue_once(
            session,
            outbox.DROPOFF_REMINDER,
            None,
            dropoff_key(form.user_id),
            payload,
            now=now,
            not_before=when,
        )
    await session.commit()
    return added


@dataclass(frozen=True, slots=True)
class LeftForm:
    user_id: int
    position: int
    intent: str  # the form's aiogram-dialog intent id: the reminder's buttons name it
    step: str  # consent, name, phone, cv, comment or review
    remaining: int  # steps still to fill in (0: only the review's Submit is left)


def _key(user_id: int, destiny: str) -> str:
    return f"fsm:{user_id}:{user_id}:{destiny}"


def form_keys(user_id: int, intent: str) -> tuple[str, str, str]:
    """The default, stack and context records of the person's form ``intent``."""
    return (
        _key(user_id, DEFAULT_DESTINY),
        _key(user_id, STACK_DESTINY),
        _key(user_id, CONTEXT_DESTINY + intent),
    )


def context_user(key: str) -> tuple[int, str] | None:
    """The person and intent id of a private chat's dialog context record."""
    head, sep, intent = key.partition(":" + CONTEXT_DESTINY)
    parts = head.split(":")
    if not sep or not intent or len(parts) != 3 or parts[1] != parts[2]:
        return None
    return (int(parts[2]), intent) if parts[2].isascii() and parts[2].isdecimal() else None


def left_form(
    user_id: int,
    intent: str,
    default: tuple[str | None, dict[str, Any]] | None,
    stack: dict[str, Any] | None,
    context: dict[str, Any],
) -> LeftForm | None:
    """The form ``intent`` if it is on top of the person's dialog stack and still the
    conversation in progress (``default``: the default record's state and data)."""
    if default is None or default[0] is not None or default[1].get(FORM_LIVE_KEY) != intent:
        return None
    intents = (stack or {}).get("intents")
    if not isinstance(intents, list) or not intents or intents[-1] != intent:
        return None
    state, started = context.get("state"), context.get("start_data")
    if not isinstance(state, str) or not state.startswith(FORM_STATE_PREFIX):
        return None
    position = started.get("position") if isinstance(started, dict) else None
    if not isinstance(position, int):
        return None
    step = state.removeprefix(FORM_STATE_PREFIX)
    dialog_data = context.get("dialog_data")
    editing = isinstance(dialog_data, dict) and bool(dialog_data.get(FORM_EDITING_KEY))
    if step in FORM_STEPS:
        # A step opened from the review goes back to it: only that one is left.
        remaining = 1 if editing else len(FORM_STEPS) - FORM_STEPS.index(step)
    elif step == "consent":
        remaining = len(FORM_STEPS)
    elif step == "review":
        remaining = 0
    else:
        return None
    return LeftForm(user_id, position, intent, step, remaining)


async def _form_records(
    session: AsyncSession, keys: list[str]
) -> dict[str, tuple[str | None, dict[str, Any], datetime]]:
    rows = await session.execute(
        select(FsmRecord.key, FsmRecord.state, FsmRecord.data, FsmRecord.updated_at).where(
            FsmRecord.key.in_(keys)
        )
    )
    return {r.key: (r.state, dict(r.data or {}), outbox.utc(r.updated_at)) for r in rows}


async def _left_forms(session: AsyncSession, now: datetime) -> list[LeftForm]:
    """Forms left between 20 h and a week ago: their context, stack and default records
    all untouched since (any of them written later: the person came back)."""
    query = (
        select(FsmRecord.key)
        .where(
            FsmRecord.key.like(f"fsm:%:{CONTEXT_DESTINY}%"),
            FsmRecord.data["state"].as_string().like(f"{FORM_STATE_PREFIX}%"),
            FsmRecord.updated_at <= now - DROPOFF_AFTER,
            FsmRecord.updated_at > now - DROPOFF_WINDOW,
        )
        .order_by(FsmRecord.key)
        .limit(BATCH)
    )
    found = [who for key in await session.scalars(query) if (who := context_user(key))]
    keys = {user: form_keys(user, intent) for user, intent in found}
    records = await _form_records(session, [k for triple in keys.values() for k in triple])
    left: list[LeftForm] = []
    for user_id, intent in found:
        default, stack, context = (records.get(k) for k in keys[user_id])
        if context is None or any(r[2] > now - DROPOFF_AFTER for r in (default, stack) if r):
            continue
        form = left_form(
            user_id,
            intent,
            default[:2] if default else None,
            stack[1] if stack else None,
            context[1],
        )
        if form is not None:
            left.append(form)
    return left


async def form_still_left(
    session: AsyncSession, user_id: int, intent: str, queued_at: datetime
) -> LeftForm | None:
    """The person's form ``intent`` if it still waits where it was left (none of its
    records written since the reminder was queued at ``queued_at``)."""
    keys = form_keys(user_id, intent)
    records = await _form_records(session, list(keys))
    default, stack, context = (records.get(k) for k in keys)
    if context is None or any(r[2] > outbox.utc(queued_at) for r in (default, stack, context) if r):
        return None
    return left_form(
        user_id, intent, default[:2] if default else None, stack[1] if stack else None, context[1]
    )


def dropoff_key(user_id: int) -> str:
    return f"dropoff:{user_id}"


async def still_left(
    session: AsyncSession, user_id: int, token: str, queued_at: datetime
) -> LeftQuestionnaire | None:
    """The person's questionnaire ``token`` if it still waits where it was left (untouched
    since the reminder was queued at ``queued_at``)."""
    row = (
        await session.execute(
            select(FsmRecord.state, FsmRecord.data, FsmRecord.updated_at).where(
                FsmRecord.key == f"fsm:{user_id}:{user_id}:{DEFAULT_DESTINY}"
            )
        )
    ).one_or_none()
    if row is None or outbox.utc(row.updated_at) > outbox.utc(queued_at):
        return None
    left = left_questionnaire(row.state, dict(row.data or {}), user_id)
    return left if left is not None and left.token == token else None


async def forget(session: AsyncSession, user_id: int) -> None:
    """/delete_me: the person's drop-off reminder row (its key and payload name them)."""
    await session.execute(
        delete(OutboxMessage).where(OutboxMessage.dedup_key == dropoff_key(user_id))
    )
