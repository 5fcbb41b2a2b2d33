"""Turning what a person typed into plain comparable words.

Residents type on kiosks, phones and borrowed keyboards: capitals, curly
apostrophes, emoji, pasted control characters, a whole letter pasted by
mistake. Every reader of free text (safeguarding, topic matching, options,
commands) starts from the same normal form, so a sign or keyword written once
in the knowledge base matches however it was typed.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache

import msgspec

from navigator.kb.model import Vocabulary
from navigator.lazy_re import LazyPattern

MAX_CHARS = 2_000
"""Longest normalised text kept. What a person types about their situation fits easily;
a pasted document is cut, so reading it stays cheap and predictable."""

_RAW_SLICE = MAX_CHARS * 4
"""Raw characters read before normalising: enough for MAX_CHARS after noise is removed."""

_APOSTROPHES = LazyPattern(r"['’‘ʼ`´]")
"""Apostrophes join words ("can't" -> "cant", "dad's" -> "dads") as people type them anyway."""

_NOT_WORD = LazyPattern(r"[\W_]+")
_SPACES = LazyPattern(r"\s+")


_CACHED_CHARS = 600
"""Texts up to this long are normalised once and remembered (see `normalise`)."""


UNSPACED_SCRIPT = LazyPattern("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
"""Kana and Han characters: scripts written without spaces between words (Chinese,
Japanese), whose crisis signs are found as runs of characters (`understanding.signs`)."""


def normalise(text: str) -> str:
    """Plain lower-case words separated by single spaces.

    One message is read by several lines (crisis signs, meaning, commands, answers,
    topics), each normalising it: a message of ordinary length is normalised once and
    remembered (the last 256). A long paste is not kept, so the memory stays small.
    """
    if len(text) <= _CACHED_CHARS:
        return _normalise_cached(text)
    return _normalise(text)


@lru_cache(maxsize=256)
def _normalise_cached(text: str) -> str:
    return _normalise(text)


def _normalise(text: str) -> str:
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


_IRREGULAR: dict[str, str] = {
    form: base
    for base, forms in {
        "be": "was were been being",
        "break": "broke broken",
        "bring": "brought",
        "buy": "bought",
        "come": "came",
        "eat": "ate eaten",
        "fall": "fell fallen",
        "feel": "felt",
        "fight": "fought",
        "find": "found",
        "forget": "forgot forgotten",
        "get": "got gotten",
        "give": "gave given",
        "go": "went gone",
        "hear": "heard",
        "keep": "kept",
        "know": "knew known",
        "leave": "left",
        "lose": "lost",
        "make": "made",
        "meet": "met",
        "pay": "paid",
        "say": "said",
        "see": "saw seen",
        "sell": "sold",
        "sleep": "slept",
        "spend": "spent",
        "steal": "stole stolen",
        "take": "took taken",
        "tell": "told",
        "think": "thought",
        "throw": "threw thrown",
        "wake": "woke woken",
        "write": "wrote written",
    }.items()
    for form in forms.split()
}
"""Common irregular verbs, past form -> plain form: "fell" is a form of "fall" as "falls" is.
Grammar, like `_SUFFIXES`, not vocabulary."""

_DERIVED: tuple[tuple[str, str], ...] = (("iness", "y"), ("ness", ""), ("ful", ""))
"""Nouns and adjectives made from a word: "loneliness"/"lonely", "forgetful"/"forget"."""


@lru_cache(maxsize=65_536)
def word_forms(word: str) -> frozenset[str]:
    """`stems`, plus the plain form of an irregular verb and the word a noun or adjective
    is made from. Wider than `stems`, for topic matching, where a loose meeting costs a
    little ranking; safeguarding keeps to `stems`, whose rules its signs were written for."""
    found = set(stems(word))
    base = _IRREGULAR.get(word)
    if base is not None:
        found.add(base)
    for ending, replacement in _DERIVED:
        if word.endswith(ending) and len(word) - len(ending) + len(replacement) >= MIN_STEM + 1:
            found.update(stems(word[: len(word) - len(ending)] + replacement))
    return frozenset(found)


def same_word_form(first: str, second: str) -> bool:
    """True when one word is an inflected form of the other ("hits"/"hitting")."""
    return first == second or not stems(first).isdisjoint(stems(second))


# --- Reading words with the knowledge base's vocabulary -----------------------------


class Readings(msgspec.Struct, frozen=True):
    """What the knowledge base's `vocabulary` says about single typed words.

    Residents write "wiv", "me mam", "our kid", "forgetful"; the knowledge base
    says "with", "mum", "child", "memory". Content staff list such words as data
    (`filler`, `spellings`, `related`), so a dialect word is added without a
    release. Words are looked up by their forms too ("mams", "kids", "forgets").
    """

    filler: frozenset[str] = frozenset()
    """Words that never say what a person needs, including other spellings of them ("wiv")."""
    spellings: Mapping[str, frozenset[str]] = msgspec.field(default_factory=dict)
    """A word or one of its forms -> the other ways of writing the same word."""
    related: Mapping[str, frozenset[str]] = msgspec.field(default_factory=dict)
    """A form of an everyday word -> the knowledge base's words it stands for."""

    @classmethod
    def of(cls, vocabulary: Vocabulary | None) -> Readings:
        if vocabulary is None:
            return cls()
        filler = {word for phrase in vocabulary.filler for word in words(phrase)}
        spellings: dict[str, set[str]] = defaultdict(set)
        for standard, others in vocabulary.spellings.items():
            standard_words = words(standard)
            variants = {word for other in others for word in words(other)}
            if not standard_words or not variants:
                continue
            if all(word in filler for word in standard_words):
                filler.update(variants)
                continue
            # A one-word standard and its spellings are all one word; a phrase
            # ("universal credit" for "uc") is only what its spellings stand for.
            group = variants | (set(standard_words) if len(standard_words) == 1 else set())
            for word in group:
                _add_by_form(spellings, word, (group | set(standard_words)) - {word})
        related: dict[str, set[str]] = defaultdict(set)
        for meant, everyday in vocabulary.related.items():
            meant_words = [word for word in words(meant) if word not in filler]
            for other in everyday:
                for word in words(other):
                    _add_by_form(related, word, set(meant_words) - {word})
        return cls(frozenset(filler), _frozen(spellings), _frozen(related))

    def other_spellings(self, word: str) -> frozenset[str]:
        """Other ways of writing `word` ("mam" -> "mum", "mother", ...); empty if none."""
        return _look_up(self.spellings, word)

    def related_words(self, word: str) -> frozenset[str]:
        """The knowledge base's words an everyday word stands for ("forgetful" -> "memory")."""
        return _look_up(self.related, word)


def _add_by_form(table: dict[str, set[str]], word: str, meanings: Iterable[str]) -> None:
    """File `meanings` under every form of `word`, so other forms of it find them too."""
    for form in word_forms(word):
        table[form].update(meanings)


def _frozen(table: Mapping[str, set[str]]) -> dict[str, frozenset[str]]:
    return {word: frozenset(found) for word, found in table.items() if found}


def _look_up(table: Mapping[str, frozenset[str]], word: str) -> frozenset[str]:
    found: set[str] = set()
    for form in word_forms(word):
        found.update(table.get(form, ()))
    found.discard(word)
    return frozenset(found)
