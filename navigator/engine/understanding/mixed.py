"""A message in another language with English in it, read by the English line on its English.

People switch languages mid-sentence: "moja córka nie odbiera od piątku and last night she
texted that she wants to end it all". The language stage calls that Polish, and a language
with no meaning line of its own (all but English and Welsh) got the sign lexicon only, so
the English half of the disclosure went unread. Reading the whole message with the English
line instead asked the check-in question of 17 of 165 ordinary requests in other languages
(6 before): the models read foreign words as letter groups and sub-words that look like
nothing ordinary.

So the English line reads the message *cut to its English words* (like `gloss` for Welsh,
but with no dictionary: a word is English when the knowledge base's English uses it), and
only when there is enough English to read (`MixedTuning.min_content` English content
words) and only where it leads more clearly than it must for English text
(`MixedTuning.min_margin`; the trained view alone, `MixedTuning.min_trained`). The sign
lexicon still reads every message first, in every language. The numbers were chosen by
cross-validation on tests/data/crisis_mixed.yaml, the tuned crisis sets and the tuned
language sets (docs/performance.md, "Session 11: mixed").

When the cut holds too little English, the whole message is not read by the English line
instead (session 12, branch cleanup2): every form of that rule that caught more on the tuned
sets read as a conversation reads them also interrupted more ordinary messages in other
languages (7 to 11 or more of 165). A language without its own line relies on its signs for
a disclosure said wholly in it (docs/performance.md, "Session 12: cleanup2").
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable

import msgspec

from navigator.engine.understanding.language import english_words
from navigator.engine.understanding.loading import LoadOnce
from navigator.engine.understanding.safety import MeaningFinding, MeaningLine
from navigator.kb.knowledge import KnowledgeBase

log = logging.getLogger(__name__)

__all__ = [
    "MIXED",
    "EnglishCut",
    "EnglishWords",
    "MixedLine",
    "MixedTuning",
    "clear_enough",
    "latin_script",
]

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
"""A word (letters or digits, with its apostrophes: "can't", "she's")."""
MIN_CONTENT_LETTERS = 3
"""A content word has at least this many letters: "a", "e", "o", "mi", "no", "to" are
words in Portuguese, Italian, Spanish or Polish too, so they say nothing about English."""


class MixedTuning(msgspec.Struct, frozen=True):
    """When the English line's reading of a message's English words counts."""

    min_content: int = 2
    """English content words needed (not filler, at least `MIN_CONTENT_LETTERS` letters)."""
    min_margin: float = 0.0
    """A check-in counts from this margin (English text: from -0.06 or -0.01, by blend);
    the panel margin always counts."""
    min_trained: float = 0.95
    """The trained view alone (no margin) counts from this probability (English: 0.9)."""
    min_foreign: float = 0.15
    """A message the language stage calls English is read cut to its English words too,
    when the English line found nothing and at least this share of its words are not
    English ("wyrzucili mnie z mieszkania dzisiaj, i have nowhere to sleep tonight")."""


MIXED = MixedTuning()
"""As shipped (chosen in session 11: docs/performance.md, "Session 11: mixed")."""


class EnglishCut(msgspec.Struct, frozen=True):
    """A message cut to its English words, in their order, and how many carry content."""

    text: str
    content: int
    words: int
    english: int

    @property
    def foreign(self) -> float:
        """The share of the message's words that are not English (0 for no words)."""
        return 1.0 - self.english / self.words if self.words else 0.0


