"""Understanding what a person needs from their own words.

Residents write "our kid needs help wiv his speech", "carers allowence", "cant
afford the gas". Whole-phrase fuzzy scores do poorly on such text: a short
request is a subset of many long phrases, and a pasted paragraph resembles
nothing. So matching works word by word, like a search engine (BM25F) that
forgives spelling:

1. Each topic is read as one document with fields: its title, keywords,
   example phrasings and summary, and, more lightly, the council's own words
   in its questions and services. A word counts for a topic by the fields it
   appears in and how often (saturating), and by how few topics use it at all
   (inverse document frequency: "speech" points somewhere, "help" points
   everywhere). All forms of a word ("worried", "worries", "worrying") are
   counted together.
2. Each word the person typed is matched to index words exactly, by another
   form of the same word ("forgetting"/"forget"), by a slip of the keyboard
   (`rapidfuzz.process.extract` with an edit distance, "allowence"/"allowance")
   when the word is unknown, or by a shared beginning ("disabled"/"disability").
3. A topic's evidence is the sum, over the person's words, of its best match,
   plus a little for two words side by side as the knowledge base has them
   ("blue badge"), or for a title or keyword of one word and filler words typed
   whole ("help at home", which without its filler is only "home"). The score
   (0-100) grows with the evidence and is reduced when the topic explains only
   a small part of what was typed, which is what
   keeps "book a driving test" out of a topic that mentions tests.

Words come from the knowledge base, and the words to ignore from its
`vocabulary` (filler such as "please" or "hiya"). Nothing here lists words.

rapidfuzz is imported where it is used, not at the top: the first question
needs none of it (start-up time). Each such place imports the package itself
(`import rapidfuzz`), never a submodule: a submodule imported first from two
threads at once can meet the package half built.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Literal

import msgspec

from navigator.engine.textnorm import Readings, normalise, word_forms
from navigator.kb.knowledge import KnowledgeBase
from navigator.kb.model import Question, Text, Topic, Vocabulary

# --- Tuning -------------------------------------------------------------------------
# Chosen on the labelled phrasings in tests/data/phrasings.yaml; see docs/performance.md.

FIELD_WEIGHTS: dict[str, float] = {
    "title": 3.0,
    "keywords": 2.0,
    "examples": 1.5,
    "summary": 1.0,
    "body": 0.3,
}
"""How much one use of a word says about a topic, by the field it is in."""

SATURATION = 1.2
"""BM25's k1: how quickly more uses of a word stop adding evidence."""
LENGTH_EFFECT = 0.3
"""BM25's b: how much a topic with a lot of text is discounted for it."""
EVIDENCE_SCALE = 0.7
BODY_ONLY_CAP = 0.15
"""A word only the topic's questions and services use is weak evidence, however often."""
BEST_SATURATED = 0.8
"""A topic whose title, keywords and examples all use a word counts as one whole document."""
"""Score = 100 * (1 - exp(-evidence / EVIDENCE_SCALE)) * coverage ** COVERAGE_POWER."""
COVERAGE_POWER = 0.5
BIGRAM_WEIGHT = 0.5
"""Extra evidence for two words matched side by side, as a share of a single word's."""
PHRASE_FIELDS = frozenset({"title", "keywords"})
"""Fields whose phrases also count whole, filler words included (see `_Index.phrases`)."""
PHRASE_SHARE = 0.5
"""...when the phrase's own words are at least this share of the words that count in the
message: "help at home" or "home help for my dad" is the phrase; in a longer story
("i cant cope on my own no more") its other words speak for themselves."""

UNKNOWN_IMPORTANCE = 0.8
"""How much a word the knowledge base never uses counts against coverage (0-1)."""
UNKNOWN_SHORT_IMPORTANCE = 0.15
"""...and a short unknown word ("wiv", "ur", "pls"), which is usually text-speak."""

STEM_SIMILARITY = 0.9
TYPO_SIMILARITY = 0.85
TYPO_PENALTY = 0.1
"""Similarity lost for each slip after the first."""
TYPO_ANY_LETTER = 7
"""Words this long may have a slip in the first letter too."""
PREFIX_SIMILARITY = 0.8
PREFIX_LENGTH = 6
"""Words sharing this many first letters, differing only near the end, are related."""
MAX_QUERY_WORDS = 60
"""Words of a long message that are read; a pasted letter costs no more than a paragraph."""
MAX_TERM_MATCHES = 6
"""Slips of the keyboard considered for one typed word."""
MAX_WORD_TERMS = 12
"""Index terms one typed word may stand for, with its other spellings and related words."""
RELATED_SIMILARITY = 0.8
"""A related everyday word ("forgetful" for "memory") counts this much of the word itself."""

