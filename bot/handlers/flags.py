"""Handler flags (aiogram's ``flags=``), read by middlewares."""

from __future__ import annotations

# The handler starts something new: the flow in progress ends first
# (bot.handlers.navigation.EndFlowInProgress).
NAVIGATES_FLAG = "navigates"
NAVIGATES = {NAVIGATES_FLAG: True}