class EnglishWords:
    """The words the knowledge base writes in English, read once when first needed.

    `known` gives them (the language stage's English words and the English safeguarding
    examples and near misses: a crisis's words are rarely in the topics); `filler` are the
    vocabulary's filler words ("the", "my", "she"), which are English but carry no content.
    """

    def __init__(self, known: Callable[[], Iterable[str]], filler: Iterable[str] = ()) -> None:
        self._filler = frozenset(word.casefold() for word in filler)
        self._words = LoadOnce(lambda: frozenset(word.casefold() for word in known()))

    @classmethod
    def for_knowledge(cls, knowledge: KnowledgeBase) -> EnglishWords:
        """The English words of `knowledge`: what residents meet or type (`english_words`),
        and the words of the English crisis examples, near misses and ordinary guards. A
        guard written in another script ("我想死你了": Chinese the sign line must not read as
        a crisis) is not English, so its words are left out (`latin_script`)."""

        def known() -> list[str]:
            found = list(english_words(knowledge))
            safeguarding = knowledge.safeguarding
            if safeguarding is not None:
                texts = [*safeguarding.not_crisis]
                for kind in safeguarding.kinds:
                    texts += [*kind.examples, *kind.near_misses]
                found += (
                    word
                    for text in texts
                    if latin_script(text)
                    for word in _TOKEN.findall(text.casefold())
                )
            return found

        filler = knowledge.vocabulary.filler if knowledge.vocabulary is not None else ()
        return cls(known, filler)

    @property
    def words(self) -> frozenset[str]:
        """Every English word known, lower case (read once, under a lock)."""
        return self._words.get()

    def prepare(self) -> None:
        """Read the words now (a thread preparing the lines calls this)."""
        _ = self.words

    def cut(self, text: str) -> EnglishCut:
        """`text` with every word that is not English left out (numbers are kept)."""
        known = self.words
        kept: list[str] = []
        content = 0
        tokens = _TOKEN.findall(text.replace("\u2019", "'").casefold())
        for token in tokens:
            if token.isdigit():
                kept.append(token)
            elif token in known:
                kept.append(token)
                if token not in self._filler and len(token) >= MIN_CONTENT_LETTERS:
                    content += 1
        return EnglishCut(" ".join(kept), content, len(tokens), len(kept))


def latin_script(text: str) -> bool:
    """Whether every letter of `text` is a Latin letter (accents too: "café"); a text with a
    letter of another script is not English."""
    return all(
        not char.isalpha() or unicodedata.name(char, "").startswith("LATIN") for char in text
    )


class MixedLine:
    """The English meaning line reading a message in another language cut to its English.

    For a language with no meaning line of its own (`SafeguardingDetector.by_meaning`).
    A finding carries `read_as`: the English words it read, for content staff.
    """

    def __init__(
        self, english: MeaningLine, words: EnglishWords, tuning: MixedTuning = MIXED
    ) -> None:
        self.english = english
        self.words = words
        self.tuning = tuning

    def prepare(self) -> bool:
        """Read the English words now (the English line is prepared by its owner)."""
        self.words.prepare()
        return True

    def check(self, text: str, *, check_in: bool = True) -> MeaningFinding | None:
        """For text in a language with no line of its own: the English line's finding on
        `text`'s English words, when there are enough of them and it leads clearly enough
        (`MixedTuning`); None otherwise (and when the English line cannot read)."""
        cut = self._cut(text)
        return None if cut is None else self.check_cut(cut, check_in=check_in)

    def check_english(self, text: str, *, check_in: bool = True) -> MeaningFinding | None:
        """For text the language stage calls English that the English line let pass: its
        English words read again alone, when enough of its words are foreign."""
        cut = self._cut(text)
        if cut is None or cut.foreign < self.tuning.min_foreign:
            return None
        return self.check_cut(cut, check_in=check_in)

    def _cut(self, text: str) -> EnglishCut | None:
        """`text` cut to its English words; None when the English line cannot read (its
        model did not load: the words are not even read then) or memory runs out."""
        if not self.english.available:
            return None
        try:
            return self.words.cut(text)
        except MemoryError:
            log.warning("Too little memory to read the English words; mixed text not read")
            return None

    def check_cut(self, cut: EnglishCut, *, check_in: bool = True) -> MeaningFinding | None:
        """The English line's finding on a message's English words (`read_as` set to them)."""
        if cut.content < self.tuning.min_content:
            return None
        found = self.english.check(cut.text, check_in=check_in)
        if found is None or not clear_enough(found, self.tuning):
            return None
        return msgspec.structs.replace(found, read_as=cut.text)


def clear_enough(found: MeaningFinding, tuning: MixedTuning = MIXED) -> bool:
    """Whether the English line's finding on a message's English words is clear enough: the
    panel always is; a check-in from `min_margin`, or the trained view alone from
    `min_trained`."""
    if found.line == "meaning":
        return True
    if found.view == "trained":
        return found.trained is not None and found.trained >= tuning.min_trained
    return found.margin >= tuning.min_margin