GO_SCORE = 55.0
"""A top score at least this high, clearly ahead of the next, goes straight to the topic."""
CLEAR_LEAD = 12.0
CHOOSE_SCORE = 36.0
"""Below this nothing is a confident match: say so kindly and offer the topic list."""
CLOSE_TO_TOP = 20.0
"""Topics within this of the top score are offered together as choices."""
MAX_CHOICES = 4


def typo_allowance(word: str) -> tuple[Callable[..., Any], int] | None:
    """How many slips a typed word may have and still stand for an index word.

    None for words of three letters or fewer: "gas" and "gap" are different
    words, and a fuzzy match would be a guess. Four-letter words may lose or
    gain a letter ("bils") but not swap one ("rent" is not "bent"); longer words
    may have one slip of any kind, including two letters swapped ("freind"),
    and words of eight letters or more two ("excersise").
    """
    import rapidfuzz  # here, not on top: start-up time (the package, see module docstring)

    length = len(word)
    if length <= 3:
        return None
    if length == 4:
        return rapidfuzz.distance.Indel.distance, 1
    if length < 8:
        return rapidfuzz.distance.OSA.distance, 1
    return rapidfuzz.distance.OSA.distance, 2


# --- Results ------------------------------------------------------------------------


class TopicScore(msgspec.Struct, frozen=True):
    topic_id: str
    need_id: str
    score: float
    """0-100: how well the topic fits the text."""


class TopicDecision(msgspec.Struct, frozen=True):
    """What to do with a piece of free text.

    `go`: one topic clearly ahead (`candidates[0]`); `choose`: several close,
    offer 2-4 as choices; `none`: nothing good enough, offer the topic list.
    """

    kind: Literal["go", "choose", "none"]
    candidates: tuple[TopicScore, ...] = ()
    two_needs: bool = False
    """`choose` only: the text tells of two needs ("lost my job and the landlord wants us
    out") and the first two candidates are one for each, both clearly fitting: offer both."""

    @property
    def best(self) -> TopicScore | None:
        return self.candidates[0] if self.candidates else None


# --- The index ----------------------------------------------------------------------


class TopicText(msgspec.Struct, frozen=True):
    """Everything the index reads about one topic."""

    topic: Topic
    summary: tuple[str, ...] = ()
    """More summary, such as the need category's title and description."""
    body: tuple[str, ...] = ()
    """The council's own words in the topic's questions and services, one text each."""


class _TermEntry(msgspec.Struct):
    frequency: dict[int, float] = msgspec.field(default_factory=dict)
    """Topic position -> weighted uses: each phrase using the word adds its field's weight."""
    body: dict[int, float] = msgspec.field(default_factory=dict)
    """The same for the topic's questions and services."""
    saturated: dict[int, float] = msgspec.field(default_factory=dict)
    """Topic position -> BM25 term weight of all forms of the word, 0 to 1."""
    idf: float = 0.0
    """Of all forms of the word together, 0 to 1."""


class _WordMatch(msgspec.Struct, frozen=True):
    """One typed word and the index terms it may stand for."""

    word: str
    terms: tuple[tuple[int, float, float], ...]
    """(term id, similarity 0-1, idf to use for this word)."""
    importance: float
    """How much this word matters in what was typed, 0-1."""


