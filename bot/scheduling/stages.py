"""Hiring stages: what a candidate goes through after «Invite», in order.

A stage has a code (one of the default stages, or ``custom``), optional names and checklists
in Kazakh and Russian set by HR (``None``: the default texts of the code, in
``bot/locales/<lang>/booking.ftl``) and the reschedule cut-off in hours.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final, Protocol


class StageCode(StrEnum):
    interview = "interview"
    fitness_test = "fitness_test"
    medical_commission = "medical_commission"
    custom = "custom"


# interview → fitness test → medical commission.
DEFAULT_CHAIN: Final[tuple[StageCode, ...]] = (
    StageCode.interview,
    StageCode.fitness_test,
    StageCode.medical_commission,
)
DEFAULT_CUTOFF_HOURS: Final = 12
MAX_CUTOFF_HOURS: Final = 14 * 24
MAX_NAME: Final = 100
MAX_CHECKLIST_ITEMS: Final = 20
MAX_CHECKLIST_ITEM: Final = 200


class Translate(Protocol):
    """``translate(lang, key, **params)``: bot.i18n.Translator fits."""

    def __call__(self, lang: str, key: str, /, **params: Any) -> str: ...


@dataclass(frozen=True, slots=True)
class TextKeys:
    """The Fluent keys of a stage's default name and checklist (one item a line)."""

    name: str
    checklist: str | None


TEXT_KEYS: Final[Mapping[StageCode, TextKeys]] = {
    StageCode.interview: TextKeys("booking.stage.interview", "booking.checklist.interview"),
    StageCode.fitness_test: TextKeys(
        "booking.stage.fitness_test", "booking.checklist.fitness_test"
    ),
    StageCode.medical_commission: TextKeys(
        "booking.stage.medical_commission", "booking.checklist.medical_commission"
    ),
    # A custom stage is named by HR; this is only what shows if its names were left out.
    StageCode.custom: TextKeys("booking.stage.custom", None),
}


@dataclass(frozen=True, slots=True)
class Localized:
    kk: str
    ru: str

    def get(self, lang: str) -> str:
        return self.kk if lang == "kk" else self.ru


@dataclass(frozen=True, slots=True)
class LocalizedList:
    kk: tuple[str, ...]
    ru: tuple[str, ...]

    def get(self, lang: str) -> tuple[str, ...]:
        return self.kk if lang == "kk" else self.ru


@dataclass(frozen=True, slots=True)
class Stage:
    code: StageCode
    seq: int
    name: Localized | None = None  # None: the default name of the code
    checklist: LocalizedList | None = None  # None: the default checklist of the code
    cutoff_hours: int = DEFAULT_CUTOFF_HOURS


def default_chain() -> tuple[Stage, ...]:
    return tuple(Stage(code, seq) for seq, code in enumerate(DEFAULT_CHAIN, start=1))


def stage_name(stage: Stage, lang: str, translate: Translate) -> str:
    if stage.name is not None and stage.name.get(lang):
        return stage.name.get(lang)
    return translate(lang, TEXT_KEYS[stage.code].name)


def split_items(text: str) -> tuple[str, ...]:
    """A checklist typed one item a line (or a Fluent message written so): its items."""
    items = (line.strip().lstrip("-•*").strip() for line in text.splitlines())
    return tuple(item for item in items if item)


def stage_checklist(stage: Stage, lang: str, translate: Translate) -> tuple[str, ...]:
    if stage.checklist is not None:
        return stage.checklist.get(lang)
    key = TEXT_KEYS[stage.code].checklist
    return () if key is None else split_items(translate(lang, key))


def next_stage(chain: Sequence[Stage], current_seq: int) -> Stage | None:
    """The stage after the one at ``current_seq`` (None: it was the last)."""
    later = [s for s in chain if s.seq > current_seq]
    return min(later, key=lambda s: s.seq) if later else None


class StageError(StrEnum):
    name_missing = "name_missing"  # a custom stage needs a name in both languages
    name_too_long = "name_too_long"
    checklist_too_long = "checklist_too_long"
    item_too_long = "item_too_long"
    bad_cutoff = "bad_cutoff"


def check_stage(
    code: StageCode,
    name: Localized | None,
    checklist: LocalizedList | None,
    cutoff_hours: int,
) -> list[StageError]:
    """What is wrong with a stage as HR set it (empty: nothing)."""
    errors: list[StageError] = []
    if code is StageCode.custom and (name is None or not name.kk.strip() or not name.ru.strip()):
        errors.append(StageError.name_missing)
    if name is not None and max(len(name.kk), len(name.ru)) > MAX_NAME:
        errors.append(StageError.name_too_long)
    if checklist is not None:
        if max(len(checklist.kk), len(checklist.ru)) > MAX_CHECKLIST_ITEMS:
            errors.append(StageError.checklist_too_long)
        if any(len(item) > MAX_CHECKLIST_ITEM for item in (*checklist.kk, *checklist.ru)):
            errors.append(StageError.item_too_long)
    if not 0 <= cutoff_hours <= MAX_CUTOFF_HOURS:
        errors.append(StageError.bad_cutoff)
    return errors
