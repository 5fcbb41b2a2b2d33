"""Spotting signs of crisis in free text, before anything else reads it.

The knowledge base lists sign phrases by kind of crisis ("kill myself",
"want to die", "he hits me"). People in crisis do not type them neatly:
"kil myself", "want 2 die", "i just want to end it all", "she keeps hitting
me". So a sign matches when its words appear in order in the text, each word
allowing a typo or another form of the same word ("hits"/"hitting"), with a
couple of other words allowed in between. Short linking words in a sign ("to",
"me") may be swapped for text-speak ("2", "mi").

A false alarm costs far less than a miss, so the rules lean towards matching.
They stop short of single loose words, though: a parent asking about a child's
behaviour, or someone who fell last year, must not be interrupted. The
knowledge base's `not_crisis` phrases (ordinary phrases that look like signs)
silence a sign only where the whole sign lies inside such a phrase, nearly
word for word.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA, Indel, Levenshtein

from navigator.engine.textnorm import MIN_STEM, normalise, same_word_form, stems
from navigator.kb.loader import KnowledgeBase
from navigator.kb.schema import Safeguarding, Vocabulary

LIGHT_WORD_LENGTH = 2
"""Sign words this short ("to", "me", "he") are linking words: they must not carry a match
alone, and text-speak may stand in for them ("want 2 die")."""

MAX_GAP = 2
"""Other words allowed inside a sign ("want to just die"). Filler words are free."""

MIN_SCORE = 70.0
"""Average word similarity (0-100) a sign must reach to count."""

_SUBSTITUTE_LENGTH = 3
_SUBSTITUTE_SIMILARITY = 0.5
_SKIP_SIMILARITY = 0.4
_MIN_CONTENT_FOR_SKIP = 7
"""A linking word may be left out ("wanna die" for "want to die") only when the sign's other
words are long enough to be telling on their own."""


@dataclass(frozen=True)
class CrisisSign:
    """A sign of crisis found in a piece of text."""

    kind_id: str
    phrase: str
    """The sign phrase, as the knowledge base writes it."""
    score: float
    """How closely the text matched the phrase, 0-100."""


@dataclass(frozen=True)
class _Sign:
    kind_id: str
    seriousness: int
    """Position of the kind in the knowledge base: earlier kinds are more serious."""
    phrase: str
    words: tuple[str, ...]

    @property
    def joined(self) -> str:
        return "".join(self.words)


@dataclass(frozen=True)
class _Hit:
    sign: _Sign
    score: float
    start: int
    end: int
    """Text word positions covered, inclusive."""


class SafeguardingDetector:
    """Checks text against the crisis signs of one knowledge base.

    Built once per knowledge base (the sign phrases are normalised up front),
    then `check` is called on every piece of free text a person gives.
    """

    def __init__(
        self, safeguarding: Safeguarding | None, vocabulary: Vocabulary | None = None
    ) -> None:
        self._signs: tuple[_Sign, ...] = tuple(_signs_of(safeguarding))
        self._sign_words: frozenset[str] = frozenset(
            word for sign in self._signs for word in sign.words
        )
        self._guards: tuple[tuple[str, ...], ...] = tuple(
            tuple(words)
            for phrase in (safeguarding.not_crisis if safeguarding else [])
            if (words := normalise(phrase).split())
        )
        filler = vocabulary.filler if vocabulary else []
        self._filler: frozenset[str] = frozenset(
            word for phrase in filler for word in normalise(phrase).split()
        )

    @classmethod
    def for_knowledge(cls, knowledge: KnowledgeBase) -> SafeguardingDetector:
        return cls(knowledge.safeguarding, knowledge.vocabulary)

    @property
    def has_signs(self) -> bool:
        return bool(self._signs)

    def check(self, text: str) -> CrisisSign | None:
        """The most serious sign of crisis in `text`, or None.

        When signs of several kinds appear, the kind listed first in the knowledge
        base wins (kinds are listed most serious first); within a kind, the closest
        match.
        """
        words = normalise(text).split()
        if not words or not self._signs:
            return None
        hits = [hit for hit in self._hits(words) if not self._guarded(hit, words)]
        if not hits:
            return None
        best = min(hits, key=lambda hit: (hit.sign.seriousness, -hit.score))
        return CrisisSign(best.sign.kind_id, best.sign.phrase, round(best.score, 1))

    def _hits(self, words: Sequence[str]) -> Iterable[_Hit]:
        similarity = _SimilarityTable(words, self._sign_words)
        for sign in self._signs:
            yield from _joined_hits(sign, words)
            yield from _aligned_hits(sign, words, similarity, self._filler)

    def _guarded(self, hit: _Hit, words: Sequence[str]) -> bool:
        """True when the whole hit lies inside an ordinary phrase from `not_crisis`."""
        for guard in self._guards:
            for start in _occurrences(guard, words):
                if start <= hit.start and hit.end < start + len(guard):
                    return True
        return False


def _signs_of(safeguarding: Safeguarding | None) -> Iterable[_Sign]:
    if safeguarding is None:
        return
    for seriousness, kind in enumerate(safeguarding.kinds):
        for phrase in kind.signs:
            words = tuple(normalise(phrase).split())
            if words:
                yield _Sign(kind.id, seriousness, phrase, words)


def _is_light(word: str) -> bool:
    return len(word) <= LIGHT_WORD_LENGTH


@lru_cache(maxsize=65_536)
def word_similarity(text_word: str, sign_word: str) -> float:
    """How far `text_word` can stand for `sign_word`: 1.0 the same, 0 not at all.

    Typos are allowed in proportion to the sign word's length: none in three
    letters ("die" is not "diet"), one dropped or doubled letter from four
    ("kil", "killl"), one slip of any kind from five ("sucide"), two from eight.
    Each form of the text word ("kiling" -> "kil") is tried, so a typo and an
    ending together still match.
    """
    if text_word == sign_word:
        return 1.0
    if _is_light(sign_word):
        return 0.0
    if same_word_form(text_word, sign_word):
        return 0.95
    best = 0.0
    for form in stems(text_word):
        if len(form) < MIN_STEM or abs(len(form) - len(sign_word)) > 2:
            continue
        best = max(best, _typo_similarity(form, sign_word))
    return best


def _typo_similarity(form: str, sign_word: str) -> float:
    length = len(sign_word)
    if length >= 8 and Levenshtein.distance(form, sign_word, score_cutoff=2) <= 2:
        return 0.85 if Levenshtein.distance(form, sign_word) == 2 else 0.9
    if length >= 5 and OSA.distance(form, sign_word, score_cutoff=1) <= 1:
        return 0.9
    if length >= 4 and Indel.distance(form, sign_word, score_cutoff=1) <= 1:
        return 0.9
    return 0.0


class _SimilarityTable:
    """Similarities between the words of one text and every sign word, computed on demand."""

    def __init__(self, words: Sequence[str], sign_words: frozenset[str]) -> None:
        self._words = words
        self._sign_words = sign_words
        self._cache: dict[tuple[str, str], float] = {}

    def __call__(self, position: int, sign_word: str) -> float:
        return self.of(self._words[position], sign_word)

    def of(self, word: str, sign_word: str) -> float:
        key = (word, sign_word)
        found = self._cache.get(key)
        if found is None:
            found = word_similarity(word, sign_word)
            self._cache[key] = found
        return found


def _joined_hits(sign: _Sign, words: Sequence[str]) -> Iterable[_Hit]:
    """A sign of several words typed as one ("selfharm")."""
    if len(sign.words) < 2:
        return
    for position, word in enumerate(words):
        similarity = word_similarity(word, sign.joined)
        if similarity:
            yield _Hit(sign, similarity * 100, position, position)


def _aligned_hits(
    sign: _Sign,
    words: Sequence[str],
    similarity: _SimilarityTable,
    filler: frozenset[str],
) -> Iterable[_Hit]:
    """Every place the sign's words appear in order, with few other words between."""
    content = [word for word in sign.words if not _is_light(word)]
    if not content:
        content = list(sign.words)
    may_skip = len(content) >= 2 and sum(map(len, content)) >= _MIN_CONTENT_FOR_SKIP
    aligner = _Aligner(sign.words, words, similarity, filler, may_skip)
    for start in range(len(words)):
        found = aligner.from_start(start)
        if found is not None:
            total, end, real = found
            score = total / len(sign.words) * 100
            if real and score >= MIN_SCORE:
                yield _Hit(sign, score, start, end)


