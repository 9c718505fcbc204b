"""Every inline button's payload. Only ids travel in callback data."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.db.models import ApplicationStatus

# Bounded ints: a forged payload out of range fails the button's filter (the stale-button
# answer) instead of reaching a handler or a database column it does not fit.
PositionNumber = Annotated[int, Field(ge=1, le=999)]
PositionOrAny = Annotated[int, Field(ge=0, le=999)]  # 0: any / none
RowId = Annotated[int, Field(ge=1, le=2_147_483_647)]
RowIdOrNone = Annotated[int, Field(ge=0, le=2_147_483_647)]  # 0: none
Step = Annotated[int, Field(ge=0, le=99)]


class MenuAction(StrEnum):
    main = "main"
    vacancies = "vacancies"
    search = "search"
    language = "language"
    help = "help"
    # Back on a card opened from search results: those results again (the query is kept).
    search_results = "found"
    # On a message that stays (the verdict, an announcement): the menu as a new message.
    main_below = "below"
    # Back on a card that arrived below a message that stays: the card goes, and that
    # message is the screen again.
    close = "close"


class LanguageCb(CallbackData, prefix="lang"):
    code: str


class MenuCb(CallbackData, prefix="menu"):
    action: MenuAction


class DepartmentCb(CallbackData, prefix="dept"):
    department: str


class PositionCb(CallbackData, prefix="pos"):
    number: PositionNumber


class CardSource(StrEnum):
    """Where a card was opened other than the department lists (``PositionCb``)."""

    search = "s"  # search results: edited in place, Back goes back to them
    verdict = "v"  # the questionnaire's verdict: the card arrives below, the verdict stays
    announcement = "a"  # a vacancy announcement: likewise


class CardCb(CallbackData, prefix="card"):
    number: PositionNumber
    src: CardSource


class ApplyCb(CallbackData, prefix="apply"):
    number: PositionNumber


class QuestionAction(StrEnum):
    answer = "a"
    toggle = "t"  # tick a choice; in the field picker an entry holding others opens
    up = "u"  # the field picker one level up
    page = "p"
    done = "d"
    back = "b"
    cancel = "c"


class QuestionCb(CallbackData, prefix="q"):
    """A questionnaire button; ``token`` and ``step`` tie it to one questionnaire's question."""

    token: str
    step: Step
    action: QuestionAction
    value: str = ""


class HRAction(StrEnum):
    shortlist = "s"
    invite = "i"
    reject = "r"  # opens the reject reasons
    back = "b"  # from the reasons back to the decisions


class HRDecisionCb(CallbackData, prefix="hrd"):
    """A decision button under an HR summary: ``app`` is the application id, ``seen`` the
    status the card showed (a decision only follows that status: two officers pressing at
    once, the second is told who decided first)."""

    app: RowId
    action: HRAction
    seen: ApplicationStatus


class HRDecisionLegacyCb(CallbackData, prefix="hrd"):
    """A decision button of a card posted before ``seen`` existed: refreshes the card."""

    app: RowId
    action: HRAction


class RejectReason(StrEnum):
    not_qualified = "not_qualified"
    position_filled = "position_filled"
    no_response = "no_response"
    other = "other"


class HRRejectCb(CallbackData, prefix="hrr"):
    """A reject-reason template under an HR summary (``seen`` as in :class:`HRDecisionCb`)."""

    app: RowId
    reason: RejectReason
    seen: ApplicationStatus


class HRRejectLegacyCb(CallbackData, prefix="hrr"):
    """A reject reason shown before ``seen`` existed: refreshes the card."""

    app: RowId
    reason: RejectReason


# --- Applications and personal data (applicant side) ----------------------------------------


class ApplicationStartCb(CallbackData, prefix="apst"):
    """«Apply» on the questionnaire's result: start the application to this position."""

    number: PositionNumber


class MyApplicationsCb(CallbackData, prefix="apmy"):
    pass


class WithdrawCb(CallbackData, prefix="apwd"):
    application_id: RowId
    confirm: bool = False


