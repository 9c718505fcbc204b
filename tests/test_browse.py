"""Browsing the catalogue through the real Dispatcher, in both languages."""

from __future__ import annotations

import pytest
from aiogram.methods import AnswerCallbackQuery, SendMessage, SetMyCommands

from bot.rendering.messages import TELEGRAM_TEXT_LIMIT
from tests.conftest import BotUnderTest


async def test_start_preselects_language_from_telegram(app: BotUnderTest) -> None:
    ru = app.person(user_id=1, language_code="ru")
    assert "Выберите язык" in await ru.send("/start")
    assert ru.button("Русский").text.startswith("✅")
    assert not ru.button("Қазақша").text.startswith("✅")

    kk = app.person(user_id=2, language_code="kk")
    await kk.send("/start")
    assert kk.button("Қазақша").text.startswith("✅")


@pytest.mark.parametrize(
    ("lang_button", "department", "position", "expected"),
    [
        ("Русский", "Аварийно-спасательная служба", "Спасатель аварийно", ["112", "Образование"]),
        (
            "Қазақша",
            "Авариялық-құтқару қызметі",
            "Авариялық-құтқару қызметінің құтқарушы ·",
            ["112", "Білімі"],
        ),
    ],
)
async def test_walk_start_language_department_position(
    app: BotUnderTest, lang_button: str, department: str, position: str, expected: list[str]
) -> None:
    person = app.person()
    await person.send("/start")
    menu = await person.press(lang_button)
    assert "112" not in menu
    departments = await person.press("📋")
    assert "62" in departments and "341" in departments
    assert len(person.buttons()) == 13 + 1  # departments and Back
    await person.press(department)
    card = await person.press(position)
    for part in expected:
        assert part in card
    assert "<b>" in card
    # Back returns to the department's positions, then to the departments.
    await person.press("«")
    assert position.split(" ·")[0] in " ".join(b.text for b in person.buttons())
    await person.press("«")
    assert len(person.buttons()) == 14


async def test_language_is_kept_and_changeable(app: BotUnderTest) -> None:
    person = app.person(language_code="ru")
    await person.send("/start")
    await person.press("Қазақша")
    app.restart()
    menu = await person.send("/start")
    assert "Алматы қаласының құтқару қызметі" in menu
    await person.send("/language")
    menu = await person.press("Русский")
    assert "Служба спасения города Алматы" in menu


@pytest.mark.parametrize("lang", ["kk", "ru"])
async def test_every_position_card_in_both_languages(app: BotUnderTest, lang: str) -> None:
    person = app.person(language_code=lang)
    await person.send("/start")
    await person.press("Қазақша" if lang == "kk" else "Русский")
    for position in app.catalogue.catalogue.positions:
        app.session.clear()
        await person.press_data(f"pos:{position.number}")
        texts = app.session.texts()
        assert texts, position.number
        assert all(len(t) <= TELEGRAM_TEXT_LIMIT for t in texts)
        card = "\n".join(texts)
        assert position.title.get(lang).split()[0] in card
        assert position.sections.education.get(lang)[:20] in card.replace("&quot;", '"')
        assert "Apply" not in card
        assert person.button("✍️").callback_data == f"apply:{position.number}"


@pytest.mark.parametrize(
    ("query", "expected_number"),
    [
        ("водитель", 62),
        ("водитель", 63),
        ("құтқарушы", 38),
        ("бухгалтер", 24),
        ("Спасатель", 38),
        ("жүргізуші", 63),
        ("диспетчер", 55),
    ],
)
async def test_search_by_word_in_either_language(
    app: BotUnderTest, query: str, expected_number: int
) -> None:
    person = app.person()
    await person.send(query)
    data = [b.callback_data for b in person.buttons()]
    assert f"card:{expected_number}:s" in data  # a card opened from search results


async def test_search_lists_whole_words_not_words_containing_them(app: BotUnderTest) -> None:
    """«водитель» lists the three driver posts, those named by it first; «Руководитель
    дежурной смены…» merely contains the letters and is not among them (issue 9)."""
    person = app.person()
    answer = await person.send("водитель")
    assert "Найдено по запросу «водитель»: 3." in answer
    found = [b.callback_data for b in person.buttons() if b.callback_data.startswith("card:")]
    assert set(found[:2]) == {"card:62:s", "card:63:s"}  # «Водитель …»
    assert found[2] == "card:58:s"  # «Бригадир-водитель …»
    assert not [b.text for b in person.buttons() if "Руководитель" in b.text]


async def test_unknown_text_gets_hint_and_menu(app: BotUnderTest) -> None:
    person = app.person()
    answer = await person.send("qwertyuiop")
    assert "ничего не нашлось" in answer
    assert person.button("📋")


