"""HR's side of an application: the summary in the HR chat, decisions by button (once),
the card updated in place, the applicant notified in their language."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageMedia,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
)
from aiogram.types import (
    CallbackQuery,
    Chat,
    Contact,
    Document,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)
from sqlalchemy import func, select, update

from bot.db.models import Application, ApplicationStatus, FunnelEvent, OutboxMessage
from bot.i18n import Translator
from bot.keyboards.callbacks import HRAction, HRDecisionCb, HRRejectCb, RejectReason
from bot.rendering.hr import summary_text
from bot.sending.delivery import deliver_pending
from bot.services import outbox
from bot.services.applications import withdraw
from tests.conftest import BotUnderTest
from tests.recording_session import BOT_USER
from tests.test_outbox import HR_CHAT, context, make_application

HR_ID = 9000  # settings.admin_ids


class HRMember:
    """Someone pressing buttons under the summaries in the HR group chat."""

    def __init__(self, app: BotUnderTest, user_id: int = HR_ID, first_name: str = "Дана") -> None:
        self.app = app
        self.user = User(id=user_id, is_bot=False, first_name=first_name, language_code="ru")

    async def press_data(self, data: str, message_id: int = 1) -> str:
        """Press; returns the callback query's id (to find its answer)."""
        message = Message(
            message_id=message_id,
            date=datetime.now(UTC),
            chat=Chat(id=HR_CHAT, type="supergroup"),
            from_user=BOT_USER,
            text="…",
        )
        query = CallbackQuery(
            id=str(next(_ids)),
            from_user=self.user,
            chat_instance="hr",
            data=data,
            message=message,
        )
        await self.app.dp.feed_update(
            self.app.bot, Update(update_id=next(_ids), callback_query=query)
        )
        return query.id


_ids = itertools.count(10_000_000)


async def deliver(app: BotUnderTest) -> None:
    await deliver_pending(context(app))


def summary_of(app: BotUnderTest, number: int) -> SendMessage | EditMessageText:
    """The card as delivered: the placeholder edited into the summary (later edits are
    decisions). Exactly one placeholder was sent for it."""
    placeholders = [
        r
        for r in app.session.of(SendMessage)
        if r.chat_id == HR_CHAT and r.text.startswith(f"📝 Заявка №{number} ")
    ]
    assert len(placeholders) == 1
    found = [
        r
        for r in app.session.requests
        if isinstance(r, SendMessage | EditMessageText)
        and r.chat_id == HR_CHAT
        and f"Заявка №{number}</b>" in r.text
    ]
    assert found
    return found[0]


def buttons(markup: InlineKeyboardMarkup | None) -> dict[str, str]:
    assert markup is not None
    return {b.text: b.callback_data or "" for row in markup.inline_keyboard for b in row}


def last_answer(app: BotUnderTest) -> str:
    answers = app.session.of(AnswerCallbackQuery)
    assert answers, "no callback answer"
    return answers[-1].text or ""


async def stored(app: BotUnderTest, application_id: int) -> Application:
    async with app.session_factory() as session:
        found = await session.get(Application, application_id)
        assert found is not None
        return found


async def count(app: BotUnderTest, model: type, **where: object) -> int:
    async with app.session_factory() as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return int(await session.scalar(query) or 0)


async def test_summary_shows_everything_escaped_with_buttons(app: BotUnderTest) -> None:
    application = await make_application(
        app,
        4242,
        full_name="<b>Иван</b> & Co",
        phone="+77011234567",
        username="ivan_<x>",
    )
    await deliver(app)
    summary = summary_of(app, application.id)
    text = summary.text
    assert "Водитель специальной техники" in text and "№62" in text
    assert "&lt;b&gt;Иван&lt;/b&gt; &amp; Co" in text and "<b>Иван</b>" not in text
    assert "+77011234567" in text
    assert '<a href="tg://user?id=4242">' in text and "@ivan_&lt;x&gt;" in text
    assert "(время Алматы)" in text
    # The verdict with its mark, each criterion with its mark, and the answers.
    assert "⚠️ <b>Соответствует, если подтвердятся" in text
    # In HR's words, about the candidate; 62 names no category, so HR judge the one held.
    licence = "Водительское удостоверение: категория в требованиях не названа; кандидат указал C1"
    assert licence in text
    assert "• Образование: Техническое и профессиональное" in text
    assert "• Категории водительского удостоверения: C1" in text
    assert set(buttons(summary.reply_markup)) == {
        "⭐ В шорт-лист",
        "📅 Пригласить на собеседование",
        "🚫 Отказать",
    }


