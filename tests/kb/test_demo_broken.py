"""Deliberately broken copies of the demo knowledge base fail with the right message.

Each test copies `knowledge/` to a temporary folder, breaks one thing in the
YAML text (found through the loaded knowledge base, so the tests follow the
demo as it grows), and checks that the new finding names the right code,
file and line. Findings the demo already has are subtracted, so these tests
judge the validator, not the state of the demo's content.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from navigator.cli import main
from navigator.kb import Diagnostic, KnowledgeBase, Location, load
from navigator.kb.schema import Outcome, Question, UnmetEnd
from navigator.kb.validate import validate

DEMO = Path(__file__).resolve().parents[2] / "knowledge"

NodeT = TypeVar("NodeT", Question, Outcome, UnmetEnd)

Finding = tuple[str, str, int | None]
"""(code, file relative to the knowledge base, line)."""


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    if not DEMO.is_dir() or not any(DEMO.rglob("*.yaml")):
        pytest.skip("the demo knowledge base (knowledge/) is not written yet")
    copy = tmp_path / "knowledge"
    shutil.copytree(DEMO, copy)
    return copy


def findings(root: Path) -> list[Diagnostic]:
    result = load(root)
    return [*result.diagnostics, *validate(result.knowledge)]


def key(root: Path, finding: Diagnostic) -> Finding:
    location = finding.location
    assert location is not None, str(finding)
    return finding.code, location.file.relative_to(root).as_posix(), location.line


def new_findings(root: Path, break_it: object) -> list[Diagnostic]:
    """Findings after `break_it()` that were not there before it."""
    before = {key(root, finding) for finding in findings(root) if finding.location}
    assert callable(break_it)
    break_it()
    return [f for f in findings(root) if f.location is None or key(root, f) not in before]


def edit_line(location: Location | None, pattern: str, replacement: str) -> None:
    """Replace the first match of `pattern` at or after the location's column on its line."""
    assert location is not None and location.line is not None
    lines = location.file.read_text(encoding="utf-8").splitlines(keepends=True)
    line = lines[location.line - 1]
    start = (location.column or 1) - 1
    changed = line[:start] + re.sub(pattern, replacement, line[start:], count=1)
    assert changed != line, f"{pattern!r} is not on {location}: {line!r}"
    lines[location.line - 1] = changed
    location.file.write_text("".join(lines), encoding="utf-8")


def nodes_of(knowledge: KnowledgeBase, kind: type[NodeT]) -> Iterator[NodeT]:
    return (node for node in knowledge.nodes.values() if isinstance(node, kind))


def at(root: Path, location: Location | None) -> tuple[str, int | None]:
    assert location is not None
    return location.file.relative_to(root).as_posix(), location.line


def test_option_leading_nowhere(demo: Path) -> None:
    knowledge = load(demo).knowledge
    question = next(nodes_of(knowledge, Question))
    where = knowledge.where("nodes", question.id, "options", 0, "next")
    target = question.options[0].next

    found = new_findings(
        demo,
        lambda: edit_line(where, rf"""["']?{re.escape(target)}["']?""", "no-such-node"),
    )

    unknown = [f for f in found if f.code == "unknown-node"]
    assert [at(demo, f.location) for f in unknown] == [at(demo, where)]
    assert f"node '{question.id}' refers to next node 'no-such-node'" in unknown[0].message


def test_outcome_offering_a_service_that_does_not_exist(demo: Path) -> None:
    knowledge = load(demo).knowledge
    outcome = next(node for node in nodes_of(knowledge, Outcome) if len(node.services) > 1)
    where = knowledge.where("nodes", outcome.id, "services", 0)

    found = new_findings(
        demo, lambda: edit_line(where, re.escape(outcome.services[0]), "no-such-service")
    )

    unknown = [f for f in found if f.code == "unknown-service"]
    assert [at(demo, f.location) for f in unknown] == [at(demo, where)]
    assert "'no-such-service'" in unknown[0].message


def test_unmet_end_with_an_undeclared_reason(demo: Path) -> None:
    knowledge = load(demo).knowledge
    end = next(nodes_of(knowledge, UnmetEnd))
    where = knowledge.where("nodes", end.id, "reason")

    found = new_findings(demo, lambda: edit_line(where, r"reason:\s*\S+", "reason: no_such_reason"))

    assert [(f.code, at(demo, f.location)) for f in found] == [("unknown-reason", at(demo, where))]


