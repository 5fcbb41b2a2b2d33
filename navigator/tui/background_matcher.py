"""The free-text matcher, built in a thread once the first screen is up.

Building the matcher's index takes a noticeable part of start-up (it reads
every topic's title, keywords and example phrasings), but nobody types in
the first fraction of a second. `BackgroundMatcher` stands in for a
`TopicMatcher` from the start; the app calls `build()` in a thread after
the first screen is drawn, and anyone who needs it sooner simply builds it
then (under a lock, so it is built once).
"""

from __future__ import annotations

import threading

from navigator.engine.matching import TopicDecision, TopicMatcher, TopicScore
from navigator.kb import KnowledgeBase


class BackgroundMatcher(TopicMatcher):
    """A `TopicMatcher` whose index is built on first use or by `build()`, whichever is first."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        # Deliberately not TopicMatcher.__init__: that builds the index now.
        self._knowledge = knowledge
        self._lock = threading.Lock()
        self._matcher: TopicMatcher | None = None

    def build(self) -> TopicMatcher:
        """The real matcher, built once."""
        with self._lock:
            if self._matcher is None:
                self._matcher = TopicMatcher(self._knowledge)
            return self._matcher

    @property
    def built(self) -> bool:
        return self._matcher is not None

    def rank(self, text: str, limit: int = 5) -> list[TopicScore]:
        return self.build().rank(text, limit)

    def decide(self, text: str) -> TopicDecision:
        return self.build().decide(text)
