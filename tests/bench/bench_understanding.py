"""Understanding one message, every line together: figures for issue 12's budget.

Run from the repository root:

    .venv/bin/python tests/bench/bench_understanding.py
    .venv/bin/python tests/bench/bench_understanding.py --before /path/to/older/checkout

Per message, what a conversation does with free text before it answers: the
safeguarding lines (sign lexicon, then meaning) and the topic decision (the fused
ranking, with the two-needs check), on every labelled need, out-of-scope and crisis
text in tests/data/. The baseline, timed in the same process on the same texts, is
the word lines alone (sign lexicon and lexical index); the figure that matters is the
ratio, since this 2-core machine is shared. Budget: median under 15 ms, p99 under 50.

`--before DIR` also runs this script on another checkout (say the commit before a
speed change), in turns with this one (before, after, before, after), so the two are
compared under the same load. `--profile` prints where the time goes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _texts(root: Path) -> list[str]:
    """Every need, ordinary and out-of-scope phrasing, every crisis text and near miss."""
    import yaml

    from tests.engine.phrasing_set import load_phrasings

    texts: list[str] = []
    for path in sorted((root / "tests" / "data").glob("*.yaml")):
        if path.name.startswith(("phrasings", "stories", "typos")):
            phrasings = load_phrasings(path)
            texts += [item.text for item in phrasings.needs]
            texts += [*phrasings.not_crisis, *phrasings.out_of_scope]
        elif path.name.startswith("crisis"):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            texts += [item["text"] for item in data["crisis"]] + list(data["near_misses"])
    return texts


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(root: Path, profile: bool = False) -> dict[str, float]:
    """Median and p99 (ms) of the whole understanding and of the word lines alone."""
    sys.path.insert(0, str(root))
    from navigator.engine.matching import TopicMatcher
    from navigator.engine.safeguarding import SafeguardingDetector
    from navigator.engine.understanding.embedding import EmbeddingModel
    from navigator.engine.understanding.safety import MeaningLine
    from navigator.engine.understanding.topics import MeaningScorer, TopicRanker
    from navigator.kb import load

    knowledge = load(root / "knowledge").knowledge
    model = EmbeddingModel()
    model.load()
    both = SafeguardingDetector.for_knowledge(
        knowledge, meaning=MeaningLine.for_knowledge(knowledge, model)
    )
    signs = SafeguardingDetector.for_knowledge(knowledge, meaning=False)
    for detector in (both, signs):
        detector.prepare()
    assert both.prepare_meaning(), "the meaning model did not load"
    blend = TopicRanker(TopicMatcher(knowledge), [MeaningScorer(knowledge, model, wait=True)])
    lexical = TopicRanker(TopicMatcher(knowledge))
    texts = _texts(root)
    for text in texts[:20]:  # warm what a person's first words would warm
        both.assess(text), blend.decide(text), signs.assess(text), lexical.decide(text)
    whole: list[float] = []
    words: list[float] = []
    for text in texts:  # in turns, so both meet the same moments of load
        start = time.perf_counter()
        both.assess(text)
        blend.decide(text)
        whole.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        signs.assess(text)
        lexical.decide(text)
        words.append((time.perf_counter() - start) * 1000)
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for text in texts:
            both.assess(text), blend.decide(text)
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(15)
    return {
        "texts": len(texts),
        "whole_median": statistics.median(whole),
        "whole_p99": _percentile(whole, 0.99),
        "words_median": statistics.median(words),
        "words_p99": _percentile(words, 0.99),
    }


def _run(root: Path) -> dict[str, float]:
    script = Path(__file__).resolve()
    output = subprocess.run(
        [sys.executable, str(script), "--json", "--root", str(root)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def _line(name: str, figures: dict[str, float]) -> str:
    return (
        f"{name:8s} whole: median {figures['whole_median']:5.2f} ms, "
        f"p99 {figures['whole_p99']:5.2f} ms | word lines alone: median "
        f"{figures['words_median']:5.2f}, p99 {figures['words_p99']:5.2f} | whole / words: "
        f"median {figures['whole_median'] / figures['words_median']:.1f}x, "
        f"p99 {figures['whole_p99'] / figures['words_p99']:.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--before", type=Path, help="another checkout to compare with")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--profile", action="store_true")
    options = parser.parse_args()
    if options.json:
        print(json.dumps(measure(options.root)))
        return
    if options.before is None:
        figures = measure(options.root, profile=options.profile)
        print(f"{int(figures['texts'])} texts")
        print(_line("now", figures))
        return
    for round_ in range(1, options.rounds + 1):
        before, after = _run(options.before), _run(options.root)
        print(f"round {round_}, {int(after['texts'])} texts")
        print(_line("before", before))
        print(_line("after", after))
        ratio_median = after["whole_median"] / before["whole_median"]
        ratio_p99 = after["whole_p99"] / before["whole_p99"]
        print(f"         after / before: median {ratio_median:.2f}x, p99 {ratio_p99:.2f}x")


if __name__ == "__main__":
    main()
