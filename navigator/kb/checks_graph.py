"""Graph checks: every node can be reached, every path can end, and answers can be told apart.

All of this is linear in the size of the knowledge base: one breadth-first
walk forwards from the topics, one backwards from the ends, and Tarjan's
strongly connected components (iteratively, so a long chain of nodes cannot
overflow Python's stack) over the nodes that cannot end.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from navigator.kb.diagnostics import Diagnostic, error
from navigator.kb.graph import successors
from navigator.kb.knowledge import KnowledgeBase
from navigator.kb.model import Outcome, Question, UnmetEnd, slugify

MAX_LISTED = 6
"""How many node ids a message lists before saying "and N more"."""


def check_graph(knowledge: KnowledgeBase) -> Iterator[Diagnostic]:
    """Findings about the shape of the decision trees and the services they offer."""
    yield from _options(knowledge)
    broken = any(section in {"nodes", "topics"} for section, _ in knowledge.skipped)
    if broken:
        return  # nodes left out for schema errors would make sound nodes look unreachable
    yield from _never_offered(knowledge)
    graph = _Graph(knowledge)
    yield from _unreachable(knowledge, graph)
    yield from _without_end(knowledge, graph)


class _Graph:
    """The nodes' links, forwards and backwards, built once."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        nodes = knowledge.nodes
        self.following: dict[str, list[str]] = {}
        self.leading: dict[str, list[str]] = {node_id: [] for node_id in nodes}
        self.ends: list[str] = []
        for node_id, node in nodes.items():
            targets = list(successors(node))
            known = [target for target in targets if target in nodes]
            self.following[node_id] = known
            for target in known:
                self.leading[target].append(node_id)
            # A node that leads to a missing node already has an error; counting it as an
            # end stops every node before it being reported as well.
            if isinstance(node, Outcome | UnmetEnd) or len(known) < len(targets):
                self.ends.append(node_id)

    def walk(
        self,
        starts: Iterable[str],
        links: dict[str, list[str]],
        within: set[str] | None = None,
    ) -> dict[str, None]:
        """Every node reachable from `starts` along `links`, staying `within` (an ordered set)."""
        seen = dict.fromkeys(starts)
        queue = list(seen)
        for node_id in queue:  # grows as we go: breadth first
            for linked in links[node_id]:
                if linked not in seen and (within is None or linked in within):
                    seen[linked] = None
                    queue.append(linked)
        return seen


def _options(knowledge: KnowledgeBase) -> Iterator[Diagnostic]:
    """Two options of one question that read the same, or that records could not tell apart."""
    normal = _Memo(_normal)  # labels such as "Yes" recur: work each out once
    slug = _Memo(slugify)
    for node in knowledge.nodes.values():
        if not isinstance(node, Question):
            continue
        labels: dict[tuple[str, str], int] = {}
        keys: dict[str, int] = {}
        for index, option in enumerate(node.options):
            duplicate_label = False
            for language, label in option.label.translations.items():
                earlier = labels.setdefault((language, normal(label)), index)
                if earlier != index and not duplicate_label:
                    duplicate_label = True
                    path = ("options", index, "label")
                    yield error(
                        "duplicate-option-label",
                        f"question '{node.id}' has two options that read '{label}' (options "
                        f"{earlier + 1} and {index + 1}). A resident could not tell them apart: "
                        "reword one, or merge them.",
                        knowledge.where("nodes", node.id, *path),
                        knowledge.field_of("nodes", node.id, *path),
                    )
            option_key = option.id or slug(option.label.get())
            earlier_key = keys.setdefault(option_key, index)
            if earlier_key != index and not duplicate_label:
                path = ("options", index, "id") if option.id else ("options", index, "label")
                yield error(
                    "duplicate-option-id",
                    f"options {earlier_key + 1} and {index + 1} of question '{node.id}' have the "
                    f"same id '{option_key}' (made from the label where no 'id:' is given), so "
                    "records could not tell the answers apart. Give one of them its own 'id:'.",
                    knowledge.where("nodes", node.id, *path),
                    knowledge.field_of("nodes", node.id, *path),
                )


class _Memo:
    """A function's results, kept for the length of one check."""

    def __init__(self, function: Callable[[str], str]) -> None:
        self.function = function
        self.results: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        result = self.results.get(text)
        if result is None:
            result = self.results[text] = self.function(text)
        return result


def _normal(label: str) -> str:
    """A label as a reader compares it: case, spacing and punctuation do not matter."""
    return re.sub(r"[\W_]+", " ", label.casefold()).strip()


