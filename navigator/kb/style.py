"""House style for resident-facing text: plain words, short sentences, no stigmatising labels.

The phrase lists here are defaults. A knowledge base adds its own under
`content_rules:` (`plain_english:` and `stigmatising:`), and can drop these
defaults with `include_defaults: false`. Matching is by whole words, ignoring
case, so "Vulnerable adults" is found and "invulnerable" is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from navigator.kb.schema import ContentRules, Replacement

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

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[^\W_]+(?:['’.,\-][^\W_]+)*")


@dataclass(frozen=True)
class PhraseHit:
    phrase: str
    suggest: str


class PhraseList:
    """Finds any of many phrases in a text with one compiled regular expression."""

    def __init__(self, replacements: Iterable[Replacement]) -> None:
        self.suggestions: dict[str, str] = {}
        for replacement in replacements:
            phrase = " ".join(replacement.phrase.lower().split())
            if phrase:
                self.suggestions[phrase] = replacement.suggest
        # Longest first, so "vulnerable adults" wins over "vulnerable adult".
        phrases = sorted(self.suggestions, key=len, reverse=True)
        alternatives = "|".join(re.escape(phrase).replace(r"\ ", r"\s+") for phrase in phrases)
        self.pattern = (
            re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)
            if phrases
            else None
        )

    def find(self, text: str) -> Iterator[PhraseHit]:
        """Each listed phrase in `text`, once, in the order they first appear."""
        if self.pattern is None:
            return
        seen: set[str] = set()
        for match in self.pattern.finditer(text):
            phrase = " ".join(match.group(0).lower().split())
            if phrase not in seen:
                seen.add(phrase)
                yield PhraseHit(match.group(0), self.suggestions[phrase])


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
    return [Replacement(phrase=phrase, suggest=suggest) for phrase, suggest in pairs]


def sentences(text: str) -> Iterator[str]:
    """The sentences of a text: split after . ! or ? and at line breaks."""
    for sentence in _SENTENCE_END.split(text):
        if sentence.strip():
            yield sentence.strip()


def word_count(sentence: str) -> int:
    """Words as a reader counts them: "don't", "NB12" and "£23,250" are one word each."""
    return len(_WORD.findall(sentence))
