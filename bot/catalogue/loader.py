"""Loading ``data/positions.json`` with errors a person can act on."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.catalogue.models import Catalogue

DEFAULT_CATALOGUE_PATH = Path(__file__).resolve().parents[2] / "data" / "positions.json"


class CatalogueError(Exception):
    """The catalogue file is missing or invalid; the message names position and field."""


def _describe(loc: tuple[int | str, ...], raw: Any) -> str:
    # Turn ("positions", 12, "title", "kk") into "position 13: title.kk" using the seed number.
    if len(loc) >= 2 and loc[0] == "positions" and isinstance(loc[1], int):
        number: Any = loc[1] + 1
        with contextlib.suppress(KeyError, IndexError, TypeError, AttributeError):
            number = raw["positions"][loc[1]].get("number", number)
        rest = ".".join(str(part) for part in loc[2:]) or "(position)"
        return f"position {number}: {rest}"
    return ".".join(str(part) for part in loc) or "(file)"


def parse_catalogue(text: str, source: str = "positions.json") -> Catalogue:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogueError(f"{source}: not valid JSON: {exc}") from None
    try:
        return Catalogue.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = _describe(tuple(error["loc"]), raw)
            problems.append(f"{where}: {error['msg']}")
        raise CatalogueError(f"{source}: " + "; ".join(problems[:10])) from None


def load_catalogue(path: Path = DEFAULT_CATALOGUE_PATH) -> Catalogue:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot read the catalogue: {exc.strerror}") from None
    return parse_catalogue(text, str(path))
