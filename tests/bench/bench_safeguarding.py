"""Safeguarding by meaning: quality on the labelled crisis sets, speed and memory per message.

Run from the repository root:

    .venv/bin/python tests/bench/bench_safeguarding.py

Quality, on the tuned sets (tests/data/crisis.yaml, where the margins were first
chosen, and crisis_holdout.yaml to crisis_holdout5.yaml, the first five held-aside
sets, looked at and worked on since) and on tests/data/crisis_holdout6.yaml when it
is there (the held-aside set now, never tuned on: running this script measures it,
so run it once at the end of a round of changes and report what it says):
crisis recall (a panel or the check-in question counts as caught), how many
the right kind, false alarms on the near misses (the check-in counts as one),
and how often an ordinary request from tests/data/phrasings*.yaml (needs and
ordinary phrasings) would be interrupted. Side by side: the sign lexicon
alone; then the sign lexicon followed by the meaning line reading with one view
alone (static model, letter groups, contextual model), session 6's blend (no
contextual model), and the final blend. Every variant keeps the cascade (the
contextual model only runs within CONTEXT_FLOOR of a crisis on the cheap views)
and the sentence-by-sentence reading. Every row but the last reads without the trained
view (session 8: `safety.TRAINED_ADDS`, `TRAINED_CLEARS`); the last is the shipped detector.

Speed: every text of all the sets, each timed through `assess` (all lines)
and through `check` (the sign lexicon alone): median and 99th percentile.
Memory: the process's resident size before and after loading the model and
embedding every example (the added peak, in MB).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import msgspec

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import navigator.engine.understanding.safety as safety  # noqa: E402
from navigator.engine.safeguarding import SafeguardingDetector  # noqa: E402
from navigator.engine.understanding.embedding import EmbeddingModel  # noqa: E402
from navigator.engine.understanding.safety import MeaningLine  # noqa: E402
from navigator.kb import KnowledgeBase, load  # noqa: E402
from tests.engine.crisis_set import SETS, load_crisis_set, measure_crisis  # noqa: E402
from tests.engine.phrasing_set import HOLDOUT as PHRASINGS_HOLDOUT  # noqa: E402
from tests.engine.phrasing_set import PHRASINGS, load_phrasings  # noqa: E402


def _rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _ordinary_texts(path: Path) -> list[str]:
    return list(load_phrasings(path).not_crisis)


def _quality(name: str, detector: SafeguardingDetector) -> None:
    cells = []
    for set_name, path in SETS.items():
        report = measure_crisis(detector, load_crisis_set(path))
        cells.append(
            f"\n    {set_name}: recall {report.caught}/{report.crisis_total} "
            f"({report.recall:.0%}), right kind {report.right_kind}, "
            f"near-miss alarms {len(report.false_alarms)}/{report.near_total}"
        )
    ordinary = _ordinary_texts(PHRASINGS) + _ordinary_texts(PHRASINGS_HOLDOUT)
    interrupted = sum(detector.assess(text) is not None for text in ordinary)
    print(f"{name:34s} | " + " | ".join(cells))
    print(f"{'':34s} | ordinary requests interrupted: {interrupted}/{len(ordinary)}")


def _variant(
    knowledge: KnowledgeBase,
    weights: tuple[float, float, float] | None,
    margins: tuple[float, float] = (safety.BLEND_PANEL, safety.BLEND_CHECK_IN),
    english: safety.EnglishTuning = safety.ENGLISH,
) -> SafeguardingDetector:
    """The sign line, then the meaning line with the views weighted (spelling, static,
    contextual) and the (panel, check-in) margins given, the rest as `english` says; None:
    the sign line alone."""
    if weights is None:
        return SafeguardingDetector.for_knowledge(knowledge, meaning=False)
    english = msgspec.structs.replace(
        english, blend_weights=weights, blend_panel=margins[0], blend_check_in=margins[1]
    )
    line = MeaningLine.for_knowledge(knowledge, EmbeddingModel(), english=english)
    detector = SafeguardingDetector.for_knowledge(knowledge, meaning=line)
    detector.prepare_meaning()
    return detector


def _session_6(knowledge: KnowledgeBase) -> SafeguardingDetector:
    """Session 6's lines: letter groups and the static model, its margins, no contextual."""
    line = MeaningLine.for_knowledge(knowledge, EmbeddingModel(), contextual=False)
    detector = SafeguardingDetector.for_knowledge(knowledge, meaning=line)
    detector.prepare_meaning()
    return detector


