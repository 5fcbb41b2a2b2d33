"""Safeguarding, session 11 (branch nearmiss): near-miss alarms on every read English set.

Run from the repository root:

    .venv/bin/python tests/bench/bench_nearmiss.py [knowledge folder] [out.json] [--hard-weight W]

Why: the near-miss work is by family of ordinary talk, not by one set's misses, so it
needs every read set's alarms side by side (the tuned sets and crisis_holdout8.yaml,
read from session 11) with the catches and right kinds they must keep, and the phrasings'
ordinary requests interrupted. One load of the models; the JSON lets two runs (such as
the knowledge base a branch started from and the branch's) be compared.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from navigator.engine.safeguarding import SafeguardingDetector  # noqa: E402
from navigator.engine.understanding import trained  # noqa: E402
from navigator.kb import load  # noqa: E402
from tests.bench.bench_read_set import _measure, ordinary_interrupted  # noqa: E402
from tests.engine.crisis_set import TUNED_SETS  # noqa: E402

DATA = REPO / "tests" / "data"
READ = ("crisis_holdout8.yaml",)
"""Held aside in session 10, read and tuned on from session 11."""


def main(folder: Path, out: str | None) -> None:
    knowledge = load(folder).knowledge
    detector = SafeguardingDetector.for_knowledge(knowledge)
    assert detector.prepare_meaning(), "the meaning model did not load"
    results: dict[str, object] = {}
    totals = [0, 0, 0, 0, 0, 0]
    for path in (*TUNED_SETS, *(DATA / name for name in READ)):
        report = _measure(detector, path)
        results[path.name] = report
        caught, alarms = len(report["caught"]), len(report["alarms"])  # type: ignore[arg-type]
        cells = (caught, report["total"], report["right"], alarms, report["near_total"])
        for place, value in enumerate(cells):
            totals[place] += value  # type: ignore[operator]
        print(
            f"{path.name:24s} caught {caught}/{report['total']} right kind {report['right']}, "
            f"alarms {alarms}/{report['near_total']}"
        )
    print(
        f"{'all read sets':24s} caught {totals[0]}/{totals[1]} right kind {totals[2]}, "
        f"alarms {totals[3]}/{totals[4]}"
    )
    results["ordinary"] = ordinary_interrupted(detector)
    if out:
        Path(out).write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    if "--hard-weight" in sys.argv:  # the trained view learnt with another HARD_WEIGHT
        trained.HARD_WEIGHT = float(sys.argv.pop(sys.argv.index("--hard-weight") + 1))
        sys.argv.remove("--hard-weight")
    main(
        Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "knowledge",
        sys.argv[2] if len(sys.argv) > 2 else None,
    )
