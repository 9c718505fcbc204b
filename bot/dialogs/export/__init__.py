"""HR's /export opens this dialog: everything at once, or the filters step by step
(department → position → status → period, each with Back and Cancel), a summary with the
number of applications found, and the XLSX as a document (``bot.services.export``).
"""

from bot.dialogs.export.dialog import ExportSG, dialog

__all__ = ["ExportSG", "dialog"]
