"""Language detection: quality on the labelled sets, load time, memory and per-message cost.

Run from the repository root:

    .venv/bin/python tests/bench/bench_language.py

Prints:

- Quality: on tests/data/languages.yaml (tuned) and languages_holdout.yaml
  (held aside, never tuned on), the share recognised right, per language and
  by how (script, romanised words, model); and how many of the English
  phrasings in tests/data/phrasings*.yaml would wrongly switch language. For
  comparison in the same run: lingua alone (every declared language, no
  script rules, word lists or English guard), as a naive design would use it.
- Load: the time and memory the model adds (built in this process first, so
  the figures are cold), beside lingua's high-accuracy mode for the same
  languages, measured in a child process.
- Per message: `LanguageDetector.detect` alone, and a whole `Conversation.say`
  (safeguarding, commands, language, topics) on a fresh conversation per
  message, with the language line and without it (a detector with no
  languages): median and 99th percentile, and the ratio.
"""

from __future__ import annotations

import gc
import json
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from navigator.engine.conversation import Conversation  # noqa: E402
from navigator.engine.matching import TopicMatcher  # noqa: E402
from navigator.engine.safeguarding import SafeguardingDetector  # noqa: E402
from navigator.engine.understanding.language import (  # noqa: E402
    ENGLISH,
    LanguageDetector,
    LanguageGuess,
)
from navigator.engine.understanding.pipeline import Understanding  # noqa: E402
from navigator.kb import KnowledgeBase, load  # noqa: E402
from tests.engine.language_set import SETS, english_phrasings, labelled  # noqa: E402

MEDIAN_BUDGET_MS = 15.0
P99_BUDGET_MS = 50.0
MEMORY_BUDGET_MB = 200.0


def rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[1])
    return pages * resource.getpagesize() / 1e6


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# --- Load ---------------------------------------------------------------------------


def print_load(knowledge: KnowledgeBase) -> LanguageDetector:
    gc.collect()
    before_rss, before_peak = rss_mb(), peak_mb()
    started = time.perf_counter()
    detector = LanguageDetector.for_knowledge(knowledge)
    made = time.perf_counter() - started
    started = time.perf_counter()
    detector.warm_up()
    built = time.perf_counter() - started
    started = time.perf_counter()
    again = LanguageDetector.for_knowledge(knowledge)
    again.warm_up()
    second = time.perf_counter() - started
    print("Load (this process, cold)")
    print(f"  detector made (no model yet)          {made * 1000:8.2f} ms")
    print(f"  model built (lingua, low accuracy)    {built * 1000:8.1f} ms   (in the background)")
    print(
        f"  a second detector, same languages     {second * 1000:8.2f} ms   (lingua shares models)"
    )
    added, peak = rss_mb() - before_rss, peak_mb() - before_peak
    print(f"  memory added: resident {added:6.1f} MB, peak {peak:6.1f} MB")
    high = _high_accuracy_in_child(sorted(detector.codes))
    if high is not None:
        print(
            f"  baseline, lingua high accuracy (child): built and first text "
            f"{high['seconds'] * 1000:.0f} ms, {high['mb']:.0f} MB resident added"
        )
    print(f"  budget: added peak memory < {MEMORY_BUDGET_MB:.0f} MB for all models together")
    print()
    return detector


_HIGH = """
import json, resource, sys, time
def rss():
    return int(open('/proc/self/statm').read().split()[1]) * resource.getpagesize() / 1e6
import lingua
codes = json.loads(sys.argv[1])
languages = [lingua.Language.from_iso_code_639_1(getattr(lingua.IsoCode639_1, c.upper()))
             for c in ['en', *codes] if hasattr(lingua.IsoCode639_1, c.upper())]
before = rss(); started = time.perf_counter()
model = lingua.LanguageDetectorBuilder.from_languages(*languages).build()
model.compute_language_confidence_values('Potrzebuje pomocy z czynszem')
print(json.dumps({'seconds': time.perf_counter() - started, 'mb': rss() - before}))
"""


