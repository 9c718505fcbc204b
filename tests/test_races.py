"""Races: two things at once, as a double tap does under long polling (aiogram handles
updates as tasks), fired with ``asyncio.gather``.

* one person's updates are handled one at a time (event isolation), through the Dispatcher;
* rows two updates may create at once (users, subscriptions): the services alone;
* two HR officers deciding on one card at once: one decision, the other is told.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from aiogram.fsm.storage.base import BaseEventIsolation, DefaultKeyBuilder
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
)
from redis.asyncio import Redis
from sqlalchemy import select

from bot.app import create_dispatcher
from bot.config import Settings
from bot.db.models import ApplicationStatus, Consent, OutboxMessage, Subscription, User
from bot.isolation import ClosingRedisEventIsolation, create_events_isolation
from bot.services import hr, outbox, subscriptions
from bot.services.users import UserLanguages
from tests.conftest import REDIS_URL, BotUnderTest, require_redis
from tests.harness import Person
from tests.test_application_flow import screened
from tests.test_hr_flow import HRMember, buttons, count, deliver, stored, summary_of
from tests.test_outbox import HR_CHAT, make_application


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


DEPARTMENTS = {"legal": "Юридический", "accounting": "Бухгалтер"}


def toggle(person: Person, dept: str) -> str:
    """The multi-select's button of a department, as it is on the person's screen."""
    data = person.button(DEPARTMENTS[dept]).callback_data
    assert data is not None
    return data


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
    legal, accounting = toggle(person, "legal"), toggle(person, "accounting")
    await asyncio.gather(person.press_data(legal), person.press_data(accounting))
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
    assert sorted(await subscribed_to(app, 1001) or ()) == ["accounting", "legal"]


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
    # The first step of the form once; the second press gets an alert, the step stays.
    texts = app.session.texts()
    assert len(texts) == 1 and "шаг 1 из 4" in texts[0]
    alerts = [r.text or "" for r in app.session.of(AnswerCallbackQuery) if r.show_alert]
    assert len(alerts) == 1 and "устар" in alerts[0]


async def test_different_people_still_run_side_by_side(app: BotUnderTest) -> None:
    await asyncio.gather(tick_two_at_once(app, 1001), tick_two_at_once(app, 1002))
    assert sorted(await subscribed_to(app, 1001) or ()) == ["accounting", "legal"]
    assert sorted(await subscribed_to(app, 1002) or ()) == ["accounting", "legal"]


async def test_redis_isolation_serializes_one_persons_updates(
    app: BotUnderTest, redis_isolation: ClosingRedisEventIsolation
) -> None:
    use_isolation(app, redis_isolation)
    await tick_two_at_once(app)
    assert sorted(await subscribed_to(app, 1001) or ()) == ["accounting", "legal"]
    # The locks were released: nothing is left in Redis.
    assert await redis_isolation.redis.keys(f"{redis_isolation.key_builder.prefix}:*") == []


async def test_redis_isolation_spans_processes(
    app: BotUnderTest, redis_isolation: ClosingRedisEventIsolation
) -> None:
    """Two dispatchers (two processes of the bot) sharing the Redis locks: a tick through
    each at once, both stored."""
    # Several processes run with REDIS_URL set: their FSM storages keep no read cache.
    app.settings = app.settings.model_copy(update={"redis_url": REDIS_URL})
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
    legal, accounting = toggle(person, "legal"), toggle(person, "accounting")
    try:
        await asyncio.gather(person.press_data(legal), same_person.press_data(accounting))
    finally:
        await second.close()
    await person.press("Готово")
    assert sorted(await subscribed_to(app, 1001) or ()) == ["accounting", "legal"]


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


# --- two HR officers deciding on one card at once ------------------------------------------


def answer_to(app: BotUnderTest, query_id: str) -> AnswerCallbackQuery:
    [answer] = [a for a in app.session.of(AnswerCallbackQuery) if a.callback_query_id == query_id]
    return answer


async def test_two_officers_invite_and_reject_at_once(app: BotUnderTest) -> None:
    app.settings.admin_ids.append(9001)
    application = await make_application(app, 5101)
    await deliver(app)
    card = buttons(summary_of(app, application.id).reply_markup)
    dana, erlan = HRMember(app, 9000, "Дана"), HRMember(app, 9001, "Ерлан")
    await erlan.press_data(card["🚫 Отказать"])  # the reasons; nothing decided yet
    reasons = buttons(app.session.of(EditMessageReplyMarkup)[-1].reply_markup)

    invite, reject = await asyncio.gather(
        dana.press_data(card["📅 Пригласить на собеседование"]),
        erlan.press_data(reasons["Другая причина"]),
    )

    assert await count(app, OutboxMessage, kind=outbox.APPLICANT_STATUS) == 1
    decided = await stored(app, application.id)
    assert decided.status in ("invited", "rejected")
    winner, loser = (invite, reject) if decided.status == "invited" else (reject, invite)
    winner_name, loser_name = ("Дана", "Ерлан") if winner == invite else ("Ерлан", "Дана")
    status_name = app.translator("ru", f"hr.status.{decided.status}")
    assert answer_to(app, winner).show_alert is not True
    alert = answer_to(app, loser)
    assert alert.show_alert is True
    assert alert.text == app.translator(
        "ru", "hr.state.conflict", number=application.id, name=winner_name, status=status_name
    )
    # The card, refreshed last, shows the one decision.
    edit = app.session.of(EditMessageText)[-1]
    assert (edit.chat_id, edit.message_id) == (HR_CHAT, decided.hr_message_id)
    assert f"— {winner_name}," in edit.text and f"— {loser_name}," not in edit.text
    # The applicant hears of it once.
    app.session.clear()
    await deliver(app)
    assert len([r for r in app.session.of(SendMessage) if r.chat_id == 5101]) == 1


async def test_a_card_seen_before_a_decision_refuses_and_refreshes(app: BotUnderTest) -> None:
    """Officer B's card still shows «new» after A shortlisted: B's «Invite» is refused."""
    app.settings.admin_ids.append(9001)
    application = await make_application(app, 5102)
    await deliver(app)
    card = buttons(summary_of(app, application.id).reply_markup)
    await HRMember(app, 9000, "Дана").press_data(card["⭐ В шорт-лист"])
    erlan = HRMember(app, 9001, "Ерлан")
    pressed = await erlan.press_data(card["📅 Пригласить на собеседование"])
    assert "уже рассмотрел(а) Дана: «в шорт-листе»" in (answer_to(app, pressed).text or "")
    assert (await stored(app, application.id)).status == "shortlisted"
    # Its «Reject» does not even open the reasons; the refreshed card has today's buttons.
    pressed = await erlan.press_data(card["🚫 Отказать"])
    assert answer_to(app, pressed).show_alert is True
    refreshed = buttons(app.session.of(EditMessageText)[-1].reply_markup)
    assert set(refreshed) == {"📅 Пригласить на собеседование", "🚫 Отказать"}
    await erlan.press_data(refreshed["📅 Пригласить на собеседование"])
    assert (await stored(app, application.id)).status == "invited"
    assert await count(app, OutboxMessage, kind=outbox.APPLICANT_STATUS) == 2


async def test_buttons_of_cards_posted_before_only_refresh_the_card(app: BotUnderTest) -> None:
    application = await make_application(app, 5103)
    await deliver(app)
    hr = HRMember(app)
    for legacy in (f"hrd:{application.id}:i", f"hrr:{application.id}:other"):
        pressed = await hr.press_data(legacy)
        answer = answer_to(app, pressed)
        assert answer.show_alert is True and "обновлена" in (answer.text or "")
        assert (await stored(app, application.id)).status == "new"
        assert set(buttons(app.session.of(EditMessageText)[-1].reply_markup)) == {
            "⭐ В шорт-лист",
            "📅 Пригласить на собеседование",
            "🚫 Отказать",
        }
    assert await count(app, OutboxMessage, kind=outbox.APPLICANT_STATUS) == 0
    pressed = await hr.press_data("hrd:999999:i")
    assert "не найдена" in (answer_to(app, pressed).text or "")


async def test_decide_from_the_status_seen_two_sessions_at_once(app: BotUnderTest) -> None:
    """The service alone: two decisions from «new» in two sessions, one is recorded."""
    application = await make_application(app, 5104)

    async def decide(target: ApplicationStatus, officer: int) -> hr.Decision:
        async with app.session_factory() as session:
            return await hr.decide(
                session,
                application.id,
                target,
                hr_user_id=officer,
                hr_name=f"HR {officer}",
                reason="other" if target is ApplicationStatus.rejected else None,
                expected=ApplicationStatus.new,
            )

    results = await asyncio.gather(
        decide(ApplicationStatus.invited, 9000), decide(ApplicationStatus.rejected, 9001)
    )
    outcomes = sorted(r.outcome.value for r in results)
    assert outcomes == ["conflict", "done"]
    [won] = [r for r in results if r.outcome is hr.Outcome.done]
    [lost] = [r for r in results if r.outcome is hr.Outcome.conflict]
    assert won.application is not None and lost.earlier is not None
    assert lost.earlier.status == won.application.status
    assert lost.earlier.decided_by == won.application.decided_by
    assert await count(app, OutboxMessage, kind=outbox.APPLICANT_STATUS) == 1
