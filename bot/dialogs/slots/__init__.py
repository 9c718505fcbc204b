"""HR's /slots opens this dialog: open slots for a stage — the stage, the day on a
calendar, the time, the duration, the place (an address with an optional map location, or
an online link), the capacity, whom they serve, once or repeated (every weekday or chosen
weekdays until a day, from–to every N minutes), a summary «N slots will be created», and
one call of ``bot.services.slots`` (Back and Cancel on every step).
"""

from bot.dialogs.slots.dialog import SlotsSG, dialog

__all__ = ["SlotsSG", "dialog"]
