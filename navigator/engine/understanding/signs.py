"""The first safeguarding line: the sign lexicon, before anything else reads a text.

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

This module is the whole line: the signs indexed (`SignLexicon`) and the line the
understanding pipeline runs first (`SignLexiconLine`, never skipped, never waiting for a
model). `navigator.engine.safeguarding` runs it and the meaning lines in order.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cached_property, lru_cache

import msgspec

from navigator.engine.textnorm import MIN_STEM, normalise, same_word_form, stems
from navigator.engine.textnorm import UNSPACED_SCRIPT as _UNSPACED
from navigator.engine.understanding import welsh
from navigator.engine.understanding.language import LanguageGuess
from navigator.engine.understanding.safety import Nearest
from navigator.engine.understanding.verdict import SafetyVerdict
from navigator.kb.model import Safeguarding, Vocabulary

__all__ = [
    "LIGHT_WORD_LENGTH",
    "MAX_GAP",
    "MIN_SCORE",
    "SHORT_SIGN",
    "CrisisSign",
    "SignLexicon",
    "SignLexiconLine",
    "word_similarity",
]

LIGHT_WORD_LENGTH = 2
"""Sign words this short ("to", "me", "he") are linking words: they must not carry a match
alone, and text-speak may stand in for them ("want 2 die")."""

MAX_GAP = 2
"""Other words allowed inside a sign of four words or more; shorter signs allow one
("he keeps hitting me"), so "have you had a stroke" is not "having a stroke"."""
SHORT_SIGN = 3

MIN_SCORE = 70.0
"""Average word similarity (0-100) a sign must reach to count."""

_SAME_WORD = 0.95
"""`word_similarity` of another form of the same word ("hitting" for "hits")."""
_SUBSTITUTE_LENGTH = 3
_SUBSTITUTE_SIMILARITY = 0.5
_SKIP_SIMILARITY = 0.4
_MIN_CONTENT_FOR_SKIP = 7
"""A linking word may be left out ("wanna die" for "want to die") only when the sign's other
words are long enough to be telling on their own."""


class CrisisSign(msgspec.Struct, frozen=True):
    """A sign of crisis found in a piece of text."""

    kind_id: str
    phrase: str
    """The sign phrase, as the knowledge base writes it."""
    score: float
    """How closely the text matched the phrase, 0-100."""


class _Sign(msgspec.Struct, frozen=True):
    kind_id: str
    seriousness: int
    """Position of the kind in the knowledge base: earlier kinds are more serious."""
    phrase: str
    words: tuple[str, ...]
    joined: str = ""
    """The words written as one ("selfharm")."""
    required: tuple[frozenset[str], ...] = ()
    """For each word a hit cannot do without, the forms that would place it."""


class _Hit(msgspec.Struct, frozen=True):
    sign: _Sign
    score: float
    start: int
    end: int
    """Text word positions covered, inclusive."""


class SignLexicon:
    """The crisis signs of one knowledge base, indexed for matching.

    Made once per knowledge base; `check` is called on every piece of free text a
    person gives. The sign phrases are normalised and indexed on first use (or by
    `prepare`, which the app calls in the background once its first screen is up), so
    creating a lexicon costs nothing at start-up.
    """

    def __init__(
        self, safeguarding: Safeguarding | None, vocabulary: Vocabulary | None = None
    ) -> None:
        self._safeguarding = safeguarding
        self._vocabulary = vocabulary

    def prepare(self) -> None:
        """Build the sign index now rather than on the first text checked."""
        _ = (self._lexicon, self._welsh_lexicon, self._unspaced)

    @cached_property
    def _unspaced(self) -> _UnspacedSigns:
        """The signs written in a script without spaces between words (Chinese, Japanese)."""
        return _UnspacedSigns(self._signs, self._not_crisis)

    @cached_property
    def _signs(self) -> tuple[_Sign, ...]:
        return tuple(_signs_of(self._safeguarding, _plain_words))

    @cached_property
    def _lexicon(self) -> _Lexicon:
        """The signs as written, for every text."""
        return _Lexicon(self._signs, self._not_crisis, self._filler_phrases, _plain_words)

    @cached_property
    def _welsh_lexicon(self) -> _Lexicon:
        """Every sign again with its words keyed (`welsh.key`), for text that shows Welsh:
        "yn fy nharo" then finds "yn taro fi" and "dy daro di"."""
        signs = tuple(_signs_of(self._safeguarding, welsh.keyed))
        common = frozenset(welsh.key(word) for word in welsh.COMMON)
        return _Lexicon(signs, self._not_crisis, self._filler_phrases, welsh.keyed, common)

    @property
    def _not_crisis(self) -> Sequence[str]:
        return self._safeguarding.not_crisis if self._safeguarding else []

    @property
    def _filler_phrases(self) -> Sequence[str]:
        return self._vocabulary.filler if self._vocabulary else []

    @property
    def has_signs(self) -> bool:
        return bool(self._signs)

    def check(self, text: str) -> CrisisSign | None:
        """The most serious sign of crisis in `text`, or None.

        When signs of several kinds appear, the kind listed first in the knowledge
        base wins (kinds are listed most serious first); within a kind, the closest
        match. Text that shows Welsh (`welsh.looks_welsh`) is read twice: as
        written, and with every word keyed so that a mutated word meets its sign.
        Both readings run whatever language the conversation is in.
        """
        if not self._signs:
            return None
        hits = self._lexicon.hits(text)
        if _UNSPACED.search(text):
            hits += self._unspaced.hits(text)
        if welsh.looks_welsh(text):
            hits = self._welsh_lexicon.unguarded(hits, text)
            hits += self._welsh_lexicon.hits(text)
        if not hits:
            return None
        best = min(hits, key=lambda hit: (hit.sign.seriousness, -hit.score))
        return CrisisSign(best.sign.kind_id, best.sign.phrase, round(best.score, 1))


class SignLexiconLine:
    """The first safety line: the knowledge base's sign phrases. Fast, exact, never
    skipped; it reads every language the same way (Welsh also keyed, see `check`)."""

    name = "sign"

    def __init__(self, signs: SignLexicon) -> None:
        self.signs = signs

    def assess(
        self, text: str, language: LanguageGuess | None = None, *, check_in: bool = True
    ) -> SafetyVerdict | None:
        """The verdict of the sign found in `text`, with the phrase it leaned on; None
        when there is none. `language` and `check_in` change nothing for this line."""
        sign = self.signs.check(text)
        if sign is None:
            return None
        nearest = (Nearest(sign.phrase, round(sign.score / 100, 3)),)
        return SafetyVerdict(sign.kind_id, "sign", phrase=sign.phrase, nearest=nearest)


def _plain_words(text: str) -> list[str]:
    return normalise(text).split()


class _Lexicon:
    """The signs, their not-crisis guards and the filler words, all read one way
    (`read`: plain normalised words, or Welsh keyed words), indexed for matching."""

    def __init__(
        self,
        signs: tuple[_Sign, ...],
        not_crisis: Sequence[str],
        filler: Sequence[str],
        read: Callable[[str], list[str]],
        common: frozenset[str] = frozenset(),
    ) -> None:
        self._signs = signs
        self._read = read
        self._forms = _SignForms(signs, common)
        self._kind_stems = _kind_stems(signs)
        self._guards = tuple(tuple(words) for phrase in not_crisis if (words := read(phrase)))
        self._filler = frozenset(word for phrase in filler for word in read(phrase))

    def hits(self, text: str) -> list[_Hit]:
        """Every sign found in `text` and not inside a not-crisis phrase."""
        words = self._read(text)
        if not words or not self._signs:
            return []
        hits = list(self._all_hits(words))
        if hits:
            spans = self._guard_spans(words)
            hits = [hit for hit in hits if not _inside(hit, spans)]
        return hits

    def unguarded(self, hits: Sequence[_Hit], text: str) -> list[_Hit]:
        """`hits` from another reading of `text`, less those whose sign, read this way, lies
        inside an ordinary phrase found in the text read this way: a Welsh guard written
        "ar ol ysgol" silences the plain reading of "ar ôl ysgol" too."""
        if not hits:
            return []
        words = self._read(text)
        present = set(words)
        found = [
            guard
            for guard in self._guards
            if not present.isdisjoint(guard) and any(True for _ in _occurrences(guard, words))
        ]
        return [
            hit for hit in hits if not any(_within(self._read(hit.sign.phrase), g) for g in found)
        ]

    def _all_hits(self, words: Sequence[str]) -> Iterable[_Hit]:
        similarity = _SimilarityTable(words, self._forms)
        found = similarity.found_forms
        for sign in self._forms.signs_touched(found):
            yield from _joined_hits(sign, words, similarity)
            if any(group.isdisjoint(found) for group in sign.required):
                continue  # a word it cannot do without is missing: no need to align
            kind_stems = self._kind_stems[sign.kind_id]
            yield from _aligned_hits(sign, words, similarity, self._filler, kind_stems)

    def _guard_spans(self, words: Sequence[str]) -> list[tuple[int, int]]:
        """(first, last) word positions of each ordinary phrase from `not_crisis` in the text."""
        present = set(words)
        return [
            (start, start + len(guard) - 1)
            for guard in self._guards
            if any(word in present for word in guard)
            for start in _occurrences(guard, words)
        ]


class _UnspacedSigns:
    """Signs written in Chinese (or Japanese), found as a run of characters inside the text.

    Chinese puts no spaces between words, so a whole message is one "word" to the word
    matcher and "我想死" could never be found in "我真的想死". Here a sign matches where its
    characters appear side by side, spaces ignored; no typos are allowed (one character is
    a whole word). A `not_crisis` phrase in these scripts silences a sign only when the whole
    sign lies inside it, as for English (`_inside`): "我想死你了" (I miss you so) holds "我想死".
    Session 11 review: silencing a sign a guard merely overlapped let a guard written for
    one idiom silence real disclosures ("我想死你们别来找我", I want to die, don't look for
    me, overlaps the guard "想死你"), so where a sign and an idiom overlap the sign stands.
    """

    def __init__(self, signs: Sequence[_Sign], not_crisis: Sequence[str]) -> None:
        self._signs = [
            (sign, _unspaced(sign.phrase)) for sign in signs if _UNSPACED.search(sign.phrase)
        ]
        self._guards = [_unspaced(phrase) for phrase in not_crisis if _UNSPACED.search(phrase)]

    def hits(self, text: str) -> list[_Hit]:
        """Every sign found in `text` as a run of characters, outside any ordinary phrase."""
        joined = _unspaced(text)
        spans = [
            (start, start + len(guard) - 1)
            for guard in self._guards
            for start in _find_all(guard, joined)
        ]
        found = []
        for sign, key in self._signs:
            for start in _find_all(key, joined):
                hit = _Hit(sign, 100.0, start, start + len(key) - 1)
                if not _inside(hit, spans):
                    found.append(hit)
        return found


def _unspaced(text: str) -> str:
    return normalise(text).replace(" ", "")


def _find_all(part: str, text: str) -> Iterable[int]:
    """Every start position of `part` in `text`, overlapping ones too."""
    start = text.find(part)
    while start >= 0:
        yield start
        start = text.find(part, start + 1)


def _within(sign: Sequence[str], guard: Sequence[str]) -> bool:
    """True when the sign's words appear in the guard, in order, side by side."""
    size = len(sign)
    return any(
        all(same_word_form(guard[start + i], sign[i]) for i in range(size))
        for start in range(len(guard) - size + 1)
    )


