"""Topics found by meaning as well as words: scorers fused into one ranking.

The lexical index (`navigator.engine.matching.TopicMatcher`) finds the words a
person typed in each topic's text. It cannot see that "cant do her buttons"
is about help with dressing, or that "dwp have sanctioned me" is about money.
A sentence-embedding model can, but it is a poor judge of "nothing fits": a
request about parking fines is about as near to the topics in meaning as many
real needs are. So the two are fused:

- every scorer gives each topic a score from 0 to 100 (`TopicScorer`); the
  fused score is their weighted mean, so a council can add a scorer (its own
  model, a rules table) by writing one class and giving it a weight;
- "nothing fits" is decided on the fused score, whose threshold was chosen on
  the tuning sets (tests/data/stories.yaml) so that out-of-scope requests are
  still turned away;
- when no scorer but the lexical one is ready (the model is loading, or could
  not load), the lexical matcher answers alone, with its own thresholds.

Whichever scorers answer, the message is also read part by part (its
sentences, comma-separated notes, clauses joined by "and", "but", "also",
"plus") for **two needs in one message** ("lost my job and the landlord wants
us out"): each clause is ranked on its own, and when two clauses' best topics
are of different needs, each strong on its own clause, each clause plainly
about its own topic and not the other's (`CLAUSE_LEAD`), and the whole message
fits both, the decision says so (`TopicDecision.two_needs`), and the person is
offered both. A part too short to be more than an aside in a long story
(`PART_SHARE`) does not stand for a need of its own, and two clauses that tell
the same need in different words ("my mum died" and "the council tax is still
in her name") are one need, not two.

Scoring a long story part by part (the best part's score standing for the
whole) was tried for stories swamped by filler, and lost a little on the tuning
sets against reading them whole, so stories are read whole: the lexical index
already discounts filler and words no topic uses (docs/performance.md).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Any, Protocol, cast

from navigator.engine.matching import (
    CHOOSE_SCORE,
    CLEAR_LEAD,
    CLOSE_TO_TOP,
    GO_SCORE,
    MAX_CHOICES,
    TopicDecision,
    TopicMatcher,
    TopicScore,
)
from navigator.engine.textnorm import normalise
from navigator.kb.knowledge import KnowledgeBase
from navigator.kb.model import Question, Topic
from navigator.lazy_re import LazyPattern

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Vectors = npt.NDArray[np.float32]

# --- Tuning -------------------------------------------------------------------------
# Chosen on tests/data/stories.yaml and tests/data/phrasings.yaml; never on the
# held-aside tests/data/stories_holdout.yaml. See docs/performance.md.

LEXICAL_WEIGHT = 0.8
MEANING_WEIGHT = 0.2
"""The fused score is the weighted mean of the scorers that are ready."""
MEANING_FLOOR = 0.3
MEANING_CEILING = 0.7
"""Cosine similarity mapped to 0-100: at or below the floor is 0, at or above the ceiling 100."""
MEANING_NEAREST = 5
"""A topic's meaning score is the mean of its nearest few texts, not the single nearest:
one stray service description should not carry a topic."""
FUSED_CHOOSE_SCORE = 33.0
"""Below this fused score nothing fits (the lexical `CHOOSE_SCORE` when it answers alone)."""

OUT_OF_SCOPE_MARGIN = 7.0
"""Nothing fits when the out-of-scope families' fused score is at least the best topic's
plus this: a request for a bin or a football score that borrows a topic's word ("carer",
"bus") is nearer to the families' examples than to the topic. Chosen by leaving one
labelled set out at a time (tests/bench/bench_out_of_scope.py, docs/performance.md)."""
OUT_OF_SCOPE_NEAREST = 3
"""A family's meaning score is the mean of its nearest few examples."""

PART_WORDS = 2
"""Parts shorter than this are joined to the next: a lone "and" or "i" says nothing."""
SECOND_NEED_SCORE = 45.0
"""Each of two needs must score at least this on its own part, and...
"""
SECOND_NEED_WHOLE = 30.0
"""...at least this on the whole message, to be offered as two needs...
"""
CLAUSE_LEAD = 30.0
"""...and each clause's own topic must score at least this much more on that clause than the
other clause's topic does: "lost my job" is about work and not housing, "the landlord wants
us out" about housing and not work. Two clauses that both fit both topics ("who would look
after my wife if i went into hospital" and "im her carer") tell one need in two ways. Chosen
in session 12 (branch twoneeds) on the tuned sets, with `SECOND_NEED_WHOLE` raised from 25 to
30: single needs offered as two went from 40 to 12 over them (docs/performance.md)."""
SECOND_NEED_SHARE = 0.5
"""...and the second need's whole-message score at least this share of the first's: a story
about caring that mentions feeling alone is one need, not two."""
PART_SHARE = 0.2
"""A part stands for a need only when it is at least this share of the message's words. In a
long story a two-word aside ("cant eat", "after school") fits some topic on its own but is
a detail of the one need told, not a second need; the two halves of a real two-need
message are each a good share of it (session 10, tests/engine/test_topic_ranker.py)."""

