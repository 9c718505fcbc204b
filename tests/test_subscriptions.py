"""Vacancy subscriptions: the service, and /subscribe, /unsubscribe and the menu's 🔔 in both
languages through the real Dispatcher."""

from __future__ import annotations

import pytest
from aiogram.methods import AnswerCallbackQuery
from aiogram.types import Sticker

from bot.db.models import User
from bot.services import subscriptions
from bot.services.subscriptions import SubscriptionInfo
from tests.conftest import BotUnderTest
from tests.harness import Person

LABELS = {
    "ru": {
        "language": "Русский",
        "menu": "Подписаться на вакансии",
        "all": "Все отделы",
        "choose": "Выбрать отделы",
        "done": "Готово",
        "rescue": "Аварийно-спасательная служба",
        "legal": "Юридический отдел",
        "unsubscribe": "Отписаться",
        "cancel": "Отмена",
        "back": "Назад",
    },
    "kk": {
        "language": "Қазақша",
        "menu": "Бос орындарға жазылу",
        "all": "Барлық бөлімдер",
        "choose": "Бөлімдерді таңдау",
        "done": "Дайын",
        "rescue": "Авариялық-құтқару қызметі",
        "legal": "Заң бөлімі",
        "unsubscribe": "Жазылымнан бас тарту",
        "cancel": "Бас тарту",
        "back": "Артқа",
    },
}


async def started(app: BotUnderTest, lang: str, user_id: int = 1001) -> Person:
    person = app.person(user_id, lang)
    await person.send("/start")
    await person.press(LABELS[lang]["language"])
    return person


async def subscription(app: BotUnderTest, user_id: int) -> SubscriptionInfo | None:
    async with app.session_factory() as session:
        return await subscriptions.get(session, user_id)


# --- the service ----------------------------------------------------------------------------


async def test_service_subscribe_change_count_unsubscribe(app: BotUnderTest) -> None:
    async with app.session_factory() as session:
        assert await subscriptions.get(session, 1) is None
        everything = await subscriptions.subscribe(session, 1, None)
        assert everything.everything and everything.departments is None
        some = await subscriptions.subscribe(session, 2, ["legal", "accounting"])
        assert some.departments == ("legal", "accounting")
        assert (await subscriptions.subscribe(session, 3, [])).everything  # nothing = all
        await subscriptions.subscribe(session, 2, ["emergency_rescue"])  # changed, one row
        assert await subscriptions.count_for(session, None) == 3
        assert await subscriptions.count_for(session, ["emergency_rescue"]) == 3
        assert await subscriptions.count_for(session, ["legal"]) == 2
        assert await subscriptions.unsubscribe(session, 2) is True
        assert await subscriptions.unsubscribe(session, 2) is False
        assert await subscriptions.count_for(session, ["emergency_rescue"]) == 2
    assert (await subscription(app, 1)) == SubscriptionInfo(1, None)


def test_clean_departments_and_wants() -> None:
    known = ["a", "b", "c"]
    assert subscriptions.clean_departments(["c", "x", "a", "c"], known) == ["a", "c"]
    info = SubscriptionInfo(1, ("a",))
    assert subscriptions.wants(info, None) and subscriptions.wants(info, ["a", "b"])
    assert not subscriptions.wants(info, ["b"])
    assert subscriptions.wants(SubscriptionInfo(2, None), ["b"])


# --- the flows ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_subscribe_to_everything_from_the_menu_and_unsubscribe(
    app: BotUnderTest, lang: str
) -> None:
    labels = LABELS[lang]
    person = await started(app, lang)
    screen = await person.press(labels["menu"])
    assert ("О каких отделах" if lang == "ru" else "Қай бөлімдер") in screen
    answer = await person.press(labels["all"])
    assert ("всех отделов" if lang == "ru" else "барлық бөлімдердің") in answer
    assert ("на русском языке" if lang == "ru" else "қазақ тілінде") in answer
    assert "/unsubscribe" in answer
    assert await subscription(app, 1001) == SubscriptionInfo(1001, None)

    screen = await person.send("/subscribe")  # subscribed: says so, offers the way out
    assert ("подписаны на вакансии всех" if lang == "ru" else "барлық бөлімдердің") in screen
    assert person.button(labels["unsubscribe"])

    answer = await person.send("/unsubscribe")
    assert "/subscribe" in answer and labels["menu"] in answer  # how to come back
    assert await subscription(app, 1001) is None
    again = await person.send("/unsubscribe")
    assert ("не подписаны" if lang == "ru" else "жазылмағансыз") in again


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_choose_departments(app: BotUnderTest, lang: str) -> None:
    labels = LABELS[lang]
    person = await started(app, lang)
    await person.send("/subscribe")
    await person.press(labels["choose"])
    assert len([b for b in person.buttons() if "✅" in b.text]) == 0
    assert len(person.buttons()) == 13 + 3  # the departments, Done, Back, Cancel
    await person.press(labels["rescue"])
    await person.press(labels["legal"])
    await person.press(labels["legal"])  # unticked again
    await person.press("Бухгалтер")  # «Бухгалтерский отдел» / «Бухгалтерлік бөлім»
    assert person.button(f"✅ {labels['rescue']}") and person.button(f"{labels['done']} (2)")
    answer = await person.press(labels["done"])
    assert labels["rescue"] in answer and labels["legal"] not in answer
    info = await subscription(app, 1001)
    assert info is not None and info.departments == ("accounting", "emergency_rescue")

    # Change it: the current choice is ticked; unsubscribing by the button works too.
    await person.send("/subscribe")
    await person.press(labels["choose"])
    assert person.button(f"✅ {labels['rescue']}")
    await person.press(labels["back"])
    answer = await person.press(labels["unsubscribe"])
    assert "/subscribe" in answer
    assert await subscription(app, 1001) is None


