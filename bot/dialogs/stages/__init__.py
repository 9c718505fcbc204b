"""HR's /stages opens this dialog: whose hiring chain (everyone's — interview → fitness test
→ medical commission by default — a department's or a position's; «make its own» copies the
one it follows), the chain (add a stage), and for a stage its kk/ru names, its checklists
(what to bring) and the reschedule cut-off edited by typing, moved up or down, archived
(each one ``bot.services.stages`` call)."""

from bot.dialogs.stages.dialog import StagesSG, dialog

__all__ = ["StagesSG", "dialog"]
