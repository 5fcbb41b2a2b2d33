"""Welsh words read as the same word however they are mutated, accented or joined.

Welsh changes the first letter of a word after certain words: "plentyn" (a child)
is "fy mhlentyn" (my child), "ei blentyn" (his child), "ei phlentyn" (her child);
"tad" (father) is "fy nhad", "ei dad", "ei thad". A crisis sign written once
("yn fy nharo") must still be found when the same words come mutated another way
("mae o'n taro fi", "dy daro di"), and people at a kiosk type without the accents
("ngwr" for "ngŵr", "rwan" for "rŵan") and with or without the apostrophes of
"mae'n", "dwi'n", "i'r".

So the sign line reads Welsh a second time with every word reduced to a *key*
that every mutation of a word shares: the letters a mutation can put at the
front of a word are folded into one per family. Labials (p, b, m, f, mh, ph)
become "b"; dentals (t, d, dd, n, nh, th) become "d"; velars (c, g, ng, ngh,
ch) are dropped, as soft mutation drops g ("gwneud", "wneud"), except where
that would leave a word of two letters ("gŵr", "ngŵr" give "gwr", so that
it stays a word rather than a linking word like "fy"); ll becomes l and rh
becomes r; an h put before a vowel is dropped ("ei hanafu"), but not from a
word of three letters ("hun", "hi"). The key is
grammar, not vocabulary: no word list is needed, and a sign written in any
mutation finds the others.

Folding merges some different words ("mam" and "fam" and "bam"), so the key is
used only to compare whole sign phrases, in order, and only for text that shows
Welsh (`looks_welsh`): English text is never read this way, so English
safeguarding is unchanged by it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from navigator.engine.textnorm import normalise
from navigator.lazy_re import LazyPattern

MIN_KEYED = 3
"""Words shorter than this ("fy", "yn", "ei", "i", "o") are linking words, kept as they
are: they are what triggers a mutation, not what undergoes it."""

_FOLDS: tuple[tuple[str, str], ...] = (
    ("ngh", ""),
    ("mh", "b"),
    ("nh", "d"),
    ("ph", "b"),
    ("th", "d"),
    ("ch", ""),
    ("ng", ""),
    ("dd", "d"),
    ("ll", "l"),
    ("rh", "r"),
    ("ff", "ff"),
    ("p", "b"),
    ("b", "b"),
    ("m", "b"),
    ("f", "b"),
    ("t", "d"),
    ("d", "d"),
    ("n", "d"),
    ("c", ""),
    ("g", ""),
)
"""Word beginnings and what they fold to, longest first. "ff" is a letter of its own that
no mutation makes ("ffôn", "ffrind"), so it stays."""

_VOWELS = frozenset("aeiouwy")

_CLITIC = LazyPattern(r"(?<=\w)['’‘ʼ`](?=(n|r|m|i|w|th|ch|u)\b)")
"""An apostrophe joining a short word to the word before ("mae'n", "i'r", "dwi'n",
"i'w"): read as a space, so "mae'n" and "mae yn" meet (typed without, "maen" is
matched as the two words joined)."""

MARKERS = frozenset(
    (
        "mae",
        "maen",
        "mai",
        "dwi",
        "dwin",
        "dw",
        "wedi",
        "fy",
        "ddim",
        "efo",
        "hefo",
        "gyda",
        "gydag",
        "isio",
        "eisiau",
        "eisie",
        "moyn",
        "nawr",
        "rwan",
        "heno",
        "dydy",
        "dydi",
        "dydw",
        "sydd",
        "ydy",
        "ydi",
        "ydw",
        "roedd",
        "oedd",
        "oeddwn",
        "rwyt",
        "rydw",
        "rwy",
        "rwyn",
        "ganddo",
        "ganddi",
        "gennyf",
        "arna",
        "arnaf",
        "arnon",
        "nhw",
        "chdi",
        "ohono",
        "ohoni",
        "iddo",
        "iddi",
        "imi",
        "plentyn",
        "nhad",
        "nain",
        "taid",
        "mamgu",
        "tadcu",
        "yma",
        "acw",
        "heb",
        "gallu",
        "methu",
        "brifo",
        "lladd",
        "taro",
        "curo",
        "marw",
        "byw",
        "bwyd",
        "cysgu",
        "unman",
        "nunlle",
        "byd",
        "gwr",
        "gwraig",
        "cariad",
        "cyllell",
        "ofn",
        "poeni",
        "helpwch",
        "achos",
    )
)
"""Words that show a text is (at least partly) Welsh: common Welsh words that English
does not use as words."""

WEAK_MARKERS = frozenset(
    ("dim", "help", "plis", "os", "babi", "gen", "fo", "chi", "neb", "dydd", "plant")
)
"""Welsh words that English or text-speak also use (a dim light, "help", "plis", OS, a
plant): two of them together show Welsh, one alone does not."""


COMMON = frozenset(
    [
        "mae",
        "maen",
        "dwi",
        "dwin",
        "wedi",
        "ddim",
        "dim",
        "efo",
        "gyda",
        "isio",
        "eisiau",
        "nawr",
        "rwan",
        "heno",
        "dydy",
        "sydd",
        "oedd",
        "roedd",
        "does",
        "gen",
        "arna",
        "mynd",
        "cael",
    ]
)
"""Words in so many Welsh messages that looking a sign up by them costs time for nothing:
a sign is looked up by its other words ("mae o'n fy nharo" by "nharo"), and aligned in
full as before. Only in the Welsh reading; it changed nothing on the Welsh sets."""


@lru_cache(maxsize=65_536)
def key(word: str) -> str:
    """The form every mutation of `word` shares ("mhlentyn", "phlentyn", "blentyn" and
    "plentyn" all give "blentyn"); short linking words are kept as they are."""
    word = strip_accents(word)
    if len(word) < MIN_KEYED or not word.isalpha():
        return word
    if word[0] == "h" and word[1] in _VOWELS and len(word) > MIN_KEYED:
        word = word[1:]
    for start, folded in _FOLDS:
        if word.startswith(start):
            rest = word[len(start) :]
            if len(folded + rest) < MIN_KEYED:
                return "g" + rest  # "gwr", "ngwr": kept a word, not a linking word
            return folded + rest
    return word


_MUTATED: dict[str, tuple[str, ...]] = {
    "p": ("b", "mh", "ph"),
    "t": ("d", "nh", "th"),
    "c": ("g", "ngh", "ch"),
    "b": ("f", "m"),
    "d": ("dd", "n"),
    "g": ("", "ng"),
    "m": ("f",),
    "ll": ("l",),
    "rh": ("r",),
}
"""What each first letter becomes under the soft, nasal and aspirate mutations ("p": "b",
"mh", "ph"). Letters of two characters ("ch", "dd", "ff", "ng", "ll", "ph", "rh", "th") are
read whole, so "chwaer" is not taken for a mutated "c"."""

_DIGRAPHS = ("ch", "dd", "ff", "ng", "ll", "ph", "rh", "th")


@lru_cache(maxsize=65_536)
def mutations(word: str) -> frozenset[str]:
    """`word` and every form a mutation makes of it, without accents ("pam": "pam", "bam",
    "mham", "pham"; "mam": "mam", "fam"; "afon": "afon", "hafon"). The key folds more
    together than grammar does ("pam" and "mam" share "bam"), so where two words share a
    key, the form typed tells which was meant: only "fam" can be "mam" mutated."""
    word = strip_accents(word)
    forms = {word}
    if word[:1] in _VOWELS:
        forms.add("h" + word)
    start = word[:2] if word[:2] in _DIGRAPHS else word[:1]
    forms.update(front + word[len(start) :] for front in _MUTATED.get(start, ()))
    return frozenset(forms)


@lru_cache(maxsize=65_536)
def strip_accents(word: str) -> str:
    """ "ŵ", "ŷ", "â", "ô" and the rest without their accents, as kiosk users type them."""
    if word.isascii():
        return word
    parts = unicodedata.normalize("NFD", word)
    return unicodedata.normalize("NFC", "".join(c for c in parts if not unicodedata.combining(c)))


def words(text: str) -> list[str]:
    """The words of `text` for Welsh reading: normalised as everywhere, with the short
    words joined by an apostrophe split off, and no accents."""
    split = _CLITIC.sub(" ", text)
    return [strip_accents(word) for word in normalise(split).split()]


def keyed(text: str) -> list[str]:
    """The words of `text` (`words`), each reduced to its `key`."""
    return [key(word) for word in words(text)]


def looks_welsh(text: str) -> bool:
    """True when `text` has a word only Welsh uses ("mae", "dwi", "wedi", "fy", "isio"),
    or two that Welsh shares with English or text-speak ("dim", "help")."""
    read = words(text)
    if any(word in MARKERS for word in read):
        return True
    return sum(word in WEAK_MARKERS for word in read) >= 2