class _Index:
    """Terms of every topic, built once per knowledge base."""

    def __init__(self, texts: Sequence[TopicText], readings: Readings) -> None:
        self.topics = tuple(text.topic for text in texts)
        self.readings = readings
        self.filler = readings.filler
        self.terms: list[str] = []
        self.term_ids: dict[str, int] = {}
        self.entries: list[_TermEntry] = []
        self.bigrams: dict[tuple[int, int], dict[int, float]] = defaultdict(dict)
        self.phrases: dict[tuple[str, ...], dict[int, float]] = defaultdict(dict)
        """A title or keyword of one word and filler words ("help at home", "early help"),
        word for word -> topic position -> field weight. Read without its filler words it
        is one common word ("home"), with no second word to pair with (`bigrams`); typed
        whole, it says what content staff wrote it for."""
        lengths = [
            sum(self._add(position, name, phrases) for name, phrases in _fields(text))
            for position, text in enumerate(texts)
        ]
        self.by_stem: dict[str, list[int]] = defaultdict(list)
        self.by_prefix: dict[str, list[int]] = defaultdict(list)
        self.by_shape: dict[tuple[str, int], list[int]] = defaultdict(list)
        """(first letter, length) -> terms, so a slip is looked for among likely words only."""
        self.by_length: dict[int, list[int]] = defaultdict(list)
        for term_id, term in enumerate(self.terms):
            for stem in word_forms(term):
                self.by_stem[stem].append(term_id)
            if len(term) >= PREFIX_LENGTH:
                self.by_prefix[term[:PREFIX_LENGTH]].append(term_id)
            self.by_shape[(term[0], len(term))].append(term_id)
            self.by_length[len(term)].append(term_id)
        self._weigh_terms(lengths)
        count = len(self.topics)
        self.bigram_idf = {
            pair: _idf(len(weights), count) for pair, weights in self.bigrams.items()
        }
        self.phrase_idf = {
            phrase: _idf(len(weights), count) for phrase, weights in self.phrases.items()
        }
        self.phrase_lengths = sorted({len(phrase) for phrase in self.phrases})

    def _add(self, position: int, field_name: str, phrases: Iterable[str]) -> float:
        """Index one field of a topic; returns its weighted length."""
        weight = FIELD_WEIGHTS[field_name]
        length = 0.0
        for phrase in phrases:
            every = normalise(phrase).split()
            words = [word for word in every if word not in self.filler]
            if field_name in PHRASE_FIELDS and len(words) == 1 < len(every):
                whole = self.phrases[tuple(every)]
                whole[position] = max(whole.get(position, 0.0), weight)
            length += weight
            for word in set(words):
                entry = self.entries[self._term_id(word)]
                uses = entry.body if field_name == "body" else entry.frequency
                uses[position] = uses.get(position, 0.0) + weight
            if field_name != "body":
                for first, second in itertools.pairwise(words):
                    pair = self.bigrams[(self.term_ids[first], self.term_ids[second])]
                    pair[position] = max(pair.get(position, 0.0), weight)
        return length

    def _weigh_terms(self, lengths: Sequence[float]) -> None:
        """Each term's idf and per-topic weight, counting all forms of the word together.

        "worried", "worrying" and "worries" are one word to a person, so they
        share one document frequency (else the rarest form would look telling)
        and their uses in a topic add up. So do other spellings of it from the
        vocabulary ("cant" and "cannot", "mam" and "mum").
        """
        count = len(self.topics)
        average = sum(lengths) / count if count else 1.0
        norms = [1 - LENGTH_EFFECT + LENGTH_EFFECT * length / average for length in lengths]
        for term_id, term in enumerate(self.terms):
            family = self._family(term)
            named: dict[int, float] = defaultdict(float)
            mentioned: dict[int, float] = defaultdict(float)
            for other in family | {term_id}:
                for position, used in self.entries[other].frequency.items():
                    named[position] += used
                for position, used in self.entries[other].body.items():
                    mentioned[position] += used
            entry = self.entries[term_id]
            for position in named.keys() | mentioned.keys():
                frequency = (named[position] + mentioned[position]) / norms[position]
                saturated = frequency / (frequency + SATURATION)
                if not named[position]:
                    saturated = min(saturated, BODY_ONLY_CAP)
                entry.saturated[position] = saturated
            # A topic that only mentions a word in passing counts as part of a document.
            entry.idf = _idf(sum(entry.saturated.values()) / BEST_SATURATED, count)

    def _family(self, term: str) -> set[int]:
        """Terms that are forms or other spellings of `term`."""
        spellings = {term, *self.readings.other_spellings(term)}
        return {
            other
            for spelling in spellings
            for stem in word_forms(spelling)
            for other in self.by_stem.get(stem, ())
        }

    def _term_id(self, word: str) -> int:
        term_id = self.term_ids.get(word)
        if term_id is None:
            term_id = len(self.terms)
            self.term_ids[word] = term_id
            self.terms.append(word)
            self.entries.append(_TermEntry())
        return term_id

    def match_word(self, word: str, *, slips: bool = True) -> dict[int, tuple[float, float]]:
        """The index terms a typed word may stand for: term id -> (similarity, idf).

        The word itself or another form of it ("forgetting"/"forget") is taken
        when the index has it. Otherwise a slip of the keyboard is considered
        (unless `slips` is false: a word from the vocabulary is spelt right),
        since the knowledge base never uses the word as typed. Words sharing a
        long beginning are always considered.
        """
        found: dict[int, float] = {}

        def offer(term_id: int, similarity: float) -> None:
            if similarity > found.get(term_id, 0.0):
                found[term_id] = similarity

        exact = self.term_ids.get(word)
        if exact is not None:
            offer(exact, 1.0)
        for stem in word_forms(word):
            for term_id in self.by_stem.get(stem, ()):
                offer(term_id, STEM_SIMILARITY)
        if not found and slips:
            for term_id, count in self._typos(word):
                offer(term_id, TYPO_SIMILARITY - TYPO_PENALTY * (count - 1))
        if len(word) >= PREFIX_LENGTH:
            for term_id in self.by_prefix.get(word[:PREFIX_LENGTH], ()):
                if _shares_beginning(word, self.terms[term_id]):
                    offer(term_id, PREFIX_SIMILARITY)
        # Whatever it matched, a word is no more telling than itself: "health" matching
        # "healthcare" by its beginning says no more than "health".
        cap = self.entries[exact].idf if exact is not None else 1.0
        return {
            term_id: (similarity, min(self.entries[term_id].idf, cap))
            for term_id, similarity in found.items()
        }

    def _typos(self, word: str) -> Iterator[tuple[int, int]]:
        """(term id, slips) of index words `word` may be a mistyping of.

        Short words must keep their first letter: "gone" is not a slip for "one".
        """
        allowance = typo_allowance(word)
        if allowance is None:
            return
        scorer, most = allowance
        lengths = range(len(word) - most, len(word) + most + 1)
        if len(word) >= TYPO_ANY_LETTER:
            ids = [i for n in lengths for i in self.by_length.get(n, ())]
        else:
            ids = [i for n in lengths for i in self.by_shape.get((word[0], n), ())]
        choices = [self.terms[term_id] for term_id in ids]
        import rapidfuzz  # here, not on top: start-up time

        for _term, slips, place in rapidfuzz.process.extract(
            word, choices, scorer=scorer, score_cutoff=most, limit=MAX_TERM_MATCHES
        ):
            yield ids[place], int(slips)


