"""The synthetic knowledge bases (tests/bench/synthetic_kb.py) are valid, deep and repeatable.

Other tests and the benchmark rely on `write_synthetic_kb` giving a clean
knowledge base of about the size asked for, so that is checked here, along
with breaking one and finding exactly the error made.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from navigator.kb import load
from navigator.kb.graph import successors
from navigator.kb.requirements import REQUIRED_REASONS
from navigator.kb.schema import Outcome, Question, UnmetEnd
from navigator.kb.validate import validate
from tests.bench.synthetic_kb import DEPTH, NEEDS, write_synthetic_kb


@pytest.mark.parametrize(("nodes", "seed"), [(50, 1), (400, 2), (1_500, 3)])
def test_synthetic_knowledge_bases_have_no_findings(tmp_path: Path, nodes: int, seed: int) -> None:
    root = write_synthetic_kb(tmp_path, nodes, seed)
    result = load(root)
    findings = [*result.diagnostics, *validate(result.knowledge, today=dt.date.today())]
    assert findings == [], [str(f) for f in findings[:5]]
    knowledge = result.knowledge
    assert nodes * 0.9 <= len(knowledge.nodes) <= max(nodes * 1.25, len(NEEDS) * 13)
    assert {topic.need for topic in knowledge.topics.values()} == set(NEEDS)
    assert set(REQUIRED_REASONS) <= set(knowledge.reasons)
    assert any(service.eligibility is not None for service in knowledge.services.values())
    assert any(isinstance(node, Outcome) for node in knowledge.nodes.values())
    assert any(isinstance(node, UnmetEnd) for node in knowledge.nodes.values())


def test_every_topic_is_five_levels_deep(tmp_path: Path) -> None:
    knowledge = load(write_synthetic_kb(tmp_path, 300, seed=4)).knowledge
    for topic in knowledge.topics.values():
        assert _depth(knowledge.nodes, topic.start) == DEPTH, topic.id


def _depth(nodes: dict[str, object], start: str) -> int:
    """Steps (questions and information) on the longest path before an end."""
    node = nodes[start]
    if isinstance(node, Outcome | UnmetEnd):
        return 0
    assert isinstance(node, Question) or hasattr(node, "next")
    return 1 + max(_depth(nodes, target) for target in successors(node))  # type: ignore[arg-type]


def test_the_same_seed_gives_the_same_knowledge_base(tmp_path: Path) -> None:
    day = dt.date(2025, 1, 1)
    first = load(write_synthetic_kb(tmp_path / "a", 500, seed=9, reviewed=day)).knowledge
    second = load(write_synthetic_kb(tmp_path / "b", 500, seed=9, reviewed=day)).knowledge
    other = load(write_synthetic_kb(tmp_path / "c", 500, seed=10, reviewed=day)).knowledge
    assert first.content_hash == second.content_hash != other.content_hash


def test_breaking_one_link_in_a_large_knowledge_base_gives_exactly_that_error(
    tmp_path: Path,
) -> None:
    root = write_synthetic_kb(tmp_path, 2_000, seed=5)
    knowledge = load(root).knowledge
    question = next(n for n in reversed(knowledge.nodes.values()) if isinstance(n, Question))
    where = knowledge.where("nodes", question.id, "options", 0, "next")
    assert where is not None and where.line is not None
    lines = where.file.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[where.line - 1] = lines[where.line - 1].replace(question.options[0].next, "nowhere")
    where.file.write_text("".join(lines), encoding="utf-8")

    result = load(root)
    findings = [*result.diagnostics, *validate(result.knowledge, today=dt.date.today())]

    errors = [(f.code, f.location) for f in findings if f.severity == "error"]
    assert ("unknown-node", where) in errors
    # the node that was cut off is now unreachable (with everything after it): one more error
    assert sorted(code for code, _ in errors) == ["unknown-node", "unreachable-node"]