async def test_summary_in_kazakh_when_hr_locale_is_kk(app: BotUnderTest) -> None:
    app.settings.hr_locale = "kk"
    application = await make_application(app, 4243)
    await deliver(app)
    [summary] = [r for r in app.session.of(EditMessageText) if r.chat_id == HR_CHAT]
    assert f"№{application.id} өтінім" in summary.text
    assert "Алматы уақыты" in summary.text
    assert "⭐ Қысқа тізімге" in buttons(summary.reply_markup)


async def test_summary_rescreens_when_the_stored_lines_are_missing(
    app: BotUnderTest, translator: Translator
) -> None:
    application = await make_application(app, 4244)
    application.screening = {"answers": dict(application.screening["answers"])}
    with_lines = await make_application(app, 4245)
    rescreened = summary_text(
        application, [], translator=translator, lang="ru", catalogue=app.catalogue
    )
    original = summary_text(
        with_lines, [], translator=translator, lang="ru", catalogue=app.catalogue
    )
    criteria = [line for line in original.splitlines() if line.startswith(("✅", "⚠️", "ℹ️"))]
    assert criteria and all(line in rescreened for line in criteria)


async def test_shortlist_then_invite_updates_the_card_and_notifies_in_kazakh(
    app: BotUnderTest,
) -> None:
    application = await make_application(app, 5001, language="kk")
    await deliver(app)
    summary = summary_of(app, application.id)
    card = await stored(app, application.id)
    hr = HRMember(app)
    hr.user = hr.user.model_copy(update={"last_name": "<HR>"})

    await hr.press_data(buttons(summary.reply_markup)["⭐ В шорт-лист"])
    edit = app.session.of(EditMessageText)[-1]
    assert (edit.chat_id, edit.message_id) == (HR_CHAT, card.hr_message_id)
    assert "Отобран в шорт-лист — Дана &lt;HR&gt;," in edit.text
    assert set(buttons(edit.reply_markup)) == {"📅 Пригласить на собеседование", "🚫 Отказать"}
    assert "в шорт-листе" in last_answer(app)
    decided = await stored(app, application.id)
    assert decided.status == "shortlisted" and decided.decided_by == HR_ID
    assert decided.decided_at is not None

    await hr.press_data(buttons(edit.reply_markup)["📅 Пригласить на собеседование"])
    edit = app.session.of(EditMessageText)[-1]
    assert "Отобран в шорт-лист — Дана" in edit.text  # the earlier decision stays
    assert "Приглашён на собеседование — Дана" in edit.text
    # In the pipeline now: the card shows the first stage and its result buttons.
    assert "🧭 Этап: <b>Собеседование</b>" in edit.text
    assert set(buttons(edit.reply_markup)) == {
        "✔ Этап пройден",
        "✖ Не прошёл",
        "🚫 Не явился",
        "🚫 Отказать",
    }
    assert (await stored(app, application.id)).status == "invited"
    assert await count(app, FunnelEvent, kind="shortlisted") == 1
    assert await count(app, FunnelEvent, kind="invited") == 1

    # The applicant hears of both, in Kazakh, through the outbox.
    app.session.clear()
    await deliver(app)
    texts = [r.text for r in app.session.of(SendMessage) if r.chat_id == 5001]
    assert len(texts) == 3
    assert "алдын ала іріктеуден өтті" in texts[0]
    assert "іріктеуден өтуге шақырамыз" in texts[1]  # and they will pick a time here
    assert "Автокөліктік қызметтің арнайы техника жүргізушісі" in texts[1]
    assert "бос уақыт жоқ" in texts[2]  # no slot is open yet


