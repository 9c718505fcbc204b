"""HR's vacancy board: /vacancies (for HR) opens this dialog.

Windows: the departments (open/total positions each), one department's positions (paged),
one position (open or close its recruitment, its places) and the «how many places» step
(a typed number 0–999, or «not said»). Closed positions are hidden from applicants
everywhere (``bot.services.vacancies``); opening one or raising its places triggers the
announcements (``VacancyBoard.on_change``).
"""

from bot.dialogs.vacancies.dialog import VacancySG, dialog

__all__ = ["VacancySG", "dialog"]