class DeleteMeCb(CallbackData, prefix="pvdel"):
    confirm: bool = False


# --- HR tools: /stats, /export, /vacancies (bot/handlers/hr_tools.py) --------------------------


class StatsView(StrEnum):
    funnel = "f"
    departments = "d"
    sources = "s"  # the funnel by source (bot.services.stats.by_source)


class StatsCb(CallbackData, prefix="hst"):
    """/stats: which view and period (``Period`` value: "7", "30" or "all")."""

    view: StatsView
    period: str


# /export and HR's /vacancies are dialogs (bot/dialogs): their buttons are aiogram-dialog's.


# --- Vacancy announcements: subscriptions and HR's broadcasts ---------------------------------


class SubscriptionAction(StrEnum):
    open = "o"  # the subscription dialog (the main menu's 🔔, like /subscribe)


class SubscriptionCb(CallbackData, prefix="sub"):
    action: SubscriptionAction


class BroadcastListAction(StrEnum):
    list = "l"
    cancel = "c"  # asks to confirm
    confirm_cancel = "y"


class BroadcastListCb(CallbackData, prefix="bcl"):
    """HR's /broadcasts: ``broadcast`` is the broadcast's id."""

    action: BroadcastListAction
    broadcast: RowIdOrNone = 0


# --- Nobody waits in silence: the drop-off reminder -----------------------------------------


class DropoffAction(StrEnum):
    resume = "c"  # Continue: the question they stopped at, again
    stop = "x"  # «Not interested»: the questionnaire is dropped


class DropoffCb(CallbackData, prefix="dro"):
    """The drop-off reminder's buttons; ``token`` ties them to the questionnaire left."""

    action: DropoffAction
    token: Annotated[str, Field(min_length=1, max_length=16, pattern=r"^[0-9a-f]+$")]


class FormDropoffCb(CallbackData, prefix="drf"):
    """The drop-off reminder of an application form left; ``intent`` is the form's
    aiogram-dialog intent id (base62), checked against the person's own dialog stack."""

    action: DropoffAction
    intent: Annotated[str, Field(min_length=1, max_length=16, pattern=r"^[0-9A-Za-z]+$")]


# --------------------------------------------------------------------------- HR ↔ candidate


class RelayPickCb(CallbackData, prefix="cvpick"):
    """Which live application the candidate's message (in their own chat) is about."""

    application_id: RowId
    message_id: RowId


class AskHRCb(CallbackData, prefix="cvask"):
    """/my's «Question to HR» about an application; ``cancel``: leave the question step."""

    application_id: RowIdOrNone
    cancel: bool = False


# --- The hiring pipeline after «Invite» (bot/handlers/booking.py, bot/handlers/hr.py) ---------


class BookSlotCb(CallbackData, prefix="bks"):
    """A slot of an offer: book it for application ``app``; with ``booking`` (not 0),
    move that booking to it (a reschedule)."""

    app: RowId
    slot: RowId
    booking: RowIdOrNone = 0


class BookingAction(StrEnum):
    confirm = "c"
    reschedule = "r"  # shows the other open slots
    cancel = "x"


class BookingActionCb(CallbackData, prefix="bka"):
    """A button under a confirmation or a reminder; the service checks the booking is
    the presser's."""

    booking: RowId
    action: BookingAction


class HRStageAction(StrEnum):
    passed = "p"
    failed = "f"
    no_show = "n"
    hire = "h"  # opens the start dates
    back = "b"  # from the start dates back to the card's buttons


class HRStageCb(CallbackData, prefix="hrs"):
    """A stage control on the HR card: ``stage`` is the stage the card showed (0 after
    the last one), so a result never lands on a stage the officer did not see."""

    app: RowId
    stage: RowIdOrNone
    action: HRStageAction


# A start date as YYYYMMDD (bookings.start_date_of checks it is a real, coming date).
StartDay = Annotated[int, Field(ge=1, le=99_991_231)]


class HRHireCb(CallbackData, prefix="hrh"):
    """«Hired from <day>» on the HR card."""

    app: RowId
    day: StartDay