async def test_pressed_twice_changes_nothing(app: BotUnderTest) -> None:
    application = await make_application(app, 5002)
    await deliver(app)
    invite = HRDecisionCb(
        app=application.id, action=HRAction.invite, seen=ApplicationStatus.new
    ).pack()
    hr = HRMember(app)
    await hr.press_data(invite)
    first = await stored(app, application.id)
    edits = len(app.session.of(EditMessageText))
    await hr.press_data(invite)
    assert "уже рассмотрел(а) Дана: «приглашён на собеседование»" in last_answer(app)
    assert app.session.of(AnswerCallbackQuery)[-1].show_alert is True
    # The card is shown as it is now (the same text and buttons as after the first press).
    assert len(app.session.of(EditMessageText)) == edits + 1
    assert app.session.of(EditMessageText)[-1].text == app.session.of(EditMessageText)[-2].text
    again = await stored(app, application.id)
    assert (again.status, again.decided_at) == (first.status, first.decided_at)
    assert await count(app, OutboxMessage, kind=outbox.APPLICANT_STATUS) == 1
    assert await count(app, FunnelEvent, kind="invited") == 1
    # A stale «shortlist» after «invite» is refused the same way.
    await hr.press_data(
        HRDecisionCb(
            app=application.id, action=HRAction.shortlist, seen=ApplicationStatus.new
        ).pack()
    )
    assert "уже рассмотрел(а) Дана" in last_answer(app)
    assert (await stored(app, application.id)).status == "invited"
    # A button that does not follow the status it carries (forged) changes nothing either.
    await hr.press_data(
        HRDecisionCb(
            app=application.id, action=HRAction.shortlist, seen=ApplicationStatus.invited
        ).pack()
    )
    assert "уже в статусе «приглашён на собеседование»" in last_answer(app)
    assert await count(app, OutboxMessage, kind=outbox.APPLICANT_STATUS) == 1


async def test_reject_with_a_reason_template(app: BotUnderTest) -> None:
    application = await make_application(app, 5003, language="ru")
    await deliver(app)
    summary = summary_of(app, application.id)
    hr = HRMember(app)
    await hr.press_data(buttons(summary.reply_markup)["🚫 Отказать"])
    # Only the reasons are shown; nothing is decided yet.
    markup = app.session.of(EditMessageReplyMarkup)[-1].reply_markup
    reasons = buttons(markup)
    assert set(reasons) == {
        "Не соответствует требованиям",
        "Вакансия уже закрыта",
        "Не вышел на связь",
        "Другая причина",
        "« Назад",
    }
    assert (await stored(app, application.id)).status == "new"
    # Back restores the decisions.
    await hr.press_data(reasons["« Назад"])
    assert "⭐ В шорт-лист" in buttons(app.session.of(EditMessageReplyMarkup)[-1].reply_markup)
    await hr.press_data(reasons["Вакансия уже закрыта"])
    rejected = await stored(app, application.id)
    assert rejected.status == "rejected" and rejected.reject_reason == "position_filled"
    edit = app.session.of(EditMessageText)[-1]
    assert "Отказ — " in edit.text and "Вакансия уже закрыта" in edit.text
    assert edit.reply_markup is None  # nothing left to decide
    app.session.clear()
    await deliver(app)
    [notice] = [r for r in app.session.of(SendMessage) if r.chat_id == 5003]
    assert "уже занята" in notice.text
    # A second reject (another reason) changes nothing.
    await hr.press_data(
        HRRejectCb(app=application.id, reason=RejectReason.other, seen=ApplicationStatus.new).pack()
    )
    assert "уже рассмотрел(а) Дана: «отказ»" in last_answer(app)
    assert (await stored(app, application.id)).reject_reason == "position_filled"


