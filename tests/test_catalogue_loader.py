"""A bad catalogue stops start-up with an error naming the position and the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.catalogue.loader import DEFAULT_CATALOGUE_PATH, CatalogueError, load_catalogue


def _broken(tmp_path: Path, mutate: object) -> Path:
    data = json.loads(DEFAULT_CATALOGUE_PATH.read_text(encoding="utf-8"))
    assert callable(mutate)
    mutate(data)
    path = tmp_path / "positions.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_missing_title_names_position_and_field(tmp_path: Path) -> None:
    def mutate(data: dict) -> None:  # type: ignore[type-arg]
        del data["positions"][37]["title"]["kk"]

    with pytest.raises(CatalogueError, match=r"position 38: title\.kk"):
        load_catalogue(_broken(tmp_path, mutate))


def test_negative_headcount_names_position(tmp_path: Path) -> None:
    def mutate(data: dict) -> None:  # type: ignore[type-arg]
        data["positions"][0]["headcount"] = -1

    with pytest.raises(CatalogueError, match=r"position 1: headcount"):
        load_catalogue(_broken(tmp_path, mutate))


def test_unknown_department_names_position(tmp_path: Path) -> None:
    def mutate(data: dict) -> None:  # type: ignore[type-arg]
        data["positions"][5]["department"] = "nowhere"

    with pytest.raises(CatalogueError, match=r"position 6: department"):
        load_catalogue(_broken(tmp_path, mutate))


def test_not_json(tmp_path: Path) -> None:
    path = tmp_path / "positions.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid JSON"):
        load_catalogue(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="cannot read"):
        load_catalogue(tmp_path / "nope.json")
