"""Safeguarding by meaning: leave-one-set-out cross-validation over the tuned crisis sets.

Run from the repository root:

    .venv/bin/python tests/bench/bench_safeguarding_cv.py [knowledge folder]

Why: the tuned sets' own figures say how well the detector fits text it was tuned
on, which is not how it will do on text nobody has seen. Each held-aside set has
shown that gap. This script estimates it from the tuned sets alone, without
touching the held-aside set. From session 9 (branch misses6) crisis_holdout6.yaml, held
aside in session 8, is read and tuned on, so it is a fold too (`READ_IN_SESSION_9`:
tests/engine/crisis_set.py's TUNED_SETS is the lead's); from session 10 (branch misses7)
crisis_holdout7.yaml likewise (`READ_IN_SESSION_10`), and from session 11 (branch misses8)
crisis_holdout8.yaml (`READ_IN_SESSION_11`).

For each of the tuned sets in turn (five from session 7), the set is left out and the others
are added to the knowledge base as if content staff had written them: their
disclosures as examples of their first kind, their near misses as ordinary
phrases. The left-out set is then measured with the shipped margins. Printed side
by side with the knowledge base alone (no set added), which for a set the
examples were written from is an in-sample figure, said as such.

Caveat, printed again at the end: the knowledge base's own examples were written
by people who had read all four sets' misses, so no fold is fully unseen; the
fold whose set was written last before the examples (crisis_holdout3.yaml) is the
least contaminated, and the held-aside set measured by the lead is the only
honest figure.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import TypeVar, cast

import msgspec

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from navigator.engine.safeguarding import SafeguardingDetector  # noqa: E402
from navigator.engine.understanding import trained  # noqa: E402
from navigator.engine.understanding.contextual import ContextualModel, Runtime  # noqa: E402
from navigator.engine.understanding.embedding import EmbeddingModel  # noqa: E402
from navigator.engine.understanding.safety import ENGLISH, MeaningLine  # noqa: E402
from navigator.kb import KnowledgeBase, load  # noqa: E402
from tests.engine.crisis_set import (  # noqa: E402
    DATA,
    TUNED_SETS,
    CrisisSet,
    load_crisis_set,
    measure_crisis,
)

T = TypeVar("T")

READ_IN_SESSION_9 = (DATA / "crisis_holdout6.yaml",)
"""Held aside in session 8, tuned on from session 9: a fold like the tuned sets."""
READ_IN_SESSION_10 = (DATA / "crisis_holdout7.yaml",)
"""Held aside in session 9, tuned on from session 10 (branch misses7): a fold too."""
READ_IN_SESSION_11 = (DATA / "crisis_holdout8.yaml",)
"""Held aside in session 10, tuned on from session 11 (branches misses8, nearmiss): a fold too."""


def disclosures_by_kind(sets: list[CrisisSet]) -> dict[str, list[str]]:
    """The sets' disclosures by their first kind: a fold's extra examples (the Welsh
    cross-validation, bench_welsh_cv.py, folds its sets in with it too)."""
    added: dict[str, list[str]] = {}
    for crisis_set in sets:
        for item in crisis_set.crisis:
            added.setdefault(item.kinds[0], []).append(item.text)
    return added


def _with_sets(knowledge: KnowledgeBase, sets: list[CrisisSet]) -> KnowledgeBase:
    """A copy of `knowledge` whose crisis kinds also hold the sets' texts."""
    assert knowledge.safeguarding is not None
    added = disclosures_by_kind(sets)
    kinds = [
        replaced(kind, examples=[*kind.examples, *added.get(kind.id, [])])
        for kind in knowledge.safeguarding.kinds
    ]
    near = [text for crisis_set in sets for text in crisis_set.near_misses]
    not_crisis = [*knowledge.safeguarding.not_crisis, *near]
    safeguarding = replaced(knowledge.safeguarding, kinds=kinds, not_crisis=not_crisis)
    return replaced(knowledge, safeguarding=safeguarding)


