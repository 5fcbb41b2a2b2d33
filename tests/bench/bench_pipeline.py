"""The understanding pipeline against the old way of calling its stages: per message.

Run from the repository root:

    .venv/bin/python tests/bench/bench_pipeline.py

Before session 9 the conversation and `navigator match` each called the stages
themselves: the language detector, the safeguarding detector (told whether to use
meaning and in which language), then the topic ranking. Now both call
`Understanding.read` and ask its reading for the topics. This times both ways on every
labelled text of tests/data/ (as bench_understanding.py reads them), with the meaning
model loaded, in turns (the old way first on even texts, the pipeline first on odd
ones) so both meet the same moments of load on this shared machine. Each way has its
own stages and its own copy of the model, so neither reuses the other's remembered
vectors or word matches. The figure that matters is the ratio pipeline / old.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_understanding import _percentile, _texts  # noqa: E402


def _stages() -> tuple[Callable[[str], object], Callable[[str], object]]:
    """The old way and the pipeline, each over its own stages and model."""
    from navigator.engine.matching import TopicMatcher
    from navigator.engine.safeguarding import SafeguardingDetector
    from navigator.engine.understanding.embedding import EmbeddingModel
    from navigator.engine.understanding.language import LanguageDetector
    from navigator.engine.understanding.pipeline import Understanding
    from navigator.engine.understanding.safety import MeaningLine
    from navigator.engine.understanding.topics import MeaningScorer, TopicRanker
    from navigator.kb import load

    knowledge = load(ROOT / "knowledge").knowledge

    def parts() -> tuple[SafeguardingDetector, TopicRanker, LanguageDetector]:
        model = EmbeddingModel()
        assert model.load(), model.unavailable_reason
        line = MeaningLine.for_knowledge(knowledge, model)
        detector = SafeguardingDetector.for_knowledge(knowledge, meaning=line)
        detector.prepare()
        assert detector.prepare_meaning(), "the meaning model did not load"
        ranker = TopicRanker(TopicMatcher(knowledge), [MeaningScorer(knowledge, model, wait=True)])
        languages = LanguageDetector.for_knowledge(knowledge)
        languages.warm_up()
        return detector, ranker, languages

    detector, ranker, languages = parts()

    def old(text: str) -> object:
        guess = languages.detect(text)
        verdict = detector.assess(
            text, meaning=guess is None, language=guess.code if guess else None
        )
        return verdict if verdict is not None else ranker.decide(text)

    new_detector, new_ranker, new_languages = parts()
    pipeline = Understanding(
        knowledge, topics=new_ranker, safeguarding=new_detector, languages=new_languages
    )

    def new(text: str) -> object:
        reading = pipeline.read(text)
        return reading.safety if reading.safety is not None else reading.topics

    return old, new


def measure() -> dict[str, float]:
    old, new = _stages()
    texts = _texts(ROOT)
    for text in texts[:20]:  # warm what a person's first words would warm
        old(text), new(text)
    timings: dict[str, list[float]] = {"old": [], "pipeline": []}
    for place, text in enumerate(texts):
        order = [("old", old), ("pipeline", new)]
        for name, way in order if place % 2 == 0 else reversed(order):
            start = time.perf_counter()
            way(text)
            timings[name].append((time.perf_counter() - start) * 1000)
    figures: dict[str, float] = {"texts": len(texts)}
    for name, values in timings.items():
        figures[f"{name}_median"] = statistics.median(values)
        figures[f"{name}_p99"] = _percentile(values, 0.99)
    return figures


def main() -> None:
    figures = measure()
    print(f"{int(figures['texts'])} texts, meaning model loaded")
    for name in ("old", "pipeline"):
        print(
            f"{name:9s} median {figures[f'{name}_median']:6.2f} ms, "
            f"p99 {figures[f'{name}_p99']:6.2f} ms"
        )
    print(
        f"pipeline / old: median {figures['pipeline_median'] / figures['old_median']:.2f}x, "
        f"p99 {figures['pipeline_p99'] / figures['old_p99']:.2f}x"
    )


if __name__ == "__main__":
    main()
