"""The safeguarding lines made on a cached knowledge base read no question until prepared.

The knowledge cache keeps the questions encoded until first read
(`navigator.kb.cache.LATER_SECTIONS`), and the app makes its meaning lines before its
first screen (issue 12's start-up budget): the answers the questions offer, which the
lines count as ordinary text, are gathered when a line is first prepared, in the
background, and must then be exactly those of a full load. The app's whole first
screen is checked in `tests/tui/test_first_screen_imports.py`.
"""

from __future__ import annotations

from pathlib import Path

from navigator.engine.safeguarding import SafeguardingDetector
from navigator.engine.understanding.embedding import EmbeddingModel
from navigator.engine.understanding.gloss import GlossedLine
from navigator.engine.understanding.safety import MeaningLine
from navigator.kb import KnowledgeBase
from navigator.kb.cache import load_cached
from navigator.kb.model import Question
from tests.conftest import DEMO_KNOWLEDGE


def _ordinary(line: MeaningLine | GlossedLine) -> tuple[str, ...]:
    meaning = line.own if isinstance(line, GlossedLine) else line
    return meaning._ordinary_texts


def test_the_lines_read_no_question_until_prepared_then_the_same_as_a_full_load(
    tmp_path: Path, demo_kb: KnowledgeBase
) -> None:
    load_cached(DEMO_KNOWLEDGE, tmp_path)  # a first start fills the cache
    cached = load_cached(DEMO_KNOWLEDGE, tmp_path).knowledge
    model = EmbeddingModel()  # made, not loaded: nothing here reads meaning
    detector = SafeguardingDetector.for_knowledge(
        cached, meaning=MeaningLine.for_knowledge(cached, model)
    )
    assert detector.languages, "the demo knowledge base has a Welsh line"
    assert "nodes" not in vars(cached)

    full = SafeguardingDetector.for_knowledge(
        demo_kb, meaning=MeaningLine.for_knowledge(demo_kb, model)
    )
    assert detector.meaning is not None and full.meaning is not None
    assert _ordinary(detector.meaning) == _ordinary(full.meaning)
    assert "nodes" in vars(cached)
    labels = {
        option.label.get()
        for node in demo_kb.nodes.values()
        if isinstance(node, Question)
        for option in node.options
    }
    assert labels and labels <= set(_ordinary(detector.meaning))
    for code, line in detector.languages.items():
        assert _ordinary(line) == _ordinary(full.languages[code]), code
        assert isinstance(line, GlossedLine)
        assert line.lead._ordinary_texts == _ordinary(line), "the unbounded lead's too"
