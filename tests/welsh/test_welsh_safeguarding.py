"""Welsh crisis signs measured on a held-aside Welsh set (tests/data/welsh_crisis_holdout.yaml).

Safeguarding by meaning uses an English model, so for Welsh text only the sign line
answers (docs/welsh.md): this measures that line alone, on disclosures and on
ordinary messages with alarming words. The set was committed before it was first
measured and is never tuned on; the floors are that first measurement, and the
misses are reported in docs/performance.md for whoever owns the signs.
"""

from __future__ import annotations

from pathlib import Path

from navigator.engine.safeguarding import SafeguardingDetector
from navigator.kb import KnowledgeBase
from tests.engine.crisis_set import load_crisis_set, measure_crisis

HOLDOUT = Path(__file__).resolve().parents[1] / "data" / "welsh_crisis_holdout.yaml"
CAUGHT_AT_LEAST = 4
"""Disclosures caught at the first measurement (a floor: fewer means the signs got worse)."""
FALSE_ALARMS_AT_MOST = 0


def test_welsh_signs_on_the_held_aside_welsh_set(demo_kb: KnowledgeBase) -> None:
    report = measure_crisis(SafeguardingDetector(demo_kb.safeguarding), load_crisis_set(HOLDOUT))
    print(
        f"Welsh crisis held-aside: caught {report.caught} of {report.crisis_total} "
        f"({report.recall:.0%}), right kind {report.right_kind}; false alarms "
        f"{len(report.false_alarms)} of {report.near_total}"
    )
    print("  missed:", report.missed)
    print("  false alarms:", report.false_alarms)
    assert report.caught >= CAUGHT_AT_LEAST, report.missed
    assert len(report.false_alarms) <= FALSE_ALARMS_AT_MOST, report.false_alarms