def test_a_required_reason_renamed(demo: Path) -> None:
    knowledge = load(demo).knowledge
    where = knowledge.where("reasons", "waiting_list", "id")
    users = [n for n in nodes_of(knowledge, UnmetEnd) if n.reason == "waiting_list"]

    found = new_findings(demo, lambda: edit_line(where, r"waiting_list", "waiting-list"))

    codes = sorted(f.code for f in found)
    assert codes == ["missing-reason", *["unknown-reason"] * len(users)]
    missing = next(f for f in found if f.code == "missing-reason")
    assert "'waiting_list'" in missing.message


def test_two_options_that_read_the_same(demo: Path) -> None:
    knowledge = load(demo).knowledge
    question, where = next(
        (node, knowledge.where("nodes", node.id, "options", 1, "label"))
        for node in nodes_of(knowledge, Question)
        if len(node.options) > 1 and _single_line_label(knowledge, node.id)
    )
    first_label = question.options[0].label.get()

    found = new_findings(
        demo, lambda: edit_line(where, r"label:.*", "label: " + json.dumps(first_label))
    )

    duplicate = [f for f in found if f.code == "duplicate-option-label"]
    assert [at(demo, f.location) for f in duplicate] == [at(demo, where)]
    assert f"question '{question.id}' has two options" in duplicate[0].message


def _single_line_label(knowledge: KnowledgeBase, node_id: str) -> bool:
    where = knowledge.where("nodes", node_id, "options", 1, "label")
    if where is None or where.line is None:
        return False
    line = where.file.read_text(encoding="utf-8").splitlines()[where.line - 1]
    return re.search(r"label:\s*[^\s{>|]", line) is not None


def test_stigmatising_label_in_a_node(demo: Path) -> None:
    knowledge = load(demo).knowledge
    where = next(
        knowledge.where("nodes", node_id, "text")
        for node_id in knowledge.nodes
        if _plain_text_line(knowledge, node_id)
    )

    found = new_findings(
        demo, lambda: edit_line(where, r"text:.*", "text: Help for troubled families.")
    )

    stigma = [f for f in found if f.code == "stigmatising"]
    assert [at(demo, f.location) for f in stigma] == [at(demo, where)]
    assert "'troubled families'" in stigma[0].message
    assert stigma[0].field is not None and stigma[0].field.endswith(".text")


def _plain_text_line(knowledge: KnowledgeBase, node_id: str) -> bool:
    where = knowledge.where("nodes", node_id, "text")
    if where is None or where.line is None:
        return False
    line = where.file.read_text(encoding="utf-8").splitlines()[where.line - 1]
    return re.match(r"\s*text:\s*[A-Za-z]", line) is not None


def test_service_review_date_long_ago(demo: Path) -> None:
    knowledge = load(demo).knowledge
    service = next(iter(knowledge.services.values()))
    where = knowledge.where("services", service.id, "last_reviewed")

    found = new_findings(
        demo, lambda: edit_line(where, r"last_reviewed:\s*\S+", "last_reviewed: 2001-01-01")
    )

    assert [(f.code, at(demo, f.location)) for f in found] == [("review-overdue", at(demo, where))]


def test_same_node_id_twice(demo: Path) -> None:
    knowledge = load(demo).knowledge
    first, second = list(knowledge.nodes)[:2]
    where = knowledge.where("nodes", second, "id")

    found = new_findings(demo, lambda: edit_line(where, re.escape(second), first))

    duplicate = [f for f in found if f.code == "duplicate-id"]
    assert [at(demo, f.location) for f in duplicate] == [at(demo, where)]
    assert f"node id '{first}' is used twice" in duplicate[0].message


def test_a_tab_in_a_topic_file_fails_the_command_naming_the_file(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    topic_file = sorted((demo / "topics").glob("*.yaml"))[0]
    text = topic_file.read_text(encoding="utf-8")
    topic_file.write_text(text + "\t- id: tabbed\n", encoding="utf-8")
    line = len(text.splitlines()) + 1

    status = main(["validate", str(demo)])
    out, _ = capsys.readouterr()

    assert status == 1
    assert f"{topic_file}:{line}:1: error: this is not valid YAML" in out
    assert "use spaces" in out