def _inside(hit: _Hit, spans: Iterable[tuple[int, int]]) -> bool:
    """True when the whole hit lies inside one ordinary phrase."""
    return any(first <= hit.start and hit.end <= last for first, last in spans)


def _signs_of(
    safeguarding: Safeguarding | None, read: Callable[[str], list[str]]
) -> Iterable[_Sign]:
    if safeguarding is None:
        return
    for seriousness, kind in enumerate(safeguarding.kinds):
        for phrase in kind.signs:
            words = tuple(read(phrase))
            if words:
                yield _Sign(kind.id, seriousness, phrase, words, "".join(words), _required(words))


def _kind_stems(signs: Iterable[_Sign]) -> dict[str, frozenset[str]]:
    """Forms of the content words of each kind's signs, for one word standing in for another."""
    found: dict[str, set[str]] = {}
    for sign in signs:
        kind = found.setdefault(sign.kind_id, set())
        for word in sign.words:
            if len(word) > _SUBSTITUTE_LENGTH:
                kind.update(stems(word))
    return {kind: frozenset(words) for kind, words in found.items()}


def _is_light(word: str) -> bool:
    return len(word) <= LIGHT_WORD_LENGTH


@lru_cache(maxsize=65_536)
def word_similarity(text_word: str, sign_word: str) -> float:
    """How far `text_word` can stand for `sign_word`: 1.0 the same, 0 not at all.

    Typos are allowed in proportion to the sign word's length: none in three
    letters ("die" is not "diet"), only a doubled letter typed once or a letter
    doubled in four ("kil", "killl", but "his" is not "hits"), one slip of any
    kind after the first letter from five ("sucide", but "eating" is not
    "beating"), two anywhere from eight.
    Each form of the text word ("kiling" -> "kil") is tried, so a typo and an
    ending together still match.
    """
    if text_word == sign_word:
        return 1.0
    if _is_light(sign_word):
        return 0.0
    if same_word_form(text_word, sign_word):
        return _SAME_WORD
    best = 0.0
    for form in stems(text_word):
        if len(form) < MIN_STEM or abs(len(form) - len(sign_word)) > 2:
            continue
        best = max(best, _typo_similarity(form, sign_word))
    return best