_PART_BREAK = LazyPattern(r"[.!?;,\n]+|\b(?:and|but|also|plus|as well as|then)\b", re.IGNORECASE)
"""Where a message splits into parts: sentence ends, commas (shorthand), and joining words."""


# --- Scorers ------------------------------------------------------------------------


class TopicScorer(Protocol):
    """One way of judging how well each topic fits a text.

    `scores` gives topic id -> 0-100 for the topics with any fit (absent is 0),
    or None when the scorer cannot answer (its model is still loading, or
    could not load): the ranking then does without it, for that text.
    """

    name: str
    weight: float

    def scores(self, text: str) -> Mapping[str, float] | None: ...


class Embedder(Protocol):
    """What the meaning scorer needs of a sentence-embedding model
    (`navigator.engine.understanding.embedding.EmbeddingModel`)."""

    @property
    def ready(self) -> bool: ...

    @property
    def unavailable_reason(self) -> str | None: ...

    def embed(self, texts: Sequence[str]) -> Vectors: ...


class LexicalScorer:
    """The lexical index's scores for every topic (`TopicMatcher.rank`)."""

    name = "words"

    def __init__(self, matcher: TopicMatcher, weight: float = LEXICAL_WEIGHT) -> None:
        self.matcher = matcher
        self.weight = weight

    def scores(self, text: str) -> dict[str, float]:
        ranked = self.matcher.rank(text, limit=len(self.matcher.topics))
        return {scored.topic_id: scored.score for scored in ranked}


class MeaningScorer:
    """Similarity in meaning between the text and each topic's own words.

    A topic is read as many short texts, each embedded alone: its title and
    summary, its need's title and description, each keyword and example, each
    question it asks, and each service that meets its need. The text's score
    for a topic is the mean cosine similarity of its `MEANING_NEAREST` nearest
    texts, mapped to 0-100. Topic texts are embedded once (about 0.4 s for the
    demo), by `prepare()` in the background or on the first text scored.

    With `wait`, a text scored while the model is still loading waits for it
    (the command-line tools, whose output must not depend on timing); without
    it (the apps), the lexical index answers alone until the model is ready.
    """

    name = "meaning"

    def __init__(
        self,
        knowledge: KnowledgeBase,
        model: Embedder,
        weight: float = MEANING_WEIGHT,
        *,
        wait: bool = False,
    ) -> None:
        self.model = model
        self.weight = weight
        self.wait = wait
        self._texts, self._owners = topic_passages(knowledge)
        self.out_of_scope = OutOfScope(knowledge, model)
        """The knowledge base's out-of-scope families, read by the same model."""
        self._lock = threading.Lock()
        self._vectors: Vectors | None = None
        self._nearest_rows: Any = None
        """Per topic, the rows of its texts, padded with a row of -1 similarity (numpy array)."""

    def prepare(self) -> bool:
        """Embed the topics' texts, loading the model first if need be; True when ready.

        False, and never an error, when the model cannot load: the reason is
        the model's own (`unavailable_reason`, logged once by the model).
        """
        with self._lock:
            if self._vectors is None:
                try:
                    vectors = self.model.embed(self._texts)
                except Exception:  # ModelUnavailable, or a model broken after loading
                    return False
                self._nearest_rows = _padded_rows(list(self._owners.values()), len(self._texts))
                self._vectors = vectors
        self.out_of_scope.prepare()  # its own lock; a failure leaves the topics deciding
        return True

    def scores(self, text: str) -> dict[str, float] | None:
        import numpy as np

        can_wait = self.wait and self.model.unavailable_reason is None
        if not (self.model.ready or can_wait) or not self.prepare():
            return None
        assert self._vectors is not None
        similarity = np.append(self._vectors @ self.model.embed([text])[0], -1.0)
        by_topic = similarity[self._nearest_rows]  # topics x their texts, padded with -1
        count = min(MEANING_NEAREST, by_topic.shape[1])
        nearest = np.partition(by_topic, -count, axis=1)[:, -count:].mean(axis=1)
        scaled = np.clip((nearest - MEANING_FLOOR) / (MEANING_CEILING - MEANING_FLOOR), 0, 1)
        return {
            topic_id: 100.0 * float(value)
            for topic_id, value in zip(self._owners, scaled, strict=True)
        }


