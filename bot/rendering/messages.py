"""Splitting long HTML safely: Telegram refuses messages over 4096 characters."""

from __future__ import annotations

import html

from bot.services.validation import TELEGRAM_TEXT_LIMIT

__all__ = ["TELEGRAM_TEXT_LIMIT", "escape", "split_blocks"]


def split_blocks(blocks: list[str], limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Pack self-contained HTML blocks (each with balanced tags) into messages ≤ limit.

    A block longer than the limit is cut at line breaks, then hard, so it must only carry
    tags on its first line (a bold header); its body is escaped plain text.
    """
    messages: list[str] = []
    current = ""
    for block in blocks:
        for piece in _cut(block, limit):
            candidate = f"{current}\n\n{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                messages.append(current)
                current = piece
    if current:
        messages.append(current)
    return messages


def _cut(block: str, limit: int) -> list[str]:
    if len(block) <= limit:
        return [block]
    pieces: list[str] = []
    current = ""
    for line in block.split("\n"):
        while len(line) > limit:
            # No line break to cut at: cut hard, but never inside an HTML entity.
            cut = limit
            amp = line.rfind("&", max(0, cut - 10), cut)
            if amp != -1 and ";" not in line[amp:cut]:
                cut = amp
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:cut])
            line = line[cut:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
        else:
            pieces.append(current)
            current = line
    if current:
        pieces.append(current)
    return pieces


def escape(text: str) -> str:
    return html.escape(text, quote=False)
