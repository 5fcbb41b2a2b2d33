"""Making whatever a person types or pastes safe to show and to hand to the engine.

Pasted text can hold control characters (which would move the cursor or
ring the bell in a terminal), direction overrides that scramble the line,
or whole documents. Emoji and right-to-left scripts are kept: they are
text, and Textual measures their width.
"""

from __future__ import annotations

import re
import unicodedata

MAX_TYPED = 500
"""Longest free text the app passes on; nobody describes a need in more."""

_DIRECTION_CONTROLS = frozenset(
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
)
_SPACES = re.compile(r"\s+")


def clean_typed(text: str, limit: int = MAX_TYPED) -> str:
    """Text with control and direction-override characters removed, spaces tidied, cut to `limit`.

    >>> clean_typed("help\\x1b[2J with\\tbills\\u202e")
    'help[2J with bills'
    """
    return _tidy(text)[:limit].rstrip()


def was_shortened(text: str, limit: int = MAX_TYPED) -> bool:
    """Whether `clean_typed` cuts this text, so the app can say it read only the start."""
    return len(_tidy(text)) > limit


def _tidy(text: str) -> str:
    kept = []
    for character in text:
        if character in _DIRECTION_CONTROLS:
            continue
        category = unicodedata.category(character)
        if category == "Cc":
            kept.append(" " if character in "\t\n\r" else "")
        elif category not in {"Cs", "Co", "Cn"}:
            kept.append(character)
    return _SPACES.sub(" ", "".join(kept)).strip()
