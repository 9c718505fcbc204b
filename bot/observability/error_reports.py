"""Optional error reports to a self-hosted Sentry-compatible server (``SENTRY_DSN``).

Off unless the setting is given. What a report carries: the exception's type, its causes'
types and the stack (file, line and function). What it never carries: the exception's text
(it may quote what the person typed, their form data or a row), local variables, source
lines, request bodies, users, log lines or breadcrumbs (personal data is not sent by
default either: ``send_default_pii`` stays off). Sent from the error handler
(``bot.errors``), so every failed update is reported once.
"""

from __future__ import annotations

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.logging import LoggingIntegration

# Event fields that could carry personal data and that a report does without.
_DROPPED = ("user", "request", "extra", "contexts", "breadcrumbs", "logentry", "message", "tags")


def scrub(event: dict[str, Any], _hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """Keep only the shape of the failure (see the module's doc)."""
    for field in _DROPPED:
        event.pop(field, None)
    for value in (event.get("exception") or {}).get("values") or ():
        value["value"] = ""  # the exception's text
        for frame in (value.get("stacktrace") or {}).get("frames") or ():
            # Where it failed is enough (file, line, function): no variables, no source.
            for key in ("vars", "context_line", "pre_context", "post_context"):
                frame.pop(key, None)
    return event


def init(dsn: str | None) -> bool:
    """Start reporting when a DSN is set; whether it was started."""
    if not dsn:
        return False

    def before_send(event: Any, hint: Any) -> Any:
        return scrub(event, hint)

    sentry_sdk.init(
        dsn=dsn,
        include_local_variables=False,
        max_breadcrumbs=0,
        max_request_body_size="never",
        # Log lines are not reports (they go to the log); the error handler reports.
        integrations=[LoggingIntegration(level=None, event_level=None)],
        default_integrations=False,
        before_send=before_send,
        server_name="bot",
    )
    return True


def report(exc: BaseException) -> None:
    """Report a failure (a no-op unless :func:`init` started reporting)."""
    sentry_sdk.capture_exception(exc)
