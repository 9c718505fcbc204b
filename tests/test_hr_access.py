"""Only HR may use HR commands and buttons.

The HR entry points are found generically: every command and CallbackData button of a
router made with ``bot.filters.hr_router`` (refused with a localized answer), and every
handler carrying the silent ``IsHR`` filter (never run for others). A non-HR user tries
each one, in both languages; nothing may change and no HR handler may run. Members of the
HR chat are let in (member, administrator, creator); left, kicked and restricted
non-members are not; the answer of getChatMember is cached for a few minutes.
"""

from __future__ import annotations

import enum
import itertools
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram import Dispatcher, Router
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData, CallbackQueryFilter
from aiogram.methods import AnswerCallbackQuery, GetChatMember, SendMessage, TelegramMethod
from aiogram.types import (
    CallbackQuery,
    Chat,
    ChatMemberAdministrator,
    ChatMemberBanned,
    ChatMemberLeft,
    ChatMemberMember,
    ChatMemberOwner,
    ChatMemberRestricted,
    Message,
    Update,
    User,
)
from sqlalchemy import select

from bot.db.models import (
    Application,
    ApplicationStatus,
    FunnelEvent,
    OutboxMessage,
    VacancyState,
)
from bot.filters import CACHE_KEY, MEMBERSHIP_TTL, IsHR, MembershipCache, is_hr_router
from bot.keyboards.callbacks import HRAction, HRDecisionCb, HRRejectCb
from tests.conftest import BotUnderTest
from tests.recording_session import BOT_USER
from tests.test_outbox import HR_CHAT, make_application

STRANGER = 5555
_ids = itertools.count(20_000_000)


@dataclass
class EntryPoint:
    router: str
    handler: HandlerObject
    refused: bool  # hr_router: a localized refusal; IsHR alone: silently not run
    command: str | None = None
    callback_data: type[CallbackData] | None = None

    def __str__(self) -> str:
        what = f"/{self.command}" if self.command else getattr(self.callback_data, "__name__", "")
        return f"{self.router}:{what}"


def _routers(router: Router) -> Iterator[Router]:
    yield router
    for sub in router.sub_routers:
        yield from _routers(sub)


def hr_entry_points(dp: Dispatcher) -> list[EntryPoint]:
    found: list[EntryPoint] = []
    for router in _routers(dp):
        gated = is_hr_router(router)
        for observer in (router.message, router.callback_query):
            for handler in observer.handlers:
                filters = [f.callback for f in handler.filters or []]
                silent = any(isinstance(f, IsHR) for f in filters)
                if not (gated or silent):
                    continue
                for f in filters:
                    if isinstance(f, Command):
                        for command in f.commands:
                            if isinstance(command, str):
                                found.append(
                                    EntryPoint(router.name, handler, gated, command=command)
                                )
                    elif isinstance(f, CallbackQueryFilter):
                        found.append(
                            EntryPoint(router.name, handler, gated, callback_data=f.callback_data)
                        )
    return found


def _values(annotation: Any, number: int) -> list[Any]:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _values(options[0], number)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return list(annotation)
    if annotation is bool:
        return [True, False]
    if annotation is int:
        return [number]
    if annotation is str:
        return ["1"]
    return [number]


def samples(cls: type[CallbackData], number: int) -> list[str]:
    """Packed data of the button for every value of its enum fields (each action)."""
    fields = cls.model_fields
    options = [_values(field.annotation, number) for field in fields.values()]
    return [
        cls(**dict(zip(fields, combination, strict=True))).pack()
        for combination in itertools.product(*options)
    ]


async def snapshot(app: BotUnderTest) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    async with app.session_factory() as session:
        for model in (Application, OutboxMessage, VacancyState, FunnelEvent):
            table = model.__table__
            rows = (await session.execute(select(table).order_by(*table.primary_key))).all()
            out[table.name] = [tuple(r) for r in rows]
    return out


