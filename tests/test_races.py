"""One person's updates one at a time (event isolation), through the real Dispatcher.

Each test fires two updates of one person at once (``asyncio.gather`` of ``feed_update``),
as a double tap does under long polling, where aiogram handles updates as tasks.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from aiogram.fsm.storage.base import BaseEventIsolation, DefaultKeyBuilder
from aiogram.fsm.storage.memory import SimpleEventIsolation
from redis.asyncio import Redis
from sqlalchemy import select

from bot.app import create_dispatcher
from bot.config import Settings
from bot.db.models import Consent, FsmRecord, Subscription, User
from bot.handlers.subscriptions import CHOSEN_KEY
from bot.isolation import ClosingRedisEventIsolation, create_events_isolation
from bot.keyboards.callbacks import SubscriptionAction, SubscriptionCb
from bot.services import subscriptions
from bot.services.users import UserLanguages
from tests.conftest import REDIS_URL, BotUnderTest, require_redis
from tests.harness import Person
from tests.test_application_flow import screened


def use_isolation(app: BotUnderTest, isolation: BaseEventIsolation) -> None:
    app.dp = create_dispatcher(
        settings=app.settings,
        session_factory=app.session_factory,
        catalogue=app.catalogue,
        translator=app.translator,
        events_isolation=isolation,
    )


@pytest.fixture
async def redis_isolation() -> AsyncIterator[ClosingRedisEventIsolation]:
    require_redis()
    isolation = ClosingRedisEventIsolation(
        Redis.from_url(REDIS_URL),
        # A prefix of its own: other runs on the same Redis never share this test's locks.
        key_builder=DefaultKeyBuilder(prefix=f"test-{uuid.uuid4().hex[:12]}"),
    )
    yield isolation
    await isolation.close()


def toggle(dept: str) -> str:
    return SubscriptionCb(action=SubscriptionAction.toggle, dept=dept).pack()


async def choosing(app: BotUnderTest, user_id: int = 1001) -> Person:
    """A person in the subscription's departments multi-select, nothing ticked yet."""
    person = app.person(user_id)
    await person.send("/start")
    await person.press("Русский")
    await person.send("/subscribe")
    await person.press("Выбрать отделы")
    return person


async def tick_two_at_once(app: BotUnderTest, user_id: int = 1001) -> Person:
    person = await choosing(app, user_id)
    await asyncio.gather(
        person.press_data(toggle("legal")), person.press_data(toggle("accounting"))
    )
    await person.press("Готово")
    return person


async def subscribed_to(app: BotUnderTest, user_id: int) -> tuple[str, ...] | None:
    async with app.session_factory() as session:
        info = await subscriptions.get(session, user_id)
    assert info is not None
    return info.departments


def test_the_default_is_one_process_locks_and_redis_when_configured(settings: Settings) -> None:
    assert isinstance(create_events_isolation(settings), SimpleEventIsolation)
    with_redis = settings.model_copy(update={"redis_url": REDIS_URL})
    assert isinstance(create_events_isolation(with_redis), ClosingRedisEventIsolation)
    assert not isinstance(
        create_events_isolation(settings.model_copy(update={"redis_url": ""})),
        ClosingRedisEventIsolation,
    )


async def test_two_quick_ticks_of_the_multi_select_both_survive(app: BotUnderTest) -> None:
    await tick_two_at_once(app)
    assert await subscribed_to(app, 1001) == ("legal", "accounting")


async def test_agree_pressed_twice_at_once_records_one_consent(app: BotUnderTest) -> None:
    person = await screened(app)
    await person.press("📨 Подать заявку")
    agree = person.button("Согласен").callback_data
    assert agree is not None
    app.session.clear()
    await asyncio.gather(person.press_data(agree), person.press_data(agree))
    async with app.session_factory() as session:
        consents = (await session.scalars(select(Consent))).all()
    assert len(consents) == 1
    # The first step of the form once; the second press only points at it.
    texts = app.session.texts()
    assert len(texts) == 2
    assert sum("шаг 1 из 4" in t for t in texts) == 2
    assert sum("Эта кнопка" in t or "устар" in t for t in texts) == 1


