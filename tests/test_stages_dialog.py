"""HR's /stages dialog through the real Dispatcher: the chain, a stage's names, checklist
and cut-off edited (stored by bot.services.stages), bad input kept on the step, others
refused."""

from __future__ import annotations

import pytest
from aiogram.types import Sticker

from bot.services import stages
from tests.conftest import BotUnderTest
from tests.test_vacancies import alerts

HR_ID = 9000
STICKER = Sticker(
    file_id="STICKER",
    file_unique_id="s",
    type="regular",
    width=1,
    height=1,
    is_animated=False,
    is_video=False,
)


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_hr_edits_a_stage(app: BotUnderTest, lang: str) -> None:
    hr = app.person(user_id=HR_ID, language_code=lang)
    scopes = await hr.send("/stages")
    assert ("Этапы отбора" if lang == "ru" else "Іріктеу кезеңдері") in scopes
    chain = await hr.press("🌐")
    assert ("Общая цепочка" if lang == "ru" else "Жалпы тізбек") in chain
    names = [b.text for b in hr.buttons()]
    assert names[0].startswith("1. ") and names[2].startswith("3. ")
    card = await hr.press("1. ")
    assert "Собеседование" in card and "Әңгімелесу" in card and "12" in card
    ru_name = [b for b in hr.buttons() if b.text.startswith("✏️")][1]
    await hr.press_data(ru_name.callback_data or "")
    saved = await hr.send("Собеседование в отделе кадров")
    assert ("Сохранено" if lang == "ru" else "Сақталды") in saved
    assert "Собеседование в отделе кадров" in saved and "Әңгімелесу" in saved
    await hr.press("⏱")
    for bad in ("999", "-1", "много"):
        shown = await hr.send(bad)
        assert "336" in shown
    shown = await hr.send_message(sticker=STICKER)
    assert "текст" in shown or "мәтін" in shown
    assert "24" in await hr.send("24")
    ru_list = [b for b in hr.buttons() if b.text.startswith("📋")][1]
    await hr.press_data(ru_list.callback_data or "")
    await hr.send("Удостоверение личности\n- Военный билет\n\n• Диплом")
    async with app.session_factory() as session:
        interview = (await stages.ensure_default_chain(session))[0]
    assert interview.name_ru == "Собеседование в отделе кадров"
    assert interview.name_kk == "Әңгімелесу"  # the other language keeps its name
    assert interview.cutoff_hours == 24 and interview.updated_by == HR_ID
    assert interview.checklist_ru == ["Удостоверение личности", "Военный билет", "Диплом"]
    assert interview.checklist_kk  # the default Kazakh list, kept


async def test_a_too_long_name_is_refused_on_the_step(app: BotUnderTest) -> None:
    hr = app.person(user_id=HR_ID)
    await hr.send("/stages")
    await hr.press("🌐")
    await hr.press("2. ")
    await hr.press("Название (каз.)")
    shown = await hr.send("х" * 101)
    assert "не больше 100" in shown and "на казахском" in shown
    async with app.session_factory() as session:
        assert (await stages.ensure_default_chain(session))[1].name_kk is None


async def test_others_are_refused(app: BotUnderTest) -> None:
    stranger = app.person(user_id=1001)
    assert "только сотрудникам" in await stranger.send("/stages")
    hr = app.person(user_id=HR_ID)
    await hr.send("/stages")
    await hr.press("🌐")
    forged = [b.callback_data or "" for b in hr.buttons()]
    before = len(alerts(app))
    for data in forged:
        await stranger.press_data(data)
    assert len(alerts(app)) == before + len(forged)


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_a_department_gets_its_own_chain(app: BotUnderTest, lang: str) -> None:
    hr = app.person(user_id=HR_ID, language_code=lang)
    await hr.send("/stages")
    await hr.press("🏢")
    shown = await hr.press("Юридический" if lang == "ru" else "Заң бөлімі")
    assert ("сейчас действует общая" if lang == "ru" else "жалпы тізбек қолданылады") in shown
    assert not [b for b in hr.buttons() if b.text.startswith("1. ")]  # nothing to edit yet
    shown = await hr.press("🛠")
    assert ("своя цепочка" if lang == "ru" else "жеке тізбек бар") in shown
    assert [b for b in hr.buttons() if b.text.startswith("3. ")]
    async with app.session_factory() as session:
        own = await stages.scope_chain(session, stages.Scope(department="legal"))
        assert [s.code for s in own] == ["interview", "fitness_test", "medical_commission"]
        assert own[0].updated_by == HR_ID
    # A position of that department now follows the department's chain.
    await hr.press("👤")
    shown = await hr.press("14. ")
    assert ("цепочка отдела" if lang == "ru" else "бөлімнің тізбегі") in shown
    shown = await hr.press("🛠")
    async with app.session_factory() as session:
        assert await stages.scope_chain(session, stages.Scope(position_number=14))
        assert not await stages.scope_chain(session, stages.Scope(department="accounting"))
    # Back: the department's chain, then the scopes; a restart keeps where HR is.
    shown = await hr.press("« ")
    assert ("Юридический" if lang == "ru" else "Заң бөлімі") in shown
    app.restart()
    card = await hr.press("1. ")
    assert "Собеседование" in card and "Әңгімелесу" in card


