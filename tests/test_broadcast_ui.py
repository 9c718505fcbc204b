"""HR's /broadcast composer and /broadcasts list, through the real Dispatcher.

The delivery engine is replaced by a fake runner injected through the workflow data
``broadcast_runner``; the scheduler is the production one (persistent job store in the
test database), started paused so nothing runs by itself.
"""

from __future__ import annotations

import pickle
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiogram.methods import AnswerCallbackQuery, SendMessage, SendPhoto
from aiogram.types import Document, PhotoSize, Sticker
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.models import Broadcast, BroadcastStatus
from bot.jobs import (
    PERSISTENT,
    SchedulerJobs,
    broadcast_job,
    create_scheduler,
    job_id,
    reconcile,
)
from bot.keyboards.callbacks import BroadcastListAction, BroadcastListCb
from bot.services import subscriptions
from bot.services.announcements import TIMEZONE
from tests.conftest import BotUnderTest
from tests.harness import Person

HR_ID = 9000
STRANGER = 5555


class FakeRunner:
    def __init__(self) -> None:
        self.started: list[int] = []

    async def start_now(self, broadcast_id: int) -> int:
        self.started.append(broadcast_id)
        return 0


async def job_store_url(engine: AsyncEngine) -> str:
    """The test database's URL; on PostgreSQL with the test's own schema."""
    url = engine.url.render_as_string(hide_password=False)
    if engine.dialect.name == "postgresql":
        async with engine.connect() as conn:
            schema = await conn.scalar(text("SELECT current_schema()"))
        url += ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
    return url


@pytest.fixture
async def scheduler(app: BotUnderTest, engine: AsyncEngine) -> AsyncIterator[object]:
    scheduler = create_scheduler(await job_store_url(engine))
    scheduler.start(paused=True)
    app.use(jobs=SchedulerJobs(scheduler))
    yield scheduler
    if scheduler.running:
        scheduler.shutdown(wait=False)


@pytest.fixture
def runner(app: BotUnderTest) -> FakeRunner:
    fake = FakeRunner()
    app.use(broadcasts=fake)
    return fake


def alerts(app: BotUnderTest, since: int = 0) -> list[str]:
    """The texts of the alerts shown since request number ``since``."""
    return [
        r.text or ""
        for r in app.session.requests[since:]
        if isinstance(r, AnswerCallbackQuery) and r.show_alert
    ]


async def all_broadcasts(app: BotUnderTest) -> list[Broadcast]:
    async with app.session_factory() as session:
        return list(await session.scalars(select(Broadcast).order_by(Broadcast.id)))


def photo(size: int = 2_000_000, file_id: str = "photo-1") -> list[PhotoSize]:
    return [
        PhotoSize(file_id="thumb", file_unique_id="t", width=90, height=90, file_size=1000),
        PhotoSize(file_id=file_id, file_unique_id="p", width=1280, height=960, file_size=size),
    ]


async def compose_and_preview(app: BotUnderTest, text: str = "Набор в службу спасения!") -> Person:
    """/broadcast → one text → no photo → every subscriber → the preview (as HR, Russian)."""
    hr = app.person(HR_ID, "ru")
    assert "Новая рассылка" in await hr.send("/broadcast")
    await hr.press("Один текст")
    assert "Добавьте фото" in await hr.send(text)
    assert "Кому отправить" in await hr.press("Без фото")
    await hr.press("Всем подписчикам")
    return hr


