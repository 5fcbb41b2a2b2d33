"""Cleaning what people type and paste: control characters, direction overrides, length."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from navigator.tui.safe_text import MAX_TYPED, clean_typed, was_shortened


def test_control_characters_and_escape_sequences_lose_their_power() -> None:
    assert clean_typed("help\x1b[2J\x07 with\tbills\r\n") == "help[2J with bills"


def test_direction_overrides_are_removed_but_rtl_text_is_kept() -> None:
    arabic = "أحتاج مساعدة في الإيجار"
    assert clean_typed(f"\u202e{arabic}\u202c") == arabic


def test_emoji_and_accents_are_kept() -> None:
    assert clean_typed("café 😀 help 👨‍👩‍👧") == "café 😀 help 👨‍👩‍👧"


def test_long_text_is_cut_and_says_so() -> None:
    pasted = "word " * 1000
    assert len(clean_typed(pasted)) <= MAX_TYPED
    assert was_shortened(pasted)
    assert not was_shortened("short")


@given(st.text())
def test_any_text_comes_out_printable_and_short(text: str) -> None:
    cleaned = clean_typed(text)
    assert len(cleaned) <= MAX_TYPED
    assert all(ord(character) >= 32 and character != "\x7f" for character in cleaned)
    assert cleaned == cleaned.strip()
