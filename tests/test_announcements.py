"""Automatic vacancy announcements: texts, the digest, quiet hours, the channel, and the
announcement HR's /vacancies board triggers (through the real Dispatcher)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time

import pytest
from aiogram.methods import EditMessageText, SendMessage
from sqlalchemy import select

from bot.catalogue.service import CatalogueService
from bot.db.models import Broadcast, BroadcastStatus, User
from bot.deps import JobContext
from bot.i18n import Translator
from bot.jobs import JobHolder, SchedulerJobs, broadcast_job, create_scheduler, job_id
from bot.keyboards.callbacks import CardCb, CardSource
from bot.rendering.announcements import (
    Texts,
    channel_text,
    digest_texts,
    vacancy_texts,
    without_footer,
)
from bot.sending import runner as runner_module
from bot.sending.announcer import Announcer
from bot.sending.runner import create_runner
from bot.services import subscriptions
from bot.services.announcements import TIMEZONE, next_allowed_time, parse_quiet_hours
from bot.services.validation import telegram_length
from tests.conftest import BotUnderTest
from tests.test_vacancies import open_position

HR_ID = 9000
RESCUER = 38  # «Спасатель аварийно-спасательной службы»


def almaty(hour: int, minute: int = 0, day: int = 25) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=TIMEZONE)


class FakeRunner:
    def __init__(self) -> None:
        self.started: list[int] = []

    async def start_now(self, broadcast_id: int) -> int:
        self.started.append(broadcast_id)
        return 0


# --- quiet hours ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (almaty(12), almaty(12)),
        (almaty(21, 59), almaty(21, 59)),
        (almaty(22), almaty(8, day=26)),
        (almaty(23, 30), almaty(8, day=26)),
        (almaty(0, 5), almaty(8)),
        (almaty(7, 59), almaty(8)),
        (almaty(8), almaty(8)),
    ],
)
def test_next_allowed_time_holds_the_night(now: datetime, expected: datetime) -> None:
    assert next_allowed_time(now) == expected


def test_next_allowed_time_in_utc_and_other_windows() -> None:
    # 18:00 UTC is 23:00 in Almaty: held until 08:00 Almaty = 03:00 UTC.
    now = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
    assert next_allowed_time(now) == datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
    lunch = (time(13), time(14))
    assert next_allowed_time(almaty(13, 30), *lunch) == almaty(14)
    assert next_allowed_time(almaty(14, 30), *lunch) == almaty(14, 30)
    assert next_allowed_time(almaty(3), time(8), time(8)) == almaty(3)  # an empty window


def test_parse_quiet_hours() -> None:
    assert parse_quiet_hours("22:00-08:00") == (time(22), time(8))
    assert parse_quiet_hours(" 23:30 - 7:00 ") == (time(23, 30), time(7))
    assert parse_quiet_hours("") is None
    assert parse_quiet_hours("10:00-10:00") is None


# --- texts ----------------------------------------------------------------------------------


def test_vacancy_texts_in_both_languages(
    catalogue: CatalogueService, translator: Translator
) -> None:
    position = catalogue.position(RESCUER)
    assert position is not None
    texts = vacancy_texts(translator, catalogue, position, 3, opened=True)
    assert "Новая вакансия" in texts.ru and "Спасатель" in texts.ru
    assert "Свободных мест: 3" in texts.ru and "/unsubscribe" in texts.ru
    assert "Жаңа бос орын" in texts.kk and "құтқарушы" in texts.kk
    assert "Бос орындар саны: 3" in texts.kk
    more = vacancy_texts(translator, catalogue, position, None, opened=False, footer=False)
    assert "Больше свободных мест" in more.ru and "Свободных мест:" not in more.ru
    assert "/unsubscribe" not in more.ru
    assert (
        without_footer(texts.ru, translator, "ru")
        == vacancy_texts(translator, catalogue, position, 3, opened=True, footer=False).ru
    )


def test_digest_lists_open_positions_with_places(
    catalogue: CatalogueService, translator: Translator
) -> None:
    texts = digest_texts(translator, catalogue, frozenset({1, 2}), {RESCUER: 4})
    assert texts is not None
    for lang, text in (("ru", texts.ru), ("kk", texts.kk)):
        assert telegram_length(text) <= 4096
        assert catalogue.position(1).title.get(lang) not in text  # type: ignore[union-attr]
        assert f"{catalogue.position(RESCUER).title.get(lang)} — " in text  # type: ignore[union-attr]
        assert "/vacancies" in text and "/unsubscribe" in text
    assert "Открыто должностей: 60" in texts.ru and "мест: 4" in texts.ru
    assert "Ашық лауазымдар: 60" in texts.kk and "орын саны: 4" in texts.kk
    everything = frozenset(p.number for p in catalogue.catalogue.positions)
    assert digest_texts(translator, catalogue, everything, {}) is None


def test_a_long_digest_is_cut_at_a_department(
    catalogue: CatalogueService, translator: Translator
) -> None:
    texts = digest_texts(translator, catalogue, frozenset(), {}, limit=1000)
    assert texts is not None
    assert telegram_length(texts.ru) <= 1000
    assert "…и ещё" in texts.ru and "/vacancies" in texts.ru
    assert "…тағы" in texts.kk


def test_channel_text_is_bilingual_when_it_fits() -> None:
    assert channel_text(Texts(kk="Бір", ru="Бір"), "ru") == "Бір"
    both = channel_text(Texts(kk="Сәлем", ru="Привет"), "ru")
    assert both.index("Сәлем") < both.index("Привет")
    long = Texts(kk="к" * 600, ru="р" * 600)
    assert channel_text(long, "ru", limit=1024) == "р" * 600
    assert channel_text(long, "kk", limit=1024) == "к" * 600


# --- the announcer --------------------------------------------------------------------------


def make_announcer(
    app: BotUnderTest,
    runner: FakeRunner,
    clock: Callable[[], datetime] = lambda: almaty(11),
    scheduler: object = None,
) -> Announcer:
    jobs = SchedulerJobs(scheduler) if scheduler is not None else None
    context = JobContext(
        bot=app.bot,
        session_factory=app.session_factory,
        settings=app.settings,
        translator=app.translator,
        catalogue=app.catalogue,
    )
    return Announcer(
        context,
        jobs=jobs,
        runner=runner,
        clock=clock,
    )


async def broadcasts(app: BotUnderTest) -> list[Broadcast]:
    async with app.session_factory() as session:
        return list(await session.scalars(select(Broadcast).order_by(Broadcast.id)))


CLOSE, OPEN = "Закрыть набор", "Открыть набор"  # HR's buttons on a position of the board


async def hr_press(app: BotUnderTest, button: str, number: int = RESCUER) -> None:
    hr = app.person(HR_ID)
    await open_position(app, number, hr)
    await hr.press(button)


async def test_opening_a_position_announces_it_to_its_department(app: BotUnderTest) -> None:
    runner = FakeRunner()
    app.deps.vacancies.on_change.append(make_announcer(app, runner).on_vacancy_change)
    await hr_press(app, CLOSE)
    assert await broadcasts(app) == []  # closing announces nothing
    await hr_press(app, OPEN)
    [broadcast] = await broadcasts(app)
    assert broadcast.kind == "vacancy" and broadcast.position_number == RESCUER
    assert broadcast.departments == ["emergency_rescue"]
    assert broadcast.created_by == HR_ID
    assert "Новая вакансия" in broadcast.text_ru and "Жаңа бос орын" in broadcast.text_kk
    assert runner.started == [broadcast.id]
    assert "Набор открыт" in app.session.last_text()  # HR's screen as before


async def test_raising_places_announces_and_lowering_does_not(app: BotUnderTest) -> None:
    runner = FakeRunner()
    app.deps.vacancies.on_change.append(make_announcer(app, runner).on_vacancy_change)
    hr = app.person(HR_ID)

    async def set_places(places: str) -> None:
        await open_position(app, RESCUER, hr)
        await hr.press("Указать число мест")
        await hr.send(places)

    await set_places("3")  # «not said» → 3: more places
    await set_places("2")
    await set_places("2")
    await set_places("5")
    found = await broadcasts(app)
    assert len(found) == 2
    assert "Больше свободных мест" in found[0].text_ru and "Свободных мест: 3" in found[0].text_ru
    assert "Свободных мест: 5" in found[1].text_ru
    assert runner.started == [b.id for b in found]


async def test_quiet_hours_hold_an_announcement_until_morning(app: BotUnderTest) -> None:
    runner = FakeRunner()
    scheduler = create_scheduler()
    scheduler.start(paused=True)
    try:
        announcer = make_announcer(app, runner, lambda: almaty(23), scheduler)
        app.deps.vacancies.on_change.append(announcer.on_vacancy_change)
        await hr_press(app, CLOSE)
        await hr_press(app, OPEN)
        [held] = await broadcasts(app)
        assert held.status == BroadcastStatus.scheduled and runner.started == []
        assert held.scheduled_at is not None
        assert held.scheduled_at.replace(tzinfo=held.scheduled_at.tzinfo or UTC) == almaty(
            8, day=26
        )
        job = scheduler.get_job(job_id(held.id))
        assert job is not None and job.args == (held.id,)
        assert job.next_run_time == almaty(8, day=26)

        # Morning: still open → sent. A second one, closed meanwhile → cancelled.
        JobHolder.announcer = announcer
        await broadcast_job(held.id)
        assert runner.started == [held.id]
        await hr_press(app, CLOSE)
        await hr_press(app, OPEN)
        await hr_press(app, CLOSE)
        second = (await broadcasts(app))[-1]
        await broadcast_job(second.id)
        assert runner.started == [held.id]
        assert (await broadcasts(app))[-1].status == BroadcastStatus.cancelled
    finally:
        JobHolder.announcer = None
        scheduler.shutdown(wait=False)


async def test_manual_broadcasts_are_not_held(app: BotUnderTest) -> None:
    """HR's «send now» at night goes at once (the announcer's hold is for automatic ones)."""
    from tests.test_broadcast_ui import compose_and_preview

    runner = FakeRunner()
    app.use(broadcasts=runner)
    hr = await compose_and_preview(app)
    await hr.press("Отправить сейчас")
    [broadcast] = await broadcasts(app)
    assert runner.started == [broadcast.id] and broadcast.scheduled_at is None


async def test_weekly_digest(app: BotUnderTest) -> None:
    runner = FakeRunner()
    announcer = make_announcer(app, runner)
    await hr_press(app, CLOSE, 1)
    broadcast_id = await announcer.send_digest()
    [digest] = await broadcasts(app)
    assert digest.id == broadcast_id and digest.kind == "digest"
    assert digest.departments is None and digest.position_number is None
    assert "Открытые вакансии недели" in digest.text_ru
    assert "Открыто должностей: 61" in digest.text_ru
    assert "Аптаның ашық бос орындары" in digest.text_kk
    assert runner.started == [digest.id]


async def test_digest_job_is_registered_from_the_settings(app: BotUnderTest) -> None:
    from apscheduler.triggers.cron import CronTrigger

    from bot.jobs import DIGEST_JOB_ID, register_jobs

    context = JobContext(
        bot=app.bot,
        session_factory=app.session_factory,
        settings=app.settings.model_copy(update={"digest_cron": "30 9 * * fri"}),
        translator=app.translator,
        catalogue=app.catalogue,
    )
    scheduler = create_scheduler()
    try:
        register_jobs(scheduler, context)
        register_jobs(scheduler, context)  # as after a restart: no doubles
        scheduler.start(paused=True)
        jobs = [j for j in scheduler.get_jobs() if j.id == DIGEST_JOB_ID]
        assert len(jobs) == 1
        trigger = jobs[0].trigger
        assert isinstance(trigger, CronTrigger) and str(trigger.timezone) == "Asia/Almaty"
        fields = {f.name: str(f) for f in trigger.fields}
        assert (fields["day_of_week"], fields["hour"], fields["minute"]) == ("fri", "9", "30")
        off = context.settings.model_copy(update={"digest_enabled": False})
        register_jobs(scheduler, JobContext(**{**context.__dict__, "settings": off}))
        assert scheduler.get_job(DIGEST_JOB_ID) is None
    finally:
        JobHolder.announcer = None
        scheduler.shutdown(wait=False)


async def test_every_announcement_is_posted_to_the_channel(app: BotUnderTest) -> None:
    app.settings.channel_id = "@rescue_jobs"
    runner = FakeRunner()
    app.deps.vacancies.on_change.append(make_announcer(app, runner).on_vacancy_change)
    await hr_press(app, CLOSE)
    await hr_press(app, OPEN)
    posts = [r for r in app.session.of(SendMessage) if r.chat_id == "@rescue_jobs"]
    assert len(posts) == 1
    post = posts[0]
    assert post.text.index("Жаңа бос орын") < post.text.index("Новая вакансия")
    assert "/unsubscribe" not in post.text  # the subscribers' footer is not for the channel
    [[button]] = post.reply_markup.inline_keyboard
    assert button.url == f"https://t.me/rescue_jobs_bot?start=pos_{RESCUER}"


async def test_subscribers_get_it_in_their_language_with_the_position_button(
    app: BotUnderTest,
) -> None:
    """The real runner and engine: the announcement reaches the right subscribers."""
    async with app.session_factory() as session:
        session.add_all([User(id=2001, language="kk"), User(id=2002, language="ru")])
        await session.commit()
        await subscriptions.subscribe(session, 2001, ["emergency_rescue"])
        await subscriptions.subscribe(session, 2002, None)
        await subscriptions.subscribe(session, 2003, ["accounting"])  # another department
    real = create_runner(app.bot, app.session_factory, app.translator)
    await real.start()
    try:
        announcer = make_announcer(app, FakeRunner())
        announcer.runner = real
        app.deps.vacancies.on_change.append(announcer.on_vacancy_change)
        await hr_press(app, CLOSE)
        await hr_press(app, OPEN)
        await real.wait_idle(timeout=10)
    finally:
        await runner_module.on_shutdown(real)
    sent = {r.chat_id: r for r in app.session.of(SendMessage) if r.chat_id in (2001, 2002, 2003)}
    assert set(sent) == {2001, 2002}
    assert "Жаңа бос орын" in sent[2001].text and "Новая вакансия" in sent[2002].text
    for request in sent.values():
        [[button]] = request.reply_markup.inline_keyboard
        assert button.callback_data == CardCb(number=RESCUER, src=CardSource.announcement).pack()
    [broadcast] = await broadcasts(app)
    assert broadcast.status == BroadcastStatus.done
    assert (broadcast.total, broadcast.sent_count) == (2, 2)
    # The subscriber opens the vacancy: its card arrives below, the announcement stays.
    subscriber = app.person(2002)
    announcement = subscriber.screen()
    card = await subscriber.press("Открыть вакансию")
    assert "Спасатель" in card and "Новая вакансия" not in card
    assert [
        type(r) for r in subscriber.replies if isinstance(r, SendMessage | EditMessageText)
    ] == [SendMessage]
    assert subscriber.messages()[announcement.message_id].text == sent[2002].text
    await subscriber.press("«", quiet=True)  # the card goes, the announcement is on screen
    assert subscriber.screen().message_id == announcement.message_id


# --- settings and the job store URL ---------------------------------------------------------


def test_announcement_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    from bot.config import Settings, settings_error_line

    monkeypatch.setenv("BOT_TOKEN", "123456789:AAEabcdefghijklmnopqrstuvwxyz0123456")
    defaults = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (defaults.digest_cron, defaults.digest_enabled) == ("0 10 * * mon", True)
    assert (defaults.channel_id, defaults.quiet_hours) == (None, "22:00-08:00")
    for raw, expected in (("-1001234", -1001234), ("@rescue_jobs", "@rescue_jobs"), ("", None)):
        monkeypatch.setenv("CHANNEL_ID", raw)
        assert Settings(_env_file=None).channel_id == expected  # type: ignore[call-arg]
    monkeypatch.setenv("QUIET_HOURS", "")
    assert Settings(_env_file=None).quiet_hours == ""  # type: ignore[call-arg]
    for name, bad in (("QUIET_HOURS", "25:00-08:00"), ("DIGEST_CRON", "every monday")):
        monkeypatch.setenv(name, bad)
        with pytest.raises(ValidationError) as error:
            Settings(_env_file=None)  # type: ignore[call-arg]
        assert name in settings_error_line(error.value)
        monkeypatch.delenv(name)


def test_job_store_url_is_the_sync_driver_of_the_same_database() -> None:
    from bot.jobs import job_store_url

    assert job_store_url("sqlite+aiosqlite:////var/bot.sqlite3") == "sqlite:////var/bot.sqlite3"
    assert (
        job_store_url("postgresql+asyncpg://bot:s3cret@db:5432/bot")
        == "postgresql+psycopg://bot:s3cret@db:5432/bot"
    )
    with pytest.raises(ValueError):
        job_store_url("mysql+aiomysql://x@y/z")
