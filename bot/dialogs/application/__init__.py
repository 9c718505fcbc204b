"""The application form after the questionnaire's verdict: consent, full name, phone (a
reply keyboard with «share contact»), an optional CV, an optional comment, the review with
Edit and Submit. Started by «Apply» (``bot.handlers.application``) with the position and
the screened answers as start data; nothing personal is stored before «I agree».
"""

from bot.dialogs.application.dialog import (
    ApplicationSG,
    dialog,
    drop_left,
    left_on_top,
    mark_live,
    resume_left,
    start_data,
)

__all__ = [
    "ApplicationSG",
    "dialog",
    "drop_left",
    "left_on_top",
    "mark_live",
    "resume_left",
    "start_data",
]
