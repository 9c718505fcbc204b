"""Vacancy announcements: /subscribe and the main menu's 🔔 open this dialog.

Windows: the subscription (every department / choose / unsubscribe), the departments
multi-select (ticks kept until Done, also across Back), and the result. Announcements come
in the person's language: subscribing stores the language they use now when they never
chose one (``bot.services.subscriptions``).
"""

from bot.dialogs.subscriptions.dialog import SubscriptionSG, dialog

__all__ = ["SubscriptionSG", "dialog"]
