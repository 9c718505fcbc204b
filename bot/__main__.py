"""`python -m bot` runs the bot; `python -m bot screen|match|criteria ...` is HR's command line.

Production roles (``bot.runtime.roles``): ``python -m bot serve`` (updates only),
``python -m bot worker`` (scheduler, outbox, broadcasts; one active at a time),
``python -m bot migrate`` (migrations under a lock, then exit) and
``python -m bot set-webhook`` (sets WEBHOOK_URL's webhook, or removes it when empty).

A bad configuration ends the start-up with one line on stderr, ``Cannot start: <cause>``
naming the setting, and exit status 2 (see :mod:`bot.startup`); never a traceback, never
the token. Errors after the start-up are logged as usual (masked by the log formatter).
"""

from __future__ import annotations

import asyncio
import logging
import sys

from pydantic import ValidationError

log = logging.getLogger("bot")


def main(argv: list[str]) -> int:
    if argv and argv[0] in {"screen", "match", "criteria", "qr"}:
        from bot.cli import run_cli

        return run_cli(argv)

    from bot.config import Settings, settings_error_line
    from bot.log_redaction import configure_logging
    from bot.startup import HeldLogs, StartupError, error_line, secrets_of, unexpected_problem

    role = argv[0] if argv else "all"
    if role not in {"all", "serve", "worker", "migrate", "set-webhook"} or len(argv) > 1:
        print(
            error_line(
                f"unknown command {' '.join(argv)!r}: expected serve, worker, migrate, "
                "set-webhook, screen, match, criteria or qr"
            ),
            file=sys.stderr,
        )
        return 2
    configure_logging()
    try:
        settings = Settings()  # filled from the environment
    except ValidationError as exc:
        print(error_line(settings_error_line(exc).removeprefix("Cannot start: ")), file=sys.stderr)
        return 2
    except Exception as exc:  # e.g. an unreadable .env
        print(error_line(f"settings (.env): {unexpected_problem(exc)}"), file=sys.stderr)
        return 2
    # From here on the token itself is masked too, whatever its form.
    secrets = secrets_of(settings)
    configure_logging(secrets=secrets, json=settings.log_format == "json")
    from bot.observability.logs import set_hash_key

    set_hash_key(settings.bot_token.get_secret_value())
    from bot.observability import error_reports

    error_reports.init(settings.sentry_dsn)  # SENTRY_DSN: optional, scrubbed reports
    # The start-up's log lines wait: printed once it succeeds, dropped if it fails.
    held = HeldLogs()
    held.hold()
    try:
        # After the settings: aiogram takes seconds to import.
        from bot.runtime import roles

        if role == "migrate":
            asyncio.run(roles.migrate(settings))
        elif role == "set-webhook":
            log.info(asyncio.run(roles.set_webhook(settings)))
        elif role == "worker":
            asyncio.run(roles.run_worker(settings, on_started=held.release))
        else:
            serving: roles.Role = "serve" if role == "serve" else "all"
            asyncio.run(roles.run_updates(settings, serving, on_started=held.release))
    except StartupError as exc:
        held.drop()
        print(error_line(exc, secrets), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    except Exception as exc:
        if held.holding:  # the start-up did not end (an import failed, say)
            held.drop()
            print(error_line(unexpected_problem(exc), secrets), file=sys.stderr)
            return 2
        # After the start-up: the traceback, through the masking formatter.
        logging.getLogger("bot").critical("The bot stopped on an error", exc_info=True)
        return 1
    finally:
        held.release()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
