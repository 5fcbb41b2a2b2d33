"""The demo knowledge base validates, and deliberately broken copies fail with the right message.

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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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


@dataclass
class Demo:
    """A copy of the demo, loaded once, with the findings it already has."""

    root: Path
    knowledge: KnowledgeBase
    before: set[Finding]

    def after(self, break_it: Callable[[], None]) -> list[Diagnostic]:
        """Findings after `break_it()` that were not there before it."""
        break_it()
        return [f for f in findings(self.root) if key(self.root, f) not in self.before]


@pytest.fixture
def demo(tmp_path: Path) -> Demo:
    assert any(DEMO.rglob("*.yaml")), "the demo knowledge base (knowledge/) is missing"
    copy = tmp_path / "knowledge"
    shutil.copytree(DEMO, copy)
    result = load(copy)
    found = [*result.diagnostics, *validate(result.knowledge)]
    return Demo(copy, result.knowledge, {key(copy, finding) for finding in found})


def findings(root: Path) -> list[Diagnostic]:
    result = load(root)
    return [*result.diagnostics, *validate(result.knowledge)]


def key(root: Path, finding: Diagnostic) -> Finding:
    location = finding.location
    assert location is not None, str(finding)
    return finding.code, location.file.relative_to(root).as_posix(), location.line


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


def test_the_demo_itself_validates(capsys: pytest.CaptureFixture[str]) -> None:
    assert any(DEMO.rglob("*.yaml")), "the demo knowledge base (knowledge/) is missing"
    status = main(["validate", str(DEMO)])
    out, _ = capsys.readouterr()
    assert status == 0, out
    assert " 0 errors, " in out.splitlines()[-1]


def test_option_leading_nowhere(demo: Demo) -> None:
    knowledge = demo.knowledge
    question = next(nodes_of(knowledge, Question))
    where = knowledge.where("nodes", question.id, "options", 0, "next")
    target = question.options[0].next

    found = demo.after(
        lambda: edit_line(where, rf"""["']?{re.escape(target)}["']?""", "no-such-node"),
    )

    unknown = [f for f in found if f.code == "unknown-node"]
    assert [at(demo.root, f.location) for f in unknown] == [at(demo.root, where)]
    assert f"node '{question.id}' refers to next node 'no-such-node'" in unknown[0].message


def test_outcome_offering_a_service_that_does_not_exist(demo: Demo) -> None:
    knowledge = demo.knowledge
    outcome = next(node for node in nodes_of(knowledge, Outcome) if len(node.services) > 1)
    where = knowledge.where("nodes", outcome.id, "services", 0)

    found = demo.after(lambda: edit_line(where, re.escape(outcome.services[0]), "no-such-service"))

    unknown = [f for f in found if f.code == "unknown-service"]
    assert [at(demo.root, f.location) for f in unknown] == [at(demo.root, where)]
    assert "'no-such-service'" in unknown[0].message


def test_unmet_end_with_an_undeclared_reason(demo: Demo) -> None:
    knowledge = demo.knowledge
    end = next(nodes_of(knowledge, UnmetEnd))
    where = knowledge.where("nodes", end.id, "reason")

    found = demo.after(lambda: edit_line(where, r"reason:\s*\S+", "reason: no_such_reason"))

    assert [(f.code, at(demo.root, f.location)) for f in found] == [
        ("unknown-reason", at(demo.root, where))
    ]


def test_a_required_reason_renamed(demo: Demo) -> None:
    knowledge = demo.knowledge
    where = knowledge.where("reasons", "waiting_list", "id")
    users = [n for n in nodes_of(knowledge, UnmetEnd) if n.reason == "waiting_list"]

    found = demo.after(lambda: edit_line(where, r"waiting_list", "waiting-list"))

    codes = sorted(f.code for f in found)
    # The new id is not in the crosswalk to shared codes either (codes/crosswalk.yaml).
    assert codes == ["crosswalk-missing", "missing-reason", *["unknown-reason"] * len(users)]
    missing = next(f for f in found if f.code == "missing-reason")
    assert "'waiting_list'" in missing.message


