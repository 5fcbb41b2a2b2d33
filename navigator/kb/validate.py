"""Checks of a loaded knowledge base: the graph holds together, and the content reads well."""

from __future__ import annotations

from collections.abc import Iterator

from navigator.kb.diagnostics import Diagnostic, error
from navigator.kb.graph import successors
from navigator.kb.loader import KnowledgeBase
from navigator.kb.schema import Outcome, UnmetEnd


def validate(knowledge: KnowledgeBase) -> list[Diagnostic]:
    """Every graph and content finding about `knowledge`, errors first."""
    findings = [*_references(knowledge)]
    return sorted(findings, key=lambda d: (d.severity != "error", str(d.location or "")))


def _references(knowledge: KnowledgeBase) -> Iterator[Diagnostic]:
    for topic in knowledge.topics.values():
        if topic.start not in knowledge.nodes:
            yield error(
                "unknown-node",
                f"topic '{topic.id}' starts at node '{topic.start}', which does not exist",
                knowledge.where("topics", topic.id),
                "start",
            )
    for node in knowledge.nodes.values():
        for following in successors(node):
            if following not in knowledge.nodes:
                yield error(
                    "unknown-node",
                    f"node '{node.id}' leads to '{following}', which does not exist",
                    knowledge.where("nodes", node.id),
                )
        if isinstance(node, Outcome | UnmetEnd):
            for service in node.services:
                if service not in knowledge.services:
                    yield error(
                        "unknown-service",
                        f"node '{node.id}' offers service '{service}', which does not exist",
                        knowledge.where("nodes", node.id),
                    )
