"""The free-text matcher, built in a thread once the first screen is up.

Building the matcher's index takes a noticeable part of start-up (it reads
every topic's title, keywords and example phrasings), but nobody types in
the first fraction of a second. `BackgroundMatcher` stands in for a
`TopicMatcher` from the start; the app calls `build()` in a thread after
the first screen is drawn, and anyone who needs it sooner simply builds it
then (under a lock, so it is built once). `prepare_meaning()`, in the same
thread, then loads the meaning model and embeds the topics; until it has, the
lexical index answers alone. The topic scorers a council installed (the
`navigator.topic_scorers` entry points) are read in `build()` too, off the
first screen's path; one that fails to load is logged once and left out.
"""

from __future__ import annotations

import threading

from navigator.engine.matching import TopicDecision, TopicMatcher, TopicScore
from navigator.engine.understanding.embedding import EmbeddingModel
from navigator.engine.understanding.extensions import installed_scorers
from navigator.engine.understanding.topics import MeaningScorer, TopicRanker, TopicScorer
from navigator.kb import KnowledgeBase
from navigator.kb.model import Topic


class BackgroundMatcher(TopicMatcher):
    """A `TopicRanker` whose index is built on first use or by `build()`, whichever is first."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        model: EmbeddingModel | None = None,
        *,
        installed: bool = True,
    ) -> None:
        # Deliberately not TopicMatcher.__init__: that builds the index now.
        self._knowledge = knowledge
        self.model = model
        """The meaning model the ranking fuses with the lexical index; None: words only."""
        self._lock = threading.Lock()
        self._installed = installed
        """Whether to fuse the installed topic scorers (`extensions.installed_scorers`)."""
        self._matcher: TopicRanker | None = None
        self._meaning: MeaningScorer | None = None

    def build(self) -> TopicRanker:
        """The real ranking, built once (the model is not loaded here: see `prepare_meaning`)."""
        with self._lock:
            if self._matcher is None:
                if self.model is not None:
                    self._meaning = MeaningScorer(self._knowledge, self.model)
                scorers: list[TopicScorer] = [self._meaning] if self._meaning else []
                if self._installed:
                    scorers += installed_scorers(self._knowledge)[0]  # problems: logged
                self._matcher = TopicRanker(TopicMatcher(self._knowledge), scorers)
            return self._matcher

    def prepare_meaning(self) -> None:
        """Load the meaning model and embed the topics, if there is a model (slow: a thread)."""
        self.build()
        if self._meaning is not None:
            self._meaning.prepare()

    @property
    def built(self) -> bool:
        return self._matcher is not None

    @property
    def topics(self) -> tuple[Topic, ...]:
        return self.build().topics

    def rank(self, text: str, limit: int = 5) -> list[TopicScore]:
        return self.build().rank(text, limit)

    def decide(self, text: str) -> TopicDecision:
        return self.build().decide(text)
