"""A PNG horizontal bar chart of the hiring funnel, drawn with Pillow.

Pillow's built-in font has Latin letters and digits only (no Cyrillic, no Kazakh letters),
and no Cyrillic TTF can be counted on on a fresh machine or in a slim container. So the
bars carry step numbers and figures only; the localized names of the steps go with the
picture as its caption (and in the text table sent beside it). This keeps the dependency
light (no matplotlib/numpy) and the picture the same on every machine.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

WIDTH = 900
ROW_HEIGHT = 56
BAR_HEIGHT = 36
MARGIN = 24
LABEL_WIDTH = 56
NOTE_WIDTH = 190
BACKGROUND = (255, 255, 255)
BAR = (214, 69, 39)  # the service's red-orange
BAR_EMPTY = (230, 230, 230)
TEXT = (33, 33, 33)
MUTED = (110, 110, 110)


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # Latin letters and digits only (see the module docstring)
    value: int
    note: str = ""  # e.g. «67%»; same limitation


def bar_chart(bars: Sequence[Bar]) -> bytes:
    """The bars top to bottom, lengths relative to the largest value; PNG bytes."""
    height = 2 * MARGIN + ROW_HEIGHT * max(len(bars), 1)
    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=22)
    small = ImageFont.load_default(size=18)
    top_value = max((b.value for b in bars), default=0)
    bar_left = MARGIN + LABEL_WIDTH
    bar_room = WIDTH - bar_left - NOTE_WIDTH - MARGIN
    for index, bar in enumerate(bars):
        y = MARGIN + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2
        middle = y + BAR_HEIGHT // 2
        draw.text((MARGIN, middle), bar.label, fill=TEXT, font=font, anchor="lm")
        length = 0 if top_value == 0 else round(bar_room * bar.value / top_value)
        draw.rectangle((bar_left, y, bar_left + bar_room, y + BAR_HEIGHT), fill=BAR_EMPTY)
        if length > 0:
            draw.rectangle((bar_left, y, bar_left + length, y + BAR_HEIGHT), fill=BAR)
        x = bar_left + bar_room + 12
        draw.text((x, middle), str(bar.value), fill=TEXT, font=font, anchor="lm")
        if bar.note:
            value_width = draw.textlength(str(bar.value), font=font)
            draw.text((x + value_width + 10, middle), bar.note, fill=MUTED, font=small, anchor="lm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
