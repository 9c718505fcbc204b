"""HR's /agenda opens this dialog: one day (today first; ◀ ▶ and a calendar) with each
slot, its stage, place, booked/capacity and who comes (✅ confirmed, ❓ not yet, ⚠️ not
within 2 h of the start); a slot opens its candidates (each: passed / failed / no-show)
and «Cancel the slot» (asked to confirm). One call of ``bot.services`` a step."""

from bot.dialogs.agenda.dialog import AgendaSG, dialog

__all__ = ["AgendaSG", "dialog"]
