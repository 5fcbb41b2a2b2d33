"""Safeguarding by meaning, session 8: the trained view, its thresholds chosen by cross-validation.

Run from the repository root:

    .venv/bin/python tests/bench/bench_safeguarding_trained.py

The trained view (`navigator/engine/understanding/trained.py`) learns from the
knowledge base only, so every labelled set in tests/data is out of its sample.
Its two thresholds are not: `safety.TRAINED_ADDS` (a text the margins let pass is
asked the check-in question from this probability of crisis) and
`safety.TRAINED_CLEARS` (a check-in the margins would ask is dropped below this
one). They are chosen here by leave-one-fold-out cross-validation: each of the seven
tuned crisis sets is a fold (crisis_holdout6.yaml, held aside in session 8, is tuned on
from session 9), and the ordinary requests of the needs sets
(tests/data/phrasings*.yaml) are dealt into seven folds beside them. For each fold,
the thresholds are chosen on the other folds and measured on the fold left out. The
rule (session 9, issue 12: fewer interruptions without losing any catch): no
disclosure the session 8 detector catches (its view, HARD_WEIGHT 1, at its thresholds
0.9 and 0.05) may be lost; among those, the fewest alarms plus interruptions, then
the most catches. (Session 8's rule put the most catches first, measured against the
margins alone.) The session 8 thresholds qualify for its own view, so a fold where
nothing helps ships no change. The sum over folds is the honest estimate; the
thresholds chosen on all folds are the ones shipped.

Session 9 (branch trainedcal) also compares the weight of the near misses and guards in
training (`trained.HARD_WEIGHT`): each weight's view is learnt afresh, every text read
again, and its thresholds chosen by the same cross-validation.

The held-aside set of session 9 (crisis_holdout7.yaml, another branch's) is never read here.
"""

from __future__ import annotations

import dataclasses
import itertools
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import navigator.engine.understanding.safety as safety  # noqa: E402
from navigator.engine.safeguarding import SafeguardingDetector  # noqa: E402
from navigator.engine.understanding import trained  # noqa: E402
from navigator.kb import load  # noqa: E402
from tests.engine.crisis_set import DATA, TUNED_SETS, load_crisis_set  # noqa: E402
from tests.engine.phrasing_set import HOLDOUT as PHRASINGS_HOLDOUT  # noqa: E402
from tests.engine.phrasing_set import PHRASINGS, load_phrasings  # noqa: E402

ADDS = (0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 2.0)
"""2.0: the trained view never adds."""
CLEARS = (None, 0.01, 0.02, 0.025, 0.03, 0.05, 0.07, 0.1, 0.2, 0.3)
"""None: the trained view never clears. In order of clearing more, so a tie goes to the
least clearing (safety first)."""
READ_SETS = (*TUNED_SETS, DATA / "crisis_holdout6.yaml")
"""The tuned sets; crisis_holdout6.yaml by path (crisis_set.py's constants are the lead's)."""
FOLDS = len(READ_SETS)
HARD_WEIGHTS = (1.0, 2.0, 3.0, 4.0, 5.0)
"""The near misses' weights in training compared (1: session 8, every ordinary row alike)."""


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
    text: str = ""
    before: bool = False
    """Whether the session 8 detector caught this disclosure (`SESSION_8`): never to lose."""


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
    for fold, path in enumerate(READ_SETS):
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
            found.append(Reading(fold, kinds, None, None, None, None, text))
            continue
        trained = verdict.trained
        if verdict.view == "trained":
            found.append(Reading(fold, kinds, None, None, trained, verdict.kind_id, text))
        else:
            found.append(Reading(fold, kinds, verdict.line, verdict.kind_id, trained, None, text))
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
            tally.lost += kind is None and reading.before
    return tally


def _choose(readings: list[Reading]) -> tuple[float, float | None]:
    """The thresholds losing the fewest of the session 8 detector's catches (none, where
    any pair can), then with the fewest alarms and interruptions, then the most catches
    (ties: the first in ADDS and CLEARS order)."""
    best: tuple[tuple[int, int, int], float, float | None] | None = None
    for adds, clears in itertools.product(ADDS, CLEARS):
        tally = _tally(readings, adds, clears)
        score = (-tally.lost, -(tally.alarms + tally.interrupted), tally.caught)
        if best is None or score > best[0]:
            best = (score, adds, clears)
    assert best is not None
    return best[1], best[2]


SESSION_8 = (0.9, 0.05)
"""The session 8 thresholds (TRAINED_ADDS, TRAINED_CLEARS), with its view (HARD_WEIGHT 1)."""


def _with_before(readings: list[Reading], before: set[str]) -> list[Reading]:
    """The readings, each disclosure marked with whether the session 8 detector caught it."""
    return [dataclasses.replace(reading, before=reading.text in before) for reading in readings]


