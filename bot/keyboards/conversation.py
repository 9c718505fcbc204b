"""Keyboards of the conversation with HR: which application a message is about, and the
Cancel of /my's question step."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.catalogue.service import CatalogueService
from bot.db.models import Application
from bot.i18n import Localizer
from bot.keyboards.callbacks import AskHRCb, RelayPickCb


def pick_application_keyboard(
    i18n: Localizer,
    catalogue: CatalogueService,
    choices: Sequence[Application],
    message_id: int,
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for application in choices:
        position = catalogue.position(application.position_number)
        title = position.title.get(i18n.lang) if position else f"#{application.position_number}"
        builder.button(
            text=i18n("conversation.choose.button", id=application.id, title=title),
            callback_data=RelayPickCb(application_id=application.id, message_id=message_id),
        )
    builder.adjust(1)
    return builder.as_markup()


def ask_cancel_keyboard(i18n: Localizer) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("conversation.ask.cancel"), callback_data=AskHRCb(application_id=0, cancel=True)
    )
    return builder.as_markup()
