"""`navigator graph TOPIC`: the tree as Mermaid or DOT, checked by parsing the output back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from navigator.cli import main
from navigator.kb import load
from navigator.kb.diagram import render, topic_diagram
from tests.kb.kbfiles import TOPIC, write_kb

CARERS_NODES = {
    "carers-start",
    "carers-age",
    "carers-info",
    "carers-money",
    "carers-outcome",
    "carers-none",
}
CARERS_EDGES = 2 + 2 + 1 + 2  # two questions of two options, one info, one more question

MERMAID_NODE = re.compile(r'^  (n\d+)(\["|\("|\(\["|\{\{"|>")(.*?)("\]|"\)|"\]\)|"\}\}|"\])$')
MERMAID_EDGE = re.compile(r'^  (n\d+) (-->|-\.->)(?:\|"([^"]*)"\|)? (n\d+)$')
DOT_NODE = re.compile(r'^  "((?:[^"\\]|\\.)*)" \[label="((?:[^"\\]|\\.)*)", (.*)\];$')
DOT_EDGE = re.compile(r'^  "((?:[^"\\]|\\.)*)" -> "((?:[^"\\]|\\.)*)"(?: \[(.*)\])?;$')


def graph(capsys: pytest.CaptureFixture[str], root: Path, *arguments: str) -> tuple[int, str, str]:
    status = main(["graph", "--kb", str(root), *arguments])
    out, err = capsys.readouterr()
    return status, out, err


def parse_mermaid(text: str) -> tuple[dict[str, str], list[tuple[str, str, str, str]]]:
    """Node name -> label, and (source, arrow, label, target); fails on any line it cannot read."""
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str, str, str]] = []
    for line in lines[1:]:
        if line.startswith(("  %%", "  classDef ", "  class ")):
            continue
        if node := MERMAID_NODE.match(line):
            nodes[node.group(1)] = node.group(3)
        elif edge := MERMAID_EDGE.match(line):
            edges.append((edge.group(1), edge.group(2), edge.group(3) or "", edge.group(4)))
        else:
            raise AssertionError(f"not a Mermaid line this diagram should hold: {line!r}")
    return nodes, edges


def parse_dot(text: str) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    lines = text.splitlines()
    assert lines[0].startswith('digraph "') and lines[0].endswith(" {")
    assert lines[-1] == "}"
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str, str]] = []
    for line in lines[1:-1]:
        if node := DOT_NODE.match(line):
            nodes[node.group(1)] = node.group(3)
        elif edge := DOT_EDGE.match(line):
            edges.append((edge.group(1), edge.group(2), edge.group(3) or ""))
        elif not re.match(r"^  (label=|labelloc=|rankdir=|node \[|edge \[)", line):
            raise AssertionError(f"not a DOT line this diagram should hold: {line!r}")
    return nodes, edges


def test_mermaid_has_every_node_and_every_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = graph(capsys, write_kb(tmp_path), "carers")
    assert (status, err) == (0, "")
    nodes, edges = parse_mermaid(out)
    ids = {label.split("<br/>")[0] for label in nodes.values()}
    assert ids == CARERS_NODES
    assert len(edges) == CARERS_EDGES
    by_id = {label.split("<br/>")[0]: name for name, label in nodes.items()}
    assert (by_id["carers-start"], "-->", "Yes", by_id["carers-age"]) in edges
    assert (by_id["carers-info"], "-->", "", by_id["carers-money"]) in edges
    assert f"  class {by_id['carers-outcome']} outcome" in out
    assert f"  class {by_id['carers-none']} unmet" in out
    assert "services: carers-centre, carers-grant" in nodes[by_id["carers-outcome"]]


def test_dot_has_every_node_and_every_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = graph(capsys, write_kb(tmp_path), "carers", "--format", "dot")
    assert status == 0
    nodes, edges = parse_dot(out)
    assert set(nodes) == CARERS_NODES
    assert len(edges) == CARERS_EDGES
    assert ("carers-start", "carers-none", 'label="No"') in edges
    assert "shape=octagon" in nodes["carers-none"]
    assert "rounded,filled,bold" in nodes["carers-outcome"]


def test_quotes_and_brackets_in_text_are_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    quoted = TOPIC.replace('label: "Yes"', "label: 'Yes, I \"do\" <sometimes>'").replace(
        "text: Do you look after someone?", 'text: Do you look after someone? Say "yes".'
    )
    write_kb(tmp_path, topics=quoted)
    _, mermaid, _ = graph(capsys, tmp_path, "carers")
    _, edges = parse_mermaid(mermaid)
    assert any(label == "Yes, I #quot;do#quot; #lt;sometimes#gt;" for _, _, label, _ in edges)
    _, dot, _ = graph(capsys, tmp_path, "carers", "--format", "dot")
    _, dot_edges = parse_dot(dot)
    assert any('\\"do\\"' in attributes for _, _, attributes in dot_edges)


def test_links_to_missing_nodes_are_drawn_dashed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_kb(tmp_path, topics=TOPIC.replace("next: carers-none", "next: carers-nobody"))
    status, out, err = graph(capsys, tmp_path, "carers")
    assert status == 0
    assert "the diagram may be incomplete" in err
    nodes, edges = parse_mermaid(out)
    missing = next(name for name, label in nodes.items() if label.startswith("carers-nobody"))
    assert [arrow for _, arrow, _, target in edges if target == missing] == ["-.->"]
    assert f"  class {missing} missing" in out


def test_long_text_is_shortened_in_the_box(tmp_path: Path) -> None:
    long = "A very long sentence that goes on and on about carers' assessments and more. Then more."
    write_kb(tmp_path, topics=TOPIC.replace("text: These services may help you.", f"text: {long}"))
    diagram = topic_diagram(load(tmp_path).knowledge, "carers")
    outcome = next(node for node in diagram.nodes if node.id == "carers-outcome")
    assert outcome.lines[1].endswith("...") and len(outcome.lines[1]) == 60
    assert render(diagram, "mermaid").count("carers-outcome") == 1


def test_unknown_topic_exits_1_and_lists_the_topics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = graph(capsys, write_kb(tmp_path), "carer")
    assert status == 1 and out == ""
    assert "there is no topic 'carer'" in err and "Topics: carers, housing." in err


def test_no_knowledge_base_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = graph(capsys, tmp_path / "nowhere", "carers")
    assert status == 2 and out == ""
    assert "there is no such folder" in err
