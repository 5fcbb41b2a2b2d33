"""Reading answers in people's own words: time per reply and per first message.

Run from the repository root:

    .venv/bin/python tests/bench/bench_answers.py

Every labelled line of tests/data/answers*.yaml is read at its question
(`match_option`) and as a first message (`understand`), plus a 2,000-character
pasted story, many times over. The baseline in the same run is `normalise`
on the same text, the first step every reader of free text already takes.
Figures: median and 99th percentile in milliseconds, and the median as a
multiple of the baseline's. The first round is reported on its own (cold: the
first fuzzy comparison imports rapidfuzz, and each word's spellings are looked
up once); the rest are warm.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from navigator.engine.textnorm import normalise  # noqa: E402
from navigator.engine.understanding.answers import (  # noqa: E402
    AnswerWords,
    match_option,
    understand,
)
from navigator.kb.model import Question  # noqa: E402
from tests.engine.answer_set import SETS, load_answers  # noqa: E402
from tests.support.kb import load_ok  # noqa: E402

ROUNDS = 20
STORY = ("my mum is 82 and keeps falling, she lives on her own in NB7 and i work " * 30)[:2000]


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return (time.perf_counter() - start) * 1000


def figures(name: str, times: list[float], baseline: list[float]) -> str:
    median = statistics.median(times)
    p99 = statistics.quantiles(times, n=100)[98]
    ratio = median / max(statistics.median(baseline), 1e-9)
    return f"{name:<34} median {median:7.3f} ms   p99 {p99:7.3f} ms   x{ratio:6.1f} normalise"


def main() -> None:
    knowledge = load_ok(REPO / "knowledge")
    found = AnswerWords(knowledge.vocabulary)
    lines = [line for path in SETS.values() for line in load_answers(path)]
    replies: list[tuple[Question, str]] = []
    for line in lines:
        node = knowledge.nodes[line.question]
        assert isinstance(node, Question)
        replies.append((node, line.typed))
    cold = [
        timed(lambda node=node, typed=typed: match_option(node, typed, found))
        for node, typed in replies
    ]
    base, answer, story_base, first, story = [], [], [], [], []
    for _ in range(ROUNDS):
        for node, typed in replies:
            base.append(timed(lambda typed=typed: normalise(typed)))
            answer.append(timed(lambda node=node, typed=typed: match_option(node, typed, found)))
            first.append(timed(lambda typed=typed: understand(typed, found)))
        story_base.append(timed(lambda: normalise(STORY)))
        story.append(timed(lambda: understand(STORY, found)))
    print(f"{len(replies)} labelled replies x {ROUNDS} rounds; a {len(STORY)}-character story")
    print(figures("match_option, first round (cold)", cold, base))
    print(figures("normalise (baseline)", base, base))
    print(figures("match_option at its question", answer, base))
    print(figures("understand, as a first message", first, base))
    print(figures("understand, 2,000-character story", story, story_base))


if __name__ == "__main__":
    main()
