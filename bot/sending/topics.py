"""Forum topics of applications in the HR chat (``HR_TOPICS``) and the deletion of the
conversation's traces there (the ``hr_conversation_deleted`` outbox kind).

With ``HR_TOPICS`` and a forum supergroup as the HR chat, the summary's sender asks
:func:`summary_thread` before its first message: the application's topic «#<id> <position>»
is created (no name of the candidate: the title shows in the chat's topic list, apart from
the card) and its thread id committed at once, so a retry reuses it. A chat that is not a
forum (or a bot without the «Manage topics» right) gets the card in the chat itself.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from datetime import datetime

from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramMigrateToChat
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Application
from bot.deps import JobContext
from bot.services import conversation, outbox

log = logging.getLogger(__name__)

TOPIC_NAME_LIMIT = 128  # Telegram's limit for a topic's name


def topic_name(context: JobContext, app: Application) -> str:
    position = context.catalogue.position(app.position_number)
    title = position.title.get(context.settings.hr_locale) if position else ""
    name = f"#{app.id} {title}".strip()
    return name if len(name) <= TOPIC_NAME_LIMIT else name[: TOPIC_NAME_LIMIT - 1] + "…"


async def summary_thread(
    context: JobContext, session: AsyncSession, app: Application, chat_id: int, *, create: bool
) -> int | None:
    """The thread the application's card and CV go to: its topic (with ``create``, made
    now if it has none yet), or None without ``HR_TOPICS`` or when the chat is no forum."""
    existing = await conversation.topic_thread(session, app.id, chat_id)
    if existing is not None or not create or not context.settings.hr_topics:
        return existing
    try:
        topic = await context.bot.create_forum_topic(chat_id, topic_name(context, app))
    except TelegramBadRequest as error:
        # Not a forum, or no right to manage topics: the card goes to the chat itself.
        log.warning("HR_TOPICS: no topic could be created (%s)", type(error).__name__)
        return None
    await conversation.save_topic(session, app.id, chat_id, topic.message_thread_id)
    return topic.message_thread_id


async def send_conversation_deleted(
    context: JobContext, session: AsyncSession, work: outbox.Work, now: datetime
) -> None:
    """Delete the application's topic (closed where Telegram refuses) and the copies of
    the candidate's messages; messages Telegram no longer lets delete are left."""
    payload = work.row.payload or {}
    chat_id, thread_id = payload.get("chat_id"), payload.get("thread_id")
    messages = payload.get("messages") or []
    if not isinstance(chat_id, int):
        return
    bot = context.bot
    try:
        if isinstance(thread_id, int):
            try:
                await bot.delete_forum_topic(chat_id, thread_id)
                return  # its messages went with it
            except TelegramBadRequest as error:
                if "not found" not in error.message.lower():
                    # No right to delete it: at least nobody writes in it any more.
                    with suppress(TelegramBadRequest):
                        await bot.close_forum_topic(chat_id, thread_id)
        for message_id in messages:
            if isinstance(message_id, int):
                # Deleted already, or older than 48 h in a group where the bot is no admin.
                with suppress(TelegramBadRequest):
                    await bot.delete_message(chat_id, message_id)
    except (TelegramForbiddenError, TelegramMigrateToChat):
        if chat_id != context.settings.hr_chat_id:
            from bot.sending.delivery import GiveUp  # delivery imports this module

            raise GiveUp("former HR chat unreachable") from None
        raise


async def conversation_thread(
    session: AsyncSession, application_id: int, chat_id: int
) -> int | None:
    """The thread for a later message about the application (a notice, a stage event):
    its topic, if it has one in this chat."""
    return await conversation.topic_thread(session, application_id, chat_id)