def _never_offered(knowledge: KnowledgeBase) -> Iterator[Diagnostic]:
    offered: set[str] = set()
    for node in knowledge.nodes.values():
        if isinstance(node, Outcome | UnmetEnd):
            offered.update(node.services)
    for service_id in knowledge.services:
        if service_id not in offered:
            yield error(
                "service-never-offered",
                f"service '{service_id}' is not offered by any outcome or unmet-need end, so no "
                "resident will ever be shown it. Add it to an outcome's 'services:', or remove "
                "it.",
                knowledge.where("services", service_id),
                knowledge.field_of("services", service_id, "id"),
            )


def _unreachable(knowledge: KnowledgeBase, graph: _Graph) -> Iterator[Diagnostic]:
    """Nodes no topic leads to, reported once per unreachable part, at the part's first node."""
    starts = [topic.start for topic in knowledge.topics.values() if topic.start in knowledge.nodes]
    reached = graph.walk(starts, graph.following)
    unreachable = [node_id for node_id in knowledge.nodes if node_id not in reached]
    if not unreachable:
        return
    outside = set(unreachable)
    # Heads are where an unreachable part begins: nothing unreachable leads to them.
    heads = [n for n in unreachable if not any(p in outside for p in graph.leading[n])]
    claimed: set[str] = set()
    for head in [*heads, *unreachable]:  # then any loops of unreachable nodes with no head
        if head in claimed:
            continue
        part = [n for n in graph.walk([head], graph.following, outside) if n not in claimed]
        claimed.update(part)
        outside.difference_update(part)  # later walks stop at claimed nodes: linear overall
        after = part[1:]
        tail = f" Nor can the {len(after)} nodes after it: {_listed(after)}." if after else ""
        yield error(
            "unreachable-node",
            f"node '{head}' cannot be reached: no topic starts here and no option or 'next' leads "
            f"here.{tail} Link it from a question or a topic, or remove it.",
            knowledge.where("nodes", head),
            knowledge.field_of("nodes", head, "id"),
        )


def _without_end(knowledge: KnowledgeBase, graph: _Graph) -> Iterator[Diagnostic]:
    """Loops a resident could never leave, and the nodes that lead only into them."""
    can_end = graph.walk(graph.ends, graph.leading)
    stuck = {node_id for node_id in knowledge.nodes if node_id not in can_end}
    if not stuck:
        return
    assigned: set[str] = set()
    remaining = set(stuck)  # shrinks as nodes are reported, so each is walked once
    for loop in _loops(stuck, graph.following):
        first = loop[0]
        yield error(
            "loop-without-exit",
            f"nodes {_listed(loop)} go round in a loop with no way out: none of them leads to an "
            "outcome or an unmet-need end. Give one of them an option that leads on to an end.",
            knowledge.where("nodes", first),
            knowledge.field_of("nodes", first, "id"),
        )
        assigned.update(loop)
        remaining.difference_update(loop)
        upstream = [n for n in graph.walk(loop, graph.leading, remaining) if n not in assigned]
        remaining.difference_update(upstream)
        for node_id in upstream:
            assigned.add(node_id)
            yield error(
                "no-way-to-end",
                f"no path from node '{node_id}' reaches an outcome or an unmet-need end: every "
                f"way on leads into the loop at '{first}'. Give it an option that leads to an "
                "end, or give the loop a way out.",
                knowledge.where("nodes", node_id),
                knowledge.field_of("nodes", node_id, "id"),
            )


def _loops(nodes: set[str], following: dict[str, list[str]]) -> list[list[str]]:
    """The strongly connected components of `nodes` that are loops (Tarjan, without recursion).

    A component is a loop when it has more than one node, or one node that
    leads to itself. Each is returned in a stable order (sorted ids).
    """
    index: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    loops: list[list[str]] = []
    counter = 0
    for root in sorted(nodes):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(following[root]))]
        index[root] = lowlink[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in nodes:
                    continue
                if child not in index:
                    index[child] = lowlink[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(following[child])))
                    advanced = True
                    break
                if child in on_stack:
                    lowlink[node] = min(lowlink[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                lowlink[parent] = min(lowlink[parent], lowlink[node])
            if lowlink[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in following[node]:
                    loops.append(sorted(component))
    return loops


def _listed(ids: list[str]) -> str:
    shown = ", ".join(f"'{node_id}'" for node_id in ids[:MAX_LISTED])
    more = len(ids) - MAX_LISTED
    return f"{shown} and {more} more" if more > 0 else shown
