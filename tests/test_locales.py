"""Every key in both languages, with the same placeholders; no Cyrillic text in Python."""

from __future__ import annotations

import re
import string
from pathlib import Path

from bot.i18n import LOCALES_DIR, SUPPORTED_LANGS, load_locale

BOT_DIR = Path(__file__).resolve().parents[1] / "bot"


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_language_has_every_key() -> None:
    locales = {lang: load_locale(lang) for lang in SUPPORTED_LANGS}
    kk, ru = locales["kk"], locales["ru"]
    assert set(kk) == set(ru), set(kk) ^ set(ru)
    assert len(kk) > 20


def test_same_files_in_each_language() -> None:
    names = {
        lang: sorted(p.name for p in (LOCALES_DIR / lang).glob("*.json"))
        for lang in SUPPORTED_LANGS
    }
    assert names["kk"] == names["ru"]


def test_placeholders_match() -> None:
    kk, ru = load_locale("kk"), load_locale("ru")
    for key in kk:
        assert _placeholders(kk[key]) == _placeholders(ru[key]), key


def test_no_user_visible_cyrillic_in_python() -> None:
    cyrillic_literal = re.compile(r"[\"'][^\"'\n]*[А-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі]{3,}")
    offenders = []
    for path in BOT_DIR.rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if cyrillic_literal.search(code):
                offenders.append(f"{path.relative_to(BOT_DIR)}:{number}")
    assert not offenders, offenders
