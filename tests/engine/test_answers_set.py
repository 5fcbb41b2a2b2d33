"""The labelled own-words answers, through the real engine on the demo borough.

Figures are in docs/performance.md ("Answers in people's own words"); print
them with `python -m tests.engine.answer_set`.
"""

from __future__ import annotations

import pytest

from navigator.kb import KnowledgeBase
from tests.engine.answer_set import SETS, UNDERSTOOD_AIM, load_answers, measure, path_to


@pytest.mark.parametrize("name", list(SETS))
def test_every_labelled_line_names_a_real_question_and_option(
    demo_kb: KnowledgeBase, name: str
) -> None:
    for line in load_answers(SETS[name]):
        node = demo_kb.nodes.get(line.question)
        assert node is not None, f"{line.question} is not a node of the demo borough"
        keys = {option.key for option in node.options}  # type: ignore[union-attr]
        assert line.option is None or line.option in keys, line
        path_to(demo_kb, line.question)


def test_the_sets_hold_at_least_sixty_answers_and_never_share_a_line() -> None:
    tuned = {(line.question, line.typed) for line in load_answers(SETS["tuned"])}
    held = {(line.question, line.typed) for line in load_answers(SETS["held aside"])}
    assert len(tuned) + len(held) >= 60
    assert not tuned & held


@pytest.mark.parametrize("name", list(SETS))
def test_own_words_answers_are_understood(demo_kb: KnowledgeBase, name: str) -> None:
    share, misses = measure(demo_kb, load_answers(SETS[name]))
    assert share >= UNDERSTOOD_AIM, "\n".join(misses)