def main() -> None:
    knowledge = load(REPO / "knowledge").knowledge
    detector = SafeguardingDetector.for_knowledge(knowledge)
    start = time.perf_counter()
    assert detector.prepare_meaning(), "the meaning model did not load"
    print(f"meaning lines ready (trained view included) in {time.perf_counter() - start:.1f} s")
    shipped = (safety.ENGLISH.trained_adds, safety.ENGLISH.trained_clears)
    before = _hard_weights(detector)
    readings = _with_before(_read_all(detector), before)
    names = [path.stem for path in READ_SETS]

    print("\nleave-one-fold-out (thresholds chosen on the other folds):")
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

    print("\nevery pair of thresholds, all folds (ADDS, CLEARS):")
    for add, clear in itertools.product(ADDS, CLEARS):
        tally = _tally(readings, add, clear)
        print(f"  {add!s:5s} {clear!s:5s} {tally}; lost {tally.lost}")
    adds, clears = _choose(readings)
    print(f"\nchosen on all folds: TRAINED_ADDS {adds}, TRAINED_CLEARS {clears}")
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


def _cross_validated(readings: list[Reading]) -> Tally:
    """The sum over folds of each fold measured with the thresholds chosen on the others."""
    total = Tally()
    for fold in range(FOLDS):
        adds, clears = _choose([reading for reading in readings if reading.fold != fold])
        tally = _tally([reading for reading in readings if reading.fold == fold], adds, clears)
        for field in vars(total):
            setattr(total, field, getattr(total, field) + getattr(tally, field))
    return total


def _emphasis(index: safety._Index, hard_weight: float) -> npt.NDArray[np.float64]:
    """Each training row's weight: `hard_weight` for the guards and near misses, else 1."""
    import numpy as np

    emphasis = np.ones(len(index.examples) + index.ordinary_rows)
    first = len(index.examples)
    emphasis[first : first + index.hard_rows] = hard_weight
    return emphasis


def _labels(index: safety._Index, classes: tuple[str, ...]) -> npt.NDArray[np.intp]:
    import numpy as np

    kinds = [
        classes.index(kind)
        for kind, (first, last) in zip(index.kinds, index.bounds, strict=True)
        for _ in range(last - first)
    ]
    return np.array(kinds + [0] * index.ordinary_rows, dtype=np.intp)


def _training_rows(
    detector: SafeguardingDetector,
) -> tuple[Any, Any, trained.TrainedView, Any]:
    """The English line, its index, its trained view, and the rows the view learns from
    (contextual and static vectors side by side), as `trained.trained_view` reads them."""
    import numpy as np

    line = detector.meaning
    assert line is not None and line._index is not None
    index = line._index
    view = index.trained
    assert view is not None and index.context is not None and index.meaning is not None
    return line, index, view, np.concatenate([index.context, index.meaning], axis=1)


def _hard_weights(detector: SafeguardingDetector) -> set[str]:
    """Each HARD_WEIGHTS' view learnt and every text read with it: in-sample figures at the
    thresholds chosen on all folds, and the cross-validated sum. Returns the disclosures
    the session 8 detector catches (HARD_WEIGHT 1, at SESSION_8), never to be lost."""
    line, index, view, features = _training_rows(detector)
    labels = _labels(index, view.classes)
    print("\nweight of the near misses and guards in training (trained.HARD_WEIGHT):")
    before: set[str] = set()
    try:
        for hard_weight in HARD_WEIGHTS:
            weights, bias = trained.train(
                features, labels, len(view.classes), _emphasis(index, hard_weight)
            )
            variant = trained.TrainedView(view.classes, weights, bias)
            line._index = msgspec.structs.replace(index, trained=variant)
            readings = _read_all(detector)
            if hard_weight == 1.0:
                before = {r.text for r in readings if r.kinds and _decide(r, *SESSION_8)}
                readings = _with_before(readings, before)
                print(f"  1.0 at the session 8 thresholds: {_tally(readings, *SESSION_8)}")
            readings = _with_before(readings, before)
            adds, clears = _choose(readings)
            print(f"  {hard_weight}: chosen adds {adds}, clears {clears}")
            print(f"      in-sample: {_tally(readings, adds, clears)}")
            tally = _cross_validated(readings)
            print(f"      cross-validated: {tally}; catches lost {tally.lost}")
    finally:
        line._index = index
    return before


def _p(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _cost(detector: SafeguardingDetector, readings: list[Reading]) -> None:
    """Training time and memory, and the cost per message: every text through `assess`
    with the trained view and without it, alternating text by text (same process, same
    models, so the machine's load touches both alike)."""
    line, index, view, features = _training_rows(detector)
    classes = view.classes
    labels = _labels(index, classes)
    tracemalloc.start()
    start = time.perf_counter()
    trained.train(features, labels, len(classes), _emphasis(index, trained.HARD_WEIGHT))
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
    for path in READ_SETS:
        crisis_set = load_crisis_set(path)
        texts += [item.text for item in crisis_set.crisis] + list(crisis_set.near_misses)
    texts += [
        text for path in (PHRASINGS, PHRASINGS_HOLDOUT) for text in load_phrasings(path).not_crisis
    ]
    return texts


if __name__ == "__main__":
    main()
