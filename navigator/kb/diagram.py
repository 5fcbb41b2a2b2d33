"""A topic's decision tree as a diagram (Mermaid or Graphviz DOT), for content review.

Content staff read a whole pathway at a glance: each node shows its id and
the start of its text, each arrow the option that leads along it, and ends
stand out (outcomes green, unmet-need ends red, links to missing nodes
dashed). Paste Mermaid into GitHub or https://mermaid.live; render DOT
with `dot -Tsvg`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from navigator.kb.graph import successors
from navigator.kb.knowledge import KnowledgeBase
from navigator.kb.model import Info, Node, Outcome, Question, Topic, UnmetEnd
from navigator.kb.style import sentences

DiagramFormat = Literal["mermaid", "dot"]
NodeKind = Literal["question", "info", "outcome", "unmet", "missing"]

SHORT_TEXT = 60
"""Characters of a node's text shown in its box."""

MAX_SERVICES_SHOWN = 4
"""Service ids listed in an outcome's box before "and N more"."""

COLOURS: dict[NodeKind, tuple[str, str]] = {
    "question": ("#ffffff", "#455a64"),
    "info": ("#e8f0fe", "#1a73e8"),
    "outcome": ("#d9f2d9", "#2e7d32"),
    "unmet": ("#fde2e1", "#c62828"),
    "missing": ("#fff8e1", "#f57f17"),
}
"""Fill and outline of each kind of node."""


@dataclass(frozen=True)
class DiagramNode:
    id: str
    kind: NodeKind
    lines: tuple[str, ...]


@dataclass(frozen=True)
class DiagramEdge:
    source: str
    target: str
    label: str


@dataclass(frozen=True)
class Diagram:
    """The nodes and edges of one topic, in the order a resident would meet them."""

    topic: Topic
    nodes: tuple[DiagramNode, ...]
    edges: tuple[DiagramEdge, ...]


class UnknownTopic(LookupError):
    """The topic asked for is not in the knowledge base."""


def topic_diagram(knowledge: KnowledgeBase, topic_id: str) -> Diagram:
    """Every node reachable from a topic's start, and each link between them."""
    topic = knowledge.topics.get(topic_id)
    if topic is None:
        raise UnknownTopic(topic_id)
    order = [topic.start]
    seen = {topic.start}
    edges: list[DiagramEdge] = []
    for node_id in order:  # grows as we go: breadth first
        node = knowledge.nodes.get(node_id)
        if node is None:
            continue
        for target, label in _links(node):
            edges.append(DiagramEdge(node_id, target, label))
            if target not in seen:
                seen.add(target)
                order.append(target)
    nodes = tuple(_diagram_node(knowledge, node_id) for node_id in order)
    return Diagram(topic, nodes, tuple(edges))


def _links(node: Node) -> Iterator[tuple[str, str]]:
    if isinstance(node, Question):
        for option in node.options:
            yield option.next, option.label.get()
    else:
        for target in successors(node):
            yield target, ""


def _diagram_node(knowledge: KnowledgeBase, node_id: str) -> DiagramNode:
    node = knowledge.nodes.get(node_id)
    if node is None:
        return DiagramNode(node_id, "missing", (node_id, "missing: no node has this id"))
    lines = [node_id, _short(node.text.get())]
    if isinstance(node, Outcome):
        shown = ", ".join(node.services[:MAX_SERVICES_SHOWN])
        more = len(node.services) - MAX_SERVICES_SHOWN
        lines.append(f"services: {shown}" + (f" and {more} more" if more > 0 else ""))
        return DiagramNode(node_id, "outcome", tuple(lines))
    if isinstance(node, UnmetEnd):
        lines.append(f"unmet: {node.need} / {node.reason}")
        return DiagramNode(node_id, "unmet", tuple(lines))
    kind: NodeKind = "info" if isinstance(node, Info) else "question"
    return DiagramNode(node_id, kind, tuple(lines))


