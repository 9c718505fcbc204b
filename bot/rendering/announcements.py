"""The texts of the automatic vacancy announcements, in Kazakh and Russian, HTML (everything
taken from the catalogue is escaped):

* :func:`vacancy_texts` — «new vacancy» / «more places» for one position, built from the
  catalogue and the locales (``broadcast.auto.*``);
* :func:`digest_texts` — the weekly digest of the open positions, grouped by department;
* :func:`channel_text` — one post for the channel (``CHANNEL_ID``): the Kazakh and the
  Russian version together when they fit, otherwise the default language's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.catalogue.models import Position
from bot.catalogue.service import CatalogueService
from bot.i18n import SUPPORTED_LANGS, Translator
from bot.rendering.messages import escape
from bot.services.validation import TELEGRAM_TEXT_LIMIT, telegram_length


@dataclass(frozen=True, slots=True)
class Texts:
    kk: str
    ru: str

    def get(self, lang: str) -> str:
        return self.kk if lang == "kk" else self.ru


def _department_name(catalogue: CatalogueService, position: Position, lang: str) -> str:
    department = catalogue.department(position.department)
    name = department.name.get(lang) if department else ""
    sub = catalogue.subdepartment_name(position, lang)
    return f"{name} › {sub}" if sub else name


def vacancy_texts(
    translator: Translator,
    catalogue: CatalogueService,
    position: Position,
    places: int | None,
    *,
    opened: bool,
    footer: bool = True,
) -> Texts:
    """«New vacancy: <title>, places: N» (``opened``) or «more places» for a position."""
    out: dict[str, str] = {}
    for lang in SUPPORTED_LANGS:
        lines = [
            translator(lang, "broadcast.auto.opened" if opened else "broadcast.auto.more_places"),
            translator(
                lang,
                "broadcast.auto.position",
                title=escape(position.title.get(lang)),
                department=escape(_department_name(catalogue, position, lang)),
            ),
        ]
        if places is not None:
            lines.append(translator(lang, "broadcast.auto.places", places=places))
        text = "\n".join(lines)
        if footer:
            text += "\n\n" + translator(lang, "broadcast.auto.footer")
        out[lang] = text
    return Texts(kk=out["kk"], ru=out["ru"])


def digest_texts(
    translator: Translator,
    catalogue: CatalogueService,
    closed: frozenset[int],
    places: Mapping[int, int | None],
    *,
    footer: bool = True,
    limit: int = TELEGRAM_TEXT_LIMIT,
) -> Texts | None:
    """The weekly digest: every open position by department (places where HR said them).

    None when no position is open. A digest that would not fit in one message lists as
    many departments as fit and says how many positions are left out.
    """
    open_positions = [p for p in catalogue.catalogue.positions if p.number not in closed]
    if not open_positions:
        return None
    out: dict[str, str] = {}
    for lang in SUPPORTED_LANGS:
        head = translator(lang, "broadcast.digest.title", count=len(open_positions))
        tail = _digest_footer(translator, lang) if footer else ""
        blocks: list[str] = []
        for department in catalogue.catalogue.departments:
            positions = [p for p in open_positions if p.department == department.id]
            if not positions:
                continue
            lines = [f"<b>{escape(department.name.get(lang))}</b>"]
            for p in positions:
                count = places.get(p.number)
                key = "broadcast.digest.item" if count is None else "broadcast.digest.item_places"
                lines.append(
                    translator(lang, key, title=escape(p.title.get(lang)), places=count or 0)
                )
            blocks.append("\n".join(lines))
        out[lang] = _fit(translator, lang, head, blocks, tail, open_positions, limit)
    return Texts(kk=out["kk"], ru=out["ru"])


def _digest_footer(translator: Translator, lang: str) -> str:
    return (
        translator(lang, "broadcast.digest.footer")
        + "\n"
        + translator(lang, "broadcast.auto.footer")
    )


def without_footer(text: str, translator: Translator, lang: str) -> str:
    """The text less the subscriber's footer (/unsubscribe...): for the channel."""
    for footer in (_digest_footer(translator, lang), translator(lang, "broadcast.auto.footer")):
        if text.endswith("\n\n" + footer):
            return text[: -len(footer) - 2]
    return text


def _fit(
    translator: Translator,
    lang: str,
    head: str,
    blocks: list[str],
    tail: str,
    positions: list[Position],
    limit: int,
) -> str:
    def join(parts: list[str]) -> str:
        return "\n\n".join(part for part in [head, *parts, tail] if part)

    text = join(blocks)
    if telegram_length(text) <= limit:
        return text
    kept = list(blocks)
    while kept:
        kept.pop()
        shown = sum(block.count("\n") for block in kept)  # one line per position
        more = translator(lang, "broadcast.digest.more", count=len(positions) - shown)
        text = join([*kept, more])
        if telegram_length(text) <= limit:
            return text
    return join([translator(lang, "broadcast.digest.more", count=len(positions))])


def channel_text(texts: Texts, default_locale: str, *, limit: int = TELEGRAM_TEXT_LIMIT) -> str:
    """One channel post: Kazakh, then Russian (once when they are the same); when both
    together are over ``limit`` (1024 under a photo), the default language's version."""
    if texts.kk == texts.ru:
        return texts.kk
    both = f"{texts.kk}\n\n— — —\n\n{texts.ru}"
    if telegram_length(both) <= limit:
        return both
    return texts.get(default_locale)
