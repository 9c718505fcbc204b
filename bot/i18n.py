"""Localized texts: every user-visible string is a key in ``bot/locales/<lang>/*.json``.

Each JSON file is one namespace: the key ``browse.menu.title`` lives in
``locales/<lang>/browse.json`` as ``"menu.title"``. Placeholders use ``str.format`` syntax.
Plain Python, no aiogram: services and the command line use it too.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

LOCALES_DIR = Path(__file__).with_name("locales")
SUPPORTED_LANGS: tuple[str, ...] = ("kk", "ru")


class MissingTranslation(KeyError):
    pass


def load_locale(lang: str, directory: Path = LOCALES_DIR) -> dict[str, str]:
    """All keys of one language, namespaced by file name."""
    texts: dict[str, str] = {}
    for file in sorted((directory / lang).glob("*.json")):
        namespace = file.stem
        data = json.loads(file.read_text(encoding="utf-8"))
        for key, value in data.items():
            if not isinstance(value, str):
                raise ValueError(f"{file}: {key}: a text must be a string")
            texts[f"{namespace}.{key}"] = value
    return texts


class Translator:
    def __init__(self, directory: Path = LOCALES_DIR, default_lang: str = "ru") -> None:
        self.default_lang = default_lang if default_lang in SUPPORTED_LANGS else "ru"
        self._texts = {lang: load_locale(lang, directory) for lang in SUPPORTED_LANGS}

    def lang_or_default(self, lang: str | None) -> str:
        return lang if lang in SUPPORTED_LANGS else self.default_lang

    def has(self, key: str) -> bool:
        return key in self._texts[self.default_lang]

    def __call__(self, lang: str | None, key: str, /, **params: Any) -> str:
        texts = self._texts[self.lang_or_default(lang)]
        try:
            template = texts[key]
        except KeyError:
            raise MissingTranslation(key) from None
        return template.format(**params) if params else template


@lru_cache(maxsize=1)
def default_translator() -> Translator:
    return Translator()


class Localizer:
    """A translator bound to one person's language; handlers receive it as ``i18n``."""

    __slots__ = ("lang", "translator")

    def __init__(self, translator: Translator, lang: str) -> None:
        self.translator = translator
        self.lang = translator.lang_or_default(lang)

    def __call__(self, key: str, /, **params: Any) -> str:
        return self.translator(self.lang, key, **params)


def guess_language(language_code: str | None, default: str = "ru") -> str:
    """Telegram's ``language_code`` to one of ours: Kazakh for kk, otherwise the default."""
    if language_code and language_code.lower().startswith("kk"):
        return "kk"
    if language_code and language_code.lower().startswith("ru"):
        return "ru"
    return default