def _padded_rows(rows: Sequence[Sequence[int]], padding: int) -> Any:
    """Rows of each topic's texts as one table, short rows padded with index `padding`."""
    import numpy as np

    width = max((len(own) for own in rows), default=1)
    table = np.full((len(rows), width), padding, dtype=np.intp)
    for place, own in enumerate(rows):
        table[place, : len(own)] = own
    return table


def topic_passages(knowledge: KnowledgeBase) -> tuple[list[str], dict[str, list[int]]]:
    """Each topic's own short texts for embedding, and which rows belong to which topic."""
    owners = knowledge.topic_of_node()
    by_topic: dict[str, list[str]] = {topic_id: [] for topic_id in knowledge.topics}
    for topic in knowledge.topics.values():
        own = by_topic[topic.id]
        own.extend([topic.title.get(), topic.summary.get(), *topic.keywords, *topic.examples])
        category = knowledge.needs.get(topic.need)
        if category is not None:
            own.extend([category.title.get(), category.description.get()])
    for node_id, node in knowledge.nodes.items():
        topic_id = owners.get(node_id)
        if topic_id is not None and isinstance(node, Question):
            by_topic[topic_id].append(node.text.get())
    for service in knowledge.services.values():
        for topic in knowledge.topics.values():
            if topic.need in service.needs:
                by_topic[topic.id].append(f"{service.name.get()}. {service.description.get()}")
    texts: list[str] = []
    rows: dict[str, list[int]] = {}
    for topic_id, passages in by_topic.items():
        for passage in passages:
            if passage.strip():
                rows.setdefault(topic_id, []).append(len(texts))
                texts.append(passage)
    return texts, rows


class OutOfScope:
    """How near a text is to the knowledge base's out-of-scope families (`vocabulary.out_of_scope`).

    Scored as the topics are, so the two compare: a lexical index over the families
    (each family a bare topic of its examples) and the meaning model's similarity to
    the families' examples, fused with the topics' weights. The ranking says nothing
    fits when this beats the best topic (`OUT_OF_SCOPE_MARGIN`), as the safety line
    compares a message with its near misses. Content staff add families in YAML.
    """

    def __init__(self, knowledge: KnowledgeBase, model: Embedder) -> None:
        families = knowledge.vocabulary.out_of_scope
        self.model = model
        self._examples = [example for examples in families.values() for example in examples]
        self._owners = [family for family, examples in families.items() for _ in examples]
        self._lexical = TopicMatcher.from_topics(
            [_family_topic(family, examples) for family, examples in families.items()],
            knowledge.vocabulary,
        )
        self._vectors: Vectors | None = None
        self._lock = threading.Lock()

    def prepare(self) -> bool:
        """Embed the families' examples now (`MeaningScorer.prepare` calls this in the
        background, so the first message does not pay for it); False, never an error, when
        the model cannot read them (the topics then decide alone, as before session 11)."""
        if not self._examples:
            return True
        with self._lock:
            if self._vectors is None:
                try:
                    self._vectors = self.model.embed(self._examples)
                except Exception:  # ModelUnavailable, or a model broken after loading
                    return False
            return True

    def score(self, text: str) -> float | None:
        """0-100, fused like a topic's; None when the meaning model cannot answer."""
        import numpy as np

        if not self._examples or not self.model.ready or not self.prepare():
            return None
        assert self._vectors is not None
        try:
            similarity = self._vectors @ self.model.embed([text])[0]
        except Exception:  # a model broken after loading: the topics decide alone
            return None
        by_family: dict[str, list[float]] = {}
        for family, value in zip(self._owners, similarity.tolist(), strict=True):
            by_family.setdefault(family, []).append(value)
        nearest = max(
            float(np.mean(sorted(values)[-OUT_OF_SCOPE_NEAREST:])) for values in by_family.values()
        )
        meaning = 100.0 * min(
            1.0, max(0.0, nearest - MEANING_FLOOR) / (MEANING_CEILING - MEANING_FLOOR)
        )
        found = self._lexical.rank(text, limit=1)
        words = found[0].score if found else 0.0
        return (LEXICAL_WEIGHT * words + MEANING_WEIGHT * meaning) / (
            LEXICAL_WEIGHT + MEANING_WEIGHT
        )


