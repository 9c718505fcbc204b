"""Splitting long HTML into Telegram-sized messages."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.rendering.messages import escape, split_blocks


def test_short_blocks_join_into_one_message() -> None:
    assert split_blocks(["<b>a</b>", "b"]) == ["<b>a</b>\n\nb"]


def test_long_blocks_split_at_block_boundaries() -> None:
    blocks = ["<b>h</b>\n" + "x" * 3000, "<b>i</b>\n" + "y" * 3000]
    parts = split_blocks(blocks)
    assert parts == blocks


@given(st.lists(st.text(min_size=1, max_size=6000), min_size=1, max_size=5))
def test_every_part_fits_and_nothing_is_lost(texts: list[str]) -> None:
    blocks = [escape(t) for t in texts]
    parts = split_blocks(blocks, limit=4096)
    assert all(0 < len(p) <= 4096 for p in parts)
    joined = "".join(parts).replace("\n", "")
    assert joined == "".join(blocks).replace("\n", "")
    for part in parts:  # never cut inside an entity
        assert not part.rstrip().endswith(("&", "&l", "&lt", "&am", "&amp", "&g", "&gt"))
