"""`python -m bot` runs the bot; `python -m bot screen|match|criteria ...` is HR's command line."""

from __future__ import annotations

import asyncio
import logging
import sys

from pydantic import ValidationError

from bot.catalogue.loader import CatalogueError


def main(argv: list[str]) -> int:
    if argv and argv[0] in {"screen", "match", "criteria"}:
        from bot.cli import run_cli

        return run_cli(argv)

    from bot.app import run_polling
    from bot.config import Settings, settings_error_line

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        settings = Settings()  # filled from the environment
    except ValidationError as exc:
        print(settings_error_line(exc), file=sys.stderr)
        return 2
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