_TYPO_ANY_LETTER = 8
"""Sign words this long may have a slip in the first letter too."""
_MAX_LENGTH_GAP = 2
_MAX_JOINED_WORDS = 3
"""Signs up to this many words are also looked for typed as one word ("selfharm", "kms")."""


def _typo_similarity(form: str, sign_word: str) -> float:
    import rapidfuzz  # here, not on top: start-up time (the package, see engine/matching.py)

    Levenshtein, OSA = rapidfuzz.distance.Levenshtein, rapidfuzz.distance.OSA

    length = len(sign_word)
    if length >= _TYPO_ANY_LETTER and Levenshtein.distance(form, sign_word, score_cutoff=2) <= 2:
        return 0.85 if Levenshtein.distance(form, sign_word) == 2 else 0.9
    if length >= 5 and form[0] == sign_word[0] and OSA.distance(form, sign_word) <= 1:
        return 0.9
    if length == 4 and _squeezed(form) == _squeezed(sign_word):
        return 0.9
    return 0.0


def _squeezed(word: str) -> str:
    """The word with doubled letters made single: "kill" and "kil" both give "kil"."""
    return "".join(letter for letter, _run in itertools.groupby(word))


_KNOWN_WORDS = 50_000
"""Words (and pairs) whose sign forms a detector remembers: a few MB at most."""