def chat_member_api(app: BotUnderTest, statuses: dict[int, str]) -> list[int]:
    """Answer getChatMember from ``statuses`` (user id → status); returns the asked ids."""
    asked: list[int] = []
    original = app.session.make_request

    async def make_request(
        bot: Any, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        if not isinstance(method, GetChatMember):
            return await original(bot, method, timeout)
        assert method.chat_id == HR_CHAT
        asked.append(method.user_id)
        user = User(id=method.user_id, is_bot=False, first_name="X")
        status = statuses.get(method.user_id, "left")
        if status == "member":
            return ChatMemberMember(user=user)
        if status == "administrator":
            return ChatMemberAdministrator.model_construct(user=user, status="administrator")
        if status == "creator":
            return ChatMemberOwner(user=user, is_anonymous=False)
        if status == "kicked":
            return ChatMemberBanned(user=user, until_date=0)
        if status == "restricted_out":
            return ChatMemberRestricted.model_construct(
                user=user, status="restricted", is_member=False
            )
        return ChatMemberLeft(user=user)

    app.session.make_request = make_request  # type: ignore[method-assign]
    return asked


def spy(points: list[EntryPoint]) -> list[str]:
    """Record every call of the entry points' handlers."""
    calls: list[str] = []
    for point in points:
        handler = point.handler
        if getattr(handler.callback, "_spied", False):
            continue
        original, name = handler.callback, str(point)

        async def spied(*args: Any, _original: Any = original, _name: str = name, **kw: Any) -> Any:
            calls.append(_name)
            return await _original(*args, **kw)

        spied._spied = True  # type: ignore[attr-defined]
        handler.callback = spied
    return calls


async def feed_callback(app: BotUnderTest, user: User, data: str, chat_id: int) -> None:
    message = Message(
        message_id=1,
        date=datetime.now(UTC),
        chat=Chat(id=chat_id, type="private" if chat_id > 0 else "supergroup"),
        from_user=BOT_USER,
        text="…",
    )
    query = CallbackQuery(
        id=str(next(_ids)), from_user=user, chat_instance="x", data=data, message=message
    )
    await app.dp.feed_update(app.bot, Update(update_id=next(_ids), callback_query=query))


async def feed_command(app: BotUnderTest, user: User, command: str) -> None:
    message = Message(
        message_id=next(_ids),
        date=datetime.now(UTC),
        chat=Chat(id=user.id, type="private"),
        from_user=user,
        text=f"/{command}",
    )
    await app.dp.feed_update(app.bot, Update(update_id=next(_ids), message=message))


def test_the_known_hr_entry_points_are_discovered(app: BotUnderTest) -> None:
    points = hr_entry_points(app.dp)
    buttons = {p.callback_data for p in points if p.callback_data}
    commands = {p.command for p in points if p.command}
    assert {HRDecisionCb, HRRejectCb} <= buttons
    assert all(p.refused for p in points if p.callback_data in (HRDecisionCb, HRRejectCb))
    # The HR tools, once they exist, are discovered the same way.
    if any(r.name == "hr_tools" for r in _routers(app.dp)):
        assert {"stats", "export", "vacancies"} <= commands


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_every_hr_command_and_button_refuses_others(app: BotUnderTest, lang: str) -> None:
    application = await make_application(app, 1001)
    points = hr_entry_points(app.dp)
    calls = spy(points)
    asked = chat_member_api(app, {})  # the stranger is not in the HR chat
    stranger = User(id=STRANGER, is_bot=False, first_name="Mallory", language_code=lang)
    denied = app.translator(lang, "hr.access_denied")
    before = await snapshot(app)
    tried = 0
    for point in points:
        attempts: list[Any] = []
        if point.command:
            attempts = [("command", point.command)]
        elif point.callback_data:
            attempts = [("button", d) for d in samples(point.callback_data, application.id)]
        for kind, value in attempts:
            tried += 1
            app.session.clear()
            if kind == "command":
                await feed_command(app, stranger, value)
                answers = [r.text for r in app.session.of(SendMessage)]
            else:
                for chat_id in (STRANGER, HR_CHAT):  # in private, and in the HR chat itself
                    await feed_callback(app, stranger, value, chat_id)
                answers = [r.text for r in app.session.of(AnswerCallbackQuery)]
                answers += [r.text for r in app.session.of(SendMessage)]
            if point.refused:
                assert denied in answers, f"{point} {value}: {answers}"
            else:
                assert denied not in answers
    assert tried >= 6
    assert calls == [], calls
    assert await snapshot(app) == before
    assert set(asked) <= {STRANGER}
    # The spy does see HR: an admin's press runs the handler.
    admin = User(id=9000, is_bot=False, first_name="Admin", language_code=lang)
    await feed_callback(
        app,
        admin,
        HRDecisionCb(app=application.id, action=HRAction.invite, seen=ApplicationStatus.new).pack(),
        HR_CHAT,
    )
    assert calls == ["hr:HRDecisionCb"]


@pytest.mark.parametrize("status", ["member", "administrator", "creator"])
async def test_members_of_the_hr_chat_may_decide(app: BotUnderTest, status: str) -> None:
    application = await make_application(app, 1001)
    asked = chat_member_api(app, {7001: status})
    member = User(id=7001, is_bot=False, first_name="Member", language_code="ru")
    data = HRDecisionCb(
        app=application.id, action=HRAction.shortlist, seen=ApplicationStatus.new
    ).pack()
    await feed_callback(app, member, data, HR_CHAT)
    async with app.session_factory() as session:
        found = await session.get(Application, application.id)
        assert found is not None
        assert found.status == "shortlisted" and found.decided_by == 7001
    assert asked == [7001]


@pytest.mark.parametrize("status", ["left", "kicked", "restricted_out"])
async def test_people_outside_the_hr_chat_are_refused(app: BotUnderTest, status: str) -> None:
    application = await make_application(app, 1001)
    chat_member_api(app, {7002: status})
    outsider = User(id=7002, is_bot=False, first_name="Gone", language_code="kk")
    before = await snapshot(app)
    await feed_callback(
        app,
        outsider,
        HRDecisionCb(app=application.id, action=HRAction.invite, seen=ApplicationStatus.new).pack(),
        HR_CHAT,
    )
    [answer] = app.session.of(AnswerCallbackQuery)
    assert answer.text == app.translator("kk", "hr.access_denied")
    assert answer.show_alert is True
    assert await snapshot(app) == before


async def test_membership_is_cached_for_a_few_minutes(app: BotUnderTest) -> None:
    first = await make_application(app, 1001)
    second = await make_application(app, 1002)
    asked = chat_member_api(app, {7003: "member"})
    member = User(id=7003, is_bot=False, first_name="Member", language_code="ru")
    clock = [1000.0]
    app.dp.workflow_data[CACHE_KEY] = MembershipCache(clock=lambda: clock[0])
    await feed_callback(
        app,
        member,
        HRDecisionCb(app=first.id, action=HRAction.invite, seen=ApplicationStatus.new).pack(),
        1,
    )
    await feed_callback(
        app,
        member,
        HRDecisionCb(app=second.id, action=HRAction.invite, seen=ApplicationStatus.new).pack(),
        1,
    )
    assert asked == [7003]
    clock[0] += MEMBERSHIP_TTL + 1
    await feed_callback(
        app,
        member,
        HRDecisionCb(app=first.id, action=HRAction.shortlist, seen=ApplicationStatus.new).pack(),
        1,
    )
    assert asked == [7003, 7003]


async def test_admins_need_no_chat_and_others_nothing_without_one(app: BotUnderTest) -> None:
    application = await make_application(app, 1001)
    app.settings.hr_chat_id = None
    asked = chat_member_api(app, {})
    admin = User(id=9000, is_bot=False, first_name="Admin", language_code="ru")
    stranger = User(id=STRANGER, is_bot=False, first_name="Mallory", language_code="ru")
    data = HRDecisionCb(
        app=application.id, action=HRAction.invite, seen=ApplicationStatus.new
    ).pack()
    await feed_callback(app, stranger, data, STRANGER)
    assert app.session.of(AnswerCallbackQuery)[-1].text == app.translator("ru", "hr.access_denied")
    await feed_callback(app, admin, data, 9000)
    async with app.session_factory() as session:
        found = await session.get(Application, application.id)
        assert found is not None and found.status == "invited"
    assert asked == []


@pytest.mark.parametrize("command", ["my", "privacy", "delete_me", "start", "subscribe"])
async def test_applicant_commands_in_the_hr_group_only_point_to_the_private_chat(
    app: BotUnderTest, command: str
) -> None:
    member = User(id=7777, is_bot=False, first_name="HR", language_code="ru")
    message = Message(
        message_id=next(_ids),
        date=datetime.now(UTC),
        chat=Chat(id=-100500, type="supergroup"),
        from_user=member,
        text=f"/{command}",
    )
    before = len(app.session.requests)
    await app.dp.feed_update(app.bot, Update(update_id=next(_ids), message=message))
    sent = app.session.requests[before:]
    assert len(sent) == 1, sent
    reply = sent[0]
    assert isinstance(reply, SendMessage) and reply.chat_id == -100500
    assert "только в личном чате" in reply.text
