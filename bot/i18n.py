"""Localized texts: every user-visible string is a Fluent message in ``bot/locales/<lang>/*.ftl``.

Each ``.ftl`` file is one namespace, and the rest of a key is its message id with dots turned
into hyphens: ``browse.menu.title`` is the message ``menu-title`` of ``locales/<lang>/browse.ftl``
(:func:`message_id`). Placeholders are Fluent variables (``{ $count }``), and counts choose their
words by CLDR plural category (``{ $count -> [one] … [few] … *[many] … }``).

Integers are formatted without thousands separators (ids, application numbers and years read as
they are typed: «№1234», «2026»); every other non-string value is passed as ``str(value)``, so a
text reads as it did with ``str.format``. Plain Python, no aiogram: services and the command line
use it too.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource
from fluent.runtime.types import fluent_number
from fluent.syntax import FluentParser, FluentSerializer
from fluent.syntax import ast as ftl

LOCALES_DIR = Path(__file__).with_name("locales")
SUPPORTED_LANGS: tuple[str, ...] = ("kk", "ru")

# Texts kept by Translator.cached (a few thousand: fields × counts × languages).
MEMO_SIZE = 4096

_FLUENT_ID = re.compile(r"[a-zA-Z][a-zA-Z0-9_-]*")


class MissingTranslation(KeyError):
    pass


class TranslationError(ValueError):
    """A message could not be formatted: a variable it uses was not passed, or a bad reference."""


def split_key(key: str) -> tuple[str, str]:
    """``"hr_tools.stats.period.7"`` → ``("hr_tools", "stats-period-7")``: the file and the id."""
    namespace, dot, rest = key.partition(".")
    if not dot or not namespace or not rest:
        raise MissingTranslation(key)
    return namespace, message_id(rest)


def message_id(rest: str) -> str:
    """A key without its namespace → its Fluent message id.

    Dots become hyphens (``stats.period.7`` → ``stats-period-7``); an id must start with a letter,
    so one that would not gets the prefix ``n`` (``7days`` → ``n7days``). JSON keys never contain
    hyphens, so the mapping is one-to-one (``scripts/json_to_ftl.py`` refuses a collision).
    """
    fluent_id = rest.replace(".", "-")
    if not fluent_id[:1].isascii() or not fluent_id[:1].isalpha():
        fluent_id = "n" + fluent_id
    return fluent_id


def key_of(namespace: str, fluent_id: str) -> str:
    """The inverse of :func:`split_key`: ``("hr_tools", "stats-period-7")`` → the key."""
    if fluent_id[:1] == "n" and fluent_id[1:2].isdigit():
        fluent_id = fluent_id[1:]
    return f"{namespace}.{fluent_id.replace('-', '.')}"


def is_valid_message_id(fluent_id: str) -> bool:
    return _FLUENT_ID.fullmatch(fluent_id) is not None


def _fluent_arg(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        # A count still selects its plural form; the digits stay as typed (no «1 234»).
        return fluent_number(value, useGrouping=False)
    return str(value)


def load_bundles(lang: str, directory: Path = LOCALES_DIR) -> dict[str, FluentBundle]:
    """One bundle per namespace (file) of one language."""
    bundles: dict[str, FluentBundle] = {}
    for file in sorted((directory / lang).glob("*.ftl")):
        bundle = FluentBundle([lang], use_isolating=False)
        bundle.add_resource(FluentResource(file.read_text(encoding="utf-8")))
        bundles[file.stem] = bundle
    return bundles


def load_locale(lang: str, directory: Path = LOCALES_DIR) -> dict[str, str]:
    """Every key of one language → its message's Fluent source (``key in load_locale(lang)``)."""
    texts: dict[str, str] = {}
    for file in sorted((directory / lang).glob("*.ftl")):
        for entry in FluentParser().parse(file.read_text(encoding="utf-8")).body:
            if isinstance(entry, ftl.Message):
                texts[key_of(file.stem, entry.id.name)] = FluentSerializer().serialize_entry(entry)
    return texts


class Translator:
    def __init__(self, directory: Path = LOCALES_DIR, default_lang: str = "ru") -> None:
        self.default_lang = default_lang if default_lang in SUPPORTED_LANGS else "ru"
        self._bundles = {lang: load_bundles(lang, directory) for lang in SUPPORTED_LANGS}
        # Texts without placeholders, formatted once: buttons and prompts are most of the
        # texts an update shows, and Fluent's formatting cost ~30 µs each.
        self._plain: dict[tuple[str, str], str] = {}
        self._memo: dict[tuple[str, str, tuple[tuple[str, int | str], ...]], str] = {}

    def lang_or_default(self, lang: str | None) -> str:
        return lang if lang in SUPPORTED_LANGS else self.default_lang

    def has(self, key: str) -> bool:
        try:
            namespace, fluent_id = split_key(key)
        except MissingTranslation:
            return False
        bundle = self._bundles[self.default_lang].get(namespace)
        return bundle is not None and bundle.has_message(fluent_id)

    def __call__(self, lang: str | None, key: str, /, **params: Any) -> str:
        lang = self.lang_or_default(lang)
        if not params:
            cached = self._plain.get((lang, key))
            if cached is None:
                cached = self._plain[(lang, key)] = self._format(lang, key, {})
            return cached
        return self._format(lang, key, params)

    def cached(self, lang: str | None, key: str, /, **params: int | str) -> str:
        """The same text as ``__call__``, memoized: for texts made of the catalogue's words and
        small numbers (a question's progress, a field's button, «3 years»), which the
        questionnaire formats on every update (a plural form costs Fluent ~40 µs).

        Never for a person's input or ids: the memo must hold nothing of a person (erasure).
        """
        lang = self.lang_or_default(lang)
        memo_key = (lang, key, tuple(params.items()))
        text = self._memo.get(memo_key)
        if text is None:
            if len(self._memo) >= MEMO_SIZE:  # bounded: start again rather than grow
                self._memo.clear()
            text = self._memo[memo_key] = self._format(lang, key, dict(params))
        return text

    def _format(self, lang: str, key: str, params: dict[str, Any]) -> str:
        namespace, fluent_id = split_key(key)
        bundle = self._bundles[lang].get(namespace)
        if bundle is None or not bundle.has_message(fluent_id):
            raise MissingTranslation(key)
        message = bundle.get_message(fluent_id)
        if message.value is None:
            raise MissingTranslation(key)
        args = {name: _fluent_arg(value) for name, value in params.items()}
        text, errors = bundle.format_pattern(message.value, args)
        if errors:
            raise TranslationError(f"{key}: {errors[0]}")
        return str(text)


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

    def cached(self, key: str, /, **params: int | str) -> str:
        """:meth:`Translator.cached`: catalogue words and numbers only, never a person's."""
        return self.translator.cached(self.lang, key, **params)


def guess_language(language_code: str | None, default: str = "ru") -> str:
    """Telegram's ``language_code`` to one of ours: Kazakh for kk, otherwise the default."""
    if language_code and language_code.lower().startswith("kk"):
        return "kk"
    if language_code and language_code.lower().startswith("ru"):
        return "ru"
    return default