_Placement = tuple[float, int, bool]
"""(similarity added, last text position used, whether a content word truly matched)."""

_FILLER_ALLOWANCE = 3
"""Filler words are free inside a sign, but only this many: the search stays short."""


class _Aligner:
    """Finds the best in-order placement of a sign's words from each text position.

    Results for each (sign word, text position, gaps left, skip left) are kept,
    so a long text costs time in proportion to its length, whatever it holds.
    """

    def __init__(
        self,
        sign_words: Sequence[str],
        words: Sequence[str],
        similarity: _SimilarityTable,
        filler: frozenset[str],
        may_skip: bool,
    ) -> None:
        self._sign = sign_words
        self._words = words
        self._similarity = similarity
        self._filler = filler
        self._may_skip = may_skip
        all_light = all(_is_light(word) for word in sign_words)
        self._light = tuple(_is_light(word) and not all_light for word in sign_words)
        self._memo: dict[tuple[int, int, int, bool], _Placement | None] = {}

    def _match(self, position: int, index: int) -> tuple[float, bool]:
        """Similarity of text word `position` to sign word `index`, and whether it is real.

        Real means a content word of the sign truly matched, not a stand-in for a
        linking word: every hit needs at least one.
        """
        sign_word = self._sign[index]
        found = self._similarity(position, sign_word)
        if found:
            return found, not self._light[index]
        if self._light[index] and len(self._words[position]) <= _SUBSTITUTE_LENGTH:
            return _SUBSTITUTE_SIMILARITY, False
        return 0.0, False

    def from_start(self, start: int) -> _Placement | None:
        """(total similarity, last position, real), with the sign's first word at `start`.

        A leading linking word may also be left out, so "want to die" still finds
        the sign "i want to die".
        """
        best: _Placement | None = None
        first, real = self._match(start, 0)
        if first:
            best = _joined(first, real, self._rest(1, start + 1, MAX_GAP, self._may_skip))
        if self._may_skip and self._light[0] and len(self._sign) > 1:
            second, real = self._match(start, 1)
            if second:
                rest = self._rest(2, start + 1, MAX_GAP, False)
                best = _better(best, _joined(_SKIP_SIMILARITY + second, real, rest))
        return best

    def _rest(self, index: int, position: int, gaps: int, may_skip: bool) -> _Placement | None:
        """The best placement of sign words from `index` on, starting at text `position`."""
        if index == len(self._sign):
            return 0.0, position - 1, False
        key = (index, position, gaps, may_skip)
        if key in self._memo:
            return self._memo[key]
        best: _Placement | None = None
        if may_skip and self._light[index]:
            best = _joined(_SKIP_SIMILARITY, False, self._rest(index + 1, position, gaps, False))
        spent = free = 0
        for candidate in range(position, len(self._words)):
            for found, real, next_index, next_position in self._steps(candidate, index):
                rest = self._rest(next_index, next_position, gaps - spent, may_skip)
                best = _better(best, _joined(found, real, rest))
            if self._words[candidate] in self._filler and free < _FILLER_ALLOWANCE:
                free += 1
            else:
                spent += 1
                if spent > gaps:
                    break
        self._memo[key] = best
        return best

    def _steps(self, position: int, index: int) -> Iterable[tuple[float, bool, int, int]]:
        """Ways to place sign word `index` at text word `position`.

        One word for one word; or two text words for one sign word ("any more" for
        "anymore", "my self" for "myself"); or one text word for two sign words.
        Each is (similarity, real, next sign word, next text position).
        """
        found, real = self._match(position, index)
        if found:
            yield found, real, index + 1, position + 1
        if position + 1 < len(self._words):
            pair = self._words[position] + self._words[position + 1]
            found = self._similarity.of(pair, self._sign[index])
            if found and not self._light[index]:
                yield found, True, index + 1, position + 2
        if index + 1 < len(self._sign):
            found = self._similarity.of(
                self._words[position], self._sign[index] + self._sign[index + 1]
            )
            if found:
                yield 2 * found, True, index + 2, position + 1


def _joined(found: float, real: bool, rest: _Placement | None) -> _Placement | None:
    if rest is None:
        return None
    return found + rest[0], rest[1], real or rest[2]


def _better(first: _Placement | None, second: _Placement | None) -> _Placement | None:
    if first is None:
        return second
    if second is None:
        return first
    return max(first, second, key=lambda found: (found[2], found[0]))


def _occurrences(guard: Sequence[str], words: Sequence[str]) -> Iterable[int]:
    """Start positions where the guard phrase appears word for word (endings may differ)."""
    length = len(guard)
    for start in range(len(words) - length + 1):
        if all(same_word_form(words[start + i], guard[i]) for i in range(length)):
            yield start
