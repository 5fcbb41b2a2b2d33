"""Safeguarding by meaning: how the three views blend, searched on the tuned sets only.

Run from the repository root:

    .venv/bin/python tests/bench/bench_safeguarding_blend.py [--grid] [--cv]

Every text of the tuned crisis sets (`TUNED_SETS`: disclosures and near misses)
and every ordinary request of tests/data/phrasings*.yaml is read once in each
view: letter groups, the static model, the contextual model (cosine to every
example and ordinary phrase). Then each blend (weights of the three views and
the panel and check-in margins) is scored without reading the texts again:
disclosures caught, near misses alarmed, ordinary requests interrupted. The
held-aside set (crisis_holdout6.yaml) is never read here.

Without options it prints the shipped blends, per set. `--grid`: the best blends
of a grid on all tuned sets together, ranked by misses, then near-miss alarms
plus ordinary requests interrupted. `--cv`: leave one set out: the grid's best
blend on the other sets, measured on the one left out.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import navigator.engine.understanding.safety as safety  # noqa: E402
from navigator.engine.safeguarding import SafeguardingDetector  # noqa: E402
from navigator.engine.textnorm import normalise  # noqa: E402
from navigator.engine.understanding.safety import MeaningLine  # noqa: E402
from navigator.kb import load  # noqa: E402
from tests.engine.crisis_set import TUNED_SETS, load_crisis_set  # noqa: E402
from tests.engine.phrasing_set import HOLDOUT as PHRASINGS_HOLDOUT  # noqa: E402
from tests.engine.phrasing_set import PHRASINGS, load_phrasings  # noqa: E402

Weights = tuple[float, float, float]


@dataclass
class Read:
    """One group of texts read in every view."""

    name: str
    crisis: bool
    texts: list[str]
    sign: np.ndarray  # bool: the sign line fires
    short: np.ndarray  # bool: fewer than MIN_WORDS different words (meaning not read)
    past: np.ndarray  # bool: told as past or over (panel only)
    views: np.ndarray  # texts x 3 x rows


def read_all() -> tuple[list[Read], MeaningLine]:
    knowledge = load(REPO / "knowledge").knowledge
    detector = SafeguardingDetector.for_knowledge(knowledge)
    line = detector.meaning
    assert line is not None and line.prepare(), "a meaning model did not load"
    index = line._built()
    assert index is not None and index.meaning is not None and index.context is not None
    groups: list[tuple[str, bool, list[str]]] = []
    for path in TUNED_SETS:
        crisis_set = load_crisis_set(path)
        groups.append((path.stem, True, [item.text for item in crisis_set.crisis]))
        groups.append((path.stem + " near", False, list(crisis_set.near_misses)))
    ordinary = [
        *load_phrasings(PHRASINGS).not_crisis,
        *load_phrasings(PHRASINGS_HOLDOUT).not_crisis,
    ]
    groups.append(("ordinary", False, ordinary))
    out = []
    for name, crisis, texts in groups:
        views = []
        for text in texts:
            spelling, meaning, context = line.views(index, text)
            assert meaning is not None and context is not None
            views.append(np.stack([spelling, meaning, context]))
        words = [normalise(text).split() for text in texts]
        out.append(
            Read(
                name,
                crisis,
                texts,
                np.array([detector.check(text) is not None for text in texts]),
                np.array([len(set(w)) < safety.MIN_WORDS for w in words]),
                np.array([safety._past_or_over(w) for w in words]),
                np.stack(views),
            )
        )
    return out, line


def margins(read: Read, index: safety._Index, weights: Weights) -> np.ndarray:
    """Each text's best kind margin under a blend (texts,)."""
    scores = np.tensordot(read.views, np.array(weights, dtype=np.float32), axes=([1], [0]))
    first_ordinary = index.bounds[-1][1]
    ordinary = np.sort(scores[:, first_ordinary:], axis=1)[:, -safety.NEAREST :].mean(axis=1)
    best = np.full(len(read.texts), -np.inf)
    for first, last in index.bounds:
        top = np.sort(scores[:, first:last], axis=1)[:, -safety.NEAREST :].mean(axis=1)
        best = np.maximum(best, top - ordinary)
    return best


def responds(read: Read, best: np.ndarray, panel: float, check_in: float) -> np.ndarray:
    threshold = np.where(read.past, panel, check_in)
    return read.sign | (~read.short & (best >= threshold))


WEIGHTS_GRID = [
    (round(s, 2), round(m, 2), round(c, 2))
    for s in np.arange(0, 1.01, 0.1)
    for m in np.arange(0, 1.01, 0.1)
    if (c := 1 - s - m) >= -1e-9
]
CHECK_IN_GRID = np.round(np.arange(-0.12, 0.061, 0.01), 3)
MISS_COST = 3
"""A disclosure missed costs as much as three false responses (safety first)."""


def score(
    reads: list[Read],
    cache: dict[tuple[str, Weights], np.ndarray],
    index: safety._Index,
    weights: Weights,
    panel: float,
    check_in: float,
) -> tuple[int, int, int, int]:
    """(missed, near-miss alarms, ordinary interrupted, panels on crisis) for one blend."""
    missed = alarms = interrupted = panels = 0
    for read in reads:
        key = (read.name, weights)
        if key not in cache:
            cache[key] = margins(read, index, weights)
        best = cache[key]
        fired = responds(read, best, panel, check_in)
        if read.crisis:
            missed += int((~fired).sum())
            panels += int((read.sign | (best >= panel)).sum())
        elif read.name == "ordinary":
            interrupted += int(fired.sum())
        else:
            alarms += int(fired.sum())
    return missed, alarms, interrupted, panels