class _SignForms:
    """Every string a text word may be compared with: sign words, and pairs and whole signs
    written as one word ("myself", "selfharm"), indexed so that a text word is compared
    only with the few forms that could match it."""

    def __init__(self, signs: Sequence[_Sign], common: frozenset[str] = frozenset()) -> None:
        """`common`: words too frequent to look a sign up by, when it has another."""
        self._by_form: dict[str, list[_Sign]] = defaultdict(list)
        for sign in signs:
            for form in _anchors(sign, common):
                self._by_form[form].append(sign)
        words = {word for sign in signs for word in sign.words}
        forms = words | set(self._by_form)
        self._exact = frozenset(forms)
        self._by_stem: dict[str, set[str]] = defaultdict(set)
        for form in forms:
            for stem in stems(form):
                self._by_stem[stem].add(form)
        # Slips of the keyboard are looked for in sign words only: words joined or split
        # must be spelt right, so joined forms are found by their spelling and forms alone.
        self._by_first: dict[tuple[str, int], set[str]] = defaultdict(set)
        self._by_length: dict[int, set[str]] = defaultdict(set)
        for word in words:
            if len(word) >= _TYPO_ANY_LETTER:
                self._by_length[len(word)].add(word)
            elif not _is_light(word):
                self._by_first[(word[0], len(word))].add(word)
        self._known: dict[tuple[str, bool], Mapping[str, float]] = {}
        """What each word typed before was found to stand for: the same words come back in
        message after message ("my", "dad", "hitting"), and working it out is most of the
        sign line's time. Bounded by `_KNOWN_WORDS`; the answers never change."""

    def matches(self, text_form: str, *, slips: bool = True) -> Mapping[str, float]:
        """Sign forms `text_form` may stand for, with their similarity (read only).

        Without `slips` (for two text words read as one), only the same word or
        another form of it counts.
        """
        key = (text_form, slips)
        if (known := self._known.get(key)) is not None:
            return known
        if len(self._known) >= _KNOWN_WORDS:
            self._known.clear()
        found = self._known[key] = self._worked_out(text_form, slips=slips)
        return found

    def _worked_out(self, text_form: str, *, slips: bool) -> dict[str, float]:
        candidates = {form for stem in stems(text_form) for form in self._by_stem.get(stem, ())}
        if text_form in self._exact:
            candidates.add(text_form)
        if slips:
            shortest = len(text_form) - _MAX_LENGTH_GAP
            for length in range(shortest, len(text_form) + _MAX_LENGTH_GAP + 1):
                candidates.update(self._by_first.get((text_form[0], length), ()))
                candidates.update(self._by_length.get(length, ()))
        found = {}
        for form in candidates:
            similarity = word_similarity(text_form, form)
            if similarity:
                found[form] = similarity
        return found

    def signs_touched(self, forms: Iterable[str]) -> list[_Sign]:
        """Signs with a content word (or a joined form) among `forms`, in their order."""
        touched = {id(sign): sign for form in forms for sign in self._by_form.get(form, ())}
        return sorted(touched.values(), key=lambda sign: (sign.seriousness, sign.phrase))