async def test_one_text_for_everyone_sent_now(app: BotUnderTest, runner: FakeRunner) -> None:
    async with app.session_factory() as session:
        await subscriptions.subscribe(session, 2001, None)
        await subscriptions.subscribe(session, 2002, ["accounting"])
    app.session.clear()
    hr = await compose_and_preview(app, "<b>Набор</b> в службу & спасения")
    texts = [r.text for r in app.session.of(SendMessage) if r.chat_id == HR_ID]
    # The preview: one version for all (the same text), then the summary with the buttons.
    assert "Так получат все подписчики" in texts[-3]
    assert texts[-2] == "&lt;b&gt;Набор&lt;/b&gt; в службу &amp; спасения"  # HR's text, escaped
    assert "всем подписчикам" in texts[-1] and "подписчиков: 2" in texts[-1]
    send_now = hr.button("Отправить сейчас").callback_data
    assert send_now is not None
    answer = await hr.press_data(send_now)
    [broadcast] = await all_broadcasts(app)
    assert f"Рассылка №{broadcast.id} запущена" in answer
    assert runner.started == [broadcast.id]
    assert broadcast.kind == "manual" and broadcast.status == BroadcastStatus.draft
    assert broadcast.text_kk == broadcast.text_ru == texts[-2]
    assert broadcast.departments is None and broadcast.photo_file_id is None
    assert broadcast.created_by == HR_ID and broadcast.progress_chat_id == HR_ID
    # The draft is gone: «Send now» again is a stale button, and nothing is created.
    mark = len(app.session.requests)
    await hr.press_data(send_now)
    assert alerts(app, mark)
    assert len(await all_broadcasts(app)) == 1 and runner.started == [broadcast.id]


async def test_two_versions_with_a_photo_for_chosen_departments_in_kazakh(
    app: BotUnderTest, runner: FakeRunner
) -> None:
    hr = app.person(HR_ID, "kk")
    assert "Жазылушыларға жаңа тарату" in await hr.send("/broadcast")
    assert "қазақ тілінде" in await hr.press("Екі нұсқа")
    assert "орыс тілінде" in await hr.send("Құтқарушылар қажет!")
    assert "Сурет қосыңыз" in await hr.send("Нужны спасатели!")
    await hr.send_message(photo=photo())
    assert "Кімге жіберу" in app.session.last_text()
    await hr.press("Бөлімдердің жазылушыларына")
    await hr.press("Авариялық-құтқару қызметі")
    await hr.press("Заң бөлімі")
    await hr.press("Заң бөлімі")  # unticked again
    assert hr.button("✅ Авариялық-құтқару қызметі") and hr.button("Дайын (1)")
    mark = len(app.session.requests)
    summary = await hr.press("Дайын")
    preview = app.session.requests[mark:]
    photos = [r for r in preview if isinstance(r, SendPhoto)]
    assert [(p.photo, p.caption) for p in photos] == [
        ("photo-1", "Құтқарушылар қажет!"),
        ("photo-1", "Нужны спасатели!"),
    ]
    headers = [r.text for r in preview if isinstance(r, SendMessage)]
    assert "Қазақ тіліндегі жазылушы" in headers[0] and "Орыс тіліндегі жазылушы" in headers[1]
    assert "Авариялық-құтқару қызметі" in summary and "жазылушылар: 0" in summary

    # Back keeps every choice; forward again to the same preview.
    await hr.press("Артқа")
    assert hr.button("✅ Авариялық-құтқару қызметі")
    await hr.press("Дайын")
    await hr.press("Қазір жіберу")
    [broadcast] = await all_broadcasts(app)
    assert broadcast.text_kk == "Құтқарушылар қажет!" and broadcast.text_ru == "Нужны спасатели!"
    assert broadcast.photo_file_id == "photo-1"
    assert broadcast.departments == ["emergency_rescue"]
    assert runner.started == [broadcast.id]


