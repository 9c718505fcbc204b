"""aiogram-dialog's manager, with one rule of this bot: a dialog started (or brought back)
as a new message from a button that is not a dialog's own never touches the message that
button is on.

aiogram-dialog treats the pressed message as the dialog's "old message": with
``ShowMode.SEND`` it takes that message's keyboard away. Here the pressed message is often
one that must stay usable: «Apply» on the questionnaire's verdict starts the application
form, and the verdict keeps its other buttons (suggestions, the card). The dialog's own
last message (a form put aside) is still the old one, so its stale step loses its buttons.
"""

from __future__ import annotations

from typing import Any, cast

from aiogram import Router
from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.api.entities import EVENT_CONTEXT_KEY, EventContext, OldMessage, UnknownText
from aiogram_dialog.api.internal import DialogManagerFactory
from aiogram_dialog.api.protocols import DialogRegistryProtocol
from aiogram_dialog.context.media_storage import MediaIdStorage
from aiogram_dialog.manager.manager import ManagerImpl
from aiogram_dialog.manager.message_manager import MessageManager
from aiogram_dialog.utils import remove_intent_id


class KeepsForeignMessages(ManagerImpl):
    _sending_from_foreign = False

    async def show(self, show_mode: ShowMode | None = None) -> None:
        event = self.event
        self._sending_from_foreign = (
            (show_mode or self.show_mode) is ShowMode.SEND
            and isinstance(event, CallbackQuery)
            and remove_intent_id(event.data or "")[0] is None
        )
        try:
            await super().show(show_mode)
        finally:
            self._sending_from_foreign = False

    def _get_message_from_callback(self, event: CallbackQuery) -> OldMessage | None:
        if not self._sending_from_foreign:
            return super()._get_message_from_callback(event)
        stack = self.current_stack()
        if not stack or not stack.last_message_id:
            return None  # nothing of the dialog's on screen: just send
        context = cast(EventContext, self.middleware_data.get(EVENT_CONTEXT_KEY))
        return OldMessage(
            media_id=stack.last_media_id,
            media_uniq_id=stack.last_media_unique_id,
            text=UnknownText.UNKNOWN,
            has_protected_content=stack.has_protected_content,
            has_reply_keyboard=stack.last_reply_keyboard,
            chat=context.chat,
            message_id=stack.last_message_id,
            business_connection_id=context.business_connection_id,
            content_type=stack.content_type,
        )


class ManagerFactory(DialogManagerFactory):
    def __init__(self) -> None:
        self.message_manager = MessageManager()
        self.media_id_storage = MediaIdStorage()  # type: ignore[no-untyped-call]

    def __call__(
        self, event: Any, data: dict[str, Any], registry: DialogRegistryProtocol, router: Router
    ) -> DialogManager:
        return KeepsForeignMessages(
            event=event,
            data=data,
            message_manager=self.message_manager,
            media_id_storage=self.media_id_storage,
            registry=registry,
            router=router,
            getter=None,
        )
