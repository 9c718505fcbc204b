"""Catalogues for the screening tests: a small synthetic one, and the real one with criteria.

The real catalogue is ``data/positions.json``; every one of its positions carries criteria.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.catalogue.loader import load_catalogue
from bot.catalogue.models import Catalogue

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
POSITIONS_PATH = DATA_DIR / "positions.json"


def _text(ru: str, kk: str | None = None) -> dict[str, str]:
    return {"ru": ru, "kk": kk or ru}


def _position(number: int, criteria: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
    return {
        "number": number,
        "department": "dep",
        "title": _text(f"Position {number}"),
        "headcount": 1,
        "sections": {
            "education": _text("education"),
            "experience": _text("experience"),
            "competences": _text("competences"),
        },
        "criteria": criteria,
        **extra,
    }


def synthetic_catalogue_data() -> dict[str, Any]:
    """A small catalogue covering every rule of the engine (plain JSON-like data)."""
    return {
        "version": 1,
        "education_levels": [
            {"id": "secondary", "name": _text("Среднее", "Орта")},
            {"id": "vocational", "name": _text("ТиПО", "ТжКБ")},
            {"id": "higher", "name": _text("Высшее", "Жоғары")},
            {"id": "postgraduate", "name": _text("Послевузовское", "Жоғары оқу орнынан кейінгі")},
        ],
        "fields_of_study": [
            {"id": "area", "name": _text("Область", "Сала")},
            {"id": "law", "name": _text("Право", "Құқық"), "parent": "area"},
            {"id": "economics", "name": _text("Экономика", "Экономика"), "parent": "area"},
            {"id": "it", "name": _text("ИТ", "АТ"), "parent": "area"},
            {"id": "transport", "name": _text("Транспорт", "Көлік"), "parent": "area"},
            {"id": "cars", "name": _text("Автомобили", "Автокөлік"), "parent": "transport"},
        ],
        "experience_domains": [
            {"id": "specialty", "name": _text("по специальности", "мамандығы бойынша")},
            {"id": "managerial", "name": _text("на руководящих должностях", "басшы лауазымдарда")},
            {"id": "transport", "name": _text("на транспорте", "көлікте")},
        ],
        "driver_licence_categories": ["A", "B", "C", "CE", "D", "DE", "C1E"],
        "licence_implications": {"CE": ["C"], "DE": ["D"], "C1E": ["C"]},
        "departments": [{"id": "dep", "name": _text("Отдел", "Бөлім")}],
        "positions": [
            # 1: higher + law/economics + 3 (preferred 5) years in the specialty.
            _position(
                1,
                {
                    "paths": [
                        {
                            "education_level": "higher",
                            "fields": ["law", "economics"],
                            "experience": [
                                {"domain": "specialty", "min_years": 3, "preferred_years": 5}
                            ],
                        }
                    ],
                    "optional": [_text("Знание MS Office", "MS Office білу")],
                },
            ),
            # 2: managerial experience, any field.
            _position(
                2,
                {
                    "paths": [
                        {
                            "education_level": "higher",
                            "experience": [{"domain": "managerial", "min_years": 5}],
                        }
                    ]
                },
            ),
            # 3: alternatives: higher + 3 years in transport, or vocational + 5 years.
            _position(
                3,
                {
                    "paths": [
                        {
                            "education_level": "higher",
                            "fields": ["transport"],
                            "experience": [{"domain": "transport", "min_years": 3}],
                        },
                        {
                            "education_level": "vocational",
                            "fields": ["transport"],
                            "experience": [{"domain": "transport", "min_years": 5}],
                        },
                    ]
                },
            ),
            # 4: declared items: licence, medical fitness, special training.
            _position(
                4,
                {
                    "paths": [{"education_level": "secondary"}],
                    "driver_licences": ["C", "CE"],
                    "medical_fitness": True,
                    "special_training": _text("Подготовка спасателя", "Құтқарушы даярлығы"),
                },
            ),
            # 5: security clearance, experience without a minimum.
            _position(
                5,
                {
                    "paths": [
                        {
                            "education_level": "higher",
                            "fields": ["law", "it"],
                            "experience": [
                                {"domain": "specialty", "min_years": 0, "preferred_years": 2}
                            ],
                        }
                    ],
                    "security_clearance": True,
                },
            ),
            # 6: no criteria yet.
            _position(6, None),
            # 7: vocational, specialty + managerial together.
            _position(
                7,
                {
                    "paths": [
                        {
                            "education_level": "vocational",
                            "experience": [
                                {"domain": "specialty", "min_years": 2},
                                {"domain": "managerial", "min_years": 1, "preferred_years": 3},
                            ],
                        }
                    ],
                },
            ),
            # 8: an open list («или другие смежные»), desirable experience, a licence of a
            # category the seed does not name.
            _position(
                8,
                {
                    "paths": [
                        {
                            "education_level": "vocational",
                            "fields": ["transport"],
                            "fields_related": True,
                            "experience": [
                                {
                                    "domain": "transport",
                                    "min_years": 0,
                                    "wording": _text("за рулём", "рөлде"),
                                },
                                {"domain": "managerial", "min_years": 0, "optional": True},
                            ],
                        }
                    ],
                    "driver_licence_unspecified": True,
                },
            ),
            # 9: «в соответствующей области»: no field named, every field for HR to judge.
            _position(
                9,
                {"paths": [{"education_level": "higher", "fields": [], "fields_related": True}]},
            ),
        ],
    }


def synthetic_catalogue() -> Catalogue:
    return Catalogue.model_validate(synthetic_catalogue_data())


def real_catalogue_with_criteria() -> tuple[Catalogue | None, str]:
    """The real catalogue; every position must have criteria (a missing one fails, not skips)."""
    catalogue = load_catalogue(POSITIONS_PATH)
    missing = [p.number for p in catalogue.positions if p.criteria is None]
    assert not missing, f"positions without screening criteria: {missing}"
    return catalogue, ""
