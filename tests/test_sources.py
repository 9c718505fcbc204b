"""Where candidates come from: deep links with a source (parsed, recorded once, the first
kept, erased by /delete_me), /stats by source through the Dispatcher, the QR poster."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import func, select

from bot.cli import run_cli
from bot.db.models import (
    Application,
    FunnelEvent,
    HiringStage,
    PersonSource,
    StageResult,
    utcnow,
)
from bot.rendering.poster import poster_png
from bot.services import stats
from bot.services.funnel import Step
from bot.services.sources import DeepLink, SourceKind, parse_payload, position_payload
from tests.conftest import BotUnderTest
from tests.test_privacy import traces

HR_ID = 9000
RESCUER = 38
RESCUER_RU = "Спасатель аварийно-спасательной службы"
RESCUER_KK = "Авариялық-құтқару қызметінің құтқарушы"

# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("pos_38", DeepLink(True, 38)),
        ("pos_38-src_tv2026", DeepLink(True, 38, "tv2026", SourceKind.link)),
        ("pos_38-ref_ivan_p", DeepLink(True, 38, "ivan_p", SourceKind.referral)),
        ("src_metro_poster", DeepLink(True, None, "metro_poster", SourceKind.link)),
        ("ref_A1", DeepLink(True, None, "A1", SourceKind.referral)),
        ("pos_38-src_" + "x" * 32, DeepLink(True, 38, "x" * 32, SourceKind.link)),
    ],
)
def test_good_payloads(payload: str, expected: DeepLink) -> None:
    assert parse_payload(payload) == expected


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "",
        "hello",
        "pos_",
        "pos_abc",
        "pos_²",
        "pos_12345",
        "pos_38-",
        "pos_38-src_",
        "pos_38-src_a-b",
        "pos_38-xyz_a",
        "pos_38-src_" + "x" * 33,  # a code over 32
        "src_" + "x" * 61,  # over Telegram's 64
        "src_tv-pos_38",
        "src_тв",
        "ref_a b",
        "src_a\n",
    ],
)
def test_bad_payloads_are_invalid_never_an_error(payload: str | None) -> None:
    assert parse_payload(payload) == DeepLink(False)


def test_position_payload_round_trips_and_refuses_bad_codes() -> None:
    assert position_payload(38, "tv_2026") == "pos_38-src_tv_2026"
    assert parse_payload(position_payload(38, "a" * 32)).source == "a" * 32
    for bad in ("", "a-b", "a" * 33, "тв"):
        with pytest.raises(ValueError):
            position_payload(38, bad)


# --------------------------------------------------------------------------- arrivals


async def _source(app: BotUnderTest, user_id: int) -> PersonSource | None:
    async with app.session_factory() as session:
        return await session.get(PersonSource, user_id)


async def _started(app: BotUnderTest, user_id: int) -> int:
    async with app.session_factory() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(FunnelEvent)
            .where(FunnelEvent.user_id == user_id, FunnelEvent.kind == Step.started.value)
        )
    return int(count or 0)


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_deep_link_recorded_once_and_the_first_source_kept(
    app: BotUnderTest, lang: str
) -> None:
    person = app.person(user_id=5001, language_code=lang)
    card = await person.send(f"/start pos_{RESCUER}-src_tv2026")
    assert (RESCUER_RU if lang == "ru" else RESCUER_KK) in card
    found = await _source(app, 5001)
    assert found is not None
    assert (found.source, found.kind, found.position_number) == ("tv2026", "link", RESCUER)
    assert await _started(app, 5001) == 1  # the funnel's «started» for a deep link too
    # Later sources are ignored.
    await person.send("/start ref_ivan")
    await person.send(f"/start pos_{RESCUER}-src_metro")
    again = await _source(app, 5001)
    assert again is not None and again.source == "tv2026"
    assert await _started(app, 5001) == 3


async def test_source_alone_is_the_plain_start(app: BotUnderTest) -> None:
    person = app.person(user_id=5002, language_code=None)
    answer = await person.send("/start ref_ivan_p")
    assert "Выберите язык" in answer  # a new person chooses the language first
    found = await _source(app, 5002)
    assert found is not None and (found.source, found.kind) == ("ivan_p", "referral")
    assert found.position_number is None


@pytest.mark.parametrize(
    "payload", ["pos_38-src_a-b", "src_", "pos_38-src_" + "y" * 40, "junk", "src_тв"]
)
async def test_bad_payload_opens_the_menu_and_records_nothing(
    app: BotUnderTest, payload: str
) -> None:
    person = app.person(user_id=5003)
    answer = await person.send(f"/start {payload}")
    assert "Такой вакансии нет" in answer
    assert person.button("📋")
    assert await _source(app, 5003) is None
    assert await _started(app, 5003) == 1


async def test_delete_me_removes_the_source(app: BotUnderTest) -> None:
    person = app.person(user_id=5004)
    await person.send(f"/start pos_{RESCUER}-src_tv2026")
    await person.send("/delete_me")
    await person.press("Да, удалить")
    assert await _source(app, 5004) is None
    engine = app.session_factory.kw["bind"]
    assert await traces(engine, ["tv2026"], 5004) == []


# --------------------------------------------------------------------------- /stats


async def _seed_sources(app: BotUnderTest) -> None:
    """Two people from «tv2026» (one applied and was hired after passing the interview),
    one from «metro», one without a source."""
    for user_id, payload in ((6001, "src_tv2026"), (6002, "src_tv2026"), (6003, "src_metro")):
        await app.person(user_id=user_id).send(f"/start {payload}")
    await app.person(user_id=6004).send("/start")
    now = utcnow()
    async with app.session_factory() as session:
        interview = await session.scalar(select(HiringStage).where(HiringStage.code == "interview"))
        assert interview is not None
        application = Application(
            user_id=6001,
            position_number=RESCUER,
            department="emergency_rescue",
            status="invited",
            verdict="fits",
            language="ru",
            created_at=now - timedelta(days=10),
            hired_at=now - timedelta(days=1),
            outcome="hired",
        )
        session.add(application)
        await session.flush()
        session.add(
            StageResult(
                application_id=application.id,
                stage_id=interview.id,
                result="passed",
                decided_at=now - timedelta(days=3),
            )
        )
        for step in (Step.applied, Step.invited, Step.hired):
            session.add(FunnelEvent(kind=step.value, user_id=6001, created_at=now))
        await session.commit()


async def test_by_source_counts(app: BotUnderTest) -> None:
    await _seed_sources(app)
    async with app.session_factory() as session:
        report = await stats.by_source(session, stats.Period.all)
    rows = {r.source: r for r in report.rows}
    assert [r.source for r in report.rows] == ["tv2026", "metro", ""]
    assert rows["tv2026"].counts[Step.started] == 2
    assert rows["tv2026"].counts[Step.applied] == 1
    assert rows["tv2026"].counts[Step.hired] == 1
    assert rows["metro"].counts[Step.started] == 1 and rows["metro"].counts[Step.applied] == 0
    assert rows[""].counts[Step.started] == 1
    assert list(rows["tv2026"].passed.values()) == [1]
    assert rows["tv2026"].median_days_to_hire == 9.0
    assert report.median_days_to_hire == 9.0


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_stats_by_source_as_hr(app: BotUnderTest, lang: str) -> None:
    await _seed_sources(app)
    hr = app.person(user_id=HR_ID, language_code=lang)
    await hr.send("/stats")
    text = await hr.press("🧭")
    if lang == "ru":
        assert "Воронка по источникам" in text and "без источника" in text
        assert "начали 2 → отклик 1 → приглашены 1" in text
        assert "Собеседование 1" in text and "Медиана от отклика до найма: 9 дней" in text
    else:
        assert "Дереккөздер бойынша воронка" in text and "дереккөзсіз" in text
        assert "бастады 2 → өтінім 1" in text
    assert "<b>tv2026</b>" in text and "<b>metro</b>" in text
    assert text.index("tv2026") < text.index("metro")


async def test_stats_by_source_is_hr_only(app: BotUnderTest) -> None:
    from bot.keyboards.callbacks import StatsCb, StatsView

    person = app.person(user_id=1001)
    answer = await person.press_data(StatsCb(view=StatsView.sources, period="7").pack())
    assert "только сотрудникам" in answer


# --------------------------------------------------------------------------- QR poster


def _decode(png: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_poster_png_decodes_to_the_link() -> None:
    link = "https://t.me/rescue_jobs_bot?start=pos_38-src_tv2026"
    assert _decode(poster_png(link, [RESCUER_KK, RESCUER_RU])) == [link]


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_qr_command_writes_the_poster(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    output = tmp_path / f"poster.{fmt}"
    code = run_cli(
        [
            "qr",
            "--position",
            str(RESCUER),
            "--source",
            "metro_2026",
            "--format",
            fmt,
            "--output",
            str(output),
            "--bot-username",
            "@rescue_jobs_bot",
        ]
    )
    link = "https://t.me/rescue_jobs_bot?start=pos_38-src_metro_2026"
    assert code == 0
    assert link in capsys.readouterr().out
    data = output.read_bytes()
    if fmt == "png":
        assert _decode(data) == [link]
    elif fmt == "svg":
        text = data.decode()
        assert text.startswith("<?xml") and RESCUER_KK in text and RESCUER_RU in text
    else:
        assert data.startswith(b"%PDF")


def test_qr_command_takes_the_username_from_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_USERNAME", "almaty_rescue_bot")
    assert run_cli(["qr", "--position", "38", "--source", "tv"]) == 0
    png = (tmp_path / "poster-38-tv.png").read_bytes()
    assert _decode(png) == ["https://t.me/almaty_rescue_bot?start=pos_38-src_tv"]
    capsys.readouterr()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--position", "999", "--source", "tv"], "unknown position 999"),
        (["--position", "38", "--source", "a-b"], "bad --source"),
        (["--position", "38", "--source", "x" * 33], "bad --source"),
        (["--position", "38", "--source", "tv", "--bot-username", "a b"], "not a bot username"),
        (["--position", "38", "--source", "tv"], "no bot username"),
    ],
)
def test_qr_command_errors(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BOT_USERNAME", raising=False)
    if "--bot-username" not in args and message != "no bot username":
        args = [*args, "--bot-username", "rescue_jobs_bot"]
    assert run_cli(["qr", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_module_entry_knows_qr() -> None:
    from bot.__main__ import main

    # No settings (no BOT_TOKEN) and no network needed: the command line answers.
    assert main(["qr", "--position", "999", "--source", "x", "--bot-username", "abcd_bot"]) == 2
