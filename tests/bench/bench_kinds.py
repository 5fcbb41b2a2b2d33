"""Safeguarding, session 11 (branch kinds): which kind a caught disclosure is shown.

Run from the repository root:

    .venv/bin/python tests/bench/bench_kinds.py [out.json]

Why: a caught disclosure shows one kind's panel, and a wrong kind shows the wrong contacts.
This reads every English tuned set (crisis_holdout8.yaml included, read this session) twice
through the real detector: with the kind chosen as before session 11 (the sign lexicon's most
serious kind; the meaning line's one reading furthest past its check-in margin) and as now
(`safety.KIND_FULL_SHARE`, `KIND_TRAINED_WEIGHT`, `SignLineWithMeaning`). It asserts that
whether a text is caught, and by which line, is the same both ways on every disclosure, near
miss and ordinary request (only the kind may change), and prints right kinds per set, the
confusion (labelled kind -> kind shown) by the line that decided, and leave-one-set-out
cross-validation of the two settings: per set, the settings that do best on the other sets,
scored on it, from the evidence each caught disclosure leaves (every kind's margins over all
readings and over the three-view blend's, and the trained view's probabilities).
"""

from __future__ import annotations

import itertools
import json
import sys
from collections import Counter
from pathlib import Path

import msgspec
import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from navigator.engine.safeguarding import SafeguardingDetector, SignLineWithMeaning  # noqa: E402
from navigator.engine.understanding.safety import ENGLISH  # noqa: E402
from navigator.engine.understanding.verdict import SafetyVerdict  # noqa: E402
from navigator.kb import load  # noqa: E402
from tests.engine.crisis_set import TUNED_SETS, load_crisis_set  # noqa: E402
from tests.engine.phrasing_set import HOLDOUT as PHRASINGS_HOLDOUT  # noqa: E402
from tests.engine.phrasing_set import PHRASINGS, load_phrasings  # noqa: E402

DATA = REPO / "tests" / "data"
READ = ("crisis_holdout8.yaml",)
BEFORE = msgspec.structs.replace(ENGLISH, kind_full_share=0.0, kind_trained_weight=0.0)
"""Session 10's choice: the margins of the reading furthest past its check-in margin."""
SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)
WEIGHTS = (0.0, 0.005, 0.01, 0.015, 0.02, 0.03)


def _before(detector: SafeguardingDetector, text: str) -> SafetyVerdict | None:
    assert detector.meaning is not None
    detector.meaning.english = BEFORE
    try:
        return detector.sign_line.signs.assess(text) or detector.by_meaning(text)
    finally:
        detector.meaning.english = ENGLISH


def _chosen(evidence: dict[str, dict[str, float]], share: float, weight: float) -> str:
    """`_KindEvidence.chosen` on the evidence kept, for other settings."""
    kinds = list(evidence["margins"])
    score = np.array([evidence["margins"][kind] for kind in kinds])
    if evidence["full"]:
        full = np.array([evidence["full"][kind] for kind in kinds])
        score = (1 - share) * score + share * full
    if evidence["trained"] and weight:
        chances = np.array([evidence["trained"][kind] for kind in kinds])
        score = score + weight * np.log(np.maximum(chances, 1e-9))
    return kinds[int(score.argmax())]


def _confusion(rows: list[dict[str, object]], key: str) -> None:
    lines: Counter[str] = Counter()
    right: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for row in rows:
        lines[str(row["line"])] += 1
        ok = row[key] in row["kinds"]  # type: ignore[operator]
        right[str(row["line"])] += ok
        if not ok:
            pairs[f"{row['kinds'][0]} -> {row[key]} ({row['line']})"] += 1  # type: ignore[index]
    for line, count in lines.most_common():
        print(f"  by {line:9s} right {right[line]}/{count}")
    for pair, count in pairs.most_common(20):
        print(f"    {count:3d}  {pair}")


def main(out: str | None) -> None:
    knowledge = load(REPO / "knowledge").knowledge
    detector = SafeguardingDetector.for_knowledge(knowledge)
    assert detector.prepare_meaning(), "the meaning model did not load"
    assert detector.meaning is not None
    rows: list[dict[str, object]] = []
    for path in (*TUNED_SETS, *(DATA / name for name in READ)):
        crisis_set = load_crisis_set(path)
        for item in crisis_set.crisis:
            before, now = _before(detector, item.text), detector.assess(item.text)
            assert (before is None) == (now is None), "a catch changed"
            if before is None or now is None:
                continue
            assert (before.line, before.view) == (now.line, now.view), "a line changed"
            evidence = detector.meaning.kind_evidence(item.text)
            rows.append(
                {
                    "set": path.name,
                    "text": item.text,
                    "kinds": list(item.kinds),
                    "line": now.line if now.view == "margins" else "trained",
                    "before": before.kind_id,
                    "now": now.kind_id,
                    **evidence,
                }
            )
        for text in crisis_set.near_misses:
            before, now = _before(detector, text), detector.assess(text)
            assert (before is None) == (now is None), "a near miss's alarm changed"
    ordinary = [
        text for path in (PHRASINGS, PHRASINGS_HOLDOUT) for text in load_phrasings(path).not_crisis
    ]
    for text in ordinary:
        assert (_before(detector, text) is None) == (detector.assess(text) is None)
    sets = list(dict.fromkeys(str(row["set"]) for row in rows))
    print("set                      caught  right before  right now")
    for name in sets:
        part = [row for row in rows if row["set"] == name]
        before_right = sum(row["before"] in row["kinds"] for row in part)  # type: ignore[operator]
        now_right = sum(row["now"] in row["kinds"] for row in part)  # type: ignore[operator]
        print(f"{name:24s} {len(part):6d} {before_right:13d} {now_right:10d}")
    print(
        f"all {len(rows)} caught: right before",
        sum(r["before"] in r["kinds"] for r in rows),  # type: ignore[operator]
        "now",
        sum(r["now"] in r["kinds"] for r in rows),
    )  # type: ignore[operator]
    print("confusion before (labelled first kind -> shown, by line):")
    _confusion(rows, "before")
    print("confusion now:")
    _confusion(rows, "now")
    _cross_validate(rows, sets, detector.sign_line)
    if out:
        Path(out).write_text(json.dumps(rows), encoding="utf-8")


def _cross_validate(
    rows: list[dict[str, object]], sets: list[str], sign_line: SignLineWithMeaning
) -> None:
    """Leave one set out: the settings best on the other sets, scored on the one left out.
    A disclosure the trained view alone asked about keeps that view's kind, as in `check`;
    a sign's kind stands where `SignLineWithMeaning` keeps it (`refined`, `never`)."""
    grid = list(itertools.product(SHARES, WEIGHTS))
    right = {setting: Counter[str]() for setting in grid}
    for row in rows:
        for setting in grid:
            kind = row["now"] if row["line"] == "trained" else _chosen(row, *setting)  # type: ignore[arg-type]
            if row["line"] == "sign" and (
                row["before"] not in sign_line.refined or kind in sign_line.never
            ):
                kind = row["before"]
            right[setting][str(row["set"])] += kind in row["kinds"]  # type: ignore[operator]
    total = 0
    print("leave-one-set-out (share, weight) chosen on the other sets -> right on the set:")
    for name in sets:
        best = max(
            grid,
            key=lambda setting: (
                sum(v for s, v in right[setting].items() if s != name),
                -setting[1],
                -setting[0],
            ),
        )
        total += right[best][name]
        print(f"  {name:24s} {best} -> {right[best][name]}")
    print(f"  cross-validated right kinds: {total}/{len(rows)}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