async def test_bad_input_is_explained_and_the_step_asked_again(
    app: BotUnderTest, runner: FakeRunner
) -> None:
    hr = app.person(HR_ID, "ru")
    await hr.send("/broadcast")
    assert "Здесь нужны кнопки" in await hr.send("просто текст")  # buttons expected
    await hr.press("Один текст")
    assert "Текст пустой" in await hr.send("   ")
    await hr.send_message(
        sticker=Sticker(
            file_id="s",
            file_unique_id="s",
            type="regular",
            width=1,
            height=1,
            is_animated=False,
            is_video=False,
        )
    )
    assert "Здесь нужен текст" in app.session.last_text()
    answer = await hr.send("x" * 5000)
    assert "5000 символов" in answer and "4096" in answer
    assert "Напишите текст рассылки" in answer  # the same step again
    await hr.send("ж" * 1500)  # fine without a photo...
    await hr.send_message(photo=photo())
    assert "не больше 1024" in app.session.last_text()  # ...too long under one
    await hr.send_message(photo=photo(size=11 * 1024 * 1024))
    assert "Фото слишком большое: 11.0 МБ" in app.session.last_text()
    await hr.send_message(
        document=Document(
            file_id="d", file_unique_id="d", file_name="a.jpg", mime_type="image/jpeg"
        )
    )
    assert "не файлом" in app.session.last_text()
    # Back to the text: the one given before is kept (one press) or replaced.
    await hr.press("Назад")
    assert hr.button("Оставить прежний текст")
    await hr.send("Короткий текст")
    await hr.send_message(photo=photo())
    assert "Кому отправить" in app.session.last_text()
    await hr.press("Подписчикам отделов")
    assert "хотя бы один отдел" in await hr.press("Готово")
    assert "Здесь нужны кнопки" in await hr.send("Бухгалтерия")
    await hr.press("Назад")
    await hr.press("Назад")
    assert "Сейчас к рассылке приложено фото" in app.session.last_text()
    await hr.press("Оставить это фото")
    await hr.press("Всем подписчикам")
    await hr.press("Отправить сейчас")
    [broadcast] = await all_broadcasts(app)
    assert broadcast.text_ru == "Короткий текст" and broadcast.photo_file_id == "photo-1"


async def test_cancel_leaves_the_composer(app: BotUnderTest, runner: FakeRunner) -> None:
    hr = app.person(HR_ID, "ru")
    await hr.send("/broadcast")
    await hr.press("Один текст")
    await hr.send("Текст")
    assert "Рассылка отменена" in await hr.press("Отмена")
    await hr.send("водитель")  # no longer the composer: the title search answers
    assert "Добавьте фото" not in app.session.last_text()
    assert await all_broadcasts(app) == [] and runner.started == []