def _short(text: str) -> str:
    first = next(sentences(text), text)
    return first if len(first) <= SHORT_TEXT else first[: SHORT_TEXT - 3].rstrip() + "..."


def render(diagram: Diagram, diagram_format: DiagramFormat) -> str:
    """The diagram as Mermaid flowchart or Graphviz DOT text."""
    return _mermaid(diagram) if diagram_format == "mermaid" else _dot(diagram)


# --- Mermaid -------------------------------------------------------------------------

_MERMAID_SHAPES: dict[NodeKind, tuple[str, str]] = {
    "question": ('["', '"]'),
    "info": ('("', '")'),
    "outcome": ('(["', '"])'),
    "unmet": ('{{"', '"}}'),
    "missing": ('>"', '"]'),
}


def _mermaid(diagram: Diagram) -> str:
    names = {node.id: f"n{index}" for index, node in enumerate(diagram.nodes)}
    missing = {node.id for node in diagram.nodes if node.kind == "missing"}
    topic = diagram.topic
    lines = [
        "flowchart TD",
        f"  %% topic {topic.id}: {_mermaid_text(topic.title.get())} (need {topic.need})",
    ]
    for node in diagram.nodes:
        opening, closing = _MERMAID_SHAPES[node.kind]
        label = "<br/>".join(_mermaid_text(line) for line in node.lines)
        lines.append(f"  {names[node.id]}{opening}{label}{closing}")
    for edge in diagram.edges:
        arrow = "-.->" if edge.target in missing else "-->"
        label = f'|"{_mermaid_text(edge.label)}"|' if edge.label else ""
        lines.append(f"  {names[edge.source]} {arrow}{label} {names[edge.target]}")
    for kind, (fill, stroke) in COLOURS.items():
        dash = ",stroke-dasharray:5 5" if kind == "missing" else ""
        lines.append(f"  classDef {kind} fill:{fill},stroke:{stroke}{dash}")
    for kind in COLOURS:
        members = [names[node.id] for node in diagram.nodes if node.kind == kind]
        if members:
            lines.append(f"  class {','.join(members)} {kind}")
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label: quotes and angle brackets as entities."""
    return (
        text.replace("#", "#35;")
        .replace('"', "#quot;")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
        .replace("\n", " ")
    )


# --- DOT -----------------------------------------------------------------------------

_DOT_SHAPES: dict[NodeKind, str] = {
    "question": 'shape=box, style="rounded"',
    "info": 'shape=note, style="filled"',
    "outcome": 'shape=box, style="rounded,filled,bold"',
    "unmet": 'shape=octagon, style="filled"',
    "missing": 'shape=box, style="dashed,filled"',
}


def _dot(diagram: Diagram) -> str:
    topic = diagram.topic
    missing = {node.id for node in diagram.nodes if node.kind == "missing"}
    lines = [
        f"digraph {_dot_id(topic.id)} {{",
        f"  label={_dot_id(f'{topic.title.get()} ({topic.id}, need {topic.need})')};",
        "  labelloc=t;",
        "  rankdir=TB;",
        '  node [fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for node in diagram.nodes:
        fill, stroke = COLOURS[node.kind]
        label = "\\n".join(_dot_escape(line) for line in node.lines)
        lines.append(
            f'  {_dot_id(node.id)} [label="{label}", {_DOT_SHAPES[node.kind]}, '
            f'fillcolor="{fill}", color="{stroke}"];'
        )
    for edge in diagram.edges:
        attributes = [f'label="{_dot_escape(edge.label)}"'] if edge.label else []
        if edge.target in missing:
            attributes.append("style=dashed")
        suffix = f" [{', '.join(attributes)}]" if attributes else ""
        lines.append(f"  {_dot_id(edge.source)} -> {_dot_id(edge.target)}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_id(text: str) -> str:
    return f'"{_dot_escape(text)}"'


def _dot_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
