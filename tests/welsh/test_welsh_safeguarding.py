"""Welsh crisis recognition measured on labelled Welsh sets.

tests/data/welsh_crisis.yaml (written by branch cymraeg) and
tests/data/welsh_crisis_holdout.yaml (first written as a held-aside set, measured once,
its misses read and worked on by branch cymraeg) are the TUNED Welsh sets: the floors
are the figures at the end of that work, so a change that makes Welsh crisis
recognition worse fails here. tests/data/welsh_crisis_holdout2.yaml is the held-aside
Welsh set, written on another branch by someone who never saw the tuning: it is
measured when present (the lead sets its floors at merge) and skipped when absent.

Measured as a Welsh conversation reads a message (`assess_as_conversation`): the sign
lexicon for every language, then the meaning line of the language the text is in.
Docs: docs/performance.md, "Session 7: Welsh crisis recognition (branch cymraeg)".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from navigator.engine.safeguarding import SafeguardingDetector
from navigator.kb import KnowledgeBase
from tests.engine.crisis_set import CrisisReport, load_crisis_set, measure_crisis

DATA = Path(__file__).resolve().parents[1] / "data"
TUNED = {
    "tuned Welsh set": DATA / "welsh_crisis.yaml",
    "tuned Welsh set (first held-aside)": DATA / "welsh_crisis_holdout.yaml",
}
HOLDOUT = DATA / "welsh_crisis_holdout2.yaml"
"""The held-aside Welsh set, never seen by the branch that tuned (absent there)."""
FLOORS = {
    "tuned Welsh set": (51, 51, 0),
    "tuned Welsh set (first held-aside)": (17, 17, 0),
}
"""Caught at least, right kind at least, false alarms at most: the figures at the end of
branch cymraeg (before it: 10 of 52 caught and 1 false alarm of 34; 4 of 18 and 0 of 10)."""


def _measure(knowledge: KnowledgeBase, path: Path) -> CrisisReport:
    detector = SafeguardingDetector(knowledge.safeguarding, knowledge.vocabulary)
    report = measure_crisis(detector, load_crisis_set(path))
    print(
        f"{path.name}: caught {report.caught} of {report.crisis_total} ({report.recall:.0%}), "
        f"right kind {report.right_kind}; false alarms {len(report.false_alarms)} of "
        f"{report.near_total}"
    )
    print("  missed:", report.missed)
    print("  false alarms:", report.false_alarms)
    return report


@pytest.mark.parametrize("name", TUNED)
def test_welsh_signs_on_the_tuned_welsh_sets(demo_kb: KnowledgeBase, name: str) -> None:
    report = _measure(demo_kb, TUNED[name])
    caught, right_kind, false_alarms = FLOORS[name]
    assert report.caught >= caught, report.missed
    assert report.right_kind >= right_kind
    assert len(report.false_alarms) <= false_alarms, report.false_alarms


def test_welsh_signs_on_the_held_aside_welsh_set(demo_kb: KnowledgeBase) -> None:
    """Measured at merge; the lead sets floors from what it prints. Until then it must
    at least catch some of it and read every text without failing."""
    if not HOLDOUT.is_file():
        pytest.skip(f"{HOLDOUT.name} is written on another branch (measured at merge)")
    report = _measure(demo_kb, HOLDOUT)
    assert report.caught > 0, report.missed
