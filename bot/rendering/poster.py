"""The QR poster of a position's deep link (``python -m bot qr``): the code (segno) and the
position's title in Kazakh and Russian underneath.

* SVG: segno's code inside a page with the titles as text (any font the viewer has);
* PNG and PDF: the code drawn by segno, the titles by Pillow (already the bot's
  dependency for the /stats chart). Pillow's built-in font has no Cyrillic or Kazakh
  letters, so a TrueType font with them is looked for (DejaVu Sans, Noto Sans, Liberation
  Sans, Arial; ``POSTER_FONT`` names another); without one the titles are left out of the
  picture (the SVG has them always) rather than printed as boxes.
"""

from __future__ import annotations

import io
import os
import textwrap
from collections.abc import Sequence
from html import escape
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/arial.ttf",
)
SCALE = 16  # pixels per QR module in the PNG/PDF
BORDER = 4  # quiet zone, in modules
WRAP = 38  # characters per title line
LINE = 44  # pixels per title line


def _font(size: int) -> ImageFont.FreeTypeFont | None:
    for path in (os.environ.get("POSTER_FONT"), *FONT_CANDIDATES):
        if path and Path(path).is_file():
            return ImageFont.truetype(path, size)
    return None


def _lines(titles: Sequence[str]) -> list[str]:
    lines: list[str] = []
    for title in titles:
        lines.extend(textwrap.wrap(title, WRAP) or [""])
        lines.append("")
    return lines[:-1]


def poster_png(link: str, titles: Sequence[str], note: str = "") -> bytes:
    code = segno.make(link, error="m")
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=SCALE, border=BORDER)
    qr = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    font = _font(30)
    lines = _lines([*titles, note] if note else titles) if font is not None else []
    width = max(qr.width, 900)
    height = qr.height + (len(lines) * LINE + 40 if lines else 0)
    page = Image.new("RGB", (width, height), "white")
    page.paste(qr, ((width - qr.width) // 2, 0))
    if font is not None:
        draw = ImageDraw.Draw(page)
        for index, line in enumerate(lines):
            y = qr.height + 10 + index * LINE
            draw.text((width // 2, y), line, fill="black", font=font, anchor="ma")
    out = io.BytesIO()
    page.save(out, format="PNG")
    return out.getvalue()


def poster_pdf(link: str, titles: Sequence[str], note: str = "") -> bytes:
    image = Image.open(io.BytesIO(poster_png(link, titles, note)))
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=150.0)
    return out.getvalue()


def poster_svg(link: str, titles: Sequence[str], note: str = "") -> bytes:
    code = segno.make(link, error="m")
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=10, border=BORDER, xmldecl=False, svgns=True)
    qr_svg = buffer.getvalue().decode()
    qr_width, _ = code.symbol_size(scale=10, border=BORDER)
    width = max(qr_width, 600)
    lines = _lines([*titles, note] if note else titles)
    height = qr_width + len(lines) * 30 + 30
    texts = "".join(
        f'<text x="{width // 2}" y="{qr_width + 20 + i * 30}" text-anchor="middle" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="20">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><rect width="100%" height="100%" fill="white"/>'
        f'<g transform="translate({(width - qr_width) // 2},0)">{qr_svg}</g>{texts}</svg>\n'
    )
    return page.encode()


POSTERS = {"png": poster_png, "svg": poster_svg, "pdf": poster_pdf}
