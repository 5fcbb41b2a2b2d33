"""Welsh crisis recognition: leave-one-set-out cross-validation over the Welsh sets
(session 10, branch welsh5).

Run from the repository root:

    .venv/bin/python tests/bench/bench_welsh_cv.py [--before DIR]

Why: the Welsh sets' own figures say how well the Welsh examples and gloss fit text they
were written from. For each Welsh set in turn (the tuned ones, the check set and the third
and fourth held-aside sets, read from sessions 9 and 10), the set is left out and the
others' disclosures are added as Welsh examples of their first kind, their near misses as
Welsh near misses, as if content staff had written them; the left-out set is then measured
as a conversation reads it. `--before DIR`: the same for another knowledge directory (the
knowledge base before a change, e.g. `git archive main knowledge | tar -x -C DIR`), printed
beside it. The English line is built once from this branch's knowledge (a Welsh change does
not touch its examples); the Welsh lines are letter groups and cheap to build per fold.

Caveat, printed again at the end: the session's examples were written after reading every
set's misses, so no fold is fully unseen; the held-aside set the lead measures is the only
honest figure.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from navigator.engine.safeguarding import SafeguardingDetector  # noqa: E402
from navigator.engine.understanding.gloss import glossed  # noqa: E402
from navigator.engine.understanding.language import LanguageDetector  # noqa: E402
from navigator.engine.understanding.safety import MeaningLine  # noqa: E402
from navigator.kb import KnowledgeBase, load  # noqa: E402
from tests.bench.bench_safeguarding_cv import disclosures_by_kind, replaced  # noqa: E402
from tests.engine.crisis_set import CrisisSet, load_crisis_set, measure_crisis  # noqa: E402
from tests.welsh.test_welsh_safeguarding import READ_FILES  # noqa: E402

DATA = REPO / "tests" / "data"
SETS = tuple(path.stem for path in READ_FILES)
"""The tuned Welsh sets and the one read this session (tests/welsh/test_welsh_safeguarding.py's
READ_FILES): never the held-aside one."""


def _with_sets(knowledge: KnowledgeBase, sets: list[CrisisSet]) -> KnowledgeBase:
    """A copy of `knowledge` whose kinds' Welsh examples and near misses also hold the sets'."""
    assert knowledge.safeguarding is not None
    added = disclosures_by_kind(sets)
    near = [text for crisis_set in sets for text in crisis_set.near_misses]
    kinds = []
    for at, kind in enumerate(knowledge.safeguarding.kinds):
        welsh = [*kind.examples_in.get("cy", ()), *added.get(kind.id, [])]
        examples = {**kind.examples_in, "cy": welsh}
        near_misses = dict(kind.near_misses_in)
        if at == 0:  # every near miss once, under the first kind (they are ordinary for all)
            near_misses["cy"] = [*near_misses.get("cy", ()), *near]
        kinds.append(replaced(kind, examples_in=examples, near_misses_in=near_misses))
    safeguarding = replaced(knowledge.safeguarding, kinds=kinds)
    return replaced(knowledge, safeguarding=safeguarding)


def _detector(knowledge: KnowledgeBase, english: MeaningLine) -> SafeguardingDetector:
    welsh = glossed(MeaningLine.for_language(knowledge, "cy", english.model), english, knowledge)
    return SafeguardingDetector(
        knowledge.safeguarding, knowledge.vocabulary, english, {"cy": welsh}
    )


def main() -> None:
    now = load(REPO / "knowledge").knowledge
    bases = {"now": now}
    if "--before" in sys.argv:
        bases = {"before": load(Path(sys.argv[sys.argv.index("--before") + 1])).knowledge, **bases}
    english = MeaningLine.for_knowledge(now)
    assert english.prepare()
    languages = LanguageDetector.for_knowledge(now)
    sets = {name: load_crisis_set(DATA / f"{name}.yaml") for name in SETS}
    totals = {label: [0, 0, 0, 0] for label in bases}
    print("left-out set           | " + " | ".join(f"{label}: caught, alarms" for label in bases))
    for name, left_out in sets.items():
        others = [crisis_set for other, crisis_set in sets.items() if other != name]
        cells = []
        for label, knowledge in bases.items():
            detector = _detector(_with_sets(knowledge, others), english)
            report = measure_crisis(detector, left_out, languages)
            alarms = len(report.false_alarms)
            cells.append(
                f"{report.caught}/{report.crisis_total} ({report.right_kind} right kind), "
                f"{alarms}/{report.near_total}"
            )
            for place, value in enumerate(
                (report.caught, report.crisis_total, alarms, report.near_total)
            ):
                totals[label][place] += value
        print(f"{name:22s} | " + " | ".join(f"{cell:30s}" for cell in cells))
    for label, (caught, total, alarms, near) in totals.items():
        print(f"all folds, {label}: {caught}/{total} caught, {alarms}/{near} near-miss alarms")
    print(
        "\nCaveat: the Welsh examples were written after reading every set's misses, so no\n"
        "fold is fully unseen; the held-aside set the lead measures is the honest figure."
    )


if __name__ == "__main__":
    main()