def best_blends(
    reads: list[Read],
    index: safety._Index,
    top: int = 12,
    weights_grid: list[Weights] = WEIGHTS_GRID,
) -> list[tuple[Any, ...]]:
    """The blends of lowest cost: MISS_COST for each disclosure missed, one for each near
    miss alarmed or ordinary request interrupted. The panel margin only changes which
    response is given (past-tense texts aside), so it is held at the shipped one."""
    cache: dict[tuple[str, Weights], np.ndarray] = {}
    found = []
    panel = float(safety.BLEND_PANEL)
    for weights in weights_grid:
        for check_in in CHECK_IN_GRID:
            missed, alarms, interrupted, _ = score(
                reads, cache, index, weights, panel, float(check_in)
            )
            cost = MISS_COST * missed + alarms + interrupted
            found.append((cost, missed, weights, panel, float(check_in), alarms, interrupted))
    found.sort(key=lambda row: row[:2])
    return found[:top]


def pareto(
    reads: list[Read],
    index: safety._Index,
    panel: float,
    weights_grid: list[Weights] = WEIGHTS_GRID,
    most_false: int = 45,
) -> list[tuple[Any, ...]]:
    """For each count of false responses up to `most_false`, the blend with fewest misses."""
    cache: dict[tuple[str, Weights], np.ndarray] = {}
    best: dict[int, tuple[Any, ...]] = {}
    for weights in weights_grid:
        for check_in in CHECK_IN_GRID:
            missed, alarms, interrupted, _ = score(
                reads, cache, index, weights, panel, float(check_in)
            )
            false = alarms + interrupted
            if false <= most_false and (false not in best or missed < best[false][0]):
                best[false] = (
                    missed,
                    false,
                    tuple(float(w) for w in weights),
                    float(check_in),
                    alarms,
                    interrupted,
                )
    frontier, fewest = [], 10**9
    for false in sorted(best):
        if best[false][0] < fewest:
            fewest = best[false][0]
            frontier.append(best[false])
    return frontier


def main() -> None:
    arguments = set(sys.argv[1:])
    reads, line = read_all()
    index = line._built()
    assert index is not None
    shipped = {
        "letters + static (session 6)": (
            (0.5, 0.5, 0.0),
            safety.PANEL_MARGIN,
            safety.CHECK_IN_MARGIN,
        ),
        "letters alone": ((1.0, 0.0, 0.0), safety.PANEL_MARGIN, safety.CHECK_IN_MARGIN),
        "static alone": ((0.0, 1.0, 0.0), safety.PANEL_MARGIN, safety.CHECK_IN_MARGIN),
        "letters + contextual (static unavailable)": (
            safety.CONTEXT_ALONE_WEIGHTS,
            safety.CONTEXT_ALONE_PANEL,
            safety.CONTEXT_ALONE_CHECK_IN,
        ),
        "final blend": (safety.BLEND_WEIGHTS, safety.BLEND_PANEL, safety.BLEND_CHECK_IN),
    }
    cache: dict[tuple[str, Weights], np.ndarray] = {}
    for name, (weights, panel, check_in) in shipped.items():
        cells = []
        for read in reads:
            best = margins(read, index, weights)
            fired = responds(read, best, panel, check_in)
            cells.append(f"{read.name} {int(fired.sum())}/{len(read.texts)}")
        print(f"{name} {weights} panel {panel} check-in {check_in}:\n    " + ", ".join(cells))
    for fixed in ((0.0, 0.0, 1.0), (0.5, 0.5, 0.0), (0.0, 1.0, 0.0), (1.0, 0.0, 0.0)):
        print(f"best margins for the fixed weights {fixed}:")
        for row in best_blends(reads, index, top=3, weights_grid=[fixed]):
            print("   ", row)
    if "--grid" in arguments:
        print(
            "\nbest blends on all tuned sets (cost, missed, weights, panel, check-in, "
            "alarms, interrupted):"
        )
        for row in best_blends(reads, index):
            print("   ", row)
    if "--pareto" in arguments:
        print(
            "\nfewest misses for each number of false responses (near-miss alarms + "
            "ordinary interrupted), panel fixed at the shipped margin:"
        )
        for row in pareto(reads, index, float(safety.BLEND_PANEL)):
            print("   ", row)
    if "--cv" in arguments:
        names = [path.stem for path in TUNED_SETS]
        print("\nleave one set out: the grid's best blend on the others, on the one left out")
        for name in names:
            train = [r for r in reads if not r.name.startswith(name)]
            test = [r for r in reads if r.name.startswith(name) or r.name == "ordinary"]
            chosen = best_blends(train, index, top=1)[0]
            weights, panel, check_in = chosen[2], chosen[3], chosen[4]
            missed, alarms, interrupted, _ = score(test, cache, index, weights, panel, check_in)
            total = sum(len(r.texts) for r in test if r.crisis)
            near = sum(len(r.texts) for r in test if not r.crisis and r.name != "ordinary")
            print(
                f"  {name}: chose {weights} panel {panel} check-in {check_in}: "
                f"caught {total - missed}/{total}, alarms {alarms}/{near} "
                f"(ordinary interrupted {interrupted}, shared)"
            )


if __name__ == "__main__":
    main()
