"""Safeguarding by meaning, session 8: the trained view, its thresholds chosen by cross-validation.

Run from the repository root:

    .venv/bin/python tests/bench/bench_safeguarding_trained.py

The trained view (`navigator/engine/understanding/trained.py`) learns from the
knowledge base only, so every labelled set in tests/data is out of its sample.
Its two thresholds are not: `safety.TRAINED_ADDS` (a text the margins let pass is
asked the check-in question from this probability of crisis) and
`safety.TRAINED_CLEARS` (a check-in the margins would ask is dropped below this
one). They are chosen here by leave-one-fold-out cross-validation: each of the six
tuned crisis sets is a fold, and the ordinary requests of the needs sets
(tests/data/phrasings*.yaml) are dealt into six folds beside them. For each fold,
the thresholds are chosen on the other five and measured on the fold left out. The
rule (safety first, and the brief of session 8: more catches AND fewer interruptions):
no disclosure the margins catch may be lost, and alarms plus interruptions may not
exceed the margins' own; among those, the most catches, then the fewest alarms plus
interruptions. The margins alone (the trained view neither adds nor clears) always
qualify, so a fold where nothing helps ships no change. The sum over folds is the
honest estimate; the thresholds chosen on all six sets are the ones shipped.

The held-aside set (crisis_holdout6.yaml) is never read here.
"""

from __future__ import annotations

import itertools
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import msgspec

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import navigator.engine.understanding.safety as safety  # noqa: E402
from navigator.engine.safeguarding import SafeguardingDetector  # noqa: E402
from navigator.engine.understanding import trained  # noqa: E402
from navigator.kb import load  # noqa: E402
from tests.engine.crisis_set import TUNED_SETS, load_crisis_set  # noqa: E402
from tests.engine.phrasing_set import HOLDOUT as PHRASINGS_HOLDOUT  # noqa: E402
from tests.engine.phrasing_set import PHRASINGS, load_phrasings  # noqa: E402

ADDS = (0.8, 0.9, 0.95, 0.97, 0.98, 0.99, 2.0)
"""2.0: the trained view never adds."""
CLEARS = (None, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3)
"""None: the trained view never clears."""
FOLDS = len(TUNED_SETS)


@dataclass(frozen=True)
class Reading:
    """One text as the detector read it with the trained view always reporting."""

    fold: int
    kinds: tuple[str, ...] | None
    """The right kinds of a disclosure; () a near miss; None an ordinary request."""
    line: str | None
    """`sign`, `meaning` or `check-in` by the margins; None when they let it pass."""
    kind: str | None
    trained: float | None
    trained_kind: str | None


def _read_all(detector: SafeguardingDetector) -> list[Reading]:
    """Every text, with trained_adds 0 (the trained view reports on every text it reads)
    and trained_clears None, so one pass gives what any thresholds would decide."""
    line = detector.meaning
    assert line is not None
    shipped = line.english
    line.english = msgspec.structs.replace(shipped, trained_adds=0.0, trained_clears=None)
    try:
        return _read_every_text(detector)
    finally:
        line.english = shipped


def _read_every_text(detector: SafeguardingDetector) -> list[Reading]:
    texts: list[tuple[int, str, tuple[str, ...] | None]] = []
    for fold, path in enumerate(TUNED_SETS):
        crisis_set = load_crisis_set(path)
        texts += [(fold, item.text, item.kinds) for item in crisis_set.crisis]
        texts += [(fold, text, ()) for text in crisis_set.near_misses]
    ordinary = [
        text for path in (PHRASINGS, PHRASINGS_HOLDOUT) for text in load_phrasings(path).not_crisis
    ]
    texts += [(place % FOLDS, text, None) for place, text in enumerate(ordinary)]
    found = []
    for fold, text, kinds in texts:
        verdict = detector.assess(text)
        if verdict is None:
            found.append(Reading(fold, kinds, None, None, None, None))
            continue
        trained = verdict.trained
        if verdict.view == "trained":
            found.append(Reading(fold, kinds, None, None, trained, verdict.kind_id))
        else:
            found.append(Reading(fold, kinds, verdict.line, verdict.kind_id, trained, None))
    return found