async def test_withdrawn_deleted_and_unknown_applications_are_refused(
    app: BotUnderTest,
) -> None:
    withdrawn = await make_application(app, 5004)
    deleted = await make_application(app, 5005)
    await deliver(app)
    async with app.session_factory() as session:
        await withdraw(session, withdrawn.id, 5004)
        await session.execute(
            update(Application)
            .where(Application.id == deleted.id)
            .values(user_id=None, full_name=None, phone=None, anonymized_at=datetime.now(UTC))
        )
        await session.commit()
    hr = HRMember(app)
    before = await count(app, OutboxMessage)
    app.session.clear()  # the delivered cards (placeholders edited into summaries)
    await hr.press_data(
        HRDecisionCb(app=withdrawn.id, action=HRAction.invite, seen=ApplicationStatus.new).pack()
    )
    assert f"Кандидат отозвал заявку №{withdrawn.id}" in last_answer(app)
    await hr.press_data(
        HRDecisionCb(app=withdrawn.id, action=HRAction.reject, seen=ApplicationStatus.new).pack()
    )
    assert f"Кандидат отозвал заявку №{withdrawn.id}" in last_answer(app)
    await hr.press_data(
        HRRejectCb(app=deleted.id, reason=RejectReason.other, seen=ApplicationStatus.new).pack()
    )
    assert f"по заявке №{deleted.id} удалены" in last_answer(app)
    await hr.press_data(
        HRDecisionCb(app=999999, action=HRAction.shortlist, seen=ApplicationStatus.new).pack()
    )
    assert "Заявка не найдена" in last_answer(app)
    await hr.press_data(
        HRDecisionCb(app=999999, action=HRAction.back, seen=ApplicationStatus.new).pack()
    )
    assert "Заявка не найдена" in last_answer(app)
    assert (await stored(app, withdrawn.id)).status == "withdrawn"
    assert (await stored(app, deleted.id)).status == "new"
    assert await count(app, OutboxMessage) == before
    assert app.session.of(EditMessageText) == []


async def test_forged_hr_button_data_gets_an_answer_not_an_error(app: BotUnderTest) -> None:
    hr = HRMember(app)
    await hr.press_data("hrd:12:zz")  # an action that does not exist
    await hr.press_data("hrr:abc:other")
    assert app.session.of(AnswerCallbackQuery)  # answered (as a stale button), no crash
    # Ids beyond the database column's range (PostgreSQL int4) or below 1: filtered out
    # before any handler or query sees them.
    for data in ("hrd:99999999999:s", "hrd:0:s", "hrd:-5:i", "hrr:2147483648:other"):
        app.session.clear()
        await hr.press_data(data)
        answers = app.session.of(AnswerCallbackQuery)
        assert answers and answers[-1].show_alert, data


async def test_end_to_end_from_start_to_the_hr_chat_and_back(app: BotUnderTest) -> None:
    """One applicant (in Kazakh) from /start through the questionnaire, consent, contact and
    CV to the HR chat (in Russian); HR invites; the applicant hears of it in Kazakh."""
    person = app.person(3001, language_code="kk")
    await person.send("/start")
    await person.press("Қазақша")
    await person.press_data("pos:62")
    await person.press("✍️")
    await person.press("Жоғары білім")
    await person.press("C1")
    await person.press("Дайын")
    await person.press("Кадр бөліміне өтінім беру")
    await person.press("Келісемін")
    await person.send("Айгерим Сапарова")
    await person.send_message(
        contact=Contact(phone_number="+77011234567", first_name="Айгерим", user_id=3001)
    )
    await person.send_message(
        document=Document(
            file_id="CV-OF-3001",
            file_unique_id="u3001",
            file_name="cv.pdf",
            mime_type="application/pdf",
            file_size=50_000,
        )
    )
    await person.press("Өткізіп жіберу")  # no comment
    submitted = await person.press("Өтінімді жіберу")
    assert "кадр бөліміне жіберілді" in submitted

    async with app.session_factory() as session:
        [application] = (await session.scalars(select(Application))).all()
    app.session.clear()
    await deliver(app)
    summary = summary_of(app, application.id)
    assert "Айгерим Сапарова" in summary.text and "+77011234567" in summary.text
    assert '<a href="tg://user?id=3001">' in summary.text
    assert "Водитель специальной техники" in summary.text  # HR reads Russian
    [cv] = app.session.of(EditMessageMedia)  # the CV's placeholder edited into the CV
    assert cv.chat_id == HR_CHAT and cv.media.media == "CV-OF-3001"

    await HRMember(app).press_data(buttons(summary.reply_markup)["📅 Пригласить на собеседование"])
    assert (await stored(app, application.id)).status == "invited"
    await deliver(app)
    [notice, no_slots] = [r for r in app.session.of(SendMessage) if r.chat_id == 3001]
    assert "іріктеуден өтуге шақырамыз" in notice.text
    assert "Әңгімелесу" in no_slots.text
    assert f"№{application.id}" in notice.text