def replaced(record: T, **changes: object) -> T:
    """A copy of a (frozen) knowledge record with some fields changed (the Welsh
    cross-validation, bench_welsh_cv.py, builds its folds with it too)."""
    copied = copy.copy(record)
    for name, value in changes.items():
        object.__setattr__(copied, name, value)
    return copied


def _detector(knowledge: KnowledgeBase) -> SafeguardingDetector:
    # Session 10 (branch fast3): `--runtime NAME` reads with that contextual runtime
    # ("onnxruntime" float32 products, "onnxruntime-int8", "numpy"); default: the default.
    runtime = sys.argv[sys.argv.index("--runtime") + 1] if "--runtime" in sys.argv else None
    contextual = ContextualModel(runtime=cast("Runtime | None", runtime))
    # Session 11 (branch nearmiss): `--clears P` reads with that trained_clears and
    # `--hard-weight W` learns the trained view with that trained.HARD_WEIGHT, so a change
    # to either is chosen over every fold, never one set.
    english = ENGLISH
    if "--clears" in sys.argv:
        clears = float(sys.argv[sys.argv.index("--clears") + 1])
        english = msgspec.structs.replace(ENGLISH, trained_clears=clears)
    if "--hard-weight" in sys.argv:
        trained.HARD_WEIGHT = float(sys.argv[sys.argv.index("--hard-weight") + 1])
    line = MeaningLine.for_knowledge(knowledge, EmbeddingModel(), contextual, english)
    detector = SafeguardingDetector.for_knowledge(knowledge, meaning=line)
    assert detector.prepare_meaning(), "the meaning model did not load"
    return detector


def _skipped() -> set[str]:
    """Sets named with `--skip STEM` (repeatable) are left out of every fold: session 12
    (branch misses9) compares its nine-fold figure with main's, measured before
    crisis_holdout9 was a fold, with `--skip crisis_holdout9`."""
    return {sys.argv[at + 1] for at, arg in enumerate(sys.argv[:-1]) if arg == "--skip"}


def main(folder: Path) -> None:
    """`folder`: the knowledge base to measure (another copy of knowledge/, such as the one
    a branch started from, gives a before figure in the same run conditions)."""
    knowledge = load(folder).knowledge
    sets = {
        path.stem: load_crisis_set(path)
        for path in (*TUNED_SETS, *READ_IN_SESSION_9, *READ_IN_SESSION_10, *READ_IN_SESSION_11)
        if path.is_file() and path.stem not in _skipped()
    }
    alone = _detector(knowledge)
    totals = {"alone": [0, 0, 0, 0], "folded": [0, 0, 0, 0]}
    print("left-out set | knowledge base alone: caught, alarms | + the other sets")
    for name, left_out in sets.items():
        others = [crisis_set for other, crisis_set in sets.items() if other != name]
        folded = _detector(_with_sets(knowledge, others))
        cells = []
        for label, detector in (("alone", alone), ("folded", folded)):
            report = measure_crisis(detector, left_out)
            alarms = len(report.false_alarms)
            cells.append(
                f"{report.caught}/{report.crisis_total} caught, {alarms}/{report.near_total} alarms"
            )
            for place, value in enumerate(
                (report.caught, report.crisis_total, alarms, report.near_total)
            ):
                totals[label][place] += value
        print(f"{name:20s} | {cells[0]:28s} | {cells[1]}")
    for label, (caught, total, alarms, near) in totals.items():
        print(
            f"all folds, {label}: {caught}/{total} caught ({caught / total:.0%}), "
            f"{alarms}/{near} near-miss alarms ({alarms / near:.0%})"
        )
    print(
        "\nCaveat: the knowledge base's examples were written after reading all four sets'\n"
        "misses, so no fold is fully unseen; the held-aside set is the honest figure."
    )


if __name__ == "__main__":
    given = len(sys.argv) > 1 and not sys.argv[1].startswith("--")
    main(Path(sys.argv[1]) if given else REPO / "knowledge")