def _decide(reading: Reading, adds: float, clears: float | None) -> str | None:
    """The kind shown or asked about at these thresholds, or None."""
    if reading.line in ("sign", "meaning"):
        return reading.kind
    if reading.line == "check-in":
        cleared = clears is not None and reading.trained is not None and reading.trained < clears
        return None if cleared else reading.kind
    if reading.trained is not None and reading.trained >= adds:
        return reading.trained_kind
    return None


@dataclass
class Tally:
    caught: int = 0
    right_kind: int = 0
    disclosures: int = 0
    lost: int = 0
    """Disclosures the margins catch that these thresholds do not."""
    alarms: int = 0
    near: int = 0
    interrupted: int = 0
    ordinary: int = 0

    def score(self) -> tuple[int, int]:
        return self.caught, -(self.alarms + self.interrupted)

    def __str__(self) -> str:
        return (
            f"caught {self.caught}/{self.disclosures} (right kind {self.right_kind}), "
            f"alarms {self.alarms}/{self.near}, interrupted {self.interrupted}/{self.ordinary}"
        )


def _tally(readings: list[Reading], adds: float, clears: float | None) -> Tally:
    tally = Tally()
    for reading in readings:
        kind = _decide(reading, adds, clears)
        if reading.kinds is None:
            tally.ordinary += 1
            tally.interrupted += kind is not None
        elif not reading.kinds:
            tally.near += 1
            tally.alarms += kind is not None
        else:
            tally.disclosures += 1
            tally.caught += kind is not None
            tally.right_kind += kind in reading.kinds
            tally.lost += kind is None and _decide(reading, 2.0, None) is not None
    return tally


def _choose(readings: list[Reading]) -> tuple[float, float | None]:
    """The thresholds losing no catch of the margins and adding no alarm or interruption
    in all, with the most catches, then the fewest alarms and interruptions (ties: the
    first in ADDS and CLEARS order)."""
    margins = _tally(readings, 2.0, None)
    best: tuple[tuple[int, int], float, float | None] | None = None
    for adds, clears in itertools.product(ADDS, CLEARS):
        tally = _tally(readings, adds, clears)
        if tally.lost or tally.alarms + tally.interrupted > margins.alarms + margins.interrupted:
            continue
        if best is None or tally.score() > best[0]:
            best = (tally.score(), adds, clears)
    assert best is not None  # ADDS 2.0 with CLEARS None loses nothing
    return best[1], best[2]


def main() -> None:
    knowledge = load(REPO / "knowledge").knowledge
    detector = SafeguardingDetector.for_knowledge(knowledge)
    start = time.perf_counter()
    assert detector.prepare_meaning(), "the meaning model did not load"
    print(f"meaning lines ready (trained view included) in {time.perf_counter() - start:.1f} s")
    shipped = (safety.ENGLISH.trained_adds, safety.ENGLISH.trained_clears)
    readings = _read_all(detector)
    names = [path.stem for path in TUNED_SETS]

    print("\nleave-one-fold-out (thresholds chosen on the other five folds):")
    margins_total, cv_total = Tally(), Tally()
    for fold, name in enumerate(names):
        inside = [reading for reading in readings if reading.fold != fold]
        outside = [reading for reading in readings if reading.fold == fold]
        adds, clears = _choose(inside)
        margins, chosen = _tally(outside, 2.0, None), _tally(outside, adds, clears)
        for total, tally in ((margins_total, margins), (cv_total, chosen)):
            for field in vars(total):
                setattr(total, field, getattr(total, field) + getattr(tally, field))
        print(f"  {name:16s} chose adds {adds}, clears {clears}")
        print(f"    margins alone: {margins}")
        print(f"    with trained:  {chosen}; catches lost {chosen.lost}")
    print(f"\n  all folds, margins alone: {margins_total}")
    print(f"  all folds, with trained:  {cv_total}; catches lost {cv_total.lost}")

    print("\nevery pair of thresholds, all six folds (ADDS, CLEARS):")
    for add, clear in itertools.product(ADDS, CLEARS):
        tally = _tally(readings, add, clear)
        print(f"  {add!s:5s} {clear!s:5s} {tally}; lost {tally.lost}")
    adds, clears = _choose(readings)
    print(f"\nchosen on all six folds: TRAINED_ADDS {adds}, TRAINED_CLEARS {clears}")
    print(f"shipped in safety.py:    TRAINED_ADDS {shipped[0]}, TRAINED_CLEARS {shipped[1]}")
    print("\nin-sample for the thresholds (the trained view itself never saw these sets):")
    for label, (add, clear) in (
        ("margins alone", (2.0, None)),
        ("trained adds only", (adds, None)),
        ("trained clears only", (2.0, clears)),
        ("both", (adds, clears)),
    ):
        print(f"  {label:20s} {_tally(readings, add, clear)}")
        for fold, name in enumerate(names):
            part = _tally([r for r in readings if r.fold == fold], add, clear)
            print(f"      {name:16s} {part}")
    _cost(detector, readings)