def _fields(text: TopicText) -> Iterable[tuple[str, Sequence[str]]]:
    topic = text.topic
    yield "title", _every(topic.title)
    yield "keywords", topic.keywords
    yield "examples", topic.examples
    yield "summary", [*_every(topic.summary), *text.summary]
    yield "body", text.body


def _idf(document_count: float, total: int) -> float:
    """BM25's inverse document frequency, scaled to 1.0 for a word only one topic uses."""
    if total <= 1:
        return 1.0
    rarest = math.log(1 + (total - 0.5) / 1.5)
    document_count = min(max(document_count, 1.0), total)
    return math.log(1 + (total - document_count + 0.5) / (document_count + 0.5)) / rarest


def _shares_beginning(word: str, term: str) -> bool:
    """True for words that differ only in their last few letters ("disabled"/"disability")."""
    common = 0
    for first, second in zip(word, term, strict=False):
        if first != second:
            break
        common += 1
    return common >= PREFIX_LENGTH and common >= min(len(word), len(term)) - 3


# --- Matching -----------------------------------------------------------------------


class TopicMatcher:
    """Ranks a knowledge base's topics against free text.

    The index is built once, in the constructor; `rank` and `decide` then cost
    a few milliseconds per text even for large knowledge bases (see
    `tests/bench/bench_matching.py`). Word matches are remembered between calls,
    because a person typing sends the same words again with each key.
    """

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self._readings = Readings.of(knowledge.vocabulary)
        self._index = _Index(topic_texts(knowledge), self._readings)
        self._word_cache: dict[str, _WordMatch] = {}

    @classmethod
    def from_topics(
        cls, topics: Iterable[Topic | TopicText], vocabulary: Vocabulary | None = None
    ) -> TopicMatcher:
        """A matcher over bare topics, for benchmarks and tools without a whole knowledge base."""
        texts = [item if isinstance(item, TopicText) else TopicText(item) for item in topics]
        matcher = cls.__new__(cls)
        matcher._readings = Readings.of(vocabulary)
        matcher._index = _Index(texts, matcher._readings)
        matcher._word_cache = {}
        return matcher

    @property
    def topics(self) -> tuple[Topic, ...]:
        """The topics this matcher ranks, in the knowledge base's order."""
        return self._index.topics

    def rank(self, text: str, limit: int = 5) -> list[TopicScore]:
        """Topics that fit `text`, best first, at most `limit`, with scores above zero."""
        matches = self._word_matches(text)
        if not matches or limit <= 0:
            return []
        scores = self._scores(matches, self._phrase_evidence(text, matches))
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
        topics = self._index.topics
        return [
            TopicScore(topics[position].id, topics[position].need, round(score, 1))
            for position, score in ranked
            if round(score, 1) > 0
        ]

    def decide(self, text: str) -> TopicDecision:
        """Go to one topic, offer a few, or say nothing fits."""
        ranked = self.rank(text, limit=MAX_CHOICES + 1)
        if not ranked or ranked[0].score < CHOOSE_SCORE:
            return TopicDecision("none")
        top = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        if top.score >= GO_SCORE and top.score - runner_up >= CLEAR_LEAD:
            return TopicDecision("go", (top,))
        close = [
            scored
            for scored in ranked
            if scored.score >= max(CHOOSE_SCORE, top.score - CLOSE_TO_TOP)
        ]
        if len(close) < 2:
            close = ranked[:2]
        return TopicDecision("choose", tuple(close[:MAX_CHOICES]))

    def _word_matches(self, text: str) -> list[_WordMatch]:
        typed = [word for word in normalise(text).split() if word not in self._index.filler]
        matches: list[_WordMatch] = []
        for word in typed[:MAX_QUERY_WORDS]:
            match = self._word_cache.get(word)
            if match is None:
                match = self._match_word(word)
                if len(self._word_cache) > 10_000:
                    self._word_cache.clear()
                self._word_cache[word] = match
            matches.append(match)
        return matches

    def _match_word(self, word: str) -> _WordMatch:
        """A typed word, with the terms it and its other spellings and related words stand for.

        Another spelling is the same word ("mam" is "mum"); a related word
        ("forgetful" for "memory") counts a little less than the word itself.
        """
        index = self._index
        found = index.match_word(word)
        for other in self._readings.other_spellings(word):
            _merge(found, index.match_word(other, slips=False), 1.0)
        for meant in self._readings.related_words(word):
            _merge(found, index.match_word(meant, slips=False), RELATED_SIMILARITY)
        ranked = sorted(found.items(), key=lambda item: -item[1][0])[:MAX_WORD_TERMS]
        terms = tuple((term_id, similarity, idf) for term_id, (similarity, idf) in ranked)
        if terms:
            importance = max(idf * similarity for _term_id, similarity, idf in terms)
        elif len(word) <= 3 or word.isdigit():
            importance = UNKNOWN_SHORT_IMPORTANCE
        else:
            importance = UNKNOWN_IMPORTANCE
        return _WordMatch(word, terms, importance)

    def _scores(self, matches: Sequence[_WordMatch], phrases: dict[int, float]) -> dict[int, float]:
        index = self._index
        evidence: dict[int, float] = defaultdict(float)
        explained: dict[int, float] = defaultdict(float)
        seen: set[str] = set()
        total_importance = 0.0
        for match in matches:
            if match.word in seen:
                continue
            seen.add(match.word)
            total_importance += match.importance
            best_evidence: dict[int, float] = {}
            best_explained: dict[int, float] = {}
            for term_id, similarity, idf in match.terms:
                for position, weight in index.entries[term_id].saturated.items():
                    value = similarity * weight * idf
                    if value > best_evidence.get(position, 0.0):
                        best_evidence[position] = value
                    value = similarity * weight
                    if value > best_explained.get(position, 0.0):
                        best_explained[position] = value
            for position, value in best_evidence.items():
                evidence[position] += value
            for position, value in best_explained.items():
                explained[position] += value * match.importance
        for position, value in self._bigram_evidence(matches).items():
            evidence[position] += value
        for position, value in phrases.items():
            evidence[position] += value
        if total_importance <= 0:
            return {}
        return {
            position: 100
            * (1 - math.exp(-value / EVIDENCE_SCALE))
            * min(1.0, explained[position] / total_importance) ** COVERAGE_POWER
            for position, value in evidence.items()
        }

    def _phrase_evidence(self, text: str, matches: Sequence[_WordMatch]) -> dict[int, float]:
        """Extra evidence, as for two words side by side, for a title or keyword with filler
        words in it typed word for word, when it is most of the message (`PHRASE_SHARE`):
        "help at home" is more than "home"."""
        index = self._index
        if not index.phrases:
            return {}
        counted = {match.word for match in matches}
        typed = normalise(text).split()[: 2 * MAX_QUERY_WORDS]
        found: dict[int, float] = defaultdict(float)
        for length in index.phrase_lengths:
            for start in range(len(typed) - length + 1):
                phrase = tuple(typed[start : start + length])
                weights = index.phrases.get(phrase)
                if weights is None:
                    continue
                own = counted.intersection(phrase)
                if len(own) < PHRASE_SHARE * len(counted):
                    continue
                idf = index.phrase_idf[phrase]
                for position, weight in weights.items():
                    found[position] += BIGRAM_WEIGHT * weight * idf
        return found

    def _bigram_evidence(self, matches: Sequence[_WordMatch]) -> dict[int, float]:
        """Extra evidence for two typed words side by side that a topic also has side by side."""
        index = self._index
        found: dict[int, float] = defaultdict(float)
        for first, second in itertools.pairwise(matches):
            best: dict[int, float] = {}
            for first_term, first_similarity, _ in first.terms:
                for second_term, second_similarity, _ in second.terms:
                    weights = index.bigrams.get((first_term, second_term))
                    if not weights:
                        continue
                    similarity = min(first_similarity, second_similarity)
                    idf = index.bigram_idf[(first_term, second_term)]
                    for position, weight in weights.items():
                        value = BIGRAM_WEIGHT * similarity * weight * idf
                        best[position] = max(best.get(position, 0.0), value)
            for position, value in best.items():
                found[position] += value
        return found


