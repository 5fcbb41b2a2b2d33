"""Safeguarding: every English tuned set in one run, with one newly read set in detail.

Run from the repository root:

    .venv/bin/python tests/bench/bench_read_set.py crisis_holdout8.yaml [out.json]

Written in session 10 as bench_misses7.py for crisis_holdout7.yaml (branch misses7) and
generalised in session 11 (branch misses8) to take the set to detail as an argument: each
session reads the set the last one held aside, and the bench should not be copied per set.
The set detailed is measured beside the tuned sets even before the lead adds it to
tests/engine/crisis_set.py's TUNED_SETS. A held-aside set is refused by name.

Why: one load of the models measures what a content round must keep (catches on every
tuned set, near-miss alarms, ordinary requests interrupted) and prints what it works from
on the newly read set: its misses, its near-miss alarms, its disclosures caught as the wrong
kind and a confusion table (kind labelled -> kind shown), since a wrong kind shows the wrong
contacts. The optional JSON lets two runs be compared.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from navigator.engine.safeguarding import SafeguardingDetector  # noqa: E402
from navigator.kb import load  # noqa: E402
from tests.engine.crisis_set import TUNED_SETS, load_crisis_set  # noqa: E402
from tests.engine.phrasing_set import HOLDOUT as PHRASINGS_HOLDOUT  # noqa: E402
from tests.engine.phrasing_set import PHRASINGS, load_phrasings  # noqa: E402

DATA = REPO / "tests" / "data"
HELD_ASIDE = {"crisis_holdout10.yaml", "welsh_crisis_holdout7.yaml"}
"""Never read while tuning: the held-aside sets of the round after session 12."""


def ordinary_interrupted(detector: SafeguardingDetector) -> list[list[str]]:
    """The needs sets' ordinary requests the lines interrupt, as [kind, line, text], with a
    count printed: shared by this bench and bench_nearmiss.py."""
    ordinary = [
        text for path in (PHRASINGS, PHRASINGS_HOLDOUT) for text in load_phrasings(path).not_crisis
    ]
    interrupted = []
    for text in ordinary:
        verdict = detector.assess(text)
        if verdict is not None:
            interrupted.append([verdict.kind_id, verdict.line, text])
    print(f"ordinary interrupted {len(interrupted)}/{len(ordinary)}")
    return interrupted


def _measure(detector: SafeguardingDetector, path: Path) -> dict[str, object]:
    crisis_set = load_crisis_set(path)
    missed, wrong, alarms, caught, right = [], [], [], [], 0
    confusion: Counter[str] = Counter()
    for item in crisis_set.crisis:
        verdict = detector.assess(item.text)
        if verdict is None:
            missed.append([list(item.kinds), item.text])
            continue
        caught.append(item.text)
        if verdict.kind_id in item.kinds:
            right += 1
        else:
            wrong.append([list(item.kinds), verdict.kind_id, verdict.line, item.text])
            confusion[f"{item.kinds[0]} -> {verdict.kind_id}"] += 1
    for text in crisis_set.near_misses:
        verdict = detector.assess(text)
        if verdict is not None:
            alarms.append([verdict.kind_id, verdict.line, text])
    return {
        "total": len(crisis_set.crisis),
        "caught": caught,
        "right": right,
        "missed": missed,
        "wrong": wrong,
        "alarms": alarms,
        "near_total": len(crisis_set.near_misses),
        "confusion": dict(confusion.most_common()),
    }


def main(detail_name: str, out: str | None) -> None:
    if Path(detail_name).name in HELD_ASIDE:
        sys.exit(f"{detail_name} is held aside: it must not be read while tuning")
    detail_path = DATA / Path(detail_name).name
    knowledge = load(REPO / "knowledge").knowledge
    detector = SafeguardingDetector.for_knowledge(knowledge)
    assert detector.prepare_meaning(), "the meaning model did not load"
    results: dict[str, object] = {}
    extra = () if detail_path in TUNED_SETS else (detail_path,)
    for path in (*TUNED_SETS, *extra):
        report = _measure(detector, path)
        results[path.name] = report
        print(
            f"{path.name:24s} caught {len(report['caught'])}/{report['total']} "  # type: ignore[arg-type]
            f"right kind {report['right']}, alarms {len(report['alarms'])}/{report['near_total']}"  # type: ignore[arg-type]
        )
    results["ordinary"] = interrupted = ordinary_interrupted(detector)
    detail = results[detail_path.name]
    assert isinstance(detail, dict)
    print(f"\n=== {detail_path.name}")
    for kinds, text in detail["missed"]:
        print(f"  MISSED {kinds}: {text}")
    for kind, line, text in detail["alarms"]:
        print(f"  ALARM {kind} by {line}: {text}")
    for kinds, shown, line, text in detail["wrong"]:
        print(f"  WRONG {kinds} shown {shown} by {line}: {text}")
    print("  confusion (labelled first kind -> shown):")
    for pair, count in detail["confusion"].items():
        print(f"    {count:3d}  {pair}")
    for kind, line, text in interrupted:
        print(f"  ORDINARY {kind} by {line}: {text}")
    if out:
        Path(out).write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: bench_read_set.py <crisis set in tests/data> [out.json]")
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