def _p(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _cost(detector: SafeguardingDetector, readings: list[Reading]) -> None:
    """Training time and memory, and the cost per message: every text through `assess`
    with the trained view and without it, alternating text by text (same process, same
    models, so the machine's load touches both alike)."""
    import numpy as np

    line = detector.meaning
    assert line is not None and line._index is not None
    index = line._index
    view = index.trained
    assert view is not None and index.context is not None and index.meaning is not None
    features = np.concatenate([index.context, index.meaning], axis=1)
    classes = view.classes
    labels = np.array(
        [
            classes.index(kind)
            for kind, (a, b) in zip(index.kinds, index.bounds, strict=True)
            for _ in range(b - a)
        ]
        + [0] * index.ordinary_rows
    )
    tracemalloc.start()
    start = time.perf_counter()
    trained.train(features, labels, len(classes))
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    kept = view.weights.nbytes + view.bias.nbytes
    print(
        f"\ntraining on {len(labels)} rows x {features.shape[1]}: {seconds:.2f} s, "
        f"peak {peak:.0f} MB while training; weights kept {kept / 1024:.0f} KB"
    )

    texts = _texts()
    without = msgspec.structs.replace(index, trained=None)
    timed: dict[str, list[float]] = {"with": [], "without": []}
    for text in texts[:20]:
        detector.assess(text)  # warm the models' memories as a person's first words would
    for text in texts:
        for label, version in (("with", index), ("without", without)):
            line._index = version
            _forget(line)  # each reading pays for its own vectors, as a new message does
            start = time.perf_counter()
            detector.assess(text)
            timed[label].append((time.perf_counter() - start) * 1000)
    line._index = index
    for label, values in timed.items():
        print(
            f"  all lines {label} the trained view, {len(values)} texts: "
            f"median {statistics.median(values):.2f} ms, p99 {_p(values, 0.99):.2f} ms"
        )
    ratio = statistics.median(timed["with"]) / statistics.median(timed["without"])
    print(f"  median ratio with/without: {ratio:.3f}")


def _forget(line: safety.MeaningLine) -> None:
    """Empty both models' memories of recent texts (otherwise the second reading of a text
    would find its vectors ready)."""
    line.model._remembered.clear()
    if line.contextual is not None:
        line.contextual._remembered.clear()


def _texts() -> list[str]:
    texts = []
    for path in TUNED_SETS:
        crisis_set = load_crisis_set(path)
        texts += [item.text for item in crisis_set.crisis] + list(crisis_set.near_misses)
    texts += [
        text for path in (PHRASINGS, PHRASINGS_HOLDOUT) for text in load_phrasings(path).not_crisis
    ]
    return texts


if __name__ == "__main__":
    main()