def test_two_options_that_read_the_same(demo: Demo) -> None:
    knowledge = demo.knowledge
    question, where = next(
        (node, knowledge.where("nodes", node.id, "options", 1, "label"))
        for node in nodes_of(knowledge, Question)
        if len(node.options) > 1 and _single_line_label(knowledge, node.id)
    )
    first_label = question.options[0].label.get()

    found = demo.after(lambda: edit_line(where, r"label:.*", "label: " + json.dumps(first_label)))

    duplicate = [f for f in found if f.code == "duplicate-option-label"]
    assert [at(demo.root, f.location) for f in duplicate] == [at(demo.root, where)]
    assert f"question '{question.id}' has two options" in duplicate[0].message


def _single_line_label(knowledge: KnowledgeBase, node_id: str) -> bool:
    where = knowledge.where("nodes", node_id, "options", 1, "label")
    if where is None or where.line is None:
        return False
    line = where.file.read_text(encoding="utf-8").splitlines()[where.line - 1]
    return re.search(r"label:\s*[^\s{>|]", line) is not None


def test_stigmatising_label_in_a_node(demo: Demo) -> None:
    knowledge = demo.knowledge
    where = next(
        knowledge.where("nodes", node_id, "text")
        for node_id in knowledge.nodes
        if _plain_text_line(knowledge, node_id)
    )

    found = demo.after(lambda: edit_line(where, r"text:.*", "text: Help for troubled families."))

    stigma = [f for f in found if f.code == "stigmatising"]
    assert [at(demo.root, f.location) for f in stigma] == [at(demo.root, where)]
    assert "'troubled families'" in stigma[0].message
    assert stigma[0].field is not None and stigma[0].field.endswith(".text")


def _plain_text_line(knowledge: KnowledgeBase, node_id: str) -> bool:
    where = knowledge.where("nodes", node_id, "text")
    if where is None or where.line is None:
        return False
    line = where.file.read_text(encoding="utf-8").splitlines()[where.line - 1]
    return re.match(r"\s*text:\s*[A-Za-z]", line) is not None


def test_service_review_date_long_ago(demo: Demo) -> None:
    knowledge = demo.knowledge
    service = next(iter(knowledge.services.values()))
    where = knowledge.where("services", service.id, "last_reviewed")

    found = demo.after(
        lambda: edit_line(where, r"last_reviewed:\s*\S+", "last_reviewed: 2001-01-01")
    )

    assert [(f.code, at(demo.root, f.location)) for f in found] == [
        ("review-overdue", at(demo.root, where))
    ]


def test_same_node_id_twice(demo: Demo) -> None:
    knowledge = demo.knowledge
    first, second = list(knowledge.nodes)[:2]
    where = knowledge.where("nodes", second, "id")

    found = demo.after(lambda: edit_line(where, re.escape(second), first))

    duplicate = [f for f in found if f.code == "duplicate-id"]
    assert [at(demo.root, f.location) for f in duplicate] == [at(demo.root, where)]
    assert f"node id '{first}' is used twice" in duplicate[0].message


def test_a_tab_in_a_topic_file_fails_the_command_naming_the_file(
    demo: Demo, capsys: pytest.CaptureFixture[str]
) -> None:
    topic_file = sorted((demo.root / "topics").glob("*.yaml"))[0]
    text = topic_file.read_text(encoding="utf-8")
    topic_file.write_text(text + "\t- id: tabbed\n", encoding="utf-8")
    line = len(text.splitlines()) + 1

    status = main(["validate", str(demo.root)])
    out, _ = capsys.readouterr()

    assert status == 1
    assert f"{topic_file}:{line}:1: error: this is not valid YAML" in out
    assert "use spaces" in out