async def _codes(app: BotUnderTest, department: str, position: int) -> list[str]:
    async with app.session_factory() as session:
        followed = await stages.chain(session, department=department, position_number=position)
    return [s.name_ru or s.code for s in followed]


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_a_stage_added_to_a_department_chain_is_followed_there_only(
    app: BotUnderTest, lang: str
) -> None:
    hr = app.person(user_id=HR_ID, language_code=lang)
    await hr.send("/stages")
    await hr.press("🏢")
    await hr.press("Юридический" if lang == "ru" else "Заң бөлімі")
    assert not [b for b in hr.buttons() if b.text.startswith("➕")]  # not its own chain yet
    await hr.press("🛠")
    prompt = await hr.press("➕")
    assert ("на казахском" if lang == "ru" else "қазақша атауын") in prompt
    prompt = await hr.send("Психологиялық тест")
    assert "Психологиялық тест" in prompt
    assert ("на русском" if lang == "ru" else "орысша атауын") in prompt
    shown = await hr.send("Психологический тест")
    assert ("добавлен" if lang == "ru" else "қосылды") in shown
    title = "Психологический тест" if lang == "ru" else "Психологиялық тест"
    assert f"4. {title}" in [b.text for b in hr.buttons()]
    legal = await _codes(app, "legal", 14)
    assert legal == ["interview", "fitness_test", "medical_commission", "Психологический тест"]
    assert await _codes(app, "accounting", 22) == [
        "interview",
        "fitness_test",
        "medical_commission",
    ]
    async with app.session_factory() as session:
        added = (await stages.scope_chain(session, stages.Scope(department="legal")))[-1]
    assert added.name_kk == "Психологиялық тест" and added.updated_by == HR_ID


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_hr_moves_and_archives_a_stage(app: BotUnderTest, lang: str) -> None:
    hr = app.person(user_id=HR_ID, language_code=lang)
    await hr.send("/stages")
    await hr.press("🌐")
    await hr.press("1. ")
    shown = await hr.press("⬆️")
    assert ("и так первый" if lang == "ru" else "онсыз да бірінші") in shown
    shown = await hr.press("⬇️")
    assert ("перемещён" if lang == "ru" else "жылжытылды") in shown
    assert ("Этап 2" if lang == "ru" else "2-кезең") in shown  # the card follows the stage
    assert await _codes(app, "legal", 14) == ["fitness_test", "interview", "medical_commission"]
    await hr.press("« ")
    await hr.press("3. ")
    shown = await hr.press("⬇️")
    assert ("и так последний" if lang == "ru" else "онсыз да соңғы") in shown
    question = await hr.press("🗑")
    assert ("Убрать этап" if lang == "ru" else "алып тастаймыз ба") in question
    shown = await hr.press("« ")  # changed their mind: the card, nothing archived
    assert len(await _codes(app, "legal", 14)) == 3
    await hr.press("🗑")
    shown = await hr.press("🗑")
    assert ("убран из цепочки" if lang == "ru" else "тізбектен алынды") in shown
    assert await _codes(app, "legal", 14) == ["fitness_test", "interview"]
    assert not [b for b in hr.buttons() if b.text.startswith("3. ")]


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_bad_names_are_refused_on_the_step(app: BotUnderTest, lang: str) -> None:
    hr = app.person(user_id=HR_ID, language_code=lang)
    await hr.send("/stages")
    await hr.press("🌐")
    await hr.press("➕")
    too_long = "не больше 100" if lang == "ru" else "100 таңбадан"
    not_text = "нужен текст" if lang == "ru" else "мәтін керек"
    empty = "Пустой текст" if lang == "ru" else "Бос мәтін"
    kk_step = "на казахском" if lang == "ru" else "қазақша атауын"
    ru_step = "на русском" if lang == "ru" else "орысша атауын"
    for step, good in ((kk_step, "Жаңа кезең"), (ru_step, "Новый этап")):
        shown = await hr.send("х" * 101)
        assert too_long in shown and step in shown
        shown = await hr.send_message(sticker=STICKER)
        assert not_text in shown and step in shown
        shown = await hr.send("   ")
        assert empty in shown and step in shown
        await hr.send(good)
    async with app.session_factory() as session:
        chain = await stages.ensure_default_chain(session)
    assert [(s.name_kk, s.name_ru) for s in chain][-1] == ("Жаңа кезең", "Новый этап")
    assert len(chain) == 4


async def test_a_restart_mid_add_keeps_the_kazakh_name(app: BotUnderTest) -> None:
    hr = app.person(user_id=HR_ID, language_code="kk")
    await hr.send("/stages")
    await hr.press("🏢")
    await hr.press("Заң бөлімі")
    await hr.press("🛠")
    await hr.press("➕")
    await hr.send("Психологиялық тест")
    app.restart()
    shown = await hr.send("Психологический тест")
    assert "қосылды" in shown
    async with app.session_factory() as session:
        added = (await stages.scope_chain(session, stages.Scope(department="legal")))[-1]
    assert (added.name_kk, added.name_ru) == ("Психологиялық тест", "Психологический тест")


async def test_others_cannot_move_archive_or_add(app: BotUnderTest) -> None:
    stranger = app.person(user_id=1001)
    hr = app.person(user_id=HR_ID)
    await hr.send("/stages")
    await hr.press("🌐")
    forged = [b.callback_data or "" for b in hr.buttons()]  # the chain, with ➕
    await hr.press("1. ")
    forged += [b.callback_data or "" for b in hr.buttons()]  # the card, with ⬆️ ⬇️ 🗑
    await hr.press("🗑")
    forged += [b.callback_data or "" for b in hr.buttons()]  # the confirm
    before = len(alerts(app))
    for data in forged:
        await stranger.press_data(data)
    assert len(alerts(app)) == before + len(forged)
    async with app.session_factory() as session:
        chain = await stages.ensure_default_chain(session)
    assert [s.code for s in chain] == ["interview", "fitness_test", "medical_commission"]