def _every(text: Text) -> list[str]:
    """A text in every language it is written in: a Welsh request finds the topic whose
    Welsh words it uses, in one index with the English (the two share few words)."""
    return list(text.translations.values())


def topic_texts(knowledge: KnowledgeBase) -> list[TopicText]:
    """Each topic with its need category's words and the council's words in its nodes and
    services, so a person's words that only a service description uses still count."""
    owners = knowledge.topic_of_node()
    bodies: dict[str, list[str]] = defaultdict(list)
    for node_id, node in knowledge.nodes.items():
        topic_id = owners.get(node_id)
        if topic_id is None:
            continue
        parts = [*_every(node.text), *(_every(node.help) if node.help else ())]
        if isinstance(node, Question):
            parts.extend(word for option in node.options for word in _every(option.label))
        bodies[topic_id].append(" ".join(parts))
    by_need: dict[str, list[str]] = defaultdict(list)
    for service in knowledge.services.values():
        for need_id in service.needs:
            by_need[need_id].append(f"{service.name.get()} {service.description.get()}")
    texts = []
    for topic in knowledge.topics.values():
        category = knowledge.needs.get(topic.need)
        summary = (*_every(category.title), *_every(category.description)) if category else ()
        body = (*bodies.get(topic.id, ()), *by_need.get(topic.need, ()))
        texts.append(TopicText(topic, summary, body))
    return texts


def _merge(
    found: dict[int, tuple[float, float]], more: dict[int, tuple[float, float]], scale: float
) -> None:
    """Add the terms another reading of a word stands for, keeping the closer of each."""
    for term_id, (similarity, idf) in more.items():
        similarity *= scale
        if similarity > found.get(term_id, (0.0, 0.0))[0]:
            found[term_id] = (similarity, idf)


# --- Options within a question ------------------------------------------------------
# Reading answers lives in navigator/engine/understanding/answers.py; these names stay
# importable from here for callers written before the move.

from navigator.engine.understanding.answers import (  # noqa: E402
    answer_kind as answer_kind,
)
from navigator.engine.understanding.answers import (  # noqa: E402
    match_option as match_option,
)
