"""The labelled crisis sets (issue 12) and how the safeguarding lines are measured on them.

tests/data/crisis.yaml is the tuned part (the meaning line's margins were chosen
on it); tests/data/crisis_holdout.yaml was written first and never tuned on.
Shared by tests/engine/test_safeguarding_meaning.py and the benchmark
tests/bench/bench_safeguarding.py, so both measure the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from navigator.engine.safeguarding import SafeguardingDetector

DATA = Path(__file__).resolve().parents[1] / "data"
TUNED = DATA / "crisis.yaml"
HOLDOUT = DATA / "crisis_holdout.yaml"
SETS = {"tuned": TUNED, "held-aside": HOLDOUT}


@dataclass(frozen=True)
class Disclosure:
    text: str
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class CrisisSet:
    crisis: tuple[Disclosure, ...]
    near_misses: tuple[str, ...]


def load_crisis_set(path: Path) -> CrisisSet:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    crisis = tuple(Disclosure(item["text"], tuple(item["kinds"])) for item in data["crisis"])
    return CrisisSet(crisis, tuple(data["near_misses"]))


@dataclass
class CrisisReport:
    """Caught means any response, the check-in included; so does a false alarm."""

    crisis_total: int = 0
    caught: int = 0
    caught_by_line: dict[str, int] = field(default_factory=dict)
    right_kind: int = 0
    missed: list[str] = field(default_factory=list)
    near_total: int = 0
    false_alarms: list[tuple[str, str]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / max(self.crisis_total, 1)


def measure_crisis(detector: SafeguardingDetector, crisis_set: CrisisSet) -> CrisisReport:
    report = CrisisReport()
    for item in crisis_set.crisis:
        report.crisis_total += 1
        verdict = detector.assess(item.text)
        if verdict is None:
            report.missed.append(item.text)
            continue
        report.caught += 1
        report.caught_by_line[verdict.line] = report.caught_by_line.get(verdict.line, 0) + 1
        report.right_kind += verdict.kind_id in item.kinds
    for text in crisis_set.near_misses:
        report.near_total += 1
        verdict = detector.assess(text)
        if verdict is not None:
            report.false_alarms.append((text, verdict.line))
    return report