def _timings(
    detector: SafeguardingDetector, texts: list[str], cpu: list[float] | None = None
) -> tuple[list[float], list[float]]:
    """Wall-clock milliseconds per text, all lines and the sign line alone; `cpu` gets the
    process's CPU milliseconds for all lines (what an idle kiosk's wall clock would show)."""
    every, signs = [], []
    for text in texts:
        start, started_cpu = time.perf_counter(), time.process_time()
        detector.assess(text)
        every.append((time.perf_counter() - start) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - started_cpu) * 1000)
        start = time.perf_counter()
        detector.check(text)
        signs.append((time.perf_counter() - start) * 1000)
    return every, signs


def _p(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    knowledge = load(REPO / "knowledge").knowledge
    final = (safety.BLEND_WEIGHTS, (safety.BLEND_PANEL, safety.BLEND_CHECK_IN))

    before = _rss_mb()
    detector = SafeguardingDetector.for_knowledge(knowledge)
    detector.prepare()
    start = time.perf_counter()
    assert detector.prepare_meaning(), "the meaning model did not load"
    load_seconds = time.perf_counter() - start
    after, peak = _rss_mb(), _rss_mb("VmHWM")
    print(
        f"meaning lines ready in {load_seconds:.2f} s (both models loaded, every example read; "
        "the contextual vectors from the disk cache when it has them)"
    )
    print(
        f"resident memory: {before:.0f} MB -> {after:.0f} MB (+{after - before:.0f} MB); "
        f"peak so far {peak:.0f} MB"
    )

    texts = [item.text for path in SETS.values() for item in load_crisis_set(path).crisis]
    texts += [text for path in SETS.values() for text in load_crisis_set(path).near_misses]
    texts += _ordinary_texts(PHRASINGS) + _ordinary_texts(PHRASINGS_HOLDOUT)
    _timings(detector, texts[:20])  # warm the caches a person's first words would warm
    cpu: list[float] = []
    every, signs = _timings(detector, texts, cpu)
    print(f"\nper message over {len(texts)} texts (ms):")
    print(f"  sign lexicon alone: median {statistics.median(signs):.2f}, p99 {_p(signs, 0.99):.2f}")
    print(f"  all lines:          median {statistics.median(every):.2f}, p99 {_p(every, 0.99):.2f}")
    print(f"  ratio all/sign: median {statistics.median(every) / statistics.median(signs):.1f}x")
    print(f"  all lines, CPU time: median {statistics.median(cpu):.2f}, p99 {_p(cpu, 0.99):.2f}")
    before_contextual = _session_6(knowledge)
    _timings(before_contextual, texts[:20])
    old_every, _ = _timings(before_contextual, texts)
    print(
        f"  session 6 lines (no contextual model), same run: median "
        f"{statistics.median(old_every):.2f}, p99 {_p(old_every, 0.99):.2f}"
    )
    print(f"  load average (1, 5, 15 min) after timing: {os.getloadavg()}")

    print("\nquality (caught = panel or check-in; the check-in on a near miss is an alarm):")
    session_6 = (safety.PANEL_MARGIN, safety.CHECK_IN_MARGIN)
    # Every variant but the last without the trained view (session 8), so each row is
    # the view or blend it names; the last reads as the apps do.
    untrained = msgspec.structs.replace(safety.ENGLISH, trained_adds=2.0, trained_clears=None)
    alone = msgspec.structs.replace(untrained, context_only_adds=False)  # each variant alone
    _quality("sign lexicon alone", _variant(knowledge, None))
    for name, weights, margins in (
        ("+ static model only (s6 margins)", (0.0, 1.0, 0.0), session_6),
        ("+ letter groups only (s6 margins)", (1.0, 0.0, 0.0), session_6),
        ("+ contextual only", (0.0, 0.0, 1.0), final[1]),
        ("+ contextual only (s6 margins)", (0.0, 0.0, 1.0), session_6),
    ):
        _quality(name, _variant(knowledge, weights, margins, alone))
    _quality("session 6 blend (no contextual)", _session_6(knowledge))
    _quality(f"three-view blend {final[0]} alone", _variant(knowledge, *final, alone))
    _quality("session 7: session 6 blend or three-view", _variant(knowledge, *final, untrained))
    _quality("final: session 7 + the trained view", _variant(knowledge, *final))


if __name__ == "__main__":
    main()