def _required(words: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    """The words of a sign every hit must find, each with the joins that could stand for it.

    Content words cannot be left out or stood in for, except the last word of a
    sign that may swap it for another word of its kind. So if any of these is
    missing from a text, the sign cannot be there, and nothing more is tried.
    """
    all_light = all(_is_light(word) for word in words)
    may_swap = len(words) >= _MIN_WORDS_FOR_SWAP
    last = len(words) - 1
    groups = []
    for index, word in enumerate(words):
        if (_is_light(word) and not all_light) or (may_swap and index == last):
            continue
        forms = {word}
        if index > 0:
            forms.add(words[index - 1] + word)
        if index < last:
            forms.add(word + words[index + 1])
        groups.append(frozenset(forms))
    return tuple(groups)


def _anchors(sign: _Sign, common: frozenset[str] = frozenset()) -> set[str]:
    """Forms of a sign that a hit must include at least one of: every hit needs a real
    content-word match, so a sign none of whose anchors are in the text cannot match.
    Words in `common` ("mae", "dwi" in Welsh) anchor only a sign with no other."""
    content = [word for word in sign.words if not _is_light(word)] or list(sign.words)
    content = [word for word in content if word not in common] or content
    joins = {first + second for first, second in itertools.pairwise(sign.words)}
    whole = {sign.joined} if len(sign.words) <= _MAX_JOINED_WORDS else set()
    return {*content, *joins, *whole}


class _SimilarityTable:
    """Similarities between the words of one text and the sign forms, worked out once."""

    def __init__(self, words: Sequence[str], forms: _SignForms) -> None:
        self._words = words
        self.words = words
        pairs = [first + second for first, second in itertools.pairwise(words)]
        self._table = {word: forms.matches(word) for word in set(words) if word}
        for pair in set(pairs) - self._table.keys():
            self._table[pair] = forms.matches(pair, slips=False)
        self.positions: dict[str, list[int]] = defaultdict(list)
        """Sign form -> text positions where the word, or the pair starting there, matches it."""
        for position, word in enumerate(words):
            found = set(self._table[word]) if word else set()
            if position < len(pairs):
                found.update(self._table[pairs[position]])
            for form in found:
                self.positions[form].append(position)

    @property
    def found_forms(self) -> set[str]:
        return set(self.positions)

    def __call__(self, position: int, sign_word: str) -> float:
        return self.of(self._words[position], sign_word)

    def of(self, word: str, sign_form: str) -> float:
        matches = self._table.get(word)
        return matches.get(sign_form, 0.0) if matches else 0.0


def _joined_hits(sign: _Sign, words: Sequence[str], similarity: _SimilarityTable) -> Iterable[_Hit]:
    """A sign of several words typed as one ("selfharm")."""
    if not 2 <= len(sign.words) <= _MAX_JOINED_WORDS:
        return
    for position in similarity.positions.get(sign.joined, ()):
        found = similarity.of(words[position], sign.joined)
        if found:
            yield _Hit(sign, found * 100, position, position)


def _aligned_hits(
    sign: _Sign,
    words: Sequence[str],
    similarity: _SimilarityTable,
    filler: frozenset[str],
    kind_stems: frozenset[str],
) -> Iterable[_Hit]:
    """Every place the sign's words appear in order, with few other words between."""
    content = [word for word in sign.words if not _is_light(word)]
    if not content:
        content = list(sign.words)
    may_skip = len(content) >= 2 and sum(map(len, content)) >= _MIN_CONTENT_FOR_SKIP
    may_swap = len(sign.words) >= _MIN_WORDS_FOR_SWAP and len(content) >= 2
    aligner = _Aligner(sign.words, words, similarity, filler, kind_stems)
    for start in _possible_starts(sign, similarity):
        found = aligner.from_start(start, may_skip, may_swap, _gaps_for(sign))
        if found is None:
            continue
        score = found.total / len(sign.words) * 100
        real = found.real >= 1 and (not found.swapped or found.strong >= _REAL_FOR_SWAP)
        if real and score >= MIN_SCORE:
            yield _Hit(sign, score, start, found.last)


def _possible_starts(sign: _Sign, similarity: _SimilarityTable) -> list[int]:
    """Text positions where this sign could begin: a little before the rarest word it
    cannot do without. None when one of those words is not in the text at all."""
    reach = len(sign.words) + _gaps_for(sign) + _FILLER_ALLOWANCE
    rarest: set[int] | None = None
    for forms in sign.required:
        positions = {p for form in forms for p in similarity.positions.get(form, ())}
        if not positions:
            return []
        if rarest is None or len(positions) < len(rarest):
            rarest = positions
    if rarest is None:
        rarest = set(range(len(similarity.words)))
    starts = {start for p in rarest for start in range(max(0, p - reach), p + 1)}
    return sorted(starts)


class _Placement(msgspec.Struct, frozen=True):
    """Where the rest of a sign's words fell in the text, and how well."""

    total: float
    """Similarity added up over the sign words placed."""
    last: int
    """The last text position used."""
    real: int = 0
    """Content words of the sign that truly matched (not stand-ins)."""
    swapped: bool = False
    """Whether a word was stood in for by another word of the same kind of crisis."""
    strong: int = 0
    """Real matches of sign words of four letters or more ("took", "many", not "for")."""

    def after(
        self, found: float, real: bool, *, strong: bool = False, swapped: bool = False
    ) -> _Placement:
        return _Placement(
            self.total + found,
            self.last,
            self.real + real,
            self.swapped or swapped,
            self.strong + (real and strong),
        )

    @property
    def rank(self) -> tuple[int, bool, float]:
        return min(self.real, 2), not self.swapped, self.total


_FILLER_ALLOWANCE = 3
"""Filler words are free inside a sign, but only this many: the search stays short."""

_MIN_WORDS_FOR_SWAP = 3
_REAL_FOR_SWAP = 2
_STRONG_LENGTH = 4
_SWAP_SIMILARITY = 0.6
"""A sign of three or more words may have its last word stood in for by another word from
the same kind's signs ("took too many tablets" for "took too many pills"
when "take all my tablets" is also a sign), as long as two other content words truly match,
nothing is left out, and no other word comes between."""


class _Aligner:
    """Finds the best in-order placement of a sign's words from each text position.

    Results for each (sign word, text position, gaps left, skip left, swap left)
    are kept, so a long text costs time in proportion to its length, whatever
    it holds.
    """

    def __init__(
        self,
        sign_words: Sequence[str],
        words: Sequence[str],
        similarity: _SimilarityTable,
        filler: frozenset[str],
        kind_stems: frozenset[str],
    ) -> None:
        self._sign = sign_words
        self._words = words
        self._similarity = similarity
        self._filler = filler
        self._kind_stems = kind_stems
        all_light = all(_is_light(word) for word in sign_words)
        self._light = tuple(_is_light(word) and not all_light for word in sign_words)
        self._memo: dict[tuple[int, int, int, bool, bool], _Placement | None] = {}

    def _match(self, position: int, index: int) -> tuple[float, bool]:
        """Similarity of text word `position` to sign word `index`, and whether it is real.

        Real means a content word of the sign truly matched. A linking word may
        be stood in for by a near spelling ("mi" for "me") or a digit ("2" for
        "to"), which is not real: every hit needs a real match.
        """
        sign_word = self._sign[index]
        found = self._similarity(position, sign_word)
        if found:
            return found, not self._light[index]
        if self._light[index] and _stands_in_for(self._words[position], sign_word):
            return _SUBSTITUTE_SIMILARITY, False
        return 0.0, False

    def _swap(self, position: int, index: int) -> bool:
        """True when text word `position` may stand in for content word `index` of the sign."""
        if self._light[index]:
            return False
        word = self._words[position]
        return len(word) > _SUBSTITUTE_LENGTH and not stems(word).isdisjoint(self._kind_stems)

    def from_start(
        self, start: int, may_skip: bool, may_swap: bool, gaps: int
    ) -> _Placement | None:
        """The best placement with the sign's first word at `start`.

        A leading linking word may also be left out, so "want to die" still finds
        the sign "i want to die".
        """
        best = self._place(0, start, gaps, may_skip, may_swap, first=True)
        if may_skip and self._light[0] and len(self._sign) > 1:
            skipped = self._place(1, start, gaps, False, False, first=True)
            if skipped is not None:
                best = _better(best, skipped.after(_SKIP_SIMILARITY, False))
        return best

    def _rest(
        self, index: int, position: int, gaps: int, may_skip: bool, may_swap: bool
    ) -> _Placement | None:
        """The best placement of sign words from `index` on, starting at text `position`."""
        if index == len(self._sign):
            return _Placement(0.0, position - 1)
        key = (index, position, gaps, may_skip, may_swap)
        if key in self._memo:
            return self._memo[key]
        best: _Placement | None = None
        if may_skip and self._light[index]:
            rest = self._rest(index + 1, position, gaps, False, False)
            if rest is not None:
                best = rest.after(_SKIP_SIMILARITY, False)
        best = _better(best, self._place(index, position, gaps, may_skip, may_swap))
        self._memo[key] = best
        return best

    def _place(
        self,
        index: int,
        position: int,
        gaps: int,
        may_skip: bool,
        may_swap: bool,
        *,
        first: bool = False,
    ) -> _Placement | None:
        """Sign word `index` at `position` or (unless it is the first) a little later."""
        best: _Placement | None = None
        spent = free = 0
        last = position + 1 if first else len(self._words)
        for candidate in range(position, min(last, len(self._words))):
            for found, real, next_index, next_position in self._steps(candidate, index):
                rest = self._rest(next_index, next_position, gaps - spent, may_skip, may_swap)
                if rest is not None:
                    strong = len(self._sign[index]) >= _STRONG_LENGTH
                    best = _better(best, rest.after(found, real, strong=strong))
            # A stand-in must follow the sign's other words directly (filler aside): "took
            # too many of my tablets", not "dont want to manage the money myself".
            swap_here = may_swap and not spent and index == len(self._sign) - 1
            if swap_here and self._swap(candidate, index):
                rest = self._rest(index + 1, candidate + 1, gaps - spent, False, False)
                if rest is not None:
                    best = _better(best, rest.after(_SWAP_SIMILARITY, False, swapped=True))
            if self._words[candidate] in self._filler and free < _FILLER_ALLOWANCE:
                free += 1
            else:
                spent += 1
                if spent > gaps:
                    break
        return best

    def _steps(self, position: int, index: int) -> Iterable[tuple[float, bool, int, int]]:
        """Ways to place sign word `index` at text word `position`.

        One word for one word; or two text words for one sign word ("any more" for
        "anymore", "my self" for "myself"); or one text word for two sign words.
        Words split or joined must then be spelt right (or be another form): a
        slip on top of a join is a guess ("over more" is not "overdose").
        Each is (similarity, real, next sign word, next text position).
        """
        found, real = self._match(position, index)
        if found:
            yield found, real, index + 1, position + 1
        if position + 1 < len(self._words) and not self._light[index]:
            pair = self._words[position] + self._words[position + 1]
            found = self._similarity.of(pair, self._sign[index])
            if found >= _SAME_WORD:
                yield found, True, index + 1, position + 2
        if index + 1 < len(self._sign):
            found = self._similarity.of(
                self._words[position], self._sign[index] + self._sign[index + 1]
            )
            if found >= _SAME_WORD:
                yield 2 * found, True, index + 2, position + 1


def _gaps_for(sign: _Sign) -> int:
    return MAX_GAP if len(sign.words) > SHORT_SIGN else 1


_DIGIT_SOUNDS = {"2": ("to", "too"), "4": ("for",), "8": ("ate",)}
"""Digits typed for the words they sound like, in text-speak."""


def _stands_in_for(text_word: str, sign_word: str) -> bool:
    """Text-speak for a linking word: a digit that sounds like it ("2" for "to") or a near
    spelling ("mi", "t").

    The first letter must agree: "he" for "me" is another person, not a slip. A digit
    stands only for the word it sounds like: in "had a heart attack 5 years ago" the
    "5" is a number, not "me" (it made "attacking me").
    """
    import rapidfuzz  # here, not on top: start-up time (the package, see engine/matching.py)

    Levenshtein = rapidfuzz.distance.Levenshtein

    if text_word.isdigit():
        return sign_word in _DIGIT_SOUNDS.get(text_word, ())
    return (
        len(text_word) <= _SUBSTITUTE_LENGTH
        and text_word[0] == sign_word[0]
        and Levenshtein.distance(text_word, sign_word, score_cutoff=1) <= 1
    )


def _better(first: _Placement | None, second: _Placement | None) -> _Placement | None:
    if first is None:
        return second
    if second is None:
        return first
    return max(first, second, key=lambda placement: placement.rank)


def _occurrences(guard: Sequence[str], words: Sequence[str]) -> Iterable[int]:
    """Start positions where the guard phrase appears word for word (endings may differ)."""
    length = len(guard)
    for start in range(len(words) - length + 1):
        if all(same_word_form(words[start + i], guard[i]) for i in range(length)):
            yield start