@dataclass(frozen=True)
class _FamilyName:
    """A family's name as a topic's text (`navigator.kb.model.Text`'s shape, English only)."""

    translations: Mapping[str, str]

    def get(self, language: str = "en") -> str:
        return self.translations["en"]


@dataclass(frozen=True)
class _Family:
    """An out-of-scope family in a topic's shape, for the lexical index. Not the schema's
    `Topic`: a start from the cache imports no pydantic (tests/kb/test_model.py)."""

    id: str
    need: str
    title: _FamilyName
    summary: _FamilyName
    keywords: tuple[str, ...]
    examples: tuple[str, ...]
    start: str


def _family_topic(family: str, examples: Sequence[str]) -> Topic:
    """An out-of-scope family as a bare topic, for the lexical index."""
    name = _FamilyName({"en": family.replace("-", " ")})
    found = _Family(family, "out-of-scope", name, name, (), tuple(examples), family)
    return cast("Topic", found)


# --- The ranking --------------------------------------------------------------------


class TopicRanker(TopicMatcher):
    """Topics for free text, by the lexical index and any other scorers that are ready.

    Stands in for a `TopicMatcher` wherever one is used (the conversation, the
    `navigator match` command); `lexical` is the index it fuses with the others.
    """

    def __init__(  # deliberately not TopicMatcher.__init__: the index is `lexical`'s
        self,
        lexical: TopicMatcher,
        scorers: Sequence[TopicScorer] = (),
        *,
        lexical_weight: float = LEXICAL_WEIGHT,
    ) -> None:
        self.lexical = lexical
        self._lexical_scorer = LexicalScorer(lexical, lexical_weight)
        self.scorers: tuple[TopicScorer, ...] = (self._lexical_scorer, *scorers)
        self._needs = {topic.id: topic.need for topic in lexical.topics}
        self._out_of_scope = next(
            (s.out_of_scope for s in scorers if isinstance(s, MeaningScorer)), None
        )
        """Compared with the best topic once the meaning model answers (`OutOfScope`)."""

    @property
    def topics(self) -> tuple[Topic, ...]:
        return self.lexical.topics

    def with_scorers(self, scorers: Sequence[TopicScorer]) -> TopicRanker:
        """The same ranking with `scorers` fused in after its own (a council's scorer)."""
        return TopicRanker(
            self.lexical,
            (*self.scorers[1:], *scorers),
            lexical_weight=self._lexical_scorer.weight,
        )

    def rank(self, text: str, limit: int = 5) -> list[TopicScore]:
        return self._ranked(text, limit)[0]

    def decide(self, text: str) -> TopicDecision:
        ranked, fused = self._ranked(text, MAX_CHOICES + 1)
        threshold = FUSED_CHOOSE_SCORE if fused else CHOOSE_SCORE
        if not ranked or ranked[0].score < threshold:
            return TopicDecision("none")
        if fused and self._nearer_out_of_scope(text, ranked[0].score):
            return TopicDecision("none")
        pair, clauses_differ = self._two_needs(text, ranked)
        if pair is not None:
            return TopicDecision("choose", pair, two_needs=True)
        top = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        if not clauses_differ and top.score >= GO_SCORE and top.score - runner_up >= CLEAR_LEAD:
            return TopicDecision("go", (top,))
        close = [s for s in ranked if s.score >= max(threshold, top.score - CLOSE_TO_TOP)]
        if len(close) < 2:
            close = ranked[:2]
        return TopicDecision("choose", tuple(close[:MAX_CHOICES]))

    def _nearer_out_of_scope(self, text: str, best: float) -> bool:
        """Whether the out-of-scope families fit the text better than its best topic does."""
        if self._out_of_scope is None:
            return False
        outside = self._out_of_scope.score(text)
        return outside is not None and outside >= best + OUT_OF_SCOPE_MARGIN

    def _ranked(self, text: str, limit: int) -> tuple[list[TopicScore], bool]:
        """The best topics, and whether a scorer besides the lexical index answered."""
        if limit <= 0:
            return [], False
        others = self.scorers[1:]
        answered: list[tuple[TopicScorer, Mapping[str, float]]] = [
            (scorer, found) for scorer in others if (found := scorer.scores(text)) is not None
        ]
        if not answered:  # the lexical index alone: exactly its own ranking
            return self.lexical.rank(text, limit), False
        answered.append((self._lexical_scorer, self._lexical_scorer.scores(text)))
        total = sum(scorer.weight for scorer, _found in answered)
        fused: dict[str, float] = {}
        for scorer, found in answered:
            for topic_id, score in found.items():
                if topic_id not in self._needs:
                    continue  # a scorer's topic this knowledge base does not have
                fused[topic_id] = fused.get(topic_id, 0.0) + score * scorer.weight / total
        ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:limit]
        scores = [
            TopicScore(topic_id, self._needs[topic_id], round(score, 1))
            for topic_id, score in ranked
            if round(score, 1) > 0
        ]
        return scores, True

    def _two_needs(
        self, text: str, ranked: Sequence[TopicScore]
    ) -> tuple[tuple[TopicScore, TopicScore] | None, bool]:
        """The two topics two clauses of the text each clearly fit, if it tells of two needs
        (the pair the whole message fits best, first the one it fits better); and whether any
        two clauses point to topics of different needs at all. Clauses that differ without
        being plainly about their own topics ("im on benefits and want to work") are not two
        needs, but the message does not go straight to one topic either: the person chooses."""
        top = ranked[0]
        if not any(s.score >= SECOND_NEED_WHOLE and s.need_id != top.need_id for s in ranked):
            return None, False  # no second need the whole message fits: no need to read parts
        whole = {scored.topic_id: scored for scored in ranked}
        told = [
            (pair, one.leads(other.best) and other.leads(one.best))
            for one, other in combinations(self._clauses(text, whole), 2)
            if (pair := _as_two_needs(one, other, whole)) is not None
        ]
        apart = [pair for pair, plain in told if plain]
        best = max(apart, key=lambda pair: pair[0].score + pair[1].score, default=None)
        return best, bool(told)

    def _clauses(self, text: str, whole: Mapping[str, TopicScore]) -> list[_Clause]:
        """Each clause of the text long enough to stand for a need, ranked on its own, whose
        best topic is strong on the clause alone and one the whole message fits."""
        parts = story_parts(text)
        if len(parts) < 2:
            return []
        least = PART_SHARE * len(text.split())
        clauses: list[_Clause] = []
        for part in parts:
            if len(part.split()) < least:
                continue  # an aside in a longer story, not a need of its own
            found = self.rank(part, limit=len(self._needs))
            if found and found[0].score >= SECOND_NEED_SCORE and found[0].topic_id in whole:
                clauses.append(_Clause(found[0], {s.topic_id: s.score for s in found}))
        return clauses


