"""Turning what a person typed into plain comparable words.

Residents type on kiosks, phones and borrowed keyboards: capitals, curly
apostrophes, emoji, pasted control characters, a whole letter pasted by
mistake. Every reader of free text (safeguarding, topic matching, options,
commands) starts from the same normal form, so a sign or keyword written once
in the knowledge base matches however it was typed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_CHARS = 2_000
"""Longest normalised text kept. What a person types about their situation fits easily;
a pasted document is cut, so reading it stays cheap and predictable."""

_RAW_SLICE = MAX_CHARS * 4
"""Raw characters read before normalising: enough for MAX_CHARS after noise is removed."""

_APOSTROPHES = re.compile(r"['’‘ʼ`´]")
"""Apostrophes join words ("can't" -> "cant", "dad's" -> "dads") as people type them anyway."""

_NOT_WORD = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Plain lower-case words separated by single spaces.

    NFKC folds look-alike forms (full-width letters, ligatures, superscript
    digits) into ordinary ones; casefold handles case in every script.
    Everything that is not a letter, digit or combining mark (punctuation,
    emoji, control and format characters, symbols) becomes a space.
    """
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text[:_RAW_SLICE]).casefold()
    folded = _APOSTROPHES.sub("", folded)
    if folded.isascii():
        spaced = _NOT_WORD.sub(" ", folded)
    else:
        spaced = "".join(char if _is_word_char(char) else " " for char in folded)
    collapsed = _SPACES.sub(" ", spaced).strip()
    if len(collapsed) > MAX_CHARS:
        collapsed = collapsed[:MAX_CHARS].rsplit(" ", 1)[0]
    return collapsed


def words(text: str) -> list[str]:
    """The words of `text` after `normalise`."""
    return normalise(text).split()


@lru_cache(maxsize=4096)
def _is_word_char(char: str) -> bool:
    """Letters and digits in any script, and the combining marks some scripts need."""
    if char.isalnum():
        return True
    return unicodedata.category(char).startswith("M")


_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ying", "ie"),
    ("ing", ""),
    ("ing", "e"),
    ("in", ""),
    ("ied", "y"),
    ("ies", "y"),
    ("ed", ""),
    ("ed", "e"),
    ("d", ""),
    ("sses", "ss"),
    ("shes", "sh"),
    ("ches", "ch"),
    ("xes", "x"),
    ("s", ""),
)
"""English inflections, as (ending, replacement). This is grammar, not vocabulary:
it lets "hitting", "hits" and "hit" meet, and "dying" and "die", without
listing every form of every word in the knowledge base."""

MIN_STEM = 3
"""Stems shorter than this are not used: "is" is not a form of "i"."""


@lru_cache(maxsize=65_536)
def stems(word: str) -> frozenset[str]:
    """Possible dictionary forms of `word`, including itself.

    Deliberately generous (several candidates, no dictionary): two words are
    taken as forms of each other when their stem sets meet, and a false meeting
    needs both words to share a stem of at least `MIN_STEM` letters.
    """
    found = {word}
    for ending, replacement in _SUFFIXES:
        if word.endswith(ending) and len(word) > len(ending):
            stem = word[: len(word) - len(ending)] + replacement
            if len(stem) >= MIN_STEM:
                found.add(stem)
                if len(stem) >= MIN_STEM + 1 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls":
                    found.add(stem[:-1])
    return frozenset(found)


def same_word_form(first: str, second: str) -> bool:
    """True when one word is an inflected form of the other ("hits"/"hitting")."""
    return first == second or not stems(first).isdisjoint(stems(second))
