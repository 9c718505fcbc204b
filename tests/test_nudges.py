"""Nobody waits in silence: HR's 48 h digest, the 3-day «still under review» notice and the
drop-off reminder, queued by the jobs (bot.jobs) and delivered by the outbox on a fake
clock; never in the quiet hours, never twice (also after a restart)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from aiogram.methods import SendMessage
from aiogram.types import ReplyKeyboardMarkup, ReplyKeyboardRemove
from sqlalchemy import select, update

from bot.db.models import Application, FsmRecord, OutboxMessage
from bot.jobs import hr_digest_job, nudges_job
from bot.scheduling import TIMEZONE
from bot.scheduling.nudges import after_quiet_hours, next_daytime
from bot.sending.delivery import deliver_pending
from bot.services import outbox
from tests.conftest import BotUnderTest
from tests.harness import Person
from tests.test_application_flow import LABELS, NAME, PDF, PHONE, to_step
from tests.test_outbox import HR_CHAT, context, make_application
from tests.test_privacy import traces

QUIET = (time(22, 0), time(8, 0))


def almaty(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=TIMEZONE).astimezone(UTC)


def sent_to(app: BotUnderTest, chat_id: int) -> list[SendMessage]:
    return [r for r in app.session.of(SendMessage) if r.chat_id == chat_id]


# --------------------------------------------------------------------------- pure timing


def test_after_quiet_hours_moves_to_their_end() -> None:
    assert after_quiet_hours(almaty(8, 12), QUIET) == almaty(8, 12)
    assert after_quiet_hours(almaty(8, 23), QUIET) == almaty(9, 8)
    assert after_quiet_hours(almaty(9, 3), QUIET) == almaty(9, 8)
    assert after_quiet_hours(almaty(8, 22), None) == almaty(8, 22)


def test_next_daytime_is_now_or_the_next_morning() -> None:
    day = (time(10, 0), time(19, 0))
    assert next_daytime(almaty(8, 12), QUIET, day) == almaty(8, 12)
    assert next_daytime(almaty(8, 9), QUIET, day) == almaty(8, 10)
    assert next_daytime(almaty(8, 19), QUIET, day) == almaty(9, 10)
    assert next_daytime(almaty(8, 23, 30), QUIET, day) == almaty(9, 10)
    # A daytime window reaching into the quiet hours: never in them.
    assert next_daytime(almaty(8, 6), QUIET, (time(6, 0), time(12, 0))) == almaty(8, 8)


# --------------------------------------------------------------------------- 48 h digest


async def _aged(app: BotUnderTest, user_id: int, created: datetime, **values: object) -> int:
    application = await make_application(app, user_id)
    async with app.session_factory() as session:
        await session.execute(
            update(Application)
            .where(Application.id == application.id)
            .values(created_at=created, **values)
        )
        await session.commit()
    return application.id


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_hr_digest_lists_only_the_undecided_old_ones(app: BotUnderTest, lang: str) -> None:
    app.settings.hr_locale = lang  # type: ignore[assignment]
    now = almaty(8, 9)
    old = await _aged(app, 2001, now - timedelta(hours=49))
    young = await _aged(app, 2002, now - timedelta(hours=10))
    decided = await _aged(
        app, 2003, now - timedelta(days=4), status="rejected", decided_at=now - timedelta(days=1)
    )
    assert await hr_digest_job(context(app), now=now)
    await deliver_pending(context(app), now=now)
    [digest] = [m for m in sent_to(app, HR_CHAT) if "48" in m.text]
    assert f"№ {old}" in digest.text
    assert f"№ {young}" not in digest.text and f"№ {decided}" not in digest.text
    assert ("Без решения" if lang == "ru" else "шешімсіз") in digest.text
    assert ("ждёт 2 дня" if lang == "ru" else "2 күн күтуде") in digest.text
    # The same day again (a restart, a second run): nothing more.
    assert not await hr_digest_job(context(app), now=now + timedelta(hours=1))
    app.restart()
    assert not await hr_digest_job(context(app), now=now + timedelta(hours=2))
    await deliver_pending(context(app), now=now + timedelta(hours=2))
    assert len([m for m in sent_to(app, HR_CHAT) if "48" in m.text]) == 1


async def test_no_digest_when_nothing_waits(app: BotUnderTest) -> None:
    now = almaty(8, 9)
    await _aged(app, 2002, now - timedelta(hours=10))
    assert not await hr_digest_job(context(app), now=now)
    async with app.session_factory() as session:
        assert await outbox.rows(session, [outbox.HR_DIGEST]) == []


async def test_digest_skips_what_was_decided_before_it_went(app: BotUnderTest) -> None:
    now = almaty(8, 9)
    application_id = await _aged(app, 2001, now - timedelta(hours=50))
    assert await hr_digest_job(context(app), now=now)
    async with app.session_factory() as session:
        await session.execute(
            update(Application)
            .where(Application.id == application_id)
            .values(status="invited", decided_at=now)
        )
        await session.commit()
    await deliver_pending(context(app), now=now)
    assert not [m for m in sent_to(app, HR_CHAT) if "48" in m.text]


# --------------------------------------------------------------------------- 3-day notice


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_review_notice_once_and_not_in_quiet_hours(app: BotUnderTest, lang: str) -> None:
    user = 3001
    night = almaty(8, 23)
    application_id = await _aged(app, user, night - timedelta(days=3, hours=1), language=lang)
    await deliver_pending(context(app), now=night)  # the HR card
    assert await nudges_job(context(app), now=night) == 1
    await deliver_pending(context(app), now=night)
    assert sent_to(app, user) == []  # the quiet hours
    morning = almaty(9, 8, 1)
    await deliver_pending(context(app), now=morning)
    [notice] = sent_to(app, user)
    expected = "ещё рассматривается" if lang == "ru" else "әлі қаралуда"
    assert expected in notice.text and f"№ {application_id}" in notice.text
    # Never again for this application, also after a restart.
    app.restart()
    for later in (morning + timedelta(minutes=15), morning + timedelta(days=2)):
        assert await nudges_job(context(app), now=later) == 0
        await deliver_pending(context(app), now=later)
    assert len(sent_to(app, user)) == 1


async def test_no_review_notice_after_a_decision(app: BotUnderTest) -> None:
    user = 3002
    now = almaty(8, 12)
    await _aged(app, user, now - timedelta(days=3, hours=1), status="shortlisted", decided_at=now)
    await _aged(app, 3003, now - timedelta(days=2))  # only two days
    assert await nudges_job(context(app), now=now) == 0


async def test_review_notice_dropped_when_decided_before_it_went(app: BotUnderTest) -> None:
    user = 3004
    night = almaty(8, 23)
    application_id = await _aged(app, user, night - timedelta(days=3, hours=1))
    assert await nudges_job(context(app), now=night) == 1
    async with app.session_factory() as session:
        await session.execute(
            update(Application)
            .where(Application.id == application_id)
            .values(status="rejected", decided_at=night)
        )
        await session.commit()
    await deliver_pending(context(app), now=almaty(9, 9))
    assert sent_to(app, user) == []


# --------------------------------------------------------------------------- drop-off


async def left_at_question_two(app: BotUnderTest, user: int, lang: str, left: datetime) -> Person:
    """A person who started the questionnaire of position 62, answered one question and
    left (the conversation state last written at ``left``)."""
    person = app.person(user_id=user, language_code=lang)
    await person.send("/start")
    if any(LABELS[lang]["language"] in b.text for b in person.buttons()):
        await person.press(LABELS[lang]["language"])
    await person.press_data("pos:62")
    await person.press("✍️")
    await person.press(LABELS[lang]["level"])
    async with app.session_factory() as session:
        await session.execute(
            update(FsmRecord).where(FsmRecord.key.like(f"%:{user}:%")).values(updated_at=left)
        )
        await session.commit()
    return person


def _progress(text: str, lang: str) -> str:
    return "вопросе 2 из" if lang == "ru" else "2-сұрағында"


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_dropoff_reminder_once_and_continue(app: BotUnderTest, lang: str) -> None:
    user = 4001
    now = almaty(9, 12)
    person = await left_at_question_two(app, user, lang, now - timedelta(hours=21))
    assert await nudges_job(context(app), now=now) == 1
    await deliver_pending(context(app), now=now)
    [reminder] = sent_to(app, user)[-1:]
    assert _progress(reminder.text, lang) in reminder.text
    assert "Продолжить" in reminder.text if lang == "ru" else "Жалғастырасыз" in reminder.text
    shown = await person.press("▶️")
    assert ("Вопрос 2 из" if lang == "ru" else "2") in shown
    assert person.buttons()  # the question's buttons again
    # Never repeated: not the next hour, not after a restart, not after leaving again.
    async with app.session_factory() as session:
        await session.execute(
            update(FsmRecord)
            .where(FsmRecord.key.like(f"%:{user}:%"))
            .values(updated_at=now - timedelta(hours=1))
        )
        await session.commit()
    app.restart()
    assert await nudges_job(context(app), now=now + timedelta(hours=20)) == 0
    async with app.session_factory() as session:
        assert len(await outbox.rows(session, [outbox.DROPOFF_REMINDER])) == 1


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_dropoff_not_interested_clears_it(app: BotUnderTest, lang: str) -> None:
    user = 4002
    now = almaty(9, 12)
    person = await left_at_question_two(app, user, lang, now - timedelta(hours=21))
    await nudges_job(context(app), now=now)
    await deliver_pending(context(app), now=now)
    reminder = person.screen()
    stop = "Не интересно" if lang == "ru" else "Қызықты емес"
    answer = await person.press(stop)
    assert ("больше не напомним" if lang == "ru" else "енді еске салмаймыз") in answer
    async with app.session_factory() as session:
        state = await session.scalar(
            select(FsmRecord.state).where(FsmRecord.key == f"fsm:{user}:{user}:default")
        )
    assert state is None
    # Continue on the old reminder: a stale button, nothing reopened.
    await person.press("▶️", on=reminder)
    assert person.alert()
    assert await nudges_job(context(app), now=now + timedelta(days=1)) == 0


async def test_dropoff_reminder_waits_for_the_daytime(app: BotUnderTest) -> None:
    user = 4003
    night = almaty(9, 23)
    await left_at_question_two(app, user, "ru", night - timedelta(hours=21))
    assert await nudges_job(context(app), now=night) == 1
    async with app.session_factory() as session:
        [row] = await outbox.rows(session, [outbox.DROPOFF_REMINDER])
        assert outbox.utc(row.not_before) == almaty(10, 10)  # type: ignore[arg-type]
    await deliver_pending(context(app), now=night)
    await deliver_pending(context(app), now=almaty(10, 7))
    assert sent_to(app, user)[-1].text.find("вопросе 2 из") == -1
    await deliver_pending(context(app), now=almaty(10, 10, 1))
    assert "вопросе 2 из" in sent_to(app, user)[-1].text


async def test_dropoff_reminder_dropped_when_they_came_back(app: BotUnderTest) -> None:
    user = 4004
    now = almaty(9, 9)  # before the daytime: queued for 10:00
    person = await left_at_question_two(app, user, "ru", now - timedelta(hours=21))
    assert await nudges_job(context(app), now=now) == 1
    await person.press("C1")  # back on their own, before the reminder went
    async with app.session_factory() as session:  # … at 09:30 on the fake clock
        await session.execute(
            update(FsmRecord)
            .where(FsmRecord.key.like(f"%:{user}:%"))
            .values(updated_at=almaty(9, 9, 30))
        )
        await session.commit()
    before = len(sent_to(app, user))
    await deliver_pending(context(app), now=almaty(9, 10, 5))
    assert len(sent_to(app, user)) == before
    async with app.session_factory() as session:
        [row] = await outbox.rows(session, [outbox.DROPOFF_REMINDER])
    assert outbox.is_given_up(row)


async def test_no_dropoff_for_a_fresh_or_an_old_questionnaire(app: BotUnderTest) -> None:
    now = almaty(9, 12)
    await left_at_question_two(app, 4005, "ru", now - timedelta(hours=3))
    await left_at_question_two(app, 4006, "ru", now - timedelta(days=9))
    assert await nudges_job(context(app), now=now) == 0


async def test_delete_me_removes_the_dropoff_row(app: BotUnderTest) -> None:
    user = 4007
    now = almaty(9, 12)
    person = await left_at_question_two(app, user, "ru", now - timedelta(hours=21))
    await nudges_job(context(app), now=now)
    await person.send("/delete_me")
    await person.press("Да, удалить")
    async with app.session_factory() as session:
        rows = list(await session.scalars(select(OutboxMessage.dedup_key)))
    assert f"dropoff:{user}" not in rows
    assert await traces(app.session_factory.kw["bind"], [], user) == []


# --------------------------------------------------------------------------- form drop-off


async def _age(app: BotUnderTest, user: int, when: datetime) -> None:
    """Every conversation record of the person last written at ``when``."""
    async with app.session_factory() as session:
        await session.execute(
            update(FsmRecord).where(FsmRecord.key.like(f"%:{user}:%")).values(updated_at=when)
        )
        await session.commit()


async def left_form_at(
    app: BotUnderTest, user: int, lang: str, step: str, left: datetime
) -> Person:
    """A person who passed the questionnaire of position 62, applied and filled the form in
    up to ``step``, then left (every record of theirs last written at ``left``)."""
    person = await to_step(app, step, lang, user_id=user)
    await _age(app, user, left)
    return person


async def _records(app: BotUnderTest, user: int) -> dict[str, dict[str, object]]:
    async with app.session_factory() as session:
        rows = await session.execute(
            select(FsmRecord.key, FsmRecord.data).where(FsmRecord.key.like(f"%:{user}:%"))
        )
        return {key: dict(data or {}) for key, data in rows.all()}


FORM_LEFT = {"ru": "не закончили заявку", "kk": "өтінімді аяқтамадыңыз"}
TWO_LEFT = {"ru": "осталось 2 шага", "kk": "2 қадам қалды"}


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_form_reminder_once_and_continue_where_they_were(
    app: BotUnderTest, lang: str
) -> None:
    user = 4101
    labels = LABELS[lang]
    now = almaty(9, 12)
    person = await left_form_at(app, user, lang, "cv", now - timedelta(hours=21))
    assert await nudges_job(context(app), now=now) == 1
    await deliver_pending(context(app), now=now)
    [reminder] = sent_to(app, user)[-1:]
    assert FORM_LEFT[lang] in reminder.text and TWO_LEFT[lang] in reminder.text
    assert ("водитель" if lang == "ru" else "жүргізуші") in reminder.text.lower()
    stop = "Не интересно" if lang == "ru" else "Қызықты емес"
    assert [b.text for b in person.buttons()] == [
        "▶️ Продолжить" if lang == "ru" else "▶️ Жалғастыру",
        stop,
    ]
    # Continue: the CV step again, the name and phone they entered kept.
    shown = await person.press("▶️")
    assert labels["step"].format(n=3) in shown
    await person.send_message(document=PDF)
    assert labels["step"].format(n=4) in app.session.last_text()
    review = await person.press(labels["skip"])
    assert NAME in review and PHONE in review and "Резюме.pdf" in review
    answer = await person.press(labels["submit"])
    assert "№" in answer
    async with app.session_factory() as session:
        [application] = list(await session.scalars(select(Application)))
    assert (application.user_id, application.full_name, application.phone) == (user, NAME, PHONE)
    # Never repeated: the next day, after a restart (the job may queue the application's
    # «still under review»: its creation is on the real clock, days before the fake one).
    app.restart()
    await nudges_job(context(app), now=now + timedelta(hours=20))
    async with app.session_factory() as session:
        assert len(await outbox.rows(session, [outbox.DROPOFF_REMINDER])) == 1


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_form_not_interested_closes_it(app: BotUnderTest, lang: str) -> None:
    user = 4102
    now = almaty(9, 12)
    person = await left_form_at(app, user, lang, "phone", now - timedelta(hours=21))
    assert isinstance(sent_to(app, user)[-1].reply_markup, ReplyKeyboardMarkup)
    assert await nudges_job(context(app), now=now) == 1
    await deliver_pending(context(app), now=now)
    reminder = person.screen()
    three_left = "осталось 3 шага" if lang == "ru" else "3 қадам қалды"
    assert three_left in reminder.text  # type: ignore[operator]
    before = len(sent_to(app, user))
    await person.press("Не интересно" if lang == "ru" else "Қызықты емес")
    stopped = sent_to(app, user)[before:]
    closed = "заявка закрыта" if lang == "ru" else "өтінім жабылды"
    assert any(closed in m.text for m in stopped)
    # Left at the phone: its «share contact» keyboard goes with the form.
    assert any(isinstance(m.reply_markup, ReplyKeyboardRemove) for m in stopped)
    records = await _records(app, user)
    assert not [k for k in records if ":aiogd:context:" in k]  # the form's data is gone
    stack = records.get(f"fsm:{user}:{user}:aiogd:stack:", {})
    assert not stack.get("intents")
    assert "application_form" not in records.get(f"fsm:{user}:{user}:default", {})
    # Continue on the old reminder: a stale button, nothing reopened.
    await person.press("▶️", on=reminder)
    assert person.alert()
    assert await nudges_job(context(app), now=now + timedelta(days=1)) == 0


async def test_form_reminder_dropped_when_they_came_back(app: BotUnderTest) -> None:
    user = 4103
    now = almaty(9, 9)  # before the daytime: queued for 10:00
    left = now - timedelta(hours=21)
    person = await left_form_at(app, user, "ru", "name", left)
    assert await nudges_job(context(app), now=now) == 1
    await person.send(NAME)  # back on their own, before the reminder went
    async with app.session_factory() as session:  # … at 09:30 on the fake clock
        await session.execute(
            update(FsmRecord)
            .where(FsmRecord.key.like(f"%:{user}:%"), FsmRecord.updated_at != left)
            .values(updated_at=almaty(9, 9, 30))
        )
        await session.commit()
    before = len(sent_to(app, user))
    await deliver_pending(context(app), now=almaty(9, 10, 5))
    assert len(sent_to(app, user)) == before
    async with app.session_factory() as session:
        [row] = await outbox.rows(session, [outbox.DROPOFF_REMINDER])
    assert outbox.is_given_up(row)


async def test_form_reminder_buttons_of_another_form_or_forged_are_stale(
    app: BotUnderTest,
) -> None:
    from bot.keyboards.callbacks import DropoffAction, FormDropoffCb

    user = 4109
    now = almaty(9, 12)
    person = await left_form_at(app, user, "ru", "cv", now - timedelta(hours=21))
    await nudges_job(context(app), now=now)
    await deliver_pending(context(app), now=now)
    reminder = person.screen()
    for action in DropoffAction:
        await person.press_data(FormDropoffCb(action=action, intent="zz9").pack(), quiet=True)
        assert person.alert()
    # In a questionnaire meanwhile: the form's Continue does not cut into it.
    await person.send("/start")
    await person.press_data("pos:62")
    await person.press("✍️")
    await person.press("▶️", on=reminder, quiet=True)
    assert person.alert()
    assert "Вопрос" in person.screen().text  # type: ignore[operator]
    records = await _records(app, user)
    assert [k for k in records if ":aiogd:context:" in k]  # nothing of the form closed


async def test_no_form_reminder_when_fresh_old_or_ended(app: BotUnderTest) -> None:
    now = almaty(9, 12)
    await left_form_at(app, 4104, "ru", "name", now - timedelta(hours=3))
    await left_form_at(app, 4105, "ru", "name", now - timedelta(days=9))
    # /start ends the form as the conversation in progress: not «left», no reminder.
    person = await to_step(app, "cv", "ru", user_id=4106)
    await person.send("/start")
    await _age(app, 4106, now - timedelta(hours=21))
    assert await nudges_job(context(app), now=now) == 0


async def test_form_reminder_waits_for_the_daytime_in_kazakh_at_review(app: BotUnderTest) -> None:
    user = 4107
    night = almaty(9, 23)
    await left_form_at(app, user, "kk", "review", night - timedelta(hours=21))
    assert await nudges_job(context(app), now=night) == 1
    await deliver_pending(context(app), now=almaty(10, 7))
    assert not any(FORM_LEFT["kk"] in m.text for m in sent_to(app, user))
    await deliver_pending(context(app), now=almaty(10, 10, 1))
    assert "тек тексеріп, жіберу ғана қалды" in sent_to(app, user)[-1].text


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_one_dropoff_reminder_whichever_flow(app: BotUnderTest, lang: str) -> None:
    user = 4108
    labels = LABELS[lang]
    now = almaty(9, 12)
    # A form left, then a questionnaire (of the same position) started and left too.
    person = await to_step(app, "phone", lang, user_id=user)
    await person.send("/start")
    await person.press_data("pos:62")
    await person.press("✍️")
    await person.press(labels["level"])
    await _age(app, user, now - timedelta(hours=21))
    assert await nudges_job(context(app), now=now) == 1
    await deliver_pending(context(app), now=now)
    reminders = [m for m in sent_to(app, user) if m.text and "▶️" in str(m.reply_markup)]
    assert len(reminders) == 1 and _progress("", lang) in reminders[0].text
    # They finish the questionnaire, apply (the form put aside goes on at the phone) and
    # leave the form: no second reminder, ever.
    await person.press("▶️")
    await person.press("C1")
    await person.press(labels["done"])
    assert labels["step"].format(n=2) in await person.press(labels["apply"])
    later = now + timedelta(days=2)
    await _age(app, user, later - timedelta(hours=21))
    assert await nudges_job(context(app), now=later) == 0
    await deliver_pending(context(app), now=later)
    assert not any(FORM_LEFT[lang] in (m.text or "") for m in sent_to(app, user))


# --------------------------------------------------------------------------- registration


async def test_nudge_jobs_are_registered_once_from_the_settings(app: BotUnderTest) -> None:
    from dataclasses import replace

    from apscheduler.triggers.cron import CronTrigger

    from bot.jobs import (
        HR_DIGEST_JOB_ID,
        NUDGES_JOB_ID,
        JobHolder,
        create_scheduler,
        register_jobs,
    )

    settings = app.settings.model_copy(update={"hr_digest_cron": "15 8 * * mon-fri"})
    job_context = replace(context(app), settings=settings)
    scheduler = create_scheduler()
    try:
        register_jobs(scheduler, job_context)
        register_jobs(scheduler, job_context)  # as after a restart: no doubles
        scheduler.start(paused=True)
        ids = [j.id for j in scheduler.get_jobs()]
        assert ids.count(HR_DIGEST_JOB_ID) == 1 and ids.count(NUDGES_JOB_ID) == 1
        trigger = scheduler.get_job(HR_DIGEST_JOB_ID).trigger
        assert isinstance(trigger, CronTrigger)
        fields = {f.name: str(f) for f in trigger.fields}
        assert (fields["hour"], fields["minute"], fields["day_of_week"]) == ("8", "15", "mon-fri")
    finally:
        JobHolder.announcer = None
        scheduler.shutdown(wait=False)


def test_bad_nudge_settings_are_refused() -> None:
    from pydantic import SecretStr, ValidationError

    from bot.config import Settings

    for field, value in (("hr_digest_cron", "every morning"), ("nudge_hours", "10-19")):
        with pytest.raises(ValidationError):
            Settings(
                bot_token=SecretStr("424242:TEST_TOKEN_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
                _env_file=None,  # type: ignore[call-arg]
                **{field: value},
            )