async def test_different_people_still_run_side_by_side(app: BotUnderTest) -> None:
    await asyncio.gather(tick_two_at_once(app, 1001), tick_two_at_once(app, 1002))
    assert await subscribed_to(app, 1001) == ("legal", "accounting")
    assert await subscribed_to(app, 1002) == ("legal", "accounting")


async def test_redis_isolation_serializes_one_persons_updates(
    app: BotUnderTest, redis_isolation: ClosingRedisEventIsolation
) -> None:
    use_isolation(app, redis_isolation)
    await tick_two_at_once(app)
    assert await subscribed_to(app, 1001) == ("legal", "accounting")
    # The locks were released: nothing is left in Redis.
    assert await redis_isolation.redis.keys(f"{redis_isolation.key_builder.prefix}:*") == []


async def test_redis_isolation_spans_processes(
    app: BotUnderTest, redis_isolation: ClosingRedisEventIsolation
) -> None:
    """Two dispatchers (two processes of the bot) sharing the Redis locks: a tick through
    each at once, both stored."""
    use_isolation(app, redis_isolation)
    person = await choosing(app)
    second = ClosingRedisEventIsolation(
        Redis.from_url(REDIS_URL), key_builder=redis_isolation.key_builder
    )
    other = create_dispatcher(
        settings=app.settings,
        session_factory=app.session_factory,
        catalogue=app.catalogue,
        translator=app.translator,
        events_isolation=second,
    )
    same_person = Person(lambda: other, app.bot, app.session, user_id=1001)
    try:
        await asyncio.gather(
            person.press_data(toggle("legal")), same_person.press_data(toggle("accounting"))
        )
    finally:
        await second.close()
    async with app.session_factory() as session:
        data = (await session.scalars(select(FsmRecord.data))).one()
    assert sorted(data[CHOSEN_KEY]) == ["accounting", "legal"]


# --- the services alone, without any isolation: rows two updates may create at once -------


async def test_language_set_twice_at_once_for_a_new_person(app: BotUnderTest) -> None:
    languages = UserLanguages()

    async def choose(user_id: int, language: str) -> None:
        async with app.session_factory() as session:
            await languages.set(session, user_id, language)

    people = range(7001, 7006)
    await asyncio.gather(*(choose(u, lang) for u in people for lang in ("kk", "ru")))
    async with app.session_factory() as session:
        users = (await session.scalars(select(User).where(User.id.in_(people)))).all()
    assert sorted(u.id for u in users) == list(people)
    assert all(u.language in ("kk", "ru") for u in users)


async def test_language_set_refreshes_the_row_the_session_holds(app: BotUnderTest) -> None:
    languages = UserLanguages()
    async with app.session_factory() as session:
        await languages.set(session, 7010, "ru")
        held = await session.get(User, 7010)
        assert held is not None and held.language == "ru"
        await languages.set(session, 7010, "kk")
        assert held.language == "kk"
    async with app.session_factory() as session:
        assert await UserLanguages().get(session, 7010) == "kk"


async def test_subscribe_twice_at_once_for_a_new_person(app: BotUnderTest) -> None:
    async def subscribe(user_id: int, departments: list[str] | None) -> None:
        async with app.session_factory() as session:
            await subscriptions.subscribe(session, user_id, departments)

    people = range(7101, 7106)
    await asyncio.gather(*(subscribe(u, d) for u in people for d in (None, ["legal"])))
    async with app.session_factory() as session:
        rows = (await session.scalars(select(Subscription))).all()
        assert sorted(r.user_id for r in rows) == list(people)
        assert all(r.departments in (None, ["legal"]) for r in rows)
        # Changing it later still works, and the session shows the new choice.
        held = await session.get(Subscription, 7101)
        info = await subscriptions.subscribe(session, 7101, ["accounting"])
        assert info.departments == ("accounting",)
        assert held is not None and held.departments == ["accounting"]
