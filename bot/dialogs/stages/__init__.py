"""HR's /stages opens this dialog: the hiring chain (interview → fitness test → medical
commission by default) and, for a stage, its kk/ru names, its checklists (what to bring)
and the reschedule cut-off, each edited by typing (``bot.services.stages.update_stage``)."""

from bot.dialogs.stages.dialog import StagesSG, dialog

__all__ = ["StagesSG", "dialog"]