def _high_accuracy_in_child(codes: list[str]) -> dict[str, float] | None:
    done = subprocess.run(
        [sys.executable, "-c", _HIGH, json.dumps(codes)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        print(f"  (high-accuracy baseline failed: {done.stderr.strip()[-200:]})")
        return None
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


# --- Quality ------------------------------------------------------------------------


def print_quality(detect: Callable[[str], LanguageGuess | None], title: str) -> None:
    print(f"Quality: {title}")
    for name in SETS:
        messages = labelled(name)
        right: Counter[str] = Counter()
        total: Counter[str] = Counter()
        hows: Counter[str] = Counter()
        wrong: list[str] = []
        for item in messages:
            guess = detect(item.text)
            total[item.language] += 1
            if (guess.code if guess else ENGLISH) == item.language:
                right[item.language] += 1
                hows[guess.how if guess else "kept English"] += 1
            else:
                wrong.append(
                    f"{item.text!r} ({item.language}, read {guess.code if guess else 'en'})"
                )
        share = sum(right.values()) / len(messages)
        per_language = " ".join(f"{code} {right[code]}/{total[code]}" for code in sorted(total))
        found = sum(right.values())
        print(f"  {name:<11} {found:>3}/{len(messages):<3} = {share:6.1%}   by {dict(hows)}")
        print(f"              {per_language}")
        for miss in wrong if name != "held-aside" else ():  # held aside: counted, never shown
            print(f"              missed: {miss}")
    english = english_phrasings()
    switched = [text for text in english if detect(text) is not None]
    print(f"  English phrasings wrongly switched: {len(switched)} of {len(english)}")
    for text in switched[:10]:
        print(f"              switched: {text!r} -> {detect(text)}")
    print()


def lingua_alone(codes: Sequence[str]) -> Callable[[str], LanguageGuess | None]:
    """The naive design: lingua over every declared language, its top answer taken as is."""
    import lingua

    languages = [
        lingua.Language.from_iso_code_639_1(getattr(lingua.IsoCode639_1, code.upper()))
        for code in (ENGLISH, *codes)
    ]
    model = (
        lingua.LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()
    )

    def detect(text: str) -> LanguageGuess | None:
        found = model.detect_language_of(text)
        if found is None:
            return None
        code = found.iso_code_639_1.name.lower()
        return None if code == ENGLISH else LanguageGuess(code, 1.0, "model")

    return detect


# --- Per message --------------------------------------------------------------------


def timed(call: Callable[[str], object], texts: Sequence[str], rounds: int = 3) -> list[float]:
    times: list[float] = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            call(text)
            times.append((time.perf_counter() - started) * 1000)
    return times


def print_speed(knowledge: KnowledgeBase, detector: LanguageDetector) -> None:
    texts = english_phrasings() + [item.text for name in SETS for item in labelled(name)]
    none = LanguageDetector(())
    conversation_times: dict[str, list[float]] = defaultdict(list)
    matcher = TopicMatcher(knowledge)
    crisis = SafeguardingDetector.for_knowledge(knowledge)

    def say_with(languages: LanguageDetector) -> Callable[[str], object]:
        def say(text: str) -> object:
            conversation = Conversation(
                knowledge,
                channel="plain",
                site="bench",
                understanding=Understanding(
                    knowledge, topics=matcher, safeguarding=crisis, languages=languages
                ),
            )
            return conversation.say(text)

        return say

    detect_times = timed(detector.detect, texts)
    say_with(detector)("warm up every line once")
    conversation_times["without the language line"] = timed(say_with(none), texts)
    conversation_times["with it"] = timed(say_with(detector), texts)
    print(f"Per message ({len(texts)} texts: English phrasings and both labelled sets)")
    print(
        f"  detect() alone                       median {statistics.median(detect_times):6.3f} ms"
        f"   p99 {percentile(detect_times, 0.99):6.3f} ms"
    )
    base = statistics.median(conversation_times["without the language line"])
    for name, times in conversation_times.items():
        median = statistics.median(times)
        print(
            f"  Conversation.say, {name:<26} median {median:6.3f} ms"
            f"   p99 {percentile(times, 0.99):6.3f} ms   ratio {median / base:4.2f}"
        )
    budget = f"median < {MEDIAN_BUDGET_MS:.0f} ms, p99 < {P99_BUDGET_MS:.0f} ms"
    print(f"  budget: all understanding {budget}")
    print()


def main() -> None:
    knowledge = load(REPO / "knowledge").knowledge
    detector = print_load(knowledge)
    print_quality(detector.detect, "final (script, romanised words, lingua with the English guard)")
    print_quality(lingua_alone(sorted(detector.codes)), "baseline, lingua alone on every language")
    print_speed(knowledge, detector)


if __name__ == "__main__":
    main()
