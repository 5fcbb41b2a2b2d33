"""Grouping what people asked for that nothing matched, by similarity (rapidfuzz).

The database first counts each distinct scrubbed text (a GROUP BY), so this
works on (text, count) pairs, never on records. Greedy leader clustering: the
most frequent text starts a group, and each later text joins the first group
whose leader it resembles closely enough (token-set ratio), else starts its
own. Leaders are compared in batches with `rapidfuzz.process.cdist`.

A group is named without quoting anyone: by its most frequent exact text only
when at least `threshold` sessions typed exactly that on at least
`SPREAD` different days or at `SPREAD` different sites, else by the words
that many sessions used with the same spread, else not named at all. A text
one person typed, even scrubbed, could be recognised by someone who knows
them, and one person can type the same thing in five sessions on one
afternoon ("I'M SARAH AND I NEED HELP"): counting sessions is not enough,
so quoting needs the spread too.
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

SPREAD = 3
"""Different days, or different sites, a wording needs before it is quoted."""
NOT_QUOTED = "(not quoted: too few people, days or places to quote safely)"

Spread = dict[str, tuple[frozenset[str], frozenset[str]]]
"""For each text: the days and the sites it was said on."""


@dataclass
class RequestGroup:
    leader: str
    count: int = 0
    texts: Counter[str] = field(default_factory=Counter)

    def label(self, threshold: int, spread: Spread) -> str:
        """The group's name, built only from wording said often enough, widely enough.

        `spread` gives each text's days and sites; a text not in it counts as said
        on no day at all, so it is never quoted.
        """
        for text, people in self.texts.most_common():
            if people >= threshold and _spread_enough([text], spread):
                return text
        words: Counter[str] = Counter()
        used_in: dict[str, list[str]] = {}
        for member, count in self.texts.items():
            for word in set(re.findall(r"[a-z][a-z']+", member.lower())) - STOP_WORDS:
                words[word] += count
                used_in.setdefault(word, []).append(member)
        common = [
            word
            for word, count in words.most_common()
            if count >= threshold and _spread_enough(used_in[word], spread)
        ]
        return " · ".join(common[:MOST_LABEL_WORDS]) or NOT_QUOTED


def _spread_enough(texts: Sequence[str], spread: Spread) -> bool:
    """Whether `texts` together were said on `SPREAD` days or at `SPREAD` sites."""
    days: set[str] = set()
    sites: set[str] = set()
    for text in texts:
        text_days, text_sites = spread.get(text, (frozenset(), frozenset()))
        days |= text_days
        sites |= text_sites
    return len(days) >= SPREAD or len(sites) >= SPREAD


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
