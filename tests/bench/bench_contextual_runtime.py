"""The contextual model's layers in numpy against onnxruntime: decisions and speed, one run.

Run from the repository root:

    .venv/bin/python tests/bench/bench_contextual_runtime.py [OLD NEW]

OLD and NEW are runtimes (`contextual.Runtime`); session 10 (branch fast3) compares
"onnxruntime" (float32 products) with "onnxruntime-int8" (int8 products), the default;
session 9 compared "numpy" with "onnxruntime". Every labelled set is read, the sets held
aside in session 9 (crisis_holdout7, welsh_crisis_holdout4) included, and every flip is
printed with its set, whether the text is a disclosure, a near miss or an ordinary request,
and its tier before and after.

Two detectors side by side in one process (session 9, branch fast2): "old" reads with
the contextual model's numpy forward pass and the examples' vectors kept on disk (as a
kiosk that has run before the change has them); "new" runs the layers in onnxruntime
(`onnx_graph`) and reads every example afresh, trains its trained view afresh too (no
disk cache: as a fresh install would). Then:

- Decisions: every text of every labelled set (the tuned crisis sets, the held-aside
  crisis_holdout6, the Welsh crisis sets read as a conversation reads them, language
  first, and the ordinary requests of the needs sets): the verdict's kind, tier (sign,
  meaning, check-in or nothing) and view by each. Every text whose verdict differs is
  printed, with its set (the held-aside set's are counted, not shown).
- Speed: the texts the main benchmark times (`bench_safeguarding.py`), old and new
  alternating text by text, each text's processor and wall-clock time through
  `assess`: medians, 99th percentiles, and the new/old ratios.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import cast

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from navigator.engine.safeguarding import SafeguardingDetector  # noqa: E402
from navigator.engine.understanding.contextual import ContextualModel, Runtime  # noqa: E402
from navigator.engine.understanding.embedding import EmbeddingModel  # noqa: E402
from navigator.engine.understanding.language import LanguageDetector  # noqa: E402
from navigator.engine.understanding.safety import MeaningLine  # noqa: E402
from navigator.engine.understanding.verdict import SafetyVerdict  # noqa: E402
from navigator.kb import KnowledgeBase, load  # noqa: E402
from tests.engine.crisis_set import HOLDOUT, SETS, load_crisis_set  # noqa: E402
from tests.engine.phrasing_set import HOLDOUT as PHRASINGS_HOLDOUT  # noqa: E402
from tests.engine.phrasing_set import PHRASINGS, load_phrasings  # noqa: E402
from tests.welsh.test_welsh_safeguarding import HOLDOUT as WELSH_HOLDOUT  # noqa: E402

DATA = REPO / "tests" / "data"
HELD_ASIDE = {
    HOLDOUT.name,
    WELSH_HOLDOUT.name,
    "crisis_holdout10.yaml",
    "welsh_crisis_holdout7.yaml",
}
"""Never read here: this bench lists the texts whose decision changes. The last two were
written in session 12 (branch holdout10) and are held aside too."""
WELSH_SETS = [
    path for path in sorted(DATA.glob("welsh_crisis*.yaml")) if path.name not in HELD_ASIDE
]


def _detector(knowledge: KnowledgeBase, contextual: ContextualModel) -> SafeguardingDetector:
    line = MeaningLine.for_knowledge(knowledge, EmbeddingModel(), contextual)
    detector = SafeguardingDetector.for_knowledge(knowledge, meaning=line)
    detector.prepare()
    assert detector.prepare_meaning(), "the meaning model did not load"
    return detector


def _decision(verdict: SafetyVerdict | None) -> tuple[str, str, str] | None:
    return None if verdict is None else (verdict.kind_id, verdict.line, verdict.view)


def _labelled() -> list[tuple[str, str, bool, str]]:
    """(set, text, read as a conversation: language first, what it is) for every
    labelled text: "disclosure", "near miss" or "ordinary"."""
    found = []
    for path in sorted(DATA.glob("crisis*.yaml")):
        if path.name in HELD_ASIDE:
            continue
        crisis_set = load_crisis_set(path)
        found += [(path.stem, item.text, False, "disclosure") for item in crisis_set.crisis]
        found += [(path.stem, text, False, "near miss") for text in crisis_set.near_misses]
    for path in WELSH_SETS:
        crisis_set = load_crisis_set(path)
        found += [(path.stem, item.text, True, "disclosure") for item in crisis_set.crisis]
        found += [(path.stem, text, True, "near miss") for text in crisis_set.near_misses]
    for path in (PHRASINGS, PHRASINGS_HOLDOUT):
        texts = load_phrasings(path).not_crisis
        found += [(path.stem, text, False, "ordinary") for text in texts]
    return found


def _compare(
    old: SafeguardingDetector, new: SafeguardingDetector, knowledge: KnowledgeBase
) -> None:
    languages = LanguageDetector.for_knowledge(knowledge)

    def reader(detector: SafeguardingDetector) -> Callable[[str, bool], SafetyVerdict | None]:
        def read(text: str, conversation: bool) -> SafetyVerdict | None:
            if not conversation:
                return detector.assess(text)
            guess = languages.detect(text)
            code = None if guess is None else guess.code
            return detector.assess(text, meaning=guess is None, language=code)

        return read

    read_old, read_new = reader(old), reader(new)
    flips: dict[str, int] = {}
    counts: dict[str, int] = {}
    labelled = _labelled()
    for name, text, conversation, what in labelled:
        before, after = (
            _decision(read_old(text, conversation)),
            _decision(read_new(text, conversation)),
        )
        if before != after:
            flips[name] = flips.get(name, 0) + 1
            if (before is None) != (after is None):  # a catch or an alarm gained or lost
                change = f"{what} {'now asked' if before is None else 'no longer asked'}"
                counts[change] = counts.get(change, 0) + 1
            print(f"  FLIP [{name}, {what}] {before} -> {after}: {text[:80]!r}")
    print(f"decisions compared: {len(labelled)} texts; differing: {sum(flips.values())} {flips}")
    print(f"asked or not (a catch, an alarm, an interruption) changed: {counts}")


def _p(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _speed(old: SafeguardingDetector, new: SafeguardingDetector) -> None:
    tuned = [path for path in SETS.values() if path.name not in HELD_ASIDE]
    texts = [item.text for path in tuned for item in load_crisis_set(path).crisis]
    texts += [text for path in tuned for text in load_crisis_set(path).near_misses]
    for path in (PHRASINGS, PHRASINGS_HOLDOUT):
        texts += list(load_phrasings(path).not_crisis)
    for text in texts[:20]:  # warm both
        old.assess(text)
        new.assess(text)
    times: dict[str, tuple[list[float], list[float]]] = {"old": ([], []), "new": ([], [])}
    for text in texts:
        for name, detector in (("old", old), ("new", new)):
            wall, cpu = time.perf_counter(), time.process_time()
            detector.assess(text)
            times[name][0].append((time.process_time() - cpu) * 1000)
            times[name][1].append((time.perf_counter() - wall) * 1000)
    print(f"\nper message, all lines, {len(texts)} texts alternating old and new (ms):")
    for name, (cpu, wall) in times.items():
        print(
            f"  {name}: CPU median {statistics.median(cpu):.2f}, p99 {_p(cpu, 0.99):.2f}, "
            f"mean {statistics.fmean(cpu):.2f} | wall median {statistics.median(wall):.2f}, "
            f"p99 {_p(wall, 0.99):.2f}"
        )
    (old_cpu, old_wall), (new_cpu, new_wall) = times["old"], times["new"]
    for label, old_values, new_values in (("CPU", old_cpu, new_cpu), ("wall", old_wall, new_wall)):
        median = statistics.median(new_values) / statistics.median(old_values)
        print(
            f"  new/old {label}: median {median:.2f}, "
            f"p99 {_p(new_values, 0.99) / _p(old_values, 0.99):.2f}, "
            f"mean {statistics.fmean(new_values) / statistics.fmean(old_values):.2f}"
        )
    print(f"  load average (1, 5, 15 min): {os.getloadavg()}")


def main() -> None:
    names: list[Runtime] = ["onnxruntime", "onnxruntime-int8"]
    if len(sys.argv) == 3:
        names = [cast("Runtime", name) for name in sys.argv[1:]]
    knowledge = load(REPO / "knowledge").knowledge
    old_model = ContextualModel(runtime=names[0])
    old = _detector(knowledge, old_model)
    new_model = ContextualModel(runtime=names[1], cache_dir=None)
    new = _detector(knowledge, new_model)
    print(f"old: {old_model.runtime}, examples from the disk cache if there; ", end="")
    print(f"new: {new_model.runtime}, read afresh")
    _compare(old, new, knowledge)
    _speed(old, new)


if __name__ == "__main__":
    main()
