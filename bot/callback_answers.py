"""Every button press answered exactly once: no spinning button, no second answer.

aiogram's :class:`~aiogram.utils.callback_answer.CallbackAnswerMiddleware` answers after the
handler, whether or not the handler answered itself (a second answer is refused by
Telegram). :class:`CallbackAnswerOnce` keeps its ``callback_answer`` flag and handler
argument, and answers only when nothing else did: a handler's own ``callback.answer(…)``
(an alert, say), :func:`bot.handlers.common.show`'s, a library's. What was answered is seen
on the way out, by :class:`AnsweredCallbacks` in the bot's session, so it holds whatever
code answered and however. A handler that fails leaves the answer to the error handler
(:mod:`bot.errors`), which answers with an alert when nothing has been answered yet.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.dispatcher.event.bases import CancelHandler, SkipHandler
from aiogram.dispatcher.flags import get_flag
from aiogram.methods import AnswerCallbackQuery, Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import CallbackQuery, TelegramObject
from aiogram.utils.callback_answer import CallbackAnswerMiddleware

# Query ids remembered: far more than presses handled at once (an id only matters while
# its update is handled).
REMEMBERED = 4096


class AnsweredCallbacks(BaseRequestMiddleware):
    """A bot session middleware: the ids of the callback queries answered lately."""

    def __init__(self, size: int = REMEMBERED) -> None:
        self.size = size
        self._ids: OrderedDict[str, None] = OrderedDict()

    def __contains__(self, query_id: object) -> bool:
        return query_id in self._ids

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if isinstance(method, AnswerCallbackQuery):
            # Counted when tried: a second try would be refused even if this one failed.
            self._ids[method.callback_query_id] = None
            while len(self._ids) > self.size:
                self._ids.popitem(last=False)
        return await make_request(bot, method)


def answered_callbacks(bot: Bot) -> AnsweredCallbacks:
    """The bot's :class:`AnsweredCallbacks`, installed on its session on first use."""
    for middleware in bot.session.middleware:
        if isinstance(middleware, AnsweredCallbacks):
            return middleware
    tracker = AnsweredCallbacks()
    bot.session.middleware(tracker)
    return tracker


def was_answered(bot: Bot, query: CallbackQuery) -> bool:
    return query.id in answered_callbacks(bot)


class CallbackAnswerOnce(CallbackAnswerMiddleware):
    """Inner ``callback_query`` middleware (register on the Dispatcher: it covers every
    router): answers the query after its handler unless it was answered meanwhile.

    As aiogram's: the ``callback_answer`` flag (``pre``, ``disabled``, ``text``,
    ``show_alert``…) and the ``callback_answer`` handler argument still apply.
    """

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, CallbackQuery):
            return await handler(event, data)
        bot: Bot = data["bot"]
        answered = answered_callbacks(bot)
        callback_answer = data["callback_answer"] = self.construct_callback_answer(
            properties=get_flag(data, "callback_answer"),
        )
        if not callback_answer.disabled and callback_answer.answered:  # ``pre``
            await self.answer(event, callback_answer)
        left_to_others = False
        try:
            return await handler(event, data)
        except SkipHandler:  # the next matching handler answers
            left_to_others = True
            raise
        except CancelHandler:
            raise
        except BaseException:  # the error handler answers, with an alert (bot.errors)
            left_to_others = True
            raise
        finally:
            if not (left_to_others or callback_answer.disabled or event.id in answered):
                await self.answer(event, callback_answer)
