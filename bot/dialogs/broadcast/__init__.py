"""HR's broadcast composer: /broadcast opens this dialog (HR only, like the command).

Windows, each with Back (but the first) and Cancel::

    mode (one text / two versions) → text, or text_kk → text_ru → photo (optional)
    → audience (all subscribers / departments → multi-select) → preview
    → «Send now» (created and started at once) or «Schedule» → a typed date and time
      (Asia/Almaty) → created ``scheduled`` with the job ``broadcast:<id>``.

Texts keep HR's formatting (``Message.html_text``). Whether a text, a photo or a caption
can be sent is ``bot.services.broadcasts``'s to say (``checked_text``, ``photo_too_big``,
``message_content``); the preview is the very content «Send now» and «Schedule» store.
"""

from bot.dialogs.broadcast.dialog import BroadcastSG, dialog

__all__ = ["BroadcastSG", "dialog"]
