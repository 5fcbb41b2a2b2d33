"""The labelled resident phrasings and the measures taken on them.

Two sets in the same format: tests/data/phrasings.yaml, the first, which the
matcher's constants were chosen on, and tests/data/phrasings_holdout.yaml,
written before the matching follow-up changed anything and never used to pick
keywords, so it measures phrasings Navigator has truly not seen.

Shared by the quality-gate tests (tests/engine/test_matching.py,
tests/engine/test_signs.py) and the benchmark that prints the figures
(tests/bench/bench_matching.py), so both measure exactly the same thing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import yaml

from navigator.engine.matching import TopicDecision, TopicScore
from navigator.engine.understanding.signs import SignLexicon

DATA = Path(__file__).resolve().parents[1] / "data"
PHRASINGS = DATA / "phrasings.yaml"
HOLDOUT = DATA / "phrasings_holdout.yaml"
SETS = {"first": PHRASINGS, "held-out": HOLDOUT}
"""Each labelled set by the name the tests and benchmark print."""
STORIES = DATA / "stories.yaml"
STORIES_READ = DATA / "stories_holdout.yaml"
"""The first held-aside stories: written before issue 12's matching work and never tuned on
until session 10, which read its misses (branch needs): tuned since."""
STORIES_THIRD = DATA / "stories_holdout2.yaml"
"""Written in session 10 (branch storiesaside) before any tuning that session and measured by
the lead at its merge; read and tuned on from session 11 (branch oos3)."""
STORIES_FOURTH = DATA / "stories_holdout3.yaml"
"""Written in session 11 (branch storiesaside3) before any tuning that session, by someone who
read no keywords or examples; measured by the lead on main before that merge and once after;
read and tuned on from session 12 (branches twoneeds and oos4), once stories_holdout4.yaml was
written."""
STORIES_HELD_ASIDE = DATA / "stories_holdout4.yaml"
"""Written in session 12 (branch storiesaside4) before any tuning that session, by someone who
read no keywords or examples; measured by the lead on main before the merge and once after
(counts only); never tuned on."""
STORY_SETS = {
    "stories, tuned": STORIES,
    "stories, second (tuned)": STORIES_READ,
    "stories, third (tuned)": STORIES_THIRD,
    "stories, fourth (tuned)": STORIES_FOURTH,
    "stories, held aside": STORIES_HELD_ASIDE,
}
TYPOS_HELD_ASIDE = DATA / "typos_holdout.yaml"
ISSUE_12_SETS = STORY_SETS | {"typos, held aside": TYPOS_HELD_ASIDE}
"""Issue 12's sets: stories, typos, shorthand, regional words, two needs, out of scope.
The held-aside one was written first and is never tuned on."""

TOP_3_AIM = 0.95
CRISIS_RECALL_AIM = 1.0
OUT_OF_SCOPE_AIM = 0.80
STORY_TOP_3_AIM = 0.90
STORY_OUT_OF_SCOPE_AIM = 0.85


@dataclass(frozen=True)
class NeedPhrasing:
    text: str
    need: str
    also: tuple[str, ...] = ()

    @property
    def acceptable(self) -> frozenset[str]:
        return frozenset((self.need, *self.also))


@dataclass(frozen=True)
class CrisisPhrasing:
    text: str
    kinds: tuple[str, ...]
    """The kind expected; where a phrasing fits two, either (the more serious is shown)."""


@dataclass(frozen=True)
class TwoNeeds:
    """One message carrying two needs ("lost my job and the landlord wants us out")."""

    text: str
    needs: tuple[str, str]


@dataclass(frozen=True)
class PhrasingSet:
    needs: tuple[NeedPhrasing, ...]
    crisis: tuple[CrisisPhrasing, ...]
    ordinary: tuple[str, ...]
    out_of_scope: tuple[str, ...]
    two_needs: tuple[TwoNeeds, ...] = ()

    @property
    def not_crisis(self) -> tuple[str, ...]:
        """Everything that must not raise the interrupt: the ordinary set and every need
        phrasing except those about domestic abuse, which rightly may."""
        return self.ordinary + tuple(p.text for p in self.needs if p.need != "domestic-abuse")


def load_phrasings(path: Path = PHRASINGS) -> PhrasingSet:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    needs: list[NeedPhrasing] = []
    for need, entries in data["needs"].items():
        for entry in entries:
            if isinstance(entry, str):
                needs.append(NeedPhrasing(entry, need))
            else:
                needs.append(NeedPhrasing(entry["text"], need, tuple(entry.get("also", ()))))
    crisis = tuple(
        CrisisPhrasing(entry["text"], _as_tuple(entry["kind"])) for entry in data.get("crisis", ())
    )
    two_needs = tuple(
        TwoNeeds(entry["text"], (entry["needs"][0], entry["needs"][1]))
        for entry in data.get("two_needs", ())
    )
    return PhrasingSet(
        tuple(needs),
        crisis,
        tuple(data.get("ordinary", ())),
        tuple(data["out_of_scope"]),
        two_needs,
    )


def _as_tuple(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass
class Tally:
    total: int = 0
    top_1: int = 0
    top_3: int = 0
    straight: int = 0
    """Phrasings the decision takes straight to a topic of the right need (`go`), with no
    choice of topics first: what the person gets from their first message."""

    def rate(self, hits: int) -> float:
        return hits / self.total if self.total else 0.0


@dataclass
class MatchingReport:
    by_need: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    misses_top_3: list[tuple[str, str, list[str]]] = field(default_factory=list)
    unanswered: list[tuple[str, str]] = field(default_factory=list)
    """In-scope phrasings for which the matcher decided nothing fits (shown the topic list)."""
    out_of_scope_total: int = 0
    out_of_scope_rejected: int = 0
    out_of_scope_accepted: list[tuple[str, str]] = field(default_factory=list)
    two_needs_total: int = 0
    two_needs_top_3: int = 0
    """Messages with two needs whose both needs reach the top three."""
    two_needs_offered: int = 0
    """...and whose first-message decision offers both as two needs."""
    two_needs_missed: list[tuple[str, list[str]]] = field(default_factory=list)
    one_need_offered_two: list[str] = field(default_factory=list)
    """Phrasings of one need that were nonetheless offered as two needs."""
    straight_wrong: list[tuple[str, str, str]] = field(default_factory=list)
    """(text, need, topic): phrasings taken straight to a topic of another need, the worst
    first answer (the person must find their way back)."""

    @property
    def overall(self) -> Tally:
        tally = Tally()
        for part in self.by_need.values():
            tally.total += part.total
            tally.top_1 += part.top_1
            tally.top_3 += part.top_3
            tally.straight += part.straight
        return tally

    @property
    def out_of_scope_rate(self) -> float:
        return self.out_of_scope_rejected / max(self.out_of_scope_total, 1)


class Ranker(Protocol):
    """What is measured: the lexical matcher alone, or the fused ranking."""

    def rank(self, text: str, limit: int = 5) -> list[TopicScore]: ...

    def decide(self, text: str) -> TopicDecision: ...


def measure_matching(matcher: Ranker, phrasings: PhrasingSet) -> MatchingReport:
    """Top-1, top-3 and straight to the topic, by need category (a topic counts when its
    need is acceptable)."""
    report = MatchingReport()
    for phrasing in phrasings.needs:
        ranked = matcher.rank(phrasing.text, limit=3)
        needs = [scored.need_id for scored in ranked]
        tally = report.by_need[phrasing.need]
        tally.total += 1
        if needs and needs[0] in phrasing.acceptable:
            tally.top_1 += 1
        if phrasing.acceptable.intersection(needs):
            tally.top_3 += 1
        else:
            report.misses_top_3.append((phrasing.text, phrasing.need, needs))
        decision = matcher.decide(phrasing.text)
        if decision.kind == "go" and decision.best is not None:
            if decision.best.need_id in phrasing.acceptable:
                tally.straight += 1
            else:
                report.straight_wrong.append((phrasing.text, phrasing.need, decision.best.topic_id))
        if decision.kind == "none":
            report.unanswered.append((phrasing.text, phrasing.need))
        if decision.two_needs:
            report.one_need_offered_two.append(phrasing.text)
    for text in phrasings.out_of_scope:
        report.out_of_scope_total += 1
        decision = matcher.decide(text)
        if decision.kind == "none":
            report.out_of_scope_rejected += 1
        else:
            report.out_of_scope_accepted.append((text, decision.candidates[0].topic_id))
    for pair in phrasings.two_needs:
        _measure_two_needs(matcher, pair, report)
    return report


def _measure_two_needs(matcher: Ranker, pair: TwoNeeds, report: MatchingReport) -> None:
    report.two_needs_total += 1
    needs = [scored.need_id for scored in matcher.rank(pair.text, limit=3)]
    if set(pair.needs) <= set(needs):
        report.two_needs_top_3 += 1
    decision = matcher.decide(pair.text)
    offered = {scored.need_id for scored in decision.candidates}
    if decision.two_needs and set(pair.needs) <= offered:
        report.two_needs_offered += 1
    else:
        report.two_needs_missed.append((pair.text, needs))


@dataclass
class SafeguardingReport:
    crisis_total: int = 0
    missed: list[str] = field(default_factory=list)
    wrong_kind: list[tuple[str, str, str]] = field(default_factory=list)
    ordinary_total: int = 0
    false_alarms: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return 1 - len(self.missed) / max(self.crisis_total, 1)


def measure_safeguarding(signs: SignLexicon, phrasings: PhrasingSet) -> SafeguardingReport:
    report = SafeguardingReport()
    for crisis in phrasings.crisis:
        report.crisis_total += 1
        sign = signs.check(crisis.text)
        if sign is None:
            report.missed.append(crisis.text)
        elif sign.kind_id not in crisis.kinds:
            report.wrong_kind.append((crisis.text, " or ".join(crisis.kinds), sign.kind_id))
    for text in phrasings.not_crisis:
        report.ordinary_total += 1
        sign = signs.check(text)
        if sign is not None:
            report.false_alarms.append((text, sign.kind_id, sign.phrase))
    return report


def lines(items: Iterable[object]) -> str:
    return "\n".join(f"  {item}" for item in items)