async def test_huge_text_is_answered(app: BotUnderTest) -> None:
    person = app.person()
    answer = await person.send("<b>" + "я" * 4000)
    assert "&lt;b&gt;" in answer
    assert len(answer) < TELEGRAM_TEXT_LIMIT


async def test_sticker_gets_hint(app: BotUnderTest) -> None:
    from aiogram.types import Sticker

    person = app.person()
    sticker = Sticker(
        file_id="x",
        file_unique_id="y",
        type="regular",
        width=1,
        height=1,
        is_animated=False,
        is_video=False,
    )
    await person.send_message(sticker=sticker)
    assert "Я понимаю текст и кнопки" in app.session.last_text()


@pytest.mark.parametrize("link", ["pos_38", "pos_42"])
async def test_deep_link_opens_card(app: BotUnderTest, link: str) -> None:
    person = app.person()
    card = await person.send(f"/start {link}")
    number = int(link.removeprefix("pos_"))
    position = app.catalogue.position(number)
    assert position is not None
    assert position.title.ru in card


@pytest.mark.parametrize(
    "link", ["pos_43", "pos_999", "pos_abc", "hello", "pos_²", "pos_٣", "pos_", "pos_-1"]
)
async def test_deep_link_to_missing_position_opens_menu_with_note(
    app: BotUnderTest, link: str
) -> None:
    person = app.person()
    answer = await person.send(f"/start {link}")
    assert "Такой вакансии нет" in answer
    assert person.button("📋")


@pytest.mark.parametrize(
    "data",
    [
        "pos:999",
        "pos:abc",
        "pos:99999999999999",
        "pos:-1",
        "apply:0",
        "q:abcd:-1:a:x",
        "dept:nowhere",
        "garbage",
        "apply",
        "lang:xx",
        "",
    ],
)
async def test_stale_or_forged_buttons(app: BotUnderTest, data: str) -> None:
    """An alert; the screen on show stays (nothing sent or edited) and still works."""
    person = app.person()
    results = await person.send("водитель")
    sent = len(app.session.texts())
    await person.press_data(data)
    assert person.only_answered() and person.screen().text == results
    assert len(app.session.texts()) == sent
    alert = app.session.of(AnswerCallbackQuery)[-1]
    assert alert.show_alert and "больше не действует" in (alert.text or "")
    assert "Водитель эвакуатора" in await person.press("Водитель эвакуатора")


async def test_help(app: BotUnderTest) -> None:
    person = app.person(language_code="kk")
    answer = await person.send("/help")
    assert "/language" in answer and "Ботты" in answer


async def test_commands_are_set_per_language(app: BotUnderTest) -> None:
    await app.dp.emit_startup(bot=app.bot, **app.dp.workflow_data)
    calls = app.session.of(SetMyCommands)
    by_lang = {c.language_code: [cmd.description for cmd in c.commands] for c in calls}
    assert set(by_lang) == {"kk", "ru", None}
    assert "Бос орындар" in by_lang["kk"]
    assert "Вакансии" in by_lang["ru"]


async def test_answers_are_html(app: BotUnderTest) -> None:
    person = app.person()
    await person.send("/help")
    sent = app.session.of(SendMessage)[-1]
    assert "<b>" in sent.text


async def test_group_chatter_is_ignored_and_stale_buttons_only_alert(app: BotUnderTest) -> None:
    from datetime import UTC, datetime

    from aiogram.types import CallbackQuery, Chat, Message, Update, User

    group = Chat(id=-100500, type="supergroup", title="HR")
    hr = User(id=9000, is_bot=False, first_name="HR", language_code="ru")
    text = Message(message_id=1, date=datetime.now(UTC), chat=group, from_user=hr, text="водитель")
    await app.dp.feed_update(app.bot, Update(update_id=900001, message=text))
    assert app.session.texts() == []
    query = CallbackQuery(
        id="q",
        from_user=hr,
        chat_instance="g",
        data="garbage",
        message=Message(message_id=2, date=datetime.now(UTC), chat=group, text="…"),
    )
    await app.dp.feed_update(app.bot, Update(update_id=900002, callback_query=query))
    assert app.session.texts() == []
    assert app.session.of(AnswerCallbackQuery)[-1].show_alert


def test_routers_with_only_typed_buttons_are_gated_by_their_prefixes() -> None:
    from bot.handlers import build_root_router
    from bot.handlers.routing import CallbackPrefix, callback_prefixes

    root = build_root_router()
    by_name = {router.name: router for router in root.sub_routers}
    assert callback_prefixes(by_name["questionnaire"]) == {"q", "apply", "dro"}
    assert callback_prefixes(by_name["fallback"]) is None  # the catch-all sees everything
    gates = [
        f.callback
        for f in by_name["questionnaire"].callback_query._handler.filters or ()
        if isinstance(f.callback, CallbackPrefix)
    ]
    assert len(gates) == 1
