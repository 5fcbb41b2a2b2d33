"""The labelled resident phrasings and the measures taken on them.

Two sets in the same format: tests/data/phrasings.yaml, the first, which the
matcher's constants were chosen on, and tests/data/phrasings_holdout.yaml,
written before the matching follow-up changed anything and never used to pick
keywords, so it measures phrasings Navigator has truly not seen.

Shared by the quality-gate tests (tests/engine/test_matching.py,
tests/engine/test_safeguarding.py) and the benchmark that prints the figures
(tests/bench/bench_matching.py), so both measure exactly the same thing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from navigator.engine.matching import TopicMatcher
from navigator.engine.safeguarding import SafeguardingDetector

DATA = Path(__file__).resolve().parents[1] / "data"
PHRASINGS = DATA / "phrasings.yaml"
HOLDOUT = DATA / "phrasings_holdout.yaml"
SETS = {"first": PHRASINGS, "held-out": HOLDOUT}
"""Each labelled set by the name the tests and benchmark print."""

TOP_3_AIM = 0.95
CRISIS_RECALL_AIM = 1.0
OUT_OF_SCOPE_AIM = 0.80


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
class PhrasingSet:
    needs: tuple[NeedPhrasing, ...]
    crisis: tuple[CrisisPhrasing, ...]
    ordinary: tuple[str, ...]
    out_of_scope: tuple[str, ...]

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
        CrisisPhrasing(entry["text"], _as_tuple(entry["kind"])) for entry in data["crisis"]
    )
    return PhrasingSet(tuple(needs), crisis, tuple(data["ordinary"]), tuple(data["out_of_scope"]))


def _as_tuple(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass
class Tally:
    total: int = 0
    top_1: int = 0
    top_3: int = 0

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

    @property
    def overall(self) -> Tally:
        tally = Tally()
        for part in self.by_need.values():
            tally.total += part.total
            tally.top_1 += part.top_1
            tally.top_3 += part.top_3
        return tally

    @property
    def out_of_scope_rate(self) -> float:
        return self.out_of_scope_rejected / max(self.out_of_scope_total, 1)


def measure_matching(matcher: TopicMatcher, phrasings: PhrasingSet) -> MatchingReport:
    """Top-1 and top-3 by need category (a topic counts when its need is acceptable)."""
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
        if matcher.decide(phrasing.text).kind == "none":
            report.unanswered.append((phrasing.text, phrasing.need))
    for text in phrasings.out_of_scope:
        report.out_of_scope_total += 1
        decision = matcher.decide(text)
        if decision.kind == "none":
            report.out_of_scope_rejected += 1
        else:
            report.out_of_scope_accepted.append((text, decision.candidates[0].topic_id))
    return report


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


def measure_safeguarding(
    detector: SafeguardingDetector, phrasings: PhrasingSet
) -> SafeguardingReport:
    report = SafeguardingReport()
    for crisis in phrasings.crisis:
        report.crisis_total += 1
        sign = detector.check(crisis.text)
        if sign is None:
            report.missed.append(crisis.text)
        elif sign.kind_id not in crisis.kinds:
            report.wrong_kind.append((crisis.text, " or ".join(crisis.kinds), sign.kind_id))
    for text in phrasings.not_crisis:
        report.ordinary_total += 1
        sign = detector.check(text)
        if sign is not None:
            report.false_alarms.append((text, sign.kind_id, sign.phrase))
    return report


def lines(items: Iterable[object]) -> str:
    return "\n".join(f"  {item}" for item in items)
