"""The conversation between HR and a candidate about an application (plain Python, no
aiogram): where a candidate's message goes in the HR chat, to whom an HR reply goes back,
what was relayed (ids only, never texts), and what erasure leaves to delete.

A candidate writes to the bot outside any flow (or «Question to HR» from /my): the message
is copied into the HR chat — the application's forum topic (``HR_TOPICS``), else under its
card — with a header. An HR member's *reply* to such a copy, to the card or to the CV is
copied back to the candidate. Messages in a topic that reply to nothing (or to a colleague)
stay among HR: internal talk about a candidate never reaches the candidate by accident.

The copies are made by the caller (``bot.handlers.conversation``) through the ``copy``
callable given here, in answer to the incoming update itself (the candidate's message, the
HR reply): one service call looks the target up, lets the caller copy and records the
copies in the same transaction. Nothing is queued: an update that fails is answered with
a failure, so its sender knows to try again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    OPEN_STATUSES,
    Application,
    ApplicationTopic,
    RelayDirection,
    RelayedMessage,
)
from bot.services import outbox

# Telegram bots download files up to 20 MB; HR could not open a bigger one either.
MAX_FILE_BYTES = 20 * 1024 * 1024


class Content(StrEnum):
    """What a candidate's message holds (the caller tells)."""

    text = "text"
    photo = "photo"
    document = "document"
    other = "other"  # stickers, voice, video, …: not relayed


RELAYABLE = frozenset({Content.text, Content.photo, Content.document})


class Outcome(StrEnum):
    relayed = "relayed"
    choose = "choose"  # several live applications: the candidate picks one
    no_application = "no_application"  # nothing to talk about (or no HR chat)
    not_live = "not_live"  # a named application is not the person's or no longer open
    refused_kind = "refused_kind"
    too_big = "too_big"


@dataclass(frozen=True, slots=True)
class ToHR:
    """Where a candidate's message goes: the HR chat, the topic's thread (None: the chat
    itself) and the message to reply to (the card; None: none)."""

    application_id: int
    chat_id: int
    thread_id: int | None
    reply_to: int | None


@dataclass(frozen=True, slots=True)
class ToCandidate:
    application_id: int
    user_id: int
    language: str


@dataclass(frozen=True, slots=True)
class Result:
    outcome: Outcome
    application_id: int | None = None
    choices: Sequence[Application] = field(default_factory=tuple)


# The caller's copy: the ids of the messages it made in the HR chat (header and copy).
CopyToHR = Callable[[ToHR], Awaitable[Sequence[int]]]
# The caller's copy to the candidate: the id of the copy in the candidate's chat.
CopyToCandidate = Callable[[ToCandidate], Awaitable[int]]


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


async def live_applications(session: AsyncSession, user_id: int) -> list[Application]:
    """The person's open applications (HR still decide on them), newest first."""
    result = await session.execute(
        select(Application)
        .where(
            Application.user_id == user_id,
            Application.status.in_([s.value for s in OPEN_STATUSES]),
            Application.anonymized_at.is_(None),
        )
        .order_by(Application.created_at.desc(), Application.id.desc())
    )
    return list(result.scalars())


async def askable(session: AsyncSession, user_id: int, application_id: int) -> Application | None:
    """The application if the person may write to HR about it (theirs and open)."""
    for application in await live_applications(session, user_id):
        if application.id == application_id:
            return application
    return None


async def topic_thread(session: AsyncSession, application_id: int, chat_id: int) -> int | None:
    """The thread of the application's topic in this chat, if it has one."""
    found: int | None = await session.scalar(
        select(ApplicationTopic.message_thread_id).where(
            ApplicationTopic.application_id == application_id,
            ApplicationTopic.hr_chat_id == chat_id,
        )
    )
    return found


async def save_topic(
    session: AsyncSession, application_id: int, chat_id: int, thread_id: int
) -> None:
    """Record the topic just created (committed at once: a retry finds it, makes none)."""
    await session.execute(
        delete(ApplicationTopic).where(ApplicationTopic.application_id == application_id)
    )
    session.add(
        ApplicationTopic(
            application_id=application_id, hr_chat_id=chat_id, message_thread_id=thread_id
        )
    )
    await session.commit()


async def _target(session: AsyncSession, application: Application, hr_chat_id: int) -> ToHR:
    thread = await topic_thread(session, application.id, hr_chat_id)
    card = application.hr_message_id if application.hr_chat_id == hr_chat_id else None
    return ToHR(application.id, hr_chat_id, thread, card)