@dataclass(frozen=True)
class _Clause:
    """One clause of a message ranked on its own: its best topic and every topic's score."""

    best: TopicScore
    scores: Mapping[str, float]

    def leads(self, other: TopicScore) -> bool:
        """Whether this clause is plainly about its own topic and not `other`."""
        return self.best.score - self.scores.get(other.topic_id, 0.0) >= CLAUSE_LEAD


def _as_two_needs(
    one: _Clause, other: _Clause, whole: Mapping[str, TopicScore]
) -> tuple[TopicScore, TopicScore] | None:
    """The two clauses' topics as two needs (the whole message's better fit first), or None
    when they are one need, or the whole message does not fit the second well enough. Whether
    each clause is plainly about its own topic (`_Clause.leads`) is the caller's to ask."""
    if one.best.need_id == other.best.need_id:
        return None
    first, second = sorted(
        (whole[one.best.topic_id], whole[other.best.topic_id]), key=lambda s: -s.score
    )
    if second.score < SECOND_NEED_WHOLE or second.score < SECOND_NEED_SHARE * first.score:
        return None
    return first, second


def story_parts(text: str) -> list[str]:
    """The parts of a message: sentences, comma-separated notes, clauses joined by "and".

    Parts of fewer than `PART_WORDS` words are joined to the next, so a note
    such as "m 79" stays with what follows it.
    """
    parts: list[str] = []
    pending = ""
    for piece in _PART_BREAK.split(text):
        pending = f"{pending} {piece}".strip() if pending else piece.strip()
        if len(normalise(pending).split()) >= PART_WORDS:
            parts.append(pending)
            pending = ""
    if pending:
        if parts:
            parts[-1] = f"{parts[-1]} {pending}"
        else:
            parts.append(pending)
    return parts
