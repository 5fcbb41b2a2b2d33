"""The shape of the decision tree: which node leads to which."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from navigator.kb.model import Info, Node, Question

if TYPE_CHECKING:
    from navigator.kb.knowledge import KnowledgeBase


def successors(node: Node) -> Iterator[str]:
    """The ids of the nodes a person can go to next from `node`."""
    if isinstance(node, Question):
        for option in node.options:
            yield option.next
    elif isinstance(node, Info):
        yield node.next


def reachable_from(knowledge: KnowledgeBase, start: str) -> list[str]:
    """Every known node reachable from `start`, in breadth-first order (start included)."""
    if start not in knowledge.nodes:
        return []
    seen = {start}
    order = [start]
    for node_id in order:  # the list grows as we go: a breadth-first walk
        for following in successors(knowledge.nodes[node_id]):
            if following in knowledge.nodes and following not in seen:
                seen.add(following)
                order.append(following)
    return order
