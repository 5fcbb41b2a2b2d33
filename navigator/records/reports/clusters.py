"""Grouping what people asked for that nothing matched, by similarity (rapidfuzz).

The database first counts each distinct scrubbed text (a GROUP BY), so this
works on (text, count) pairs, never on records. Greedy leader clustering: the
most frequent text starts a group, and each later text joins the first group
whose leader it resembles closely enough (token-set ratio), else starts its
own. Leaders are compared in batches with `rapidfuzz.process.cdist`.

A group is named without quoting anyone: by its most frequent exact text only
when at least `threshold` people typed exactly that, else by the words that
at least `threshold` people in the group used. A text one person typed, even
scrubbed, could be recognised by someone who knows them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

SIMILARITY = 75.0
"""Token-set ratio (0-100) at which two requests count as asking for the same thing."""
MOST_LABEL_WORDS = 5
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "can",
        "do",
        "for",
        "from",
        "get",
        "got",
        "have",
        "help",
        "i",
        "i'm",
        "im",
        "in",
        "is",
        "it",
        "its",
        "me",
        "my",
        "need",
        "needs",
        "of",
        "on",
        "or",
        "please",
        "so",
        "some",
        "someone",
        "that",
        "the",
        "there",
        "to",
        "want",
        "with",
        "you",
        "your",
        "how",
        "what",
        "where",
        "who",
        "when",
        "am",
        "was",
    ]
)
"""Words too common to name a group by."""


@dataclass
class RequestGroup:
    leader: str
    count: int = 0
    texts: Counter[str] = field(default_factory=Counter)

    def label(self, threshold: int) -> str:
        """The group's name, built only from wording that at least `threshold` people used."""
        text, people = self.texts.most_common(1)[0]
        if people >= threshold:
            return text
        words: Counter[str] = Counter()
        for member, count in self.texts.items():
            for word in set(re.findall(r"[a-z][a-z']+", member.lower())) - STOP_WORDS:
                words[word] += count
        common = [word for word, count in words.most_common() if count >= threshold]
        return " · ".join(common[:MOST_LABEL_WORDS]) or "(worded in many different ways)"


def group_requests(
    counted: Sequence[tuple[str, int]], similarity: float = SIMILARITY
) -> list[RequestGroup]:
    """Groups of similar requests, largest first. `counted` is (text, people), most first."""
    groups: list[RequestGroup] = []
    leaders: list[str] = []
    for text, count in counted:
        index = _closest(text, leaders, similarity)
        if index is None:
            groups.append(RequestGroup(leader=text))
            leaders.append(text)
            index = len(groups) - 1
        group = groups[index]
        group.count += count
        group.texts[text] += count
    return sorted(groups, key=lambda group: (-group.count, group.leader))


def _closest(text: str, leaders: list[str], similarity: float) -> int | None:
    if not leaders:
        return None
    match = process.extractOne(text, leaders, scorer=fuzz.token_set_ratio, score_cutoff=similarity)
    return None if match is None else int(match[2])
