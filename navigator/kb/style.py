"""House style for resident-facing text: plain words, short sentences, no stigmatising labels.

The phrase lists here are defaults. A knowledge base adds its own under
`content_rules:` (`plain_english:` and `stigmatising:`), and can drop these
defaults with `include_defaults: false`. Matching is by whole words, ignoring
case and spacing, so "Vulnerable  adults" is found and "invulnerable" is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from navigator.kb.model import ContentRules, Replacement

DEFAULT_STIGMATISING: tuple[tuple[str, str], ...] = (
    ("troubled families", "families who want support, or priority families"),
    ("troubled family", "a family who wants support, or a priority family"),
    ("problem families", "families who want support"),
    ("chaotic", "say what is happening, such as 'a lot going on at once'"),
    ("vulnerable adult", "an adult who may need support to stay safe"),
    ("vulnerable adults", "adults who may need support to stay safe"),
    ("service user", "person, or 'you'"),
    ("service users", "people, or 'you'"),
    ("suffers from", "has, or lives with"),
    ("suffering from", "living with"),
    ("wheelchair-bound", "uses a wheelchair"),
    ("confined to a wheelchair", "uses a wheelchair"),
    ("the elderly", "older people"),
    ("the disabled", "disabled people"),
    ("handicapped", "disabled"),
    ("mentally ill", "living with a mental health condition"),
    ("committed suicide", "died by suicide"),
    ("addict", "person who uses drugs or alcohol"),
    ("hard to reach", "people services have not yet reached"),
    ("non-compliant", "say what happened, such as 'did not take the medicine'"),
    ("scrounger", "person getting benefits"),
    ("broken home", "a family that has separated"),
)
"""Labels that stigmatise the reader, with what to say instead."""

DEFAULT_PLAIN_ENGLISH: tuple[tuple[str, str], ...] = (
    ("utilise", "use"),
    ("utilised", "used"),
    ("utilising", "using"),
    ("facilitate", "help, or make possible"),
    ("in order to", "to"),
    ("commence", "start"),
    ("prior to", "before"),
    ("assistance", "help"),
    ("additional", "more, or extra"),
    ("approximately", "about"),
    ("purchase", "buy"),
    ("regarding", "about"),
    ("endeavour", "try"),
    ("sufficient", "enough"),
    ("in receipt of", "getting"),
    ("ascertain", "find out"),
    ("notwithstanding", "even though"),
    ("forthwith", "now, or straight away"),
    ("obtain", "get"),
    ("in the event of", "if"),
    ("whilst", "while"),
    ("individuals", "people"),
    ("signpost", "point you to, or tell you about"),
    ("signposting", "pointing you to"),
    ("eligibility criteria", "who can get it"),
    ("in accordance with", "under, or following"),
    ("with regard to", "about"),
    ("on behalf of", "for"),
    ("commissioned", "paid for, or arranged"),
)
"""Words plain-English guidance (GOV.UK style, the Plain English Campaign) would replace."""

_PHRASE_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
"""A word for phrase matching: "wheelchair-bound" and "person's" are one word each."""
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[^\W_]+(?:['’.,\-][^\W_]+)*")


@dataclass(frozen=True)
class PhraseHit:
    phrase: str
    suggest: str


class PhraseList:
    """Finds any of many phrases in a text, by whole words, ignoring case.

    The text is split into words once, and each word is looked up among the
    phrases' first words, so the cost grows with the text, not with the list.
    """

    def __init__(self, replacements: Iterable[Replacement]) -> None:
        self.suggestions: dict[tuple[str, ...], str] = {}
        for replacement in replacements:
            words = tuple(_PHRASE_WORD.findall(replacement.phrase.lower()))
            if words:
                self.suggestions[words] = replacement.suggest
        self.by_first_word: dict[str, list[tuple[str, ...]]] = {}
        # Longest first, so "vulnerable adults" is found rather than "vulnerable adult".
        for words in sorted(self.suggestions, key=len, reverse=True):
            self.by_first_word.setdefault(words[0], []).append(words)
        self.first_words = frozenset(self.by_first_word)
        """A text without any of these words holds none of the phrases."""

    def find(self, text: str) -> Iterator[PhraseHit]:
        """Each listed phrase in `text`, once, in the order they first appear."""
        return self.find_in_words(phrase_words(text))

    def find_in_words(self, words: list[str]) -> Iterator[PhraseHit]:
        """`find` for a text already split by `phrase_words` (to split it once for two lists)."""
        if not self.by_first_word:
            return
        seen: set[tuple[str, ...]] = set()
        for index, word in enumerate(words):
            for phrase in self.by_first_word.get(word, ()):
                if phrase not in seen and tuple(words[index : index + len(phrase)]) == phrase:
                    seen.add(phrase)
                    yield PhraseHit(" ".join(phrase), self.suggestions[phrase])
                    break


@dataclass(frozen=True)
class Style:
    """The house style in force for one knowledge base."""

    stigmatising: PhraseList
    plain_english: PhraseList
    max_sentence_words: int
    max_options: int
    review_months: int

    @classmethod
    def from_rules(cls, rules: ContentRules) -> Style:
        """The knowledge base's own rules, added to the defaults unless it drops them."""
        defaults = rules.include_defaults
        return cls(
            stigmatising=PhraseList(
                [*_replacements(DEFAULT_STIGMATISING if defaults else ()), *rules.stigmatising]
            ),
            plain_english=PhraseList(
                [*_replacements(DEFAULT_PLAIN_ENGLISH if defaults else ()), *rules.plain_english]
            ),
            max_sentence_words=rules.max_sentence_words,
            max_options=rules.max_options,
            review_months=rules.review_months,
        )


def _replacements(pairs: Iterable[tuple[str, str]]) -> list[Replacement]:
    from navigator.kb import schema  # pydantic: only for checking content, never at a start

    return [schema.Replacement(phrase=phrase, suggest=suggest) for phrase, suggest in pairs]


def phrase_words(text: str) -> list[str]:
    """A text's words in lower case, as `PhraseList` compares them."""
    return _PHRASE_WORD.findall(text.lower())


def sentences(text: str) -> Iterator[str]:
    """The sentences of a text: split after . ! or ? and at line breaks."""
    for sentence in _SENTENCE_END.split(text):
        if sentence.strip():
            yield sentence.strip()


def word_count(sentence: str) -> int:
    """Words as a reader counts them: "don't", "NB12" and "£23,250" are one word each."""
    return len(_WORD.findall(sentence))