def alerts(app: BotUnderTest) -> list[str]:
    return [r.text or "" for r in app.session.of(AnswerCallbackQuery) if r.show_alert]


async def test_bad_input_and_stale_buttons_in_the_multi_select(app: BotUnderTest) -> None:
    person = await started(app, "ru")
    await person.send("/subscribe")
    await person.press("Выбрать отделы")
    tick = person.button("Юридический").callback_data
    assert "хотя бы один отдел" in await person.press("Готово")
    assert "Здесь нужны кнопки" in await person.send("водитель")
    await person.send_message(
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
    assert "Здесь нужны кнопки" in app.session.last_text()
    screen = app.session.last_text()
    # A forged dialog button and an old-style one: an alert, the same step on screen.
    await person.press_data("0000000000\x1ddepartments:legal")
    await person.press_data("sub:t:no_such_department")
    assert len(alerts(app)) == 2 and "устарела" in alerts(app)[0]
    assert app.session.last_text() == screen
    assert person.button("Готово (0)")
    answer = await person.press("Отмена")
    assert "подписка не изменилась" in answer and "Вакансии" in person.button("Вакансии").text
    assert await subscription(app, 1001) is None
    # Multi-select buttons once it was left: an alert, the menu stays.
    assert tick is not None
    await person.press_data(tick)
    assert len(alerts(app)) == 3
    assert "подписка не изменилась" in app.session.last_text()
    assert await subscription(app, 1001) is None
    assert "Найдено" in await person.send("водитель")  # the search works again


async def test_unconfirmed_ticks_survive_back_and_a_restart(app: BotUnderTest) -> None:
    person = await started(app, "ru")
    await person.send("/subscribe")
    await person.press("Выбрать отделы")
    await person.press("Юридический")
    await person.press("Назад")
    app.restart()  # the dialog's state is in the SQL storage
    await person.press("Выбрать отделы")
    assert person.button("✅ Юридический") and person.button("Готово (1)")
    assert "Юридический" in await person.press("Готово")
    info = await subscription(app, 1001)
    assert info is not None and info.departments == ("legal",)


async def test_the_language_in_use_is_kept_for_announcements(app: BotUnderTest) -> None:
    """Someone who never chose a language gets announcements in the one they use now."""
    person = app.person(1002, "kk")  # Telegram in Kazakh, no /start
    await person.send("/subscribe")
    await person.press("Барлық бөлімдер")
    async with app.session_factory() as session:
        user = await session.get(User, 1002)
        assert user is not None and user.language == "kk"
    # A chosen language is never overwritten.
    await started(app, "ru", 1003)
    same = app.person(1003, "kk")  # the same person; their Telegram is in Kazakh now
    await same.send("/subscribe")
    await same.press("Все отделы")  # the chosen Russian still speaks
    async with app.session_factory() as session:
        user = await session.get(User, 1003)
        assert user is not None and user.language == "ru"


async def test_commands_are_in_the_menu(app: BotUnderTest) -> None:
    from bot.app import COMMANDS

    assert {"subscribe", "unsubscribe"} <= set(COMMANDS)
    for lang in ("ru", "kk"):
        assert app.translator(lang, "commands.subscribe")
        assert app.translator(lang, "commands.unsubscribe")


async def test_other_buttons_work_while_the_dialog_is_open(app: BotUnderTest) -> None:
    """An open dialog never swallows the buttons of other messages (a position, the menu)."""
    person = await started(app, "ru")
    await person.send("/subscribe")
    await person.press("Выбрать отделы")
    card = await person.press_data("pos:62")
    assert "Водитель специальной техники" in card
