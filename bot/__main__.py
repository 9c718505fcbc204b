"""`python -m bot` runs the bot; `python -m bot screen|match|criteria ...` is HR's command line."""

from __future__ import annotations

import asyncio
import sys

from pydantic import ValidationError

from bot.catalogue.loader import CatalogueError


def main(argv: list[str]) -> int:
    if argv and argv[0] in {"screen", "match", "criteria"}:
        from bot.cli import run_cli

        return run_cli(argv)

    from bot.app import run_polling
    from bot.config import Settings, settings_error_line
    from bot.log_redaction import configure_logging

    configure_logging()
    try:
        settings = Settings()  # filled from the environment
    except ValidationError as exc:
        print(settings_error_line(exc), file=sys.stderr)
        return 2
    # From here on the token itself is masked too, whatever its form.
    configure_logging(secrets=(settings.bot_token.get_secret_value(),))
    try:
        asyncio.run(run_polling(settings))
    except CatalogueError as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