async def test_schedule_bad_then_good_time_then_cancel_from_the_list(
    app: BotUnderTest, runner: FakeRunner, scheduler: object
) -> None:
    hr = await compose_and_preview(app)
    assert "Когда отправить" in await hr.press("Запланировать")
    assert "Не понял дату и время" in await hr.send("abc")
    assert "уже прошло" in await hr.send("01.01.2020 10:00")
    answer = await hr.send("завтра в 10")
    [broadcast] = await all_broadcasts(app)
    tomorrow = (datetime.now(TIMEZONE) + timedelta(days=1)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    assert f"№{broadcast.id} запланирована на {tomorrow:%d.%m.%Y} 10:00" in answer
    assert broadcast.status == BroadcastStatus.scheduled and runner.started == []
    job = scheduler.get_job(job_id(broadcast.id))  # type: ignore[attr-defined]
    assert job is not None and job.args == (broadcast.id,)
    assert job.next_run_time == tomorrow
    assert [j.id for j in scheduler.get_jobs(jobstore=PERSISTENT)] == [job_id(broadcast.id)]  # type: ignore[attr-defined]

    listing = await hr.send("/broadcasts")
    assert f"№{broadcast.id}" in listing and "запланирована" in listing
    assert "Всего: 0 · отправлено: 0 · не доставлено: 0" in listing
    await hr.press(f"Отменить №{broadcast.id}")
    assert "Отменить запланированную рассылку" in app.session.last_text()
    await hr.press("Не отменять")
    assert scheduler.get_job(job_id(broadcast.id)) is not None  # type: ignore[attr-defined]
    await hr.press(f"Отменить №{broadcast.id}")
    answer = await hr.press("Да, отменить")
    assert f"Рассылка №{broadcast.id} отменена" in answer and "✖ отменена" in answer
    assert scheduler.get_job(job_id(broadcast.id)) is None  # type: ignore[attr-defined]
    [broadcast] = await all_broadcasts(app)
    assert broadcast.status == BroadcastStatus.cancelled
    # The old «Cancel» button again: a localized answer, nothing else.
    stale = await hr.press_data(
        BroadcastListCb(action=BroadcastListAction.confirm_cancel, broadcast=broadcast.id).pack()
    )
    assert "уже нельзя отменить" in stale


async def test_a_scheduled_job_survives_a_restart_once(
    app: BotUnderTest, engine: AsyncEngine, runner: FakeRunner, scheduler: object
) -> None:
    hr = await compose_and_preview(app)
    await hr.press("Запланировать")
    await hr.send("10:00")
    [broadcast] = await all_broadcasts(app)
    scheduler.shutdown(wait=False)  # type: ignore[attr-defined]
    url = await job_store_url(engine)
    for _ in range(2):  # two restarts: the job is there, once
        again = create_scheduler(url)
        again.start(paused=True)
        try:
            jobs = again.get_jobs()
            assert [j.id for j in jobs] == [job_id(broadcast.id)]
            assert jobs[0].args == (broadcast.id,)
            assert jobs[0].func.__name__ == "broadcast_job"
        finally:
            again.shutdown(wait=False)
    # Registering it again (a reconcile, a second «Schedule» of the same id) keeps one.
    from bot.jobs import schedule_broadcast

    again = create_scheduler(url)
    again.start(paused=True)
    try:
        schedule_broadcast(again, broadcast.id, datetime.now(UTC) + timedelta(hours=1))
        assert [j.id for j in again.get_jobs()] == [job_id(broadcast.id)]
    finally:
        again.shutdown(wait=False)


async def test_a_job_saved_by_an_older_release_is_given_back(
    app: BotUnderTest, runner: FakeRunner, scheduler: Any
) -> None:
    """A job saved when its function lived elsewhere (``bot.sending.announcer`` before ``bot.jobs``)
    cannot be loaded: the reconcile at start gives the broadcast today's job, same time."""
    hr = await compose_and_preview(app)
    await hr.press("Запланировать")
    await hr.send("10:00")
    [broadcast] = await all_broadcasts(app)
    job = scheduler.get_job(job_id(broadcast.id))
    when = job.next_run_time
    state = job.__getstate__()
    state["func"] = "bot.sending.announcer:broadcast_job"
    store = scheduler._lookup_jobstore(PERSISTENT)
    with store.engine.begin() as connection:
        saved = pickle.dumps(state, store.pickle_protocol)
        connection.execute(store.jobs_t.update().values(job_state=saved))
    with pytest.raises(LookupError):
        scheduler.get_job(job_id(broadcast.id))
    assert await reconcile(scheduler, app.session_factory) == 1
    [job] = scheduler.get_jobs(jobstore=PERSISTENT)
    assert job.func is broadcast_job and job.args == (broadcast.id,)
    assert job.next_run_time == when
    assert await reconcile(scheduler, app.session_factory) == 0


async def test_schedule_without_a_scheduler_is_explained(
    app: BotUnderTest, runner: FakeRunner
) -> None:
    hr = await compose_and_preview(app)
    mark = len(app.session.requests)
    await hr.press("Запланировать")
    [alert] = alerts(app, mark)
    assert "Планировщик сейчас недоступен" in alert
    assert hr.button("Запланировать")  # the preview stays
    assert await all_broadcasts(app) == []


async def test_empty_list(app: BotUnderTest) -> None:
    hr = app.person(HR_ID, "kk")
    assert "Әзірге таратулар болған жоқ" in await hr.send("/broadcasts")


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_others_are_refused(
    app: BotUnderTest, runner: FakeRunner, scheduler: object, lang: str
) -> None:
    hr = await compose_and_preview(app)
    await hr.press("Запланировать")
    await hr.send("10:00")
    [broadcast] = await all_broadcasts(app)
    await compose_and_preview(app)  # a draft of HR's open at the preview
    send_now = hr.button("Отправить сейчас").callback_data
    assert send_now is not None
    stranger = app.person(STRANGER, lang)
    denied = app.translator(lang, "hr.access_denied")
    assert await stranger.send("/broadcast") == denied
    assert await stranger.send("/broadcasts") == denied
    for data in (
        BroadcastListCb(action=BroadcastListAction.cancel, broadcast=broadcast.id).pack(),
        BroadcastListCb(action=BroadcastListAction.confirm_cancel, broadcast=broadcast.id).pack(),
    ):
        mark = len(app.session.requests)
        await stranger.press_data(data)
        assert alerts(app, mark) == [denied]
    # HR's composer buttons pressed by someone else: not theirs, an alert and nothing sent.
    mark = len(app.session.requests)
    await stranger.press_data(send_now)
    assert len(alerts(app, mark)) == 1
    [broadcast] = await all_broadcasts(app)
    assert broadcast.status == BroadcastStatus.scheduled
    assert scheduler.get_job(job_id(broadcast.id)) is not None  # type: ignore[attr-defined]
    assert runner.started == []
    # HR's own draft, once HR no longer is: refused like the command, nothing sent.
    app.settings.admin_ids.remove(HR_ID)
    mark = len(app.session.requests)
    await hr.press_data(send_now)
    assert alerts(app, mark) == [app.translator("ru", "hr.access_denied")]
    assert app.translator("ru", "hr.access_denied") in await hr.send("Текст")
    assert len(await all_broadcasts(app)) == 1 and runner.started == []


async def test_two_versions_then_one_text_keeps_one_text_for_both(
    app: BotUnderTest, runner: FakeRunner
) -> None:
    hr = app.person(HR_ID, "ru")
    await hr.send("/broadcast")
    await hr.press("Два варианта")
    await hr.send("Қазақша мәтін")
    await hr.send("Русский текст")
    await hr.press("Назад")  # photo → the Russian text
    await hr.press("Назад")  # → the Kazakh text
    await hr.press("Назад")  # → one text or two
    await hr.press("Один текст")
    await hr.press("Оставить прежний текст")
    await hr.press("Без фото")
    summary = await hr.press("Всем подписчикам")
    assert "Проверьте рассылку" in summary
    await hr.press("Отправить сейчас")
    [broadcast] = await all_broadcasts(app)
    assert broadcast.text_kk == broadcast.text_ru == "Русский текст"


async def test_recurring_jobs_stay_in_memory_next_to_the_persistent_store(
    app: BotUnderTest, engine: AsyncEngine
) -> None:
    """register_jobs on the production scheduler: the recurring jobs (which carry the Bot)
    go to the memory store, so starting never tries to pickle them."""
    from bot.deps import JobContext
    from bot.jobs import VOLATILE, register_jobs

    context = JobContext(
        bot=app.bot,
        session_factory=app.session_factory,
        settings=app.settings,
        translator=app.translator,
        catalogue=app.catalogue,
    )
    scheduler = create_scheduler(await job_store_url(engine))
    register_jobs(scheduler, context)
    scheduler.start(paused=True)
    try:
        volatile = {j.id for j in scheduler.get_jobs(jobstore=VOLATILE)}
        assert {"outbox", "retention", "digest"} <= volatile
        assert scheduler.get_jobs(jobstore=PERSISTENT) == []
    finally:
        scheduler.shutdown(wait=False)


async def test_a_long_text_never_goes_out_as_a_caption_after_back(
    app: BotUnderTest, runner: FakeRunner
) -> None:
    """A photo with a short text, then Back to a text over 1024 characters: «keep photo»
    must not combine them (a caption holds 1024); the preview is what goes out."""
    hr = app.person(HR_ID, "ru")
    await hr.send("/broadcast")
    await hr.press("Один текст")
    await hr.send("Короткий текст")
    await hr.send_message(photo=photo())
    assert "Кому отправить" in app.session.last_text()
    await hr.press("Назад")  # the photo step
    await hr.press("Назад")  # the text step
    long_text = "<b>" + "ж" * 1500  # typed plain text: escaped, 1503 characters
    await hr.send(long_text)
    assert "Сейчас к рассылке приложено фото" in app.session.last_text()
    mark = len(app.session.requests)
    answer = await hr.press("Оставить это фото")
    assert "не больше 1024" in answer and "1503" in answer
    assert not any(isinstance(r, SendPhoto) for r in app.session.requests[mark:])
    # Without the photo it goes on; the preview is the text alone, as it will be sent.
    await hr.press("Без фото")
    mark = len(app.session.requests)
    await hr.press("Всем подписчикам")
    preview = app.session.requests[mark:]
    assert not any(isinstance(r, SendPhoto) for r in preview)
    assert "&lt;b&gt;" + "ж" * 1500 in [r.text for r in preview if isinstance(r, SendMessage)]
    await hr.press("Отправить сейчас")
    [broadcast] = await all_broadcasts(app)
    assert broadcast.photo_file_id is None
    assert broadcast.text_ru == "&lt;b&gt;" + "ж" * 1500


async def test_a_restart_mid_flow_loses_nothing(app: BotUnderTest, runner: FakeRunner) -> None:
    """The draft is the dialog's data in the SQL storage: texts, photo and unconfirmed ticks
    survive a restart of the process, and Back still knows the way."""
    hr = app.person(HR_ID, "ru")
    await hr.send("/broadcast")
    await hr.press("Два варианта")
    await hr.send("Қазақша мәтін")
    app.restart()
    assert "Сурет" not in await hr.send("Русский текст")  # the Russian step, then the photo
    assert "Добавьте фото" in app.session.last_text()
    await hr.send_message(photo=photo())
    await hr.press("Подписчикам отделов")
    await hr.press("Юридический")
    app.restart()
    app.use(broadcasts=runner)
    await hr.press("Бухгалтер")
    assert hr.button("✅ Юридический") and hr.button("Готово (2)")
    assert "Кому отправить" in await hr.press("Назад")
    await hr.press("Подписчикам отделов")
    assert hr.button("✅ Юридический")  # unconfirmed ticks survive Back
    mark = len(app.session.requests)
    await hr.press("Готово")
    photos = [r for r in app.session.requests[mark:] if isinstance(r, SendPhoto)]
    assert [p.caption for p in photos] == ["Қазақша мәтін", "Русский текст"]
    await hr.press("Отправить сейчас")
    [broadcast] = await all_broadcasts(app)
    assert (broadcast.text_kk, broadcast.text_ru) == ("Қазақша мәтін", "Русский текст")
    assert broadcast.photo_file_id == "photo-1"
    assert broadcast.departments == ["accounting", "legal"]
    assert runner.started == [broadcast.id]


async def test_commands_pass_and_forged_buttons_leave_the_step(
    app: BotUnderTest, runner: FakeRunner
) -> None:
    hr = app.person(HR_ID, "ru")
    await hr.send("/broadcast")
    await hr.press("Один текст")
    # A command is no broadcast text: /broadcasts lists, /broadcast starts anew.
    assert "Рассылок пока не было" in await hr.send("/broadcasts")
    assert "Новая рассылка" in await hr.send("/broadcast")
    await hr.press("Один текст")
    await hr.send("Текст")
    screen = app.session.last_text()
    # A forged dialog button: an alert, the same step on screen, the draft kept.
    mark = len(app.session.requests)
    await hr.press_data("0000000000\x1dsend_now")
    assert len(alerts(app, mark)) == 1 and app.session.last_text() == screen
    await hr.press("Без фото")
    await hr.press("Подписчикам отделов")
    data = hr.button("Юридический").callback_data
    assert data is not None
    intent = data.split("\x1d")[0]
    mark = len(app.session.requests)
    await hr.press_data(f"{intent}\x1ddepartments:no_such_department")
    assert "не относится к текущему шагу" in app.session.last_text()
    assert hr.button("Готово (0)")
    assert "Здесь нужны кнопки" in await hr.send("Юридический")
    await hr.press("Юридический")
    await hr.press("Готово")
    await hr.press("Отправить сейчас")
    [broadcast] = await all_broadcasts(app)
    assert broadcast.text_ru == "Текст" and broadcast.departments == ["legal"]