async def relay_from_candidate(
    session: AsyncSession,
    user_id: int,
    candidate_message_id: int,
    content: Content,
    file_size: int | None,
    *,
    hr_chat_id: int | None,
    copy: CopyToHR,
    application_id: int | None = None,
    now: datetime | None = None,
) -> Result:
    """Relay a candidate's message to HR about ``application_id`` (None: their only live
    application); commits. A message that is not text, a photo or a document, or a file
    over :data:`MAX_FILE_BYTES`, is refused; with several live applications and none named
    the candidate chooses (``choices``). Errors of ``copy`` reach the caller, nothing is
    recorded then."""
    live = await live_applications(session, user_id) if hr_chat_id is not None else []
    if not live:
        return Result(Outcome.no_application if application_id is None else Outcome.not_live)
    if content not in RELAYABLE:
        return Result(Outcome.refused_kind)
    if file_size is not None and file_size > MAX_FILE_BYTES:
        return Result(Outcome.too_big)
    if application_id is None:
        if len(live) > 1:
            return Result(Outcome.choose, choices=live)
        application = live[0]
    else:
        named = [a for a in live if a.id == application_id]
        if not named:
            return Result(Outcome.not_live, application_id)
        application = named[0]
    assert hr_chat_id is not None
    target = await _target(session, application, hr_chat_id)
    made = await copy(target)
    moment = _now(now)
    for hr_message_id in made:
        session.add(
            RelayedMessage(
                application_id=application.id,
                direction=RelayDirection.to_hr,
                hr_chat_id=hr_chat_id,
                hr_message_id=hr_message_id,
                candidate_chat_id=user_id,
                candidate_message_id=candidate_message_id,
                created_at=moment,
            )
        )
    await session.commit()
    return Result(Outcome.relayed, application.id)


class HROutcome(StrEnum):
    relayed = "relayed"
    not_conversation = "not_conversation"  # a reply to something else: none of the bot's
    unavailable = "unavailable"  # the candidate's data was erased


@dataclass(frozen=True, slots=True)
class HRResult:
    outcome: HROutcome
    application_id: int | None = None


async def application_replied_to(
    session: AsyncSession, chat_id: int, message_id: int
) -> Application | None:
    """The application whose relayed message, card or CV this message of the HR chat is."""
    relayed = await session.scalar(
        select(RelayedMessage.application_id)
        .where(RelayedMessage.hr_chat_id == chat_id, RelayedMessage.hr_message_id == message_id)
        .limit(1)
    )
    if relayed is not None:
        return await session.get(Application, relayed)
    found = await session.execute(
        select(Application)
        .where(
            Application.hr_chat_id == chat_id,
            or_(
                Application.hr_message_id == message_id,
                Application.hr_cv_message_id == message_id,
            ),
        )
        .limit(1)
    )
    return found.scalars().first()


async def relay_from_hr(
    session: AsyncSession,
    chat_id: int,
    hr_message_id: int,
    replied_to: int,
    *,
    copy: CopyToCandidate,
    now: datetime | None = None,
) -> HRResult:
    """Relay an HR member's reply (to ``replied_to``) back to the candidate; commits.
    Errors of ``copy`` (the candidate blocked the bot) reach the caller."""
    application = await application_replied_to(session, chat_id, replied_to)
    if application is None:
        return HRResult(HROutcome.not_conversation)
    if application.user_id is None or application.anonymized_at is not None:
        return HRResult(HROutcome.unavailable, application.id)
    copied = await copy(ToCandidate(application.id, application.user_id, application.language))
    session.add(
        RelayedMessage(
            application_id=application.id,
            direction=RelayDirection.to_candidate,
            hr_chat_id=chat_id,
            hr_message_id=hr_message_id,
            candidate_chat_id=application.user_id,
            candidate_message_id=copied,
            created_at=_now(now),
        )
    )
    await session.commit()
    return HRResult(HROutcome.relayed, application.id)


# --------------------------------------------------------------------------- erasure


async def forget(session: AsyncSession, application_ids: Sequence[int], now: datetime) -> int:
    """Erasure and retention: queue the deletion of the applications' topics and of the
    copies the bot made in the HR chat (``hr_conversation_deleted``, ids only), and delete
    the rows; in the caller's transaction. The number of relayed messages forgotten."""
    if not application_ids:
        return 0
    ids = list(application_ids)
    topics = {
        app_id: (chat, thread)
        for app_id, chat, thread in (
            await session.execute(
                select(
                    ApplicationTopic.application_id,
                    ApplicationTopic.hr_chat_id,
                    ApplicationTopic.message_thread_id,
                ).where(ApplicationTopic.application_id.in_(ids))
            )
        ).all()
    }
    copies: dict[tuple[int, int], list[int]] = {}
    relayed = (
        await session.execute(
            select(
                RelayedMessage.application_id,
                RelayedMessage.hr_chat_id,
                RelayedMessage.hr_message_id,
                RelayedMessage.direction,
            ).where(RelayedMessage.application_id.in_(ids))
        )
    ).all()
    for app_id, chat, message_id, direction in relayed:
        if direction == RelayDirection.to_hr:  # HR's own messages are HR's to keep or delete
            copies.setdefault((app_id, chat), []).append(message_id)
    for app_id in ids:
        topic = topics.get(app_id)
        chats = {chat for (owner, chat) in copies if owner == app_id}
        if topic is not None:
            chats.add(topic[0])
        for chat in sorted(chats):
            thread = topic[1] if topic is not None and topic[0] == chat else None
            payload = {
                "chat_id": chat,
                "thread_id": thread,
                "messages": sorted(copies.get((app_id, chat), [])),
            }
            outbox.enqueue(session, outbox.HR_CONVERSATION_DELETED, app_id, payload, now=now)
    await session.execute(delete(ApplicationTopic).where(ApplicationTopic.application_id.in_(ids)))
    await session.execute(delete(RelayedMessage).where(RelayedMessage.application_id.in_(ids)))
    return len(relayed)
